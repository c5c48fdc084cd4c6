"""Shared fixtures: a factory that writes a small archive from a dict of files."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ArchiveFactory = Callable[..., Path]

PESKOV = """\
type: person
name: Dmitry Peskov
aliases:
  - Peskov
  - Dmitri Peskov
description: Kremlin spokesman.
"""

KREMLIN = """\
type: organization
name: Kremlin
description: The seat and administration of the Russian president.
"""


def article(
    title: str = "Talks end",
    date: str = "2022-03-30",
    source: str = "Example News",
    body: str = "Kremlin spokesman Dmitry Peskov spoke.",
    **fields: object,
) -> str:
    """The text of an article file with the given front matter fields."""
    lines = ["---", f"title: {title}", f"date: {date}", f"source: {source}"]
    for key, value in fields.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {item}" for item in value]
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines + ["---", body, ""])


@pytest.fixture
def make_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ArchiveFactory:
    """make_archive({"articles/2022/03/a.md": "...", "entities/x.yml": "..."}) -> archive root.

    The working directory becomes the archive's parent, so problems read 'archive/…'.
    Values may be str (dedented) or bytes (written as is).
    """
    monkeypatch.chdir(tmp_path)

    def make(files: dict[str, str | bytes], with_defaults: bool = True) -> Path:
        root = tmp_path / "archive"
        (root / "articles").mkdir(parents=True, exist_ok=True)
        (root / "entities").mkdir(parents=True, exist_ok=True)
        defaults = {"entities/dmitry-peskov.yml": PESKOV, "entities/kremlin.yml": KREMLIN}
        for rel, content in ({**defaults, **files} if with_defaults else files).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        return Path("archive")

    return make


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/browser/ drives Chromium: marked `browser` where it stands."""
    browser_dir = Path(__file__).parent / "browser"
    for item in items:
        if browser_dir in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--refresh-golden",
        action="store_true",
        help="rewrite the expected outputs of tests/cases and the golden site",
    )


@pytest.fixture
def refresh_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--refresh-golden"))
