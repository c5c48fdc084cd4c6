"""Search as a reader uses it (issue 17), in headless Chromium over http and from file://: the
query syntax, did you mean, a name's filter, snippets that show the phrase, a result that
opens the article at the passage with the words marked, the links from entity, day and
timeline to the search within their articles, and a 404 page that keeps its styles."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from benchmarks.search_bench import serve, write_search_site
from build_tools.check import check_archive
from build_tools.link import link
from tests.browser.conftest import SEED_DAY, Site, serving
from tests.browser.test_search_browser import ENTITIES, SCHEMES, open_search, search_site, status, titles

__all__ = ["search_site"]  # the fixture, shared with test_search_browser.py

FILLER = " ".join(["The delegations spent the morning on procedure and on the order of the day."] * 6)


@pytest.fixture(scope="session")
def snippet_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One article whose title opens its text and whose phrase sits after the words alone."""
    root = tmp_path_factory.mktemp("snippets") / "archive"
    (root / "entities").mkdir(parents=True)
    for entity_id, text in ENTITIES.items():
        (root / "entities" / f"{entity_id}.yml").write_text(text, encoding="utf-8")
    (root / "articles" / "2022" / "03").mkdir(parents=True)
    (root / "articles" / "2022" / "03" / "talks-resume.md").write_text(
        textwrap.dedent("""\
        ---
        title: Talks resume in Istanbul
        date: '2022-03-29'
        source: Example News
        ---

        Talks resume in Istanbul

        Trilateral talks stalled in March, and the peace plan was set aside.
        """)
        + FILLER
        + "\n\nBoth sides said the peace talks would continue next week.\n",
        encoding="utf-8",
    )
    report = check_archive(root)
    assert not report.errors, [p.format() for p in report.problems]
    folder = root.parent / "site"
    write_search_site(link(report.archive), folder)
    with serve(folder) as url:
        yield Site(folder, url)


# --- query syntax ---------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_or_finds_articles_with_either_word(page: Page, search_site: Site, scheme: str) -> None:
    open_search(page, search_site, scheme, "?q=Istanbul%20OR%20Mariupol")
    assert sorted(titles(page)) == [
        "Peace talks open in Istanbul",
        "Peskov rejects ceasefire call",
        "Shelling resumes in Mariupol",
    ]
    assert status(page) == "3 results"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_minus_excludes_a_word_or_a_phrase(page: Page, search_site: Site, scheme: str) -> None:
    open_search(page, search_site, scheme, "?q=talks%20-istanbul")
    assert sorted(titles(page)) == ["Kremlin sees no progress", "Shelling resumes in Mariupol"]
    open_search(page, search_site, scheme, '?q=talks%20-"peace%20talks"')
    assert sorted(titles(page)) == ["Kremlin sees no progress", "Shelling resumes in Mariupol"]
    assert status(page) == "2 results"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_word_with_a_star_is_a_prefix(page: Page, search_site: Site, scheme: str) -> None:
    open_search(page, search_site, scheme, "?q=negot*%20istanbul")
    assert titles(page) == ["Peace talks open in Istanbul"]  # "Negotiators met …"


# --- did you mean, and a name's filter --------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_misspelt_name_suggests_the_registry_spelling(
    page: Page, search_site: Site, scheme: str
) -> None:
    open_search(page, search_site, scheme, "?q=mariupl")
    assert status(page) == "No results."
    expect(page.locator(".ra-search__hint")).to_have_text("Did you mean Mariupol?")
    page.locator(".ra-search__suggested").click()
    page.wait_for_function(
        "() => document.getElementById('ra-search').dataset.state === 'done'"
        " && window.__raSearch.last.query === 'Mariupol'"
    )
    assert status(page) == "2 results"
    assert page.locator("#ra-search-q").input_value() == "Mariupol"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_query_that_is_a_name_offers_that_entitys_filter(
    page: Page, search_site: Site, scheme: str
) -> None:
    open_search(page, search_site, scheme, "?q=dmitry%20peskov")
    button = page.locator(".ra-search__name-filter")
    expect(button).to_have_text("Show the 3 articles that name Dmitry Peskov")
    button.click()
    expect(page.locator(".ra-search__chip[data-entity=dmitry-peskov]")).to_be_visible()
    page.wait_for_function("() => document.getElementById('ra-search').dataset.state === 'done'")
    assert status(page) == "3 results"
    assert parse_qs(urlsplit(page.url).query) == {"entity": ["dmitry-peskov"]}


# --- snippets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_snippet_shows_the_phrase_and_not_the_title(
    page: Page, snippet_site: Site, scheme: str
) -> None:
    open_search(page, snippet_site, scheme, '?q="peace%20talks"')
    snippet = page.locator(".ra-search__snippet").first
    expect(snippet).to_contain_text("Both sides said the peace talks would continue")
    assert snippet.locator("mark").all_inner_texts()[:2] == ["peace", "talks"]
    assert not snippet.inner_text().startswith("Talks resume in Istanbul")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_snippet_of_words_shows_where_most_of_them_are(
    page: Page, snippet_site: Site, scheme: str
) -> None:
    open_search(page, snippet_site, scheme, "?q=peace%20plan")
    expect(page.locator(".ra-search__snippet").first).to_contain_text("the peace plan was set aside")


# --- jump to the passage --------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_result_opens_the_article_at_the_passage_with_the_words_marked(
    page: Page, site: Site, scheme: str
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_search(page, site, scheme, "?q=naive%20people")
    page.locator(".ra-search__result a").first.click()
    page.wait_for_load_state()
    marks = page.locator("mark.ra-found")
    assert {text.lower() for text in marks.all_inner_texts()} >= {"naive", "people"}
    passage = page.locator(".ra-found-passage")
    expect(passage).to_contain_text("Ukrainians are not naive people")
    expect(passage).to_be_in_viewport()
    page.locator(".ra-highlight__remove").click()
    expect(page.locator("mark.ra-found")).to_have_count(0)
    expect(page.locator(".ra-highlight")).to_have_count(0)
    assert "h=" not in page.url


def test_article_opened_without_a_search_is_left_alone(page: Page, site: Site) -> None:
    page.goto(site.url("file", "search.html"))
    page.goto(site.url("file", "index.html"))
    expect(page.locator("mark.ra-found")).to_have_count(0)
    expect(page.locator(".ra-highlight")).to_have_count(0)


# --- search within: entity, day and timeline pages ---------------------------------------------


def wait_done(page: Page) -> None:
    page.wait_for_function(
        "() => document.getElementById('ra-search') && document.getElementById('ra-search').dataset.state === 'done'"
    )


@pytest.mark.parametrize("scheme", SCHEMES)
def test_entity_page_searches_within_its_articles(page: Page, site: Site, scheme: str) -> None:
    page.goto(site.url(scheme, "entities/dmitry-peskov.html"))
    page.locator("a.ra-search-within").click()
    wait_done(page)
    expect(page.locator(".ra-search__chip[data-entity=dmitry-peskov]")).to_be_visible()
    assert status(page) == "1 result"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_often_mentioned_with_opens_the_articles_naming_both(page: Page, site: Site, scheme: str) -> None:
    page.goto(site.url(scheme, "entities/dmitry-peskov.html"))
    chip = page.locator(".ra-chips a.ra-chip").first
    other = parse_qs(urlsplit(chip.get_attribute("href") or "").query)["entity"][1]
    chip.click()
    wait_done(page)
    assert parse_qs(urlsplit(page.url).query)["entity"] == ["dmitry-peskov", other]
    expect(page.locator(f".ra-search__chip[data-entity={other}]")).to_be_visible()
    assert status(page) == "1 result"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_timeline_bar_opens_the_search_for_its_period_and_entity(page: Page, site: Site, scheme: str) -> None:
    page.goto(site.url(scheme, "entities/dmitry-peskov.html"))
    page.locator(".ra-timeline a.ra-bar").first.click()
    wait_done(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"entity": ["dmitry-peskov"], "from": [SEED_DAY], "to": [SEED_DAY]}
    assert status(page) == "1 result"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_day_page_searches_within_its_articles(page: Page, site: Site, scheme: str) -> None:
    year, month, day = SEED_DAY.split("-")
    page.goto(site.url(scheme, f"dates/{year}/{month}/{day}.html"))
    page.locator("a.ra-search-within").click()
    wait_done(page)
    assert parse_qs(urlsplit(page.url).query) == {"from": [SEED_DAY], "to": [SEED_DAY]}
    assert status(page) == "1 result"


# --- the 404 page -----------------------------------------------------------------------------


def header_is_styled(page: Page) -> bool:
    return bool(
        page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).position === 'sticky'")
    )


def test_404_page_keeps_its_styles_from_disk(page: Page, site: Site) -> None:
    page.goto(site.url("file", "404.html"))
    assert header_is_styled(page)
    page.locator(".md-header__title a, a.md-header__button.md-logo").first.click()
    assert page.url.endswith("/index.html")


def test_404_page_keeps_its_styles_under_a_sub_path(page: Page, site: Site) -> None:
    with serving(site.folder.parent) as parent:
        page.goto(parent.http_url + f"{site.folder.name}/404.html")
        assert header_is_styled(page)


# --- the header's search as you type -----------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_header_search_loads_nothing_until_used_then_answers_as_you_type(
    page: Page, site: Site, scheme: str, requests_seen: list[str]
) -> None:
    page.goto(site.url(scheme, "index.html"))
    page.wait_for_load_state("load")
    index_or_scripts = ("/search/manifest.js", "/search/search.js", "/search/stemmer.js")
    assert not [url for url in requests_seen if url.endswith(index_or_scripts)]
    page.keyboard.press("/")
    box = page.locator(".ra-header-search__input")
    expect(box).to_be_focused()
    box.press_sequentially("naive peop", delay=20)
    page.wait_for_function("() => document.querySelector('.ra-header-search').dataset.state === 'done'")
    results = page.locator(".ra-quick .ra-quick__item")
    expect(results).to_have_count(1)
    expect(results.first.locator(".ra-quick__title")).to_contain_text("Russia")
    expect(page.locator(".ra-quick__all")).to_have_text("All 1 result and filters")
    assert [url for url in requests_seen if url.endswith("/search/manifest.js")]  # now it is used
    box.press("Escape")
    expect(page.locator(".ra-quick")).to_be_hidden()
    box.press("ArrowDown")
    expect(page.locator(".ra-quick li[aria-selected=true]")).to_have_count(1)
    box.press("Enter")
    page.wait_for_url("**/articles/**?h=**")
    expect(page.locator("mark.ra-found").first).to_be_visible()


def test_header_search_enter_without_a_choice_opens_the_search_page(page: Page, site: Site) -> None:
    page.goto(site.url("http", "index.html"))
    box = page.locator(".ra-header-search__input")
    box.click()
    box.press_sequentially("peskov", delay=10)
    page.wait_for_function("() => document.querySelector('.ra-header-search').dataset.state === 'done'")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=peskov")
    wait_done(page)
    assert status(page) == "1 result"


# --- results first; filters that follow the query ----------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_first_result_shows_without_scrolling_on_a_phone(page: Page, site: Site, scheme: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_search(page, site, scheme, "?q=peskov")
    box = page.locator(".ra-search__result").first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box
    expect(page.locator(".ra-search__options")).not_to_have_attribute("open", "")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_filters_show_only_menus_with_a_choice(page: Page, site: Site, scheme: str) -> None:
    open_search(page, site, scheme, "?q=peskov")
    page.locator(".ra-search__options summary").click()
    # The seed site: one article, one source, one language.
    expect(page.locator("[data-facet=lang]")).to_be_hidden()
    expect(page.locator("[data-facet=source]")).to_be_hidden()
    expect(page.locator("#ra-search-from")).to_be_visible()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_filter_counts_follow_the_query(page: Page, search_site: Site, scheme: str) -> None:
    open_search(page, search_site, scheme, "?q=talks")
    page.locator(".ra-search__options summary").click()
    page.wait_for_function("() => document.getElementById('ra-search').dataset.facets === 'done'")
    sources = page.locator("#ra-search-source option").all_inner_texts()
    assert sources == ["Any source", "Example News (2)", "Other Wire (1)", "Українська правда (0)"]
    assert "diplomacy (2)" in page.locator("#ra-search-tag option").all_inner_texts()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_page_opened_with_a_filter_shows_the_filters_open(
    page: Page, search_site: Site, scheme: str
) -> None:
    open_search(page, search_site, scheme, "?q=talks&source=Other%20Wire")
    expect(page.locator(".ra-search__options")).to_have_attribute("open", "")
    expect(page.locator(".ra-search__options summary")).to_have_text("Filters (1 set)")
    assert titles(page) == ["Shelling resumes in Mariupol"]


def test_search_page_documents_its_query_syntax(page: Page, site: Site) -> None:
    page.goto(site.url("http", "search.html"))
    table = page.locator("table.ra-search__syntax")
    for example in ("grain OR wheat", "azovstal -mariupol", '"peace talks"', "negotiat*"):
        expect(table).to_contain_text(example)
    expect(page.locator("article")).not_to_contain_text("title: Search")
