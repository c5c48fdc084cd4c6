"""Maps of the registry's places, drawn at build time as SVG: the countries' outlines (Natural
Earth, shipped in data/) once per site as a base-map file, and on each page only its markers,
a circle per place sized by its article count and linked to the place's page. No tile server,
no script, no other host; a map prints as the page does.

Two views, both from the data: the world, and the region where the archive's places crowd
(the densest cluster of places weighted by their articles); a page uses the region when every
place it shows lies in it.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..link.links import LinkedArchive
from ..model import Entity
from ..settings import Settings
from .markup import attr, entity_page, esc, html_block, plural, rel

DATA = Path(__file__).parent / "data" / "countries-50m.json.gz"
WIDTH = 800  # SVG units across; the map scales to the column
CLUSTER_KM = 1000  # places within this distance of the densest place form the region
MARGIN = 0.08  # of the region's span on each side
LABELS = 12  # the places named on a map, most articles first


@dataclass(frozen=True)
class View:
    """An equirectangular projection of [west, east] x [south, north], scaled by the cosine of
    the middle latitude so that shapes keep their proportions near it."""

    name: str  # "region" or "world": the base-map file maps/<name>.svg
    west: float
    south: float
    east: float
    north: float

    @property
    def squeeze(self) -> float:
        return math.cos(math.radians((self.south + self.north) / 2)) if self.name != "world" else 1.0

    @property
    def scale(self) -> float:
        return WIDTH / ((self.east - self.west) * self.squeeze)

    @property
    def height(self) -> int:
        return max(1, round((self.north - self.south) * self.scale))

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        return (lon - self.west) * self.squeeze * self.scale, (self.north - lat) * self.scale

    def holds(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    @property
    def file(self) -> str:
        return f"maps/{self.name}.svg"


WORLD = View("world", -180.0, -58.0, 180.0, 84.0)


def _unit(point: tuple[float, float]) -> tuple[float, float, float]:
    """(lat, lon) as a point on the unit sphere: two places are within CLUSTER_KM when their
    dot product is at least NEAR, a comparison ten times cheaper than the haversine formula
    (the clustering compares every pair of places)."""
    lat, lon = math.radians(point[0]), math.radians(point[1])
    return math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)


NEAR = math.cos(CLUSTER_KM / 6371.0)  # the cosine of CLUSTER_KM as an angle at the earth's centre


def region_view(places: Sequence[tuple[Entity, int]]) -> View | None:
    """The view around the densest cluster: the place whose neighbours within CLUSTER_KM hold
    the most articles, and those neighbours, with a margin. None when it would show no more
    than the world does (fewer than two places, or a cluster as wide as a continent)."""
    located = [(e.coordinates, count) for e, count in places if e.coordinates and count]
    if len(located) < 2:
        return None
    units = [_unit(p) for p, _ in located]

    def close(i: int) -> list[int]:  # the places within CLUSTER_KM of place i, itself too
        cx, cy, cz = units[i]
        return [j for j, (x, y, z) in enumerate(units) if cx * x + cy * y + cz * z >= NEAR]

    weight = [sum(located[j][1] for j in close(i)) for i in range(len(located))]
    best = max(range(len(located)), key=lambda i: (weight[i], -i))
    near = [located[j][0] for j in close(best)]
    lats, lons = [p[0] for p in near], [p[1] for p in near]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    # A margin around the places, at least 4 degrees of latitude, and a shape between 1.3:1 and
    # 2:1 (wider than tall, as the page's column is).
    middle, centre_lon = (south + north) / 2, (west + east) / 2
    squeeze = math.cos(math.radians(middle))
    half_h = max(2.0, (north - south) / 2 * (1 + 2 * MARGIN))
    half_w = (east - west) / 2 * (1 + 2 * MARGIN) * squeeze  # in degrees of latitude
    half_w = max(half_w, 1.3 * half_h)
    half_h = max(half_h, half_w / 2)
    view = View(
        "region",
        round(centre_lon - half_w / squeeze, 2),
        round(max(-85.0, middle - half_h), 2),
        round(centre_lon + half_w / squeeze, 2),
        round(min(85.0, middle + half_h), 2),
    )
    return view if view.east - view.west < 90 else None


@functools.lru_cache(maxsize=1)
def _countries() -> list[list[list[tuple[float, float]]]]:
    """Each country's rings as (lat, lon) points, decoded from the TopoJSON in data/."""
    topology = json.loads(gzip.decompress(DATA.read_bytes()))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((y * sy + ty, x * sx + tx))
        arcs.append(points)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indices:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        countries.append([ring(r) for polygon in polygons for r in polygon])
    return countries


def _path(view: View, ring: list[tuple[float, float]]) -> str:
    """One ring as relative SVG path commands in whole units: points nearer than a unit to the
    last one kept are dropped, and points far outside the view are pulled to its margin (off
    the page either way), so the file holds about what the view shows."""
    pad_x, pad_y = WIDTH / 2, view.height / 2
    out: list[str] = []
    last: tuple[int, int] | None = None
    last_lon = None
    for lat, lon in ring:
        x, y = view.xy(lat, lon)
        point = (round(min(WIDTH + pad_x, max(-pad_x, x))), round(min(view.height + pad_y, max(-pad_y, y))))
        # A ring that crosses the date line (Chukotka, Fiji) jumps from one edge to the other:
        # a new sub-path there, not a line across the world.
        jump = last_lon is not None and abs(lon - last_lon) > 180
        last_lon = lon
        if last is None or jump:
            out.append(f"M{point[0]} {point[1]}")
        elif point != last:
            out.append(f"l{point[0] - last[0]} {point[1] - last[1]}")
        else:
            continue
        last = point
    return "".join(out) + "z" if len(out) > 2 else ""


def base_map(view: View) -> str:
    """The countries as one SVG file for `view`; a country wholly outside it is left out."""
    paths = []
    for country in _countries():
        lats = [lat for ring in country for lat, _ in ring]
        lons = [lon for ring in country for _, lon in ring]
        if max(lats) < view.south or min(lats) > view.north or max(lons) < view.west or min(lons) > view.east:
            continue
        drawn = "".join(_path(view, ring) for ring in country)
        if drawn:
            paths.append(drawn)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {view.height}" '
        f'width="{WIDTH}" height="{view.height}">\n'
        '<path fill="#e4e1da" stroke="#a9a499" stroke-width="0.6" stroke-linejoin="round" d="'
        + "".join(paths)
        + '"/>\n</svg>\n'
    )


@dataclass(frozen=True)
class Maps:
    """The archive's places with coordinates and their article counts, most first, and the
    views that show them."""

    places: tuple[tuple[Entity, int], ...]
    region: View | None
    counts: Mapping[str, int] = field(default_factory=dict)  # entity id -> articles

    def view_for(self, shown: Sequence[Entity]) -> View:
        region = self.region
        if region is not None and all(e.coordinates and region.holds(*e.coordinates) for e in shown):
            return region
        return WORLD

    def count(self, entity: Entity) -> int:
        return self.counts.get(entity.id, 0)


# The last archive's maps: every page set asks. The archive is referred to weakly: held here, a
# build's whole linked archive would outlive it (a preview holding two at once while it builds
# again), and the collector would walk it once more as the interpreter exits.
_LAST: list[tuple[weakref.ref[LinkedArchive], Maps]] = []


def archive_maps(linked: LinkedArchive) -> Maps:
    """The maps of `linked`, worked out once (a forked worker inherits them)."""
    if _LAST and _LAST[0][0]() is linked:
        return _LAST[0][1]
    places = sorted(
        ((e, len(linked.by_entity.get(e.id, ()))) for e in linked.archive.entities if e.coordinates),
        key=lambda pair: (-pair[1], pair[0].id),
    )
    found = Maps(tuple(places), region_view(places), {e.id: count for e, count in places})
    _LAST[:] = [(weakref.ref(linked), found)]
    return found


def map_files(linked: LinkedArchive) -> dict[str, str]:
    """The base-map files the pages' maps show: the world, and the region when there is one."""
    maps = archive_maps(linked)
    if not maps.places:
        return {}
    views = [WORLD] + ([maps.region] if maps.region else [])
    return {view.file: base_map(view) for view in views}


def place_map(
    here: str,
    view: View,
    markers: Sequence[tuple[Entity, int]],
    settings: Settings,
    label: str,
    highlight: str | None = None,
    size: str = "full",
    unnamed: View | None = None,
) -> str:
    """A map block: the base map of `view` and a marker per place (radius by articles, a link
    to its page, its name and count as its title); the LABELS most named are also written,
    except those inside `unnamed` (a region another map shows closer). `size`: "full", or
    "small" for a locator or an article's places."""
    shown = [(e, c) for e, c in markers if e.coordinates and view.holds(*e.coordinates)]
    if not shown:
        return ""
    peak = max(c for _, c in shown) or 1
    nameable = [(e, c) for e, c in shown if not (unnamed and e.coordinates and unnamed.holds(*e.coordinates))]
    named = {e.id for e, _ in sorted(nameable, key=lambda p: (-p[1], p[0].id))[:LABELS]}
    dots, names = [], []
    taken: list[tuple[float, float, float, float]] = []  # the labels' boxes: none drawn over another
    for entity, count in sorted(shown, key=lambda p: (-p[1], p[0].id)):  # small ones drawn last, on top
        assert entity.coordinates is not None
        x, y = view.xy(*entity.coordinates)
        radius = 3 + 13 * math.sqrt(count / peak) if count else 2.5
        title = f"{entity.name}: {plural(count, 'article')}"
        cls = "ra-map__marker" + (" ra-map__marker--here" if entity.id == highlight else "")
        dots.append(
            f'<a href="{attr(rel(here, entity_page(entity.id)))}" aria-label="{attr(title)}">'
            f'<circle class="{cls}" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}"><title>{esc(title)}</title>'
            "</circle></a>"
        )
        box = (x + radius + 2, y - 8, x + radius + 4 + len(entity.name) * 6.5, y + 5)
        free = not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken)
        if (entity.id in named and free) or entity.id == highlight:
            taken.append(box)
            names.append(
                f'<text class="ra-map__label" x="{x + radius + 2:.1f}" y="{y + 4:.1f}">'
                f"{esc(entity.name)}</text>"
            )
    image = settings.site.link(here, view.file)
    return html_block(
        "ra-map" if size == "full" else "ra-map ra-map--small",
        [
            f'<svg class="ra-map__chart" viewBox="0 0 {WIDTH} {view.height}" role="group" '
            f'aria-label="{attr(label)}">',
            f'<image href="{attr(image)}" x="0" y="0" width="{WIDTH}" height="{view.height}"/>',
            f'<g class="ra-map__markers">{"".join(dots)}</g>',
            f'<g class="ra-map__labels" aria-hidden="true">{"".join(names)}</g>',
            "</svg>",
        ],
        data_view=view.name,
    )
