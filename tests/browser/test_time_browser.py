"""Time as a reader navigates it (issue 19), in headless Chromium over http and from file://:
timeline bars that open the search for their period (and entity), the zoom and the source
filter, the dates index opening on a year with articles, month calendars and day pages that
lead to the previous and next day; no request to another host."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site
from tests.browser.test_search_browser import ENTITIES, SCHEMES, status
from tests.browser.test_search_ux_browser import wait_done

EVENT = "type: event\nname: Peace talks\ndescription: A round of talks.\nstart: 2022-03-10\nend: 2022-03-12\n"


def _article(day: str, source: str, n: int, body: str) -> str:
    return (
        f"---\ntitle: Report {n} from {source}\ndate: '{day}'\nsource: {source}\n---\n\n"
        f"{body} This is report number {n} of {source}.\n"
    )


def _files() -> dict[str, str]:
    files = {f"entities/{key}.yml": text for key, text in ENTITIES.items()}
    files["entities/peace-talks.yml"] = EVENT
    days = ["2022-02-03", "2022-02-03", "2022-02-20", "2022-03-10", "2022-03-11", "2022-04-05"]
    for n, day in enumerate(days):
        source = "Alpha Wire" if n % 2 else "Beta Daily"
        body = "Dmitry Peskov spoke on 1 March 2022." if n < 3 else "The talks went on."
        files[f"articles/{day[:4]}/{day[5:7]}/report-{n}.md"] = _article(day, source, n, body)
    return files


@pytest.fixture(scope="module")
def time_site(archive_site: Callable[[dict[str, str]], Site]) -> Site:
    return archive_site(_files())


def no_other_host(requests: list[str], scheme: str) -> None:
    allowed = {"http": {"http"}, "file": {"file"}}[scheme] | {"data", "blob", "about"}
    assert {urlsplit(u).scheme for u in requests} <= allowed, requests
    hosts = {urlsplit(u).hostname for u in requests if urlsplit(u).scheme in ("http", "https")}
    assert hosts <= {"127.0.0.1"}, hosts


def starting(text: str) -> re.Pattern[str]:
    """A heading's text as shown (Material adds its permalink mark after it)."""
    return re.compile("^" + re.escape(text))


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_timeline_bar_opens_the_search_for_exactly_its_day(
    page: Page, requests_seen: list[str], time_site: Site, scheme: str
) -> None:
    page.goto(time_site.url(scheme, "timeline.html"))
    bars = page.locator(".ra-timeline a.ra-bar")
    expect(bars).to_have_count(5)  # two months: a bar for each of the five days with articles
    expect(page.locator(".ra-timeline a.ra-event")).to_have_count(1)
    bars.first.click()
    wait_done(page)
    assert query_of(page.url) == {"from": ["2022-02-03"], "to": ["2022-02-03"]}
    assert status(page) == "2 results"
    no_other_host(requests_seen, scheme)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_timeline_zooms_to_months_and_days_and_filters_by_source(
    page: Page, requests_seen: list[str], time_site: Site, scheme: str
) -> None:
    page.goto(time_site.url(scheme, "timeline.html"))
    bars = page.locator(".ra-timeline a.ra-bar")
    page.get_by_role("button", name="Months").click()
    expect(bars).to_have_count(3)
    expect(page.get_by_role("button", name="Months")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Weeks").click()
    expect(bars).to_have_count(4)  # weeks of 31 January, 14 February, 7 March and 4 April
    expect(bars.first).to_have_attribute("href", "search.html?from=2022-01-31&to=2022-02-06")
    page.get_by_role("button", name="Months").click()
    page.locator(".ra-timeline__source").select_option("Alpha Wire")
    expect(bars).to_have_count(3)
    expect(bars.first).to_have_attribute("aria-label", "February 2022: 1 article from Alpha Wire")
    bars.first.click()
    wait_done(page)
    assert query_of(page.url) == {"source": ["Alpha Wire"], "from": ["2022-02"], "to": ["2022-02"]}
    assert status(page) == "1 result"
    no_other_host(requests_seen, scheme)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_entity_timeline_bar_opens_the_search_for_the_entity_in_its_period(
    page: Page, time_site: Site, scheme: str
) -> None:
    page.goto(time_site.url(scheme, "entities/dmitry-peskov.html"))
    bars = page.locator(".ra-timeline a.ra-bar")
    expect(bars).to_have_count(2)  # 3 and 20 February, by day
    bars.first.click()
    wait_done(page)
    assert query_of(page.url) == {"entity": ["dmitry-peskov"], "from": ["2022-02-03"], "to": ["2022-02-03"]}
    assert status(page) == "2 results"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_timeline_event_opens_the_events_page(page: Page, time_site: Site, scheme: str) -> None:
    page.goto(time_site.url(scheme, "timeline.html"))
    page.locator(".ra-timeline a.ra-event .ra-event__label").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(starting("Peace talks"))
    page.get_by_role("link", name="articles of the period").click()
    wait_done(page)
    assert query_of(page.url) == {"from": ["2022-03-10"], "to": ["2022-03-12"]}
    assert status(page) == "2 results"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_dates_index_opens_on_a_year_with_articles(
    page: Page, requests_seen: list[str], time_site: Site, scheme: str
) -> None:
    page.goto(time_site.url(scheme, "dates.html"))
    first = page.locator("article h2").first
    expect(first).to_have_text(starting("2022"))
    expect(page.get_by_text("6 articles published.")).to_be_visible()
    page.get_by_role("link", name="Feb (3)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(starting("February 2022"))
    no_other_host(requests_seen, scheme)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_month_calendar_links_its_days(page: Page, time_site: Site, scheme: str) -> None:
    page.goto(time_site.url(scheme, "dates/2022/03.html"))
    calendar = page.locator(".ra-calendar table")
    expect(calendar.locator("thead th")).to_have_count(7)
    days = calendar.locator("td a")
    expect(days).to_have_count(3)  # 1 March (named only), 10 and 11 March
    expect(days.first).to_have_attribute("title", "1 March 2022: named in 3 articles")
    expect(days.nth(1)).to_have_attribute("title", "10 March 2022: 1 article published")
    days.nth(1).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(starting("10 March 2022"))
    expect(page.get_by_role("heading", name="Published on this day (1)")).to_be_visible()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_day_pages_link_back_and_forth(page: Page, time_site: Site, scheme: str) -> None:
    page.goto(time_site.url(scheme, "dates/2022/02/20.html"))
    page.get_by_role("link", name="1 March 2022 →").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        starting("1 March 2022")
    )  # named, not published
    expect(page.get_by_role("heading", name="Mentioned on this day (3)")).to_be_visible()
    page.get_by_role("link", name="← 20 February 2022").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(starting("20 February 2022"))
    page.get_by_role("link", name="← 3 February 2022").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(starting("3 February 2022"))
    expect(page.locator("a[rel=prev]")).to_have_count(0)
