"""axe-core on the seed site's pages in headless Chromium, in the light and the dark palette:
no serious or critical violation (issue 17).

axe-core comes from the PyPI package axe-playwright-python, which bundles `axe.min.js`; only
these tests load it into a page, so readers never get it. Its wrapper is not used: the script
is injected and run here, so a failure can print what a developer needs (the rule, the
elements, and for a contrast failure the colours and the ratio).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import axe_playwright_python
import pytest
from playwright.sync_api import Page, expect

from build_tools.model import Article
from tests.browser.conftest import SEED_DAY, Site
from tests.browser.test_browser import article_path
from tests.browser.test_search_browser import WAIT_DONE

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
BLOCKING = ("serious", "critical")
QUERY = "talks"  # in the seed article's title and text: the search page shows results and marks
# ... narrowed to a name, so that the page also shows a name chip in its kind's colour.
SEARCH = f"?q={QUERY}&entity=dmitry-peskov"
# Material's palettes in mkdocs.yml follow prefers-color-scheme; each mode's scheme on <body>.
Mode = Literal["light", "dark"]
SCHEMES: dict[Mode, str] = {"light": "default", "dark": "slate"}
PAGES = ["home", "article", "entity", "day", "timeline", "search"]


def page_path(name: str, seed_article: Article) -> str:
    return {
        "home": "index.html",
        "article": article_path(seed_article),
        "entity": "entities/dmitry-peskov.html",
        "day": f"dates/{SEED_DAY.replace('-', '/')}.html",
        "timeline": "timeline.html",
        "search": "search.html",
    }[name]


def page_url(site: Site, scheme: str, name: str, seed_article: Article) -> str:
    """The page's address; the search page's with a search (after the path: a file URI would
    escape the `?` of a path)."""
    query = SEARCH if name == "search" else ""
    return site.url(scheme, page_path(name, seed_article)) + query


def open_page(page: Page, url: str, mode: Mode) -> None:
    """`url` in the reader's preferred colour scheme `mode`, settled for axe: the palette
    applied and, on the search page, the results shown."""
    page.emulate_media(color_scheme=mode, reduced_motion="reduce")
    page.goto(url)
    page.wait_for_load_state("load")
    scheme = page.get_attribute("body", "data-md-color-scheme")
    assert scheme == SCHEMES[mode], f"{url} in {mode} mode shows the {scheme!r} palette"
    if "search.html" in url:
        page.wait_for_function(WAIT_DONE, arg=QUERY)
        assert page.locator(".ra-search__result mark").count() > 0, "the search shows no marked result"
        assert page.locator(".ra-search__chip").count() == 1, "the search shows no name chip"


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of impact serious or critical on the page as it is now."""
    page.add_script_tag(path=str(AXE_JS))
    violations: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [v for v in violations if v.get("impact") in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    """Each violation as a developer needs it: rule, impact, help, and per element its selector
    and, for colour contrast, the colours, the ratio found and the ratio required."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            data = next((check["data"] for check in node["any"] if check.get("data")), None)
            if isinstance(data, dict) and "fgColor" in data:  # color-contrast
                lines.append(
                    f"  {target}: {data['fgColor']} on {data.get('bgColor')} is "
                    f"{data.get('contrastRatio')}:1, needs {data.get('expectedContrastRatio')} "
                    f"({data.get('fontSize')}, {data.get('fontWeight')})"
                )
            elif isinstance(data, dict) and "nodeColor" in data:  # link-in-text-block
                lines.append(
                    f"  {target}: link {data['nodeColor']} in text {data.get('parentColor')} is "
                    f"{data.get('contrastRatio')}:1, needs {data.get('requiredContrastRatio')}:1 "
                    "or an underline"
                )
            else:
                summary = " ".join(str(node.get("failureSummary", "")).split())
                lines.append(f"  {target}: {summary}")
    return "\n".join(lines)


def assert_no_serious_violation(page: Page) -> None:
    found = serious_violations(page)
    assert not found, f"axe-core on {page.url}:\n{describe(found)}"


@pytest.mark.parametrize("mode", list(SCHEMES))
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violation(
    page: Page, site: Site, seed_article: Article, name: str, mode: Mode
) -> None:
    open_page(page, page_url(site, "http", name, seed_article), mode)
    assert_no_serious_violation(page)


@pytest.mark.parametrize("mode", list(SCHEMES))
@pytest.mark.parametrize("name", ["article", "search"])
def test_page_opened_from_disk_has_no_serious_accessibility_violation(
    page: Page, site: Site, seed_article: Article, name: str, mode: Mode
) -> None:
    open_page(page, page_url(site, "file", name, seed_article), mode)
    assert_no_serious_violation(page)


def test_search_page_names_its_two_search_landmarks_apart(page: Page, site: Site) -> None:
    """The header's search box and the search page's form are both search landmarks: a screen
    reader's list of landmarks tells them apart by name."""
    page.goto(site.url("http", "search.html"))
    expect(page.get_by_role("search")).to_have_count(2)
    expect(page.get_by_role("search", name="Quick search", exact=True)).to_have_count(1)
    expect(page.get_by_role("search", name="Search with filters", exact=True)).to_have_count(1)
