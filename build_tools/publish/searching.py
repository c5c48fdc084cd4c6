"""The search index and database of a build, written in two forked processes while the build goes
on (rendering, MkDocs), into a folder of the cache; `place` then moves them into the site.

The files are the ones search.write_search_index writes in the build's own process, byte for
byte: only when they are written changes. Where processes cannot be forked, they are written
when placed.
"""

from __future__ import annotations

import multiprocessing
import shutil
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any

from ..link.links import LinkedArchive
from ..memo import Memo
from ..search import write_search_index
from ..search.database import write_database
from ..search.index import DATABASE, TEXT_MEMO, SearchStats
from ..settings import Settings

_SHARED: dict[str, Any] = {}  # what the forked processes inherit instead of a pickled copy


def _write_index() -> SearchStats:
    linked, folder, page_url, settings, memo_file, reuse = (
        _SHARED[k] for k in ("linked", "folder", "page_url", "settings", "memo_file", "reuse")
    )
    memo = Memo(memo_file, *TEXT_MEMO)
    stats = write_search_index(
        linked, folder / "search", page_url, settings, memo, database=False, reuse=reuse
    )
    memo.save()
    return stats


def _write_database() -> Path:
    linked, folder, page_url, settings = (_SHARED[k] for k in ("linked", "folder", "page_url", "settings"))
    urls = [page_url(link.article.path) for link in linked.links]
    return write_database(linked, folder / DATABASE, urls, settings)


class BackgroundSearch:
    """Starts writing `linked`'s search files and database into `folder` (emptied first) at
    once, each in a process of its own (together they take longer than the rest of a one-article
    rebuild). reuse: the site's search folder, whose files that hold what is to be written are
    linked rather than written again (search.write_search_index)."""

    def __init__(
        self,
        linked: LinkedArchive,
        folder: Path,
        page_url: Callable[[str], str],
        settings: Settings,
        memo_file: Path,
        reuse: Path | None = None,
    ) -> None:
        self.folder = folder
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        _SHARED.update(
            linked=linked,
            folder=folder,
            page_url=page_url,
            settings=settings,
            memo_file=memo_file,
            reuse=reuse,
        )
        self._pool: Pool | None = None
        self._index: AsyncResult[SearchStats] | None = None
        self._database: AsyncResult[Path] | None = None
        if "fork" in multiprocessing.get_all_start_methods():
            try:
                self._pool = multiprocessing.get_context("fork").Pool(2)
                self._database = self._pool.apply_async(_write_database)
                self._index = self._pool.apply_async(_write_index)
            finally:
                _SHARED.clear()

    def place(self, site_dir: Path) -> SearchStats:
        """Wait for the files, then put search/ and the database in the site (raises what
        writing them raised: a full disk, say). A failure leaves no half-written search/."""
        try:
            if self._index is not None and self._database is not None:
                database = self._database.get()
                stats = self._index.get()
            else:
                stats = _write_index()
                database = _write_database()
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
        stats = replace(stats, sqlite_path=site_dir / DATABASE, sqlite_bytes=database.stat().st_size)
        shutil.rmtree(site_dir / "search", ignore_errors=True)
        site_dir.mkdir(parents=True, exist_ok=True)
        # A rename, or a copy when the cache is on another file system than the site.
        shutil.move(database, site_dir / DATABASE)
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
