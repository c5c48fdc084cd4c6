"""`archive serve` (and `make serve`): the site built through `archive build`'s path, served on
127.0.0.1, and rebuilt when an article changes, so that the edit shows on the next load; a
broken edit is reported with file and line while the last good site stays served."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import KREMLIN, PESKOV, article

REPO = Path(__file__).resolve().parents[1]
ARTICLE = "articles/2022/03/talks.md"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def wait_for(url: str, text: str, seconds: float) -> str:
    """The page at `url` once it holds `text`; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    page = None
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and text in page:
            return page
        time.sleep(0.5)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s; last: {(page or '')[:200]!r}")


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    root = tmp_path / "archive"
    for rel, text in {
        ARTICLE: article(title="Talks end", body="Kremlin spokesman Dmitry Peskov spoke."),
        "entities/dmitry-peskov.yml": PESKOV,
        "entities/kremlin.yml": KREMLIN,
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "build_tools",
                "serve",
                "--archive",
                str(root),
                "--config",
                str(REPO / "mkdocs.yml"),
                "--site-dir",
                str(tmp_path / "site"),
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
            env={
                "ARCHIVE_CACHE_DIR": str(tmp_path / "cache"),
                "PATH": "/usr/bin:/bin",
                "HOME": str(tmp_path),
            },
        )
        try:
            yield root, f"http://127.0.0.1:{port}/", log
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_serve_shows_an_edited_article_after_it_is_saved(preview: tuple[Path, str, Path]) -> None:
    root, url, _ = preview
    page = f"{url}articles/2022/03/talks.html"
    wait_for(page, "Talks end", 180)
    (root / ARTICLE).write_text(
        article(title="Talks resume in Istanbul", body="Kremlin spokesman Dmitry Peskov spoke."), "utf-8"
    )
    shown = wait_for(page, "Talks resume in Istanbul", 120)
    assert "Talks end" not in shown
    assert "livereload" in shown  # the open page reloads by itself


def test_serve_reports_a_broken_edit_and_keeps_the_last_good_site(preview: tuple[Path, str, Path]) -> None:
    root, url, log = preview
    page = f"{url}articles/2022/03/talks.html"
    wait_for(page, "Talks end", 180)
    (root / ARTICLE).write_text("---\ntitle: Talks end\ndate: 2022-02-30\nsource: Example News\n---\nText.\n")
    deadline = time.monotonic() + 120
    while "not rebuilt" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.5)
    printed = log.read_text()
    assert "archive/articles/2022/03/talks.md:3: error: '2022-02-30' is not a calendar date" in printed
    assert "not rebuilt: fix the errors above; the last good site is still served" in printed
    assert "Talks end" in (fetch(page) or "")
