"""What a build renders again: the site cut into units, each with a key.

A unit is what one item puts on the site: an article (its page and its citation downloads), an
entity's first page (with its feeds), each further page of an entity, a year's date pages, or a
set rendered whole (the dates index, the listings, the kind indexes, the quote pages, the site's
and the sources' feeds, the base maps). A unit's key is a digest of everything its output is
made from:

- every unit: the rendering code, the settings, the registry and the archive's map views;
- an article: its own linked record (front matter, text, mentions, dates, quotations), the
  records of the articles it lists (read next, earlier, later) and the article counts of the
  places it names (its map's circles);
- an entity's first page (with its feeds): the records of the articles that name it or quote
  it (its lists, snippets, companions, timeline and feeds all come from them); each further
  page: the records of the articles it lists, of the entity's first and last, and their count;
- a year's date pages (its days, its months, itself): the records of the articles published
  in it or naming a day, month or year of it, and which days and months have pages;
- the sets: every article's record (they list or count them all); the base maps only the maps'
  views.

A build that has the units of the previous one (their keys and the paths they wrote) renders
only the units whose key changed or that are new, and keeps the other units' files as they are:
what it renders, and so the site, is what a clean build renders (tests/test_render_units.py).
"""

from __future__ import annotations

import hashlib
import pickle
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..link.links import LinkedArchive
from ..memo import frame, framed_key
from ..memo import key as digest
from ..settings import Settings
from . import feeds
from .dates import date_periods
from .listings import term_groups
from .maps import archive_maps
from .markup import pages_of, source_page

ENTITY_WORK = 20  # an entity's first page costs about as much as listing this many articles more

PACKAGE = Path(__file__).resolve().parents[1]

# The sets rendered whole, by unit name; "maps" depends on no article. "dates" is the index
# of the date pages; each year's are a unit of their own.
SETS = ("dates", "listings", "kinds", "quotes", "feeds", "maps")


Item = int | str | tuple[int, int] | tuple[str, str]


@dataclass(frozen=True)
class Unit:
    name: str  # "article:<page>", "entity:<id>", "entity:<id>:<page number>", "dates:<year>",
    # "dates:<year>-<month>", "term:<first page>" or one of SETS
    key: str
    kind: str  # "article", "entity", "entity-page", "dates", "term" or "set"
    item: Item  # the article's or entity's position (and page number), the year, or the set's name
    work: int = 1  # about how many article lines it renders, to share the work out


NONE, QUOTED = frame("-"), frame("quoted")  # parts of keys: no article there; the quoted follow

# The state a build leaves for the next: unit name -> (key, pages, files).
State = Mapping[str, tuple[str, tuple[str, ...], tuple[str, ...]]]


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the package's code and data: rendering code changed, every unit changed."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".gz", ".json", ".yml", ".yaml") and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def records(linked: LinkedArchive) -> list[str]:
    """Each article's linked record as a digest: what any page may show of it.

    For an article read from a file, the digest of that file's place and bytes: the article,
    and what linking finds in it, follow from them and from what every key holds besides (the
    registry, the settings, the code), which is cheaper than a digest of the record itself.
    """
    return [
        links.article.read_from
        or digest(
            pickle.dumps(
                (links.article, links.mentions, links.entity_ids, links.date_refs, links.quotes),
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        )
        for links in linked.links
    ]


def feed_articles(linked: LinkedArchive, record: list[str]) -> Iterator[str]:
    """What the site's feeds show (feeds.site_feeds): the newest articles, and each source's
    newest under the source as its oldest article writes it."""
    yield from (record[i] for i in range(len(linked.links) - 1, -1, -1)[: feeds.NEWEST])
    by_source: dict[str, list[int]] = {}
    for index, links in enumerate(linked.links):
        by_source.setdefault(source_page(links.article.source), []).append(index)
    for page, indices in by_source.items():
        yield page + "\0" + linked.links[indices[0]].article.source
        yield from (record[i] for i in indices[::-1][: feeds.PER_FEED])


def units(linked: LinkedArchive, settings: Settings) -> Iterator[Unit]:
    """Every unit of the site with its key: the sets, the years of date pages, the articles, then
    the entities and their further pages."""
    maps = archive_maps(linked)
    common = digest(
        code_version(),
        repr(settings),
        pickle.dumps(linked.archive.entities, protocol=pickle.HIGHEST_PROTOCOL),
        repr(maps.region),
    )
    record = records(linked)
    # Each part framed once: an article's record is part of the keys of every page listing it.
    framed = [frame(r) for r in record]
    start = frame(common)
    everything = framed_key(start, *framed)
    keys = {"maps": common, "feeds": digest(common, *feed_articles(linked, record))}
    for name in SETS:
        yield Unit(name, keys.get(name, everything), "set", name)
    # A month's day pages and month page: the records of the articles published in it or naming
    # a day, week or month in it, and which days and months have pages (their neighbours link).
    # A year's page: the records of the articles naming that year, the months that have pages
    # and how many articles each published.
    days, months, years = date_periods(linked)
    periods = frame(digest(*(d.isoformat() for d in days), *(f"{y}-{m}" for y, m in months)))
    of_month: dict[tuple[int, int], dict[int, None]] = {month: {} for month in months}
    of_year: dict[int, dict[int, None]] = {year: {} for year in years}
    published: Counter[tuple[int, int]] = Counter()
    for index, links in enumerate(linked.links):
        day = links.article.date
        of_month[day.year, day.month][index] = None
        published[day.year, day.month] += 1
        for ref in links.date_refs:
            if ref.granularity == "year":
                of_year[ref.value.year][index] = None
            else:
                of_month[ref.value.year, ref.value.month][index] = None
    for year, month in months:
        key = framed_key(start, periods, *(framed[i] for i in of_month[year, month]))
        yield Unit(f"dates:{year}-{month:02d}", key, "dates", (year, month), len(of_month[year, month]))
    for year in years:
        in_months = [f"{m}={published[year, m]}" for m in range(1, 13)]
        key = framed_key(start, periods, *map(frame, in_months), *(framed[i] for i in of_year[year]))
        yield Unit(f"dates:{year}", key, "dates", year, len(of_year[year]))
    # A term's pages (a source's, a tag's…): the records of its articles.
    for grouping in settings.groupings:
        for first, (_, indices) in term_groups(linked, grouping).items():
            key = framed_key(start, *(framed[i] for i in indices))
            yield Unit(f"term:{first}", key, "term", (grouping.key, first), len(indices))
    entities = linked.archive.entity_index()
    counts = maps.counts
    for index, links in enumerate(linked.links):
        shown = [*links.related, links.previous, links.next]
        places = [f"{e}={counts.get(e, 0)}" for e in links.entity_ids if entities[e].coordinates is not None]
        key = framed_key(
            start, framed[index], *(framed[i] if i is not None else NONE for i in shown), *map(frame, places)
        )
        yield Unit(f"article:{links.article.path}", key, "article", index)
    for position, entity in enumerate(linked.archive.entities):
        named = linked.by_entity.get(entity.id, ())
        quoted = [i for i, _ in linked.by_speaker.get(entity.id, ())]
        key = framed_key(start, *(framed[i] for i in named), QUOTED, *(framed[i] for i in quoted))
        chunks = pages_of(named[::-1])
        work = ENTITY_WORK + len(named) // 10 + len(chunks[0])
        yield Unit(f"entity:{entity.id}", key, "entity", position, work)
        # Its further pages: each lists its run of articles under the entity's facts (how many
        # articles, the first and last day) and a pager.
        for number, chunk in enumerate(chunks[1:], 2):
            key = framed_key(
                start,
                frame(str(number)),
                frame(str(len(named))),
                framed[named[0]],
                framed[named[-1]],
                *(framed[i] for i in chunk),
            )
            yield Unit(f"entity:{entity.id}:{number}", key, "entity-page", (position, number), len(chunk))


def usable(state: object, files: Collection[str]) -> State | None:
    """A state read back from the pages folder (JSON) when it has the shape a build leaves and
    every path it names is a file recorded there; None otherwise (then everything is rendered)."""
    if not isinstance(state, dict):
        return None
    found: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}
    for name, entry in state.items():
        if not (
            isinstance(name, str)
            and isinstance(entry, list | tuple)
            and len(entry) == 3
            and isinstance(entry[0], str)
            and all(isinstance(paths, list | tuple) for paths in entry[1:])
        ):
            return None
        pages, downloads = tuple(entry[1]), tuple(entry[2])
        if not all(isinstance(path, str) and path in files for path in (*pages, *downloads)):
            return None
        found[name] = (entry[0], pages, downloads)
    return found
