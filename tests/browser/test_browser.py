"""What a reader sees in headless Chromium, over http and opened from disk (file://)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from build_tools.model import Article
from tests.browser.conftest import Site

SCHEMES = ["http", "file"]


def article_path(article: Article) -> str:
    return f"articles/{article.date:%Y/%m}/{article.slug}.html"


def link_targets(page: Page) -> set[str]:
    """Every link on the page as an absolute URL, as the browser resolved it (an SVG link's href
    is an animated string: its base value is resolved against the page)."""
    return set(
        page.eval_on_selector_all(
            "a[href]",
            "links => links.map(a => typeof a.href === 'string' ? a.href"
            " : new URL(a.href.baseVal, document.baseURI).href)",
        )
    )


def search(page: Page, words: str) -> None:
    """Type into the search box in the header and press Enter, as a reader would: the search
    page opens with the results."""
    box = page.locator("input.ra-header-search__input")
    box.click()
    box.press_sequentially(words, delay=20)
    box.press("Enter")
    page.wait_for_url("**/search.html?q=*")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_finds_peskov(page: Page, site: Site, seed_article: Article, scheme: str) -> None:
    page.goto(site.url(scheme, "index.html"))
    search(page, "Peskov")
    hit = page.locator(f'a.ra-search__title[href*="{article_path(seed_article)}"]').first
    expect(hit).to_be_visible()
    expect(hit).to_contain_text(seed_article.title)
    snippet = page.locator(".ra-search__result", has=hit).locator(".ra-search__snippet")
    expect(snippet.locator("mark").first).to_contain_text("Peskov")
    hit.click()
    page.wait_for_url(f"**/{article_path(seed_article)}*")
    expect(page.locator("h1").first).to_contain_text(seed_article.title)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_entity_page_links_back_with_snippet(
    page: Page, site: Site, seed_article: Article, scheme: str
) -> None:
    page.goto(site.url(scheme, "entities/dmitry-peskov.html"))
    expect(page.locator("h1").first).to_contain_text("Dmitry Peskov")
    assert site.url(scheme, article_path(seed_article)) in link_targets(page)
    entry = page.locator("li", has=page.locator(f'a[href$="{article_path(seed_article)}"]'))
    snippet = entry.locator(".ra-snippet")
    expect(snippet).to_contain_text("Peskov")
    expect(snippet.locator("mark.ra-hit").first).to_contain_text("Peskov")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_day_page_lists_article(page: Page, site: Site, seed_article: Article, scheme: str) -> None:
    page.goto(site.url(scheme, "dates/2022/03/30.html"))
    expect(page.locator("h1").first).to_contain_text("30 March 2022")
    assert site.url(scheme, article_path(seed_article)) in link_targets(page)
    expect(page.get_by_role("link", name=seed_article.title).first).to_be_visible()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_article_links_kremlin_and_mariupol(
    page: Page, site: Site, seed_article: Article, scheme: str
) -> None:
    page.goto(site.url(scheme, article_path(seed_article)))
    expect(page.locator("h1").first).to_contain_text(seed_article.title)
    targets = link_targets(page)
    for entity_id in ("kremlin", "mariupol"):
        assert site.url(scheme, f"entities/{entity_id}.html") in targets, entity_id
    # The first mention in the text itself is a link, not only a chip below it.
    body = page.locator(".ra-body")
    expect(body.locator('a[href$="entities/kremlin.html"]').first).to_be_visible()
    expect(body.locator('a[href$="entities/mariupol.html"]').first).to_be_visible()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_file_site_makes_no_outside_request(
    page: Page, requests_seen: list[str], site: Site, seed_article: Article, scheme: str
) -> None:
    pages = [
        "index.html",
        article_path(seed_article),
        "entities/dmitry-peskov.html",
        "dates/2022/03/30.html",
        "timeline.html",
        "about.html",
    ]
    for path in pages:
        page.goto(site.url(scheme, path))
        page.wait_for_load_state("load")
    search(page, "Peskov")
    expect(page.locator("a.ra-search__title").first).to_be_visible()

    assert requests_seen, "no request was recorded"
    own = ("file", "data", "blob") if scheme == "file" else ("data", "blob")
    outside = [
        url for url in requests_seen if urlsplit(url).scheme not in own and not url.startswith(site.http_url)
    ]
    assert outside == []
