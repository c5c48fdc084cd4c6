"""`archive new` and `archive import` write an article whole or not at all: a failure or a kill
part-way through leaves no half article, no file the loader reads, and any older file as it was."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from build_tools.cli import main
from build_tools.files import write_atomic

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "tests" / "fixtures" / "import" / "seed.txt"

# Each command as a contributor runs it, and the file it writes.
COMMANDS = {
    "new": (
        ["new", "--date", "2022-03-30", "--title", "Talks end", "--source", "Example News"],
        "archive/articles/2022/03/talks-end.md",
    ),
    "import": (
        ["import", str(SEED), "--title", "Russia says no breakthrough", "--source", "Example News"],
        "archive/articles/2022/03/russia-says-no-breakthrough.md",
    ),
}
ALREADY_EXISTS = {
    "new": "{path} already exists; pass another --slug",
    "import": "{path} already exists; pass another --title, or remove the file",
}
# A temporary file the writer may leave when killed: hidden, and not named *.md.
TEMPORARY = re.compile(r"\.(?P<name>[^/]+\.md)\.[^/]+\.tmp")


def run(args: list[str]) -> Result:
    return CliRunner().invoke(main, args)


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def check_output() -> tuple[int, str]:
    result = run(["check"])
    return result.exit_code, result.output


@pytest.fixture(params=sorted(COMMANDS))
def command(request: pytest.FixtureRequest, make_archive: Callable[..., Path]) -> str:
    """The command under test, with an archive of two entities and no articles yet."""
    make_archive({})
    return str(request.param)


# --- failures the writer sees ------------------------------------------------------------


def _half_then_no_space(monkeypatch: pytest.MonkeyPatch) -> str:
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(
        os,
        "fdopen",
        lambda fd, mode="r", *a, **k: (
            HalfWriter(real_fdopen(fd, mode, *a, **k)) if mode == "wb" else real_fdopen(fd, mode, *a, **k)
        ),
    )
    return os.strerror(errno.ENOSPC)


def _fsync_fails(monkeypatch: pytest.MonkeyPatch) -> str:
    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", fsync)
    return os.strerror(errno.EIO)


def _rename_fails(monkeypatch: pytest.MonkeyPatch) -> str:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "link", refuse)  # a new article is put in place with a hard link
    monkeypatch.setattr(os, "replace", refuse)
    return os.strerror(errno.EPERM)


FAILURES = {"half-written": _half_then_no_space, "fsync": _fsync_fails, "rename": _rename_fails}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_atomic_writes_failure_leaves_no_article_and_no_temporary_file(
    command: str, failure: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    args, path = COMMANDS[command]
    before, checked = files_under(Path("archive")), check_output()
    with monkeypatch.context() as patch:
        reason = FAILURES[failure](patch)
        result = run(args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"error: cannot write {path}: {reason}"
    assert "Traceback" not in result.output
    assert files_under(Path("archive")) == before
    assert check_output() == checked
    assert run(args).exit_code in (0, 1) and Path(path).is_file()  # and it works once repaired


def test_atomic_writes_a_file_that_appears_meanwhile_is_kept(
    command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone else writes the same article between the command's check and its write."""
    args, path = COMMANDS[command]
    theirs = b"---\ntitle: Theirs\n---\nTheir text.\n"
    real_link = os.link

    def link_after_them(src: str, dst: str, *a: Any, **k: Any) -> None:
        Path(dst).write_bytes(theirs)
        real_link(src, dst, *a, **k)

    monkeypatch.setattr(os, "link", link_after_them)
    result = run(args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "error: " + ALREADY_EXISTS[command].format(path=path)
    assert Path(path).read_bytes() == theirs
    assert [p for p in Path(path).parent.iterdir() if p.name != Path(path).name] == []


def test_atomic_writes_never_overwrite_an_existing_article(command: str) -> None:
    args, path = COMMANDS[command]
    first = run(args)
    assert first.exit_code in (0, 1) and first.stdout.splitlines()[0] == path
    edited = Path(path).read_bytes() + b"\nThe contributor's own edit.\n"
    Path(path).write_bytes(edited)
    again = run(args)  # import refuses; new writes the next free slug, talks-end-2
    assert path not in again.stdout.splitlines()
    assert Path(path).read_bytes() == edited


def test_write_atomic_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Other writers (the page cache, the build manifest) replace files: old or new, never half."""
    target = tmp_path / "manifest.json"
    target.write_text("old", "utf-8")
    _half_then_no_space(monkeypatch)
    with pytest.raises(OSError):
        write_atomic(target, "new " * 1000)
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]
    assert target.read_text("utf-8") == "old"


# --- a process killed while writing ------------------------------------------------------

# Runs the CLI with a writer that writes half the article, says so on stdout, then waits for
# the test to kill the process: the kill lands mid-write, every time.
STALLING_CLI = textwrap.dedent("""\
    import os, sys, time
    from build_tools.cli import main

    real_fdopen = os.fdopen

    class Stalling:
        def __init__(self, handle):
            self.handle = handle
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            self.handle.close()
        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            os.write(1, b"half written\\n")
            time.sleep(120)

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        return Stalling(handle) if mode == "wb" else handle

    os.fdopen = fdopen
    main(sys.argv[1:])
""")


def test_atomic_writes_killed_mid_write_leave_no_article_the_loader_reads(
    command: str, tmp_path: Path
) -> None:
    args, path = COMMANDS[command]
    before, checked = files_under(Path("archive")), check_output()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with subprocess.Popen(
        [sys.executable, "-c", STALLING_CLI, *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        said = process.stdout.readline() if process.stdout else b""
        process.kill()  # SIGKILL: no handler, no cleanup
        _, errors = process.communicate()
    assert said == b"half written\n", errors.decode()
    assert not Path(path).exists()
    left = {rel: data for rel, data in files_under(Path("archive")).items() if rel not in before}
    # The only file left is the hidden temporary one, holding the half the writer got to.
    assert len(left) == 1
    ((rel, half),) = left.items()
    match = TEMPORARY.fullmatch(Path(rel).name)
    assert match and match["name"] == Path(path).name, rel
    assert f"archive/{rel}".startswith(str(Path(path).parent) + "/")
    # `archive check` reads the archive as it did before: the leftover is not an article.
    assert check_output() == checked
    # Run again, the command writes the whole article, which the half was the start of.
    assert run(args).exit_code in (0, 1)
    assert Path(path).read_bytes().startswith(half) and len(Path(path).read_bytes()) > len(half)


def test_write_atomic_error_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed write() names no file; write_atomic's error does, for a message that can."""
    _half_then_no_space(monkeypatch)
    with pytest.raises(OSError) as raised:
        write_atomic(tmp_path / "page.html", "text")
    assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, str(tmp_path / "page.html"))


def test_write_atomic_new_file_has_the_usual_mode(tmp_path: Path) -> None:
    """Not the private mode of a temporary file: a web server serving the site reads it."""
    mask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "page.html", "text")
    finally:
        os.umask(mask)
    assert (tmp_path / "page.html").stat().st_mode & 0o777 == 0o666 & ~mask
