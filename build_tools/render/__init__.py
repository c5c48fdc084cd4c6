"""Rendering: a linked archive -> {page path: Markdown}. Pure: no I/O, no MkDocs.

Pages are independent of one another once the archive is linked, so the work is cut into jobs
(ranges of articles, batches of entities, the date pages, the listings) that run in two
processes on a large archive. Forked workers inherit the linked archive instead of receiving
a pickled copy; the output is the same as from one process, in the same order.
"""

from __future__ import annotations

import multiprocessing
import os

from ..link.links import LinkedArchive
from ..settings import DEFAULT, Settings
from .articles import render_article
from .citation import citation_files
from .dates import render_dates
from .entities import render_entity, render_kind_index
from .feeds import feed_files
from .listings import render_groupings, render_home
from .maps import archive_maps, map_files
from .markup import add_pages
from .quotes import render_quotes
from .timeline import dated_events, render_timeline

__all__ = ["PAGE_SETS", "PageSet", "render", "render_files"]

PARALLEL_FROM = 2000  # articles; below this a second process costs more than it saves

Job = tuple[int, int, int]  # page set (its position in PAGE_SETS), start, stop
_SHARED: dict[str, object] = {}


class PageSet:
    """A kind of page. render() gives the pages of items [start, stop) of the set: articles,
    entities, or one item for sets rendered whole (listings, dates). A new page type is one
    subclass added to PAGE_SETS."""

    per_job = 0  # items per job; 0: the set is rendered whole, in one job

    def size(self, linked: LinkedArchive) -> int:
        return 1

    def render(self, linked: LinkedArchive, settings: Settings, start: int, stop: int) -> dict[str, str]:
        raise NotImplementedError


class ArticlePages(PageSet):
    per_job = 500

    def size(self, linked: LinkedArchive) -> int:
        return len(linked.links)

    def render(self, linked: LinkedArchive, settings: Settings, start: int, stop: int) -> dict[str, str]:
        entities = linked.archive.entity_index()
        return dict(render_article(linked, index, entities, settings) for index in range(start, stop))


class EntityPages(PageSet):
    per_job = 250

    def size(self, linked: LinkedArchive) -> int:
        return len(linked.archive.entities)

    def render(self, linked: LinkedArchive, settings: Settings, start: int, stop: int) -> dict[str, str]:
        index = linked.archive.entity_index()
        events = dated_events(linked)
        pages: dict[str, str] = {}
        for entity in linked.archive.entities[start:stop]:
            add_pages(pages, render_entity(linked, entity, index, settings, events))
        return pages


class KindIndexes(PageSet):
    """One page per entity kind of the settings: its entities, most named first."""

    def render(self, linked: LinkedArchive, settings: Settings, start: int, stop: int) -> dict[str, str]:
        pages: dict[str, str] = {}
        for kind in settings.entity_kinds:
            of_kind = [e for e in linked.archive.entities if e.type == kind.id]
            add_pages(pages, render_kind_index(linked, kind, of_kind, settings))
        return pages


class Listings(PageSet):
    """The home page, the pages of every grouping (sources, tags…) and the timeline."""

    def render(self, linked: LinkedArchive, settings: Settings, start: int, stop: int) -> dict[str, str]:
        pages: dict[str, str] = {}
        for part in (
            render_groupings(linked, settings),
            render_timeline(linked),
            render_home(linked, settings),
        ):
            add_pages(pages, part)
        return pages


class QuotePages(PageSet):
    """Each quoted person's quotations, and the page of everyone quoted."""

    def render(self, linked: LinkedArchive, settings: Settings, start: int, stop: int) -> dict[str, str]:
        return render_quotes(linked)


class DatePages(PageSet):
    def render(self, linked: LinkedArchive, settings: Settings, start: int, stop: int) -> dict[str, str]:
        return render_dates(linked)


PAGE_SETS: tuple[PageSet, ...] = (
    DatePages(),
    Listings(),
    KindIndexes(),
    QuotePages(),
    ArticlePages(),
    EntityPages(),
)


def jobs(linked: LinkedArchive) -> list[Job]:
    """The work: whole sets first, then runs of articles and entities, so that two workers
    finish together."""
    found: list[Job] = []
    for number, page_set in enumerate(PAGE_SETS):
        size = page_set.size(linked)
        step = page_set.per_job or size or 1
        found += [(number, i, min(i + step, size)) for i in range(0, size, step)]
    return sorted(found, key=lambda job: PAGE_SETS[job[0]].per_job > 0)


def _run(job: Job) -> dict[str, str]:
    number, start, stop = job
    linked, settings = _SHARED["linked"], _SHARED["settings"]
    assert isinstance(linked, LinkedArchive) and isinstance(settings, Settings)
    return PAGE_SETS[number].render(linked, settings, start, stop)


def render(linked: LinkedArchive, settings: Settings = DEFAULT, workers: int | None = None) -> dict[str, str]:
    workers = workers or min(2, os.cpu_count() or 1)
    pages: dict[str, str] = {}
    todo = jobs(linked)
    archive_maps(linked)  # worked out once, before any worker is forked
    if (
        workers < 2
        or len(linked.links) < PARALLEL_FROM
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        for number, start, stop in todo:
            add_pages(pages, PAGE_SETS[number].render(linked, settings, start, stop))
    else:
        _SHARED.update(linked=linked, settings=settings)
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for part in pool.imap_unordered(_run, todo):
                    add_pages(pages, part)
        finally:
            _SHARED.clear()
    return dict(sorted(pages.items()))


def render_files(linked: LinkedArchive, settings: Settings = DEFAULT) -> dict[str, str]:
    """The site's files that are no page: each article's citation downloads (and the feeds),
    {path under the site's root: text}. Pure, as the pages are."""
    files: dict[str, str] = {}
    add_pages(files, citation_files(linked, settings))
    add_pages(files, feed_files(linked, settings))
    add_pages(files, map_files(linked))
    return dict(sorted(files.items()))
