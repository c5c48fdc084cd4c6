"""Rendering: a linked archive -> {page path: Markdown}. Pure: no I/O, no MkDocs.

Pages are independent of one another once the archive is linked, so the work is cut into jobs
(ranges of articles, batches of entities, the date pages, the listings) that run in two
processes on a large archive. Forked workers inherit the linked archive instead of receiving
a pickled copy; the output is the same as from one process, in the same order.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable

from ..link.links import LinkedArchive
from .articles import render_article
from .dates import render_dates
from .entities import render_entity, render_type_index
from .listings import render_home, render_sources, render_tags
from .markup import TYPE_PAGES, add_pages
from .timeline import render_timeline

__all__ = ["render"]

PARALLEL_FROM = 2000  # articles; below this a second process costs more than it saves
ARTICLES_PER_JOB = 500
ENTITIES_PER_JOB = 250

Job = tuple[str, int, int]  # kind, start, stop
_SHARED: dict[str, LinkedArchive] = {}


def _articles(linked: LinkedArchive, start: int, stop: int) -> dict[str, str]:
    entities = linked.archive.entity_index()
    return dict(render_article(linked, index, entities) for index in range(start, stop))


def _entities(linked: LinkedArchive, start: int, stop: int) -> dict[str, str]:
    index = linked.archive.entity_index()
    pages: dict[str, str] = {}
    for entity in linked.archive.entities[start:stop]:
        add_pages(pages, render_entity(linked, entity, index))
    return pages


def _type_indexes(linked: LinkedArchive, start: int, stop: int) -> dict[str, str]:
    pages: dict[str, str] = {}
    for kind in TYPE_PAGES:
        of_kind = [e for e in linked.archive.entities if e.type == kind]
        add_pages(pages, render_type_index(linked, kind, of_kind))
    return pages


def _listings(linked: LinkedArchive, start: int, stop: int) -> dict[str, str]:
    pages: dict[str, str] = {}
    for part in (render_sources(linked), render_tags(linked), render_timeline(linked), render_home(linked)):
        add_pages(pages, part)
    return pages


def _dates(linked: LinkedArchive, start: int, stop: int) -> dict[str, str]:
    return render_dates(linked)


KINDS: dict[str, Callable[[LinkedArchive, int, int], dict[str, str]]] = {
    "articles": _articles, "entities": _entities, "types": _type_indexes,
    "listings": _listings, "dates": _dates,
}


def jobs(linked: LinkedArchive) -> list[Job]:
    """The work, largest first so that two workers finish together."""
    articles, entities = len(linked.links), len(linked.archive.entities)
    found: list[Job] = [("dates", 0, 0), ("listings", 0, 0), ("types", 0, 0)]
    found += [("articles", i, min(i + ARTICLES_PER_JOB, articles))
              for i in range(0, articles, ARTICLES_PER_JOB)]
    found += [("entities", i, min(i + ENTITIES_PER_JOB, entities))
              for i in range(0, entities, ENTITIES_PER_JOB)]
    return found


def _run(job: Job) -> dict[str, str]:
    kind, start, stop = job
    return KINDS[kind](_SHARED["linked"], start, stop)


def render(linked: LinkedArchive, workers: int | None = None) -> dict[str, str]:
    workers = workers or min(2, os.cpu_count() or 1)
    pages: dict[str, str] = {}
    todo = jobs(linked)
    if (workers < 2 or len(linked.links) < PARALLEL_FROM
            or "fork" not in multiprocessing.get_all_start_methods()):
        for kind, start, stop in todo:
            add_pages(pages, KINDS[kind](linked, start, stop))
    else:
        _SHARED["linked"] = linked
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for part in pool.imap_unordered(_run, todo):
                    add_pages(pages, part)
        finally:
            _SHARED.clear()
    return dict(sorted(pages.items()))
