"""Hostile text reaching the theme's templates: every field shows as text and runs nothing.

MkDocs' Jinja environment does not autoescape, so whatever a template prints unescaped is HTML:
Material printed a page's title as `{{ page.title | striptags }}` in <title>, and `striptags`
turns the escaped `&lt;` of a heading back into `<`, so a title holding `</title><img …>` ran
in the reader's browser. The archive plugin's theme (build_tools/publish/theme/) escapes every
text it prints (its main.html says how).

The archive here has one article and one entity per payload, every text field of both holding
it: a tag break-out (`</title>`, `</script>`), an attribute break-out, a JavaScript string
break-out, a Jinja expression and an already escaped tag; and a heading in a body whose id,
set with an attribute list, breaks out of the contents' link to it. Each payload that ran
would set `top.__pwned`, open a dialog or log PWNED. The site is built once through `archive
build`; every page of it is opened over http and from file:// (the search page with a query),
the built HTML is read with html.parser, and the search files are read as the JSON they hold.
Feeds and citation exports do not exist yet (another issue): when they do, they join
PAGE_KINDS and the checks of the built files below.

The last tests hold the templates themselves to it: every expression Material's templates
print without escaping is either overridden here or listed, with the reason it is safe.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import material
import pytest
import yaml
from jinja2 import nodes
from playwright.sync_api import Browser, Page

from tests.browser.conftest import REPO, Site, Watch
from tests.browser.test_search_browser import WAIT_DONE

SCHEMES = ["http", "file"]
CONFIG = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))
SITE_NAME: str = CONFIG["site_name"]
QUERY = "zebrafish"  # a word of every article's text

PAYLOADS = {
    "title-break": "</title><img src=x onerror=top.__pwned=1;alert(1)>",
    "attribute-break": '"><svg onload=top.__pwned=1;alert(1)>',
    "string-break": "'-alert(1)-'",
    "script-break": "</script><script>top.__pwned=1;console.log(/PWNED/.source)</script>",
    "template": "{{ 7*7 }}",
    "pre-escaped": "&lt;img src=x onerror=top.__pwned=1;alert(1)&gt;",
}
# A heading's id, set in an article's body by an attribute list: the contents (toc-item.html)
# print it as the address of their link to the heading.
TOC_ID = 'x" tabindex=1 autofocus onfocus="top.__pwned=1;alert(1)'
# What would show that a payload got out of its text: each payload holds one of them.
MARKERS = re.compile(r"__pwned|PWNED|alert\(1\)|7\*7")
ENTITY_TYPES = ["person", "organization", "place", "event", "other", "person"]


@dataclass(frozen=True)
class Fields:
    """The text fields of one payload's article and entity: `fields.title`, `fields.source`
    and the rest are each the field's label and the payload ("Title </title><img …>")."""

    key: str
    payload: str

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return f"{name.capitalize()} {self.payload}"

    @property
    def entity_id(self) -> str:
        return f"entity-{self.key}"

    def article(self, number: int) -> str:
        front = {
            "title": self.title,
            "date": f"2022-03-0{1 + number % 2}",
            "source": self.source,
            "url": f"https://example.org/{self.key}",
            "authors": [self.author],
            "summary": self.summary,
            "tags": [self.tag],
            "rights": self.rights,
            "credits": [self.credit],
            "entities": [self.entity_id],
        }
        heading = f"## A heading of the contents {{: id='{TOC_ID}' }}\n\nMore text.\n" if number == 0 else ""
        return (
            f"---\n{dump(front)}---\n\nThe {QUERY} report number {number} says nothing "
            f"hostile in its text.\n\n{heading}"
        )

    def entity(self, number: int) -> str:
        return dump(
            {
                "type": ENTITY_TYPES[number],
                "name": self.name,
                "aliases": [self.alias],
                "description": self.description,
            }
        )

    def texts(self) -> list[str]:
        """Every field value that holds the payload."""
        return [
            getattr(self, name)
            for name in (
                "title",
                "source",
                "author",
                "summary",
                "tag",
                "rights",
                "credit",
                "name",
                "alias",
                "description",
            )
        ]


FIELDS = [Fields(key, payload) for key, payload in PAYLOADS.items()]
VALUES = sorted({TOC_ID} | {text for fields in FIELDS for text in fields.texts()}, key=len, reverse=True)


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)


@pytest.fixture(scope="module")
def fields_site(archive_site: Any) -> Site:
    files = {}
    for number, fields in enumerate(FIELDS):
        files[f"articles/2022/03/{fields.key}.md"] = fields.article(number)
        files[f"entities/{fields.entity_id}.yml"] = fields.entity(number)
    site: Site = archive_site(files)
    return site


def html_pages(site: Site) -> list[str]:
    return sorted(p.relative_to(site.folder).as_posix() for p in site.folder.rglob("*.html"))


# --- the built HTML, read as a browser's parser reads it -------------------------------------


class Reading(HTMLParser):
    """One page as html.parser reads it: every tag with its attributes, every run of text with
    the element it is in, the <title>, the first <h1> (without its permalink) and the header's
    topic."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str]]]] = []
        self.texts: list[tuple[str, str]] = []
        self.open: list[str] = []
        self.title: str | None = None
        self.h1: str | None = None
        self.topic: str | None = None
        self._in: dict[str, int] = {}  # what is being collected -> depth of its element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = [(name, value or "") for name, value in attrs]
        self.tags.append((tag, values))
        if tag in VOID:
            return
        self.open.append(tag)
        attributes = dict(values)
        if tag == "h1" and self.h1 is None:
            self._start("h1")
        elif tag == "a" and "headerlink" in attributes.get("class", "").split():
            self._in["skip"] = len(self.open)
        elif attributes.get("data-md-component") == "header-topic":
            self._start("topic")
        elif tag == "title" and self.title is None:
            self._start("title")
        if tag in RCDATA:
            # As a browser reads them: text up to their end tag, character references decoded.
            self.set_cdata_mode(tag)

    def _start(self, what: str) -> None:
        self._in[what] = len(self.open)
        setattr(self, what, "")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or tag not in self.open:
            return
        while self.open:
            depth = len(self.open)
            for what, at in list(self._in.items()):
                if at == depth:
                    del self._in[what]
            if self.open.pop() == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] in RCDATA:
            data = html.unescape(data)
        self.texts.append((self.open[-1] if self.open else "", data))
        if "skip" in self._in:
            return
        for what in ("title", "h1", "topic"):
            if what in self._in:
                setattr(self, what, getattr(self, what) + data)


RCDATA = {"title", "textarea"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def read(path: Path) -> Reading:
    reading = Reading()
    reading.feed(path.read_text("utf-8"))
    reading.close()
    return reading


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


# A value with only these characters is a name (an id, a file name, an address of the site): it
# cannot hold markup whatever it says.
NAME = re.compile(r"[\w#./:%-]*")


def escaped_out(value: str) -> list[str]:
    """The markers in `value` that are not inside one of the field values as a whole: a payload
    that left its text, or was cut by markup."""
    if NAME.fullmatch(value):
        return []
    covered = [False] * len(value)
    for text in VALUES:
        start = value.find(text)
        while start != -1:
            covered[start : start + len(text)] = [True] * len(text)
            start = value.find(text, start + 1)
    return [
        value[max(0, m.start() - 40) : m.end() + 40]
        for m in MARKERS.finditer(value)
        if not all(covered[m.start() : m.end()])
    ]


def markup_problems(reading: Reading) -> list[str]:
    """Every way the page holds a payload as markup rather than as text."""
    problems = []
    for tag, attributes in reading.tags:
        for name, value in attributes:
            if name.startswith("on") or not re.fullmatch(r"[a-z][a-z0-9:_.-]*", name):
                problems.append(f"<{tag}> has an attribute {name!r}")
            # A link's query carries a name percent-encoded (the search within a source's
            # articles: search.html?source=…); decoded, it must hold the payload whole.
            readable = urllib.parse.unquote(value) if name == "href" else value
            problems += [f"<{tag} {name}> holds {cut!r}" for cut in escaped_out(readable)]
        if tag in ("iframe", "frame", "object", "embed", "base") or (
            tag == "meta" and "http-equiv" in dict(attributes)
        ):
            problems.append(f"<{tag}> {attributes}")
    for element, text in reading.texts:
        if element in ("script", "style") and MARKERS.search(text):
            problems.append(f"<{element}> holds {text[:120]!r}")
        problems += [f"text of <{element}> holds {cut!r}" for cut in escaped_out(text)]
    return problems


def nav_titles(items: list[Any]) -> dict[str, str]:
    """{page.html: its title in the nav of mkdocs.yml}: a page in the nav is titled by it."""
    titles = {}
    for item in items:
        for title, target in item.items():
            if isinstance(target, list):
                titles.update(nav_titles(target))
            else:
                titles[target.removesuffix(".md") + ".html"] = title
    return titles


NAV_TITLES = nav_titles(CONFIG["nav"])


def expected_topic(reading: Reading, path: str) -> str:
    """The page's title as the header shows it: its title in the nav, else its heading."""
    return NAV_TITLES.get(path) or squash(reading.h1)


def expected_title(reading: Reading, path: str) -> str:
    """What <title> must say: the page's title, then the site's name; the home and the page
    of a missing address (which has no title) say the name alone."""
    if path in ("index.html", "404.html"):
        return SITE_NAME
    return f"{expected_topic(reading, path)} - {SITE_NAME}"


def test_hostile_templates_built_html_holds_payloads_only_as_text(fields_site: Site) -> None:
    """Every page of the site, read by html.parser: each payload is text (in an element or an
    attribute's value, whole), <title> says the page's heading, the header's topic says it too,
    and the pages of a payload's article, entity, source and tag carry it whole as heading."""
    problems: dict[str, list[str]] = {}
    headings = set()
    for path in html_pages(fields_site):
        reading = read(fields_site.folder / path)
        found = markup_problems(reading)
        if squash(reading.title) != expected_title(reading, path):
            found.append(f"<title> is {reading.title!r}, not {expected_title(reading, path)!r}")
        if path != "404.html" and squash(reading.topic) != expected_topic(reading, path):
            found.append(f"the header's topic is {reading.topic!r}, not {expected_topic(reading, path)!r}")
        if squash(reading.h1) in VALUES:
            headings.add(squash(reading.h1))
        if found:
            problems[path] = found
    assert problems == {}
    # The heading (so the <title>) of a payload's article, entity, source and tag page.
    assert headings == {
        text for fields in FIELDS for text in (fields.title, fields.name, fields.source, fields.tag)
    }


def test_hostile_templates_search_files_hold_payloads_as_strings(fields_site: Site) -> None:
    """The search page's data files (site/search/**.js) are each one call holding JSON, so no
    payload got out of a string; every field is one of those strings, whole. (What the search
    page makes of them is the browser test's.)"""
    strings: set[str] = set()
    files = sorted((fields_site.folder / "search").rglob("*.js"))
    assert files
    call = re.compile(r'window\.__raSearch\.add\(("(?:[^"\\]|\\.)*"),(.*)\);\s*', re.S)
    for path in files:
        match = call.fullmatch(path.read_text("utf-8"))
        assert match, f"{path} is not one window.__raSearch.add(name, JSON) call"
        strings.add(json.loads(match[1]))
        strings.update(strings_in(json.loads(match[2])))
    for fields in FIELDS:
        for text in (fields.title, fields.source, fields.tag, fields.name, fields.alias):
            assert text in strings, text


def strings_in(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from strings_in(value)
    elif isinstance(data, list):
        for item in data:
            yield from strings_in(item)


# --- the same pages in Chromium --------------------------------------------------------------

# Markup that could run script or leave the page, wherever it came from.
LIVE_MARKUP = r"""() => {
  const found = [];
  const risky = /^(javascript|vbscript|data):/i;
  const addresses = ["href", "src", "action", "formaction", "data", "xlink:href", "poster",
                     "background", "srcset", "ping", "lowsrc", "dynsrc"];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    for (const attribute of element.attributes) {
      const value = attribute.value.replace(/[\u0000-\u0020]/g, "");
      if (attribute.name.startsWith("on") || attribute.name === "srcdoc"
          || (addresses.includes(attribute.name) && risky.test(value)))
        found.push(`<${tag} ${attribute.name}="${attribute.value.slice(0, 80)}">`);
    }
    if (["iframe", "frame", "object", "embed", "applet", "base", "portal"].includes(tag)
        || (tag === "meta" && element.httpEquiv)
        || (tag === "link" && element.closest("body"))
        || (["script", "style"].includes(tag) && /pwned|PWNED|alert\(1\)/.test(element.textContent)))
      found.push(element.outerHTML.slice(0, 200));
  }
  return found;
}"""
# Fires the inline handlers an element might still carry, without following any link.
PROVOKE = """() => {
  const kinds = ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup", "pointerover",
                 "pointerenter", "focus", "focusin", "blur", "load", "error", "toggle",
                 "animationstart", "transitionend", "input", "change", "begin"];
  for (const element of document.querySelectorAll("*"))
    for (const kind of kinds) element.dispatchEvent(new Event(kind));
}"""
RAN = "() => Object.keys(window).filter(name => /pwned/i.test(name))"
SHOWN = """() => {
  const heading = document.querySelector("article h1");
  let text = null;
  if (heading) {
    const copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(link => link.remove());
    text = copy.textContent;
  }
  const topic = document.querySelector('[data-md-component="header-topic"]');
  return {title: document.title, heading: text, topic: topic && topic.textContent};
}"""


def what_ran(page: Page, watch: Watch, provoke: bool = True) -> list[str]:
    """Everything showing that a payload ran, or could run, on the open page; first, unless
    told not to, every event an inline handler could wait for."""
    if provoke:
        page.evaluate(PROVOKE)
    found = [f"dialog {d}" for d in watch.dialogs]
    found += [f"console {c}" for c in watch.console if "PWNED" in c]
    found += [f"script error {e}" for e in watch.errors]
    found += [f"global {name}" for name in page.evaluate(RAN)]
    found += page.evaluate(LIVE_MARKUP)
    if [frame.url for frame in page.frames] != [page.url]:
        found.append(f"frames {[frame.url for frame in page.frames]}")
    return found


@pytest.fixture
def watched(browser: Browser) -> Iterator[tuple[Page, Watch]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    watch = Watch().attach(context)
    try:
        yield context.new_page(), watch
    finally:
        context.close()


# The pages that must show a payload: article, entity, source, tag, day, the listings, the home.
PAGE_KINDS = [
    "articles/",
    "entities/",
    "sources/",
    "tags/",
    "dates/",
    "index.html",
    "sources.html",
    "tags.html",
    "people.html",
    "organizations.html",
    "places.html",
    "events.html",
    "other-entities.html",
]


def shows_a_payload(reading: Reading) -> bool:
    strings = [text for _, text in reading.texts]
    strings += [value for _, attributes in reading.tags for _, value in attributes]
    return any(text in string for string in strings for text in VALUES)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_hostile_templates_pages_show_fields_as_text_and_run_nothing(
    watched: tuple[Page, Watch], fields_site: Site, scheme: str
) -> None:
    """Every page of the site opened in Chromium (among them every page that shows a payload:
    article, entity, source, tag, day, the listings, the home): nothing runs, and the tab's
    title, the heading and the header's topic say the field as text."""
    page, watch = watched
    paths = html_pages(fields_site)
    showing = [path for path in paths if shows_a_payload(read(fields_site.folder / path))]
    for kind in PAGE_KINDS:
        assert any(path.startswith(kind) for path in showing), f"no page {kind} shows a payload"
    problems = {}
    for path in paths:
        watch.clear()
        page.goto(fields_site.url(scheme, path))
        page.wait_for_load_state("load")
        reading = read(fields_site.folder / path)
        shown = page.evaluate(SHOWN)
        found = what_ran(page, watch)
        if shown["title"] != expected_title(reading, path):
            found.append(f"tab title {shown['title']!r}")
        if path != "404.html" and squash(shown["topic"]) != expected_topic(reading, path):
            found.append(f"header topic {shown['topic']!r}")
        if squash(reading.h1) in VALUES and shown["heading"] != squash(reading.h1):
            found.append(f"heading {shown['heading']!r}")
        if found:
            problems[path] = found
    assert problems == {}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_hostile_templates_search_shows_fields_as_text_and_runs_nothing(
    watched: tuple[Page, Watch], fields_site: Site, scheme: str
) -> None:
    """The search page with a query, its filters and the names' suggestions: every title,
    source, tag and name is shown as text, and nothing runs."""
    page, watch = watched
    page.goto(fields_site.url(scheme, "search.html") + f"?q={QUERY}")
    page.wait_for_function(WAIT_DONE, arg=QUERY)
    titles = page.locator(".ra-search__title").all_text_contents()
    assert sorted(squash(t) for t in titles) == sorted(f.title for f in FIELDS)
    options = page.eval_on_selector_all(
        "#ra-search-source option, #ra-search-tag option",
        "options => options.map(o => [o.value, o.textContent])",
    )
    assert {value for value, _ in options} >= {f.source for f in FIELDS} | {f.tag for f in FIELDS}
    assert all(label.startswith(value) for value, label in options)
    assert what_ran(page, watch) == []

    names = page.locator("#ra-search-entity")
    names.click()
    names.press_sequentially("Name", delay=20)
    page.locator(".ra-search__suggestion").first.wait_for()
    suggested = " ".join(page.locator(".ra-search__suggestion").all_text_contents())
    for fields in FIELDS:
        assert fields.name in suggested
    assert what_ran(page, watch) == []


def test_hostile_templates_detectors_see_a_payload_that_ran(watched: tuple[Page, Watch]) -> None:
    """The checks above fail on a page whose title broke out and ran."""
    page, watch = watched
    broken = (
        f"<!doctype html><title>Title {PAYLOADS['title-break']} - x</title>"
        '<p onclick="x">a</p><script>console.log("PWNED")</script>'
    )
    page.set_content(broken)
    assert set(what_ran(page, watch)) >= {
        "dialog alert: 1",
        "console log: PWNED",
        "global __pwned",
        '<img onerror="top.__pwned=1;alert(1)">',
        '<p onclick="x">',
    }
    reading = Reading()
    reading.feed(broken)
    assert squash(reading.title) == "Title"
    found = markup_problems(reading)
    assert "<img> has an attribute 'onerror'" in found
    assert any("console.log" in problem for problem in found)


# --- the templates themselves ----------------------------------------------------------------

MATERIAL = Path(material.__file__).parent / "templates"
OVERRIDES = REPO / "build_tools" / "publish" / "theme"
# A print is escaped when its last filter is one of these (`url` is not: it only makes an
# address relative). A call prints a macro's output, which is checked where it is defined.
ESCAPING = {"e", "escape", "forceescape", "tojson", "urlencode", "int", "length"}

# Every expression that the templates the site uses print without escaping, and why that is
# safe. Titles, names, descriptions and anything else from a page are never on this list.
CONSTANT = "a word or number the template sets itself"
PALETTE = "a palette option of mkdocs.yml (theme.palette), reviewed as code"
REVIEWED: dict[str, dict[str, str]] = {
    "base.html": {
        "direction": "ltr or rtl: theme.direction or the language's",
        "hidden": CONSTANT,
        "scheme | replace": PALETTE,
        "primary | replace": PALETTE,
        "accent | replace": PALETTE,
        "text": "theme.font (false here: no fonts block)",
        "code": "theme.font (false here)",
        "Add": "theme.font (false here)",
        "path | url": "extra_css of mkdocs.yml",
        "script | script_tag": "extra.polyfills of mkdocs.yml; script_tag escapes what it writes",
        "skip.url | url": "`#` and the id of the page's first heading: every page's own `# …` "
        "heading, whose id the toc extension slugifies to [\\w-] (render.text "
        "escapes attribute lists out of it). It is outside every block of "
        "base.html, so overriding it means copying base.html.",
    },
    "partials/content.html": {
        "page.content": "the page's HTML: generated by the archive (every text escaped by "
        "render.markup) or by MkDocs from docs/, an article's body cleaned by "
        "build_tools.publish.sanitize",
    },
    "partials/footer.html": {"direction": "lang.t(): Material's translation", "hidden": CONSTANT},
    "partials/header.html": {"class": CONSTANT},
    "partials/nav.html": {"class": CONSTANT},
    "partials/nav-item.html": {
        name: CONSTANT for name in ("checked", "class", "indeterminate", "level", "path", "tabindex")
    },
    "partials/tabs-item.html": {"class": CONSTANT},
    "partials/palette.html": {
        name: PALETTE
        for name in (
            "option.media",
            "option.toggle.name",
            "scheme | replace",
            "primary | replace",
            "accent | replace",
            "Mod",
            "loop.index0",
        )
    },
    "partials/logo.html": {"config.theme.logo | url": "theme.logo of mkdocs.yml (unset)"},
    "partials/icons.html": {"_.style": "icons named in mkdocs.yml, URL-encoded into CSS"},
    "partials/javascripts/base.html": {"config.extra.scope | d": "extra.scope of mkdocs.yml (unset)"},
    "partials/language.html": {"Or": "the language of mkdocs.yml"},
    "partials/path.html": {"hidden": CONSTANT},
    "404.html": {},
}
# Material's templates for features, plugins and options this site does not use
# (test_hostile_templates_theme_uses_only_reviewed_features keeps it so). Using one means
# reviewing, and most likely overriding, these first.
UNUSED = {
    "blog.html",
    "blog-post.html",
    "partials/post.html",
    "partials/pagination.html",  # blog plugin
    "fragments/tags/default/listing.html",
    "fragments/tags/default/tag.html",  # tags plugin
    "partials/tags.html",
    "partials/source-file.html",  # git-revision and git-committers plugins
    "partials/feedback.html",
    "partials/integrations/analytics/google.html",  # extra.analytics
    "partials/consent.html",  # extra.consent
    "partials/social.html",  # extra.social
    "partials/alternate.html",  # extra.alternate
    "partials/javascripts/outdated.html",  # extra.version
    "partials/copyright.html",  # copyright: HTML by design, from mkdocs.yml
    "partials/source.html",
    "partials/actions.html",  # repo_url, edit_uri
    "redirect.html",  # the redirects plugin
}
REVIEWED_FEATURES = {
    "navigation.tabs",
    "navigation.top",
    "navigation.footer",
    "toc.follow",
    "navigation.path",
    "navigation.indexes",
    "navigation.sections",
    "navigation.expand",
    "navigation.prune",
    "navigation.tabs.sticky",
    "toc.integrate",
}
# content.tooltips builds its tooltips by setting innerHTML from title attributes and from the
# header's title (mkdocs.yml says so too): a description holding a tag would run.
REFUSED_FEATURES = {"content.tooltips"}


def describe(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{describe(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{describe(node.node)}[{describe(node.arg)}]"
    if isinstance(node, nodes.Filter):
        return f"{describe(node.node)} | {node.name}" if node.node else node.name
    if isinstance(node, nodes.Const):
        return repr(node.value)
    if isinstance(node, nodes.Call):
        return f"{describe(node.node)}(…)"
    return type(node).__name__


def escaped(expr: nodes.Expr) -> bool:
    if isinstance(expr, (nodes.TemplateData, nodes.Const, nodes.Call)):
        return True
    if isinstance(expr, nodes.Filter):
        return expr.name in ESCAPING or (expr.name == "url" and isinstance(expr.node, nodes.Const))
    return False


def raw_prints(source: str, skip_blocks: frozenset[str] = frozenset()) -> set[str]:
    """What a template prints without escaping (outside the blocks in `skip_blocks`)."""
    found: set[str] = set()

    def walk(node: nodes.Node) -> None:
        if isinstance(node, nodes.Block) and node.name in skip_blocks:
            return
        if isinstance(node, nodes.Output):
            found.update(describe(expr) for expr in node.nodes if not escaped(expr))
        for child in node.iter_child_nodes():
            walk(child)

    walk(jinja2.Environment().parse(source))
    return found


def templates() -> dict[str, tuple[Path, frozenset[str]]]:
    """Every template the site can render, as the theme loader finds it (the plugin's theme first),
    with the blocks of it that an override replaces."""
    found: dict[str, tuple[Path, frozenset[str]]] = {}
    for root in (MATERIAL, OVERRIDES):
        for path in root.rglob("*.html"):
            rel = path.relative_to(root).as_posix()
            if not rel.startswith((".icons/", "partials/languages/")):
                found[rel] = (path, frozenset())
    overridden = re.findall(r"{%-?\s*block\s+(\w+)", (OVERRIDES / "main.html").read_text("utf-8"))
    found["base.html"] = (MATERIAL / "base.html", frozenset(overridden))
    return found


def test_hostile_templates_print_every_text_escaped() -> None:
    """Every expression printed unescaped by a template the site uses is on REVIEWED, with the
    reason it is safe; a Material upgrade that prints something new fails here."""
    unreviewed = {}
    for rel, (path, skip) in sorted(templates().items()):
        if rel in UNUSED:
            continue
        raw = raw_prints(path.read_text("utf-8"), skip) - set(REVIEWED.get(rel, {}))
        if raw:
            unreviewed[rel] = sorted(raw)
    assert unreviewed == {}


def test_hostile_templates_audit_sees_an_unescaped_title() -> None:
    """The audit above is no rubber stamp: Material's own prints of titles are raw to it."""
    assert "page.title | striptags" in raw_prints((MATERIAL / "base.html").read_text("utf-8"))
    assert raw_prints((MATERIAL / "partials/toc-item.html").read_text("utf-8")) >= {
        "toc_item.title",
        "toc_item.url",
    }
    assert raw_prints("{{ page.title | striptags | e }}{{ 'x.css' | url }}{{ lang.t('a') }}") == set()


def test_hostile_templates_theme_uses_only_reviewed_features() -> None:
    """The theme's features and the plugins in mkdocs.yml are the ones whose templates were
    reviewed: no Material plugin (blog, tags, typeset and the rest bring templates that print
    page text raw), and no feature that puts titles into innerHTML."""
    features = set(CONFIG["theme"].get("features", []))
    assert features <= REVIEWED_FEATURES
    assert not features & REFUSED_FEATURES
    plugins = {next(iter(p)) if isinstance(p, dict) else p for p in CONFIG.get("plugins", [])}
    assert plugins == {"archive"}
    assert "custom_dir" not in CONFIG["theme"]  # the plugin brings the reviewed templates
    extra = CONFIG.get("extra", {})
    assert not {"consent", "social", "alternate", "analytics", "version"} & set(extra)
