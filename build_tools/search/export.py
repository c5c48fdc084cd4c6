"""`archive export`: the articles of archive.sqlite, all of them or those an `archive search`
query and its filters select, as citations (build_tools.cite) in BibTeX, RIS, CSL-JSON or CSV."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..cite import Cited, export_text
from ..model import Article
from ..problems import Source
from .query import open_database, search_archive

CHUNK = 500  # ids per statement: well under SQLite's limit on parameters


@dataclass(frozen=True)
class Export:
    text: str
    count: int  # articles in it


def export_archive(
    db: Path,
    format_name: str,
    query: str = "",
    *,
    entities: Sequence[str] = (),
    source: str | None = None,
    tag: str | None = None,
    terms: Sequence[tuple[str, str]] = (),
    language: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    archive_name: str = "",
    site_url: str | None = None,
) -> Export:
    """Every article matching `query` and the filters (as search_archive reads them; every
    article when none is given), oldest first, in `format_name` ('bibtex', 'ris', 'csl-json',
    'csv'). `site_url` makes each article's permalink a full address. Raises QueryError."""
    with contextlib.closing(open_database(db)) as connection:
        total = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        selected = bool(
            query.strip() or entities or source or tag or terms or language or date_from or date_to
        )
        if not selected:
            ids = [row[0] for row in connection.execute("SELECT id FROM articles ORDER BY id")]
        elif total:
            # The same selection as `archive search`, all of it: one query, its hits' ids.
            result = search_archive(
                db,
                query,
                entities=entities,
                source=source,
                tag=tag,
                terms=terms,
                language=language,
                date_from=date_from,
                date_to=date_to,
                limit=total,
            )
            ids = sorted(hit.id for hit in result.hits)
        else:
            ids = []
        items = [
            Cited(article, archive_name, page, site_url + page if site_url else None)
            for article, page in _articles(connection, ids)
        ]
    return Export(export_text(format_name, items), len(items))


def _articles(connection: sqlite3.Connection, ids: list[int]) -> list[tuple[Article, str]]:
    """The articles of `ids` (in that order) with their page, as the model has them; the
    text is left out, which no citation quotes."""
    found: list[tuple[Article, str]] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        authors: dict[int, list[str]] = {}
        for article_id, name in connection.execute(
            f"SELECT article_id, name FROM authors WHERE article_id IN ({marks}) "
            "ORDER BY article_id, position",
            chunk,
        ):
            authors.setdefault(article_id, []).append(name)
        tags: dict[int, list[str]] = {}
        for article_id, name in connection.execute(
            f"SELECT article_id, tag FROM tags WHERE article_id IN ({marks}) ORDER BY article_id, tag",
            chunk,
        ):
            tags.setdefault(article_id, []).append(name)
        rows = connection.execute(
            "SELECT id, slug, path, title, date, published, source, url, language, summary, "
            f"page_url, retrieved, archive_url FROM articles WHERE id IN ({marks}) ORDER BY id",
            chunk,
        )
        for row in rows:
            (number, slug, path, title, date, published, source, url, language, summary) = row[:10]
            page, retrieved, archive_url = row[10:]
            article = Article(
                slug=slug,
                path=path,
                source_file=Source(path),
                title=title,
                date=dt.date.fromisoformat(date),
                published=dt.datetime.fromisoformat(published) if published else None,
                source=source,
                body="",
                body_line=1,
                url=url,
                authors=tuple(authors.get(number, ())),
                language=language,
                summary=summary,
                tags=tuple(tags.get(number, ())),
                retrieved=dt.date.fromisoformat(retrieved) if retrieved else None,
                archive_url=archive_url,
            )
            found.append((article, page))
    return found
