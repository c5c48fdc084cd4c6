"""Write each command's `--help` into docs/commands.md, so that the page and the commands cannot
drift apart (tests/test_commands_doc.py fails when they do). Run after changing a command:

    .venv/bin/python scripts/refresh_command_help.py

Each command's section (`## \\`archive NAME\\``) holds its help between the markers
`<!-- help: archive NAME -->` and `<!-- /help -->`, right under the heading; a missing block is
added there.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from build_tools.cli import main  # noqa: E402

PAGE = REPO / "docs" / "commands.md"
WIDTH = 100  # columns click wraps the help to (its own maximum is 80)


def command_names() -> list[str]:
    """Every command, and every subcommand of a group as 'group sub' ('entities suggest')."""
    names = []
    for name, command in main.commands.items():
        names.append(name)
        if isinstance(command, click.Group):
            names += [f"{name} {sub}" for sub in command.commands]
    return sorted(names)


def help_text(name: str) -> str:
    result = CliRunner().invoke(main, [*name.split(), "--help"], prog_name="archive", terminal_width=WIDTH)
    assert result.exit_code == 0, result.output
    return result.output.rstrip() + "\n"


def block(name: str) -> str:
    return f"<!-- help: archive {name} -->\n```text\n{help_text(name)}```\n<!-- /help -->\n"


BLOCK = re.compile(r"<!-- help: archive ([\w -]+?) -->\n.*?<!-- /help -->\n", re.S)


def refreshed(page: str) -> str:
    names = command_names()
    page = BLOCK.sub(lambda m: block(m[1]) if m[1] in names else "", page)
    for name in names:
        if f"<!-- help: archive {name} -->" in page:
            continue
        heading = f"## `archive {name}`\n"
        if heading not in page:
            raise SystemExit(f"docs/commands.md has no section '{heading.strip()}'")
        page = page.replace(heading, heading + "\n" + block(name), 1)
    return page


if __name__ == "__main__":
    PAGE.write_text(refreshed(PAGE.read_text("utf-8")), encoding="utf-8")
    print(f"refreshed {PAGE.relative_to(REPO)}")
