"""Stage 5, publish: generated Markdown to cleaned HTML and the site folder. The only stage that
writes the site, and the only code that imports MkDocs (plugin.py and build.py)."""

from __future__ import annotations

from .pages import Converted, convert_page, page_url, sync_pages, to_html
from .sanitize import clean_html, content_id

__all__ = ["Converted", "clean_html", "content_id", "convert_page", "page_url", "sync_pages", "to_html"]
