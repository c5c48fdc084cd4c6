"""archive search ranks as one SQLite statement with FTS5's bm25() does: the same hits in the
same order with the same scores, and the same count, for words, phrases, prefixes and filters."""

from __future__ import annotations

import contextlib
import random
import re
import sqlite3
from pathlib import Path

import pytest

from build_tools.check import check_archive
from build_tools.link import link
from build_tools.search import query
from build_tools.search.database import write_database
from build_tools.search.query import search_archive
from tests.conftest import ArchiveFactory, article

VOCABULARY = (
    "ceasefire talks shelling corridor grain exports port evacuation negotiators "
    "sanctions residents officials border energy prices bridge railway power station "
    "mayor city region"
).split()
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
            words.append("kremlin")  # a word in 5 articles
        if number % 5 < 2:
            words.append("mariupol")  # in 60 articles
        files[f"articles/2022/03/a{number:03d}.md"] = article(
            title=title,
            date=f"2022-03-{day:02d}",
            source=SOURCES[number % 3],
            body=" ".join(words).capitalize() + ".",
        )
    return files


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ranking")
    root = folder / "archive"
    for rel, text in synthetic_files(150).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "entities").mkdir()
    report = check_archive(root)
    assert not report.errors, [p.format() for p in report.problems]
    linked = link(report.archive)
    return write_database(
        linked, folder / "archive.sqlite", [f"{x.article.path[:-3]}.html" for x in linked.links]
    )


TEXTS = [
    '"power station"',
    '"grain exports"',
    "talk*",
    "ceasefire*",
    "exp*",
    "ceasefire",
    "grain exports port",
    "corridor",
    'corridor "ceasefire talks"',
    "mariupol kremlin",
    '"power station" "grain exports"',
    'talk* "exports port" mariupol',
    "kremlin",
    '"ceasefire ceasefire"',
    "ceasefire U.N.",
]
FILTERS = [{}, {"source": "Other Wire"}, {"date_from": "2022-03-10", "date_to": "2022-03-20"}]
SQL_FILTERS = {
    0: ("", []),
    1: (" AND rowid IN (SELECT id FROM articles WHERE source = ?)", ["Other Wire"]),
    2: (" AND rowid IN (SELECT id FROM articles WHERE date BETWEEN ? AND ?)", ["2022-03-10", "2022-03-20"]),
}


@pytest.mark.parametrize("which", range(len(FILTERS)))
@pytest.mark.parametrize("text", TEXTS)
def test_search_ranks_and_counts_as_one_bm25_statement_does(db: Path, text: str, which: int) -> None:
    where, params = SQL_FILTERS[which]
    with contextlib.closing(sqlite3.connect(db)) as connection:
        expected = [
            (row[0], round(row[1], 6))
            for row in connection.execute(
                "SELECT rowid, bm25(articles_fts, 10.0, 1.0, 4.0) AS score FROM articles_fts "
                f"WHERE articles_fts MATCH ?{where} ORDER BY score, rowid DESC",
                (query.fts_query(text), *params),
            )
        ]
    for limit in (1, 3, 20, 200):
        result = search_archive(db, text, limit=limit, **FILTERS[which])  # type: ignore[arg-type]
        assert [(hit.id, hit.score) for hit in result.hits] == expected[:limit], (text, limit)
        assert result.total == len(expected)
        assert [hit.rank for hit in result.hits] == list(range(1, len(result.hits) + 1))


def test_search_ties_are_broken_newest_first(make_archive: ArchiveFactory, tmp_path: Path) -> None:
    # Twelve articles alike: every match scores the same, and ids alone order them.
    files = {
        f"articles/2022/03/same{n:02d}.md": article(
            title="Same", date=f"2022-03-{n + 1:02d}", body="Grain exports resumed."
        )
        for n in range(12)
    }
    report = check_archive(make_archive(files))
    linked = link(report.archive)
    db = write_database(
        linked, tmp_path / "ties.sqlite", [f"{x.article.path[:-3]}.html" for x in linked.links]
    )
    result = search_archive(db, '"grain exports"', limit=5)
    assert [hit.date for hit in result.hits] == [f"2022-03-{d}" for d in (12, 11, 10, "09", "08")]
    assert len({hit.score for hit in result.hits}) == 1 and result.total == 12


def test_search_matches_are_found_for_most_test_queries(db: Path) -> None:
    assert sum(search_archive(db, text).total > 0 for text in TEXTS) >= len(TEXTS) - 4


def test_search_snippets_mark_matched_words_with_the_given_marks(db: Path) -> None:
    result = search_archive(db, '"grain exports"', limit=3, marks=("<<", ">>"))
    for hit in result.hits:
        assert re.search(r"<<(grain|exports|grain exports)>>", hit.snippet.lower()), hit.snippet
        assert "\ue000" not in hit.snippet and "\ue001" not in hit.snippet


def test_search_needs_no_compiled_extension_nor_apsw() -> None:
    source = Path(query.__file__).read_text("utf-8")
    assert "import sqlite3" in source and "apsw" not in source and "numpy" not in source
    assert not list(Path(query.__file__).parent.glob("*.c"))
