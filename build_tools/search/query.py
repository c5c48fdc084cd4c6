"""Queries on archive.sqlite (database.py): full-text search with filters, for `archive search`.

The query syntax (syntax.py) is the search page's: words (all of them), "quoted phrases", OR,
-word and -"phrase", word* as a prefix. SQLite's FTS5 ranks with BM25, a title match above an
entity-name match above a body match. A search is one statement (the best matches, ranked by
bm25() with their snippets) and one count, through Python's own sqlite3: real queries answer in
a few milliseconds, and `make bench` measures them at 10,000 and 100,000 articles
(docs/search-design.md). With no result, spelling.py suggests the archive's spelling.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import difflib
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..folding import name_key
from .database import RANK, SCHEMA_VERSION
from .spelling import entity_named, spelling_suggestion
from .syntax import fts_query, parse_query
from .text import plain_text

__all__ = ["QueryError", "SearchHit", "SearchResult", "fts_query", "parse_period", "search_archive"]

SNIPPET_WORDS = 16
# Snippet markers FTS5 puts around matched words; never in archive text (private use).
_OPEN, _CLOSE = "\ue000", "\ue001"


class QueryError(ValueError):
    """A query that cannot run: a bad date, an unknown entity, a missing database. The message
    says what to do."""


@dataclass(frozen=True)
class SearchHit:
    rank: int
    id: int
    date: str
    source: str
    title: str
    page_url: str
    url: str | None
    snippet: str
    score: float | None  # FTS5 bm25(): lower is better; None without words


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[SearchHit, ...]
    total: int  # every matching article, of which `hits` are the first
    # With no result: the query with its unknown words spelt as the archive writes them.
    suggestion: str | None = None
    # The query is an entity's name or alias: (its id, its name), to offer its filter.
    entity: tuple[str, str] | None = None


def parse_period(text: str, *, end: bool = False) -> dt.date:
    """YYYY, YYYY-MM or YYYY-MM-DD as its first day (or with end=True its last day)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
    try:
        if match is None:
            raise ValueError
        year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
        if end and match[3] is None:
            month = month if match[2] else 12
            day = calendar.monthrange(year, month)[1]
        return dt.date(year, month, day)
    except ValueError:
        raise QueryError(f"'{text}' is not a date; use YYYY-MM-DD, YYYY-MM or YYYY") from None


def open_database(path: Path) -> sqlite3.Connection:
    """The database read-only; QueryError when it is missing or not one this version wrote."""
    path = Path(path)
    if not path.is_file():
        raise QueryError(f"no search database at {path}; run `archive build` first (or pass --db PATH)")
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        version = _value(connection, "PRAGMA user_version")
    except sqlite3.Error as exc:
        connection.close()
        raise QueryError(f"{path} is not a search database ({exc})") from None
    if version != SCHEMA_VERSION:
        connection.close()
        raise QueryError(
            f"{path} was written by another version (schema {version}, expected "
            f"{SCHEMA_VERSION}); run `archive build` again"
        )
    return connection


def _value(connection: sqlite3.Connection, sql: str, params: Sequence[object] = ()) -> Any:
    """The first column of the first row of `sql`."""
    row = connection.execute(sql, params).fetchone()
    assert row is not None, sql
    return row[0]


def search_archive(
    db: Path,
    query: str = "",
    *,
    entities: Sequence[str] = (),
    source: str | None = None,
    tag: str | None = None,
    terms: Sequence[tuple[str, str]] = (),
    language: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 20,
    marks: tuple[str, str] = ("[", "]"),
) -> SearchResult:
    """Articles matching the words of `query` and every filter, best first (newest first
    without words); snippets have the matched words between `marks`."""
    if limit < 1:
        raise QueryError(f"the limit is {limit}; ask for at least 1 result")
    parsed = parse_query(query)
    expression = parsed.fts()
    if not parsed.groups and not (
        entities or source or tag or terms or language or date_from or date_to or parsed.excluded
    ):
        raise QueryError(
            "give words to search for, or a filter (--entity, --source, --tag, --term, --lang, --from, --to)"
        )
    start = parse_period(date_from).isoformat() if date_from else None
    end = parse_period(date_to, end=True).isoformat() if date_to else None
    with contextlib.closing(open_database(db)) as connection:
        for entity_id in entities:
            _known(connection, "SELECT id FROM entities", entity_id, "entity", exact=True)
        sources = _known(connection, "SELECT DISTINCT source FROM articles", source, "source")
        tags = _known(connection, "SELECT DISTINCT tag FROM tags", tag, "tag")
        languages = _known(
            connection, "SELECT DISTINCT language FROM articles", language, "language", missing_ok=True
        )
        filters = _filters(entities, sources, tags, languages, start, end)
        if parsed.excluded and not expression:  # "-mariupol" alone: every article but those
            filters.append(
                (
                    "SELECT id FROM articles WHERE id NOT IN "
                    "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)",
                    [parsed.negative()],
                )
            )
        for key, value in terms:
            keys = [row[0] for row in connection.execute("SELECT key FROM groupings")]
            if key not in keys:
                raise QueryError(
                    f"no grouping '{key}' in the archive" + (f" (it has {', '.join(keys)})" if keys else "")
                )
            found = _known(
                connection,
                "SELECT DISTINCT term FROM article_terms WHERE grouping = " + _sql_text(key),
                value,
                key,
            )
            filters.append(
                (
                    f"SELECT article_id FROM article_terms WHERE grouping = ? AND term IN "
                    f"({', '.join('?' * len(found))})",
                    [key, *found],
                )
            )
        if expression:
            result = _ranked(connection, expression, filters, limit, marks)
        else:
            where, params = _where("a.id", filters)
            result = _by_date(connection, entities, where, params, limit, marks)
        named = entity_named(connection, query) if parsed.groups and not entities else None
        suggestion = spelling_suggestion(connection, parsed, query) if not result.total else None
        return SearchResult(result.hits, result.total, suggestion, named)


def _sql_text(text: str) -> str:
    """`text` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _filters(
    entities: Sequence[str],
    sources: Sequence[str],
    tags: Sequence[str],
    languages: Sequence[str],
    start: str | None,
    end: str | None,
) -> list[tuple[str, list[object]]]:
    """Each filter as (SQL of the ids it keeps, read from an index, and its parameters)."""
    sets: list[tuple[str, list[object]]] = [
        ("SELECT article_id FROM article_entities WHERE entity_id = ?", [entity_id])
        for entity_id in dict.fromkeys(entities)
    ]
    for values, sql in (
        (sources, "SELECT id FROM articles WHERE source IN ({})"),
        (tags, "SELECT article_id FROM tags WHERE tag IN ({})"),
        (languages, "SELECT id FROM articles WHERE language IN ({})"),
    ):
        if values:
            sets.append((sql.format(", ".join("?" * len(values))), list(values)))
    if start or end:
        sets.append(
            (
                "SELECT id FROM articles WHERE date BETWEEN ? AND ?",
                [start or "0000-01-01", end or "9999-12-31"],
            )
        )
    return sets


def _where(article: str, filters: list[tuple[str, list[object]]]) -> tuple[list[str], list[object]]:
    """Each filter as `article` IN (the ids it keeps): SQLite builds each set once, where
    joining the articles table would read a large row for every match."""
    return (
        [f"{article} IN ({sql})" for sql, _ in filters],
        [value for _, values in filters for value in values],
    )


def _ranked(
    connection: sqlite3.Connection,
    expression: str,
    filters: list[tuple[str, list[object]]],
    limit: int,
    marks: tuple[str, str],
) -> SearchResult:
    """The best `limit` matches, in one statement, and how many there are, in one count.

    `best` ranks (bm25() for every match, the filters as sets of ids); only the rows it keeps
    are joined to their articles and given a snippet, which costs far more than a score
    (SQLite computes every result column of a row before it sorts). `rowid IN best` lets FTS5
    read those rows in one pass of the query instead of running it again for each."""
    where, params = _where("+articles_fts.rowid", filters)
    condition = " AND ".join(["articles_fts MATCH ?", *where])
    try:
        total = _value(
            connection, f"SELECT count(*) FROM articles_fts WHERE {condition}", [expression, *params]
        )
        rows = connection.execute(
            f"WITH best AS (SELECT articles_fts.rowid AS id, {RANK} AS score FROM articles_fts "
            f"WHERE {condition} ORDER BY score, id DESC LIMIT ?) "
            f"SELECT a.id, a.date, a.source, a.title, a.page_url, a.url, "
            f"snippet(articles_fts, -1, ?, ?, '…', {SNIPPET_WORDS}), best.score "
            f"FROM articles_fts JOIN best ON best.id = articles_fts.rowid "
            f"JOIN articles a ON a.id = best.id "
            f"WHERE articles_fts MATCH ? AND articles_fts.rowid IN (SELECT id FROM best) "
            f"ORDER BY best.score, best.id DESC",
            [expression, *params, limit, _OPEN, _CLOSE, expression],
        ).fetchall()
    except sqlite3.Error as exc:
        raise QueryError(f"cannot search for {expression}: {exc}") from None
    hits = tuple(
        SearchHit(
            i, row[0], row[1], row[2], row[3], row[4], row[5], _clean_snippet(row[6], marks), round(row[7], 6)
        )
        for i, row in enumerate(rows, start=1)
    )
    return SearchResult(hits, total)


def _by_date(
    connection: sqlite3.Connection,
    entities: Sequence[str],
    where: list[str],
    params: list[object],
    limit: int,
    marks: tuple[str, str],
) -> SearchResult:
    condition = " AND ".join(where)
    # The date index holds (date, id): counting and ordering read it alone, newest first, and
    # stop at `limit`; only the hits' rows are read whole.
    total = _value(
        connection, f"SELECT count(*) FROM articles a INDEXED BY articles_date WHERE {condition}", params
    )
    ids = [
        row[0]
        for row in connection.execute(
            f"SELECT a.id FROM articles a INDEXED BY articles_date WHERE {condition} "
            f"ORDER BY a.date DESC, a.id DESC LIMIT ?",
            [*params, limit],
        )
    ]
    rows = {
        row[0]: row
        for row in connection.execute(
            f"SELECT id, date, source, title, page_url, url, summary, body FROM articles "
            f"WHERE id IN ({', '.join('?' * len(ids))})",
            ids,
        )
    }
    hits = []
    for i, article_id in enumerate(ids, start=1):
        row = rows[article_id]
        snippet = _mention_snippet(connection, row[0], row[7], entities, marks)
        if snippet is None:
            snippet = _shorten(plain_text(row[6] or row[7]))
        hits.append(SearchHit(i, row[0], row[1], row[2], row[3], row[4], row[5], snippet, None))
    return SearchResult(tuple(hits), total)


def _mention_snippet(
    connection: sqlite3.Connection,
    article_id: int,
    body: str,
    entities: Sequence[str],
    marks: tuple[str, str],
) -> str | None:
    """The body around the first mention of a filtered entity, the mention marked."""
    for entity_id in entities:
        found = connection.execute(
            'SELECT start, "end" FROM mentions WHERE article_id = ? AND entity_id = ? '
            "AND field = 'body' ORDER BY start LIMIT 1",
            (article_id, entity_id),
        ).fetchone()
        if found:
            start, end = found
            lo = body.rfind(" ", 0, max(0, start - 70)) + 1
            hi = body.find(" ", min(len(body), end + 90))
            hi = len(body) if hi < 0 else hi
            text = body[lo:start] + _OPEN + body[start:end] + _CLOSE + body[end:hi]
            text = ("…" if lo > 0 else "") + text + ("…" if hi < len(body) else "")
            return _clean_snippet(text, marks)
    return None


def _clean_snippet(snippet: str, marks: tuple[str, str]) -> str:
    """An FTS5 snippet of Markdown as plain text on one line, matches between `marks`."""
    text = plain_text(snippet)
    text = "… " + text[1:].lstrip() if text.startswith("…") else text
    text = text[:-1].rstrip() + " …" if text.endswith("…") else text
    return text.replace(_OPEN, marks[0]).replace(_CLOSE, marks[1])


def _shorten(text: str, width: int = 160) -> str:
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text[: cut if cut > 0 else width] + "…"


def _known(
    connection: sqlite3.Connection,
    sql: str,
    value: str | None,
    what: str,
    exact: bool = False,
    missing_ok: bool = False,
) -> list[str]:
    """The values of `sql` that are `value`, or (unless `exact`) the same name as the site's
    pages take it (render.markup.name_key: Unicode NFC, case folded in any script);
    QueryError with a did-you-mean when there are none, unless `missing_ok`."""
    if value is None:
        return []
    known = [row[0] for row in connection.execute(sql)]
    wanted = name_key(value)
    found = [k for k in known if k == value or (not exact and name_key(k) == wanted)]
    if found or missing_ok:
        return found or [value]
    close = difflib.get_close_matches(value, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise QueryError(f"no {what} '{value}' in the archive{hint}")
