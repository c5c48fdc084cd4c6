"""Cleaning an article body's HTML, after Python-Markdown has rendered it: one allow-list of
tags, attributes, classes and address schemes, applied by nh3 to the HTML as a browser reads it.

Cleaning the rendered HTML rather than the Markdown source means that no reading of the body
(raw HTML, attribute lists, link syntax, admonitions, footnotes) can put anything past the
list, whatever the renderer's syntax. Everything from content is namespaced: an id gets the
prefix `user-content-` (and a same-page link `#x` follows it), and only presentational classes
the theme styles are kept, so no element of an article can be taken for one of the theme's or
the site scripts' (`#__config`, `.md-…`, `.ra-…`).
"""

from __future__ import annotations

import re

import nh3

__all__ = [
    "ID_PREFIX",
    "SAFE_ATTRIBUTES",
    "SAFE_CLASSES",
    "SAFE_TAGS",
    "URL_SCHEMES",
    "clean_html",
    "content_id",
]

ID_PREFIX = "user-content-"

SAFE_TAGS = frozenset(
    {
        "p",
        "a",
        "em",
        "strong",
        "b",
        "i",
        "ul",
        "ol",
        "li",
        "blockquote",
        "q",
        "cite",
        "code",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "figure",
        "figcaption",
        "img",
        "br",
        "hr",
        "sup",
        "sub",
        "abbr",
        "span",
        "div",
        "dl",
        "dt",
        "dd",
    }
)
SAFE_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"lang", "dir", "title", "id", "class"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start"}),
    "td": frozenset({"colspan", "rowspan", "style"}),  # style: text-align only (tables)
    "th": frozenset({"colspan", "rowspan", "scope", "style"}),
}
# Classes the renderer itself writes and the theme styles: admonitions (`!!! note`), footnotes
# and the headings' permalinks. Any other class from content is dropped; `language-…` is kept
# on `code` (a fenced block's language).
ADMONITION_TYPES = frozenset(
    {
        "note",
        "abstract",
        "summary",
        "tldr",
        "info",
        "todo",
        "tip",
        "hint",
        "important",
        "success",
        "check",
        "done",
        "question",
        "help",
        "faq",
        "warning",
        "caution",
        "attention",
        "failure",
        "fail",
        "missing",
        "danger",
        "error",
        "bug",
        "example",
        "quote",
        "cite",
    }
)
SAFE_CLASSES = (
    frozenset(
        {"admonition", "admonition-title", "footnote", "footnote-ref", "footnote-backref", "headerlink"}
    )
    | ADMONITION_TYPES
)
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed together with what they contain (other tags lose the tag and keep the text).
DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "noscript",
        "template",
        "textarea",
        "title",
        "xmp",
        "noembed",
        "noframes",
        "svg",
        "math",
        "select",
        "applet",
        "frameset",
    }
)

_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9#.+_-]{1,40}")
_TEXT_ALIGN = re.compile(r"text-align: ?(left|right|center);?")
# Letters, digits and - _ . : only: an id goes into the theme's CSS selectors ('[id="…"]'), where a
# quote or a control character makes the page's script fail.
_ID = re.compile(r"[\w.:-]{1,200}")


def content_id(value: str) -> str | None:
    """An id from content as the page carries it: prefixed, or None when it is not one word of
    letters, digits and - _ . :."""
    if not _ID.fullmatch(value):
        return None
    return value if value.startswith(ID_PREFIX) else ID_PREFIX + value


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return content_id(value)
    if attribute == "class":
        kept = [
            name
            for name in value.split()
            if name in SAFE_CLASSES or (tag == "code" and _LANGUAGE_CLASS.fullmatch(name))
        ]
        return " ".join(dict.fromkeys(kept)) or None
    if attribute == "href" and value.startswith("#"):
        # A same-page link follows the ids, which all carry the prefix (footnotes, permalinks).
        target = content_id(value[1:]) if value[1:] else ""
        return None if target is None else f"#{target}"
    if tag == "img" and attribute == "src":
        # An image only from a web address: never data:, nor a file of the site itself.
        return value if value.strip().lower().startswith(("http://", "https://")) else None
    if attribute == "style":
        match = _TEXT_ALIGN.fullmatch(value.strip())
        return f"text-align: {match[1]}" if match else None
    return value


def clean_html(html: str) -> str:
    """Rendered body HTML with everything outside the allow-list removed (see the module)."""
    # Markdown marks its placeholders with these two; the renderer leaves none in its output.
    if "\x02" in html or "\x03" in html:
        html = html.replace("\x02", "").replace("\x03", "")
    return nh3.clean(
        html,
        tags=set(SAFE_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in SAFE_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel="noopener noreferrer",
    )
