"""Page paths: every source and tag name gets a page of its own, in any script, and no page of a
long list lands on another page's path."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from build_tools.folding import MAX_SLUG, name_key, page_slug
from build_tools.pipeline import build_pages
from build_tools.publish.pages import without_front_matter
from build_tools.render import markup
from build_tools.render.markup import source_page, tag_page
from tests.conftest import ArchiveFactory, article

NON_LATIN_SOURCES = ["BBC", "BBC Україна", "BBC Русская служба", "Новая газета", "Новая газета Европа"]
# A file name of lower-case ASCII words: one hyphen between words, two before a digest.
SAFE_SLUG = re.compile(r"[a-z0-9]+(?:--?[a-z0-9]+)*")


def pages(make_archive: ArchiveFactory, files: dict[str, str]) -> dict[str, str]:
    site = build_pages(make_archive(files))
    assert site.report.problems == ()
    return site.pages


def test_source_pages_keep_names_in_other_scripts_apart(make_archive: ArchiveFactory) -> None:
    files = {
        f"articles/2022/03/a{i}.md": article(title=f"Report {i}", source=name, body=f"Text {i}.")
        for i, name in enumerate(NON_LATIN_SOURCES)
    }
    site = pages(make_archive, files)
    for i, name in enumerate(NON_LATIN_SOURCES):
        page = site[source_page(name)]
        assert without_front_matter(page).lstrip().startswith(f"# {name}\n"), page
        assert "1 article from this source." in page
        assert f'href="../articles/2022/03/a{i}.md">Report {i}</a>' in page
    assert len([p for p in site if p.startswith("sources/")]) == 5
    assert "5 sources." in site["sources.md"]


def test_source_pages_are_named_in_latin_letters(make_archive: ArchiveFactory) -> None:
    files = {
        f"articles/2022/03/a{i}.md": article(source=name, body=f"Text {i}.")
        for i, name in enumerate(NON_LATIN_SOURCES)
    }
    sources = sorted(p for p in pages(make_archive, files) if p.startswith("sources/"))
    assert [re.sub(r"--[0-9a-f]{8}\.md$", "--….md", p) for p in sources] == [
        "sources/bbc-russkaya-sluzhba--….md",
        "sources/bbc-ukraina--….md",
        "sources/bbc.md",
        "sources/novaya-gazeta--….md",
        "sources/novaya-gazeta-evropa--….md",
    ]


def test_tag_pages_keep_names_in_other_scripts_apart(make_archive: ArchiveFactory) -> None:
    tags = ["Łódź", "Lodz", "Ελλάδα", "Київ", "Straße des 17. Juni", "ceasefire", "Ceasefire!"]
    site = pages(make_archive, {"articles/2022/03/a.md": article(tags=tags)})
    for tag in tags:
        assert without_front_matter(site[tag_page(tag)]).lstrip().startswith(f"# {tag}\n")
    assert len([p for p in site if p.startswith("tags/")]) == len(tags)
    assert {"tags/lodz.md", "tags/ceasefire.md"} <= set(site)
    assert re.fullmatch(r"tags/lodz--[0-9a-f]{8}\.md", tag_page("Łódź"))
    assert re.fullmatch(r"tags/ellada--[0-9a-f]{8}\.md", tag_page("Ελλάδα"))
    assert re.fullmatch(r"tags/kyiv--[0-9a-f]{8}\.md", tag_page("Київ"))


def test_source_pages_take_names_differing_only_in_case_as_one(make_archive: ArchiveFactory) -> None:
    """'BBC' and 'bbc' are one source, as `archive search --source` takes them: one page lists
    both articles under the name the first of them gives."""
    site = pages(
        make_archive,
        {
            "articles/2022/03/a.md": article(title="First", date="2022-03-01", source="BBC"),
            "articles/2022/03/b.md": article(
                title="Second", date="2022-03-02", source="bbc", body="Other text."
            ),
        },
    )
    assert [p for p in site if p.startswith("sources/")] == ["sources/bbc.md"]
    page = site["sources/bbc.md"]
    assert (
        without_front_matter(page).lstrip().startswith("# BBC\n") and "2 articles from this source." in page
    )
    assert ">First</a>" in page and ">Second</a>" in page


def test_page_slug_keeps_plain_names_as_they_were() -> None:
    assert page_slug("BBC") == "bbc"
    assert page_slug("Example News") == "example-news"
    assert page_slug("peace talks") == "peace-talks"
    assert page_slug("Kyiv Independent 2") == "kyiv-independent-2"


def test_page_slug_gives_every_other_name_a_digest() -> None:
    for name in [
        "Example-News",
        "Example  News",
        "Example News.",
        "Süddeutsche Zeitung",
        "Kyiv's",
        "BBC Україна",
        "!!!",
        "",
        "Wire " * 60 + "A",
    ]:
        slug = page_slug(name)
        assert re.fullmatch(r"[a-z0-9-]*[a-z0-9]--[0-9a-f]{8}", slug), (name, slug)
        assert len(slug) <= MAX_SLUG


def test_page_slug_gives_lookalike_names_distinct_slugs() -> None:
    names = [
        "Example News",
        "Example-News",
        "Example  News",
        "Example News.",
        "example news!",
        "Ex ample News",
        "BBC",
        "BBC Україна",
        "BBC Украина",
        "BBC Украïна",
        "Новая газета",
        "Новая газета Европа",
        "Novaya Gazeta",
        "Straße",
        "Strasse x",
        "Łódź",
        "Lodz",
        "Łodz",
        "Ὀδυσσεύς",
        "Odysseus",
        "x",
        "X!",
        "",
        " ",
        "!!!",
        "???",
    ]
    # A plain name that looks like another's slug with a digest cannot take its page.
    names += [page_slug(n).replace("-", " ") for n in names]
    keys = {name_key(n) for n in names}
    assert len({page_slug(n) for n in names}) == len(keys)


@given(st.text(max_size=120), st.text(max_size=120))
def test_page_slug_gives_distinct_names_distinct_safe_file_names(first: str, second: str) -> None:
    for name in (first, second):
        assert SAFE_SLUG.fullmatch(page_slug(name)) and len(page_slug(name)) <= MAX_SLUG, name
    if name_key(first) != name_key(second):
        assert page_slug(first) != page_slug(second)


def test_month_page_ten_and_the_tenth_day_are_two_pages(
    make_archive: ArchiveFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With one article to a page, March 2022 (named by 12 articles) has 12 pages and 2022
    (named by 4) has 4: the month's 10th and the year's 3rd are not the 10th day or March."""
    monkeypatch.setattr(markup, "PAGE_SIZE", 1)
    files = {
        f"articles/2022/04/m{i:02d}.md": article(
            title=f"Looking back {i:02d}", date="2022-04-20", body=f"Talks were held in March 2022, part {i}."
        )
        for i in range(12)
    }
    files |= {
        f"articles/2022/05/y{i}.md": article(
            title=f"Year review {i}", date="2022-05-20", body=f"Shelling went on since 2022, part {i}."
        )
        for i in range(4)
    }
    files["articles/2022/03/tenth.md"] = article(
        title="On the tenth", date="2022-03-10", body="Peskov spoke."
    )
    site = pages(make_archive, files)

    day = site["dates/2022/03/10.md"]
    assert day.startswith("# 10 March 2022\n") and ">On the tenth</a>" in day
    tenth = site["dates/2022/03/page-10.md"]
    assert tenth.startswith("# March 2022\n") and "page 10 of 12" in tenth
    assert 'href="../../../articles/2022/04/m09.md">Looking back 09</a>' in tenth
    assert tenth.count("Looking back") == 1 and "On the tenth" not in tenth
    assert '<a href="page-11.md">Next →</a>' in tenth
    assert '<a href="page-9.md">← Previous</a>' in tenth

    march = site["dates/2022/03.md"]
    assert march.startswith("# March 2022\n") and "page 1 of 12" in march
    third = site["dates/2022/page-3.md"]
    assert third.startswith("# 2022\n") and "page 3 of 4" in third
    assert {"dates/2022.md", "dates/2022/page-2.md", "dates/2022/page-4.md"} <= set(site)


def test_every_list_continues_on_pages_named_page_n(
    make_archive: ArchiveFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(markup, "PAGE_SIZE", 1)
    files = {
        f"articles/2022/03/a{i}.md": article(
            title=f"Talks {i}", date="2022-03-30", tags=["Peace talks"], body=f"Peskov spoke, part {i}."
        )
        for i in range(3)
    }
    site = pages(make_archive, files)
    for first in [
        "entities/dmitry-peskov.md",
        "dates/2022/03/30.md",
        "sources/example-news.md",
        "tags/peace-talks.md",
    ]:
        base = first.removesuffix(".md")
        assert f"{base}/page-2.md" in site and f"{base}/page-3.md" in site, first
        assert "page 3 of 3" in site[f"{base}/page-3.md"]
    assert not [
        p for p in site if re.search(r"/\d+/\d+\.md$|/[^/]+/[1-9]\.md$", p) and not p.startswith("dates/")
    ]
