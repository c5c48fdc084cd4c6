"""The `archive` command: one click group, one module per subcommand."""

from __future__ import annotations

import click

from .building import build_command
from .check import check_command
from .entities import entities_command
from .exporting import export_command
from .importing import import_command, new_command
from .init import init_command
from .searching import search_command
from .serving import serve_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="research-archive")
def main() -> None:
    """Build and check a research archive of news articles.

    \b
    Example:
      archive check
    """


for _command in (
    check_command,
    build_command,
    serve_command,
    search_command,
    export_command,
    import_command,
    new_command,
    init_command,
    entities_command,
):
    main.add_command(_command)
