"""Dates named in the text and the timelines, as a reader sees them in headless Chromium."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from build_tools.check import check_archive
from build_tools.link import link
from build_tools.model import Article
from tests.browser.conftest import Site
from tests.browser.test_browser import SCHEMES, article_path, link_targets


@pytest.mark.parametrize("scheme", SCHEMES)
def test_article_links_named_days_to_their_date_pages(
    page: Page, site: Site, seed_article: Article, scheme: str
) -> None:
    page.goto(site.url(scheme, article_path(seed_article)))
    body = page.locator(".ra-body")
    for words, day, tooltip in [
        ("Tuesday", "2022/03/29", "29 March 2022"),
        ("Monday", "2022/03/28", "28 March 2022"),
        ("Feb. 24", "2022/02/24", "24 February 2022"),
        ("March 29", "2022/03/29", "29 March 2022"),
    ]:
        date_link = body.locator(f'a.ra-date[href$="dates/{day}.html"]', has_text=words).first
        expect(date_link).to_be_visible()
        assert date_link.get_attribute("title") == tooltip


@pytest.mark.parametrize("scheme", SCHEMES)
def test_day_page_lists_articles_that_mention_the_day(
    page: Page, site: Site, seed_article: Article, scheme: str
) -> None:
    page.goto(site.url(scheme, "dates/2022/03/29.html"))
    heading = page.get_by_role("heading", name="Mentioned on this day (1)")
    expect(heading).to_be_visible()
    listed = page.locator(".ra-list li", has=page.locator(f'a[href$="{article_path(seed_article)}"]'))
    expect(listed).to_have_count(1)
    expect(listed.locator("mark.ra-hit")).to_contain_text("Tuesday")
    expect(page.get_by_role("heading", name="Published on this day")).to_have_count(0)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_timelines_render_bars_that_open_the_search_for_their_period(
    page: Page, requests_seen: list[str], site: Site, scheme: str
) -> None:
    for path, entity in [("timeline.html", ""), ("entities/dmitry-peskov.html", "entity=dmitry-peskov&")]:
        page.goto(site.url(scheme, path))
        bars = page.locator(".ra-timeline a.ra-bar")
        expect(bars.first).to_be_visible()
        box = bars.first.bounding_box()
        assert box is not None and box["height"] > 20, (path, box)
        period = f"?{entity}from=2022-03-30&to=2022-03-30"
        assert site.url(scheme, "search.html") + period in link_targets(page)
    allowed = {"http": {"http"}, "file": {"file"}}[scheme] | {"data", "blob", "about"}
    hosts = {urlsplit(u).hostname for u in requests_seen if urlsplit(u).scheme in ("http", "https")}
    assert {urlsplit(u).scheme for u in requests_seen} <= allowed, requests_seen
    assert hosts <= {"127.0.0.1"}, hosts


def test_every_entity_the_seed_names_links_back_to_it(
    site: Site, seed_article: Article, seed_archive: Path
) -> None:
    linked = link(check_archive(seed_archive).archive)
    named = linked.links[linked.index_of(seed_article.slug)].entity_ids
    assert len(named) >= 35
    target = f'href="../{article_path(seed_article)}"'
    for entity_id in named:
        html = (site.folder / f"entities/{entity_id}.html").read_text("utf-8")
        assert target in html, entity_id
    assert set(named) <= {e.id for e in linked.archive.entities}
