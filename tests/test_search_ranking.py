"""archive search ranks common words from impact lists (database.py, query.py): the hits are
exactly those of ranking every match, and the short cut is taken where it can be.

The lists exist only for words in thousands of articles; here the thresholds are lowered so that
a small archive of few words exercises them."""
from __future__ import annotations

import itertools
import random
import sqlite3
from pathlib import Path

import pytest

from build_tools.check import check_archive
from build_tools.link import link
from build_tools.search import database, query
from build_tools.search.database import single_tokens, write_database
from build_tools.search.query import search_archive
from tests.conftest import ArchiveFactory, article

VOCABULARY = ("ceasefire talks shelling corridor grain exports port evacuation negotiators "
              "sanctions residents officials border energy prices bridge railway power station "
              "mayor city region").split()
SOURCES = ("Example News", "Other Wire", "Third Daily")


def synthetic_files(count: int, seed: int = 7) -> dict[str, str]:
    """`count` articles of 20-160 words drawn with long-tailed frequencies: every word is in many
    articles, in different amounts, as in the benchmark's worst case for ranking."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
    files = {}
    for number in range(count):
        day = 1 + number % 28
        words = rng.choices(VOCABULARY, weights, k=rng.randint(20, 160))
        title = " ".join(rng.choices(VOCABULARY, weights, k=rng.randint(2, 5))).capitalize()
        if number % 30 == 0:
            words.append("kremlin")  # a word in 5 articles: too rare for an impact list
        files[f"articles/2022/03/a{number:03d}.md"] = article(
            title=title, date=f"2022-03-{day:02d}", source=SOURCES[number % 3],
            body=" ".join(words).capitalize() + ".")
    return files


@pytest.fixture
def db(make_archive: ArchiveFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(database, "IMPACT_MIN_ROWS", 20)
    monkeypatch.setattr(database, "IMPACT_STEP", 4)
    monkeypatch.setattr(database, "IMPACT_DEPTH", 64)
    report = check_archive(make_archive(synthetic_files(150)))
    assert not report.errors, [p.format() for p in report.problems]
    linked = link(report.archive)
    return write_database(linked, tmp_path / "archive.sqlite",
                          [f"{x.article.path[:-3]}.html" for x in linked.links])


def ranked_in_full(monkeypatch: pytest.MonkeyPatch, db: Path, text: str, **filters: object) -> object:
    with monkeypatch.context() as patch:
        patch.setattr(database, "IMPACT_MIN_ROWS", 10**9)
        return search_archive(db, text, **filters)  # type: ignore[arg-type]


def test_impact_lists_hold_common_words_best_contribution_first(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT token, articles, ids, bounds FROM impacts").fetchall()
        for token, articles, ids, bounds in rows:
            ids = database.array_values("I", ids)
            bounds = database.array_values("d", bounds)
            assert articles >= 20 and len(ids) == min(articles, 64)
            impacts = dict(connection.execute(
                "SELECT rowid, -bm25(articles_fts, 10.0, 1.0, 4.0) FROM articles_fts "
                "WHERE articles_fts MATCH ?", (f'"{token}"',)))
            assert len(impacts) == articles
            in_order = [impacts[i] for i in ids]
            assert in_order == sorted(in_order, reverse=True)
            assert list(bounds[: len(in_order[::4])]) == in_order[::4]
    assert {"corridor", "ceasefir", "talk"} <= {row[0] for row in rows}


QUERIES = [" ".join(words) for size in (1, 2, 3) for words in itertools.combinations(VOCABULARY[:9], size)]


def test_impact_ranking_returns_the_hits_of_ranking_every_match(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answered = 0
    original = query._ranked_by_impact

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal answered
        result = original(*args, **kwargs)  # type: ignore[arg-type]
        answered += result is not None
        return result

    monkeypatch.setattr(query, "_ranked_by_impact", counting)
    monkeypatch.setattr(database, "IMPACT_MIN_ROWS", 20)
    for text in QUERIES + ["Exports PORT", "port port", "talking ceasefires"]:
        for limit in (1, 5, 20):
            assert search_archive(db, text, limit=limit) == ranked_in_full(
                monkeypatch, db, text, limit=limit), text
    assert answered > len(QUERIES)  # most queries took the short cut


@pytest.mark.parametrize("filters", [
    {"source": "Other Wire"}, {"date_from": "2022-03-10", "date_to": "2022-03-20"},
    {"source": "Example News", "date_from": "2022-03-25"}])
def test_impact_ranking_with_filters_is_the_same_as_ranking_every_match(
        db: Path, monkeypatch: pytest.MonkeyPatch, filters: dict[str, str]) -> None:
    monkeypatch.setattr(database, "IMPACT_MIN_ROWS", 20)
    for text in ["ceasefire", "talks corridor", "grain exports port"]:
        assert search_archive(db, text, **filters) == ranked_in_full(monkeypatch, db, text, **filters)


def test_phrases_prefixes_and_rare_words_rank_every_match(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "IMPACT_MIN_ROWS", 20)
    for text in ['"power station"', "talk*", "ceasefire kremlin", "ceasefire U.N."]:
        hits = search_archive(db, text)
        assert hits == ranked_in_full(monkeypatch, db, text)
        assert query._ranked_by_impact(
            sqlite3.connect(db), text, "articles_fts", "articles_fts MATCH ?",
            [query.fts_query(text)], 20, hits.total) is None, text


def test_single_tokens_are_the_full_text_index_tokens(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "x.sqlite") as connection:
        assert single_tokens(connection, ["Corridors", "Zelénskyy", "Зеленському", "U.N.", "", "—"]) == [
            "corridor", "zelenskyi", "зеленському", None, None, None]
        # Porter stemming is not idempotent: a stored token that stems again is left without a list.
        assert single_tokens(connection, ["agreed", "agre"]) == ["agre", "agr"]


@pytest.mark.parametrize("limit", [1, 7, 20])
def test_phrase_ranking_counts_and_orders_as_sqlite_does(db: Path, limit: int) -> None:
    with sqlite3.connect(db) as connection:
        for text in ['"grain exports"', '"talks ceasefire"', 'corridor "ceasefire talks"', '"ceasefire ceasefire"']:
            expression = query.fts_query(text)
            expected = [row[0] for row in connection.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
                "ORDER BY bm25(articles_fts, 10.0, 1.0, 4.0), rowid DESC LIMIT ?", (expression, limit))]
            count = connection.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                                       (expression,)).fetchone()[0]
            result = search_archive(db, text, limit=limit)
            assert [hit.id for hit in result.hits] == expected and result.total == count, text
            assert count > limit  # enough matches for the order to matter
