"""What a dirty build need not show MkDocs: the generated pages and files it would not write.

MkDocs' dirty build writes a page or file only when its source is newer than its output, yet it
still makes a File and a Page of every one, reads each page's source, and lists them all for the
nav and the sitemap: at 10,000 articles, 50,000 outputs cost seconds though one changed. An
output it would skip shows nowhere but in those lists when the site has no address (the sitemap
is then empty), the nav names its pages (without one, MkDocs lists every page it is shown), no
other plugin, extra or theme template reads the pages, and no hand-written page is written now
(its links to generated pages are resolved through the list). Then the generated outputs it
would skip are left out, and the site is the one it would have made.
Nothing here knows what a page says.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from ..urls import page_url

OWN_PLUGIN = "archive"
# The theme's own pages that list no page when the site has no address (MkDocs' and Material's).
PLAIN_TEMPLATES = frozenset({"404.html", "sitemap.xml"})


def output_path(path: str, directory_urls: bool) -> str:
    """Where MkDocs writes a generated page ('a/b.md') or file ('a/b.bib') in the site folder."""
    if not path.endswith(".md"):
        return path
    url = page_url(path, directory_urls)
    return url + "index.html" if url.endswith("/") or not url else url


def nav_paths(nav: Any) -> Iterator[str]:
    """The pages the nav may name, as MkDocs looks them up in its list of files: './a/b.md'
    and '/a/b.md' (when absolute links are relative to the docs) are both 'a/b.md'."""
    if isinstance(nav, str):
        yield PurePath(nav).as_posix()
        yield PurePath(nav.lstrip("/")).as_posix()
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from nav_paths(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from nav_paths(item)


def may_withhold(config: MkDocsConfig, files: Files, dirty: bool) -> bool:
    """Whether this build may leave out of MkDocs' files the outputs it would not write."""
    return (
        dirty
        and config.nav is not None  # without one, MkDocs makes the nav of every page it is shown
        and not config.site_url
        and list(config.plugins) == [OWN_PLUGIN]
        and not config.extra_templates
        and set(config.theme.static_templates) <= PLAIN_TEMPLATES
        and not any(page.is_modified() for page in files.documentation_pages())
    )


def is_current_as_recorded(output: tuple[int, int, str] | None, source: tuple[str, int, int] | None) -> bool:
    """is_current from records taken in this build, without asking the file system again: the
    output's (files.FileRecord: size, time in ns, digest) and the source's (sync.Record: digest,
    size, time in ns). A time in ns no older than another is so as MkDocs compares them too."""
    return output is not None and source is not None and output[1] >= source[2]


def is_current(source: str, output: str) -> bool:
    """The output exists and is no older than its source: MkDocs' File.is_modified, negated."""
    try:
        found = os.stat(output)
        return stat.S_ISREG(found.st_mode) and found.st_mtime >= os.stat(source).st_mtime
    except OSError:
        return False
