"""Rendering pages on every core: MkDocs reads and fills each page's template in turn, in one
process; while it builds for us, its calls are gathered and, once it has asked for every page,
run in forked workers, each writing its share. The archive's pages and the hand-written ones
alike, each by the same code as in one process, so the output is the same. A generated page
outside the nav is also read in its worker (`deferred`): no other page needs anything of it.
A warning a worker logs counts against a strict build as one in MkDocs' own process would;
what the pages' writing records in a worker (`written`) is handed back to the build's process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator
from typing import Any

PARALLEL_FROM = 200  # pages: below this, starting worker processes costs more than it saves
_CALLS: list[tuple[Any, ...]] = []
_REAL: dict[str, Any] = {}
_DEFERRED: dict[int, tuple[Any, ...]] = {}  # id(page) -> the arguments of its _populate_page
_WRITTEN: list[dict[str, Any]] = []  # the dict the page writers fill, in each process


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _render(span: tuple[int, int]) -> int:
    """Fill and write the pages of calls [start, stop); the number of warnings logged."""
    counter = _Count()
    logging.getLogger("mkdocs").addHandler(counter)
    try:
        for page, config, doc_files, args, kwargs in _CALLS[span[0] : span[1]]:
            reading = _DEFERRED.get(id(page))
            if reading is not None:
                _REAL["populate"](*reading)
            _REAL["build"](page, config, doc_files, *args, **kwargs)
            # Written: its HTML is needed no more. MkDocs keeps it on the page, so a process
            # that fills half the pages of a large site would end up holding half its HTML.
            page.content = None
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
    return counter.count


def _render_in_worker(span: tuple[int, int]) -> tuple[int, dict[str, Any]]:
    """_render in a worker, with what writing the pages recorded in its copy of `written`
    (emptied for its next span)."""
    count = _render(span)
    if not _WRITTEN:
        return count, {}
    added = dict(_WRITTEN[0])
    _WRITTEN[0].clear()
    return count, added


def _run_all(workers: int) -> None:
    calls = len(_CALLS)
    if workers < 2 or calls < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        _render((0, calls))  # in this process: written is filled in place
        return
    # Small spans, handed out in turn, so that both workers finish together; a page's cost
    # varies tenfold (an entity named in thousands of articles against a day with one).
    step = max(1, min(64, calls // (workers * 8)))
    spans = [(start, min(start + step, calls)) for start in range(0, calls, step)]
    warnings = 0
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for count, added in pool.imap_unordered(_render_in_worker, spans):
            warnings += count
            if _WRITTEN:
                _WRITTEN[0].update(added)
    for _ in range(warnings):  # seen by MkDocs' strict-mode counter, as the workers' were
        logging.getLogger("mkdocs.commands.build").warning("a page's template logged a warning (above)")


@contextlib.contextmanager
def pages_in_parallel(
    deferred: Callable[[str], bool], workers: int | None = None, written: dict[str, Any] | None = None
) -> Iterator[None]:
    """While MkDocs builds: its page-filling calls gathered, then run across `workers`; the
    pages for which `deferred(src_uri)` holds are read there too. written: a dict that writing
    a page adds to (publish.build records each file it writes); what the workers add to their
    copies of it is added to it."""
    from mkdocs.commands import build as mkdocs_build

    workers = workers or min(2, os.cpu_count() or 1)
    real, real_populate = mkdocs_build._build_page, mkdocs_build._populate_page

    def populate(page: Any, config: Any, files: Any, *args: Any) -> None:
        if deferred(page.file.src_uri):
            _DEFERRED[id(page)] = (page, config, files, *args)
        else:
            real_populate(page, config, files, *args)

    def gather(page: Any, config: Any, doc_files: Any, *args: Any, **kwargs: Any) -> None:
        _CALLS.append((page, config, doc_files, args, kwargs))
        if len(_CALLS) == len(doc_files):  # MkDocs has asked for every page: fill them all
            try:
                _run_all(workers)
            finally:
                _CALLS.clear()
                _DEFERRED.clear()

    _REAL.update(build=real, populate=real_populate)
    _WRITTEN[:] = [written] if written is not None else []
    mkdocs_build._build_page, mkdocs_build._populate_page = gather, populate  # type: ignore[assignment]
    try:
        yield
    finally:
        mkdocs_build._build_page, mkdocs_build._populate_page = real, real_populate
        _CALLS.clear()
        _REAL.clear()
        _DEFERRED.clear()
        _WRITTEN.clear()
