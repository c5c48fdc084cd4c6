"""The pipeline from an archive folder to generated pages: check, link, render. No MkDocs here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .check.run import CheckReport, check_archive
from .link.links import LinkedArchive, link
from .memo import Memo
from .render import render, render_files
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


def build_pages(root: Path, memo_file: Path | None = None, settings: Settings = DEFAULT) -> SitePages:
    """Check the archive; when it has no errors, link it and render every generated page.

    memo_file: where to keep per-file results between builds (see memo.py); none by default.
    settings: the content model (title, entity kinds) from the `archive` plugin's options.
    """
    memo = Memo(memo_file) if memo_file else None
    report = check_archive(root, memo=memo, settings=settings)
    if report.errors:
        return SitePages({}, report)
    linked = link(report.archive, memo=memo)
    if memo:
        memo.save()
    pages = render(linked, settings)
    pages[SEARCH_PAGE] = search_page(settings)
    return SitePages(pages, report, linked, render_files(linked, settings))
