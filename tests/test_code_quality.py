"""The house style holds: ruff and mypy report nothing on the package, benchmarks and tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True)


def test_code_is_ruff_clean() -> None:
    done = run("ruff", "check", "build_tools", "benchmarks", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_code_is_mypy_clean() -> None:
    done = run("mypy")
    assert done.returncode == 0, done.stdout + done.stderr
