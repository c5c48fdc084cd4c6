"""Hostile input in headless Chromium: script in any field, or raw HTML in a body, never runs.

tests/cases/hostile-site/archive holds what `archive check` accepts: every text field of an
article and of an entity carries a script, attribute break-outs with either quote, a Markdown
link and an attribute list; the body of another article carries raw HTML of every kind. Each
payload would set its own global, `top.__pwned_<where>`, and open a dialog. The site is built
once through `archive build`; every page that shows a payload is opened, hovered and clicked,
and must show the payloads as text, keep the safe subset of HTML, and run nothing.
tests/cases/hostile-refused/archive holds what the checker refuses: nothing of it is built.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Dialog, Page, expect

from benchmarks.search_bench import serve
from build_tools.check import check_archive
from build_tools.cli import main
from build_tools.model import Archive, Article, Entity
from build_tools.publish import page_url
from build_tools.render.markup import (
    article_page,
    day_page,
    entity_page,
    month_page,
    source_page,
    tag_page,
    year_page,
)
from build_tools.settings import DEFAULT
from tests.browser.conftest import REPO, Site
from tests.browser.test_search_browser import WAIT_DONE

CASES = REPO / "tests" / "cases"
ACCEPTED = CASES / "hostile-site" / "archive"
REFUSED = CASES / "hostile-refused" / "archive"
GLOBAL = re.compile(r"__pwned_\w+")
SCHEMES = ["http", "file"]

# Fires the inline handlers an element might still carry, without following any link.
PROVOKE = """() => {
  const kinds = ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup", "pointerover",
                 "pointerenter", "focus", "focusin", "blur", "load", "error", "toggle",
                 "animationstart", "transitionend", "input", "change"];
  for (const element of document.querySelectorAll("*"))
    for (const kind of kinds) element.dispatchEvent(new Event(kind));
}"""
RAN = "() => Object.keys(window).filter(name => name.startsWith('__pwned'))"
# Markup that could run script or leave the page, wherever it came from.
LIVE_MARKUP = r"""() => {
  const found = [];
  const risky = /^(javascript|vbscript|data):/i;
  const addresses = ["href", "src", "action", "formaction", "data", "xlink:href", "poster",
                     "background", "srcset", "ping"];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    for (const attribute of element.attributes) {
      const value = attribute.value.replace(/[\u0000-\u0020]/g, "");
      if (attribute.name.startsWith("on") || attribute.name === "srcdoc"
          || (addresses.includes(attribute.name) && risky.test(value)))
        found.push(`<${tag} ${attribute.name}="${attribute.value}">`);
    }
    if (["iframe", "frame", "object", "embed", "applet", "base"].includes(tag)
        || (tag === "meta" && /refresh/i.test(element.httpEquiv))
        || (["script", "style"].includes(tag) && /pwned|ra-body/.test(element.textContent)))
      found.push(element.outerHTML.slice(0, 200));
  }
  return found;
}"""


# --- the archives and the site -----------------------------------------------------------


@pytest.fixture(scope="module")
def hostile() -> Archive:
    report = check_archive(ACCEPTED)
    # Only warnings (bad-image: the case's <img src=x onerror=…> fragments): the site builds.
    assert [p.format() for p in report.problems if p.severity == "error"] == []
    return report.archive


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The accepted archive built once through `archive build`, on disk and over http."""
    folder = tmp_path_factory.mktemp("hostile")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARCHIVE_CACHE_DIR", str(folder / "cache"))
        result = CliRunner().invoke(
            main,
            [
                "build",
                "--config",
                str(REPO / "mkdocs.yml"),
                "--archive",
                str(ACCEPTED),
                "--site-dir",
                str(folder / "site"),
            ],
        )
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    with serve(folder / "site") as url:
        yield Site(folder / "site", url)


def payloads(root: Path) -> set[str]:
    """The global every payload in a file or an archive would set, were it to run."""
    files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
    return {name for path in files for name in GLOBAL.findall(path.read_text("utf-8"))}


def fields_article(archive: Archive) -> Article:
    """The article whose front matter is hostile."""
    return next(a for a in archive.articles if a.slug == "hostile-fields")


def body_article(archive: Archive) -> Article:
    """The article whose body is raw HTML."""
    return next(a for a in archive.articles if a.slug == "hostile-body")


def the_entity(archive: Archive) -> Entity:
    (entity,) = archive.entities
    return entity


def html_path(page: str) -> str:
    return page_url(page, directory_urls=False)


# --- what the browser must never do ------------------------------------------------------


@pytest.fixture
def dialogs(page: Page) -> list[str]:
    """Every alert, confirm or prompt the page opened (each dismissed at once)."""
    opened: list[str] = []

    def record(dialog: Dialog) -> None:
        opened.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def provoke(page: Page) -> None:
    """Every event an inline handler could wait for, then a real pointer over every element
    of the content, as a reader moving the mouse over the page."""
    page.evaluate(PROVOKE)
    content = page.locator(".md-content")
    for element in content.locator("*").all():
        box = element.bounding_box()
        if box and box["width"] > 1 and box["height"] > 1:  # not a visually hidden label
            element.hover(force=True, timeout=2_000)


def assert_nothing_ran(page: Page, dialogs: list[str], where: str) -> None:
    page.wait_for_load_state("load")
    assert page.evaluate(RAN) == [], where
    assert dialogs == [], where
    assert page.evaluate(LIVE_MARKUP) == [], where
    assert [frame.url for frame in page.frames] == [page.url], where


def click_in_place(page: Page, selector: str) -> int:
    """Click every element matching `selector` that would not take the reader to another page
    (links to '#' or without an address, paragraphs, buttons); return how many."""
    here = page.url.split("#")[0]
    clicked = 0
    for element in page.locator(selector).all():
        targets = element.evaluate("""e => [e.closest("a[href]"), ...e.querySelectorAll("a[href]")]
            .filter(Boolean).map(a => a.href)""")
        if any(target.split("#")[0] != here for target in targets) or not element.is_visible():
            continue  # another page, or nothing to click (a paragraph left empty by the cleaning)
        element.click(force=True, timeout=2_000)
        assert page.url.split("#")[0] == here
        clicked += 1
    return clicked


# --- the front matter and the registry ---------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_hostile_front_matter_shows_as_text_and_runs_nothing(
    page: Page, dialogs: list[str], hostile_site: Site, hostile: Archive, scheme: str
) -> None:
    article, entity = fields_article(hostile), the_entity(hostile)
    page.goto(hostile_site.url(scheme, html_path(article_page(article))))
    provoke(page)
    assert_nothing_ran(page, dialogs, article.path)

    expect(page.locator("h1")).to_contain_text(article.title, use_inner_text=True)
    assert article.title in page.title()
    assert article.summary is not None
    expect(page.locator(".ra-summary")).to_have_text(article.summary, use_inner_text=True)
    meta = page.locator(".ra-meta")
    assert article.url and article.archive_url and article.rights
    for value in [
        article.source,
        *article.authors,
        article.url,
        article.archive_url,
        article.rights,
        *article.credits,
        *article.tags,
    ]:
        expect(meta).to_contain_text(value, use_inner_text=True)
    for address in (article.url, article.archive_url):
        expect(meta.locator("a", has_text=address)).to_have_attribute("href", address)
    chip = page.locator(".ra-chips a")
    expect(chip).to_have_text(entity.name, use_inner_text=True)
    expect(chip).to_have_attribute(
        "title", f"{DEFAULT.kind(entity.type).singular_word}: {entity.description}"
    )


def test_hostile_entity_shows_as_text_and_runs_nothing(
    page: Page, dialogs: list[str], hostile_site: Site, hostile: Archive
) -> None:
    entity = the_entity(hostile)
    page.goto(hostile_site.url("http", html_path(entity_page(entity.id))))
    provoke(page)
    assert_nothing_ran(page, dialogs, entity.id)

    expect(page.locator("h1")).to_contain_text(entity.name, use_inner_text=True)
    assert entity.name in page.title()
    content = page.locator(".md-content")
    expect(content.get_by_text(entity.description, exact=True)).to_be_visible()
    meta = page.locator(".ra-meta")
    for alias in entity.aliases:
        expect(meta).to_contain_text(alias, use_inner_text=True)
    expect(meta.locator("a", has_text=str(entity.wikidata))).to_have_attribute(
        "href", f"https://www.wikidata.org/wiki/{entity.wikidata}"
    )
    for article in hostile.articles:
        expect(content.locator("a", has_text=article.title)).to_be_visible()


def test_hostile_body_mention_keeps_the_entity_name_in_its_tooltip(
    page: Page, dialogs: list[str], hostile_site: Site, hostile: Archive
) -> None:
    """The first mention in a text links to the entity with its name as the tooltip: a name
    holding Markdown must stay inside that attribute."""
    entity = the_entity(hostile)
    for article in hostile.articles:
        page.goto(hostile_site.url("http", html_path(article_page(article))))
        mention = page.locator(".ra-body a.ra-entity")
        expect(mention).to_have_count(1)
        expect(mention).to_have_attribute("title", entity.name)
        expect(mention).to_have_text("Hostile Corp")
        mention.hover()
        assert_nothing_ran(page, dialogs, article.path)


# --- raw HTML in a body ------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_hostile_body_keeps_the_safe_subset(
    page: Page, hostile_site: Site, hostile: Archive, scheme: str
) -> None:
    page.goto(hostile_site.url(scheme, html_path(article_page(body_article(hostile)))))
    body = page.locator(".ra-body")
    expect(body.locator("table caption")).to_have_text("Kept table")
    expect(body.locator('table th[scope="col"]')).to_have_text("City")
    expect(body.locator('table td[colspan="1"]')).to_have_text("Mariupol")
    expect(body.locator("abbr", has_text="NATO")).to_have_attribute(
        "title", "North Atlantic Treaty Organization"
    )
    expect(body.locator("abbr", has_text="abbr tooltip")).to_have_attribute(
        "title", "<img src=x onerror=top.__pwned_body_abbr_title=1;alert(1)>"
    )
    kept_link = body.locator('a[href="https://example.org/report"]')
    expect(kept_link).to_have_text("the kept link")
    expect(kept_link).to_have_attribute("title", "kept link")
    expect(kept_link).to_have_attribute("rel", "noopener noreferrer")
    expect(body.locator("sup")).to_have_text("sup kept")
    expect(body.locator('q[lang="uk"]')).to_have_text("a kept quote")
    expect(body.locator('ol[start="3"] li')).to_have_text("kept third item")
    expect(body.locator('img[src="https://example.org/missing.png"]')).to_have_attribute("alt", "a web image")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_hostile_body_drops_the_rest_and_runs_nothing(
    page: Page, dialogs: list[str], hostile_site: Site, hostile: Archive, scheme: str
) -> None:
    article = body_article(hostile)
    page.goto(hostile_site.url(scheme, html_path(article_page(article))))
    provoke(page)
    assert_nothing_ran(page, dialogs, article.path)
    body = page.locator(".ra-body")
    # The text of a removed tag stays, and nothing hides it any more.
    for shown in [
        "before image",
        "click paragraph",
        "hover span",
        "handler link",
        "javascript anchor",
        "entity anchor",
        "tab anchor",
        "data anchor",
        "markdown link",
        "reference link",
        "attribute list paragraph",
        "hidden by a bare attribute word",
        "details summary",
        "input gone",
        "submit button",
        "hidden by a style attribute",
        "hidden by the hidden attribute",
        "The last paragraph.",
    ]:
        expect(body.get_by_text(shown)).to_be_visible()
    # Code shows its tags as text.
    expect(body.locator("code").filter(has_text="<script>")).to_have_text(
        "<script>top.__pwned_body_code=1;alert(1)</script>"
    )
    expect(body.get_by_text("handler link")).to_have_attribute("href", "https://example.org/")

    assert click_in_place(page, ".ra-body p, .ra-body a, .ra-body span, .ra-body div") >= 10
    assert_nothing_ran(page, dialogs, article.path)


# --- every page that shows a payload -----------------------------------------------------


def shown_on(archive: Archive) -> dict[str, list[str]]:
    """What each generated page must show as text."""
    article, entity = fields_article(archive), the_entity(archive)
    (tag,) = article.tags
    return {
        article_page(article): [article.title, entity.name],
        article_page(body_article(archive)): [article.title, entity.name],
        entity_page(entity.id): [entity.name, entity.description, *entity.aliases, article.title],
        day_page(article.date): [article.title, article.source],
        month_page(article.date.year, article.date.month): [],
        year_page(article.date.year): [],
        source_page(article.source): [article.source, article.title],
        tag_page(tag): [tag, article.title],
        "index.md": [article.title, article.source],
        "sources.md": [article.source],
        "tags.md": [tag],
        DEFAULT.kind(entity.type).page: [entity.name, entity.description],
        "timeline.md": [],
    }


def test_hostile_every_page_showing_a_payload_runs_nothing(
    page: Page, dialogs: list[str], hostile_site: Site, hostile: Archive
) -> None:
    expected = {html_path(path): texts for path, texts in shown_on(hostile).items()}
    showing = {
        p.relative_to(hostile_site.folder).as_posix()
        for p in hostile_site.folder.rglob("*.html")
        if "__pwned" in p.read_text("utf-8")
    }
    assert showing <= set(expected)  # no page shows a payload unchecked
    for path, texts in sorted(expected.items()):
        page.goto(hostile_site.url("http", path))
        provoke(page)
        content = page.locator(".md-content")
        for value in texts:
            expect(content).to_contain_text(value, use_inner_text=True)
        assert_nothing_ran(page, dialogs, path)


def test_hostile_search_shows_payloads_as_text(
    page: Page, dialogs: list[str], hostile_site: Site, hostile: Archive
) -> None:
    article, entity = fields_article(hostile), the_entity(hostile)
    page.goto(hostile_site.url("http", "index.html"))
    box = page.locator("input.ra-header-search__input")
    box.click()
    box.press_sequentially("hostile", delay=20)
    box.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    page.wait_for_function(WAIT_DONE, arg="hostile")
    hit = page.locator(f'a.ra-search__title[href*="{html_path(article_page(article))}"]')
    expect(hit).to_have_text(article.title, use_inner_text=True)
    results = page.locator(".ra-search__result")
    expect(results).to_have_count(len(hostile.articles))
    expect(results.locator(".ra-search__meta").filter(has_text=article.source)).to_have_count(1)
    expect(page.locator("#ra-search-source option", has_text=article.source)).to_have_count(1)
    expect(page.locator("#ra-search-tag option", has_text=article.tags[0])).to_have_count(1)
    provoke(page)
    assert_nothing_ran(page, dialogs, "search results")

    names = page.locator("#ra-search-entity")
    names.click()
    names.press_sequentially("Hostile", delay=20)
    suggestion = page.locator(".ra-search__suggestion").first
    expect(suggestion).to_contain_text(entity.name, use_inner_text=True)
    suggestion.click()
    expect(page.locator(".ra-search__chip")).to_contain_text(entity.name, use_inner_text=True)
    page.wait_for_function(WAIT_DONE, arg="hostile")
    expect(results).to_have_count(len(hostile.articles))
    provoke(page)
    assert_nothing_ran(page, dialogs, "search with the entity filter")


def test_hostile_site_shows_every_field_payload_on_a_checked_page(
    hostile_site: Site, hostile: Archive
) -> None:
    """Every payload of the front matter and the registry reaches a page the tests above open
    (those of the body are removed, as the body tests show)."""
    opened = {html_path(path) for path in shown_on(hostile)}
    on_pages = {
        name for path in opened for name in GLOBAL.findall((hostile_site.folder / path).read_text("utf-8"))
    }
    article, entity = fields_article(hostile), the_entity(hostile)
    in_fields = payloads(ACCEPTED / article.path) | payloads(ACCEPTED / "entities" / f"{entity.id}.yml")
    assert in_fields - on_pages == set()
    texts = [
        article.title,
        article.source,
        *article.authors,
        article.summary,
        *article.tags,
        article.rights,
        *article.credits,
        entity.name,
        entity.description,
        *entity.aliases,
    ]
    hostile_texts = [t for t in texts if t and "__pwned" in t]
    assert len(in_fields) == 6 * len(hostile_texts) + 2  # six forms each; url and archive_url


# --- the detector itself -----------------------------------------------------------------


def test_hostile_detector_sees_script_that_runs(page: Page, dialogs: list[str]) -> None:
    """The checks above fail on a page that does run a payload."""
    page.set_content(
        '<div class="md-content"><p onmouseover="top.__pwned_hover=1">hover</p>'
        '<img src="x" onerror="top.__pwned_img=1;alert(1)">'
        '<a href="javascript:top.__pwned_click=1">click</a></div>'
    )
    provoke(page)
    page.get_by_text("click").click()
    page.wait_for_function("() => window.__pwned_img && window.__pwned_click")
    assert sorted(page.evaluate(RAN)) == ["__pwned_click", "__pwned_hover", "__pwned_img"]
    assert dialogs and set(dialogs) == {"alert: 1"}
    assert page.evaluate(LIVE_MARKUP) == [
        '<p onmouseover="top.__pwned_hover=1">',
        '<img onerror="top.__pwned_img=1;alert(1)">',
        '<a href="javascript:top.__pwned_click=1">',
    ]
    with pytest.raises(AssertionError):
        assert_nothing_ran(page, dialogs, "control")


# --- what the checker refuses ------------------------------------------------------------


# Names no Windows checkout could hold, so written here rather than kept in the case.
HOSTILE_FILE_NAMES = {
    "articles/2022/03/<svg onload=top.__pwned_slug=1;alert(1)>.md": "---\ntitle: A file name that is a tag\ndate: '2022-03-30'\nsource: Refusing Wire\n---\n\n"
    "The file name of this article is refused.\n",
    'entities/"><img src=x onerror=top.__pwned_id=1;alert(1)>.yml': "type: person\nname: Refused Id\ndescription: An entity whose file name, its id, is refused.\n",
}
FILE_NAME_ERRORS = [
    "archive/articles/2022/03/<svg onload=top.__pwned_slug=1;alert(1)>.md:1: error: file name "
    "'<svg onload=top.__pwned_slug=1;alert(1)>.md' must be lower-case words joined by hyphens; "
    "rename it to svg-onload-top-pwned-slug-1-alert-1.md [bad-slug]",
    'archive/entities/"><img src=x onerror=top.__pwned_id=1;alert(1)>.yml:1: error: entity id '
    "'\"><img src=x onerror=top.__pwned_id=1;alert(1)>' (the file name) must be lower-case words "
    "joined by hyphens; rename the file to img-src-x-onerror-top-pwned-id-1-alert-1.yml [bad-id]",
]


def test_hostile_refused_values_stop_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A value the format cannot hold is an error on its own line (the exact messages are in
    tests/cases/hostile-refused/expected.txt), and `archive build` then writes nothing."""
    shutil.copytree(REFUSED, tmp_path / "archive")
    for rel, text in HOSTILE_FILE_NAMES.items():
        (tmp_path / "archive" / rel).write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    *problems, summary = (REFUSED.parent / "expected.txt").read_text("utf-8").splitlines()
    result = CliRunner().invoke(
        main,
        [
            "build",
            "--config",
            str(REPO / "mkdocs.yml"),
            "--archive",
            "archive",
            "--site-dir",
            str(tmp_path / "site"),
        ],
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    *reported, last = result.stderr.splitlines()
    assert sorted(reported) == sorted(problems + FILE_NAME_ERRORS)
    errors, files = (int(n) for n in re.findall(r"(\d+) (?:errors|files)", summary))
    assert last == f"{errors + 2} errors, 0 warnings in {files + 2} files"
    assert "Traceback" not in result.output
    assert not (tmp_path / "site").exists()
    # Every refused payload is named by an error on the line that holds it (line 1 for a name).
    for path in sorted((tmp_path / "archive").rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(tmp_path).as_posix()
        lines = [
            n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1) if GLOBAL.search(text)
        ] + ([1] if GLOBAL.search(path.name) else [])
        assert lines, rel
        for line in lines:
            assert any(e.startswith(f"{rel}:{line}: error: ") for e in reported), (rel, line)
