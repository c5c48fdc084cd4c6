"""`archive check [PATH...] [--changed [BASE]]`: report every problem in the archive, in the
given files, or in the files changed against a git base."""

from __future__ import annotations

from pathlib import Path

import click

from ..check.changes import ChangesError, find_changes
from ..check.run import check_archive, check_changed
from ..problems import summary_line
from ..read.load import display_path
from ..settings import Settings, SettingsError, read_settings

DEFAULT_ROOT = Path("archive")
ARCHIVE_OPTION = click.option(
    "--archive",
    "archive",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_ROOT,
    help="The archive folder (default: ./archive).",
)
DEFAULT_CONFIG = Path("mkdocs.yml")


def archive_settings(config_file: Path) -> Settings:
    """The content model in mkdocs.yml's `archive` options (defaults when there is no file)."""
    try:
        return read_settings(config_file)
    except SettingsError as exc:
        raise click.UsageError(f"{display_path(config_file)}: archive: {exc}") from None


def resolve_root(archive: Path | None, paths: tuple[Path, ...]) -> tuple[Path, tuple[Path, ...]]:
    """A PATH that is itself an archive (it has articles/ or entities/) becomes the root."""
    if (
        archive is None
        and len(paths) == 1
        and paths[0].is_dir()
        and ((paths[0] / "articles").is_dir() or (paths[0] / "entities").is_dir())
    ):
        return paths[0], ()
    return archive or DEFAULT_ROOT, paths


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@click.option(
    "--archive",
    "archive",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="The archive folder (default: ./archive).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="github prints GitHub Actions annotations.",
)
@click.option(
    "--changed",
    "base",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[BASE]",
    help="Check only the files changed against the git BASE (default: origin/main if "
    "it exists, else main), and the archive-wide rules between them and the rest. "
    "A changed entity file makes it validate the whole archive.",
)
@click.option(
    "--config",
    "config_file",
    default=DEFAULT_CONFIG,
    show_default=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The mkdocs.yml whose `archive` options give the entity kinds (defaults when it does not exist).",
)
def check_command(
    paths: tuple[Path, ...], archive: Path | None, fmt: str, base: str | None, config_file: Path
) -> None:
    """Check the archive (or the given files) and report every problem at once.

    Prints one line per problem, `path:line: error|warning: message [code]`, then a summary on
    stderr. Exits 1 when there is an error, 0 otherwise, 2 on a usage or git error.

    With --changed, only files changed since the merge base of BASE and HEAD (committed, staged,
    unstaged or untracked) are checked in full; unchanged articles are only compared with them
    for duplicate slugs, urls and texts, which is fast on a large archive. When an entity file
    changed, the whole archive is validated, and alias clashes and unknown entity ids are
    reported wherever they are.

    \b
    Example:
      archive check archive/articles/2022/03/
      archive check --changed origin/main
    """
    root, paths = resolve_root(archive, paths)
    if not root.is_dir():
        raise click.UsageError(f"no archive at {display_path(root)}; pass --archive DIR")
    if base is not None and paths:
        raise click.UsageError("give PATHs or --changed, not both")
    settings = archive_settings(config_file)
    if base is None:
        report = check_archive(root, paths, settings=settings)
    else:
        try:
            changes = find_changes(root, base)
        except ChangesError as exc:
            click.echo(f"error: {exc}", err=True)
            raise SystemExit(2) from None
        report = check_changed(root, changes, settings=settings)
    for problem in report.problems:
        click.echo(problem.format_github() if fmt == "github" else problem.format())
    click.echo(summary_line(report.problems, report.files), err=True)
    raise SystemExit(1 if report.errors else 0)
