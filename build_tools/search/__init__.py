"""Search for the static site (sharded index files and a search page) and for researchers (SQLite).

Imports nothing from MkDocs: the adapter calls write_search_index after the site is written.
"""

from __future__ import annotations

from .index import SearchStats, write_search_index
from .page import search_page

__all__ = ["SearchStats", "search_page", "write_search_index"]
