"""`archive build` when things go wrong around it: a second build of the same site, a site folder
damaged since the last build, archives dated before 1970, a full disk."""

from __future__ import annotations

import errno
import gzip
import os
import re
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from mkdocs.__main__ import cli as mkdocs_cli
from mkdocs.config import load_config

from build_tools.cli import main
from build_tools.files import check_folder, record_folder, remove_files
from tests.conftest import article
from tests.test_incremental import build, site_config

REPO = Path(__file__).resolve().parents[1]
NO_SPACE = os.strerror(errno.ENOSPC)

THREE = {
    "articles/2022/03/a.md": article(title="Alpha", date="2022-03-01", body="The Kremlin said A."),
    "articles/2022/03/b.md": article(title="Beta", date="2022-03-02", body="Peskov said B."),
    "articles/2022/03/c.md": article(title="Gamma", date="2022-03-03", body="Nothing named."),
}


@pytest.fixture
def setup(make_archive: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An archive of three articles and a mkdocs.yml for it; returns the mkdocs.yml."""
    monkeypatch.setenv("ARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    make_archive(THREE)
    return site_config(tmp_path)


def run_build(config: Path, site: Path, *extra: str) -> Result:
    return CliRunner().invoke(
        main, ["build", "--config", str(config), "--archive", "archive", "--site-dir", str(site), *extra]
    )


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def assert_same_site(site: Path, clean: Path) -> None:
    """Byte for byte: the same files holding the same bytes."""
    ours, theirs = files_under(site), files_under(clean)
    assert sorted(ours) == sorted(theirs)
    assert [path for path in ours if ours[path] != theirs[path]] == []


def lock_file(config: Path, site: Path) -> Path:
    settings = load_config(str(config), site_dir=str(site))
    return Path(settings.plugins["archive"].lock_file(settings))


# A process that holds a site's build lock until it is killed, as a running build does.
HOLDER = textwrap.dedent("""\
    import sys, time
    from pathlib import Path
    from build_tools.files import FolderLock

    with FolderLock(Path(sys.argv[1])):
        print("held", flush=True)
        time.sleep(120)
""")


@pytest.fixture
def holder(setup: Path, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the lock of tmp_path/site, as a build in progress does."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_file(setup, tmp_path / "site"))],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stdout.readline() == "held\n"
        try:
            yield process
        finally:
            process.kill()


# --- one build at a time -----------------------------------------------------------------


def test_build_lock_refuses_a_second_build_of_the_same_site(
    setup: Path, tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    result = run_build(setup, tmp_path / "site")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: another build of site/ is running (pid {holder.pid}); wait for "
        "it to finish, or stop it (the lock goes with the process that holds it)\n"
    )
    assert not (tmp_path / "site").exists()
    # Another site folder is another lock: its build goes ahead.
    assert run_build(setup, tmp_path / "other").exit_code == 0


def test_build_lock_is_released_when_its_holder_is_killed(
    setup: Path, tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    holder.send_signal(signal.SIGKILL)  # no cleanup: the lock file stays, the lock does not
    holder.wait()
    assert lock_file(setup, tmp_path / "site").exists()
    build(setup, tmp_path / "site")
    assert lock_file(setup, tmp_path / "site").read_text() == ""  # a finished build leaves no pid


def test_build_lock_refuses_mkdocs_build_of_the_same_site(
    setup: Path, tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    result = CliRunner().invoke(
        mkdocs_cli, ["build", "--config-file", str(setup), "--site-dir", str(tmp_path / "site")]
    )
    assert result.exit_code == 1
    assert f"another build of {tmp_path / 'site'} is running (pid {holder.pid})" in result.output, (
        result.output
    )
    assert "Traceback" not in result.output


def test_build_lock_mkdocs_build_runs_and_releases_it(setup: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        mkdocs_cli, ["build", "--config-file", str(setup), "--site-dir", str(tmp_path / "site")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site/articles/2022/03/a.html").is_file()
    build(setup, tmp_path / "site")  # the lock was let go when mkdocs build ended


# --- a damaged site folder is repaired ---------------------------------------------------


def test_incremental_build_repairs_a_damaged_site(setup: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(setup, site)
    untouched = site / "articles/2022/03/c.html"
    before = untouched.stat().st_mtime_ns
    # What an interrupted or a concurrent build leaves: a page gone, one cut short, one
    # linking to Markdown files, and a file no build of this archive writes.
    (site / "articles/2022/03/a.html").unlink()
    page = site / "articles/2022/03/b.html"
    page.write_bytes(page.read_bytes()[:1000])
    index = site / "index.html"
    linked = re.sub(r'href="([^"#]*)\.html"', r'href="\1.md"', index.read_text("utf-8"))
    assert linked != index.read_text("utf-8")
    index.write_text(linked, "utf-8")
    (site / "articles/2021/12").mkdir(parents=True)
    (site / "articles/2021/12/stray.html").write_text("<p>from another archive</p>", "utf-8")

    result = run_build(setup, site)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == (
        "site/ was damaged since the last build (2 changed, 1 missing, 1 not written by it: "
        "articles/2022/03/b.html, index.html, articles/2022/03/a.html and 1 more); repaired"
    )
    assert untouched.stat().st_mtime_ns == before  # an incremental build, not a clean one
    clean = tmp_path / "clean"
    build(setup, clean, "--clean")
    assert_same_site(site, clean)
    # And the next build finds nothing to repair.
    assert "damaged" not in run_build(setup, site).output


def test_incremental_build_of_an_undamaged_site_says_nothing_of_repairs(setup: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(setup, site)
    os.utime(site / "index.html")  # touched, not changed: its digest still matches
    result = run_build(setup, site)
    assert result.exit_code == 0
    assert re.fullmatch(
        r"0 errors, 0 warnings in 5 files\nBuilt site/: \d+ pages in [0-9.]+ s, [0-9.]+ MB\n", result.output
    ), result.output


# --- dates before 1970 -------------------------------------------------------------------


@pytest.mark.parametrize("dates", [("1941-06-22", "0001-01-01"), ("0001-01-01",)], ids=["1941", "year-1"])
def test_build_dates_before_1970_build_dated_1970(
    dates: tuple[str, ...], make_archive: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    make_archive(
        {
            f"articles/{day[:4]}/{day[5:7]}/day-{day}.md": article(
                title=f"On {day}", date=day, body=f"The Kremlin spoke on {day}."
            )
            for day in dates
        }
    )
    config = site_config(tmp_path)
    settings = yaml.safe_load(config.read_text("utf-8"))
    settings["site_url"] = "https://example.org/"  # for a sitemap that lists the pages
    config.write_text(yaml.safe_dump(settings), "utf-8")
    site = tmp_path / "site"
    result = run_build(config, site)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == f"0 errors, 0 warnings in {2 + len(dates)} files"
    for day in dates:
        assert f"On {day}" in (site / f"articles/{day[:4]}/{day[5:7]}/day-{day}.html").read_text()
    sitemap = (site / "sitemap.xml").read_bytes()
    assert set(re.findall(rb"<lastmod>([^<]*)</lastmod>", sitemap)) == {b"1970-01-01"}
    packed = (site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(packed) == sitemap
    assert packed[4:8] == b"\0\0\0\0"  # the gzip header's time: 1970-01-01
    assert "SOURCE_DATE_EPOCH" not in os.environ


# --- a full disk -------------------------------------------------------------------------


def _disk_full_under(folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The first file written under `folder` gets half its bytes, then the disk is full."""
    real_fdopen, hit = os.fdopen, []

    class HalfWriter:
        def __init__(self, handle: Any, name: str) -> None:
            self.handle, self.name = handle, name

        def __getattr__(self, attr: str) -> Any:
            return getattr(self.handle, attr)

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            hit.append(self.name)
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, NO_SPACE)

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_fdopen(fd, mode, *args, **kwargs)
        name = os.readlink(f"/proc/self/fd/{fd}")
        if mode == "wb" and not hit and Path(name).is_relative_to(folder):
            return HalfWriter(handle, name)
        return handle

    monkeypatch.setattr(os, "fdopen", fdopen)
    return hit


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a file's path in /proc")
def test_build_disk_full_keeps_the_old_page_and_leaves_nothing_half_written(
    setup: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    build(setup, site)
    before = files_under(site)
    Path("archive/articles/2022/03/b.md").write_text(
        article(title="Beta", date="2022-03-02", body="Peskov said B again."), "utf-8"
    )
    with monkeypatch.context() as patch:
        hit = _disk_full_under(site / "articles", patch)
        result = run_build(setup, site)
    assert hit and Path(hit[0]).name.startswith(".b.html.")  # the temporary file of b.html
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "error: the disk is full while writing site/articles/2022/03/b.html; nothing half-written "
        "was left: free some space, then build again"
    )
    assert "Traceback" not in result.output
    after = files_under(site)
    assert after["articles/2022/03/b.html"] == before["articles/2022/03/b.html"]  # old, whole
    assert [path for path in after if path.endswith(".tmp")] == []
    assert [
        path for path in after if path.endswith(".html") and not after[path].rstrip().endswith(b"</html>")
    ] == []
    # With space again, the next build finishes the job.
    build(setup, site)
    assert "said B again." in (site / "articles/2022/03/b.html").read_text("utf-8")
    clean = tmp_path / "clean"
    build(setup, clean, "--clean")
    assert_same_site(site, clean)


def test_build_disk_full_in_the_search_index_leaves_no_search_folder(
    setup: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    real_write_bytes = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        # The index is written in the cache, then moved into the site (publish.searching).
        if self.parent.name == "d" and self.parent.parent.name == "search":
            real_write_bytes(self, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, NO_SPACE)
        return real_write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    result = run_build(setup, site)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "error: the disk is full while writing site/; nothing half-written was left: free some "
        "space, then build again"
    )
    assert not (site / "search").exists()
    assert not (site / "sitemap.xml.gz").exists()
    # Only the write is put back: undo() would also undo the fixtures' chdir and cache folder,
    # and the build below would build the repository's own archive.
    monkeypatch.setattr(Path, "write_bytes", real_write_bytes)
    build(setup, site)  # no stamp was left: a clean build
    assert (site / "search/manifest.js").is_file()
    assert "said B." in (site / "articles/2022/03/b.html").read_text("utf-8")  # the three articles


def test_build_with_its_cache_on_another_file_system_still_places_the_search_index(
    setup: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search files are written in the cache (publish.searching); when it is on another file
    system than the site, a rename fails with EXDEV and they are copied instead."""
    site = tmp_path / "site"
    real_rename, real_replace = os.rename, os.replace
    refused = []

    def across(real: Any) -> Any:
        def move(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
            if Path(source).is_relative_to(tmp_path / "cache") and Path(target).is_relative_to(site):
                refused.append(Path(target).name)
                raise OSError(errno.EXDEV, "Invalid cross-device link")
            real(source, target, *args, **kwargs)

        return move

    monkeypatch.setattr(os, "rename", across(real_rename))
    monkeypatch.setattr(os, "replace", across(real_replace))
    build(setup, site)
    assert sorted(refused) == ["archive.sqlite", "search"]
    assert (site / "search/manifest.js").is_file() and (site / "archive.sqlite").stat().st_size > 0
    assert not list((tmp_path / "cache").glob("*/search"))  # nothing left behind in the cache
    monkeypatch.setattr(os, "rename", real_rename)
    monkeypatch.setattr(os, "replace", real_replace)
    clean = tmp_path / "clean"
    build(setup, clean, "--clean")
    assert (site / "search/manifest.js").read_bytes() == (clean / "search/manifest.js").read_bytes()


# --- the record of a folder --------------------------------------------------------------


def test_check_folder_finds_changed_missing_and_foreign_files(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    for rel in ("index.html", "a/one.html", "a/two.html", "b/three.html"):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(rel, "utf-8")
    record = record_folder(folder)
    assert sorted(record) == ["a/one.html", "a/two.html", "b/three.html", "index.html"]
    (folder / ".git").mkdir()  # hidden at the top: not the build's, left alone
    (folder / ".git/HEAD").write_text("ref", "utf-8")
    (folder / "a/one.html").write_text("a/one.htmX", "utf-8")  # same size, other bytes
    (folder / "a/two.html").unlink()
    (folder / "b/three.html").touch()  # a newer time, the same bytes: intact
    (folder / "c").mkdir()
    (folder / "c/stray.html").write_text("stray", "utf-8")
    (folder / "link.html").symlink_to(folder / "index.html")
    found = check_folder(folder, record)
    assert (found.changed, found.missing, found.unknown) == (
        ("a/one.html",),
        ("a/two.html",),
        ("c/stray.html", "link.html"),
    )
    assert sorted(found.intact) == ["b/three.html", "index.html"]
    remove_files(folder, [*found.changed, *found.missing, *found.unknown])
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == [
        ".git",
        ".git/HEAD",
        "b",
        "b/three.html",
        "index.html",
    ]
