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


def test_code_no_module_imports_another_modules_private_names() -> None:
    import ast

    found = []
    for path in sorted((REPO / "build_tools").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                found += [
                    f"{path.relative_to(REPO)}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
    assert found == []


def test_code_no_module_is_over_500_lines() -> None:
    long = {
        path.relative_to(REPO).as_posix(): n
        for path in (REPO / "build_tools").rglob("*.py")
        if (n := path.read_text("utf-8").count("\n")) > 500
    }
    assert long == {}


def test_code_mkdocs_is_imported_only_by_the_publish_stage() -> None:
    importing = sorted(
        path.relative_to(REPO).as_posix()
        for path in (REPO / "build_tools").rglob("*.py")
        if "mkdocs"
        in {
            line.split()[1].split(".")[0]
            for line in path.read_text("utf-8").splitlines()
            if line.lstrip().startswith(("import ", "from "))
        }
    )
    assert importing and all(p.startswith("build_tools/publish/") for p in importing), importing
