"""A new project's own grouping on its search page (issue 14): the filter is there, lists the
terms, narrows the results, and keeps its choice in the address, over http and from disk."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from click.testing import CliRunner
from playwright.sync_api import Page, expect

from build_tools.cli import main
from tests.browser.conftest import Site, serving
from tests.browser.test_search_browser import WAIT_DONE

SCHEMES = ["http", "file"]
ARTICLES = {
    "2023/05/hearing-adjourned": ("Hearing adjourned", "2023-05-02", ["Pre-trial", "Motions"]),
    "2023/06/motion-denied": ("Motion denied", "2023-06-09", ["Motions"]),
    "2023/09/trial-opens": ("Trial opens", "2023-09-12", ["Trial"]),
}


@pytest.fixture(scope="module")
def court_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("court")
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        assert runner.invoke(main, ["init", "court", "--title", "A court case"]).exit_code == 0
        project = folder / "court"
        config = yaml.safe_load((project / "mkdocs.yml").read_text("utf-8"))
        config["plugins"][0]["archive"]["groupings"] = {"stage": {"name": "Stage", "plural": "Stages"}}
        (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
        for rel, (title, date, stages) in ARTICLES.items():
            path = project / "archive/articles" / f"{rel}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            stage_lines = "".join(f"  - {s}\n" for s in stages)
            path.write_text(
                f"---\ntitle: {title}\ndate: {date}\nsource: Court News\nstage:\n"
                f"{stage_lines}---\nThe court sat today: {title}.\n",
                "utf-8",
            )
        patch.chdir(project)
        patch.setenv("ARCHIVE_CACHE_DIR", str(folder / "cache"))
        result = runner.invoke(main, ["build"])
        assert result.exit_code == 0, result.output
    with serving(project / "site") as site:
        yield site


def titles(page: Page) -> list[str]:
    return page.locator(".ra-search__result .ra-search__title").all_inner_texts()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_grouping_filter_narrows_results_and_keeps_them_in_the_address(
    page: Page, court_site: Site, scheme: str
) -> None:
    page.goto(court_site.url(scheme, "search.html"))
    page.wait_for_function("() => document.querySelectorAll('#ra-search-stage option').length > 1")
    page.locator(".ra-search__options summary").click()  # the filters fold into one line
    options = page.locator("#ra-search-stage option").all_inner_texts()
    assert options == ["Any stage", "Motions (2)", "Pre-trial (1)", "Trial (1)"]
    page.locator("#ra-search-stage").select_option("Motions")
    page.wait_for_function(WAIT_DONE, arg="")
    assert titles(page) == ["Motion denied", "Hearing adjourned"]
    assert parse_qs(urlsplit(page.url).query) == {"stage": ["Motions"]}

    other = page.context.new_page()
    other.goto(court_site.url(scheme, "search.html") + "?q=court&stage=Trial")
    other.wait_for_function(WAIT_DONE, arg="court")
    assert titles(other) == ["Trial opens"]
    expect(other.locator("#ra-search-stage")).to_have_value("Trial")
