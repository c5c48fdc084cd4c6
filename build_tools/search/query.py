"""Queries on archive.sqlite (database.py): full-text search with filters, for `archive search`.

Words are ANDed, "quoted phrases" match exactly, a word ending in * matches as a prefix; SQLite's
FTS5 ranks with BM25, a title match above an entity-name match above a body match.

The database is read through APSW, which can load SQLite extensions (Python's sqlite3 module often
cannot): fts5_bm25.c, built at install where a C compiler is at hand, ranks as bm25() does with
article counts known beforehand (EXTENSION); without it the same searches rank with bm25().
"""
from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import difflib
import heapq
import itertools
import json
import math
import os
import re
import threading
import unicodedata
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import machinery
from pathlib import Path
from typing import Any, cast

import apsw
import numpy as np

from . import database
from .database import COUNTED_RANK, RANK, SCHEMA_VERSION, single_tokens
from .text import plain_text, visible

SNIPPET_WORDS = 16
# Snippet markers FTS5 puts around matched words; never in archive text (private use).
_OPEN, _CLOSE = "\ue000", "\ue001"
_QUERY_PART = re.compile(r'"([^"]*)"?|([^\s"]+)')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _extension() -> Path | None:
    """The compiled fts5_bm25.c beside this file, if the install built it."""
    for suffix in machinery.EXTENSION_SUFFIXES:
        path = Path(__file__).with_name(f"_fts5_bm25{suffix}")
        if path.is_file():
            return path
    return None


EXTENSION = _extension()


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


def fts_query(text: str) -> str:
    """The words and "phrases" of `text` as an FTS5 expression, every one quoted so that no
    character of it is taken as an operator; a word ending in * stays a prefix."""
    return " ".join('"' + part + '"' + ("*" if prefix else "") for part, prefix in _parts(text))


def _parts(text: str) -> list[tuple[str, bool]]:
    """(words, is a prefix) for each word and "phrase" of a query, in order, zero-width
    characters dropped (pasted into a word, they would split it)."""
    text = visible(text)
    parts = []
    for match in _QUERY_PART.finditer(text):
        phrase, word = match.groups()
        if phrase is not None:
            if _WORD.search(phrase):
                parts.append((phrase.replace('"', ""), False))
        elif word is not None and _WORD.search(word):
            parts.append((word.rstrip("*"), word.endswith("*")))
    return parts


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


def open_database(path: Path) -> apsw.Connection:
    """The database read-only; QueryError when it is missing or not one this version wrote."""
    path = Path(path)
    if not path.is_file():
        raise QueryError(f"no search database at {path}; run `archive build` first "
                         "(or pass --db PATH)")
    connection = _connect(path)
    try:
        version = _value(connection, "PRAGMA user_version")
    except apsw.Error as exc:
        connection.close()
        raise QueryError(f"{path} is not a search database ({exc})") from None
    if version != SCHEMA_VERSION:
        connection.close()
        raise QueryError(f"{path} was written by another version (schema {version}, expected "
                         f"{SCHEMA_VERSION}); run `archive build` again")
    return connection


def _value(connection: apsw.Connection, sql: str, params: Sequence[object] = ()) -> Any:
    """The first column of the first row of `sql`."""
    row = connection.execute(sql, params).fetchone()
    assert row is not None, sql
    return row[0]


def _connect(path: Path) -> apsw.Connection:
    """`path` opened read-only, with fts5_bm25() when EXTENSION is there."""
    connection = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READONLY)
    if EXTENSION is not None:
        try:
            connection.enable_load_extension(True)
            connection.load_extension(str(EXTENSION))
            connection.enable_load_extension(False)
        except apsw.Error as exc:
            connection.close()
            raise QueryError(f"cannot load {EXTENSION} ({exc}); install again "
                             "(scripts/setup.sh), or delete it to search without it") from None
    return connection


def search_archive(db: Path, query: str = "", *, entities: Sequence[str] = (),
                   source: str | None = None, tag: str | None = None,
                   language: str | None = None, date_from: str | None = None,
                   date_to: str | None = None, limit: int = 20,
                   marks: tuple[str, str] = ("[", "]")) -> SearchResult:
    """Articles matching the words of `query` and every filter, best first (newest first
    without words); snippets have the matched words between `marks`."""
    if limit < 1:
        raise QueryError(f"the limit is {limit}; ask for at least 1 result")
    expression = fts_query(query)
    if not expression and not (entities or source or tag or language or date_from or date_to):
        raise QueryError("give words to search for, or a filter (--entity, --source, --tag, "
                         "--lang, --from, --to)")
    start = parse_period(date_from).isoformat() if date_from else None
    end = parse_period(date_to, end=True).isoformat() if date_to else None
    file = _File(Path(db), _identity(Path(db)))
    with contextlib.closing(open_database(db)) as connection:
        for entity_id in entities:
            _known(connection, "SELECT id FROM entities", entity_id, "entity", exact=True)
        sources = _known(connection, "SELECT DISTINCT source FROM articles", source, "source")
        tags = _known(connection, "SELECT DISTINCT tag FROM tags", tag, "tag")
        languages = _known(connection, "SELECT DISTINCT language FROM articles", language,
                           "language", missing_ok=True)
        filters = _filters(entities, sources, tags, languages, start, end)
        if expression:
            return _ranked(connection, file, query, expression, filters, limit, marks)
        where, params = _where("a.id", filters)
        return _by_date(connection, entities, where, params, limit, marks)


def _filters(entities: Sequence[str], sources: Sequence[str], tags: Sequence[str],
             languages: Sequence[str], start: str | None,
             end: str | None) -> list[tuple[str, list[object]]]:
    """Each filter as (SQL of the ids it keeps, read from an index, and its parameters)."""
    sets: list[tuple[str, list[object]]] = [
        ("SELECT article_id FROM article_entities WHERE entity_id = ?", [entity_id])
        for entity_id in dict.fromkeys(entities)]
    for values, sql in ((sources, "SELECT id FROM articles WHERE source IN ({})"),
                        (tags, "SELECT article_id FROM tags WHERE tag IN ({})"),
                        (languages, "SELECT id FROM articles WHERE language IN ({})")):
        if values:
            sets.append((sql.format(", ".join("?" * len(values))), list(values)))
    if start or end:
        sets.append(("SELECT id FROM articles WHERE date BETWEEN ? AND ?",
                     [start or "0000-01-01", end or "9999-12-31"]))
    return sets


def _where(article: str, filters: list[tuple[str, list[object]]]) -> tuple[list[str], list[object]]:
    """Each filter as `article` IN (the ids it keeps): SQLite builds each set once, where
    joining the articles table would read a large row for every match. The + of
    +articles_fts.rowid keeps FTS5 from looking up the ids one at a time, which makes bm25()
    count every word's articles again for each."""
    return ([f"{article} IN ({sql})" for sql, _ in filters],
            [value for _, values in filters for value in values])


def _ranked(connection: apsw.Connection, file: _File, query: str, expression: str,
            filters: list[tuple[str, list[object]]], limit: int,
            marks: tuple[str, str]) -> SearchResult:
    where, params = _where("+articles_fts.rowid", filters)
    condition = " AND ".join(["articles_fts MATCH ?", *where])
    parts = _parts(query)
    words = [len(_WORD.findall(text)) for text, _ in parts]
    phrases = [n > 1 or prefix for n, (_, prefix) in zip(words, parts, strict=True)]
    try:
        best: list[tuple[int, float]] | None = None
        if EXTENSION is not None and phrases == [True]:
            found = _ranked_one_phrase(connection, file, expression, filters, limit, words[0],
                                       parts[0][1])
            if found is not None:
                best, total = found
        if best is None and EXTENSION is not None and any(phrases):
            best, total = _ranked_counted(connection, file, parts, condition,
                                          [expression, *params], limit)
        elif best is None and any(n > 1 for n in words):
            best, total = _ranked_in_halves(connection, file, condition, [expression, *params],
                                            limit)
        elif best is None:
            with _Apart(file, f"SELECT count(*) FROM articles_fts WHERE {condition}",
                        [expression, *params]) as apart:
                best = _ranked_by_impact(connection, query, condition, [expression, *params],
                                         limit, apart.count, filters)
                total = apart.count()
        if best is None and EXTENSION is not None and total > database.IMPACT_MIN_ROWS:
            best, total = _ranked_counted(connection, file, parts, condition,
                                          [expression, *params], limit)
        elif best is None:  # few matches: one statement costs less than two threads
            # Rank first, cut snippets after: SQLite computes every result column of every
            # matching row before it sorts, and a snippet costs far more than a score.
            best = cast(list[tuple[int, float]], connection.execute(
                f"SELECT articles_fts.rowid, {RANK} AS score FROM articles_fts "
                f"WHERE {condition} ORDER BY score, articles_fts.rowid DESC LIMIT ?",
                [expression, *params, limit]).fetchall())
        ids = [row[0] for row in best]
        rows = {row[0]: row[1:] for row in connection.execute(
            f"SELECT a.id, a.date, a.source, a.title, a.page_url, a.url, "
            f"snippet(articles_fts, -1, '{_OPEN}', '{_CLOSE}', '…', {SNIPPET_WORDS}) "
            f"FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            f"WHERE articles_fts MATCH ? AND {_lookup(parts)}articles_fts.rowid IN "
            f"({', '.join('?' * len(ids))})", [expression, *ids])} if ids else {}
    except apsw.Error as exc:
        raise QueryError(f"cannot search for {expression}: {exc}") from None
    hits = []
    for i, (article_id, score) in enumerate(best, start=1):
        date, source, title, page_url, url, snippet = rows[article_id]
        hits.append(SearchHit(i, article_id, date, source, title, page_url, url,
                              _clean_snippet(snippet, marks), round(score, 6)))
    return SearchResult(tuple(hits), total)


def _in_halves(connection: apsw.Connection, file: _File, sql: str,
               params: Callable[[int, int], list[object]]) -> list[list[tuple]]:
    """The rows of `sql` over each half of the article ids, `params(lo, hi)` binding one half:
    the lower half read in a second thread while this one reads the upper, on both cores."""
    middle = _value(connection, "SELECT max(id) / 2 FROM articles") or 0
    with _Apart(file, sql, params(0, middle)) as low:
        high = connection.execute(sql, params(middle + 1, 2**63 - 1)).fetchall()
        return [low.rows(), high]


def _ranked_in_halves(connection: apsw.Connection, file: _File, condition: str,
                      params: list[object], limit: int) -> tuple[list[tuple[int, float]], int]:
    """The best `limit` matches and the number of matches, for a query with a phrase.

    Checking word positions is most of the cost, and bm25() checks them twice: once to count
    the phrase's articles in the whole archive, once for the matches it scores. The count and
    the ranking share one pass, and the articles are split into two halves of ids ranked at
    once, one per core; each half's bm25() counts in the whole archive, so its scores are those
    of one pass over all."""
    sql = (f"SELECT id, score, count(*) OVER () FROM (SELECT articles_fts.rowid AS id, "
           f"{RANK} AS score FROM articles_fts WHERE {condition} "
           f"AND articles_fts.rowid BETWEEN ? AND ?) ORDER BY score, id DESC LIMIT ?")
    halves = _in_halves(connection, file, sql, lambda lo, hi: [*params, lo, hi, limit])
    total = sum(half[0][2] for half in halves if half)
    best = heapq.nsmallest(limit, itertools.chain(*halves), key=lambda row: (row[1], -row[0]))
    return [(row[0], row[1]) for row in best], total


WINDOW_MAX = 20000  # matches that count(*) OVER () keeps, at most, to count them as it ranks


def _ranked_counted(connection: apsw.Connection, file: _File, parts: list[tuple[str, bool]],
                    condition: str, params: list[object],
                    limit: int) -> tuple[list[tuple[int, float]], int]:
    """The best `limit` matches of `condition` (its `params` the query's expression, then the
    filters') and their number, ranked with fts5_bm25() given every part's count: a word's
    from the impacts table or the index's vocabulary, a phrase's or a prefix's counted first,
    one half of the ids per core. The ranking then runs in two halves at once, without
    bm25()'s own counting in each: the same numbers as bm25()."""
    tokens = single_tokens(connection, [text for text, _ in parts])
    counts = [None if prefix or token is None else _articles_with(connection, token)
              for (_, prefix), token in zip(parts, tokens, strict=True)]
    unknown = ['"' + text + '"' + ("*" if prefix else "")
               for (text, prefix), count in zip(parts, counts, strict=True) if count is None]
    if unknown:
        sql = " UNION ALL ".join(
            f"SELECT {i}, count(*) FROM articles_fts WHERE articles_fts MATCH ? "
            f"AND articles_fts.rowid BETWEEN ? AND ?" for i in range(len(unknown)))
        counted = [0] * len(unknown)
        for i, count in itertools.chain(*_in_halves(
                connection, file, sql,
                lambda lo, hi: [value for phrase in unknown for value in (phrase, lo, hi)])):
            counted[i] += count
        found = iter(counted)
        counts = [next(found) if count is None else count for count in counts]
    known = [count or 0 for count in counts]
    rank = (f"{COUNTED_RANK} AS score FROM articles_fts WHERE {condition} "
            f"AND articles_fts.rowid BETWEEN ? AND ?")
    windowed = min(known) <= WINDOW_MAX
    if windowed:  # rows (id, score, matches)
        sql = (f"SELECT id, score, count(*) OVER () FROM (SELECT articles_fts.rowid AS id, "
               f"{rank}) ORDER BY score, id DESC LIMIT ?")
    else:  # the same, and the count in a row of its own
        sql = (f"SELECT id, score, NULL FROM (SELECT articles_fts.rowid AS id, {rank} "
               f"ORDER BY score, id DESC LIMIT ?) UNION ALL SELECT NULL, NULL, count(*) FROM articles_fts "
               f"WHERE {condition} AND articles_fts.rowid BETWEEN ? AND ?")
    given = _counts(known)

    def ranking(lo: int, hi: int) -> list[object]:
        ranked = [given, *params, lo, hi, limit]
        return ranked if windowed else [*ranked, *params, lo, hi]

    halves = _in_halves(connection, file, sql, ranking)
    total = sum(next((row[2] for row in rows if row[2] is not None), 0) for rows in halves)
    best = heapq.nsmallest(limit, ((row[1], -row[0]) for rows in halves for row in rows
                                   if row[0] is not None))
    return [(-negative_id, score) for score, negative_id in best], total


def _articles_with(connection: apsw.Connection, token: str) -> int:
    """How many articles hold `token`: bm25()'s count of a one-word phrase."""
    row = connection.execute("SELECT articles FROM impacts WHERE token = ?", (token,)).fetchone()
    if row is None:
        connection.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocabulary "
                           "USING fts5vocab(main, articles_fts, row)")
        row = connection.execute("SELECT doc FROM temp.vocabulary WHERE term = ?",
                                 (token,)).fetchone()
    return int(row[0]) if row is not None else 0


def _lookup(parts: list[tuple[str, bool]]) -> str:
    """How to read a few matches by id: FTS5 looks up each one (""), except for a prefix, which
    it would then gather from all its words' lists for each: one pass over the matches ("+")."""
    return "+" if any(prefix for _, prefix in parts) else ""


def _ranked_one_phrase(connection: apsw.Connection, file: _File, expression: str,
                       filters: list[tuple[str, list[object]]], limit: int, words: int,
                       prefix: bool) -> tuple[list[tuple[int, float]], int] | None:
    """The best `limit` matches of a query of one phrase (or one prefix) of `words` words and
    the number of matches, one half of the ids per core; None where the order is not certain
    (ties that rounding may make), and the caller counts the phrase first (_ranked_counted).

    bm25() weighs the phrase by its number of articles, for which it runs the phrase over the
    whole archive first, in each half. The weight is the same for every match: fts5_bm25()
    given no count ranks each half by the rest of the score, and the matches are counted
    meanwhile; the best are then scored again with the count, which gives bm25()'s numbers.
    Filters do not change the weight, which counts every match: they only mark those they keep.

    Counting a phrase of several words checks the words' positions again, so the ranking counts
    as it goes (count(*) OVER ()); one word's prefix is counted from its lists alone, faster
    than the ranking keeps every match to count them."""
    where, params = _where("+articles_fts.rowid", filters)
    kept = " AND ".join(where) or "1"
    match = "articles_fts MATCH ? AND articles_fts.rowid BETWEEN ? AND ?"
    if words > 1:  # rows (id, score, kept, matches, kept matches)
        sql = (f"SELECT id, score, kept, count(*) OVER (), total(kept) OVER () FROM ("
               f"SELECT articles_fts.rowid AS id, {COUNTED_RANK} AS score, ({kept}) AS kept "
               f"FROM articles_fts WHERE {match}) ORDER BY kept DESC, score, id DESC LIMIT ?")
    else:  # the same, and the two counts in a row of their own
        sql = (f"SELECT * FROM (SELECT articles_fts.rowid AS id, {COUNTED_RANK} AS score, 1, "
               f"NULL, NULL FROM articles_fts WHERE {match} AND {kept} "
               f"ORDER BY score, id DESC LIMIT ?) UNION ALL "
               f"SELECT NULL, NULL, 0, count(*), total({kept}) FROM articles_fts WHERE {match}")
    uncounted = _counts([-1])

    def half(lo: int, hi: int) -> list[object]:
        if words > 1:
            return [uncounted, *params, expression, lo, hi, limit + 1]
        return [uncounted, expression, lo, hi, *params, limit + 1, *params, expression, lo, hi]

    read = _in_halves(connection, file, sql, half)
    totals = [next(((row[3], int(row[4])) for row in rows if row[3] is not None), (0, 0))
              for rows in read]
    halves = [[row for row in rows if row[2] and row[0] is not None] for rows in read]
    matches, total = sum(t[0] for t in totals), sum(t[1] for t in totals)
    candidates = [row[0] for rows in halves for row in rows]
    if not candidates:
        return [], total
    scores: dict[int, float] = dict(connection.execute(  # type: ignore[arg-type]
        f"SELECT articles_fts.rowid, {COUNTED_RANK} FROM articles_fts WHERE articles_fts MATCH ? "
        f"AND {_lookup([('', prefix)])}articles_fts.rowid IN (SELECT value FROM json_each(?))",
        [_counts([matches]), expression, json.dumps(candidates)]).fetchall())
    best = heapq.nsmallest(limit, ((scores[article], -article) for article in candidates))
    if not _settled(halves, [kept for _, kept in totals], best):
        return None
    return [(-negative_id, score) for score, negative_id in best], total


def _settled(halves: list[list[tuple]], kept: list[int], best: list[tuple[float, int]]) -> bool:
    """Whether no match left unread in a half (rows: id, score without the weight; `kept` of
    them in all) can be among `best` ((score, -id), weighed). Such a match scores at most as
    the half's last read before the weight; with it, rounding could make the two equal, and
    its id might then put it first: only if they were within a rounding error before."""
    unweighted = {row[0]: -row[1] for rows in halves for row in rows}
    floor = min(unweighted[-negative_id] for _, negative_id in best) * (1 - 1e-12)
    return all(in_half == len(rows) or unweighted[rows[-1][0]] < floor
               for rows, in_half in zip(halves, kept, strict=True))


def _counts(values: Sequence[int]) -> bytes:
    """fts5_bm25()'s counts: one 64-bit integer per phrase, native byte order."""
    return array("q", values).tobytes()


def _ranked_by_impact(connection: apsw.Connection, query: str, condition: str,
                      params: list[object], limit: int, count: Callable[[], int],
                      filters: list[tuple[str, list[object]]]) -> list[tuple[int, float]] | None:
    """The best `limit` matches, the same as ranking every match, from the impact lists of the
    query's words (database.py); None where they cannot tell (a phrase, a prefix, a word
    without a list, or too deep a search), and the caller ranks every match.

    Threshold algorithm (Fagin, Lotem and Naor): bm25() sums one contribution per word, which
    each word's list gives for its best articles, best first. Read every list to the same depth
    and score the articles read; an article not read adds at most each list's contribution at
    that depth. When the last of the best `limit` scores beats every bound, no other article can
    enter them; otherwise read twice as deep. The scores are the lists' sums, added in the
    query's word order as bm25() adds them, so they are the same numbers; filters do not change
    a score (bm25() weighs words by the whole archive), they only drop the articles they do not
    keep, whose ids are read from their indexes.

    `count` counts the matches meanwhile; the lists are not used for fewer than
    IMPACT_MIN_ROWS matches."""
    parts = _parts(query)
    if any(prefix for _, prefix in parts):
        return None
    lists, articles = [], []  # articles: how many hold each word
    for token in single_tokens(connection, [text for text, _ in parts]):
        row = None if token is None else connection.execute(
            "SELECT ids, impacts, rest, articles FROM impacts WHERE token = ?", (token,)).fetchone()
        if row is None:
            return None
        lists.append(_Impacts.of(np.frombuffer(row[0], "<u4"), np.frombuffer(row[1], "<f8"),
                                 row[2]))
        articles.append(row[3])
    most = min(articles)  # the articles of the rarest word, at least the matches
    counts = None if EXTENSION is None else _counts(articles)
    kept = _kept(connection, filters)
    keep = None if kept is None else np.fromiter(kept, np.int64, len(kept))
    resolved: dict[int, float | None] = {}  # SQLite's scores; None: no match
    depth = database.IMPACT_STEP << min(2 * max(len(lists) - 2, 0), 3)  # every round costs
    while True:
        read = np.zeros(max(len(words.by_id) for words in lists), bool)
        for words in lists:
            read[words.ids[:depth]] = True
        candidates = np.flatnonzero(read)
        unread, unread_can_match = 0.0, True
        for words in lists:
            if depth < len(words.ids):
                unread += float(words.impacts[depth])
            elif words.rest is None:
                unread_can_match = False  # every article with this word has been read
            elif depth == len(words.ids):
                unread += words.rest  # the whole list has been read
            else:
                return None  # the list ends before the ranking could stop
        if len(candidates) > most // 2:
            return None  # ranking every match costs less
        exact, inexact = _sum_impacts(
            candidates if keep is None else candidates[np.isin(candidates, keep)], lists, limit)
        total = count()
        if total <= database.IMPACT_MIN_ROWS or len(candidates) > total // 2:
            return None  # the same, now that the count is known
        while True:  # at this depth, until SQLite has scored what the sums cannot decide
            scores, pending = list(exact), []
            for upper, article in inexact:
                if article not in resolved:
                    pending.append((upper, article))
                elif (score := resolved[article]) is not None:
                    scores.append((score, -article))
            best = heapq.nsmallest(limit, scores)
            last = -best[-1][0] if len(best) == limit else -math.inf  # the last result's sum
            # A margin for sums added in another order than bm25() adds them.
            if unread_can_match and not last > unread * (1 + 1e-9):
                break
            blocking = [article for upper, article in pending if not last > upper * (1 + 1e-9)]
            if not blocking:
                return [(-negative_id, score) for score, negative_id in best]
            _resolve(connection, condition, params, blocking, resolved, counts)
        depth *= 2


def _kept(connection: apsw.Connection,
          filters: list[tuple[str, list[object]]]) -> set[int] | None:
    """The ids of the articles that every filter keeps; None without filters."""
    keep: set[int] | None = None
    for sql, values in filters:
        ids = {row[0] for row in connection.execute(sql, values)}
        keep = ids if keep is None else keep & ids
    return keep


def _resolve(connection: apsw.Connection, condition: str, params: list[object],
             articles: list[int], resolved: dict[int, float | None],
             counts: bytes | None = None) -> None:
    """SQLite's scores of `articles` into `resolved` (None for those that do not match).

    With `counts` (fts5_bm25()'s), FTS5 looks up the articles one by one. bm25() would count
    every word's articles again for each: the + of +articles_fts.rowid makes it read all the
    matches once instead."""
    resolved.update(dict.fromkeys(articles))
    ids = json.dumps(sorted(articles))
    resolved.update(connection.execute(
        f"SELECT articles_fts.rowid, {COUNTED_RANK} FROM articles_fts WHERE {condition} "
        f"AND articles_fts.rowid IN (SELECT value FROM json_each(?))", [counts, *params, ids])
        if counts is not None else connection.execute(
        f"SELECT articles_fts.rowid, {RANK} FROM articles_fts WHERE {condition} "
        f"AND +articles_fts.rowid IN (SELECT value FROM json_each(?))", [*params, ids]))


@dataclass(frozen=True)
class _File:
    """The database file, and which file it was when the search opened it."""
    path: Path
    identity: tuple[int, int] | None


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode): a build replaces the database with a new file, under the same name."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


class _Apart:
    """The rows of `sql`, read in a second thread on a connection of its own while the caller
    goes on: SQLite lets go of Python's lock while it reads, so the two use both cores. A
    context manager: leaving it waits for the thread, so none outlives the search."""

    def __init__(self, file: _File, sql: str, params: list[object]) -> None:
        self._rows: list[tuple] = []
        self._error: BaseException | None = None
        # Opened here: the thread then needs Python's lock only to start and to finish.
        connection = _connect(file.path)
        try:
            if _identity(file.path) != file.identity:  # the two would read different archives
                raise QueryError(f"{file.path} was replaced while searching (a build ended?); "
                                 "search again")
            self._thread = threading.Thread(target=self._read, args=(connection, sql, params),
                                            daemon=True)
            self._thread.start()
        except BaseException:
            connection.close()
            raise

    def __enter__(self) -> _Apart:
        return self

    def __exit__(self, *exc: object) -> None:
        self._thread.join()

    def rows(self) -> list[tuple]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._rows

    def count(self) -> int:
        """The first column of the first row: for a count(*)."""
        return self.rows()[0][0]

    def _read(self, connection: apsw.Connection, sql: str, params: list[object]) -> None:
        try:
            self._rows = connection.execute(sql, params).fetchall()
        except BaseException as exc:  # raised again in the asking thread by rows()
            self._error = exc
        finally:
            connection.close()


@dataclass(frozen=True)
class _Impacts:
    """One word's row of the impacts table, and the same articles in id order, to look up."""
    ids: np.ndarray  # best first
    impacts: np.ndarray
    rest: float | None
    by_id: np.ndarray  # by_id[article]: what the word adds to it; NaN: not in the list

    @classmethod
    def of(cls, ids: Sequence[int] | np.ndarray, impacts: Sequence[float] | np.ndarray,
           rest: float | None) -> _Impacts:
        ids, impacts = np.asarray(ids, np.int64), np.asarray(impacts, np.float64)
        by_id = np.full(int(ids.max()) + 1 if len(ids) else 0, np.nan)
        by_id[ids] = impacts
        return cls(ids, impacts, rest, by_id)

    def look_up(self, articles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whether each of `articles` is in the list, and what the word adds to it there."""
        values = np.full(len(articles), np.nan)
        listed = articles < len(self.by_id)
        values[listed] = self.by_id[articles[listed]]
        return ~np.isnan(values), values


def _sum_impacts(candidates: Sequence[int] | np.ndarray, lists: list[_Impacts],
                 limit: int) -> tuple[list[tuple[float, int]], list[tuple[float, int]]]:
    """(bm25 score, -id) of the candidates (distinct ids) whose every contribution the lists
    hold, and (the most it can add up to, id) of the others that may match and may still be
    among the best `limit`: not those whose most is below the `limit`-th best of the first,
    which can only rise as more scores are known (most of them, so the caller goes through few).
    Computed on arrays (NumPy), a few thousand candidates at once."""
    articles = np.asarray(candidates, np.int64)
    found = [words.look_up(articles) for words in lists]
    matching = np.ones(len(articles), bool)
    for words, (inside, _) in zip(lists, found, strict=True):
        if words.rest is None:  # the list holds every article with the word
            matching &= inside
    known = matching.copy()
    for inside, _ in found:
        known &= inside
    score = np.zeros(int(known.sum()))
    for _, values in found:  # in the query's order, as bm25() adds them
        score = score + values[known]
    exact = list(zip((-score).tolist(), (-articles[known]).tolist(), strict=True))
    others = matching & ~known
    uppers = np.zeros(int(others.sum()))
    for words, (inside, values) in zip(lists, found, strict=True):
        uppers += np.where(inside, values, words.rest or 0.0)[others]
    ids = articles[others]
    best = heapq.nsmallest(limit, exact)
    if len(best) == limit and -best[-1][0] > 0:
        # Kept: whatever the caller's test (a most within 1e-9 of a score) might keep; the
        # wider margin makes up for the division's rounding.
        kept = uppers >= -best[-1][0] / (1 + 2e-9)
        uppers, ids = uppers[kept], ids[kept]
    return exact, list(zip(uppers.tolist(), ids.tolist(), strict=True))


def _by_date(connection: apsw.Connection, entities: Sequence[str], where: list[str],
             params: list[object], limit: int, marks: tuple[str, str]) -> SearchResult:
    condition = " AND ".join(where)
    # The date index holds (date, id): counting and ordering read it alone, newest first, and
    # stop at `limit`; only the hits' rows are read whole.
    total = _value(connection, f"SELECT count(*) FROM articles a INDEXED BY articles_date "
                               f"WHERE {condition}", params)
    ids = [row[0] for row in connection.execute(
        f"SELECT a.id FROM articles a INDEXED BY articles_date WHERE {condition} "
        f"ORDER BY a.date DESC, a.id DESC LIMIT ?", [*params, limit])]
    rows = {row[0]: row for row in connection.execute(
        f"SELECT id, date, source, title, page_url, url, summary, body FROM articles "
        f"WHERE id IN ({', '.join('?' * len(ids))})", ids)}
    hits = []
    for i, article_id in enumerate(ids, start=1):
        row = rows[article_id]
        snippet = _mention_snippet(connection, row[0], row[7], entities, marks)
        if snippet is None:
            snippet = _shorten(plain_text(row[6] or row[7]))
        hits.append(SearchHit(i, row[0], row[1], row[2], row[3], row[4], row[5], snippet, None))
    return SearchResult(tuple(hits), total)


def _mention_snippet(connection: apsw.Connection, article_id: int, body: str,
                     entities: Sequence[str], marks: tuple[str, str]) -> str | None:
    """The body around the first mention of a filtered entity, the mention marked."""
    for entity_id in entities:
        found = connection.execute(
            "SELECT start, \"end\" FROM mentions WHERE article_id = ? AND entity_id = ? "
            "AND field = 'body' ORDER BY start LIMIT 1", (article_id, entity_id)).fetchone()
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


def _name_key(name: str) -> str:
    # The same fold as render.markup.name_key, which gives each source and tag its page; not
    # imported from there, so that a search does not load the render stage.
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def _shorten(text: str, width: int = 160) -> str:
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text[: cut if cut > 0 else width] + "…"


def _known(connection: apsw.Connection, sql: str, value: str | None, what: str,
           exact: bool = False, missing_ok: bool = False) -> list[str]:
    """The values of `sql` that are `value`, or (unless `exact`) the same name as the site's
    pages take it (render.markup.name_key: Unicode NFC, case folded in any script);
    QueryError with a did-you-mean when there are none, unless `missing_ok`."""
    if value is None:
        return []
    known = [row[0] for row in connection.execute(sql)]
    wanted = _name_key(value)
    found = [k for k in known if k == value or (not exact and _name_key(k) == wanted)]
    if found or missing_ok:
        return found or [value]
    close = difflib.get_close_matches(value, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise QueryError(f"no {what} '{value}' in the archive{hint}")
