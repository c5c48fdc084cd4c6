"""Every command, option and problem code is documented where contributors look for it."""

from __future__ import annotations

import ast
from pathlib import Path

import click

from build_tools.cli import main

REPO = Path(__file__).resolve().parents[1]


def problem_codes() -> set[str]:
    """The code of every error(...) and warning(...) Problem the package can report."""
    found: set[str] = set()
    for path in (REPO / "build_tools").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("error", "warning")
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
            ):
                found.add(node.args[1].value)
    return found


def test_docs_name_every_command_and_option() -> None:
    commands_page = (REPO / "docs/commands.md").read_text("utf-8")
    readme = (REPO / "README.md").read_text("utf-8")
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None
        assert f"## `archive {name}`" in commands_page, name
        assert f"archive {name}" in readme, name
        for param in command.params:
            for option in getattr(param, "opts", []):
                if option.startswith("--") and option != "--help":
                    assert option in commands_page, (name, option)
        assert "Example:" in (command.help or ""), name


def test_docs_explain_every_problem_code() -> None:
    codes = problem_codes()
    assert {"yaml-syntax", "unknown-entity", "duplicate-alias", "not-utf8"} <= codes
    schema_page = (REPO / "docs/schema.md").read_text("utf-8")
    missing = sorted(code for code in codes if f"| `{code}` |" not in schema_page)
    assert missing == []
