"""An article as the archive cites it (`Cited`), its reference as a reader copies it, and the
Highwire `citation_*` tags reference managers (Zotero) read from its page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..days import long_date, moment_text
from ..model import Article

# Control characters (C0, DEL, C1) carry nothing a citation needs, and some of them end a line
# or a record (RIS) or move a terminal's cursor (export to stdout): they go.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Archive text for a citation: one line, spaces collapsed, no control characters."""
    return " ".join(_CONTROL.sub(" ", text).split())


@dataclass(frozen=True)
class Cited:
    """An article and where the archive keeps it."""

    article: Article
    archive: str  # the archive's name (site_name)
    page: str  # the article's page, relative to the site's root: 'articles/2022/03/x.html'
    permalink: str | None = None  # its full address, when the site has one

    @property
    def key(self) -> str:
        """The citation key: the article's slug, unique in the archive ([a-z0-9-])."""
        return self.article.slug

    @property
    def archived_at(self) -> str:
        """Where the archive's copy is, for the reference: the permalink, else the page."""
        return self.permalink or self.page


def reference(cited: Cited) -> str:
    """The formatted reference, in the order a reader checks it: who, what, where, when, the
    original's address, the archived copy, the archive's own, the day the copy was made."""
    a = cited.article
    parts = []
    if a.authors:
        parts.append(_names([clean(x) for x in a.authors]) + ".")
    parts.append(f"“{clean(a.title).rstrip('.')}.”")
    parts.append(f"{clean(a.source)}, {moment_text(a.date, a.published)}.")
    if a.url:
        parts.append(f"{clean(a.url)}.")
    if a.archive_url:
        parts.append(f"Archived copy: {clean(a.archive_url)}.")
    archive = clean(cited.archive) or "the archive"
    parts.append(f"In {archive}: {clean(cited.archived_at)}.")
    if a.retrieved:
        parts.append(f"Retrieved {long_date(a.retrieved)}.")
    return " ".join(parts)


def _names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def meta_tags(cited: Cited) -> list[tuple[str, str]]:
    """Highwire Press tags ('citation_title', …) as (name, content) pairs, in order."""
    a = cited.article
    tags = [("citation_title", clean(a.title))]
    tags += [("citation_author", clean(name)) for name in a.authors]
    tags.append(("citation_publication_date", a.date.strftime("%Y/%m/%d")))
    tags.append(("citation_publisher", clean(a.source)))
    if a.url:
        tags.append(("citation_public_url", clean(a.url)))
    if cited.permalink:
        tags.append(("citation_fulltext_html_url", cited.permalink))
    tags.append(("citation_language", clean(a.language)))
    return tags
