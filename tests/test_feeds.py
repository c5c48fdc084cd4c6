"""Feeds of the newest articles, of each entity and of each source: parsed by a feed parser,
checked against JSON Feed 1.1's fields, linked from the pages' heads and the pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import jsonschema
import pytest

from build_tools.render import feeds
from tests.seed import SEED_TITLE, SITE_URL, build_seed_sites

# JSON Feed 1.1 (jsonfeed.org/version/1.1): the top-level and item fields, their types, and
# what is required; an item needs content_html or content_text.
_AUTHOR = {"type": "object", "properties": {"name": {"type": "string"}, "url": {"type": "string"}}}
JSON_FEED_1_1 = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "format": "uri"},
        "feed_url": {"type": "string", "format": "uri"},
        "description": {"type": "string"},
        "authors": {"type": "array", "items": _AUTHOR},
        "language": {"type": "string"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_text"]}, {"required": ["content_html"]}],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string"},
                    "url": {"type": "string"},
                    "external_url": {"type": "string"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "content_text": {"type": "string"},
                    "summary": {"type": "string"},
                    "image": {"type": "string"},
                    "banner_image": {"type": "string"},
                    "date_published": {"type": "string", "format": "date-time"},
                    "date_modified": {"type": "string", "format": "date-time"},
                    "authors": {"type": "array", "items": _AUTHOR},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "language": {"type": "string"},
                    "attachments": {"type": "array"},
                },
            },
        },
    },
}
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_seed_sites(tmp_path_factory.mktemp("feeds"))


def every_feed(site: Path) -> list[Path]:
    return sorted((site / "feeds").rglob("*.*"))


def test_feeds_atom_parse_without_error_and_list_the_newest_first(sites: tuple[Path, Path]) -> None:
    for site in sites:
        atom_files = [p for p in every_feed(site) if p.suffix == ".xml"]
        assert len(atom_files) == 1 + 4 + 3  # the newest, four entities, three sources
        for path in atom_files:
            parsed = feedparser.parse(path.read_bytes())
            assert not parsed.bozo, (path, parsed.get("bozo_exception"))
            assert parsed.version == "atom10"
            assert parsed.entries and all(entry.link and entry.id for entry in parsed.entries)
    peskov = feedparser.parse((sites[0] / "feeds/entities/dmitry-peskov.xml").read_bytes())
    assert [e.title for e in peskov.entries] == [
        "Kremlin rules out a summit",
        SEED_TITLE,
        'Peskov "quoted" <b>bold</b> & {braces} %',
        "Peskov on sanctions",
    ]
    assert peskov.feed.updated == "2022-04-02T09:15:00+03:00"
    assert peskov.entries[0].link == SITE_URL + "articles/2022/04/kremlin-rules-out-a-summit.html"
    bare = feedparser.parse((sites[1] / "feeds/entities/dmitry-peskov.xml").read_bytes())
    assert bare.entries[0].link == "../../articles/2022/04/kremlin-rules-out-a-summit.html"


def test_feeds_json_have_the_json_feed_1_1_fields(sites: tuple[Path, Path]) -> None:
    checker = jsonschema.Draft202012Validator(JSON_FEED_1_1, format_checker=jsonschema.FormatChecker())
    for site in sites:
        for path in (p for p in every_feed(site) if p.suffix == ".json"):
            data = json.loads(path.read_text("utf-8"))
            checker.validate(data)
            assert all(RFC3339.fullmatch(item["date_published"]) for item in data["items"])
    newest = json.loads((sites[0] / "feeds/articles.json").read_text("utf-8"))
    assert newest["feed_url"] == SITE_URL + "feeds/articles.json"
    assert newest["items"][0]["url"] == SITE_URL + "articles/2022/04/kremlin-rules-out-a-summit.html"
    assert "feed_url" not in json.loads((sites[1] / "feeds/articles.json").read_text("utf-8"))


def test_feeds_are_linked_from_the_head_and_the_page(sites: tuple[Path, Path]) -> None:
    page = (sites[1] / "entities/dmitry-peskov.html").read_text("utf-8")
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Dmitry Peskov (Atom)" '
        'href="../feeds/entities/dmitry-peskov.xml">' in page
    )
    assert (
        '<link rel="alternate" type="application/feed+json" title="Newest articles (JSON Feed)" href="../feeds/articles.json">'
        in page
    )
    assert '<a href="../feeds/entities/dmitry-peskov.xml" type="application/atom+xml">Atom feed</a>' in page
    source = (sites[1] / "sources/example-news.html").read_text("utf-8")
    assert 'href="../feeds/sources/example-news.json"' in source
    home = (sites[1] / "index.html").read_text("utf-8")
    assert '<a href="feeds/articles.xml" type="application/atom+xml">Atom feed</a>' in home


def test_feeds_are_bounded(sites: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    assert feeds.NEWEST <= 50 and feeds.PER_FEED <= 20 and feeds.SUMMARY_LENGTH <= 500
    for path in every_feed(sites[0]):
        assert path.stat().st_size < 200_000
