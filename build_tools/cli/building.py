"""`archive build`: check the archive, then build the static site with MkDocs in this process."""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..load import display_path
from ..problems import summary_line

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from ..mkdocs_adapter import ArchivePlugin

# MkDocs, and the pipeline behind the adapter, are imported when `build` runs, so that the
# other subcommands start fast and keep working whatever state the renderer is in.

PLUGIN_NAME = "archive"


@dataclass(frozen=True)
class BuiltSite:
    folder: Path
    pages: int
    seconds: float
    bytes: int


@click.command("build")
@click.option("--archive", "archive", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="The archive folder (default: the `archive` option in mkdocs.yml).")
@click.option("--config", "config_file", default=Path("mkdocs.yml"), show_default=True,
              type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="The MkDocs configuration.")
@click.option("--site-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Where to write the site (default: site_dir in mkdocs.yml).")
@click.option("--strict/--no-strict", default=True, show_default=True,
              help="Fail on any MkDocs warning, such as a broken link.")
@click.option("--clean", is_flag=True,
              help="Rebuild every page, even when the site folder holds a build of the same setup.")
def build_command(archive: Path | None, config_file: Path, site_dir: Path | None,
                  strict: bool, clean: bool) -> None:
    """Check the archive, then build the site; it works over http and from file://.

    Problems go to stderr, one line each, as `archive check` prints them; with an error nothing
    is built and the exit status is 1. A failed MkDocs build (in strict mode, any warning) also
    exits 1. When the site folder holds a build made with the same configuration, theme and
    tools, only the pages whose text changed are rebuilt (use --clean to rebuild all). The last
    line names the site folder, its page count, build time and size.

    \b
    Example:
      archive build --site-dir /tmp/site
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with mkdocs_logging():
        try:
            config = load_config(str(config_file), strict=strict,
                                 site_dir=str(site_dir.absolute()) if site_dir else None)
        except MkDocsException as exc:
            raise click.ClickException(
                f"{display_path(config_file)}: {exc.format_message()}") from None
        root = _use_archive(config, archive)

        from ..site import build_pages

        pages = build_pages(root, _plugin(config).memo_file(config))
        report = pages.report
        for problem in report.problems:
            click.echo(problem.format(), err=True)
        click.echo(summary_line(report.problems, report.files), err=True)
        if report.errors:
            raise SystemExit(1)
        _plugin(config).use_pages(pages)

        try:
            built = build_site(config, incremental=not clean)
        except MkDocsException as exc:
            click.echo(f"error: the site was not built: {exc.format_message()}", err=True)
            raise SystemExit(1) from None
    click.echo(f"Built {_shown(built.folder)}: {built.pages:,} pages in "
               f"{built.seconds:.1f} s, {_size(built.bytes)}")


def _plugin(config: MkDocsConfig) -> ArchivePlugin:
    from ..mkdocs_adapter import ArchivePlugin

    plugin = config.plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, ArchivePlugin):
        raise click.UsageError(f"{config.config_file_path}: the `{PLUGIN_NAME}` plugin is not "
                               "listed under plugins:")
    return plugin


def _use_archive(config: MkDocsConfig, archive: Path | None) -> Path:
    """The archive to build: --archive if given (set on the plugin), else the plugin's own."""
    plugin = _plugin(config)
    if archive is not None:
        plugin.config.archive = str(archive.absolute())
    root = plugin.archive_root(config)
    if not root.is_dir():
        raise click.UsageError(f"no archive at {display_path(root)}; pass --archive DIR")
    return root


def build_site(config: MkDocsConfig, incremental: bool = False) -> BuiltSite:
    """Run MkDocs as `mkdocs build` does; raises MkDocsException when the build fails.

    incremental: when the site folder holds a build of the same setup (see build_fingerprint),
    run MkDocs' dirty build, which renders only pages whose source is newer than their output;
    the archive plugin rewrites a generated page's source only when its text changed.
    """
    from mkdocs.commands.build import build as mkdocs_build

    start = time.monotonic()
    stamp = _plugin(config).pages_folder(config).parent / "build.json"
    fingerprint = build_fingerprint(config)
    dirty = incremental and _previous_fingerprint(stamp) == fingerprint and (
        Path(config.site_dir) / "index.html").is_file()
    stamp.unlink(missing_ok=True)  # a build that fails half-way leaves no claim behind
    config.plugins.on_startup(command="build", dirty=dirty)
    try:
        with _quiet_dirty_warning():
            mkdocs_build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({"fingerprint": fingerprint}), encoding="utf-8")
    seconds = time.monotonic() - start
    folder = Path(config.site_dir)
    files = [p for p in folder.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.suffix == ".html")
    return BuiltSite(folder, pages, seconds, sum(p.stat().st_size for p in files))


def build_fingerprint(config: MkDocsConfig) -> str:
    """What a page's HTML depends on besides its own text: configuration, theme, tool versions.

    Material's search plugin indexes only the pages a build renders, so with it a dirty build
    would publish a partial index: such a setup never builds incrementally.
    """
    from importlib.metadata import version

    if "search" in config.plugins or "material/search" in config.plugins:
        return ""
    parts = [Path(config.config_file_path).read_bytes() if config.config_file_path else b""]
    parts += [version(name).encode() for name in ("mkdocs", "mkdocs-material", "research-archive")]
    custom = config.theme.custom_dir
    if custom:
        for path in sorted(Path(custom).rglob("*")):
            if path.is_file():
                parts += [path.as_posix().encode(), path.read_bytes()]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def _previous_fingerprint(stamp: Path) -> str | None:
    try:
        value = json.loads(stamp.read_text("utf-8")).get("fingerprint")
    except (OSError, ValueError, AttributeError):
        return None  # missing or damaged: never trusted, the build is a clean one
    return value if isinstance(value, str) and value else None


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


def _shown(folder: Path) -> str:
    """A folder under the working directory as a relative path, any other one in full."""
    try:
        return folder.resolve().relative_to(Path.cwd().resolve()).as_posix() + "/"
    except ValueError:
        return folder.resolve().as_posix() + "/"


def _size(n: int) -> str:
    value = float(n)
    for unit in ("bytes", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:,.0f} {unit}" if unit == "bytes" else f"{value:,.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")
