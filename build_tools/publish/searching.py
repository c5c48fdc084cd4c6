"""The search index and database of a build, written in a forked process while the build goes
on (rendering, MkDocs), into a folder of the cache; `place` then moves them into the site.

The files are the ones search.write_search_index writes in the build's own process, byte for
byte: only when they are written changes. Where processes cannot be forked, they are written
when placed.
"""

from __future__ import annotations

import multiprocessing
import shutil
from collections.abc import Callable
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any

from ..link.links import LinkedArchive
from ..memo import Memo
from ..search import write_search_index
from ..search.index import DATABASE, TEXT_MEMO, SearchStats
from ..settings import Settings

_SHARED: dict[str, Any] = {}  # what the forked process inherits instead of a pickled copy


def _write() -> SearchStats:
    linked, folder, page_url, settings, memo_file = (
        _SHARED[k] for k in ("linked", "folder", "page_url", "settings", "memo_file")
    )
    memo = Memo(memo_file, *TEXT_MEMO)
    stats = write_search_index(linked, folder / "search", page_url, settings, memo)
    memo.save()
    return stats


class BackgroundSearch:
    """Starts writing `linked`'s search files into `folder` (emptied first) at once."""

    def __init__(
        self,
        linked: LinkedArchive,
        folder: Path,
        page_url: Callable[[str], str],
        settings: Settings,
        memo_file: Path,
    ) -> None:
        self.folder = folder
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        _SHARED.update(
            linked=linked, folder=folder, page_url=page_url, settings=settings, memo_file=memo_file
        )
        self._pool: Pool | None = None
        self._result: AsyncResult[SearchStats] | None = None
        if "fork" in multiprocessing.get_all_start_methods():
            try:
                self._pool = multiprocessing.get_context("fork").Pool(1)
                self._result = self._pool.apply_async(_write)
            finally:
                _SHARED.clear()

    def place(self, site_dir: Path) -> SearchStats:
        """Wait for the files, then put search/ and the database in the site (raises what
        writing them raised: a full disk, say). A failure leaves no half-written search/."""
        try:
            if self._result is not None:
                stats = self._result.get()
            else:
                stats = _write()
        except BaseException:
            self.cancel()
            shutil.rmtree(site_dir / "search", ignore_errors=True)
            raise
        finally:
            _SHARED.clear()
            if self._pool is not None:
                self._pool.close()
                self._pool.join()
                self._pool = None
        shutil.rmtree(site_dir / "search", ignore_errors=True)
        site_dir.mkdir(parents=True, exist_ok=True)
        # A rename, or a copy when the cache is on another file system than the site.
        shutil.move(stats.sqlite_path, site_dir / DATABASE)
        shutil.move(self.folder / "search", site_dir / "search")
        shutil.rmtree(self.folder, ignore_errors=True)
        return stats

    def cancel(self) -> None:
        """Stop writing (the build failed) and remove what was written."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        _SHARED.clear()
        shutil.rmtree(self.folder, ignore_errors=True)
