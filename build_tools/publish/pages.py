"""Publishing generated pages: the only core stage that writes (with sync.py, which keeps the
folder of page files in step with the generated pages).

`to_html` (all at once, in parallel processes) and `Converter` (one page at
a time, where it is filled) convert pages with Python-Markdown, turn their `.md` links into the
site's URLs and read each page's title the engine's way; the engine converts none of them
itself. Nothing here knows MkDocs.
"""

from __future__ import annotations

import multiprocessing
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions.toc import nest_toc_tokens
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from ..render.body import SLOT, link_marks, split_article, strip_marks
from ..urls import page_url
from .sanitize import clean_html, content_id

PARALLEL_FROM = 200  # pages: below this, starting worker processes costs more than it saves


# --- Markdown to HTML --------------------------------------------------------------------

# A link to a page: its path up to "md", then any query and fragment. What rewrite_links
# replaces, found from each ".md" back to its attribute (page_links): the same links, read in
# half the time of a search for the pattern at every place of the page.
PAGE_LINK = re.compile(r'(href|src)="([^"#?:]*\.)md((?:\?[^"#]*)?(?:#[^"]*)?)"')
_MD_END = re.compile(r'\.md(?=[?#"])')
_PLAIN_PATH = re.compile(r'[^"#?:]*\Z')
_QUERY_FRAGMENT = re.compile(r'(?:\?[^"#]*)?(?:#[^"]*)?"')


def page_links(html: str) -> list[tuple[int, int]]:
    """Where PAGE_LINK matches, as re.finditer finds it: the (start, end) of each link's path,
    from after its attribute's quote to the end of its "md". The path holds no quote, so a
    match ending at a ".md" starts at the nearest quote before it."""
    spans = []
    done = 0  # the end of the last match: the next starts after it
    for found in _MD_END.finditer(html):
        end = found.end()
        quote = html.rfind('"', done, found.start())
        if (
            quote >= 0
            and (html.endswith("href=", 0, quote) or html.endswith("src=", 0, quote))
            and _PLAIN_PATH.match(html, quote + 1, found.start())
            and (tail := _QUERY_FRAGMENT.match(html, end)) is not None
        ):
            spans.append((quote + 1, end))
            done = tail.end()
    return spans


@lru_cache(maxsize=262144)
def _rewrite(page: str, target: str) -> str:
    """A link from `page` to the page `target` as the site's URLs have it (use_directory_urls)."""
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
    here = page_url(page, True).rstrip("/")  # a page's URL is a folder: links start there
    there = page_url(resolved, True)
    relative = posixpath.relpath(there.rstrip("/") or ".", here or ".")
    if there == "" or there.endswith("/"):
        return "./" if relative == "." else relative + "/"
    return relative


def rewrite_links(page: str, html: str, directory_urls: bool) -> str:
    """Turn relative links to other pages' .md files into the URLs of those pages."""
    out, done = [], 0
    for start, end in page_links(html):
        if directory_urls:
            out += [html[done:start], _rewrite(page, html[start:end])]
        else:  # same folder layout as the sources: only the suffix changes
            out += [html[done : end - 2], "html"]
        done = end
    if not out:
        return html
    out.append(html[done:])
    return "".join(out)


_SETUP: dict[str, Any] = {}


# A raw HTML block as render.markup.html_block writes it: `<div class="ra-…" …>` (no `markdown`
# attribute) on a line of its own, lines without <div>, then `</div>` on a line of its own.
_RAW_BLOCK = re.compile(
    r'^<div class="ra-[a-z -]+"(?: [a-z-]+="[^"<>]*")*>\n'
    r"(?:(?!.*<div)(?!</div>$).*\n)*?</div>$",
    re.M,
)
_TOKEN = "RAWHTMLBLOCK"
_PLACEHOLDER = re.compile(f"<p>{_TOKEN}([0-9]+){_TOKEN}</p>")


def convert(md: markdown.Markdown, text: str) -> str:
    """Python-Markdown's HTML for a page, its raw HTML blocks passed through untouched.

    A raw block is HTML already, and Markdown would copy it unchanged, but only after parsing
    every tag of it: on a page of a hundred links with snippets that is most of the cost.
    """
    blocks: list[str] = []

    def stash(match: re.Match[str]) -> str:
        blocks.append(match[0])
        return f"\n{_TOKEN}{len(blocks) - 1}{_TOKEN}\n"

    if _TOKEN in text:
        return md.reset().convert(text)
    html = md.reset().convert(_RAW_BLOCK.sub(stash, text))
    if not blocks:
        return html
    html, found = _PLACEHOLDER.subn(lambda m: blocks[int(m[1])], html)
    if found != len(blocks):  # a block landed somewhere unexpected: no shortcut for this page
        return md.reset().convert(text)
    return html


@dataclass(frozen=True)
class Converted:
    """A page's HTML and its table of contents: Python-Markdown's toc tokens, nested; its title
    when the converter was given the engine's way of reading one (Converter's `title_of`)."""

    html: str
    toc: list[dict[str, Any]]
    title: str | None = None


# The engine's reading of a heading's text (MkDocs: mkdocs.utils.rendering.get_heading_text).
TitleOf = Callable[[Any, markdown.Markdown], str]


_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


class _FirstTitle(Treeprocessor):
    """Each conversion's title: its first heading's text when that is an h1 (as MkDocs reads a
    page's title from its first element, the page's headings being all it was given before),
    recorded in `titles`; close to the end, as the engine's own runs."""

    def __init__(self, md: markdown.Markdown, title_of: TitleOf) -> None:
        super().__init__(md)
        self.title_of = title_of
        self.titles: list[str | None] = []

    def run(self, root: Any) -> None:
        first = next((el for el in root if el.tag in _HEADINGS), None)
        self.titles.append(self.title_of(first, self.md) if first is not None and first.tag == "h1" else None)


class _RawBlockSlot(BlockProcessor):
    """The paragraph holding a raw block's placeholder (convert) as the paragraph processor
    makes it, but taken first and with its text atomic: no other processor tries it and no
    inline pattern reads it. None of them would take a line of letters and digits other than
    as a paragraph; in a tight list, where a paragraph is no <p>, it is left to them. On a page
    of ten raw blocks, their reading the placeholders was a fifth of its conversion (0.66 to
    0.52 ms a page: 2.4 s of CPU of a full build at 10,000 articles)."""

    ONLY = re.compile(f"{_TOKEN}[0-9]+{_TOKEN}\\Z")

    def test(self, parent: Any, block: str) -> bool:
        return self.ONLY.match(block) is not None and not self.parser.state.isstate("list")

    def run(self, parent: Any, blocks: list[str]) -> None:
        paragraph = parent.makeelement("p", {})
        parent.append(paragraph)
        paragraph.text = AtomicString(blocks.pop(0))


def page_markdown(
    extensions: list[Any], configs: dict[str, Any], title_of: TitleOf | None = None
) -> markdown.Markdown:
    """The Markdown instance pages are converted with: the site's extensions, and ours."""
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    md.parser.blockprocessors.register(_RawBlockSlot(md.parser), "archive_raw_block", 1000)
    if title_of is not None:
        md.treeprocessors.register(_FirstTitle(md, title_of), "archive_first_title", priority=1)
    return md


def _titled(md: markdown.Markdown, text: str) -> tuple[Converted, str | None]:
    """convert_page, and the title of the page's generated part (its first conversion)."""
    found = md.treeprocessors["archive_first_title"] if "archive_first_title" in md.treeprocessors else None
    if isinstance(found, _FirstTitle):
        found.titles.clear()
    page = convert_page(md, text)
    return page, (found.titles[0] if isinstance(found, _FirstTitle) and found.titles else None)


def convert_page(md: markdown.Markdown, text: str) -> Converted:
    """A generated page's HTML. An article's body is converted on its own, cleaned
    (sanitize.clean_html), given its links (render.body.link_marks) and put in its slot; its
    headings join the table of contents where the body stands, their ids prefixed as the
    cleaner prefixes every id from content."""
    generated, links, body = split_article(text)
    html = convert(md, without_front_matter(generated))
    toc = _flat(getattr(md, "toc_tokens", []))
    if body is None:
        return Converted(html, nest_toc_tokens(toc))
    body_html = link_marks(clean_html(md.reset().convert(body)), links)
    # A heading whose id the cleaner drops (not one word) is left out of the contents too.
    body_toc = [
        {
            **token,
            "id": content,
            "name": strip_marks(token["name"]),
            "html": strip_marks(token.get("html", token["name"])),
            "children": [],
        }
        for token in _flat(getattr(md, "toc_tokens", []))
        if (content := content_id(token["id"])) is not None
    ]
    slot = html.find(SLOT)
    html = html[:slot] + body_html + html[slot + len(SLOT) :]
    before = [token for token in toc if 0 <= html.find(f'id="{token["id"]}"') < slot]
    after = toc[len(before) :]
    return Converted(html, nest_toc_tokens([*before, *body_toc, *after]))


_ROOT_LINK = re.compile(r'\b(href|src)="/(?!/)')
_ROOT_BASE = re.compile(r'"base":\s*"/"')


def root_relative_links(html: str) -> str:
    """A page at the site's root with its root-absolute links ("/assets/x.css") made relative
    ("assets/x.css"), Material's base address included."""
    return _ROOT_BASE.sub('"base": "."', _ROOT_LINK.sub(r'\1="', html))


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.DOTALL)


def without_front_matter(text: str) -> str:
    """A generated page's Markdown without its YAML front matter (MkDocs has read it for the
    page's title and options; as text it would print as a rule and a paragraph)."""
    return _FRONT_MATTER.sub("", text, count=1)


def _flat(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nested toc tokens in document order, without their children."""
    out = []
    for token in tokens:
        out.append({**token, "children": []})
        out += _flat(token.get("children", []))
    return out


def _convert(item: tuple[str, str]) -> tuple[str, Converted]:
    path, text = item
    page, title = _titled(_SETUP["md"], text)
    return path, Converted(rewrite_links(path, page.html, _SETUP["directory_urls"]), page.toc, title)


def _init(
    extensions: list[Any], configs: dict[str, Any], directory_urls: bool, title_of: TitleOf | None = None
) -> None:
    _SETUP["md"] = page_markdown(extensions, configs, title_of)
    _SETUP["directory_urls"] = directory_urls


class Converter:
    """Converts one page at a time, as `to_html` does, with one Markdown instance made on first
    use in the process that uses it (a forked worker inherits it, unused or not)."""

    def __init__(
        self,
        extensions: list[Any],
        configs: dict[str, Any],
        directory_urls: bool,
        title_of: TitleOf | None = None,
    ) -> None:
        self.extensions, self.configs, self.directory_urls = extensions, configs, directory_urls
        self.title_of = title_of
        self._md: markdown.Markdown | None = None

    def __call__(self, path: str, text: str) -> Converted:
        if self._md is None:
            self._md = page_markdown(self.extensions, self.configs, self.title_of)
        page, title = _titled(self._md, text)
        return Converted(rewrite_links(path, page.html, self.directory_urls), page.toc, title)


def to_html(
    pages: Mapping[str, str],
    which: Iterable[str],
    extensions: list[Any],
    extension_configs: dict[str, Any],
    directory_urls: bool,
    workers: int | None = None,
    title_of: TitleOf | None = None,
) -> dict[str, Converted]:
    """HTML and contents for the pages named in `which`, converted in up to `workers` processes."""
    items = [(path, pages[path]) for path in sorted(which)]
    workers = workers or min(2, os.cpu_count() or 1)
    if len(items) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        _init(extensions, extension_configs, directory_urls, title_of)
        return dict(map(_convert, items))
    # fork: the workers inherit the extension objects (some hold functions that do not pickle).
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, _init, (extensions, extension_configs, directory_urls, title_of)) as pool:
        return dict(pool.imap_unordered(_convert, items, chunksize=64))
