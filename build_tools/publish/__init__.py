"""Stage 5, publish: generated Markdown to cleaned HTML and the site folder. The only stage that
writes the site, and the only code that imports MkDocs (plugin.py and build.py)."""

from __future__ import annotations

import importlib.util

# ProperDocs (the maintained fork of MkDocs 1.x) without MkDocs installed: its alias makes every
# `mkdocs.*` import below (plugin.py, build.py) load the same module from `properdocs.*`.
# `properdocs build` sets it up itself; this is for `archive build`/`serve`.
if importlib.util.find_spec("mkdocs") is None and importlib.util.find_spec("properdocs") is not None:
    import properdocs.replacement  # noqa: F401

from .pages import Converted, Converter, convert_page, page_url, to_html
from .sanitize import clean_html, content_id
from .sync import read_state, sync_pages

__all__ = [
    "Converted",
    "Converter",
    "clean_html",
    "content_id",
    "convert_page",
    "page_url",
    "read_state",
    "sync_pages",
    "to_html",
]
