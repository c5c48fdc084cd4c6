"""The MkDocs plugin `archive`: hands the pages that build_tools.pipeline generates to MkDocs.

The only module that knows MkDocs. It adds pages, stops a build on content errors and holds the
site folder's build lock; what the pages say is decided in build_tools.pipeline.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import posixpath
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.rendering import get_heading_text

from .. import pipeline as site
from ..files import FileRecord, FolderLock, LockHeld
from ..link.links import LinkedArchive
from ..model import Archive
from ..problems import summary_line
from ..render.styles import STYLESHEET, kinds_css
from ..search.index import DATABASE
from ..settings import Settings, SettingsError, Site, settings_from_options
from . import pages as publish
from . import unchanged
from .browse import browse_nav
from .build_date import pin_build_date, unpin_build_date
from .searching import BackgroundSearch
from .sync import PageFolder
from .templates import template_cache

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

# What the plugin brings to every archive's site: templates and static files, in the package.
THEME = Path(__file__).parent / "theme"
ASSETS = Path(__file__).parent / "assets"
STYLES = ("assets/archive.css", "assets/search/search.css", "assets/cite.css")
# On every page, small: the marks of a search result's words, and the header's search as you
# type, which loads the search scripts when first used; the copy button of an article's citation.
SCRIPTS = (
    "assets/highlight.js",
    "assets/header-search.js",
    "assets/cite.js",
    "assets/quote-filter.js",
    "assets/timeline.js",
)


__all__ = ["ArchivePlugin", "ArchivePluginConfig", "busy_message"]


class ArchivePluginConfig(base.Config):
    archive = c.Type(str, default="archive")
    """The archive folder (with articles/ and entities/), relative to mkdocs.yml."""
    cache_dir = c.Type(str, default=".archive-cache")
    """Where generated pages are kept between builds (relative to mkdocs.yml); the
    ARCHIVE_CACHE_DIR environment variable overrides it."""
    title = c.Optional(c.Type(str))
    """The archive's title: the home page's heading."""
    description = c.Optional(c.Type(str))
    """A sentence under the title on the home page."""
    entity_kinds = c.Optional(c.Type(dict))
    """Kinds of registry entry, by id: `unit: {name: Military unit, plural: Military units}`
    (also `page`, `chip`, `colour`, `heading`). Default: person, organization, place, event,
    other."""
    groupings = c.Optional(c.Type(dict))
    """Front-matter keys whose terms get pages as source and tags do, by key:
    `region: {name: Region, plural: Regions}` (also `folder`, default the key)."""
    browse_nav = c.Type(str, default="Browse")
    """The section of `nav` the plugin fills with the archive's index pages (dates, timeline,
    each entity kind, sources, tags); empty to leave the nav as written."""


class ArchivePlugin(BasePlugin[ArchivePluginConfig]):
    """Adds every generated page of the archive to the site, or fails the build on errors."""

    def __init__(self) -> None:
        super().__init__()
        self._set_epoch = False
        self._prebuilt: tuple[site.SitePages, PageFolder] | None = None
        self._html: dict[str, publish.Converted] = {}
        self._in_nav: frozenset[str] = frozenset()
        self._pending: set[str] = set()  # the generated pages to convert in this build
        self._pages_folder: Path | None = None
        self._converter = publish.Converter([], {}, False)  # on_files makes the build's own
        self._once_seen: dict[tuple[str, str, bool], str] = {}
        self.fill_in_workers = False  # set while build.build_site fills pages in parallel
        self._removed: frozenset[str] = frozenset()
        self._search: BackgroundSearch | None = None  # writing since the archive was linked
        self._lock: FolderLock | None = None
        self._lock_per_build = False  # taken by on_config (`mkdocs build`), not by the caller
        self._dirty = False  # MkDocs writes only what is newer than its output (on_startup)
        # The site folder's files as build.build_site found them before this build, when it
        # checked them (files.check_folder): whether an output is current needs no stat then.
        self.site_records: Mapping[str, FileRecord] | None = None
        # What a build that left unchanged outputs out of MkDocs' files (unchanged.py) may have
        # written or deleted in the site folder (touched_outputs); None for any other build.
        self._touched: set[str] | None = None
        # The generated files' records in the pages folder, as FileRecord (file_records).
        self._file_records: dict[str, FileRecord] = {}

    @property
    def settings(self) -> Settings:
        """The content model from this plugin's options; raises SettingsError for a wrong one."""
        keys = ("title", "description", "entity_kinds", "groupings")
        options = {key: self.config[key] for key in keys if self.config[key] is not None}
        return settings_from_options(options)

    def site_settings(self, config: MkDocsConfig) -> Settings:
        """The content model and where the site is published (site_name, site_url)."""
        return replace(
            self.settings,
            site=Site(config.site_name, config.site_url or None, bool(config.use_directory_urls)),
        )

    def generate(
        self,
        root: Path,
        config: MkDocsConfig,
        writer: PageFolder,
        settings: Settings | None = None,
        incremental: bool = True,
    ) -> site.SitePages:
        """Check the archive and render what changed since the last build of this site into
        the pages folder, through `writer`, page by page (none is held in memory); the pages of
        what did not change stay there as they are (`writer.keep` them, then `finish`).
        settings: the site's (site_settings) unless given; incremental=False renders everything."""

        def sink(pages: dict[str, str], files: dict[str, str]) -> None:
            writer.write(files, fresh=True)  # the site's copies are hard links (publish.build)
            writer.write(pages)

        def linked(archive: LinkedArchive) -> None:
            """The search files are written in a process of their own while pages are rendered."""
            self._cancel_search()
            directory_urls = config.use_directory_urls
            self._search = BackgroundSearch(
                archive,
                writer.folder.parent / "search",
                lambda path: publish.page_url(path, directory_urls),
                self.settings,
                writer.folder.parent / "search-memo.pickle",
                Path(config.site_dir) / "search" if incremental else None,
            )

        # What the build holds to its end (the memo's results, the linked archive) is left out
        # of the cycle collector's walks (hold): they cost over a second of a one-article rebuild
        # at 10,000 articles. The build's end (on_post_build…) unfreezes them.
        return site.build_pages(
            root,
            self.memo_file(config),
            settings or self.site_settings(config),
            writer.read_state if incremental else None,
            sink,
            linked,
            hold=True,
        )

    def use_pages(self, pages: site.SitePages, writer: PageFolder) -> None:
        """Pages the caller already generated (`archive build` checks first) into `writer`,
        used once."""
        self._prebuilt = (pages, writer)

    def memo_file(self, config: MkDocsConfig) -> Path:
        """Per-file parse, mention and date results kept between builds of this site."""
        return self.pages_folder(config).parent / "memo.pickle"

    def pages_folder(self, config: MkDocsConfig) -> Path:
        """The cache folder of one site: generated pages as files, for modification times."""
        base_dir = Path(config.config_file_path or ".").parent
        cache = Path(os.environ.get("ARCHIVE_CACHE_DIR") or base_dir / self.config.cache_dir)
        key = hashlib.blake2b(str(Path(config.site_dir).absolute()).encode(), digest_size=6).hexdigest()
        return cache.absolute() / f"site-{key}" / "pages"

    def lock_file(self, config: MkDocsConfig) -> Path:
        """Held by the one build of this site folder that may run (see build_lock)."""
        return self.pages_folder(config).parent / "build.lock"

    @contextlib.contextmanager
    def build_lock(self, config: MkDocsConfig) -> Iterator[None]:
        """Hold the site folder's lock for a whole build; raises LockHeld when another process
        builds the same site (two builds would write the same pages, cache and search index)."""
        if self._lock is not None:
            yield
            return
        with FolderLock(self.lock_file(config)) as lock:
            self._lock = lock
            try:
                yield
            finally:
                self._lock = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._dirty = dirty  # a dirty build: see unchanged.py

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Read the content model from the options; list the kinds' stylesheet and fill the
        nav's Browse section. `mkdocs build` takes the site's lock as `archive build` does,
        until the build ends."""
        try:
            settings = self.settings
        except SettingsError as exc:
            raise PluginError(f"archive: {exc}") from None
        # The archive's templates come after the project's own custom_dir (which may override
        # them) and before Material's: they escape every text Material prints raw.
        if str(THEME) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
        for css in (*STYLES, STYLESHEET):
            if css not in [str(listed) for listed in config.extra_css]:
                config.extra_css.append(css)
        for script in SCRIPTS:
            if script not in [str(listed) for listed in config.extra_javascript]:
                config.extra_javascript.append(script)
        if self.config.browse_nav and config.nav:
            config.nav = browse_nav(config.nav, self.config.browse_nav, settings)
        if self._lock is None:
            lock = FolderLock(self.lock_file(config))
            try:
                lock.acquire()
            except LockHeld as exc:
                raise PluginError(busy_message(config.site_dir, exc)) from None
            self._lock, self._lock_per_build = lock, True
        return config

    def _release_lock(self) -> None:
        if self._lock_per_build and self._lock is not None:
            self._lock.release()
            self._lock, self._lock_per_build = None, False

    def archive_root(self, config: MkDocsConfig) -> Path:
        """The archive folder; a relative `archive` option is relative to mkdocs.yml."""
        base_dir = Path(config.config_file_path or ".").parent
        return base_dir / self.config.archive

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        root = self.archive_root(config)
        if not root.is_dir():
            raise PluginError(f"archive: no archive folder at {root}")
        folder = self.pages_folder(config)
        prebuilt, self._prebuilt = self._prebuilt, None
        if prebuilt is None:
            writer = PageFolder(folder)
            result = self.generate(root, config, writer)
        else:
            result, writer = prebuilt
        report = result.report
        summary = summary_line(report.problems, report.files)
        if report.errors:
            for problem in report.problems:
                print(problem.format(), file=sys.stderr)
            raise PluginError(f"archive: {summary} under {root}; `archive check` lists them")
        if report.problems:
            log.info(f"archive: {summary}; run `archive check` to see them")

        self._pin_build_date(report.archive)
        # Pages and the other files the archive generates (citations, feeds) are kept in one
        # folder, so that MkDocs copies a file only when it changed, and a file the archive no
        # longer generates is deleted from the site (on_post_build) as a page is.
        # They were written there as they were rendered (generate); only what changed since the
        # last build was rendered: the files of the rest are kept.
        writer.keep([*result.kept_files, *result.kept_pages])
        synced = writer.finish(result.state)
        self._removed = synced.removed
        added = []
        pages = result.page_paths | result.kept_pages
        withhold = unchanged.may_withhold(config, files, self._dirty)
        # For the site's record after a build that shows MkDocs every file (one that withholds
        # looks again only at what it wrote): kept only then, 340,000 at 100,000 articles.
        self._file_records = (
            {}
            if withhold
            else {
                path: (size, mtime, digest)
                for path, (digest, size, mtime) in synced.records.items()
                if path in result.file_paths or path in result.kept_files
            }
        )
        self._touched = set() if withhold else None
        outputs, self.site_records = self.site_records, None
        in_nav = frozenset(unchanged.nav_paths(config.nav or []))
        site_dir, directory_urls = config.site_dir, config.use_directory_urls
        taken = files.src_uris  # generated paths are POSIX paths as MkDocs keys them
        for path in sorted([*pages, *result.file_paths, *result.kept_files]):
            existing = taken.get(path)
            if existing is not None:
                where = existing.abs_src_path or existing.src_uri
                raise PluginError(
                    f"archive: the generated page '{path}' would replace {where}; "
                    "remove or rename that file (the archive generates this page)"
                )
            source = os.path.join(synced.folder, path)
            if withhold and path not in in_nav:
                output = unchanged.output_path(path, directory_urls)
                if (
                    unchanged.is_current_as_recorded(outputs.get(output), synced.records.get(path))
                    if outputs is not None
                    else unchanged.is_current(source, os.path.join(site_dir, output))
                ):
                    continue  # MkDocs would not write it: its output is the last build's, as it is now
            added.append(File.generated(config, path, abs_src_path=source))
            files.append(added[-1])
        files.append(File.generated(config, STYLESHEET, content=kinds_css(self.settings)))
        for asset in sorted(p for p in ASSETS.rglob("*") if p.is_file()):
            path = "assets/" + asset.relative_to(ASSETS).as_posix()
            if files.get_file_from_path(path) is None:  # a project's own copy wins
                files.append(File.generated(config, path, abs_src_path=str(asset)))
        # MkDocs renders a page when its output is missing or older than its source (every page
        # in a clean build, the changed ones in a dirty build): convert exactly those, MkDocs
        # none of them (see on_page_markdown). Converted in on_nav, all at once in parallel, or
        # one by one where each is filled (fill_in_workers, publish.parallel).
        # The pages' text is not kept here: MkDocs reads each from the pages folder in turn.
        self._pending = {f.src_uri for f in added if f.src_uri in pages and f.is_modified()}
        self._pages_folder = synced.folder
        self._converter = publish.Converter(
            list(config.markdown_extensions),
            dict(config.mdx_configs),
            config.use_directory_urls,
            get_heading_text,
        )
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._in_nav = frozenset(page.file.src_uri for page in nav.pages)
        if not self.fill_in_workers and self._pages_folder is not None:
            folder = self._pages_folder
            texts = {uri: (folder / uri).read_text("utf-8") for uri in self._pending}
            self._html = publish.to_html(
                texts,
                texts,
                list(config.markdown_extensions),
                dict(config.mdx_configs),
                config.use_directory_urls,
                title_of=get_heading_text,
            )
            self._pending = set()
        return nav

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        if self._touched is not None:  # MkDocs writes nothing but these files and the theme's pages
            self._touched.update(file.dest_uri for file in files)
            self._touched.update(config.theme.static_templates)
            self._touched.add("sitemap.xml.gz")
        self._once_seen = {}
        env.globals["archive_once"] = self.once
        env.bytecode_cache = template_cache(env, self.pages_folder(config).parent)
        return env

    def once(self, name: str, page: Any, caller: Callable[[], str]) -> str:
        """A part of the theme's templates (`name`, the part inside `{% call archive_once(name,
        page) %}`) rendered once per folder for the pages outside the nav: the nav and the tabs
        (no item of them is active for these pages), the header but the page's title, and the
        theme's styles, scripts and their configuration. Their links are relative to the page's
        folder, so each is the same for all of them; rendering them was most of filling a page
        (the nav and tabs half of it; the others 3.5 of 10.5 s in each page worker at 10,000
        articles)."""
        if page is None or not getattr(page, "file", None) or page.file.src_uri in self._in_nav:
            return caller()
        url = str(page.url)
        key = (name, posixpath.dirname(url.rstrip("/")), url.endswith("/") or url == "")
        found = self._once_seen.get(key)
        if found is None:
            found = self._once_seen[key] = caller()
        return found

    def read_in_worker(self, src_uri: str) -> bool:
        """A generated page outside the nav: only its own output needs its title and contents,
        so it may be read where it is filled (publish.parallel)."""
        return src_uri in self._pending and src_uri not in self._in_nav

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A generated page is converted by publish (Converter, to_html), not by MkDocs: its
        render() only takes that page's HTML, contents and title (MkDocs' own reading of its
        first h1, get_heading_text), so no second Markdown pass runs over it."""
        uri = page.file.src_uri
        if uri in self._html or uri in self._pending:
            text = [markdown]  # MkDocs' reading of the page file: its front matter taken off

            def render(config: MkDocsConfig, files: Files) -> None:
                converted = self._html.pop(uri, None) or self._converter(uri, text.pop())
                self._pending.discard(uri)
                text.clear()
                page.content = converted.html
                page.toc = get_toc(converted.toc)  # type: ignore[arg-type]  # toc tokens, as Markdown gives them
                page._title_from_render = converted.title  # what MkDocs' render() sets
                page.present_anchor_ids = set(_anchor_ids(converted.toc))

            page.render = render  # type: ignore[method-assign]
            return ""  # the page's text is publish's: MkDocs keeps none of it
        return markdown

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        """404.html is served for a missing address at any depth, so MkDocs writes its links
        from the site's root ("/assets/…"). Without a site address that root is unknown: under
        a sub-path or from a folder on disk the page would lose its styles and links. Its
        links are made relative to the site's root folder, where the page itself lies."""
        if template_name == "404.html" and not config.site_url:
            return publish.root_relative_links(output_content)
        return output_content

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer:
        """`mkdocs serve` rebuilds when an article or entity file changes, not only docs/."""
        server.watch(str(self.archive_root(config)))
        return server

    def _pin_build_date(self, archive: Archive) -> None:
        self._set_epoch = pin_build_date(archive)

    def _unpin_build_date(self) -> None:
        if self._set_epoch:
            unpin_build_date()
            self._set_epoch = False

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Put the search index and database in the site (written meanwhile, see generate);
        after a dirty build, delete the output of pages the archive no longer generates."""
        if self._search is not None:
            search, self._search = self._search, None
            stats = search.place(Path(config.site_dir))
            log.info(
                f"archive: search index of {stats.documents} articles, {stats.files} files, "
                f"{stats.bytes / 1e6:.1f} MB; {DATABASE} {stats.sqlite_bytes / 1e6:.1f} MB"
            )
        for path in self._removed:
            output = unchanged.output_path(path, config.use_directory_urls)
            (Path(config.site_dir) / output).unlink(missing_ok=True)
            if self._touched is not None:
                self._touched.add(output)
        self._html, self._pending, self._removed = {}, set(), frozenset()
        self._unpin_build_date()
        self._release_lock()
        gc.unfreeze()

    def touched_outputs(self) -> tuple[frozenset[str], tuple[str, ...]] | None:
        """After a build that showed MkDocs only what it would write (publish.unchanged): the
        site's files it may have written or deleted, and the folders written whole (the search
        files); every other file is as the build found it. None after any other build. Read
        once: the next build starts afresh."""
        touched, self._touched = self._touched, None
        return (frozenset(touched) | {DATABASE}, ("search",)) if touched is not None else None

    def file_records(self) -> dict[str, FileRecord]:
        """The records of the generated files (feeds, citation downloads) as the pages folder
        holds them, by their path in the site: MkDocs links them into the site (build.py), so
        the site's file has the same size, time and digest, and need not be read to record it.
        Read once: the next build starts afresh."""
        records, self._file_records = self._file_records, {}
        return records

    def on_build_error(self, *, error: Exception) -> None:
        self._cancel_search()
        self._html, self._pending, self._removed = {}, set(), frozenset()
        self._unpin_build_date()
        self._release_lock()
        gc.unfreeze()

    def _cancel_search(self) -> None:
        if self._search is not None:
            self._search.cancel()
            self._search = None

    def on_shutdown(self) -> None:
        self._cancel_search()
        self._unpin_build_date()
        self._release_lock()
        gc.unfreeze()


def _anchor_ids(tokens: list[dict[str, Any]]) -> Iterator[str]:
    for token in tokens:
        yield token["id"]
        yield from _anchor_ids(token.get("children", []))


def busy_message(site_dir: str | Path, exc: LockHeld) -> str:
    """What a build says when another build of the same site folder holds the lock."""
    who = f" (pid {exc.pid})" if exc.pid else ""
    return (
        f"another build of {site_dir} is running{who}; wait for it to finish, or stop it "
        "(the lock goes with the process that holds it)"
    )
