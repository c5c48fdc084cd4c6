"""Files and folders: writing a file atomically (a temporary file in the same folder, flushed,
then renamed), the lock that lets one process at a time work on a folder, and a record of what a
folder holds (each file's size, time and digest) to tell later whether anything changed."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

# The errors a full disk (or a full quota) gives; SQLite says SQLITE_FULL (13).
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
_SQLITE_FULL = 13


@lru_cache(maxsize=1)
def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: str | bytes, *, overwrite: bool = True, durable: bool = True) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half.

    With overwrite=False, raise FileExistsError when `path` exists (checked again at the
    moment of the rename, with a hard link, so two writers cannot both win). durable=False
    skips the fsync: for caches, which are rebuilt when lost, the rename alone is enough.
    An OSError raised here names `path` (exc.filename) when the system did not name a file.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    write_atomic_with(path, lambda handle: handle.write(payload), overwrite=overwrite, durable=durable)


def write_atomic_with(
    path: Path, write: Callable[[BinaryIO], object], *, overwrite: bool = True, durable: bool = True
) -> None:
    """write_atomic for a file written piece by piece: `write` is given the open temporary file
    (a large cache is pickled straight into it, never held whole in memory)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes the file private; give it the usual mode
            os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails with FileExistsError if someone got there first
            os.unlink(tmp)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = str(path)  # a failed write() names no file; the caller wants one
        raise


# A hard link cannot be made here: another file system, too many links, none supported.
_NO_LINK = frozenset({errno.EXDEV, errno.EMLINK, errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP})


def link_atomic(source: Path | str, path: Path | str) -> bool:
    """Make `path` a hard link to `source`, replacing what was there in one step (readers see
    the old file or the new one, as with write_atomic), with no byte copied; False when the
    file system cannot link them (the caller copies instead). The two names are then one file:
    whoever writes `source` afterwards must make a new file, never write over this one.
    """
    folder, name = os.path.split(os.fspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    for _ in range(2):
        try:
            os.link(source, tmp)
            break
        except FileExistsError:  # left by a process of this number that was killed
            os.unlink(tmp)
        except OSError as exc:
            if exc.errno in _NO_LINK:
                return False
            exc.filename, exc.filename2 = os.fspath(path), None  # the caller wants the file it writes
            raise
    try:
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            exc.filename, exc.filename2 = os.fspath(path), None
        raise
    return True


def is_disk_full(exc: BaseException) -> bool:
    """Whether an error says the disk (or the user's quota) is full: an OSError, or SQLite's."""
    if isinstance(exc, OSError):
        return exc.errno in DISK_FULL
    return getattr(exc, "sqlite_errorcode", None) == _SQLITE_FULL


class LockHeld(Exception):
    """Another process holds the lock; `pid` is its process id when it wrote one."""

    def __init__(self, path: Path, pid: int | None) -> None:
        super().__init__(f"{path} is held by {'process ' + str(pid) if pid else 'another process'}")
        self.path = path
        self.pid = pid


class FolderLock:
    """The lock of a folder: a lock file, held by one process at a time (fcntl.flock).

    Taken without waiting: acquire() raises LockHeld, with the holder's process id, which the
    holder writes into the file. The system releases the lock when its holder ends, however it
    ends, so a lock file left behind never blocks anyone. Where there is no flock (Windows),
    the lock is not taken.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> None:
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is already held by this lock")
        if sys.platform == "win32":
            return
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise LockHeld(self.path, _pid_in(os.pread(fd, 32, 0))) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)  # while still held: no reader takes a finished build's id
        finally:
            os.close(fd)  # releases the lock

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _pid_in(data: bytes) -> int | None:
    text = data.decode("ascii", "replace").strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


# --- what a folder holds -----------------------------------------------------------------

# A file as recorded: its size, modification time (ns) and a digest of its bytes.
FileRecord = tuple[int, int, str]


@dataclass(frozen=True)
class FolderCheck:
    """A folder compared with a record of it. Paths are relative, with '/'."""

    intact: dict[str, FileRecord]  # recorded files that still hold the recorded bytes
    changed: tuple[str, ...]  # recorded files whose bytes differ (or that are no longer files)
    missing: tuple[str, ...]  # recorded files that are gone
    unknown: tuple[str, ...]  # files (or links) that the record does not list

    @property
    def damaged(self) -> bool:
        return bool(self.changed or self.missing or self.unknown)


def record_folder(folder: Path, known: Mapping[str, FileRecord] | None = None) -> dict[str, FileRecord]:
    """Every regular file under `folder` with its size, time and digest. A file whose size and
    time equal its entry in `known` keeps that entry's digest without being read again.

    Entries at the top whose names start with '.' are left out, as MkDocs leaves them alone
    (a .git of a deployment checkout, say); so are links and other special files.
    """
    known = known or {}
    record: dict[str, FileRecord] = {}
    for rel, entry in _entries(folder):
        if not entry.is_file(follow_symlinks=False):
            continue
        found = entry.stat(follow_symlinks=False)
        record[rel] = _record(Path(entry.path), found.st_size, found.st_mtime_ns, known.get(rel))
    return record


def written_record(path: Path, data: bytes) -> FileRecord:
    """record_folder's record of the file just written at `path` with `data`: its digest
    from the bytes in hand, the file not read again."""
    found = os.stat(path)
    return (found.st_size, found.st_mtime_ns, hashlib.blake2b(data, digest_size=16).hexdigest())


def _record(path: Path, size: int, mtime_ns: int, before: FileRecord | None) -> FileRecord:
    """A file's record: `before`'s digest when its size and time are as recorded, else read."""
    if before is not None and before[:2] == (size, mtime_ns):
        return before
    return (size, mtime_ns, file_digest(path))


def record_changes(
    folder: Path, known: Mapping[str, FileRecord], paths: Iterable[str], trees: Iterable[str] = ()
) -> dict[str, FileRecord]:
    """record_folder of `folder` when `known` recorded it and since then only the files at
    `paths` and under the folders `trees` may have been written or deleted: those are looked
    at again, every other file keeps its entry without a stat."""
    trees = tuple(trees)
    prefixes = tuple(tree + "/" for tree in trees)
    again = set(paths)
    record = {rel: entry for rel, entry in known.items() if rel not in again and not rel.startswith(prefixes)}
    for rel in sorted(again):
        try:
            found = os.lstat(folder / rel)
        except OSError:
            continue  # deleted, or never written
        if not stat.S_ISREG(found.st_mode) or ("/" not in rel and rel.startswith(".")):
            continue  # as record_folder leaves them out
        record[rel] = _record(folder / rel, found.st_size, found.st_mtime_ns, known.get(rel))
    for tree, prefix in zip(trees, prefixes, strict=True):
        inside = {rel[len(prefix) :]: entry for rel, entry in known.items() if rel.startswith(prefix)}
        record.update((prefix + rel, entry) for rel, entry in record_folder(folder / tree, inside).items())
    return record


def check_folder(folder: Path, record: Mapping[str, FileRecord]) -> FolderCheck:
    """Compare `folder` with `record`. A file whose size and time are as recorded is taken as
    intact (a writer changes the time); any other is read, and intact if its digest matches."""
    intact: dict[str, FileRecord] = {}
    changed, unknown = [], []
    for rel, entry in _entries(folder):
        before = record.get(rel)
        if before is None:
            unknown.append(rel)
            continue
        if not entry.is_file(follow_symlinks=False):
            changed.append(rel)
            continue
        found = entry.stat(follow_symlinks=False)
        now = (found.st_size, found.st_mtime_ns)
        if before[:2] == now:
            intact[rel] = before
        elif found.st_size == before[0] and file_digest(Path(entry.path)) == before[2]:
            intact[rel] = (*now, before[2])
        else:
            changed.append(rel)
    missing = sorted(set(record) - set(intact) - set(changed))
    return FolderCheck(intact, tuple(sorted(changed)), tuple(missing), tuple(sorted(unknown)))


def remove_files(folder: Path, paths: Iterable[str]) -> None:
    """Delete these files (or links, or a folder standing where a file should be) under
    `folder`, then the folders that deleting them left empty."""
    emptied: set[Path] = set()
    for rel in paths:
        path = folder / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        emptied.add(path.parent)
    for parent in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
        while parent != folder and folder in parent.parents:
            try:
                parent.rmdir()
            except OSError:
                break  # not empty, or gone already with a deeper one
            parent = parent.parent


def file_digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _entries(folder: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(relative path, entry) of everything under `folder` but folders; links are not followed."""
    stack = [("", str(folder))]
    while stack:
        prefix, path = stack.pop()
        try:
            entries = list(os.scandir(path))
        except FileNotFoundError:
            continue
        for entry in entries:
            if not prefix and entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                stack.append((rel + "/", entry.path))
            else:
                yield rel, entry
