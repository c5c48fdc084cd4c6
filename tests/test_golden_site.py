"""The golden site: every page generated from tests/cases/golden-site/archive, compared with a
stored copy. After a deliberate change to the pages: pytest --refresh-golden, then review the diff."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_tools.pipeline import build_pages
from build_tools.settings import read_settings

CASE = Path(__file__).parent / "cases" / "golden-site"


def test_golden_site_pages_are_exactly_as_stored(
    monkeypatch: pytest.MonkeyPatch, refresh_golden: bool
) -> None:
    settings = read_settings(CASE.parents[2] / "mkdocs.yml")  # the bundled site's content model
    monkeypatch.chdir(CASE)
    site = build_pages(Path("archive"), settings=settings)
    assert site.report.problems == ()
    expected_dir = CASE / "expected"
    if refresh_golden:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for path, text in site.pages.items():
            target = expected_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    stored = {
        p.relative_to(expected_dir).as_posix(): p.read_text("utf-8") for p in expected_dir.rglob("*.md")
    }
    assert sorted(site.pages) == sorted(stored)
    for path, text in site.pages.items():
        assert text == stored[path], f"{path} differs from tests/cases/golden-site/expected/{path}"
