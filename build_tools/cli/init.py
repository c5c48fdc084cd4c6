"""`archive init DIR`: a new, empty archive project that builds at once."""

from __future__ import annotations

from pathlib import Path

import click

from ..read import display_path
from ..scaffold import InitError, init_project
from ..settings import DEFAULT_TITLE


@click.command("init")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--title",
    default=DEFAULT_TITLE,
    show_default=True,
    help="The archive's title: the site's name and the home page's heading.",
)
def init_command(folder: Path, title: str) -> None:
    """Write a new archive project into FOLDER: mkdocs.yml (the title, and where to list the
    archive's kinds of entity), archive/articles/ and archive/entities/, docs/about.md, a
    README and Makefile with its two commands, the GitHub workflow and pull-request template.

    FOLDER may exist but must hold none of these files. The project builds at once
    (`archive build` in FOLDER); its requirements.txt installs this generator as it is
    installed here.

    \b
    Example:
      archive init court-archive --title "The Smith v. Jones case file"
    """
    try:
        written = init_project(folder, title)
    except InitError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None
    for path in written:
        click.echo(display_path(path.absolute()))
    click.echo(
        f"Wrote {len(written)} files; next: cd {display_path(folder.absolute())} && make site", err=True
    )
