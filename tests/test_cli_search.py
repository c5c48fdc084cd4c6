"""`archive search`: exact output and exit codes over a small archive's database."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from build_tools.check import check_archive
from build_tools.cli import main
from build_tools.link import link
from build_tools.search.database import write_database
from tests.conftest import ArchiveFactory, article

FILES = {
    "articles/2022/03/talks.md": article(
        title="Ceasefire talks open",
        date="2022-03-01",
        source="Example News",
        tags=["diplomacy"],
        body="Kremlin spokesman Dmitry Peskov spoke about the talks in Istanbul.",
    ),
    "articles/2022/03/shelling.md": article(
        title="Shelling goes on",
        date="2022-03-15",
        source="Other Wire",
        tags=["war"],
        body="Residents said the ceasefire failed. Ceasefire hopes faded; the ceasefire broke.",
    ),
    "articles/2022/05/late.md": article(
        title="Peskov comments on the war",
        date="2022-05-01",
        source="Example News",
        body="Peskov said talks may resume in May.",
    ),
}


@pytest.fixture
def db(make_archive: ArchiveFactory) -> Path:
    """site/archive.sqlite under the working directory (the command's default --db)."""
    linked = link(check_archive(make_archive(FILES)).archive)
    path = Path("site/archive.sqlite")
    path.parent.mkdir()
    return write_database(linked, path, [f"{x.article.path[:-3]}.html" for x in linked.links])


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["search", *args])


def test_search_cli_prints_ranked_hits_with_marked_snippets(db: Path) -> None:
    result = run("ceasefire")
    assert result.exit_code == 0
    assert result.stdout == (
        "1. Ceasefire talks open\n"
        "   2022-03-01 · Example News · articles/2022/03/talks.html\n"
        "   [Ceasefire] talks open\n"
        "\n"
        "2. Shelling goes on\n"
        "   2022-03-15 · Other Wire · articles/2022/03/shelling.html\n"
        "   Residents said the [ceasefire] failed. [Ceasefire] hopes faded; the [ceasefire] broke.\n"
        "\n"
    )
    assert result.stderr == "2 results\n"


def test_search_cli_filters_without_words_list_newest_first(db: Path) -> None:
    result = run("--entity", "dmitry-peskov", "--from", "2022-03", "--to", "2022-12-31")
    assert result.exit_code == 0
    assert result.stdout == (
        "1. Peskov comments on the war\n"
        "   2022-05-01 · Example News · articles/2022/05/late.html\n"
        "   [Peskov] said talks may resume in May.\n"
        "\n"
        "2. Ceasefire talks open\n"
        "   2022-03-01 · Example News · articles/2022/03/talks.html\n"
        "   Kremlin spokesman [Dmitry Peskov] spoke about the talks in Istanbul.\n"
        "\n"
    )
    assert result.stderr == "2 results\n"


def test_search_cli_limits_and_says_how_many_there_are(db: Path) -> None:
    result = run("talks", "--limit", "1", "--source", "Example News")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "1. Ceasefire talks open"
    assert result.stderr == "2 results; showing the first 1 (--limit N for more)\n"


def test_search_cli_phrase_tag_and_language(db: Path) -> None:
    assert run('"talks may resume"').stdout.splitlines()[0] == "1. Peskov comments on the war"
    assert run("--tag", "war").stdout.splitlines()[0] == "1. Shelling goes on"
    assert run("--lang", "en", "--to", "2022-03-01").stdout.splitlines()[0] == "1. Ceasefire talks open"


def test_search_cli_source_and_tag_ignore_case_as_their_pages_do(db: Path) -> None:
    """'example news' is the source 'Example News', whose page lists both of its articles."""
    result = run("--source", "EXAMPLE NEWS")
    assert [line for line in result.stdout.splitlines() if line[:1].isdigit()] == [
        "1. Peskov comments on the war",
        "2. Ceasefire talks open",
    ]
    assert run("--tag", "Diplomacy").stdout.splitlines()[0] == "1. Ceasefire talks open"


def test_search_cli_prints_json(db: Path) -> None:
    result = run("resume", "--json", "--db", str(db))
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert [{k: v for k, v in hit.items() if k != "score"} for hit in hits] == [
        {
            "rank": 1,
            "id": 3,
            "date": "2022-05-01",
            "source": "Example News",
            "title": "Peskov comments on the war",
            "page_url": "articles/2022/05/late.html",
            "url": None,
            "snippet": "Peskov said talks may [resume] in May.",
        }
    ]
    assert isinstance(hits[0]["score"], float)


def test_search_cli_or_takes_either_word_and_minus_excludes(db: Path) -> None:
    assert run("shelling").stdout.count("\n\n") == 1
    either = run("shelling OR Istanbul")
    assert (either.exit_code, either.stderr) == (0, "2 results\n")
    assert "Shelling goes on" in either.stdout and "Ceasefire talks open" in either.stdout
    assert run("talks -Istanbul").stderr == "1 result\n"  # the late Peskov article only
    assert "Peskov comments on the war" in run("talks -Istanbul").stdout
    assert run('ceasefire -"Ceasefire hopes"').stderr == "1 result\n"
    # A query that opens with '-' follows '--', as for any command line.
    assert run("--source", "Example News", "--", "-ceasefire").stderr == "1 result\n"
    assert run("ceasef*").stderr == "2 results\n"


def test_search_cli_suggests_the_archives_spelling_when_nothing_matches(db: Path) -> None:
    result = run("Istambul")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "No results.\nDid you mean: Istanbul\n"
    assert run("cesefire").stderr == "No results.\nDid you mean: ceasefire\n"


def test_search_cli_offers_the_entity_filter_when_the_query_is_a_name(db: Path) -> None:
    result = run("dmitry peskov")
    assert result.stderr.endswith(
        "Dmitry Peskov is in the registry: --entity dmitry-peskov lists the articles naming it.\n"
    )


def test_search_cli_exits_0_when_nothing_matches(db: Path) -> None:
    result = run("zeppelin")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No results.\n")
    result = run("zeppelin", "--json")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "[]\n", "No results.\n")


def test_search_cli_without_a_database_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("talks")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: no search database at site/archive.sqlite; run `archive build` first (or pass --db PATH)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--entity", "dmitri-peskov"],
            "no entity 'dmitri-peskov' in the archive; did you mean 'dmitry-peskov'?",
        ),
        (["talks", "--from", "2022-02-30"], "'2022-02-30' is not a date; use YYYY-MM-DD, YYYY-MM or YYYY"),
        (
            [],
            "give words to search for, or a filter (--entity, --source, --tag, --term, --lang, --from, --to)",
        ),
        (["talks", "--tag", "wars"], "no tag 'wars' in the archive; did you mean 'war'?"),
    ],
)
def test_search_cli_usage_errors_exit_2(db: Path, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"Error: {message}"


def test_search_cli_rejects_a_limit_below_1(db: Path) -> None:
    assert run("talks", "--limit", "0").exit_code == 2


# What a terminal obeys: OSC 52 writes the clipboard, OSC 8 shows a link to another address
# than its text, CSI (ESC [ or U+009B) moves the cursor and rewrites what was printed.
CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"
HIDDEN_LINK = "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\"


@pytest.fixture
def hostile_db(make_archive: ArchiveFactory) -> Path:
    """A database whose article holds terminal escapes in its title, source, tag and body: the
    check refuses some of them in front matter, but a database may come from an older build."""
    linked = link(check_archive(make_archive(FILES)).archive)
    first = linked.links[0]
    hostile = replace(
        first.article,
        title=f"Ceasefire {CLIPBOARD} talks {HIDDEN_LINK}",
        source=f"Example\x9b2J News{CLIPBOARD}",
        tags=(f"war{HIDDEN_LINK}",),
        body=f"The ceasefire {CLIPBOARD} held \u202eevil\u202c {HIDDEN_LINK} today.",
    )
    linked = replace(linked, links=(replace(first, article=hostile), *linked.links[1:]))
    path = Path("site/archive.sqlite")
    path.parent.mkdir()
    return write_database(linked, path, [f"{x.article.path[:-3]}.html" for x in linked.links])


def test_search_cli_shows_terminal_escapes_from_the_archive_escaped(hostile_db: Path) -> None:
    result = run("held")
    assert result.exit_code == 0
    assert result.stdout == (
        "1. Ceasefire \\x1b]52;c;ZXZpbA==\\x07 talks \\x1b]8;;http://evil\\x1b\\click\\x1b]8;;\\x1b\\\n"
        "   2022-03-01 · Example\\x9b2J News\\x1b]52;c;ZXZpbA==\\x07 · articles/2022/03/talks.html\n"
        "   The ceasefire \\x1b]52;c;ZXZpbA==\\x07 [held] \\u202eevil\\u202c \\x1b]8;;http://evil\\x1b\\click"
        "\\x1b]8;;\\x1b\\ today.\n"
        "\n"
    )
    assert result.stderr == "1 result\n"


@pytest.mark.parametrize(
    "args",
    [
        ["ceasefire"],
        ["ceasefire", "--json"],
        ["--tag", f"WAR{HIDDEN_LINK}"],
        ["--source", f"example\x9b2j news{CLIPBOARD}"],
        ["--source", "Example\x9b2J News\x1b]52;c;ZXZpbA=="],  # did you mean the hostile name?
    ],
)
def test_search_cli_prints_no_control_characters_from_the_archive(hostile_db: Path, args: list[str]) -> None:
    result = run(*args)
    printed = result.stdout + result.stderr
    assert "Ceasefire" in printed or "did you mean 'Example\\x9b2J News\\x1b]52;c;ZXZpbA==\\x07'?" in printed
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", printed), printed


def test_search_cli_json_reads_back_as_the_archive_text(hostile_db: Path) -> None:
    hits = json.loads(run("ceasefire", "--json").stdout)
    assert hits[0]["title"] == f"Ceasefire {CLIPBOARD} talks {HIDDEN_LINK}"
    assert hits[0]["source"] == f"Example\x9b2J News{CLIPBOARD}"


def test_search_database_index_holds_what_its_view_gives(make_archive: ArchiveFactory) -> None:
    """The full-text index is filled from the linked archive, not by SQLite reading the
    article_search view: FTS5's integrity-check (rank 1) compares the two row by row."""
    files = {
        **FILES,
        "articles/2022/04/hidden.md": article(
            title="Zero\u200bwidth in the title",
            date="2022-04-02",
            body="The Kremlin and Dmitri Peskov said noth\u200bing in the Kremlin.",
        ),
    }
    linked = link(check_archive(make_archive(files)).archive)
    path = write_database(linked, Path("archive.sqlite"), [x.article.path for x in linked.links])
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
        hidden = connection.execute("SELECT id FROM articles WHERE slug = 'hidden'").fetchone()[0]
        found = connection.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid", ("entities:Dmitri",)
        ).fetchall()
        assert found == [(1,), (hidden,), (4,)]  # by an alias, through the entities column
        assert connection.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'nothing OR zerowidth'"
        ).fetchall() == [(hidden,)]  # words joined again where a zero-width character was
        # The check is no formality: a title changed behind the index fails it.
        connection.execute("UPDATE articles SET title = 'Another title' WHERE id = ?", (hidden,))
        with pytest.raises(sqlite3.DatabaseError):
            connection.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
