"""Building the site with MkDocs: load its configuration, check the archive, then run MkDocs'
build under the site folder's lock, incrementally when the folder holds a build of the same
setup. Every MkDocs import of the project is here or in plugin.py."""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import logging
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..check import CheckReport
from ..files import (
    FileRecord,
    FolderCheck,
    LockHeld,
    check_folder,
    is_disk_full,
    link_atomic,
    record_changes,
    record_folder,
    remove_files,
    write_atomic,
    written_record,
)
from ..read import display_path
from ..settings import SettingsError
from .parallel import pages_in_parallel
from .sync import PageFolder

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from .plugin import ArchivePlugin

# MkDocs, and the pipeline behind the plugin, are imported when a build runs, so that the
# other subcommands start fast and keep working whatever state the renderer is in.

PLUGIN_NAME = "archive"
# In the site's cache folder: what the last finished build left in the site folder. Pickled, as
# the memo is: JSON cost a twentieth of a one-article rebuild at 10,000 articles.
STAMP = "build.pickle"


class BuildError(Exception):
    """The site was not built; the message is one line for the user."""


class SetupError(BuildError):
    """mkdocs.yml or the archive folder cannot be used (a usage error of the command)."""


class ConfigError(BuildError):
    """mkdocs.yml is not a valid MkDocs configuration."""


@dataclass(frozen=True)
class BuiltSite:
    folder: Path
    pages: int
    seconds: float
    bytes: int
    repaired: FolderCheck | None = None  # what an incremental build found damaged, if anything

    def summary(self) -> str:
        """The last line `archive build` prints."""
        return (
            f"Built {shown(self.folder)}: {self.pages:,} pages in {self.seconds:.1f} s, {_size(self.bytes)}"
        )

    def repair_line(self) -> str | None:
        found = self.repaired
        if found is None:
            return None
        paths = [*found.changed, *found.missing, *found.unknown]
        named = ", ".join(paths[:3]) + (f" and {len(paths) - 3:,} more" if len(paths) > 3 else "")
        counts = [
            f"{len(items):,} {label}"
            for items, label in (
                (found.changed, "changed"),
                (found.missing, "missing"),
                (found.unknown, "not written by it"),
            )
            if items
        ]
        return (
            f"{shown(self.folder)} was damaged since the last build ({', '.join(counts)}: {named}); repaired"
        )


def build(
    config_file: Path,
    *,
    archive: Path | None = None,
    site_dir: Path | None = None,
    strict: bool = True,
    clean: bool = False,
    site_url: str | None = None,
    checked: Callable[[CheckReport], None] = lambda report: None,
) -> BuiltSite | None:
    """Check the archive, then build the site as `archive build` does.

    `site_url` is the site's address, in place of mkdocs.yml's `site_url`.
    `checked` gets the check's report first (to print its problems); with an error in it
    nothing is built and the result is None. Raises SetupError, ConfigError or BuildError
    (another build holds the site's lock, MkDocs failed, the disk is full).
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .plugin import busy_message

    with mkdocs_logging():
        try:
            overrides = {"site_url": site_url} if site_url else {}
            config = load_config(
                str(config_file),
                strict=strict,
                site_dir=str(site_dir.absolute()) if site_dir else None,
                **overrides,
            )
        except MkDocsException as exc:
            raise ConfigError(f"{display_path(config_file)}: {exc.format_message()}") from None
        root = _use_archive(config, archive)
        try:
            settings = _plugin(config).site_settings(config)
        except SettingsError as exc:
            raise ConfigError(f"{display_path(config_file)}: archive: {exc}") from None
        folder = Path(config.site_dir)
        try:
            with _plugin(config).build_lock(config):
                plugin = _plugin(config)
                writer = PageFolder(plugin.pages_folder(config))
                pages = plugin.generate(root, config, writer, settings, incremental=not clean)
                checked(pages.report)
                if pages.report.errors:
                    return None
                plugin.use_pages(pages, writer)
                del pages  # the plugin holds them until it has written them (its on_files)
                return build_site(config, incremental=not clean)
        except LockHeld as exc:
            raise BuildError(busy_message(shown(folder), exc)) from None
        except MkDocsException as exc:
            raise BuildError(f"the site was not built: {exc.format_message()}") from None
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            (folder / "sitemap.xml.gz").unlink(missing_ok=True)  # the one file MkDocs writes in place
            raise BuildError(_disk_full_message(exc, folder)) from None
        finally:
            gc.unfreeze()  # frozen as the archive was loaded and linked (ArchivePlugin.generate)


def _disk_full_message(exc: Exception, site: Path) -> str:
    what = "the disk quota is exceeded" if getattr(exc, "errno", None) == errno.EDQUOT else "the disk is full"
    name = getattr(exc, "filename", None)
    where = shown(Path(name), folder=False) if isinstance(name, str) and name else shown(site)
    return f"{what} while writing {where}; nothing half-written was left: free some space, then build again"


def _plugin(config: MkDocsConfig) -> ArchivePlugin:
    from .plugin import ArchivePlugin

    plugin = config.plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, ArchivePlugin):
        raise SetupError(
            f"{config.config_file_path}: the `{PLUGIN_NAME}` plugin is not listed under plugins:"
        )
    return plugin


def watched_paths(config_file: Path, archive: Path | None) -> list[Path]:
    """What a preview (publish.serve) watches: the configuration, its docs folder and the
    archive folder."""
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    return [config_file, Path(config.docs_dir), archive or _plugin(config).archive_root(config)]


def _use_archive(config: MkDocsConfig, archive: Path | None) -> Path:
    """The archive to build: --archive if given (set on the plugin), else the plugin's own."""
    plugin = _plugin(config)
    if archive is not None:
        plugin.config.archive = str(archive.absolute())
    root = plugin.archive_root(config)
    if not root.is_dir():
        raise SetupError(f"no archive at {display_path(root)}; pass --archive DIR")
    return root


def build_site(config: MkDocsConfig, incremental: bool = False) -> BuiltSite:
    """Run MkDocs as `mkdocs build` does; raises MkDocsException when the build fails.

    incremental: when the site folder holds a build of the same setup (see build_fingerprint),
    run MkDocs' dirty build, which renders only pages whose source is newer than their output;
    the archive plugin rewrites a generated page's source only when its text changed.

    The stamp of a finished build records every file it left in the site folder (size, time,
    digest). An incremental build first compares the folder with it: a file changed, missing
    or not written by that build (cut short, edited, or left by another program) is deleted,
    which makes MkDocs build it again, so the result is the site a clean build makes. The
    caller holds the site's lock (ArchivePlugin.build_lock): nothing else writes meanwhile.
    """
    from mkdocs.commands.build import build as mkdocs_build

    start = time.monotonic()
    folder = Path(config.site_dir)
    stamp = _plugin(config).pages_folder(config).parent / STAMP
    fingerprint = build_fingerprint(config)
    previous = _previous_files(stamp, fingerprint) if incremental else None
    stamp.unlink(missing_ok=True)  # a build that fails half-way leaves no claim behind
    found = check_folder(folder, previous) if previous else None
    if found is not None and found.damaged:
        remove_files(folder, [*found.changed, *found.missing, *found.unknown])
    dirty = found is not None
    config.plugins.on_startup(command="build", dirty=dirty)
    plugin = _plugin(config)
    plugin.site_records = found.intact if found is not None else None
    written: dict[str, FileRecord] = {}  # the records of the files MkDocs writes
    try:
        plugin.fill_in_workers = True
        with (
            _quiet_dirty_warning(),
            _whole_files(plugin.pages_folder(config), folder, written),
            pages_in_parallel(plugin.read_in_worker, written=written),
        ):
            mkdocs_build(config, dirty=dirty)
    finally:
        plugin.fill_in_workers = False
        plugin.site_records = None
        config.plugins.on_shutdown()
    touched, generated = plugin.touched_outputs(), plugin.file_records()
    if found is not None and not found.damaged and touched is not None:
        # Only what the build showed MkDocs, and the search files, may have changed: 50,000
        # stats and a second walk of the folder (0.4 s at 10,000 articles) spared.
        files = record_changes(folder, {**found.intact, **written}, *touched)
    else:
        # A file linked from the pages folder has its record there, a page MkDocs wrote the
        # one taken as it was written: neither is read again (51,000 files at 10,000 articles).
        # A copy has another time, and is read.
        files = record_folder(folder, {**generated, **(found.intact if found is not None else {}), **written})
    write_atomic(
        stamp,
        pickle.dumps({"fingerprint": fingerprint, "files": files}, protocol=pickle.HIGHEST_PROTOCOL),
        durable=False,
    )
    seconds = time.monotonic() - start
    pages = sum(1 for path in files if path.endswith(".html"))
    return BuiltSite(
        folder,
        pages,
        seconds,
        sum(size for size, _, _ in files.values()),
        found if found is not None and found.damaged else None,
    )


def build_fingerprint(config: MkDocsConfig) -> str:
    """What a page's HTML depends on besides its own text: configuration, theme, tool versions.

    Material's search plugin indexes only the pages a build renders, so with it a dirty build
    would publish a partial index; without a nav in mkdocs.yml, MkDocs makes one of every page
    and titles the pages a dirty build does not read "None": such setups never build
    incrementally.
    """
    from importlib.metadata import version

    if "search" in config.plugins or "material/search" in config.plugins or config.nav is None:
        return ""
    parts = [Path(config.config_file_path).read_bytes() if config.config_file_path else b""]
    parts += [f"site_url {config.site_url or ''}".encode()]  # `archive build --site-url` sets it too
    import mkdocs  # ProperDocs' own module when only it is installed (see __init__.py)

    parts += [f"{mkdocs.__name__} {mkdocs.__version__}".encode()]
    parts += [version(name).encode() for name in ("mkdocs-material", "research-archive")]
    from .plugin import ASSETS, THEME

    for folder in (config.theme.custom_dir, THEME, ASSETS):
        for path in sorted(Path(folder).rglob("*")) if folder else ():
            if path.is_file():
                parts += [path.as_posix().encode(), path.read_bytes()]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def _previous_files(stamp: Path, fingerprint: str) -> dict[str, FileRecord] | None:
    """The files a finished build of the same setup left in the site folder, from its stamp;
    None when there is no such build (the next build is then a clean one)."""
    try:
        stored: Any = pickle.loads(stamp.read_bytes())
    except Exception:
        return None  # missing or damaged: never trusted, the build is a clean one
    if not (isinstance(stored, dict) and fingerprint and stored.get("fingerprint") == fingerprint):
        return None
    files = stored.get("files")
    if not isinstance(files, dict) or not files:
        return None
    record: dict[str, FileRecord] = {}
    for path, entry in files.items():
        if not (
            isinstance(entry, tuple)
            and len(entry) == 3
            and isinstance(entry[0], int)
            and isinstance(entry[1], int)
            and isinstance(entry[2], str)
        ):
            return None
        record[path] = (entry[0], entry[1], entry[2])
    return record


@contextlib.contextmanager
def _whole_files(linked_from: Path, site: Path, written: dict[str, FileRecord]) -> Iterator[None]:
    """MkDocs writes pages and copies files in place. While it builds for us it writes each
    through a temporary file and a rename instead (files.write_atomic), so that a web server
    serving the folder, or a full disk, never leaves a reader half a page.

    A file it copies from `linked_from` (the pages folder: feeds, citation downloads) is hard
    linked instead, where the file system allows: 34,000 files at 10,000 articles, whose copying
    was 4 s of a full build; the pages folder writes a changed file as a new file
    (PageFolder.write), so the site's stays as it was until it is replaced. Files from anywhere
    else (the theme's, in the Python installation) are copied, never linked.

    Each file written under `site` is recorded in `written` (files.written_record) by its path
    there: the record of the site after the build need not read the pages again."""
    from mkdocs import utils

    prefix = os.path.join(os.path.abspath(linked_from), "")
    site_prefix = os.path.join(os.path.abspath(site), "")

    def write_file(content: bytes, output_path: str) -> None:
        write_atomic(Path(output_path), content, durable=False)
        if output_path.startswith(site_prefix):
            rel = output_path[len(site_prefix) :].replace(os.sep, "/")
            written[rel] = written_record(Path(output_path), content)

    def copy_file(source_path: str, output_path: str) -> None:
        if os.path.isdir(output_path):
            output_path = os.path.join(output_path, os.path.basename(source_path))
        if os.path.abspath(source_path).startswith(prefix) and link_atomic(source_path, output_path):
            return
        write_atomic(Path(output_path), Path(source_path).read_bytes(), durable=False)

    saved = utils.write_file, utils.copy_file
    utils.write_file, utils.copy_file = write_file, copy_file
    try:
        yield
    finally:
        utils.write_file, utils.copy_file = saved


class _DirtyWarningFilter(logging.Filter):
    """MkDocs warns that a dirty build may leave navigation stale. Ours never does: the nav is
    fixed by mkdocs.yml (part of the fingerprint) and generated pages are compared by text. In
    strict mode that warning alone would fail the build, so it is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


@contextlib.contextmanager
def _quiet_dirty_warning() -> Iterator[None]:
    logger = logging.getLogger("mkdocs.commands.build")
    quiet = _DirtyWarningFilter()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


@contextlib.contextmanager
def mkdocs_logging() -> Iterator[None]:
    """Show MkDocs' warnings and errors on stderr (as `mkdocs build` does) while building."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)  # looked up now: click's test runner swaps it
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.setLevel(logging.WARNING)
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


def shown(path: Path, folder: bool = True) -> str:
    """A path under the working directory as a relative path, any other one in full; a
    folder ends in '/'."""
    end = "/" if folder else ""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() + end
    except ValueError:
        return path.resolve().as_posix() + end


def _size(n: int) -> str:
    value = float(n)
    for unit in ("bytes", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:,.0f} {unit}" if unit == "bytes" else f"{value:,.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")
