"""Search on the bundled archive (1,795 real articles, 490 entities), as a reader uses it, over
http and from file:// (issue 17): the query syntax against real counts, did you mean with the
registry's spelling, a name's filter, results first on a phone, the search within an entity's
articles, and a result that opens at its passage."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import REPO, Site, build_site, serving

SCHEMES = ["http", "file"]
DONE = """q => window.__raSearch && window.__raSearch.last && window.__raSearch.last.query === q
    && document.getElementById('ra-search').dataset.state === 'done'"""


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("bundled")
    build_site(REPO / "archive", folder / "site", folder / "cache")
    with serving(folder / "site") as served:
        yield served


def search(page: Page, site: Site, scheme: str, query: str) -> int:
    """Open the search page with `query` (an address's query string) and return the count
    (-1 while a phrase is still being checked: 'N shown of up to M')."""
    page.goto(site.url(scheme, "search.html") + query)
    page.wait_for_function(DONE, arg=parse_qs(query.lstrip("?")).get("q", [""])[0])
    status = page.locator(".ra-search__status").inner_text()
    if status == "No results.":
        return 0
    if " shown of up to " in status:
        return -1
    found = re.match(r"([\d,]+) results?$", status)
    assert found, status
    return int(found[1].replace(",", ""))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_bundled_or_widens_and_minus_narrows(page: Page, bundled: Site, scheme: str) -> None:
    grain = search(page, bundled, scheme, "?q=grain")
    wheat = search(page, bundled, scheme, "?q=wheat")
    either = search(page, bundled, scheme, "?q=grain%20OR%20wheat")
    assert max(grain, wheat) < either <= grain + wheat
    kyiv = search(page, bundled, scheme, "?q=kyiv")
    without = search(page, bundled, scheme, "?q=kyiv%20-kharkiv")
    assert 0 < without < kyiv


@pytest.mark.parametrize("scheme", SCHEMES)
def test_bundled_misspelt_place_suggests_the_registry_spelling(
    page: Page, bundled: Site, scheme: str
) -> None:
    assert search(page, bundled, scheme, "?q=mariupl") == 0
    expect(page.locator(".ra-search__hint")).to_have_text("Did you mean Mariupol?")
    page.locator(".ra-search__suggested").click()
    page.wait_for_function(DONE, arg="Mariupol")
    assert page.locator(".ra-search__result").count() == 10


@pytest.mark.parametrize("scheme", SCHEMES)
def test_bundled_name_offers_its_filter_and_the_entity_page_the_same_search(
    page: Page, bundled: Site, scheme: str
) -> None:
    search(page, bundled, scheme, "?q=mariupol")
    button = page.locator(".ra-search__name-filter")
    expect(button).to_contain_text("articles that name Mariupol")
    named = int(re.search(r"Show the ([\d,]+) article", button.inner_text())[1].replace(",", ""))  # type: ignore[index]
    page.goto(bundled.url(scheme, "entities/mariupol.html"))
    within = page.locator("a.ra-search-within")
    expect(within).to_have_text(f"Search within these {named:,} articles")
    within.click()
    page.wait_for_function(DONE, arg="")
    assert page.locator(".ra-search__status").inner_text() == f"{named:,} results"
    assert parse_qs(urlsplit(page.url).query) == {"entity": ["mariupol"]}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_bundled_phone_sees_the_first_result_and_opens_it_at_the_passage(
    page: Page, bundled: Site, scheme: str
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    search(page, bundled, scheme, '?q="humanitarian%20corridors"%20mariupol')
    first = page.locator(".ra-search__result").first
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box
    expect(first.locator(".ra-search__snippet mark").first).to_have_text(
        re.compile("humanitarian", re.IGNORECASE)
    )
    first.locator("a").click()
    page.wait_for_load_state()
    passage = page.locator(".ra-found-passage")
    expect(passage).to_contain_text(re.compile("humanitarian corridor", re.IGNORECASE))
    expect(passage).to_be_in_viewport()


def test_bundled_pages_link_their_search_from_disk(page: Page, bundled: Site) -> None:
    page.goto(bundled.url("file", "dates/2022/03.html"))
    page.locator("a.ra-search-within").click()
    page.wait_for_function(DONE, arg="")
    assert parse_qs(urlsplit(page.url).query) == {"from": ["2022-03"], "to": ["2022-03"]}
    march = page.locator(".ra-search__status").inner_text()
    assert re.fullmatch(r"[\d,]+ results", march)
    assert Path(urlsplit(page.url).path).name == "search.html"
