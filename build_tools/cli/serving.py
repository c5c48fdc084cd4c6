"""`archive serve`: preview the site while editing, rebuilt by `archive build`'s own path."""

from __future__ import annotations

from pathlib import Path

import click

from .building import archive_option, config_option, print_problems, site_dir_option


@click.command("serve")
@archive_option
@config_option
@site_dir_option
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="The port.")
def serve_command(archive: Path | None, config_file: Path, site_dir: Path | None, port: int) -> None:
    """Build the site, serve it at http://127.0.0.1:PORT/ and rebuild it on every change.

    Each build is an `archive build` of the same site folder: only the pages an edit changes
    are rebuilt, and the open pages reload. A problem in a changed file is printed as `archive
    check` prints it, and the last good site stays served. Stop with Ctrl-C.

    \b
    Example:
      archive serve --port 8001
    """
    from ..publish.build import BuiltSite, ConfigError, SetupError
    from ..publish.serve import serve

    def built(site: BuiltSite | None) -> None:
        if site is None:
            click.echo("not rebuilt: fix the errors above; the last good site is still served", err=True)
        else:
            click.echo(site.summary(), err=True)

    def failed(message: str) -> None:
        click.echo(f"error: {message}", err=True)

    try:
        serve(
            config_file,
            archive=archive,
            site_dir=site_dir,
            host="127.0.0.1",
            port=port,
            checked=print_problems,
            built=built,
            failed=failed,
        )
    except SetupError as exc:
        raise click.UsageError(str(exc)) from None
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
