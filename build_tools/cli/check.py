"""`archive check [PATH...]`: report every problem in the archive, or in the given files."""
from __future__ import annotations

from pathlib import Path

import click

from ..check import check_archive
from ..load import display_path
from ..problems import summary_line

DEFAULT_ROOT = Path("archive")


def resolve_root(archive: Path | None, paths: tuple[Path, ...]) -> tuple[Path, tuple[Path, ...]]:
    """A PATH that is itself an archive (it has articles/ or entities/) becomes the root."""
    if archive is None and len(paths) == 1 and paths[0].is_dir() and (
        (paths[0] / "articles").is_dir() or (paths[0] / "entities").is_dir()
    ):
        return paths[0], ()
    return archive or DEFAULT_ROOT, paths


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@click.option("--archive", "archive", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="The archive folder (default: ./archive).")
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text",
              show_default=True, help="github prints GitHub Actions annotations.")
def check_command(paths: tuple[Path, ...], archive: Path | None, fmt: str) -> None:
    """Check the archive (or the given files) and report every problem at once.

    Prints one line per problem, `path:line: error|warning: message [code]`, then a summary on
    stderr. Exits 1 when there is an error, 0 otherwise.

    \b
    Example:
      archive check archive/articles/2022/03/
    """
    root, paths = resolve_root(archive, paths)
    if not root.is_dir():
        raise click.UsageError(f"no archive at {display_path(root)}; pass --archive DIR")
    report = check_archive(root, paths)
    for problem in report.problems:
        click.echo(problem.format_github() if fmt == "github" else problem.format())
    click.echo(summary_line(report.problems, report.files), err=True)
    raise SystemExit(1 if report.errors else 0)
