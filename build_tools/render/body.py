"""An article page's text as the render stage hands it to publishing: the generated Markdown,
with a slot where the body goes, then the links to insert into the body, then the body as
written, with each place a link may go marked.

The body is converted and cleaned on its own (publish.convert_page), so nothing from it can
reach the generated part of the page, and the links are put into the cleaned HTML's text only:
never into an attribute, a code span, a link or a character reference, whatever the Markdown.

Marks are Unicode noncharacters (U+FDD0-U+FDEF), which Markdown and the HTML cleaner copy like
letters; any a body holds itself are removed first, so a body cannot forge one.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SLOT = "<!--ra:body-->"  # in the generated part, where the body's HTML goes
_PART = f"\n{SLOT}\n"
_OPEN, _END_OPEN, _CLOSE = "\ufdd0", "\ufdd1", "\ufdd2"
_DIGITS = "".join(chr(0xFDE0 + n) for n in range(16))
_NONCHARACTERS = dict.fromkeys(range(0xFDD0, 0xFDF0))
_MARKED = re.compile(f"{_OPEN}([{_DIGITS}]+){_END_OPEN}([^{_OPEN}{_CLOSE}]*){_CLOSE}")
# A tag of the cleaned HTML: nh3 writes every attribute value in double quotes.
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>"]|"[^"]*")*>')
# Inside these a link must not go: a link in a link, or in code.
_NO_LINKS = frozenset({"a", "code", "pre"})

# Places in the Markdown where a link is not even marked: code, links and their addresses,
# HTML tags (over several lines too), the line of a link definition, character references (a
# mark inside one would break it) and bare addresses. The cleaned HTML's text is the guard
# (link_marks); this is a first cut.
# The lookahead first passes over a place none of them can start at (half the time of a search).
_LINKS_CODE_TAGS = (
    r"```.*?```|~~~.*?~~~|(`+)(?:(?!\n[ \t]*\n).)+?\1|!?\[[^\[\]\n]*\]\([^)\n]*\)"
    r"|!?\[[^\[\]\n]*\]\[[^\]\n]*\]|<[A-Za-z/!?][^>]*>"
)
_REFERENCES_ADDRESSES = r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});|https?://\S+"
_PROTECTED = re.compile(
    rf"(?:(?=[`~!\[<&h])|^)(?:{_LINKS_CODE_TAGS}|^[ ]{{0,3}}\[[^\]\n]+\]:[^\n]*|{_REFERENCES_ADDRESSES})",
    re.S | re.M,
)
# The same without link definitions ("[1]: https://...", which start a line, maybe after
# spaces), for a text with no "]:": the search then tries no line start, in half the time.
_PROTECTED_NO_DEFINITIONS = re.compile(
    rf"(?=[`~!\[<&h])(?:{_LINKS_CODE_TAGS}|{_REFERENCES_ADDRESSES})", re.S | re.M
)


def _protected_ranges(body: str) -> list[tuple[int, int]]:
    pattern = _PROTECTED if "]:" in body else _PROTECTED_NO_DEFINITIONS
    return [m.span() for m in pattern.finditer(body)]


def _outside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether start..end touches none of the sorted, disjoint `ranges`."""
    i = bisect.bisect_right(ranges, (start, float("inf"))) - 1
    if i >= 0 and ranges[i][1] > start:
        return False
    return i + 1 >= len(ranges) or ranges[i + 1][0] >= end


@dataclass(frozen=True)
class BodyLink:
    """A link to put around one marked stretch of the body: `start_tag` is the generated <a>;
    with a `key`, only the first stretch of that key that lands in text is linked."""

    start_tag: str
    key: str | None = None


Span = tuple[int, int, BodyLink]


def article_text(generated: str, body: str, spans: Iterable[Span]) -> str:
    """The page text: `generated` (holding SLOT once), the links, and the marked body."""
    if generated.count(SLOT) != 1:
        raise ValueError("the generated part of an article page must hold the body slot once")
    body = body.translate(_NONCHARACTERS)
    blocked = _protected_ranges(body)
    links: list[BodyLink] = []
    out, pos = [], 0
    for start, end, link in sorted(spans, key=lambda span: (span[0], span[1])):
        if start < pos or end <= start or not _outside(blocked, start, end):
            continue  # overlapping spans: the first wins
        out += [body[pos:start], _OPEN, _number(len(links)), _END_OPEN, body[start:end], _CLOSE]
        links.append(link)
        pos = end
    out.append(body[pos:])
    table = json.dumps([[link.start_tag, link.key] for link in links], ensure_ascii=False)
    return f"{generated}{_PART}{table}{_PART}{''.join(out)}"


def split_article(text: str) -> tuple[str, Sequence[BodyLink], str | None]:
    """(generated part, links, marked body) of a page; (text, (), None) for other pages."""
    parts = text.split(_PART, 3)
    if len(parts) != 4:
        return text, (), None
    before, after, table, body = parts
    links = [BodyLink(tag, key) for tag, key in json.loads(table)]
    return f"{before}\n{SLOT}\n{after}", links, body


def link_marks(html: str, links: Sequence[BodyLink]) -> str:
    """The cleaned body HTML with each marked stretch that lies in text (outside links and
    code) made a link, the first of each key only; every other mark removed."""
    if _OPEN not in html:
        return html.translate(_NONCHARACTERS)
    used: set[str] = set()
    closed_to: dict[str, int] = {}
    out: list[str] = []
    pos = 0

    def text(segment: str) -> str:
        if _OPEN not in segment or any(closed_to.values()):
            return segment.translate(_NONCHARACTERS)

        def link(match: re.Match[str]) -> str:
            number = sum((ord(c) - 0xFDE0) << (4 * i) for i, c in enumerate(reversed(match[1])))
            inner = match[2]
            if number >= len(links):
                return inner
            found = links[number]
            if found.key is not None:
                if found.key in used:
                    return inner
                used.add(found.key)
            return f"{found.start_tag}{inner}</a>"

        return _MARKED.sub(link, segment).translate(_NONCHARACTERS)

    for tag in _TAG.finditer(html):
        out.append(text(html[pos : tag.start()]))
        name = tag[2].lower()
        if name in _NO_LINKS:
            closed_to[name] = max(0, closed_to.get(name, 0) + (-1 if tag[1] else 1))
        out.append(tag[0].translate(_NONCHARACTERS))
        pos = tag.end()
    out.append(text(html[pos:]))
    return "".join(out)


def strip_marks(text: str) -> str:
    return text.translate(_NONCHARACTERS)


def _number(n: int) -> str:
    return "".join(_DIGITS[int(d, 16)] for d in f"{n:x}")
