"""archive search ranks common words from impact lists (database.py, query.py): the hits are
exactly those of ranking every match, and the short cut is taken where it can be.

The lists exist only for words in thousands of articles; here the thresholds are lowered so that
a small archive of few words exercises them."""
from __future__ import annotations

import contextlib
import itertools
import math
import os
import random
import shutil
import sqlite3
from pathlib import Path

import apsw
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
        if number % 5 < 2:
            words.append("mariupol")  # in 60 articles: a list that holds them all
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
    """The results of ranking every match with SQLite's own bm25()."""
    with monkeypatch.context() as patch:
        patch.setattr(database, "IMPACT_MIN_ROWS", 10**9)
        patch.setattr(query, "EXTENSION", None)
        return search_archive(db, text, **filters)  # type: ignore[arg-type]


def test_impact_lists_hold_common_words_best_contribution_first(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT token, articles, ids, impacts, rest FROM impacts").fetchall()
        for token, articles, ids, impacts, rest in rows:
            ids = database.array_values("I", ids)
            impacts = database.array_values("d", impacts)
            assert articles >= 20 and len(ids) == len(impacts) == min(articles, 64)
            scores = dict(connection.execute(
                "SELECT rowid, -bm25(articles_fts, 10.0, 1.0, 4.0) FROM articles_fts "
                "WHERE articles_fts MATCH ?", (f'"{token}"',)))
            assert len(scores) == articles
            assert list(impacts) == [scores[i] for i in ids] == sorted(impacts, reverse=True)
            others = [score for article, score in scores.items() if article not in set(ids)]
            assert rest == (max(others) if others else None)
    assert {"corridor", "ceasefir", "talk"} <= {row[0] for row in rows}
    assert ("mariupol", 60, None) in {(row[0], row[1], row[4]) for row in rows}


QUERIES = [" ".join(words) for size in (1, 2, 3)
           for words in itertools.combinations([*VOCABULARY[:9], "mariupol"], size)]


@pytest.mark.slow
def test_impact_ranking_returns_the_hits_of_ranking_every_match(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answered, resolved = 0, 0
    ranked_by_impact, resolve = query._ranked_by_impact, query._resolve

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal answered
        result = ranked_by_impact(*args, **kwargs)  # type: ignore[arg-type]
        answered += result is not None
        return result

    def counting_resolve(*args: object) -> None:
        nonlocal resolved
        resolved += 1
        resolve(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(query, "_ranked_by_impact", counting)
    monkeypatch.setattr(query, "_resolve", counting_resolve)
    monkeypatch.setattr(database, "IMPACT_MIN_ROWS", 20)
    for text in QUERIES + ["Exports PORT", "port port", "talking ceasefires"]:
        for limit in (1, 5, 20):
            assert search_archive(db, text, limit=limit) == ranked_in_full(
                monkeypatch, db, text, limit=limit), text
    # The short cut answered often, from the lists' sums alone and with SQLite's help.
    assert answered > len(QUERIES) // 2 and 0 < resolved < answered


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
        params = [query.fts_query(text)]
        with contextlib.closing(query.open_database(db)) as connection, query._Apart(
                file_of(db), "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                params) as count:
            assert query._ranked_by_impact(connection, text, "articles_fts MATCH ?", params, 20,
                                           count.count, []) is None, text
            assert count.count() == hits.total


def test_single_tokens_are_the_full_text_index_tokens(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "x.sqlite") as connection:
        assert single_tokens(connection, ["Corridors", "Zelénskyy", "Зеленському", "U.N.", "", "—"]) == [
            "corridor", "zelenskyi", "зеленському", None, None, None]
        # Porter stemming is not idempotent: a stored token that stems again is left without a list.
        assert single_tokens(connection, ["agreed", "agre"]) == ["agre", "agr"]


@pytest.mark.parametrize("limit", [1, 7, 20, 150])
def test_phrase_ranking_counts_orders_and_scores_as_one_sqlite_statement_does(
        db: Path, limit: int) -> None:
    with contextlib.closing(sqlite3.connect(db)) as connection:
        for text in ['"grain exports"', '"talks ceasefire"', 'corridor "ceasefire talks"',
                     '"ceasefire ceasefire"', '"grain exports" port*']:
            expression = query.fts_query(text)
            expected = [(row[0], round(row[1], 6)) for row in connection.execute(
                "SELECT rowid, bm25(articles_fts, 10.0, 1.0, 4.0) AS score FROM articles_fts "
                "WHERE articles_fts MATCH ? ORDER BY score, rowid DESC LIMIT ?", (expression, limit))]
            count = connection.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                                       (expression,)).fetchone()[0]
            result = search_archive(db, text, limit=limit)
            assert [(hit.id, hit.score) for hit in result.hits] == expected, text
            assert result.total == count > 1, text
            # The first 150 are every match; the others leave some out, so the order matters.
            assert count < limit if limit == 150 else count > limit, text


def test_sums_of_impacts_are_exact_bounded_or_not_a_match() -> None:
    complete = query._Impacts.of([1, 2, 3], [3.0, 2.0, 1.0], None)  # every article with the word
    cut = query._Impacts.of([2, 4], [5.0, 4.0], 0.5)  # 8 more articles, each adding at most 0.5
    exact, inexact = query._sum_impacts([1, 2, 3, 4], [complete, cut], limit=2)
    assert exact == [(-7.0, -2)]  # both words known: the bm25 score, and the id negated
    assert sorted(inexact) == [(1.5, 3), (3.5, 1)]  # at most 1.0 + 0.5 and 3.0 + 0.5
    # article 4 lacks the first word: not a match at all


def test_sums_of_impacts_leave_out_articles_that_cannot_reach_the_results() -> None:
    complete = query._Impacts.of([1, 2, 3], [3.0, 2.0, 1.0], None)
    cut = query._Impacts.of([2, 4], [5.0, 4.0], 0.5)
    # One result wanted, and article 2's 7.0 is more than 3.5 and 1.5 could ever reach.
    assert query._sum_impacts([1, 2, 3, 4], [complete, cut], limit=1) == ([(-7.0, -2)], [])
    # Its score exactly at a most: the article is kept, as a tie might order it first.
    tied = [query._Impacts.of([1, 2, 3], [3.0, 2.0, 1.0], None),
            query._Impacts.of([2, 4], [1.5, 1.0], 0.5)]
    assert query._sum_impacts([1, 2, 3], tied, limit=1) == ([(-3.5, -2)], [(3.5, 1)])
    # A word whose list is empty leaves nothing exact; an article it lacks may still match.
    empty = query._Impacts.of([], [], 0.25)
    assert query._sum_impacts([1, 2], [complete, empty], limit=1) == ([], [(3.25, 1), (2.25, 2)])


@pytest.mark.parametrize(("date_from", "date_to"), [("2022-03-01", "2022-03-09"),
                                                    ("2022-03-20", "2022-03-28")])
def test_phrase_ranking_in_two_halves_finds_matches_that_lie_in_one(
        db: Path, date_from: str, date_to: str) -> None:
    # Ids follow dates, so an early or a late range keeps matches in one half of the ids only.
    with contextlib.closing(sqlite3.connect(db)) as connection:
        middle = connection.execute("SELECT max(id) / 2 FROM articles").fetchone()[0]
        expected = connection.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN "
            "(SELECT id FROM articles WHERE date BETWEEN ? AND ?) "
            "ORDER BY bm25(articles_fts, 10.0, 1.0, 4.0), rowid DESC",
            ('"grain exports"', date_from, date_to)).fetchall()
    result = search_archive(db, '"grain exports"', date_from=date_from, date_to=date_to, limit=5)
    assert result.total == len(expected) > 5
    assert [hit.id for hit in result.hits] == [row[0] for row in expected[:5]]
    assert len({row[0] <= middle for row in expected}) == 1  # all in one half


def file_of(db: Path) -> query._File:
    return query._File(db, query._identity(db))


def test_a_query_read_in_a_second_thread_raises_its_error_in_the_first(db: Path) -> None:
    with pytest.raises(apsw.SQLError, match="no such table"):
        query._Apart(file_of(db), "SELECT count(*) FROM no_such_table", []).rows()
    with query._Apart(file_of(db), "SELECT count(*) FROM articles WHERE id > ?", [100]) as apart:
        assert apart.count() == 50


@pytest.mark.parametrize("text", ["ceasefire talks", '"grain exports"'])
def test_an_error_in_the_second_thread_reaches_the_user_as_a_query_error(
        db: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    def failing(self: query._Apart, connection: apsw.Connection, sql: str,
                params: list[object]) -> None:
        connection.close()
        self._error = apsw.CorruptError("database disk image is malformed")

    monkeypatch.setattr(query._Apart, "_read", failing)
    with pytest.raises(query.QueryError, match="database disk image is malformed"):
        search_archive(db, text)


def test_a_database_replaced_while_searching_is_not_read_half_old_half_new(
        db: Path, tmp_path: Path) -> None:
    opened = query._File(db, query._identity(db))
    with query._Apart(opened, "SELECT count(*) FROM articles", []) as apart:
        assert apart.count() == 150  # the same file: read as usual
    # A build replaces archive.sqlite with a new file, which a second connection would open.
    shutil.copyfile(db, tmp_path / "new.sqlite")
    os.replace(tmp_path / "new.sqlite", db)
    with pytest.raises(query.QueryError, match="was replaced while searching"):
        query._Apart(opened, "SELECT count(*) FROM articles", [])


# --- fts5_bm25.c: bm25() with the counts given -------------------------------------------------

def test_the_ranking_extension_is_built_and_archive_search_loads_it(db: Path) -> None:
    assert query.EXTENSION is not None, "setup.py did not build build_tools/search/fts5_bm25.c"
    with contextlib.closing(query.open_database(db)) as connection:
        rows = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        hits = connection.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                                  ('"grain exports"',)).fetchone()[0]
        scores = connection.execute(
            "SELECT bm25(articles_fts, 10.0, 1.0, 4.0), fts5_bm25(articles_fts, ?, 10.0, 1.0, 4.0) "
            "FROM articles_fts WHERE articles_fts MATCH ?", (query._counts([-1]), '"grain exports"')
        ).fetchall()
    # A count of -1 weighs the phrase 1: bm25() divided by the phrase's weight (IDF).
    weight = math.log((rows - hits + 0.5) / (hits + 0.5))
    assert len(scores) == hits > 1 and weight > 0
    assert all(math.isclose(bm25, given * weight, rel_tol=1e-12) for bm25, given in scores)


@pytest.mark.parametrize("phrases", [['"grain"', '"exports"'], ['"power station"'],
                                     ['corridor', '"ceasefire talks"'], ['"talk"*'],
                                     ['"port"', '"port"'], ['"mariupol"', '"kremlin"'],
                                     ['"port"', '"grain"'] * 40])  # as many phrases as bm25() takes
def test_fts5_bm25_given_the_counts_gives_bm25s_scores_bit_for_bit(
        db: Path, phrases: list[str]) -> None:
    text = " ".join(phrases)
    with contextlib.closing(query.open_database(db)) as connection:
        counts = [connection.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                                     (phrase,)).fetchone()[0] for phrase in phrases]
        assert all(counts), phrases
        expected = connection.execute(
            "SELECT rowid, bm25(articles_fts, 10.0, 1.0, 4.0) FROM articles_fts "
            "WHERE articles_fts MATCH ? ORDER BY rowid", (text,)).fetchall()
        given = connection.execute(
            "SELECT rowid, fts5_bm25(articles_fts, ?, 10.0, 1.0, 4.0) FROM articles_fts "
            "WHERE articles_fts MATCH ? ORDER BY rowid", (query._counts(counts), text)).fetchall()
        assert given == expected and expected


@pytest.mark.parametrize(("counts", "message"), [
    (query._counts([1, 2]), "one 8-byte article count per phrase"),
    (12345678, "one 8-byte article count per phrase"),
    (query._counts([151]), "a count is larger than the table")])
def test_fts5_bm25_refuses_counts_that_do_not_fit_the_query(
        db: Path, counts: object, message: str) -> None:
    with contextlib.closing(query.open_database(db)) as connection, pytest.raises(
            apsw.Error, match=message):
        connection.execute("SELECT fts5_bm25(articles_fts, ?, 10.0) FROM articles_fts "
                           "WHERE articles_fts MATCH ?", (counts, '"port"')).fetchall()


TEXTS = ['"power station"', '"grain exports"', "talk*", "ceasefire*", "exp*",
         "grain exports port", "corridor", 'corridor "ceasefire talks"', "mariupol kremlin",
         '"power station" "grain exports"', 'talk* "exports port" mariupol', "kremlin"]
FILTERS = [{}, {"source": "Other Wire"}, {"date_from": "2022-03-10", "date_to": "2022-03-20"}]


@pytest.mark.parametrize("window", [query.WINDOW_MAX, 0])  # 0: counted in a row of its own
@pytest.mark.parametrize("filters", FILTERS)
def test_searches_without_the_extension_find_and_rank_the_same(
        db: Path, monkeypatch: pytest.MonkeyPatch, filters: dict[str, str], window: int) -> None:
    monkeypatch.setattr(database, "IMPACT_MIN_ROWS", 20)
    monkeypatch.setattr(query, "WINDOW_MAX", window)
    for text in TEXTS:
        for limit in (1, 3, 20):
            with_it = search_archive(db, text, limit=limit, **filters)  # type: ignore[arg-type]
            with monkeypatch.context() as patch:
                patch.setattr(query, "EXTENSION", None)
                assert search_archive(db, text, limit=limit, **filters) == with_it, text  # type: ignore[arg-type]


@pytest.fixture
def one_phrase_answers(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each search ranked as one phrase: True when one pass per half settled it."""
    answers = []
    one_phrase = query._ranked_one_phrase

    def spying(*args: object) -> object:
        found = one_phrase(*args)  # type: ignore[arg-type]
        answers.append(found is not None)
        return found

    monkeypatch.setattr(query, "_ranked_one_phrase", spying)
    return answers


@pytest.mark.parametrize("filters", FILTERS)
def test_one_phrase_or_prefix_ranks_as_one_sqlite_statement_does(
        db: Path, filters: dict[str, str], one_phrase_answers: list[bool]) -> None:
    with contextlib.closing(sqlite3.connect(db)) as connection:
        found = []
        for text in ['"power station"', "talk*", '"grain exports"', '"exports port"']:
            where, params = query._where("articles_fts.rowid", query._filters(
                [], [filters["source"]] if "source" in filters else [], [], [],
                filters.get("date_from"), filters.get("date_to")))
            expected = [(row[0], round(row[1], 6)) for row in connection.execute(
                "SELECT rowid, bm25(articles_fts, 10.0, 1.0, 4.0) AS score FROM articles_fts "
                f"WHERE {' AND '.join(['articles_fts MATCH ?', *where])} "
                "ORDER BY score, rowid DESC", (query.fts_query(text), *params))]
            for limit in (1, 4, 20):
                result = search_archive(db, text, limit=limit, **filters)  # type: ignore[arg-type]
                assert [(hit.id, hit.score) for hit in result.hits] == expected[:limit], text
                assert result.total == len(expected) > 0, text
            found.append(len(expected))
        assert max(found) > 20  # some leave matches out of the results
    assert one_phrase_answers.count(True) > len(one_phrase_answers) // 2  # mostly in one pass


def test_a_phrase_whose_best_tie_across_the_halves_is_counted_first_then_ranked(
        make_archive: ArchiveFactory, tmp_path: Path, one_phrase_answers: list[bool]) -> None:
    # Twelve articles alike: every match scores the same, and ids alone order them.
    files = {f"articles/2022/03/same{n:02d}.md": article(
        title="Talks", date=f"2022-03-{n + 1:02d}", body="The power station was shelled again.")
        for n in range(12)}
    report = check_archive(make_archive(files))
    linked = link(report.archive)
    db = write_database(linked, tmp_path / "archive.sqlite",
                        [f"{x.article.path[:-3]}.html" for x in linked.links])
    result = search_archive(db, '"power station"', limit=3)
    assert [hit.id for hit in result.hits] == [12, 11, 10] and result.total == 12
    assert len({hit.score for hit in result.hits}) == 1
    assert one_phrase_answers == [False]  # the tie could not be settled from the halves' best


def test_a_match_left_unread_is_ruled_out_only_when_rounding_cannot_tie_it_with_a_result() -> None:
    # Rows (id, score without the phrase's weight); the results' scores with it, (score, -id).
    low, high = [(3, -2.0), (1, -1.5)], [(9, -1.8), (7, -1.0)]
    best = [(-4.0, -3), (-3.6, -9)]  # the lowest of the results was 1.8 before the weight
    assert query._settled([low, high], [2, 2], best)  # every match read
    assert query._settled([low, high], [5, 40], best)  # the unread score at most 1.5 and 1.0
    near = [(9, -1.8), (7, -1.8 * (1 - 1e-15))]  # an unread one may score what 9 scores
    assert not query._settled([low, near], [2, 40], best)
    tied = [(9, -1.8), (7, -1.8)]  # a tie before the weight: settled by ids, not here
    assert not query._settled([low, tied], [2, 3], best)
