"""Rendering: a linked archive -> {page path: Markdown} and the site's other files. Pure: no I/O,
no MkDocs.

The site is cut into units (units.py: an article's page and downloads, an entity's pages and
feeds, the sets rendered whole), each with a key; `render_site` renders every unit, or, given
the state the previous build left, only the units whose key changed. Units are independent of
one another once the archive is linked, so they run in two processes on a large archive: forked
workers inherit the linked archive instead of receiving a pickled copy; the output is the same as
from one process, in the same order.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..link.links import LinkedArchive
from ..settings import DEFAULT, Settings
from .articles import render_article
from .citation import article_citations
from .dates import DateTables, date_tables, render_dates
from .entities import render_entity, render_kind_index
from .feeds import FeedEntries, entity_feeds, site_feeds
from .listings import Terms, render_groupings, render_home, term_groups
from .maps import archive_maps, map_files
from .markup import add_pages
from .quotes import render_quotes
from .timeline import dated_events, render_timeline
from .units import Item, State, Unit, units

__all__ = ["Rendered", "Sink", "render", "render_site"]

PARALLEL_FROM = 2000  # articles; below this a second process costs more than it saves
ARTICLES_PER_JOB = 500
JOBS_AHEAD = 8  # jobs handed out to the workers and not yet taken in by this process

Output = tuple[dict[str, str], dict[str, str]]  # pages, files
Sink = Callable[[dict[str, str], dict[str, str]], None]
Job = tuple[str, tuple[Item, ...]]  # a kind of unit and its items
_SHARED: dict[str, object] = {}


@dataclass(frozen=True)
class Rendered:
    """What a build renders: the pages and files of the units rendered now, the paths of the
    units kept from the previous build (their files are as it left them), and the state for
    the next build."""

    pages: dict[str, str]  # empty when they went to a sink
    files: dict[str, str]
    page_paths: frozenset[str]  # the pages rendered now
    file_paths: frozenset[str]
    kept_pages: frozenset[str]
    kept_files: frozenset[str]
    state: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]


def _listings(linked: LinkedArchive, settings: Settings) -> dict[str, str]:
    """The home page, the index page of every grouping (sources, tags…; each term's pages are
    units of their own) and the timeline."""
    pages: dict[str, str] = {}
    groupings = render_groupings(linked, settings, only=())
    for part in (groupings, render_timeline(linked), render_home(linked, settings)):
        add_pages(pages, part)
    return pages


def _kinds(linked: LinkedArchive, settings: Settings) -> dict[str, str]:
    """One page per entity kind of the settings: its entities, most named first."""
    pages: dict[str, str] = {}
    for kind in settings.entity_kinds:
        of_kind = [e for e in linked.archive.entities if e.type == kind.id]
        add_pages(pages, render_kind_index(linked, kind, of_kind, settings))
    return pages


SET_RENDERERS: dict[str, Callable[[LinkedArchive, Settings], Output]] = {
    "dates": lambda linked, settings: ({"dates.md": render_dates(linked, only=())["dates.md"]}, {}),
    "listings": lambda linked, settings: (_listings(linked, settings), {}),
    "kinds": lambda linked, settings: (_kinds(linked, settings), {}),
    "quotes": lambda linked, settings: (render_quotes(linked), {}),
    "feeds": lambda linked, settings: ({}, site_feeds(linked, settings)),
    "maps": lambda linked, settings: ({}, map_files(linked)),
}


class _Context:
    """What the units of one job share: the registry by id, the dated events, the feeds'
    entries (an article is in the feed of every entity it names, the same each time)."""

    def __init__(self, linked: LinkedArchive, settings: Settings) -> None:
        self.linked, self.settings = linked, settings
        self.entities = linked.archive.entity_index()
        self.events = dated_events(linked)
        self.entries = FeedEntries(settings)
        self.dates: DateTables | None = None  # made for the first date page
        self.terms: dict[str, Terms] | None = None  # made for the first term page

    def render(self, kind: str, item: Item) -> Output:
        linked, settings = self.linked, self.settings
        if kind == "article":
            assert isinstance(item, int)
            path, page = render_article(linked, item, self.entities, settings)
            return {path: page}, article_citations(linked.links[item].article, settings)
        if kind == "entity":
            assert isinstance(item, int)
            entity = linked.archive.entities[item]
            pages = render_entity(linked, entity, self.entities, settings, self.events, numbers=(1,))
            return pages, entity_feeds(linked, settings, [entity], self.entries)
        if kind == "dates":  # a year, or a month (year, month)
            assert isinstance(item, int) or (isinstance(item, tuple) and isinstance(item[1], int))
            if self.dates is None:
                self.dates = date_tables(linked)
            return render_dates(linked, only=(item,), index=False, tables=self.dates), {}
        if kind == "term":  # (a grouping's key, the first page of one of its terms)
            assert isinstance(item, tuple) and isinstance(item[1], str)
            if self.terms is None:
                self.terms = {g.key: term_groups(linked, g) for g in settings.groupings}
            return render_groupings(linked, settings, only=(item[1],), groups=self.terms, index=False), {}
        if kind == "entity-page":
            assert isinstance(item, tuple) and isinstance(item[0], int) and isinstance(item[1], int)
            entity = linked.archive.entities[item[0]]
            return render_entity(linked, entity, self.entities, settings, self.events, numbers=(item[1],)), {}
        assert isinstance(item, str)
        return SET_RENDERERS[item](linked, settings)


def _run_job(context: _Context, job: Job) -> list[Output]:
    kind, items = job
    try:
        return [context.render(kind, item) for item in items]
    finally:
        context.entries.forget_entries()  # memory: a job's feed entries, not the archive's


def _run(job: Job) -> list[Output]:
    """One job in a forked worker, whose context (the feeds' entries above all) serves every job
    it runs: an article is summarised once per worker, not once per run of entities naming it."""
    context = _SHARED.get("context")
    if context is None:
        linked, settings = _SHARED["linked"], _SHARED["settings"]
        assert isinstance(linked, LinkedArchive) and isinstance(settings, Settings)
        context = _SHARED["context"] = _Context(linked, settings)
    assert isinstance(context, _Context)
    return _run_job(context, job)


def jobs(todo: list[Unit]) -> list[Job]:
    """The work: the sets first, each a job, then runs of articles, then runs of entities of
    about equal work (an entity's pages list every article naming it), so that two workers
    finish together."""
    found: list[Job] = [("set", (unit.item,)) for unit in todo if unit.kind == "set"]
    items = [unit.item for unit in todo if unit.kind == "article"]
    found += [
        ("article", tuple(items[i : i + ARTICLES_PER_JOB])) for i in range(0, len(items), ARTICLES_PER_JOB)
    ]
    run: list[Item] = []
    work = 0
    for kind in ("dates", "term", "entity", "entity-page"):
        for unit in todo:
            if unit.kind != kind:
                continue
            run.append(unit.item)
            work += unit.work
            if work >= ARTICLES_PER_JOB * 10:
                found.append((kind, tuple(run)))
                run, work = [], 0
        if run:
            found.append((kind, tuple(run)))
            run, work = [], 0
    return found


def render_site(
    linked: LinkedArchive,
    settings: Settings = DEFAULT,
    previous: State | None = None,
    workers: int | None = None,
    sink: Sink | None = None,
) -> Rendered:
    """Every unit of the site, or with `previous` (the state of the build whose files are kept)
    only the units whose key is not the one recorded there.

    sink: given each unit's pages and files as they are rendered, in a fixed order; they are then
    not kept (Rendered.pages and .files stay empty), so memory holds no more than a job's output.
    """
    workers = workers or min(2, os.cpu_count() or 1)
    archive_maps(linked)  # worked out once, before any worker is forked
    every = list(units(linked, settings))
    old = previous or {}
    todo = [unit for unit in every if unit.name not in old or old[unit.name][0] != unit.key]
    work = jobs(todo)
    by_item = {(unit.kind, unit.item): unit for unit in todo}
    collected = _Collected(sink)
    if (
        workers < 2
        or len(work) < 2
        or len(linked.links) < PARALLEL_FROM
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        context = _Context(linked, settings)
        for job in work:
            collected.add(_units_of(job, by_item), _run_job(context, job))
    else:
        _SHARED.update(linked=linked, settings=settings)
        # At most JOBS_AHEAD jobs are out (handed to the workers, their output not yet taken
        # in): the workers render faster than this process writes every file, and the output
        # waiting for it grew with the archive (at 100,000 articles this process peaked at
        # 4.7 GB, and MkDocs' page workers forked from it at 4.5 GB; 2.0 GB with the bound).
        room = threading.Semaphore(JOBS_AHEAD)
        stop = threading.Event()

        def handed_out() -> Iterator[Job]:  # run by the pool's thread that hands out jobs
            for job in work:
                room.acquire()
                if stop.is_set():
                    return
                yield job

        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                try:
                    for job, part in zip(work, pool.imap(_run, handed_out()), strict=True):
                        collected.add(_units_of(job, by_item), part)
                        room.release()
                finally:  # a failure here: the hand-out must end before the pool can close
                    stop.set()
                    room.release(len(work))
        finally:
            _SHARED.clear()
    state = collected.state
    kept_pages: set[str] = set()
    kept_files: set[str] = set()
    for unit in every:
        if unit.name not in state:
            key, paths, downloads = old[unit.name]
            state[unit.name] = (key, tuple(paths), tuple(downloads))
            kept_pages.update(paths)
            kept_files.update(downloads)
    clash = (kept_pages & collected.page_paths) | (kept_files & collected.file_paths)
    if clash:
        raise ValueError(f"two pages at {min(clash)}")
    return Rendered(
        dict(sorted(collected.pages.items())),
        dict(sorted(collected.files.items())),
        frozenset(collected.page_paths),
        frozenset(collected.file_paths),
        frozenset(kept_pages),
        frozenset(kept_files),
        dict(sorted(state.items())),
    )


class _Collected:
    """The units' output as it comes: to the sink, or kept; their paths and state in any case."""

    def __init__(self, sink: Sink | None) -> None:
        self.sink = sink
        self.pages: dict[str, str] = {}
        self.files: dict[str, str] = {}
        self.page_paths: set[str] = set()
        self.file_paths: set[str] = set()
        self.state: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}

    def add(self, done: list[Unit], outputs: list[Output]) -> None:
        for unit, (pages, files) in zip(done, outputs, strict=True):
            for paths, more in ((self.page_paths, pages), (self.file_paths, files)):
                clash = paths & more.keys()
                if clash:
                    raise ValueError(f"two pages at {min(clash)}")
                paths.update(more)
            if self.sink:
                self.sink(pages, files)
            else:
                self.pages.update(pages)
                self.files.update(files)
            self.state[unit.name] = (unit.key, tuple(sorted(pages)), tuple(sorted(files)))


def _units_of(job: Job, by_item: dict[tuple[str, Item], Unit]) -> list[Unit]:
    kind, items = job
    return [by_item[kind, item] for item in items]


def render(linked: LinkedArchive, settings: Settings = DEFAULT, workers: int | None = None) -> dict[str, str]:
    """Every page of the site, {path under the docs folder: Markdown}."""
    return render_site(linked, settings, workers=workers).pages
