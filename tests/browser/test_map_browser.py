"""Maps as a reader uses them (issue 19), in headless Chromium over http and from file://: the
places page shows a marker per place with coordinates over a base map that loads from the site
itself, each marker opens its place, a place's page leads on to the search for its period, and
no request goes to another host."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site
from tests.browser.test_search_browser import SCHEMES, status
from tests.browser.test_search_ux_browser import wait_done
from tests.browser.test_time_browser import no_other_host, starting

PLACES = {
    "kyiv": ("Kyiv", 50.45, 30.52),
    "mariupol": ("Mariupol", 47.10, 37.55),
    "kharkiv": ("Kharkiv", 49.99, 36.23),
    "odesa": ("Odesa", 46.48, 30.73),
    "washington": ("Washington", 38.90, -77.04),
}
BODIES = [
    ("2022-03-01", "Mariupol and Kharkiv were shelled."),
    ("2022-03-09", "In Mariupol, the maternity hospital was hit."),
    ("2022-03-16", "The theatre in Mariupol was bombed; Odesa braced."),
    ("2022-04-02", "Kyiv and Washington spoke about Mariupol."),
]
IMAGE_WIDTH = """img => new Promise(done => {
    const probe = new Image();
    probe.onload = () => done(probe.naturalWidth);
    probe.onerror = () => done(-1);
    probe.src = new URL(img.getAttribute('href'), document.baseURI).href;
})"""


def _files() -> dict[str, str]:
    files = {
        f"entities/{key}.yml": f"type: place\nname: {name}\ndescription: A city.\ncoordinates: [{lat}, {lon}]\n"
        for key, (name, lat, lon) in PLACES.items()
    }
    files["entities/nowhere.yml"] = "type: place\nname: Nowhere\ndescription: Without coordinates.\n"
    for n, (day, body) in enumerate(BODIES):
        files[f"articles/{day[:4]}/{day[5:7]}/report-{n}.md"] = (
            f"---\ntitle: Report {n}\ndate: '{day}'\nsource: Example News\n---\n\n{body} Nowhere is calm.\n"
        )
    return files


@pytest.fixture(scope="module")
def map_site(archive_site: Callable[[dict[str, str]], Site]) -> Site:
    return archive_site(_files())


@pytest.mark.parametrize("scheme", SCHEMES)
def test_places_map_has_a_marker_per_place_and_each_opens_its_place(
    page: Page, requests_seen: list[str], map_site: Site, scheme: str
) -> None:
    page.goto(map_site.url(scheme, "places.html"))
    world = page.locator('.ra-map[data-view="world"]')
    markers = world.locator("a:has(circle.ra-map__marker)")
    expect(markers).to_have_count(len(PLACES))  # every place with coordinates; not Nowhere
    assert world.locator("image").evaluate(IMAGE_WIDTH) == 800  # the base map, from the site itself
    region = page.locator('.ra-map[data-view="region"]')
    expect(region.locator("circle.ra-map__marker")).to_have_count(4)  # Washington is far away
    for key, (name, _, _) in PLACES.items():
        page.goto(map_site.url(scheme, "places.html"))
        view = "world" if key == "washington" else "region"  # close together, a place is read up close
        marker = page.locator(
            f'.ra-map[data-view="{view}"] a', has=page.locator("title", has_text=f"{name}:")
        )
        marker.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(starting(name))
        assert page.url == map_site.url(scheme, f"entities/{key}.html")
    no_other_host(requests_seen, scheme)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_from_the_map_to_a_place_in_a_month_in_two_clicks(
    page: Page, requests_seen: list[str], map_site: Site, scheme: str
) -> None:
    """What happened in Mariupol in March: its marker, then its timeline's bar for March."""
    page.goto(map_site.url(scheme, "places.html"))
    page.locator('.ra-map[data-view="region"] a', has=page.locator("title", has_text="Mariupol:")).click()
    locator = page.locator(".ra-map--small circle.ra-map__marker--here")
    expect(locator).to_have_count(1)
    page.get_by_role("button", name="Months").click()
    page.locator(".ra-timeline a.ra-bar", has=page.locator("title", has_text="March 2022")).click()
    wait_done(page)
    assert parse_qs(urlsplit(page.url).query) == {
        "entity": ["mariupol"],
        "from": ["2022-03"],
        "to": ["2022-03"],
    }
    assert status(page) == "3 results"
    no_other_host(requests_seen, scheme)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_article_map_shows_the_places_it_names(page: Page, map_site: Site, scheme: str) -> None:
    page.goto(map_site.url(scheme, "articles/2022/04/report-3.html"))
    titles = page.locator(".ra-map circle.ra-map__marker title").all_text_contents()
    assert sorted(re.sub(r":.*", "", t) for t in titles) == ["Kyiv", "Mariupol", "Washington"]
    assert page.locator(".ra-map image").evaluate(IMAGE_WIDTH) == 800


@pytest.mark.parametrize("scheme", SCHEMES)
def test_maps_and_timeline_print(page: Page, map_site: Site, scheme: str) -> None:
    """Printed, a place's page keeps its map (base map and marker) and its timeline's bars;
    the timeline's buttons, which do nothing on paper, are left out."""
    page.goto(map_site.url(scheme, "entities/mariupol.html"))
    page.emulate_media(media="print")
    chart = page.locator(".ra-map__chart")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50
    expect(page.locator(".ra-map circle.ra-map__marker--here")).to_be_visible()
    expect(page.locator(".ra-timeline a.ra-bar").first).to_be_visible()
    expect(page.locator(".ra-timeline__controls")).to_be_hidden()
