"""Small pieces every page uses: page paths, relative links, escaping, snippets, pagination.

All text from the archive passes through `text()` before it reaches Markdown, `esc()` before
it reaches a raw HTML block, or `attr()` before it reaches an attribute, so a title can never
become HTML or a link.

Lists, chips, panels and charts are raw HTML blocks (`html_block`): a generated page holds
hundreds of links, and HTML that no Markdown engine needs to parse keeps the page cheap to
convert (publish.to_html passes these blocks through untouched). The rest is Markdown.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TypeVar

from ..days import MONTHS, long_date  # noqa: F401  (the page modules take long_date from here)
from ..folding import page_slug
from ..model import Article, Entity
from ..settings import Settings

PAGE_SIZE = 100

T = TypeVar("T")

# --- paths -----------------------------------------------------------------------------------

# The pages after the first of a long list are `<first page without .md>/page-<n>.md`. That
# folder holds nothing else but for dates, where a month's folder also holds its days
# (`dates/2022/03/10.md`) and a year's its months (`dates/2022/03.md`): numbers alone, which
# the word keeps apart from a month's tenth page (`dates/2022/03/page-10.md`).
PAGE_PREFIX = "page-"


def _paged(base: str, page: int) -> str:
    return f"{base}.md" if page == 1 else f"{base}/{PAGE_PREFIX}{page}.md"


# Article slugs and entity ids name files: the check lets only these through, and a page path
# must never climb out of its folder whatever reaches the render stage.
_SAFE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@lru_cache(maxsize=65536)
def _file_name(name: str) -> str:
    if not _SAFE_NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a page name (lower-case words joined by hyphens)")
    return name


def article_page(article: Article) -> str:
    return f"articles/{article.date.year:04d}/{article.date.month:02d}/{_file_name(article.slug)}.md"


def entity_page(entity_id: str, page: int = 1) -> str:
    return _paged(f"entities/{_file_name(entity_id)}", page)


def quote_page(entity_id: str, page: int = 1) -> str:
    """A person's quotations (render/quotes.py)."""
    return _paged(f"quotes/{_file_name(entity_id)}", page)


def day_page(day: dt.date, page: int = 1) -> str:
    return _paged(f"dates/{day.year:04d}/{day.month:02d}/{day.day:02d}", page)


def month_page(year: int, month: int, page: int = 1) -> str:
    return _paged(f"dates/{year:04d}/{month:02d}", page)


def year_page(year: int, page: int = 1) -> str:
    return _paged(f"dates/{year:04d}", page)


def term_page(folder: str, term: str, page: int = 1) -> str:
    """The page of one term of a grouping (a source, a tag, a region…) in its folder."""
    return _paged(f"{folder}/{page_slug(term)}", page)


def source_page(source: str, page: int = 1) -> str:
    return term_page("sources", source, page)


def tag_page(tag: str, page: int = 1) -> str:
    return term_page("tags", tag, page)


# --- source and tag names ----------------------------------------------------------------------


def add_pages(pages: dict[str, str], more: dict[str, str]) -> None:
    """`more` into `pages`. Two pages at one path are a bug, never a page silently lost."""
    clash = pages.keys() & more.keys()
    if clash:
        raise ValueError(f"two pages at {min(clash)}")
    pages.update(more)


def rel(from_page: str, to_page: str) -> str:
    """A Markdown link target from one generated page to another (MkDocs resolves .md links).

    Page paths are normalised and relative ('a/b.md'), so plain string arithmetic is exact;
    this runs for every link of every page, where posixpath.relpath would dominate the build.
    """
    return _rel(from_page.rpartition("/")[0], to_page)


@lru_cache(maxsize=65536)
def _rel(from_dir: str, to_page: str) -> str:
    here = from_dir.split("/") if from_dir else []
    there = to_page.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])


# --- text ------------------------------------------------------------------------------------

# Inside a line, only these start Markdown syntax: emphasis, code, links (a '(' only follows a
# ']'), attribute lists and table cells. Escaping fewer characters keeps pages cheap to parse.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|])")


def text(value: str) -> str:
    """Archive text made inert for Markdown: HTML escaped, Markdown syntax backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(" ".join(value.split()), quote=False))


def esc(value: str) -> str:
    """Archive text made inert inside a raw HTML block (which no engine reads as Markdown)."""
    return html.escape(" ".join(value.split()), quote=False)


# Python-Markdown reads code spans, backslash escapes, links and footnotes before it takes an
# inline tag for HTML, and it reads them inside the tag's attributes too: `[x](y)` in a title
# would become a link whose quotes end the attribute. As character references they are inert.
_MARKDOWN_IN_ATTRIBUTE = str.maketrans({char: f"&#{ord(char)};" for char in "\\`*_{}[]|"})


_HAS_MARKDOWN_IN_ATTRIBUTE = re.compile(r"[\\`*_{}\[\]|]")


def attr(value: str) -> str:
    """Archive text made inert inside a quoted attribute, also of a tag within Markdown."""
    escaped = html.escape(" ".join(value.split()), quote=True)
    # Most values (page addresses, dates) hold none of them: a search is cheaper than translate.
    if _HAS_MARKDOWN_IN_ATTRIBUTE.search(escaped):
        return escaped.translate(_MARKDOWN_IN_ATTRIBUTE)
    return escaped


def link(label: str, target: str, *classes: str, title: str | None = None) -> str:
    """A link to another page's .md file, as inline HTML with an escaped label.

    Inline <a> tags rather than Markdown link syntax: a generated page holds hundreds of links
    and Python-Markdown's link parser is most of the cost of converting it. publish.to_html
    turns the .md targets into the site's URLs, whichever engine publishes the pages.
    """
    return anchor(text(label), target, *classes, title=title)


def hlink(label: str, target: str, *classes: str, title: str | None = None) -> str:
    """`link` for a raw HTML block: the label is HTML-escaped only."""
    return anchor(esc(label), target, *classes, title=title)


def anchor(inner: str, target: str, *classes: str, title: str | None = None, **extra: str) -> str:
    """An inline <a> around Markdown `inner` (already made safe by the caller)."""
    cls = f' class="{" ".join(classes)}"' if classes else ""
    tip = f' title="{attr(title)}"' if title else ""
    more = "".join(f' {key.replace("_", "-")}="{attr(value)}"' for key, value in extra.items())
    return f'<a href="{attr(target)}"{cls}{tip}{more}>{inner}</a>'


def short_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


# --- snippets --------------------------------------------------------------------------------

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"(^|\s)#{1,6}\s|[*_]{1,3}|<[^>]{0,200}>|\]\([^)]*\)?|[\[\]]")


# A character every match of _LINK or _MARKUP holds, or a reference starts with. A snippet's
# text rarely has one (3% of them at 10,000 articles): without, only its spaces change.
_MARKUP_CHAR = re.compile(r"[#*_<\[\]&]")


def _plain(fragment: str) -> str:
    if _MARKUP_CHAR.search(fragment) is None:
        return " ".join(fragment.split())
    plain = _MARKUP.sub(r"\1", _LINK.sub(r"\1", fragment))
    # The body's character references (the sanitiser writes some) are the characters they name.
    return " ".join((html.unescape(plain) if "&" in plain else plain).split())


def snippet(body: str, start: int, end: int, width: int = 90) -> str:
    """Keyword in context: about `width` characters either side, cut at words, hit marked."""
    lo = max(0, start - width)
    hi = min(len(body), end + width)
    if lo > 0:
        space = body.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < len(body):
        space = body.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    left, hit, right = _plain(body[lo:start]), _plain(body[start:end]), _plain(body[end:hi])
    before = ("… " if lo > 0 else "") + esc(left)
    after = esc(right) + (" …" if hi < len(body) else "")
    gap_before = " " if start > lo and body[start - 1].isspace() else ""
    gap_after = " " if end < hi and body[end].isspace() else ""
    return (
        f'<span class="ra-snippet">{before}{gap_before}<mark class="ra-hit">{esc(hit)}</mark>'
        f"{gap_after}{after}</span>"
    )


# --- lists and pages -------------------------------------------------------------------------


def html_block(classes: str, lines: Iterable[str], **attributes: str) -> str:
    """A raw HTML block: `<div class=…>`, its lines, `</div>`, each on a line of its own.

    Its content is HTML (escape archive text with `esc`), never Markdown, and it holds no blank
    line and no other <div>, so every Markdown engine takes it as one block and publish.to_html
    can recognise it.
    """
    more = "".join(f' {key.replace("_", "-")}="{attr(value)}"' for key, value in attributes.items())
    inner = "\n".join(line for line in lines if line.strip())
    return f'<div class="{classes}"{more}>\n{inner}\n</div>\n'


def definitions(classes: str, rows: Iterable[tuple[str, str]]) -> str:
    """A panel of label/value rows (<dl>); values are HTML."""
    return html_block(
        classes, ["<dl>", *(f"<dt>{esc(label)}</dt><dd>{value}</dd>" for label, value in rows), "</dl>"]
    )


def pages_of(items: Sequence[T], size: int | None = None) -> list[Sequence[T]]:
    """`items` in pages of `size` (PAGE_SIZE, read when called), at least one page."""
    size = size or PAGE_SIZE
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def pager(here: str, number: int, total: int, path_of: Callable[[int], str]) -> str:
    if total <= 1:
        return ""
    parts = []
    if number > 1:
        parts.append(hlink("← Previous", rel(here, path_of(number - 1))))
    parts.append(f"page {number} of {total}")
    if number < total:
        parts.append(hlink("Next →", rel(here, path_of(number + 1))))
    return html_block("ra-pager", ["<p>" + " · ".join(parts) + "</p>"])


def article_line(here: str, article: Article, extra: str = "") -> str:
    """One entry of an article list (<li>): date · title · source, then an optional snippet.

    The hlinks to the article's day, page and source, built from parts kept per article and
    addresses kept per folder: 230,000 lines at 10,000 articles, a third of them the same
    article's again."""
    date, day, title, page, source, source_at = _line_parts(
        article.date, article.title, article.source, article_page(article)
    )
    where = here.rpartition("/")[0]
    line = (
        f'<li><a href="{_href(where, day)}">{date}</a> · <a href="{_href(where, page)}">{title}</a> · '
        f'<a href="{_href(where, source_at)}">{source}</a>'
    )
    return line + (f"<br>\n{extra}</li>" if extra else "</li>")


@lru_cache(maxsize=32768)
def _line_parts(date: dt.date, title: str, source: str, page: str) -> tuple[str, str, str, str, str, str]:
    """An article_line's labels (escaped) and the pages it links to, for one article."""
    return esc(short_date(date)), day_page(date), esc(title), page, esc(source), source_page(source)


# A relative address of generated pages, which attr leaves as it is: most of them.
_PLAIN_ADDRESS = re.compile(r"[a-z0-9./-]*")


def _href(from_dir: str, to_page: str) -> str:
    """An hlink's href from a page in `from_dir` to `to_page`."""
    target = _rel(from_dir, to_page)
    return target if _PLAIN_ADDRESS.fullmatch(target) else attr(target)


def article_list(lines: Iterable[str], classes: str = "ra-list") -> str:
    """A list of `article_line` entries as a raw HTML block."""
    return html_block(classes, ["<ul>", *lines, "</ul>"])


SEARCH_PAGE = "search.md"


def search_target(here: str, params: Iterable[tuple[str, str]]) -> str:
    """The search page's address from `here` with `params` as its query ("entity", "source",
    "tag", a grouping's key, "from", "to"): the search page reads them on opening."""
    query = urllib.parse.urlencode(list(params), quote_via=urllib.parse.quote)
    return rel(here, SEARCH_PAGE) + (f"?{query}" if query else "")


def search_within(here: str, params: Iterable[tuple[str, str]], count: int) -> str:
    """A line linking to the search for the articles a listing page shows, to search their
    text or narrow them further."""
    label = "Search within this article" if count == 1 else f"Search within these {count:,} articles"
    return link(label, search_target(here, params), "ra-search-within") + "\n"


def period_params(first: dt.date, last: dt.date) -> list[tuple[str, str]]:
    """The search page's `from` and `to` for a period, as short as they can be written: a
    whole month as YYYY-MM, a whole year as YYYY."""
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return [("from", str(first.year)), ("to", str(first.year))]
    next_day = last + dt.timedelta(days=1)
    if first.day == 1 and next_day.day == 1 and (first.year, first.month) == (last.year, last.month):
        month = f"{first.year}-{first.month:02d}"
        return [("from", month), ("to", month)]
    return [("from", first.isoformat()), ("to", last.isoformat())]


def chip(
    here: str, entity: Entity, settings: Settings, target: str | None = None, title: str | None = None
) -> str:
    """A link to an entity's page (or to `target`, saying where in `title`), coloured and
    labelled by its kind (kinds_css)."""
    return hlink(
        entity.name,
        target or rel(here, entity_page(entity.id)),
        "ra-chip",
        f"ra-chip--{entity.type}",
        title=title or f"{settings.kind(entity.type).singular_word}: {entity.description}",
    )


def chips(here: str, entities: Iterable[Entity], settings: Settings) -> str:
    return " ".join(chip(here, e, settings) for e in entities)


# --- front matter --------------------------------------------------------------------------

# YAML reads a JSON string as a double-quoted scalar, but refuses some characters even escaped
# by JSON's rules when they stand raw (C1 controls, DEL, U+FFFE/FFFF): those are written as
# \u escapes, which both read alike. Astral characters stay raw (YAML would read a surrogate
# pair of escapes as two lone surrogates).
_YAML_RAW = re.compile(r"[\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


def _yaml_value(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return _YAML_RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def front_matter(**fields: object) -> str:
    """YAML front matter, which the publish stage hands to the page's template (page.meta):
    each value written as JSON on one line, so no text from the archive can end it or add a
    key. Fields that are None or empty are left out."""
    lines = [f"{key}: {_yaml_value(value)}" for key, value in fields.items() if value]
    return "---\n" + "\n".join(lines) + "\n---\n\n" if lines else ""
