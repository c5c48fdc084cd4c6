"""The MkDocs plugin `archive`: hands the pages that build_tools.site generates to MkDocs.

The only module that knows MkDocs. It adds pages and stops a build on content errors; what the
pages say is decided in build_tools.site.
"""
from __future__ import annotations

import calendar
import datetime as dt
import logging
import os
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

from . import site
from .model import Archive
from .problems import summary_line

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


__all__ = ["ArchivePlugin", "ArchivePluginConfig", "newest_article_day"]


class ArchivePluginConfig(base.Config):
    archive = c.Type(str, default="archive")
    """The archive folder (with articles/ and entities/), relative to mkdocs.yml."""


class ArchivePlugin(BasePlugin[ArchivePluginConfig]):
    """Adds every generated page of the archive to the site, or fails the build on errors."""

    def __init__(self) -> None:
        super().__init__()
        self._set_epoch = False

    def archive_root(self, config: MkDocsConfig) -> Path:
        """The archive folder; a relative `archive` option is relative to mkdocs.yml."""
        base_dir = Path(config.config_file_path or ".").parent
        return base_dir / self.config.archive

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        root = self.archive_root(config)
        if not root.is_dir():
            raise PluginError(f"archive: no archive folder at {root}")
        result = site.build_pages(root)
        report = result.report
        summary = summary_line(report.problems, report.files)
        if report.errors:
            for problem in report.problems:
                print(problem.format(), file=sys.stderr)
            raise PluginError(f"archive: {summary} under {root}; `archive check` lists them")
        if report.problems:
            log.info(f"archive: {summary}; run `archive check` to see them")

        self._pin_build_date(report.archive)
        for path, content in sorted(result.pages.items()):
            existing = files.get_file_from_path(path)
            if existing is not None:
                where = existing.abs_src_path or existing.src_uri
                raise PluginError(
                    f"archive: the generated page '{path}' would replace {where}; "
                    "remove or rename that file (the archive generates this page)")
            files.append(File.generated(config, path, content=content))
        return files

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
        self._unpin_build_date()

    def on_build_error(self, *, error: Exception) -> None:
        self._unpin_build_date()

    def on_shutdown(self) -> None:
        self._unpin_build_date()


def newest_article_day(archive: Archive) -> dt.date | None:
    """The publication day of the newest article, if there is one."""
    return max((article.date for article in archive.articles), default=None)

