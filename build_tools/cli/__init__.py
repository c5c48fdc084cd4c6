"""The `archive` command: one click group, one module per subcommand."""
from __future__ import annotations

import click

from .check import check_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="research-archive")
def main() -> None:
    """Build and check a research archive of news articles.

    \b
    Example:
      archive check
    """


main.add_command(check_command)

for _module, _names in (("importing", ("import_command", "new_command")),
                        ("building", ("build_command",)), ("searching", ("search_command",))):
    try:
        _mod = __import__(f"{__name__}.{_module}", fromlist=list(_names))
    except ModuleNotFoundError as _exc:  # a subcommand module not written yet
        if _exc.name != f"{__name__}.{_module}":
            raise
        continue
    for _name in _names:
        main.add_command(getattr(_mod, _name))
