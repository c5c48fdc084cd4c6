"""Raw HTML in article bodies: a safe subset of tags is kept, everything else is removed.

The Markdown text is left as written. Only HTML tags go through nh3, plus the three Markdown
constructs that put an address or an attribute into the page: link destinations, reference
definitions and attribute lists (`{: onclick=… }`).
"""
from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field

import nh3

__all__ = ["SAFE_ATTRIBUTES", "SAFE_TAGS", "URL_SCHEMES", "sanitize_html"]

SAFE_TAGS = frozenset({
    "p", "a", "em", "strong", "b", "i", "ul", "ol", "li", "blockquote", "q", "cite", "code", "pre",
    "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "figure", "figcaption", "img", "br", "hr", "sup", "sub", "abbr", "span", "div",
})
SAFE_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"lang", "dir", "title"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed together with what they contain (the rest lose the tag and keep the text).
_DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "object", "noscript", "template", "textarea", "title", "xmp",
    "noembed", "noframes", "svg", "math", "select", "applet", "frameset",
})
# Keys an attribute list may set; others (onclick, style, href, src, …) are dropped.
_SAFE_ATTR_LIST_KEYS = frozenset({"id", "class", "title", "lang", "dir", "alt", "width", "height",
                                  "colspan", "rowspan", "scope"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
_MAX_PASSES = 5
_MAX_TAG = 20_000  # characters; a longer "tag" is treated as text with its '<' escaped
# An HTML parser's work and output can grow with the square of the nesting (open elements are
# searched, formatting elements re-opened in every paragraph). No article needs more than
# this; a body beyond it has all its tags shown as text instead.
_MAX_TAGS = 20_000
_MAX_DEPTH = 64


class _TooComplex(Exception):
    """The body's HTML is beyond what an article needs; its tags are shown as text."""


def sanitize_html(markdown_body: str) -> str:
    """The body with every raw HTML tag outside the safe subset removed, unsafe attributes and
    addresses dropped, and the Markdown text itself unchanged.

    Cleaning can join the text around a removed tag into a new tag (`<<x>script>`), so it is
    repeated until nothing changes; should that not happen, every tag is made plain text.
    """
    text = markdown_body
    if "<" not in text and "](" not in text and "]:" not in text and "{" not in text:
        return text
    try:
        for _ in range(_MAX_PASSES):
            cleaned = _clean_once(text)
            if cleaned == text:
                return cleaned
            text = cleaned
    except _TooComplex:
        pass
    return _TAG_START.sub("&lt;", text)


def _clean_once(text: str) -> str:
    text = _neutralise_markdown(text)
    if "<" not in text:
        return text
    segments = _segments(text)
    if not any(kind == "tag" for kind, _ in segments):
        return "".join(value for _, value in segments)
    marker = _marker(text)
    chunk = []
    for i, (kind, value) in enumerate(segments):
        if kind == "tag" or not value.strip(" \t\n\r\f"):
            chunk.append(value)
        else:
            chunk.append(f"{marker}{i}{marker}")
    fragment = "".join(chunk)
    cleaned = _clean_fragment(fragment)
    if len(cleaned) > 2 * len(fragment) + 10_000:
        raise _TooComplex  # formatting elements re-opened over and over
    return re.sub(f"{marker}([0-9]+){marker}", lambda m: segments[int(m[1])][1], cleaned)


def _clean_fragment(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=set(SAFE_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in SAFE_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not value.strip().lower().startswith(("http://",
                                                                                   "https://")):
        return None  # an image only from a web address, never data: or a file of the site
    return value


def _marker(text: str) -> str:
    """Letters only, so nh3 passes it through as text; absent from the body."""
    marker = "zqxsanitizeqz"
    while marker in text:
        marker += "q"
    return marker


# --- Markdown that becomes attributes ----------------------------------------------------

_INLINE_DESTINATION = re.compile(r"\]\(")
_REFERENCE = re.compile(r"^[ ]{0,3}\[(?!\^)[^\[\]]*\]:[ ]*\n?[ ]*(\S+)", re.M)
_ATTR_LIST = re.compile(r"\{([^{}\n]*)\}")
_ATTR_TOKEN = re.compile(r"""[^ =}]+="[^"]*"|[^ =}]+='[^']*'|[^ =}]+=[^ =}]*|[^ =}]+| +""")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200d\u2060\ufeff]+")


def _neutralise_markdown(text: str) -> str:
    """Link targets other than http(s), mailto and relative addresses become '#'; attribute
    list entries that set anything but an id, a class, a title or a few harmless attributes
    are dropped."""
    edits: list[tuple[int, int, str]] = []
    if "](" in text:
        for m in _INLINE_DESTINATION.finditer(text):
            span = _destination_span(text, m.end())
            if span and _unsafe_url(text[span[0]:span[1]]):
                edits.append((span[0], span[1], "#"))
    if "]:" in text:
        for m in _REFERENCE.finditer(text):
            if _unsafe_url(m[1]):
                edits.append((m.start(1), m.end(1), "#"))
    if "{" in text:
        for m in _ATTR_LIST.finditer(text):
            kept = "".join(t for t in _ATTR_TOKEN.findall(m[1]) if _safe_attr_token(t))
            if kept != m[1]:
                edits.append((m.start(1), m.end(1), kept))
    if not edits:
        return text
    out, pos = [], 0
    for start, end, replacement in sorted(edits):
        if start < pos:
            continue
        out += [text[pos:start], replacement]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _destination_span(text: str, start: int) -> tuple[int, int] | None:
    """Where the destination of an inline link starting at `start` (after '](') lies: up to
    the closing ')' (nested parentheses allowed), a title's quote, or a blank line."""
    i = start
    n = len(text)
    while i < n and text[i] in " \t\n":
        i += 1
    begin = i
    if i < n and text[i] == "<":
        close = text.find(">", i)
        newline = text.find("\n\n", i)
        if close != -1 and (newline == -1 or close < newline):
            return begin, close + 1
    depth = 0
    while i < n and i - begin < _MAX_TAG:
        char = text[i]
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        elif char in "\"'":
            break
        elif char == "\n" and text.startswith("\n", i + 1):
            break
        i += 1
    return (begin, i) if i > begin else None


def _unsafe_url(raw: str) -> bool:
    """Whether a browser could read a scheme other than http, https or mailto in `raw`
    (entities decoded, invisible characters and angle brackets removed, as browsers do)."""
    value = _INVISIBLE.sub("", html.unescape(raw)).lstrip("<").lower()
    m = _SCHEME.match(value)
    return m is not None and m[1] not in URL_SCHEMES


def _safe_attr_token(token: str) -> bool:
    if "=" not in token:
        return True  # '.class', '#id', a bare word (it sets a harmless attribute) or spaces
    key = token.split("=", 1)[0].strip(" \t:").lower()
    return key in _SAFE_ATTR_LIST_KEYS


# --- finding the tags ---------------------------------------------------------------------

_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_INTERESTING = re.compile(r"[<`]")
_BACKTICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_TAG_NAME = re.compile(r"</?([A-Za-z][^\s/><]*)")
# A Markdown autolink or e-mail link; kept as written when no HTML element is open, where
# Markdown turns it into a link. A path segment that would read as an event handler or a
# style attribute, were a browser to parse it as a tag, disqualifies it.
_AUTOLINK = re.compile(r"<(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp])://[^\s<>\"'`]*>")
_AUTOMAIL = re.compile(r"<[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}>")
_HANDLER_IN_URL = re.compile(r"/(?:on[^/\s=>]*|style|is)=", re.I)
_MARKDOWN_IN_CODE = str.maketrans({
    "\\": "&#92;", "`": "&#96;", "*": "&#42;", "_": "&#95;", "[": "&#91;", "]": "&#93;",
    "{": "&#123;", "}": "&#125;", "|": "&#124;", "\n": " ",
})

Segment = tuple[str, str]  # kind ("text", "keep" or "tag"), the text it stands for


@dataclass
class _Finder:
    """str.find that remembers its answers, so a body with thousands of unclosed '<!--' or
    quotes is still read in linear time."""

    text: str
    cache: dict[str, tuple[int, int]] = field(default_factory=dict)

    def find(self, needle: str, start: int) -> int:
        cached = self.cache.get(needle)
        if cached is not None:
            searched_from, found = cached
            if searched_from <= start and (found == -1 or found >= start):
                return found
        found = self.text.find(needle, start)
        self.cache[needle] = (start, found)
        return found


def _segments(text: str) -> list[Segment]:
    """The body cut into text, raw HTML tags (and comments, declarations, processing
    instructions) and spans kept as they are (code spans, autolinks)."""
    finder = _Finder(text)
    code = _CodeSpans(text)
    segments: list[Segment] = []
    open_tags: list[str] = []
    pos = text_from = tags = 0
    n = len(text)

    def flush(upto: int) -> None:
        if upto > text_from:
            segments.append(("text", text[text_from:upto]))

    while True:
        m = _INTERESTING.search(text, pos)
        if m is None:
            break
        i = m.start()
        if text[i] == "`":
            run_end = _BACKTICKS.match(text, i)
            assert run_end is not None
            close = code.closing(i, run_end.end() - i)
            if close is None:
                pos = run_end.end()
                continue
            flush(i)
            segments.append(("keep", _code_span(text[i:close], run_end.end() - i)))
            pos = text_from = close
            continue
        if not open_tags:
            auto = _AUTOLINK.match(text, i) or _AUTOMAIL.match(text, i)
            if auto and not _HANDLER_IN_URL.search(auto[0]):
                flush(i)
                segments.append(("keep", auto[0]))
                pos = text_from = auto.end()
                continue
        end = _markup_end(text, i, finder)
        if end is None:
            if _TAG_START.match(text, i):
                flush(i)
                segments.append(("text", "&lt;"))  # a '<' that opens no complete tag
                pos = text_from = i + 1
            else:
                pos = i + 1  # '< b', '<3': text
            continue
        flush(i)
        tag = text[i:end]
        tags += 1
        if tags > _MAX_TAGS:
            raise _TooComplex
        if _track(open_tags, tag):
            segments.append(("tag", tag))
        pos = text_from = end
        if pos >= n:
            break
    flush(n)
    return segments


def _markup_end(text: str, i: int, finder: _Finder) -> int | None:
    """The end of the tag, comment, declaration or processing instruction at `i`, or None."""
    if text.startswith("<!--", i):
        close = finder.find("-->", i + 4)
        return close + 3 if close != -1 else None
    if text.startswith("<![CDATA[", i):
        close = finder.find("]]>", i + 9)
        return close + 3 if close != -1 else None
    if text.startswith("<!", i) or text.startswith("<?", i):
        if text.startswith("<?", i):
            close = finder.find("?>", i + 2)
            if close != -1:
                return close + 2
        close = finder.find(">", i + 2)
        return close + 1 if close != -1 else None
    if not _TAG_NAME.match(text, i):
        return None
    return _tag_end(text, i, finder)


_UNQUOTED = re.compile(r"[^<>=]*")
_SPACES = re.compile(r"[ \t\n\r\f]*")


def _tag_end(text: str, i: int, finder: _Finder) -> int | None:
    """As a browser reads a tag: quotes open only after '=', '>' ends it outside quotes. A '<'
    outside quotes means this is not a tag we can delimit: the caller escapes its '<'."""
    j = i + 1
    n = len(text)
    while j < n and j - i <= _MAX_TAG:
        m = _UNQUOTED.match(text, j)
        assert m is not None
        j = m.end()
        if j >= n:
            return None
        char = text[j]
        if char == ">":
            return j + 1
        if char == "<":
            return None
        j = _SPACES.match(text, j + 1).end()  # type: ignore[union-attr]
        if j < n and text[j] in "\"'":
            close = finder.find(text[j], j + 1)
            if close == -1:
                return None
            j = close + 1
    return None


def _track(open_tags: list[str], tag: str) -> bool:
    """Keep the stack of open elements (inside one, Markdown may copy text as raw HTML); False
    for a start tag nested deeper than _MAX_DEPTH, which is dropped."""
    m = _TAG_NAME.match(tag)
    if m is None:
        return True  # a comment, declaration or processing instruction
    name = m[1].lower()
    if tag.startswith("</"):
        if name in open_tags:
            del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name)]
    elif name not in _VOID:
        if len(open_tags) >= _MAX_DEPTH:
            return False
        open_tags.append(name)
    return True


class _CodeSpans:
    """Pairs backtick runs as Markdown does: a run closes at the next run of the same length
    in the same paragraph."""

    def __init__(self, text: str) -> None:
        self.runs: dict[int, list[int]] = {}
        for m in _BACKTICKS.finditer(text):
            self.runs.setdefault(m.end() - m.start(), []).append(m.start())
        self.blank_lines = [m.start() for m in _BLANK_LINE.finditer(text)]
        self.text = text

    def closing(self, start: int, length: int) -> int | None:
        """The end of the code span opening at `start`, or None when the run opens none."""
        if start > 0 and self.text[start - 1] == "\\":
            return None
        runs = self.runs.get(length, [])
        k = bisect.bisect_right(runs, start + length)
        if k >= len(runs):
            return None
        close = runs[k]
        b = bisect.bisect_right(self.blank_lines, start)
        if b < len(self.blank_lines) and self.blank_lines[b] < close:
            return None
        if close == start + length:
            return None  # empty code span: Markdown needs at least one character
        return close + length


def _code_span(span: str, ticks: int) -> str:
    """A code span as written; one whose text holds something a browser could read as a tag
    becomes the same <code> element Markdown makes of it, so it cannot turn into HTML
    whatever Markdown makes of the text around it."""
    content = span[ticks:-ticks]
    if not _TAG_START.search(content):
        return span
    escaped = html.escape(content.strip(), quote=False)
    return f"<code>{escaped.translate(_MARKDOWN_IN_CODE)}</code>"

