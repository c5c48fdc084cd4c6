"""The pipeline from an archive folder to generated pages: check, link, render. No MkDocs here."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .check import CheckReport, check_archive
from .link import LinkedArchive, link
from .render import render


@dataclass(frozen=True)
class SitePages:
    """Generated pages, keyed by their path under the docs folder ('entities/kremlin.md')."""

    pages: dict[str, str]
    report: CheckReport
    linked: LinkedArchive | None = None


def build_pages(root: Path) -> SitePages:
    """Check the archive; when it has no errors, link it and render every generated page."""
    report = check_archive(root)
    if report.errors:
        return SitePages({}, report)
    linked = link(report.archive)
    return SitePages(render(linked), report, linked)
