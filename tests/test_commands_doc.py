"""docs/commands.md holds each command's `--help` as the command prints it, so the two cannot
drift (issue 14): after changing a command, run scripts/refresh_command_help.py."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "docs" / "commands.md"
BLOCK = re.compile(r"<!-- help: archive ([\w -]+?) -->\n```text\n(.*?)```\n<!-- /help -->\n", re.S)

_spec = importlib.util.spec_from_file_location("refresh", REPO / "scripts" / "refresh_command_help.py")
assert _spec and _spec.loader
refresh = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(refresh)


def blocks() -> dict[str, str]:
    return {name: text for name, text in BLOCK.findall(PAGE.read_text("utf-8"))}


def test_commands_doc_has_one_help_block_per_command_and_no_other() -> None:
    names = [name for name, _ in BLOCK.findall(PAGE.read_text("utf-8"))]
    assert sorted(names) == refresh.command_names()


@pytest.mark.parametrize("name", refresh.command_names())
def test_commands_doc_help_block_is_what_the_command_prints(name: str) -> None:
    assert blocks()[name] == refresh.help_text(name), (
        f"docs/commands.md shows an old `archive {name} --help`: run scripts/refresh_command_help.py"
    )


def test_commands_doc_help_block_sits_in_its_commands_section() -> None:
    page = PAGE.read_text("utf-8")
    for name in refresh.command_names():
        section = page.split(f"## `archive {name}`\n", 1)[1].split("\n## ", 1)[0]
        assert f"<!-- help: archive {name} -->" in section


def test_refresh_puts_back_a_changed_or_missing_block() -> None:
    page = PAGE.read_text("utf-8")
    stale = page.replace("github prints GitHub Actions annotations.", "an old sentence.")
    assert stale != page and refresh.refreshed(stale) == page
    first = BLOCK.search(page)
    assert first is not None
    missing = page.replace("\n" + first[0], "", 1)  # the block and the blank line above it
    assert refresh.refreshed(missing) == page


def test_pre_commit_config_runs_ruff_check_format_and_mypy() -> None:
    """The config parses and names the three hooks, each run from the project's .venv (a quick
    test: the slow one below runs them)."""
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    entries = {hook["id"]: hook["entry"] for repo in config["repos"] for hook in repo["hooks"]}
    assert list(entries) == ["ruff-check", "ruff-format", "mypy"]
    assert entries["ruff-check"].startswith(".venv/bin/ruff check")
    assert entries["ruff-format"].startswith(".venv/bin/ruff format --check")
    assert entries["mypy"].startswith(".venv/bin/mypy")


@pytest.mark.slow
def test_pre_commit_hooks_run_ruff_check_ruff_format_and_mypy_and_pass(tmp_path: Path) -> None:
    """The hooks a commit runs, run here on every file of the project: they pass."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit")}
    done = subprocess.run(
        [str(REPO / ".venv/bin/pre-commit"), "run", "--all-files"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert [
        line.rsplit(".", 1)[0].rstrip(".") for line in done.stdout.splitlines() if line.endswith("Passed")
    ] == ["ruff check", "ruff format", "mypy"]
