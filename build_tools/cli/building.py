"""`archive build`: check the archive, then build the static site with MkDocs in this process."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click

from ..check import CheckReport
from ..problems import summary_line

# The options `archive build` and `archive serve` share: which archive, which configuration,
# which site folder.
archive_option = click.option(
    "--archive",
    "archive",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="The archive folder (default: the `archive` option in mkdocs.yml).",
)
config_option = click.option(
    "--config",
    "config_file",
    default=Path("mkdocs.yml"),
    show_default=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The MkDocs configuration.",
)
site_dir_option = click.option(
    "--site-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where to write the site (default: site_dir in mkdocs.yml).",
)


def print_problems(report: CheckReport) -> None:
    """The check's problems on stderr, as `archive check` prints them, then its summary."""
    for problem in report.problems:
        click.echo(problem.format(), err=True)
    click.echo(summary_line(report.problems, report.files), err=True)


@click.command("build")
@archive_option
@config_option
@site_dir_option
@click.option(
    "--strict/--no-strict",
    default=True,
    show_default=True,
    help="Fail on any MkDocs warning, such as a broken link.",
)
@click.option(
    "--site-url",
    metavar="URL",
    callback=lambda ctx, param, value: site_address(value),
    help="The address the site is published at (default: site_url in mkdocs.yml): with it, "
    "pages have canonical links, sitemap.xml lists every page, and feeds and citations give "
    "full addresses.",
)
@click.option(
    "--clean",
    is_flag=True,
    help="Rebuild every page, even when the site folder holds a build of the same setup.",
)
def build_command(
    archive: Path | None,
    config_file: Path,
    site_dir: Path | None,
    strict: bool,
    site_url: str | None,
    clean: bool,
) -> None:
    """Check the archive, then build the site; it works over http and from file://.

    Problems go to stderr, one line each, as `archive check` prints them; with an error nothing
    is built and the exit status is 1. A failed MkDocs build (in strict mode, any warning) also
    exits 1. When the site folder holds a build made with the same configuration, theme and
    tools, only the pages whose text changed are rebuilt (use --clean to rebuild all), and any
    file changed or removed since that build is built again. One build of a site folder runs
    at a time: another exits 1 at once. The last line names the site folder, its page count,
    build time and size.

    \b
    Example:
      archive build --site-dir /tmp/site
      archive build --site-url https://example.org/archive/
    """
    from ..publish.build import BuildError, ConfigError, SetupError, build

    try:
        built = build(
            config_file,
            archive=archive,
            site_dir=site_dir,
            strict=strict,
            clean=clean,
            site_url=site_url,
            checked=print_problems,
        )
    except SetupError as exc:
        raise click.UsageError(str(exc)) from None
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    except BuildError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None
    if built is None:
        raise SystemExit(1)
    if repaired := built.repair_line():
        click.echo(repaired, err=True)
    click.echo(built.summary())


def site_address(value: str | None) -> str | None:
    """--site-url as the site's address, ending in '/'; a usage error unless it is a plain
    http(s) address (it is printed into every page, feed and citation)."""
    if value is None:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
        or any(char.isspace() or char in "\"'<>\\`" or ord(char) < 32 for char in value)
    ):
        raise click.BadParameter(
            f"'{value}' is not a web address; give one such as https://example.org/archive/",
            param_hint="'--site-url'",
        )
    return value if value.endswith("/") else value + "/"
