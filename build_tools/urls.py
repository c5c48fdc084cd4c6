"""Addresses: comparing article URLs (two that differ only by tracking noise are the same), and
the address of a page of the site."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_",)
TRACKING_KEYS = frozenset({"fbclid", "gclid", "ocid", "cmpid", "mc_cid", "mc_eid", "ito", "smid"})


def normalize_url(url: str) -> str:
    """Scheme, `www.`, fragment, trailing slash and tracking parameters do not count."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # '[::1' or a port that is not a number from 0 to 65535: as written
        return url.strip()
    host = (parts.hostname or "").lower().removeprefix("www.")
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(TRACKING_PREFIXES) and k.lower() not in TRACKING_KEYS
    ]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, urlencode(sorted(query)), ""))


@lru_cache(maxsize=65536)
def page_url(page: str, directory_urls: bool) -> str:
    """The URL of a page path relative to the site root, as MkDocs lays the site out."""
    if not directory_urls:
        return page[:-3] + ".html"
    if page == "index.md" or page.endswith("/index.md"):
        return page[: -len("index.md")]
    return page[:-3] + "/"
