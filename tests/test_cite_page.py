"""An article page as a reference manager and a reader see it: citation_* tags and a description
in its head, 'Cite this article' with its downloads, a readable publication time, and the line
a printed copy carries."""

from __future__ import annotations

import html.parser
import json
from pathlib import Path

import bibtexparser
import pytest
import rispy

from tests.seed import SEED, SEED_TITLE, SITE_URL, build_seed_sites

SEED_PAGE = SEED.replace(".md", ".html")
SUMMIT_PAGE = "articles/2022/04/kremlin-rules-out-a-summit.html"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_seed_sites(tmp_path_factory.mktemp("cite-page"))


class _Page(html.parser.HTMLParser):
    """The page's <meta name> tags, download links and the text of chosen elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.downloads: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self._open: list[str] = []
        self._link: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "meta" and "name" in found:
            self.meta.append((found["name"], found["content"]))
        if tag == "a" and "download" in found:
            self._link = found["href"]
        for cls in found.get("class", "").split():
            if cls in ("ra-cite__reference", "ra-print", "ra-meta"):
                self._open.append(cls)
                self.texts.setdefault(cls, "")

    def handle_data(self, data: str) -> None:
        for cls in self._open:
            self.texts[cls] += data
        if self._link is not None:
            self.downloads[data] = self._link
            self._link = None

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "div") and self._open:
            self._open.pop()


def parse(site: Path, page: str) -> _Page:
    parser = _Page()
    parser.feed((site / page).read_text("utf-8"))
    return parser


def test_cite_page_head_has_the_seed_articles_citation_tags(sites: tuple[Path, Path]) -> None:
    page = parse(sites[0], SEED_PAGE)
    tags = [(name, value) for name, value in page.meta if name.startswith("citation_")]
    assert tags == [
        ("citation_title", SEED_TITLE),
        ("citation_publication_date", "2022/03/30"),
        ("citation_publisher", "Unknown publisher"),
        ("citation_fulltext_html_url", SITE_URL + SEED_PAGE),
        ("citation_language", "en"),
    ]
    description = dict(page.meta)["description"]
    assert description.startswith("Russia said Tuesday's peace talks with Ukraine in Istanbul")
    assert len(description) <= 301


def test_cite_page_downloads_parse_with_the_seed_articles_title_date_and_publisher(
    sites: tuple[Path, Path],
) -> None:
    for site in sites:
        page = parse(site, SEED_PAGE)
        assert set(page.downloads) == {"BibTeX", "RIS", "CSL-JSON"}
        folder = (site / SEED_PAGE).parent

        def read(label: str, folder: Path = folder, page: _Page = page) -> str:
            return (folder / page.downloads[label]).read_text("utf-8")

        entry = bibtexparser.loads(read("BibTeX")).entries[0]
        assert (entry["title"], entry["date"], entry["publisher"]) == (
            "{" + SEED_TITLE + "}",
            "2022-03-30",
            "Unknown publisher",
        )
        (record,) = rispy.loads(read("RIS"))
        assert (record["title"], record["date"], record["publisher"]) == (
            SEED_TITLE,
            "2022/03/30",
            "Unknown publisher",
        )
        (item,) = json.loads(read("CSL-JSON"))
        assert (item["title"], item["issued"], item["publisher"]) == (
            SEED_TITLE,
            {"date-parts": [[2022, 3, 30]]},
            "Unknown publisher",
        )


def test_cite_page_shows_the_reference_and_what_print_carries(sites: tuple[Path, Path]) -> None:
    with_address, without = (parse(site, SUMMIT_PAGE) for site in sites)
    assert with_address.texts["ra-cite__reference"].startswith(
        "Olena Kovalenko and Mark Brennan. “Kremlin rules out a summit.” Example News, 2 April 2022, "
        "09:15 UTC+03:00."
    )
    assert (
        with_address.texts["ra-print"].strip()
        == f"Ukraine 2022: a research archive · {SITE_URL}{SUMMIT_PAGE}"
    )
    assert without.texts["ra-print"].strip() == f"Ukraine 2022: a research archive · {SUMMIT_PAGE}"
    assert "Published2 April 2022, 09:15 UTC+03:00" in with_address.texts["ra-meta"].replace("\n", "")
    assert not [name for name, _ in without.meta if name == "citation_fulltext_html_url"]


def test_cite_page_escapes_hostile_titles_in_its_head(sites: tuple[Path, Path]) -> None:
    text = (sites[0] / "articles/2022/03/peskov-quoted.html").read_text("utf-8")
    assert "<script>alert" not in text and "<b>bold</b>" not in text
    page = parse(sites[0], "articles/2022/03/peskov-quoted.html")
    assert dict(page.meta)["citation_title"] == 'Peskov "quoted" <b>bold</b> & {braces} %'
    assert dict(page.meta)["description"] == '"><script>alert(1)</script>'
