"""A memo of per-file work between builds, keyed by content hashes: each file's parse (front
matter, lines, body, problems) and each article's entity mentions and date references.

Never trusted blindly: an entry is found only by the digest of the exact bytes (and registry)
it was computed from, so an edited file simply misses; a memo that does not unpickle, or was
written by other code (a digest of the modules that compute these results), is ignored and
rebuilt. Entries not used by a build are dropped when it is saved.
"""

from __future__ import annotations

import gc
import hashlib
import pickle
from pathlib import Path
from typing import Any

from .files import write_atomic_with

# The code whose results are kept: reading, checking, linking, and what they share. A change to
# any of it makes every kept result stale.
_CODE = ("read/*.py", "check/*.py", "link/*.py", "*.py")


# A memo is written again once more than one result in SAVE_AFTER_NEW is not in its file, or
# the file holds more than a tenth as many results again that the build did not use.
SAVE_AFTER_NEW = 100


def _code_version(code: tuple[str, ...] = _CODE) -> str:
    here = Path(__file__).parent
    h = hashlib.blake2b(digest_size=16)
    for pattern in code:
        for path in sorted(here.glob(pattern)):
            h.update(path.relative_to(here).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def key(*parts: str | bytes) -> str:
    """A digest of the parts, each preceded by its length (so that no two lists of parts give
    the same bytes), hashed in one call."""
    return framed_key(*map(frame, parts))


def frame(part: str | bytes) -> bytes:
    """A part of a key as `key` hashes it: its length, then its bytes. A part given to many
    keys is framed once (framed_key)."""
    data = part.encode("utf-8") if isinstance(part, str) else part
    return len(data).to_bytes(8, "little") + data


def framed_key(*framed: bytes) -> str:
    """key of parts already framed (`frame`): key(a, b) == framed_key(frame(a), frame(b))."""
    return hashlib.blake2b(b"".join(framed), digest_size=20).hexdigest()


def load_pickle(path: Path) -> object:
    """What a cache file of ours holds, or None when it is missing or does not unpickle.

    Unpickled with the cycle collector off: loading makes millions of objects, none of them
    garbage, and the collector would walk them all again each time the heap grew by a quarter
    (half a second at 10,000 articles)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (
        OSError,
        EOFError,
        pickle.UnpicklingError,
        AttributeError,
        ImportError,
        ValueError,
        TypeError,
        IndexError,
        KeyError,
        MemoryError,
    ):
        return None  # missing or damaged: start empty
    finally:
        if collecting:
            gc.enable()


class Memo:
    """Tables, by default `parsed` and `linked`, each from a content key to a result.

    tables, code: another memo's tables, and the code (globs under build_tools/) whose results
    it keeps (search.index keeps each article's plain text and terms this way)."""

    def __init__(
        self,
        path: Path | None = None,
        tables: tuple[str, ...] = ("parsed", "linked"),
        code: tuple[str, ...] = _CODE,
    ) -> None:
        self.path = path
        self.version = _code_version(code)
        self._tables: dict[str, dict[str, Any]] = {name: {} for name in tables}
        self._used: dict[str, dict[str, Any]] = {name: {} for name in tables}
        self.hits = self.misses = 0
        self._new = 0  # results put that the file does not hold
        if path is not None:
            self._read(path)

    def _read(self, path: Path) -> None:
        stored = load_pickle(path)
        if (
            isinstance(stored, dict)
            and stored.get("version") == self.version
            and isinstance(stored.get("tables"), dict)
        ):
            for name in self._tables:
                table = stored["tables"].get(name)
                if isinstance(table, dict):
                    self._tables[name] = table

    def empty(self) -> bool:
        """Nothing was kept from an earlier build."""
        return not any(self._tables.values())

    def get(self, table: str, content_key: str) -> Any | None:
        value = self._tables[table].get(content_key)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self._used[table][content_key] = value
        return value

    def put(self, table: str, content_key: str, value: Any) -> None:
        if content_key not in self._tables[table]:
            self._new += 1
        self._used[table][content_key] = value

    def save(self) -> None:
        """Write the results this build used to the file, unless the file holds all but a few
        of them and little else: writing a memo costs more than working out a hundredth of its
        entries again (0.4 s against 0.2 s at 10,000 articles), so a one-article rebuild leaves
        it as it is. The file is never wrong either way: a result is found only by its key."""
        if self.path is None:
            return
        used = sum(len(table) for table in self._used.values())
        stale = sum(len(table) for table in self._tables.values()) - (used - self._new)
        if self._new * SAVE_AFTER_NEW <= used and stale * 10 <= used:
            return
        kept = {"version": self.version, "tables": self._used}
        # Pickled into the file as it goes: at 100,000 articles the search memo is 520 MB.
        write_atomic_with(
            self.path,
            lambda handle: pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL),
            durable=False,
        )
