"""Maps of places (issue 19): drawn at build time from the shipped base map, a marker per place
with coordinates sized by its articles and linked to its page, on the places page, a place's
page and an article's page; views follow the data; names are escaped."""

from __future__ import annotations

import html as htmllib
import math
import random
import re

from build_tools.check import check_archive
from build_tools.link import link
from build_tools.model import Entity
from build_tools.pipeline import build_pages
from build_tools.problems import Source
from build_tools.render.maps import CLUSTER_KM, WORLD, archive_maps, base_map, map_files, region_view
from tests.conftest import article
from tests.test_render import html_of


def place(name: str, lat: float, lon: float) -> str:
    quoted = "'" + name.replace("'", "''") + "'"
    return f"type: place\nname: {quoted}\ndescription: A place.\ncoordinates: [{lat}, {lon}]\n"


UKRAINE = {
    "entities/kyiv.yml": place("Kyiv", 50.45, 30.52),
    "entities/mariupol.yml": place("Mariupol", 47.10, 37.55),
    "entities/kharkiv.yml": place("Kharkiv", 49.99, 36.23),
    "entities/washington.yml": place("Washington", 38.9, -77.04),
    "entities/nowhere.yml": "type: place\nname: Nowhere\ndescription: No coordinates.\n",
}


def archive_files(places: dict[str, str], bodies: list[str]) -> dict[str, str]:
    files = dict(places)
    for i, body in enumerate(bodies):
        files[f"articles/2022/03/a{i}.md"] = article(
            title=f"Story {i}", date=f"2022-03-{i + 1:02d}", body=body
        )
    return files


BODIES = [
    "Shelling in Mariupol and Kharkiv went on; Nowhere was spared.",
    "Mariupol was cut off.",
    "In Mariupol, the theatre was hit. Kyiv protested.",
    "Washington sent aid to Kyiv.",
]


def pages(make_archive, files):
    built = build_pages(make_archive(files))
    assert built.report.problems == ()
    return built


def markers(html: str) -> list[tuple[str, str, float]]:
    """(link, title, radius) of each marker, in drawing order."""
    found = re.findall(
        r'<a href="([^"]*)" aria-label="([^"]*)"><circle class="ra-map__marker[^"]*" cx="[^"]*" cy="[^"]*" r="([^"]*)"',
        html,
    )
    return [(href, htmllib.unescape(title), float(r)) for href, title, r in found]


def test_places_page_has_a_marker_per_place_with_coordinates_linking_to_its_page(make_archive):
    built = pages(make_archive, archive_files(UKRAINE, BODIES))
    html = html_of(built.pages["places.md"])
    maps = re.findall(r'<div class="ra-map" data-view="(\w+)">', html)
    assert maps == ["region", "world"]
    region = html[: html.index('data-view="world"')]
    assert sorted(markers(region)) == sorted(
        [
            ("entities/mariupol.md", "Mariupol: 3 articles", 16.0),
            ("entities/kyiv.md", "Kyiv: 2 articles", markers(region)[1][2]),
            ("entities/kharkiv.md", "Kharkiv: 1 article", markers(region)[2][2]),
        ]
    )
    world = html[html.index('data-view="world"') :]
    assert {title for _, title, _ in markers(world)} == {
        "Mariupol: 3 articles",
        "Kyiv: 2 articles",
        "Kharkiv: 1 article",
        "Washington: 1 article",
    }
    assert "Nowhere" not in re.sub(r"<table.*", "", html, flags=re.S).split("ra-map", 1)[1]
    radii = {title: r for _, title, r in markers(region)}
    assert radii["Mariupol: 3 articles"] > radii["Kyiv: 2 articles"] > radii["Kharkiv: 1 article"]
    # The base maps are files of the site, the page's map shows one by a relative address.
    assert set(built.files) >= {"maps/region.svg", "maps/world.svg"}
    assert '<image href="maps/region.svg"' in region and '<image href="maps/world.svg"' in world


def test_place_page_has_a_locator_and_an_article_page_the_places_it_names(make_archive):
    built = pages(make_archive, archive_files(UKRAINE, BODIES))
    mariupol = html_of(built.pages["entities/mariupol.md"])
    assert markers(mariupol) == [("mariupol.md", "Mariupol: 3 articles", 16.0)]
    assert 'class="ra-map__marker ra-map__marker--here"' in mariupol
    assert '<image href="../maps/region.svg"' in mariupol
    first = html_of(built.pages["articles/2022/03/a0.md"])
    assert {title for _, title, _ in markers(first)} == {"Mariupol: 3 articles", "Kharkiv: 1 article"}
    assert '<image href="../../../maps/region.svg"' in first
    # An article naming a place outside the region is drawn on the world.
    fourth = html_of(built.pages["articles/2022/03/a3.md"])
    assert '<image href="../../../maps/world.svg"' in fourth
    assert {title for _, title, _ in markers(fourth)} == {"Kyiv: 2 articles", "Washington: 1 article"}
    assert "ra-map" not in html_of(built.pages["entities/nowhere.md"])


def test_map_views_follow_the_data_not_one_subject(make_archive):
    andes = {
        "entities/lima.yml": place("Lima", -12.05, -77.04),
        "entities/cusco.yml": place("Cusco", -13.53, -71.97),
        "entities/arequipa.yml": place("Arequipa", -16.40, -71.54),
        "entities/madrid.yml": place("Madrid", 40.42, -3.70),
    }
    bodies = ["Lima and Cusco met.", "Arequipa and Lima talked.", "Cusco waited.", "Madrid watched Lima."]
    linked = link(check_archive(make_archive(archive_files(andes, bodies))).archive)
    region = archive_maps(linked).region
    assert region is not None
    assert all(region.holds(lat, lon) for lat, lon in [(-12.05, -77.04), (-13.53, -71.97), (-16.40, -71.54)])
    assert region.east < -40  # Peru, not Europe
    assert not region.holds(40.42, -3.70)
    drawn = base_map(region)
    assert drawn.startswith('<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    assert len(drawn) < 300_000 and drawn.count("M") > 10  # outlines, cut to the view
    assert map_files(linked) == map_files(linked)  # the same archive, the same bytes
    assert region_view([]) is None and WORLD.height > 0


def test_region_holds_every_place_of_a_wide_cluster(make_archive):
    """Places strung along a parallel make a wide region: it grows taller, never cuts one off."""
    line = {f"entities/p{lon}.yml": place(f"Town {lon}", 50.0, float(lon)) for lon in (20, 27, 34)}
    linked = link(check_archive(make_archive(archive_files(line, ["Town 20, Town 27 and Town 34."]))).archive)
    region = archive_maps(linked).region
    assert region is not None
    assert all(region.holds(50.0, float(lon)) for lon in (20, 27, 34))
    assert 1.3 <= 800 / region.height <= 2.01  # wider than tall, at most twice


def test_map_escapes_hostile_place_names(make_archive):
    hostile = {
        "entities/evil.yml": place('"><svg onload=alert(1)> <script>x</script>', 50.0, 30.0),
        "entities/kyiv.yml": place("Kyiv", 50.45, 30.52),
    }
    built = pages(
        make_archive, archive_files(hostile, ['Kyiv and "><svg onload=alert(1)> <script>x</script>.'])
    )
    html = html_of(built.pages["places.md"])
    chart = html[html.index('<div class="ra-map"') :]
    assert "<script>" not in chart and "<svg onload" not in chart
    assert "&lt;script&gt;x&lt;/script&gt;" in chart


def map_blocks(html: str) -> str:
    return "".join(re.findall(r'<div class="ra-map[^"]*"[^>]*>.*?</div>', html, re.S))


def test_article_and_place_maps_carry_their_markers_and_not_the_outlines(make_archive):
    """However many places the registry holds, an article's map is its own markers and one
    image address: the outlines are in the site's base-map files, drawn once."""
    many = {f"entities/town-{n}.yml": place(f"Town {n}", 40 + n / 10, 20 + n / 7) for n in range(80)}
    bodies = ["Town 3 was quiet.", *(f"Town {n} and Town {n + 1} met." for n in range(0, 40, 2))]
    built = pages(make_archive, archive_files(many, bodies))
    article_map = map_blocks(html_of(built.pages["articles/2022/03/a0.md"]))
    assert [title for _, title, _ in markers(article_map)] == ["Town 3: 2 articles"]
    assert "<path" not in article_map and article_map.count("<image ") == 1
    assert len(article_map.encode()) < 1000
    locator = map_blocks(html_of(built.pages["entities/town-3.md"]))
    assert len(markers(locator)) == 1 and "<path" not in locator and len(locator.encode()) < 1000
    assert "<path" not in map_blocks(html_of(built.pages["places.md"]))
    assert all("<path" in text for name, text in built.files.items() if name.startswith("maps/"))


def _haversine_cluster(located: list[tuple[tuple[float, float], int]]) -> list[tuple[float, float]]:
    """The densest cluster as the maps define it, by the haversine formula: the place whose
    neighbours within CLUSTER_KM hold the most articles (the first of equals), and those."""

    def km(a: tuple[float, float], b: tuple[float, float]) -> float:
        lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
        h = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
        return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))

    weight = [sum(c for p, c in located if km(q, p) <= CLUSTER_KM) for q, _ in located]
    centre = located[max(range(len(located)), key=lambda i: (weight[i], -i))][0]
    return [p for p, _ in located if km(centre, p) <= CLUSTER_KM]


def test_region_holds_the_places_within_1000_km_of_the_place_whose_neighbours_hold_most_articles():
    """Found with dot products on the unit sphere (every pair of places is compared), the
    region is the one the haversine distance gives: around the densest cluster, and no wider
    than a continent."""
    rng = random.Random(19)
    for _ in range(5):
        located = [
            (
                (rng.uniform(44, 56), rng.uniform(22, 42))
                if rng.random() < 0.6
                else (rng.uniform(-50, 70), rng.uniform(-170, 175)),
                rng.randint(1, 40),
            )
            for _ in range(150)
        ]
        places = [
            (Entity(f"p{i}", "place", f"P{i}", (), "", Source("p.yml", 1), coordinates=p), c)
            for i, (p, c) in enumerate(located)
        ]
        region = region_view(places)
        assert region is not None and region.east - region.west < 90
        cluster = _haversine_cluster(located)
        assert len(cluster) > 1 and all(region.holds(*p) for p in cluster)
        lats, lons = [lat for lat, _ in cluster], [lon for _, lon in cluster]
        # Centred on that cluster's box (to the rounding of the view's edges).
        assert abs((region.south + region.north) / 2 - (min(lats) + max(lats)) / 2) < 0.02
        assert abs((region.west + region.east) / 2 - (min(lons) + max(lons)) / 2) < 0.02
