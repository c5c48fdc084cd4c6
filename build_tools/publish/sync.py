"""The folder of generated pages and files, kept in step with what the archive generates.

`sync_pages` writes each page (or file) whose text changed and no other, so that an engine that
rebuilds by modification time (MkDocs' dirty builds) rebuilds just those; `read_state` gives the
state the last sync recorded (what rendered them, render.units) when every file it wrote is still
as it was left, so that a build may keep the files of what did not change without rendering them.
Nothing here knows MkDocs or what a page says.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..files import write_atomic

MANIFEST = "pages.pickle"
VERSION = 3

Record = tuple[str, int, int]  # digest of the text, size, modification time (ns)


@dataclass(frozen=True)
class PageSync:
    folder: Path
    changed: frozenset[str]  # pages whose file was written now
    removed: frozenset[str]  # pages that existed at the last sync and are gone now
    records: Mapping[str, Record] = field(default_factory=dict)  # each file's, as now recorded


def digest(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _manifest(folder: Path) -> tuple[dict[str, Record], Any]:
    """The records and the state of the last sync; none when missing, damaged or older."""
    try:
        stored = pickle.loads((folder / MANIFEST).read_bytes())
    except Exception:  # missing, cut short, or not ours: no state
        return {}, None
    if (
        not isinstance(stored, dict)
        or stored.get("version") != VERSION
        or not isinstance(stored.get("files"), dict)
    ):
        return {}, None
    records: dict[str, Record] = {}
    for path, entry in stored["files"].items():
        if not (
            isinstance(entry, tuple)
            and len(entry) == 3
            and isinstance(entry[0], str)
            and isinstance(entry[1], int)
            and isinstance(entry[2], int)
        ):
            return {}, None
        records[path] = (entry[0], entry[1], entry[2])
    return records, stored.get("state")


def _stat(path: str | Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


def _intact(path: str | Path, record: Record) -> Record | None:
    """The file's record when it holds the recorded text: same size and time as recorded, or
    else the same digest (touched, not changed); None when it does not."""
    now = _stat(path)
    if now is None:
        return None
    if now == record[1:]:
        return record
    try:
        same = digest(Path(path).read_bytes()) == record[0]
    except OSError:
        return None
    return (record[0], *now) if same else None


def read_state(folder: Path) -> tuple[Any, frozenset[str]] | None:
    """The state the last sync recorded and the files it recorded, when every one of them is
    intact; else None (a file edited, removed or cut short by a crash: the next build renders
    everything again)."""
    return _checked(folder, *_manifest(folder))


def _checked(folder: Path, records: dict[str, Record], state: Any) -> tuple[Any, frozenset[str]] | None:
    if state is None or not records:
        return None
    for path, record in records.items():
        found = _intact(os.path.join(folder, path), record)
        if found is None:
            return None
        if found is not record:  # touched, same text: its time as it is now
            records[path] = found
    return state, frozenset(records)


class PageFolder:
    """The folder of pages being synced: `write` the pages of a build (in as many calls as
    wanted), `keep` the ones not rendered, then `finish`. See sync_pages."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._recorded: dict[str, Record] | None = None  # read when the first page is written
        self._current: dict[str, Record] = {}
        self._changed: list[str] = []
        self._made: set[Path] = set()
        self._read: dict[str, Record] | None = None  # the manifest, when read_state read it

    def read_state(self) -> tuple[Any, frozenset[str]] | None:
        """read_state of this folder, before the first write (the manifest is read once)."""
        records, state = _manifest(self.folder)
        self._read = records
        return _checked(self.folder, records, state)

    def _start(self) -> dict[str, Record]:
        if self._recorded is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._recorded = self._read if self._read is not None else _manifest(self.folder)[0]
            (self.folder / MANIFEST).unlink(missing_ok=True)
        return self._recorded

    def write(self, pages: Mapping[str, str], fresh: bool = False) -> None:
        """fresh: a changed file is written as a new file, the old one unlinked first, never
        written over: the site may hold the old one as a hard link (publish.build links the
        files MkDocs copies from this folder), and keeps it until the build replaces it."""
        recorded = self._start()
        for path, text in pages.items():
            if path in self._current:
                raise ValueError(f"{path} is written twice")
            target = self.folder / path
            data = text.encode("utf-8")
            known = recorded.get(path)
            found = _intact(target, known) if known and known[0] == digest(data) else None
            if found is not None:
                self._current[path] = found
                continue
            if target.parent not in self._made:
                target.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(target.parent)
            if fresh:
                try:
                    os.unlink(target)
                except FileNotFoundError:
                    pass
            target.write_bytes(data)
            stat = _stat(target)
            assert stat is not None
            self._current[path] = (digest(data), *stat)
            self._changed.append(path)

    def keep(self, paths: Iterable[str]) -> None:
        recorded = self._start()
        for path in paths:
            if path in self._current:
                raise ValueError(f"{path} is both written and kept")
            self._current[path] = recorded[path]

    def finish(self, state: Any = None) -> PageSync:
        recorded = self._start()
        removed = sorted(set(recorded) - set(self._current))
        for path in removed:
            try:
                (self.folder / path).unlink()
            except FileNotFoundError:
                pass
        # Pickled: at 10,000 articles, JSON with its keys sorted cost a tenth of a one-article
        # rebuild, read and written. The cache is this tool's own, as the memo is.
        manifest = {"version": VERSION, "files": self._current, "state": state}
        write_atomic(
            self.folder / MANIFEST, pickle.dumps(manifest, protocol=pickle.HIGHEST_PROTOCOL), durable=False
        )
        return PageSync(self.folder, frozenset(self._changed), frozenset(removed), self._current)


def sync_pages(
    pages: Mapping[str, str], folder: Path, kept: Iterable[str] = (), state: Any = None
) -> PageSync:
    """Write each page to folder/<path> unless the file already holds exactly that text.

    kept: paths of pages not given now, whose files the last sync wrote and which stay as they
    are (they were checked by read_state). state: what to record for read_state (dicts, lists, text).
    The manifest records each file's digest, size and time; a file that does not match its record
    (edited, truncated, missing) is rewritten, so a damaged folder is repaired, never trusted.
    Pages no longer generated are deleted. Page files are written in place, not through a
    temporary file and a rename (which cost more than the conversion of a page): a file cut short
    by a crash does not match its record and is written again. The manifest, written last, is
    replaced atomically; until then the old one is gone, so a sync cut short leaves no state.
    """
    writer = PageFolder(folder)
    writer.write(pages)
    writer.keep(kept)
    return writer.finish(state)
