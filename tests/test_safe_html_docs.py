"""The safe subset of HTML that contributors read about is the one sanitize_html keeps."""

from __future__ import annotations

import re
from pathlib import Path

from build_tools.publish.sanitize import SAFE_ATTRIBUTES, SAFE_CLASSES, SAFE_TAGS, URL_SCHEMES

REPO = Path(__file__).resolve().parents[1]
SECTION = "## Raw HTML in articles"
NAME = re.compile(r"`([a-z][a-z0-9]*)`")  # `td`, `colspan`; not `language-…` nor `http://`
SCHEME = re.compile(r"`([a-z]+):(?://)?`")  # `https://`, `mailto:`


def documented() -> tuple[dict[str, set[str]], set[str], set[str]]:
    """From docs/contributing.md: the kept tags with their attributes, the attributes every
    tag may have, and the schemes a link may use."""
    page = (REPO / "docs" / "contributing.md").read_text("utf-8")
    assert SECTION in page
    section = page.split(SECTION, 1)[1].split("\n## ", 1)[0]
    tags: dict[str, set[str]] = {}
    schemes: set[str] = set()
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        names, attributes = (cell.strip() for cell in line.strip().strip("|").split("|"))
        for tag in NAME.findall(names):
            assert tag not in tags, f"{tag} is in two rows"
            tags[tag] = set(NAME.findall(attributes))
        if names == "`a`":
            schemes = set(SCHEME.findall(attributes))
    every = re.search(r"Every kept tag may also have (.+?)\.", section, re.S)
    assert every is not None
    return tags, set(NAME.findall(every[1])), schemes


def test_safe_html_docs_list_exactly_the_kept_tags_and_attributes() -> None:
    tags, on_every_tag, schemes = documented()
    assert set(tags) == SAFE_TAGS
    assert on_every_tag == SAFE_ATTRIBUTES["*"]
    assert {tag: names for tag, names in tags.items() if names} == {
        tag: set(names) for tag, names in SAFE_ATTRIBUTES.items() if tag != "*"
    }
    assert schemes == URL_SCHEMES


def test_safe_html_docs_are_linked_from_the_article_format() -> None:
    schema = (REPO / "docs" / "schema.md").read_text("utf-8")
    assert "(contributing.md#raw-html-in-articles)" in schema


def test_safe_html_docs_list_exactly_the_kept_classes() -> None:
    page = (REPO / "docs" / "contributing.md").read_text("utf-8")
    section = page.split(SECTION, 1)[1].split("\n## ", 1)[0]
    kept = section.split("Of the classes, only those", 1)[1].split("are kept", 1)[0]
    assert set(re.findall(r"`([a-z][a-z-]*)`", kept)) == SAFE_CLASSES
