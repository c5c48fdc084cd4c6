"""The search index: words and stems, the static files (shards, documents, facets, entity lists),
determinism, and the SQLite database with its full-text ranking and filters."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import random
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from build_tools.check import check_archive
from build_tools.folding import fold
from build_tools.link import LinkedArchive, link
from build_tools.search import database, search_page, write_search_index
from build_tools.search import index as search_index
from build_tools.search.codec import decode_numbers, encode_ids, encode_numbers, encode_postings
from build_tools.search.database import write_database
from build_tools.search.index import SearchStats, term_order
from build_tools.search.postings import ENTITY, TITLE
from build_tools.search.query import QueryError, fts_query, parse_period, search_archive
from build_tools.search.text import plain_text, plain_text_start, stem, term_counts, terms, words
from tests.conftest import ArchiveFactory, article

ZELENSKYY = """\
type: person
name: Volodymyr Zelenskyy
aliases:
  - Zelenskyy
  - Зеленський
description: President of Ukraine.
"""

MARIUPOL = """\
type: place
name: Mariupol
description: A port city on the Sea of Azov.
"""

FILES = {
    "entities/volodymyr-zelenskyy.yml": ZELENSKYY,
    "entities/mariupol.yml": MARIUPOL,
    "articles/2022/03/talks.md": article(
        title="Ceasefire talks open",
        date="2022-03-01",
        source="Example News",
        tags=["diplomacy"],
        body="Kremlin spokesman Dmitry Peskov spoke about the talks in Istanbul.",
    ),
    "articles/2022/03/shelling.md": article(
        title="Shelling in Mariupol",
        date="2022-03-15",
        source="Other Wire",
        tags=["war"],
        body="Residents said the ceasefire failed. Ceasefire hopes faded; the ceasefire broke.",
    ),
    "articles/2022/04/zvernennia.md": article(
        title="Зеленський звернувся до нації",
        date="2022-04-02",
        source="Українська правда",
        language="uk",
        body="Президент Зеленський заявив, що переговори тривають.",
    ),
    "articles/2022/05/late.md": article(
        title="Peskov comments on the war",
        date="2022-05-01",
        source="Example News",
        body="Peskov said talks may resume in May. Zelenskyy did not reply.",
    ),
}


def page_url(path: str) -> str:
    return path[:-3] + ".html"


def linked_archive(make_archive: ArchiveFactory, files: dict[str, str] = FILES) -> LinkedArchive:
    report = check_archive(make_archive(files))
    assert not report.errors, [p.format() for p in report.problems]
    return link(report.archive)


@pytest.fixture
def built(make_archive: ArchiveFactory, tmp_path: Path) -> tuple[LinkedArchive, Path, SearchStats]:
    linked = linked_archive(make_archive)
    out = tmp_path / "site" / "search"
    return linked, out, write_search_index(linked, out, page_url)


def registered(path: Path) -> object:
    """The data a search file registers with window.__raSearch.add(name, data)."""
    text = path.read_text("utf-8")
    match = re.fullmatch(r'window\.__raSearch\.add\("([^"]+)",(.*)\);\n', text, re.S)
    assert match, text[:80]
    assert match[1] == (path.stem if path.stem == "manifest" else f"{path.parent.name}/{path.stem}")
    return json.loads(match[2])


def manifest(out: Path) -> dict:
    data = registered(out / "manifest.js")
    assert isinstance(data, dict)
    return data


def postings(out: Path, term: str) -> dict[int, int]:
    """document number -> value (impact * 4 + flags) for one term, from its shard."""
    starts = manifest(out)["shards"]
    shard = max(i for i, start in enumerate(starts) if term_order(start) <= term_order(term))
    data = registered(out / "t" / f"{shard}.js")
    assert isinstance(data, dict)
    numbers = decode_numbers(data[term])
    count = numbers[0]
    ids, doc = [], 0
    for gap in numbers[1 : count + 1]:
        doc += gap
        ids.append(doc)
    return dict(zip(ids, numbers[count + 1 :], strict=True))


# --- words ---------------------------------------------------------------------------------------


def test_fold_removes_accents_and_unifies_apostrophes() -> None:
    assert fold("Zelénskyy’s") == "zelenskyy's"
    assert fold("NAÏVE Café") == "naive cafe"
    assert terms("Zelénskyy") == terms("Zelenskyy") == ["zelenskyy"]


def test_terms_stem_english_and_drop_stop_words() -> None:
    assert terms("The talks were talking about negotiations in 2022, on Feb. 24") == [
        "talk",
        "talk",
        "about",
        "negoti",
        "2022",
        "feb",
        "24",
    ]
    assert terms("Moscow-backed separatists’ don’t") == ["moscow", "back", "separatist", "don't"]
    assert stem("running") == "run" and stem("skies") == "sky" and stem("news") == "news"


def test_terms_keep_cyrillic_words_whole() -> None:
    assert terms("Зеленський заявив у Києві, що переговори тривають; п’ять") == [
        "зеленськии",
        "заявив",
        "у",
        "києві",
        "що",
        "переговори",
        "тривають",
        "п'ять",
    ]


def test_words_split_compatibility_characters_and_drop_overlong_tokens() -> None:
    assert words("Straße ﬁnance İstanbul ½") == ["straße", "finance", "istanbul", "1", "2"]
    assert words("x" * 41 + " ok") == ["ok"]


def test_term_counts_is_a_counter_of_terms() -> None:
    text = "Talks, talks and more talking in Київ; the Zelénskyy talks."
    assert term_counts(text) == {t: terms(text).count(t) for t in terms(text)}


def test_plain_text_strips_markdown_and_html() -> None:
    body = (
        "## Heading *x*\n\n*Image:* A view [link](http://x.org) ![alt](p.png) <b>bold</b>"
        " a\\*b snake_case _em_ &amp; done\n{: .ra-caption }\n\n> quoted\n- item\n1. one"
    )
    # A block that ends without punctuation (a heading, a caption) is kept apart from the next.
    assert plain_text(body) == (
        "Heading x · Image: A view link alt bold a*b snake_case em & done · quoted item one"
    )
    assert plain_text("Ends well.\n\nNext") == "Ends well. Next"


# Pieces of a body: words, markup plain_text removes (some of it long enough to straddle where
# the first lines end), line breaks and blank lines.
_PIECES = st.sampled_from(
    [
        "word ",
        "Kyiv. ",
        "said, ",
        "*em* ",
        "_x_ ",
        "**strong** ",
        "a\\*b ",
        "&amp; ",
        "&#8212;",
        "[a link](https://example.org/" + "path/" * 40 + ") ",
        "![alt](p.png) ",
        "<b>bold</b> ",
        '<span class="x">' + "y" * 40 + "</span> ",
        "{: .ra-caption }",
        "\n",
        "\n\n",
        "\n\n## Heading ",
        "\n> quoted ",
        "\n- item ",
        "\n1. one ",
        "word " * 30,
    ]
)


@given(st.lists(_PIECES, max_size=300), st.integers(min_value=20, max_value=400))
def test_plain_text_start_begins_as_the_plain_text_of_the_whole_start(pieces: list[str], enough: int) -> None:
    body = "".join(pieces)
    whole = plain_text(body[:2000])
    start = plain_text_start(body, 2000, enough)
    # What a summary of `enough` characters reads is the same, whichever was read.
    assert start[:enough] == whole[:enough]
    assert len(start) >= min(enough, len(whole))


@given(st.lists(st.integers(min_value=0, max_value=2**40)))
def test_codec_numbers_round_trip(numbers: list[int]) -> None:
    text = encode_numbers(numbers)
    assert re.fullmatch(r"[0-9A-Za-z_-]*", text)
    assert decode_numbers(text) == numbers


def test_codec_writes_counts_then_gaps() -> None:
    assert decode_numbers(encode_ids([3, 4, 40])) == [3, 3, 1, 36]
    assert decode_numbers(encode_postings([0, 7], [5, 9])) == [2, 0, 7, 5, 9]


# --- the static index ----------------------------------------------------------------------------


def test_index_numbers_documents_in_time_order_with_their_days(built) -> None:
    linked, out, stats = built
    m = manifest(out)
    assert m["documents"] == stats.documents == 4
    assert m["firstDay"] == "2022-03-01"
    day, docs = dt.date.fromisoformat(m["firstDay"]), []
    numbers = decode_numbers(m["days"])
    for gap, count in zip(numbers[::2], numbers[1::2], strict=True):
        day += dt.timedelta(days=gap)
        docs += [day] * count
    assert docs == [link.article.date for link in linked.links]
    assert m["docChunk"] == search_index.DOC_CHUNK
    assert sorted(m["stopWords"]) == m["stopWords"] and "the" in m["stopWords"]


def test_index_flags_title_and_entity_name_matches(built) -> None:
    _, out, _ = built
    ceasefire = postings(out, "ceasefir")
    assert ceasefire[0] & TITLE and not ceasefire[0] >> 2  # title only: no body occurrence
    assert not ceasefire[1] & TITLE and ceasefire[1] >> 2 >= 1  # body, three times
    # "volodymyr" is nowhere in the text, but the articles naming Zelenskyy match it by name.
    assert postings(out, "volodymyr") == {2: ENTITY, 3: ENTITY}
    assert set(postings(out, "peskov")) == {0, 3}


def test_index_documents_hold_title_link_facets_and_text(built) -> None:
    _, out, _ = built
    m = manifest(out)
    rows = registered(out / "d" / "0.js")
    assert isinstance(rows, list)
    title, url, source, language, tags, text = rows[1]
    assert (title, url) == ("Shelling in Mariupol", "articles/2022/03/shelling.html")
    assert m["sources"][source][0] == "Other Wire" and m["languages"][language][0] == "en"
    assert [m["tags"][t][0] for t in tags] == ["war"]
    assert text.startswith("Residents said the ceasefire failed.")


def test_index_facets_list_documents_per_entity_source_tag_and_language(built) -> None:
    _, out, _ = built
    m = manifest(out)
    assert [row[:2] for row in m["sources"]] == [
        ["Example News", 2],
        ["Other Wire", 1],
        ["Українська правда", 1],
    ]
    assert [row[:2] for row in m["languages"]] == [["en", 3], ["uk", 1]]
    facets: dict[str, list[int]] = {}
    for path in sorted((out / "f").glob("*.js")):
        data = registered(path)
        assert isinstance(data, dict)
        for key, value in data.items():
            count, *gaps = decode_numbers(value)
            assert count == len(gaps)
            facets[key] = [sum(gaps[: i + 1]) for i in range(count)]
    assert facets["e:volodymyr-zelenskyy"] == [2, 3]
    assert facets["e:mariupol"] == [1]
    assert facets["s:Example News"] == [0, 3]
    assert facets["g:diplomacy"] == [0]
    assert facets["l:uk"] == [2]


def test_index_entity_lists_are_found_by_any_word_and_by_id(built) -> None:
    _, out, _ = built
    buckets = manifest(out)["entityBuckets"]
    for letter in ("v", "z", "з"):  # Volodymyr, Zelenskyy, Зеленський (and the id's words)
        rows = registered(out / "n" / f"{buckets[letter]}.js")
        assert isinstance(rows, list)
        assert ["volodymyr-zelenskyy", "Volodymyr Zelenskyy", "person", ["Zelenskyy", "Зеленський"], 2] == [
            row[:5] for row in rows if row[0] == "volodymyr-zelenskyy"
        ][0]


def test_index_shards_split_by_size_and_cover_every_term(make_archive, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(search_index, "SHARD_TARGET", 300)
    files = {
        f"articles/2022/03/a{i}.md": article(
            title=f"Report {i}",
            date=f"2022-03-{i + 1:02d}",
            body=" ".join(hashlib.sha256(f"{i % 5}-{j}".encode()).hexdigest()[:7] for j in range(40))
            + f" story{i}",
        )
        for i in range(12)
    }
    linked = linked_archive(make_archive, files)
    out = tmp_path / "search"
    stats = write_search_index(linked, out, page_url)
    starts = manifest(out)["shards"]
    assert stats.shards == len(starts) > 3
    assert starts == sorted(starts, key=term_order)
    seen: list[str] = []
    for number in range(len(starts)):
        data = registered(out / "t" / f"{number}.js")
        assert isinstance(data, dict)
        keys = list(data)
        assert keys[0] == starts[number] and keys == sorted(keys, key=term_order)
        packed = len(gzip.compress((out / "t" / f"{number}.js").read_bytes(), 6))
        assert len(keys) == 1 or packed <= 300 + 40  # the file adds its call around the JSON
        seen += keys
    assert len(seen) == len(set(seen)) == stats.terms
    assert {"story11", "report"} <= set(seen)


def test_index_is_byte_identical_for_the_same_archive(make_archive, tmp_path) -> None:
    linked = linked_archive(make_archive)
    first, second = tmp_path / "one", tmp_path / "two"
    write_search_index(linked, first, page_url)
    write_search_index(linked, second, page_url)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert Path("archive.sqlite") in files
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_index_rewrite_leaves_no_stale_files(make_archive, tmp_path) -> None:
    linked = linked_archive(make_archive)
    out = tmp_path / "search"
    write_search_index(linked, out, page_url)
    (out / "d" / "999.js").write_text("stale", encoding="utf-8")
    write_search_index(linked, out, page_url)
    assert not (out / "d" / "999.js").exists()


def test_search_page_is_raw_html_with_the_form_and_scripts() -> None:
    page = search_page()
    assert page.startswith("---\ntitle: Search\n")
    assert '<div id="ra-search" class="ra-search" data-index="search/" data-root="./" markdown="0">' in page
    for name in (
        'name="q"',
        'name="source"',
        'name="tag"',
        'name="lang"',
        'name="from"',
        'name="to"',
        "assets/search/stemmer.js",
        "assets/search/search.js",
    ):
        assert name in page


# --- the SQLite database -------------------------------------------------------------------------


def test_database_holds_no_unused_pages(make_archive, tmp_path: Path) -> None:
    """The full-text index's merges free pages as it is written (here, of texts enough for
    more than one of its segments); the file keeps none of them (a reader who downloads it
    gets no dead weight)."""
    words = random.Random(7)
    files = {
        f"articles/2022/03/a{n}.md": article(
            title=f"Report {n}", body=" ".join(f"w{words.randrange(40000)}" for _ in range(600))
        )
        for n in range(400)
    }
    linked = linked_archive(make_archive, files)
    path = write_database(linked, tmp_path / "archive.sqlite", [f"a{n}.html" for n in range(400)])
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA freelist_count").fetchone() == (0,)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        assert path.stat().st_size == pages * db.execute("PRAGMA page_size").fetchone()[0]


def test_database_schema_and_rows(built) -> None:
    _, _, stats = built
    with sqlite3.connect(stats.sqlite_path) as db:
        tables = {
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
        }
        assert {
            "articles",
            "entities",
            "aliases",
            "article_entities",
            "mentions",
            "date_mentions",
            "tags",
            "authors",
            "quotes",
            "articles_fts",
            "article_search",
            "entity_kinds",
        } <= tables
        assert "impacts" not in tables
        assert db.execute("PRAGMA user_version").fetchone() == (6,)
        assert db.execute("SELECT id, name, plural FROM entity_kinds").fetchall() == [
            ("person", "Person", "People"),
            ("organization", "Organisation", "Organisations"),
            ("place", "Place", "Places"),
            ("event", "Event", "Events"),
            ("other", "Other", "Others"),
        ]
        columns = [row[1] for row in db.execute("PRAGMA table_info(articles)")]
        assert columns == [
            "id",
            "slug",
            "path",
            "title",
            "date",
            "published",
            "source",
            "url",
            "language",
            "summary",
            "body",
            "page_url",
            "retrieved",
            "archive_url",
        ]
        assert db.execute("SELECT id, slug, date, page_url FROM articles ORDER BY id").fetchall() == [
            (1, "talks", "2022-03-01", "articles/2022/03/talks.html"),
            (2, "shelling", "2022-03-15", "articles/2022/03/shelling.html"),
            (3, "zvernennia", "2022-04-02", "articles/2022/04/zvernennia.html"),
            (4, "late", "2022-05-01", "articles/2022/05/late.html"),
        ]
        body = db.execute("SELECT body FROM articles WHERE id = 1").fetchone()[0]
        start, end, entity = db.execute(
            "SELECT start, \"end\", entity_id FROM mentions WHERE article_id = 1 AND entity_id = 'dmitry-peskov'"
        ).fetchone()
        assert body[start:end] == "Dmitry Peskov"
        assert db.execute(
            "SELECT alias FROM aliases WHERE entity_id = 'volodymyr-zelenskyy' ORDER BY alias"
        ).fetchall() == [("Zelenskyy",), ("Зеленський",)]
        assert db.execute(
            "SELECT text, granularity, value FROM date_mentions WHERE article_id = 4"
        ).fetchall() == [("May", "month", "2022-05-01")]
        assert db.execute("SELECT tag FROM tags WHERE article_id = 2").fetchall() == [("war",)]
        assert db.execute(
            "SELECT entity_id, named FROM article_entities WHERE article_id = 4 ORDER BY entity_id"
        ).fetchall() == [("dmitry-peskov", 1), ("volodymyr-zelenskyy", 1)]


def test_database_ranks_a_title_match_above_body_matches(built) -> None:
    _, _, stats = built
    result = search_archive(stats.sqlite_path, "ceasefire")
    assert [hit.title for hit in result.hits] == ["Ceasefire talks open", "Shelling in Mariupol"]
    assert result.total == 2
    assert result.hits[1].snippet == (
        "Residents said the [ceasefire] failed. [Ceasefire] hopes faded; the [ceasefire] broke."
    )


def test_database_matches_entity_names_stems_accents_and_words_split_by_zero_width(built) -> None:
    _, _, stats = built
    assert sorted(h.id for h in search_archive(stats.sqlite_path, "volodymyr").hits) == [3, 4]
    assert sorted(h.id for h in search_archive(stats.sqlite_path, "Zelénskyy").hits) == [3, 4]
    assert sorted(h.id for h in search_archive(stats.sqlite_path, "Zelén\u200bskyy").hits) == [3, 4]
    assert [h.id for h in search_archive(stats.sqlite_path, "talking").hits] == [1, 4]
    assert [h.id for h in search_archive(stats.sqlite_path, "Зеленський").hits] == [3, 4]
    assert [h.id for h in search_archive(stats.sqlite_path, '"talks may resume"').hits] == [4]
    assert [h.id for h in search_archive(stats.sqlite_path, "talk*").hits] == [1, 4]


def test_database_filters(built) -> None:
    _, _, stats = built
    db = stats.sqlite_path

    def ids(query: str = "", **filters: object) -> list[int]:
        return [hit.id for hit in search_archive(db, query, **filters).hits]  # type: ignore[arg-type]

    assert ids(entities=["dmitry-peskov"]) == [4, 1]  # newest first without words
    assert ids(entities=["dmitry-peskov"], date_from="2022-04") == [4]
    assert ids(entities=["dmitry-peskov", "volodymyr-zelenskyy"]) == [4]
    assert ids("talks", source="example news") == [1, 4]
    assert ids(source="УКРАЇНСЬКА ПРАВДА") == ids("переговори", source="українська правда") == [3]
    assert ids(language="UK") == ids("переговори", language="uk") == [3]
    assert ids(tag="war") == [2]
    assert ids(language="uk") == [3]
    assert ids(date_from="2022-03-10", date_to="2022-04") == [3, 2]
    assert ids("ceasefire", date_to="2022-03-01") == [1]
    assert ids(entities=["mariupol"], limit=1) == [2]


def test_database_entity_filter_snippet_marks_the_mention(built) -> None:
    _, _, stats = built
    hit = search_archive(stats.sqlite_path, entities=["dmitry-peskov"], date_to="2022-03").hits[0]
    assert hit.snippet == "Kremlin spokesman [Dmitry Peskov] spoke about the talks in Istanbul."


def test_query_errors_say_what_to_do(built, tmp_path) -> None:
    _, _, stats = built
    with pytest.raises(QueryError, match="did you mean 'dmitry-peskov'"):
        search_archive(stats.sqlite_path, entities=["dmitri-peskov"])
    with pytest.raises(QueryError, match="give words to search for, or a filter"):
        search_archive(stats.sqlite_path, "  ")
    with pytest.raises(QueryError, match="'2022-02-30' is not a date"):
        search_archive(stats.sqlite_path, "talks", date_from="2022-02-30")
    with pytest.raises(QueryError, match="run `archive build` first"):
        search_archive(tmp_path / "missing.sqlite", "talks")
    with pytest.raises(QueryError, match="did you mean 'Other Wire'"):
        search_archive(stats.sqlite_path, "talks", source="Other Wyre")
    for limit in (0, -1):
        with pytest.raises(QueryError, match=f"the limit is {limit}; ask for at least 1 result"):
            search_archive(stats.sqlite_path, "talks", limit=limit)


def test_fts_query_quotes_every_word_and_phrase() -> None:
    assert fts_query('peace "talks end" AND x-y NEAR( talk* "') == (
        '"peace" AND "talks end" AND "AND" AND "x-y" AND "NEAR(" AND "talk"*'
    )
    assert fts_query("-- ! ?") == ""


def test_fts_query_reads_or_and_exclusions_as_the_search_page_does() -> None:
    assert fts_query("grain OR wheat") == '("grain" OR "wheat")'
    assert fts_query("azovstal -mariupol") == '"azovstal" NOT "mariupol"'
    assert fts_query('talks -"peace talks" -kyiv') == '"talks" NOT ("peace talks" OR "kyiv")'
    assert fts_query('"peace talks" OR ceasefire* kyiv') == '("peace talks" OR "ceasefire"*) AND "kyiv"'
    # OR with nothing to join and lower-case 'or' are words; '-' alone is nothing.
    assert fts_query("OR grain or - wheat OR") == '"grain" AND "or" AND "wheat"'
    assert fts_query("-mariupol") == ""  # an exclusion alone is applied as a filter


def test_parse_period_takes_years_months_and_days() -> None:
    assert parse_period("2022") == dt.date(2022, 1, 1)
    assert parse_period("2022", end=True) == dt.date(2022, 12, 31)
    assert parse_period("2024-02", end=True) == dt.date(2024, 2, 29)
    assert parse_period("2022-03-30", end=True) == dt.date(2022, 3, 30)


def test_database_finds_words_that_zero_width_characters_split_in_the_text(
    make_archive: ArchiveFactory, tmp_path: Path
) -> None:
    root = make_archive(
        {
            "articles/2022/03/a.md": article(
                title="Pes\u2060kov speaks",
                date="2022-03-01",
                body="Volodymyr Zelen\u200bskyy met the nego\ufefftiators.",
            )
        }
    )
    report = check_archive(root)
    assert not report.errors, [p.format() for p in report.problems]
    linked = link(report.archive)
    db = write_database(linked, tmp_path / "archive.sqlite", ["articles/2022/03/a.html"])
    for typed in ("zelenskyy", "Zelen\u200bskyy", "peskov", "negotiators", '"zelenskyy met"'):
        assert [hit.id for hit in search_archive(db, typed).hits] == [1], typed
    with sqlite3.connect(db) as connection:  # the text itself is kept as archived
        assert "Zelen\u200bskyy" in connection.execute("SELECT body FROM articles").fetchone()[0]


def test_database_holds_the_same_rows_whatever_the_batch_of_articles(
    make_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are inserted a batch of articles at a time: batches that end on the last article
    or before it give every row once, in the same order."""
    linked = linked_archive(make_archive)
    assert len(linked.links) > 2
    urls = [f"a{n}.html" for n in range(len(linked.links))]
    whole = write_database(linked, tmp_path / "whole.sqlite", urls)
    monkeypatch.setattr(database, "ROWS_AT_ONCE", 2)
    batched = write_database(linked, tmp_path / "batched.sqlite", urls)
    with sqlite3.connect(whole) as one, sqlite3.connect(batched) as other:
        dumped = list(one.iterdump())
        assert any(line.startswith('INSERT INTO "mentions"') for line in dumped)
        assert dumped == list(other.iterdump())
