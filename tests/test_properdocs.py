"""The site builds with ProperDocs, the maintained fork of MkDocs 1.x, as it does with MkDocs
(issue 14): `properdocs build` of the bundled mkdocs.yml writes the same files as `archive
build`, byte for byte but for the generator's name in each page's head."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): GENERATOR.sub(b"", p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path: Path) -> None:
    env = {**os.environ, "ARCHIVE_CACHE_DIR": str(tmp_path / "cache-mkdocs")}
    mkdocs = subprocess.run(
        [sys.executable, "-m", "build_tools", "build", "--site-dir", str(tmp_path / "mkdocs")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert mkdocs.returncode == 0, mkdocs.stderr
    env["ARCHIVE_CACHE_DIR"] = str(tmp_path / "cache-properdocs")
    properdocs = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "--site-dir", str(tmp_path / "properdocs")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert properdocs.returncode == 0, properdocs.stderr
    assert "Documentation built" in properdocs.stderr
    built_by_mkdocs, built_by_properdocs = files(tmp_path / "mkdocs"), files(tmp_path / "properdocs")
    assert sorted(built_by_properdocs) == sorted(built_by_mkdocs)
    assert [p for p in built_by_mkdocs if built_by_mkdocs[p] != built_by_properdocs[p]] == []
    page = (tmp_path / "properdocs/index.html").read_text("utf-8")
    assert 'content="mkdocs-ProperDocs 1.6' in page


ONLY_PROPERDOCS = """
import sys
sys.modules["mkdocs"] = None  # as if MkDocs were not installed: import mkdocs fails, find_spec is None
from build_tools.cli import main
main(sys.argv[1:], prog_name="archive")
"""


@pytest.mark.slow
def test_archive_build_runs_on_properdocs_when_mkdocs_is_absent(tmp_path: Path) -> None:
    env = {**os.environ, "ARCHIVE_CACHE_DIR": str(tmp_path / "cache")}
    built = subprocess.run(
        [sys.executable, "-c", ONLY_PROPERDOCS, "build", "--site-dir", str(tmp_path / "site")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site/index.html").read_text("utf-8")
    assert 'content="mkdocs-ProperDocs 1.6' in page
