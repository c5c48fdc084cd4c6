"""Quotations and who said them (issue 18): found in the text, attributed only when certain,
listed under the right person, exported by `archive export --quotes`."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_tools.check import check_archive
from build_tools.cli import main
from build_tools.link import EntityMatcher, link
from build_tools.link.quotes import find_quotes
from build_tools.model import Entity
from build_tools.pipeline import build_pages
from build_tools.problems import Source
from build_tools.search.database import write_database
from tests.conftest import article
from tests.seed import REPO, SEED

SEED_QUOTES = {
    "dmitry-peskov": "We can’t say there has been something promising or any breakthroughs",
    "volodymyr-zelenskyy": "Ukrainians are not naive people",
    "vladimir-medinsky": "This is the essence, meaning and importance of the document",
    "vladyslav-atroshenko": "This is yet another confirmation that Russia always lies",
    "matilda-bogner": "We do think that there could be thousands of deaths",
}


@pytest.fixture(scope="module")
def seed_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("quotes") / "archive"
    shutil.copytree(REPO / "archive" / "entities", root / "entities")
    (root / SEED).parent.mkdir(parents=True)
    shutil.copy(REPO / "archive" / SEED, root / SEED)
    site = build_pages(root)
    assert not site.report.errors
    return site.pages


def person(entity_id: str, name: str, *aliases: str) -> Entity:
    return Entity(entity_id, "person", name, aliases, "d", Source("x"))


MATCHER = EntityMatcher(
    [
        person("dmitry-peskov", "Dmitry Peskov", "Peskov"),
        person("sergei-lavrov", "Sergei Lavrov", "Lavrov"),
        Entity("kremlin", "organization", "Kremlin", (), "d", Source("x")),
    ]
)
PEOPLE = frozenset({"dmitry-peskov", "sergei-lavrov"})


def said(body: str) -> list[tuple[str | None, str, str]]:
    return [(q.speaker, q.how, q.text) for q in find_quotes(body, MATCHER.find(body), PEOPLE)]


# --- finding and attributing ------------------------------------------------------------------


def test_quotes_attributed_after_the_verb_before_a_colon_and_by_according_to() -> None:
    assert said("“Talks will go on next week,” Peskov said.") == [
        ("dmitry-peskov", "after_verb", "Talks will go on next week,")
    ]
    assert said("“Talks will go on next week,” said Dmitry Peskov.")[0][:2] == ("dmitry-peskov", "after_verb")
    assert said("Peskov told reporters: “Talks will go on next week.”")[0][:2] == (
        "dmitry-peskov",
        "before_colon",
    )
    assert said("According to Lavrov, “the talks will go on next week.”")[0][:2] == (
        "sergei-lavrov",
        "according_to",
    )


def test_quotes_he_said_is_the_only_person_just_named() -> None:
    body = "Dmitry Peskov spoke on Monday.\n\n“Talks will go on next week,” he said."
    assert said(body)[0][:2] == ("dmitry-peskov", "pronoun")


def test_quotes_he_said_after_two_people_is_left_unattributed() -> None:
    body = "Dmitry Peskov met Sergei Lavrov on Monday. “Talks will go on next week,” he said."
    assert said(body)[0][:2] == (None, "pronoun")


def test_quotes_a_role_or_an_organisation_is_not_guessed_to_be_a_person() -> None:
    body = "Peskov spoke.\n\n“Talks will go on next week,” the Kremlin spokesman said."
    assert said(body)[0][:2] == (None, "none")
    assert said("“Talks will go on next week,” the Kremlin said.")[0][0] is None


def test_quotes_scare_quotes_and_names_of_things_are_not_quotations() -> None:
    assert said("Peskov called it a “special operation” and praised the “Normandy Format Talks”.") == []


def test_quotes_the_next_quotation_in_a_paragraph_goes_on_with_the_same_speaker() -> None:
    body = "“Talks will go on next week,” Peskov said. “We expect nothing before then.”"
    assert [s[:2] for s in said(body)] == [("dmitry-peskov", "after_verb"), ("dmitry-peskov", "continuation")]


# --- the seed article: five quotations, each under the right person only ----------------------


def test_quotes_of_the_seed_article_are_under_the_right_person_only(seed_pages: dict[str, str]) -> None:
    for speaker, words in SEED_QUOTES.items():
        page = seed_pages[f"quotes/{speaker}.md"]
        assert words in page, speaker
        entity_page = seed_pages[f"entities/{speaker}.md"]
        assert "## Quotes" in entity_page and words in entity_page, speaker
        for other, other_words in SEED_QUOTES.items():
            if other != speaker:
                assert other_words not in page, (speaker, other)
    index = seed_pages["quotes.md"]
    for speaker in SEED_QUOTES:
        assert f'href="quotes/{speaker}.md"' in index


def test_quotes_link_to_the_passage_with_their_words_marked(seed_pages: dict[str, str]) -> None:
    page = seed_pages["quotes/matilda-bogner.md"]
    assert (
        "../articles/2022/03/russia-says-no-breakthrough-at-istanbul-peace-talks.md?h=think+that+there"
        in page
    )


# --- archive export --quotes --------------------------------------------------------------------


@pytest.fixture
def db(make_archive) -> Path:
    linked = link(
        check_archive(
            make_archive(
                {
                    "entities/sergei-lavrov.yml": "type: person\nname: Sergei Lavrov\naliases: [Lavrov]\ndescription: d.\n",
                    "articles/2022/03/a.md": article(
                        title="Talks", date="2022-03-01", body="“Talks will go on next week,” Peskov said."
                    ),
                    "articles/2022/04/b.md": article(
                        title="Lavrov speaks",
                        date="2022-04-02",
                        body="Lavrov told reporters: “There will be no ceasefire in April.”",
                    ),
                }
            )
        ).archive
    )
    path = Path("site/archive.sqlite")
    path.parent.mkdir()
    return write_database(linked, path, [f"{x.article.path[:-3]}.html" for x in linked.links])


def test_export_quotes_writes_who_said_what_as_csv_and_json(db: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--quotes"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["date"], r["speaker"], r["quote"]) for r in rows] == [
        ("2022-03-01", "dmitry-peskov", "Talks will go on next week,"),
        ("2022-04-02", "sergei-lavrov", "There will be no ceasefire in April."),
    ]
    assert result.stderr == "2 quotations exported\n"
    only = CliRunner().invoke(
        main, ["export", "--quotes", "--format", "json", "--entity", "sergei-lavrov", "ceasefire"]
    )
    assert [q["speaker_name"] for q in json.loads(only.stdout)] == ["Sergei Lavrov"]
    assert CliRunner().invoke(
        main, ["export", "--quotes", "--from", "2022-04", "--", "-ceasefire"]
    ).stderr == ("0 quotations exported\n")


def test_export_quotes_csv_cell_never_starts_a_formula(make_archive) -> None:
    linked = link(
        check_archive(
            make_archive(
                {
                    "articles/2022/03/a.md": article(
                        body="“=HYPERLINK(evil) will go on next week,” Peskov said."
                    )
                }
            )
        ).archive
    )
    path = Path("site/archive.sqlite")
    path.parent.mkdir()
    write_database(linked, path, [f"{x.article.path[:-3]}.html" for x in linked.links])
    (row,) = csv.DictReader(io.StringIO(CliRunner().invoke(main, ["export", "--quotes"]).stdout))
    assert row["quote"] == "'=HYPERLINK(evil) will go on next week,"


def test_export_quotes_refuses_a_citation_format(db: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--quotes", "--format", "bibtex"])
    assert result.exit_code == 2
    assert "quotations are exported as csv or json, not bibtex" in result.stderr
