"""The pipeline from an archive folder to generated pages: check, link, render. No MkDocs here."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .check import CheckReport, check_archive


@dataclass(frozen=True)
class SitePages:
    """Generated pages, keyed by their path under the docs folder ('entities/kremlin.md')."""

    pages: dict[str, str]
    report: CheckReport


def build_pages(root: Path) -> SitePages:
    """Check the archive and render every generated page (STUB: rendering comes next)."""
    report = check_archive(root)
    pages = {"index.md": "# Archive\n\n" + "\n".join(
        f"- [{a.title}](articles/{a.date:%Y/%m}/{a.slug}.md)" for a in report.archive.articles)}
    for a in report.archive.articles:
        pages[f"articles/{a.date:%Y/%m}/{a.slug}.md"] = f"# {a.title}\n\n{a.body}\n"
    return SitePages(pages, report)
