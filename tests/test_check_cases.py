"""Data-driven cases: tests/cases/<name>/archive is checked; expected.txt is the exact output."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from build_tools.cli import main

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if (p / "archive").is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_reports_case_exactly(
    case: Path, monkeypatch: pytest.MonkeyPatch, refresh_golden: bool
) -> None:
    monkeypatch.chdir(case)
    result = CliRunner().invoke(main, ["check", "archive"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    expected_file = case / "expected.txt"
    if refresh_golden:
        expected_file.write_text(result.output, encoding="utf-8")
    assert result.output == expected_file.read_text(encoding="utf-8")
    assert "Traceback" not in result.output
    assert result.exit_code == (1 if " error: " in result.output else 0)


def test_check_case_covers_every_problem_class() -> None:
    expected = (Path(__file__).parent / "cases/one-broken-file-per-class/expected.txt").read_text()
    for code in [
        "yaml-syntax",
        "missing-field",
        "wrong-type",
        "bad-date",
        "future-date",
        "wrong-folder",
        "duplicate-slug",
        "duplicate-url",
        "duplicate-body",
        "unknown-entity",
        "duplicate-alias",
        "empty-body",
        "not-utf8",
        "unknown-key",
    ]:
        assert f"[{code}]" in expected, code
