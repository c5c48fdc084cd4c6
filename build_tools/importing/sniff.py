"""Reading a saved copy: HTML when it looks like a page (and the charset it declares), plain text
otherwise."""

from __future__ import annotations

import re

from .extracted import Extracted
from .html import extract_html
from .text import extract_text


def looks_like_html(text: str, name: str = "") -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    return (
        re.match(
            r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|\?xml)\b",
            text[:2000],
            re.IGNORECASE | re.DOTALL,
        )
        is not None
    )


def html_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (<meta charset> or http-equiv), if any."""
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", data[:4096], re.IGNORECASE)
    return m.group(1).decode("ascii") if m else None


def extract(text: str, name: str = "") -> Extracted:
    """Read a saved copy: HTML when it looks like a page, plain text otherwise."""
    return extract_html(text) if looks_like_html(text, name) else extract_text(text)
