"""The MkDocs plugin `archive`: hands the pages that build_tools.site generates to MkDocs.

The only module that knows MkDocs. It adds pages and stops a build on content errors; what the
pages say is decided in build_tools.site.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import logging
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import publish, site
from .link import LinkedArchive
from .model import Archive
from .problems import summary_line
from .search import write_search_index
from .search.index import DATABASE

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


__all__ = ["ArchivePlugin", "ArchivePluginConfig", "newest_article_day"]


class ArchivePluginConfig(base.Config):
    archive = c.Type(str, default="archive")
    """The archive folder (with articles/ and entities/), relative to mkdocs.yml."""
    cache_dir = c.Type(str, default=".archive-cache")
    """Where generated pages are kept between builds (relative to mkdocs.yml); the
    ARCHIVE_CACHE_DIR environment variable overrides it."""


class ArchivePlugin(BasePlugin[ArchivePluginConfig]):
    """Adds every generated page of the archive to the site, or fails the build on errors."""

    def __init__(self) -> None:
        super().__init__()
        self._set_epoch = False
        self._prebuilt: site.SitePages | None = None
        self._html: dict[str, publish.Converted] = {}
        self._removed: frozenset[str] = frozenset()
        self._linked: LinkedArchive | None = None

    def use_pages(self, pages: site.SitePages) -> None:
        """Pages the caller already generated (`archive build` checks first), used once."""
        self._prebuilt = pages

    def memo_file(self, config: MkDocsConfig) -> Path:
        """Per-file parse, mention and date results kept between builds of this site."""
        return self.pages_folder(config).parent / "memo.pickle"

    def pages_folder(self, config: MkDocsConfig) -> Path:
        """The cache folder of one site: generated pages as files, for modification times."""
        base_dir = Path(config.config_file_path or ".").parent
        cache = Path(os.environ.get("ARCHIVE_CACHE_DIR") or base_dir / self.config.cache_dir)
        key = hashlib.blake2b(str(Path(config.site_dir).absolute()).encode(), digest_size=6).hexdigest()
        return cache.absolute() / f"site-{key}" / "pages"

    def archive_root(self, config: MkDocsConfig) -> Path:
        """The archive folder; a relative `archive` option is relative to mkdocs.yml."""
        base_dir = Path(config.config_file_path or ".").parent
        return base_dir / self.config.archive

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        root = self.archive_root(config)
        if not root.is_dir():
            raise PluginError(f"archive: no archive folder at {root}")
        result, self._prebuilt = self._prebuilt or site.build_pages(root, self.memo_file(config)), None
        report = result.report
        summary = summary_line(report.problems, report.files)
        if report.errors:
            for problem in report.problems:
                print(problem.format(), file=sys.stderr)
            raise PluginError(f"archive: {summary} under {root}; `archive check` lists them")
        if report.problems:
            log.info(f"archive: {summary}; run `archive check` to see them")

        self._pin_build_date(report.archive)
        self._linked = result.linked
        synced = publish.sync_pages(result.pages, self.pages_folder(config))
        self._removed = synced.removed
        added = []
        for path in sorted(result.pages):
            existing = files.get_file_from_path(path)
            if existing is not None:
                where = existing.abs_src_path or existing.src_uri
                raise PluginError(
                    f"archive: the generated page '{path}' would replace {where}; "
                    "remove or rename that file (the archive generates this page)")
            added.append(File.generated(config, path, abs_src_path=str(synced.folder / path)))
            files.append(added[-1])
        # MkDocs renders a page when its output is missing or older than its source (every page
        # in a clean build, the changed ones in a dirty build): convert exactly those, in
        # parallel, and let MkDocs render only their headings (see on_page_markdown).
        todo = [f.src_uri for f in added if f.is_modified()]
        self._html = publish.to_html(result.pages, todo, list(config.markdown_extensions),
                                     dict(config.mdx_configs), config.use_directory_urls)
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        if page.file.src_uri in self._html:
            return publish.skeleton(markdown)
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        converted = self._html.pop(page.file.src_uri, None)
        if converted is None:
            return html
        # The contents of the whole page: the skeleton MkDocs rendered lacks the body's headings.
        page.toc = get_toc(converted.toc)  # type: ignore[arg-type]  # toc tokens, as Markdown gives them
        return converted.html

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig,
                 builder: Callable[..., Any]) -> LiveReloadServer:
        """`mkdocs serve` rebuilds when an article or entity file changes, not only docs/."""
        server.watch(str(self.archive_root(config)))
        return server

    def _pin_build_date(self, archive: Archive) -> None:
        """Date the build by its newest article, so that two builds are byte-identical.

        MkDocs takes SOURCE_DATE_EPOCH for the sitemap's dates and the gzip header's mtime. A
        value the caller set wins; ours is removed after the build.
        """
        newest = newest_article_day(archive)
        if os.environ.get(EPOCH_VARIABLE) or newest is None:
            return
        os.environ[EPOCH_VARIABLE] = str(calendar.timegm(newest.timetuple()))
        self._set_epoch = True

    def _unpin_build_date(self) -> None:
        if self._set_epoch:
            os.environ.pop(EPOCH_VARIABLE, None)
            self._set_epoch = False

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the search index and database; after a dirty build, delete the output of pages
        the archive no longer generates."""
        if self._linked is not None:
            self._write_search(self._linked, Path(config.site_dir), config.use_directory_urls)
        for path in self._removed:
            url = publish.page_url(path, config.use_directory_urls)
            target = Path(config.site_dir) / (url + "index.html" if url.endswith("/") or not url else url)
            target.unlink(missing_ok=True)
        self._html, self._removed, self._linked = {}, frozenset(), None
        self._unpin_build_date()

    @staticmethod
    def _write_search(linked: LinkedArchive, site_dir: Path, directory_urls: bool) -> None:
        """search/ is rewritten whole (its files are named by position, not content), then
        archive.sqlite moves to the site's root, where the search page links it."""
        folder = site_dir / "search"
        shutil.rmtree(folder, ignore_errors=True)
        stats = write_search_index(linked, folder, lambda path: publish.page_url(path, directory_urls))
        stats.sqlite_path.replace(site_dir / DATABASE)
        log.info(f"archive: search index of {stats.documents} articles, {stats.files} files, "
                 f"{stats.bytes / 1e6:.1f} MB; {DATABASE} {stats.sqlite_bytes / 1e6:.1f} MB")

    def on_build_error(self, *, error: Exception) -> None:
        self._unpin_build_date()

    def on_shutdown(self) -> None:
        self._unpin_build_date()


def newest_article_day(archive: Archive) -> dt.date | None:
    """The publication day of the newest article, if there is one."""
    return max((article.date for article in archive.articles), default=None)

