"""The pipeline from an archive folder to generated pages: check, link, render. No MkDocs here."""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from .check.run import CheckReport, check_archive
from .link.links import LinkedArchive, link
from .memo import Memo
from .render import Sink, render_site
from .render.units import State, usable
from .search import search_page
from .search.page import PAGE as SEARCH_PAGE
from .settings import DEFAULT, Settings


@dataclass(frozen=True)
class SitePages:
    """Generated pages, keyed by their path under the docs folder ('entities/kremlin.md')."""

    pages: dict[str, str]
    report: CheckReport
    linked: LinkedArchive | None = None
    # Files of the site that are no page (citation downloads, feeds), by path under its root.
    files: dict[str, str] = field(default_factory=dict)
    # Pages and files not rendered now: the previous build's, unchanged (render.units).
    kept_pages: frozenset[str] = frozenset()
    kept_files: frozenset[str] = frozenset()
    state: State = field(default_factory=dict)  # what the next build is given as `previous`
    # Every page and file rendered now, also those that went to the sink (not in pages, files).
    page_paths: frozenset[str] = frozenset()
    file_paths: frozenset[str] = frozenset()


def build_pages(
    root: Path,
    memo_file: Path | None = None,
    settings: Settings = DEFAULT,
    previous: Callable[[], tuple[object, Collection[str]] | None] | None = None,
    sink: Sink | None = None,
    linked_hook: Callable[[LinkedArchive], None] | None = None,
    hold: bool = False,
) -> SitePages:
    """Check the archive; when it has no errors, link it and render every generated page.

    memo_file: where to keep per-file results between builds (see memo.py); none by default.
    settings: the content model (title, entity kinds) from the `archive` plugin's options.
    previous: reads the state of the build whose pages and files are kept, with the paths of
    those files (publish.read_state): only what changed since is rendered (render.units), the
    rest is listed in kept_pages and kept_files. Called once the archive is linked, after
    linked_hook: the search files' processes start that much sooner (a third of a second of a
    one-article rebuild at 10,000 articles).
    sink: given the pages and files as they are rendered, which are then not held in memory
    (pages and files hold none of them; page_paths and file_paths name them).
    linked_hook: called with the linked archive before rendering (to start writing the search
    files meanwhile).
    hold: what the build loads and links is held to its end by a caller that then calls
    gc.unfreeze(): it is left out of the cycle collector's walks (gc.freeze) once loaded and
    once linked. Each walk of a memo's millions of objects cost a tenth of a one-article
    rebuild at 10,000 articles; forked workers share these objects' pages the better (Python's
    advice for gc.freeze).
    """
    memo = Memo(memo_file) if memo_file else None
    if hold:
        gc.freeze()
    report = check_archive(root, memo=memo, settings=settings)
    if report.errors:
        return SitePages({}, report)
    linked = link(report.archive, memo=memo)
    if memo:
        memo.save()
        memo = None  # its tables hold every file's parse: not kept while pages are rendered
    if hold:
        gc.freeze()
    if linked_hook:
        linked_hook(linked)
    state = previous() if previous else None
    rendered = render_site(linked, settings, usable(*state) if state else None, sink=sink)
    search = {SEARCH_PAGE: search_page(settings)}
    if sink:
        sink(search, {})
    return SitePages(
        {**rendered.pages, **search} if not sink else {},
        report,
        linked,
        rendered.files,
        rendered.kept_pages,
        rendered.kept_files,
        rendered.state,
        rendered.page_paths | search.keys(),
        rendered.file_paths,
    )
