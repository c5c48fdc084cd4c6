"""`archive build`: check the archive, then build the static site with MkDocs in this process."""
from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..check import check_archive
from ..load import display_path
from ..problems import summary_line

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

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
def build_command(archive: Path | None, config_file: Path, site_dir: Path | None,
                  strict: bool) -> None:
    """Check the archive, then build the site; it works over http and from file://.

    Problems go to stderr, one line each, as `archive check` prints them; with an error nothing
    is built and the exit status is 1. A failed MkDocs build (in strict mode, any warning) also
    exits 1. The last line names the site folder, its page count, build time and size.

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

        report = check_archive(root)
        for problem in report.problems:
            click.echo(problem.format(), err=True)
        click.echo(summary_line(report.problems, report.files), err=True)
        if report.errors:
            raise SystemExit(1)

        try:
            built = build_site(config)
        except MkDocsException as exc:
            click.echo(f"error: the site was not built: {exc.format_message()}", err=True)
            raise SystemExit(1) from None
    click.echo(f"Built {_shown(built.folder)}: {built.pages:,} pages in "
               f"{built.seconds:.1f} s, {_size(built.bytes)}")


def _use_archive(config: MkDocsConfig, archive: Path | None) -> Path:
    """The archive to build: --archive if given (set on the plugin), else the plugin's own."""
    from ..mkdocs_adapter import ArchivePlugin

    plugin = config.plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, ArchivePlugin):
        raise click.UsageError(f"{config.config_file_path}: the `{PLUGIN_NAME}` plugin is not "
                               "listed under plugins:")
    if archive is not None:
        plugin.config.archive = str(archive.absolute())
    root = plugin.archive_root(config)
    if not root.is_dir():
        raise click.UsageError(f"no archive at {display_path(root)}; pass --archive DIR")
    return root


def build_site(config: MkDocsConfig) -> BuiltSite:
    """Run MkDocs as `mkdocs build` does; raises MkDocsException when the build fails."""
    from mkdocs.commands.build import build as mkdocs_build

    start = time.monotonic()
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    seconds = time.monotonic() - start
    folder = Path(config.site_dir)
    files = [p for p in folder.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.suffix == ".html")
    return BuiltSite(folder, pages, seconds, sum(p.stat().st_size for p in files))


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
