"""Raw HTML in article bodies: a safe subset of tags is kept, everything else is removed.

The Markdown text is left as written. Only HTML tags go through nh3, plus the Markdown that
puts an address or an attribute into the page: link destinations, reference definitions and
attribute lists (`{: onclick=… }`). Code that holds any of these becomes the HTML element
Markdown would make of it, with its text escaped, so no reading of the body can make it live.
"""
from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
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
    "code": frozenset({"class"}),  # language-xyz only, as fenced code blocks have
    "ol": frozenset({"start"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed together with what they contain (other tags lose the tag and keep the text).
_DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "object", "noscript", "template", "textarea", "title", "xmp",
    "noembed", "noframes", "svg", "math", "select", "applet", "frameset",
})
# What a Markdown attribute list may set; anything else (onclick, style, href, src, …) goes.
_SAFE_ATTR_LIST_KEYS = frozenset({"id", "class", "title", "lang", "dir", "alt", "width", "height",
                                  "colspan", "rowspan", "scope"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
_MAX_PASSES = 5
_MAX_TAG = 20_000  # characters; a longer "tag" is not one: its '<' is escaped
# An HTML parser's work and output can grow with the square of the nesting (open elements are
# searched, formatting elements re-opened in every paragraph). No article needs more than
# this; a body beyond it has all its tags shown as text instead.
_MAX_TAGS = 20_000
_MAX_DEPTH = 64
_MAX_BRACES_PER_LINE = 200


class _TooComplex(Exception):
    """The body's HTML is beyond what an article needs; its tags are shown as text."""


def sanitize_html(markdown_body: str) -> str:
    """The body with every raw HTML tag outside the safe subset removed, unsafe attributes and
    addresses dropped, and the Markdown text itself unchanged.

    Cleaning can join the text around a removed tag into a new tag (`<<x>script>`), so it is
    repeated until nothing changes; should that not happen, every tag is made plain text.
    """
    # Markdown itself deletes these two (it marks its placeholders with them): a body must not
    # be able to forge one.
    text = markdown_body.replace("\x02", "").replace("\x03", "")
    if "<" not in text and "](" not in text and "]:" not in text and "{" not in text:
        return text
    try:
        for _ in range(_MAX_PASSES):
            cleaned = _clean_tags(_neutralise_markdown(_inert_code(text)))
            if cleaned == text:
                return cleaned
            text = cleaned
    except _TooComplex:
        pass
    return _TAG_START.sub("&lt;", text)


# --- code --------------------------------------------------------------------------------

# Python-Markdown's own pattern (markdown.extensions.fenced_code), so that a block is a fence
# exactly when Markdown takes it for one.
_FENCED_BLOCK = re.compile(r"""
    (?P<fence>^(?:~{3,}|`{3,}))[ ]*
    ((\{(?P<attrs>[^\n]*)\})|
    (\.?(?P<lang>[\w#.+-]*)[ ]*)?
    (hl_lines=(?P<quot>"|')(?P<hl_lines>.*?)(?P=quot)[ ]*)?)
    \n
    (?P<code>.*?)(?<=\n)
    (?P=fence)[ ]*$
""", re.MULTILINE | re.DOTALL | re.VERBOSE)
_HL_LINES = re.compile(r"hl_lines=(\"|').*?\1")
_FENCE_LINE = re.compile(r"^(`{3,}|~{3,})([ ]*$)?", re.M)
_BACKTICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Code whose text holds something Markdown or a browser could make live, were the code not
# read as code: a tag, a link target, a reference definition or an attribute list.
_RISKY = re.compile(r"<[A-Za-z/!?]|\]\(|\]:|\{")
_CODE_ESCAPES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "&#92;", "`": "&#96;", "*": "&#42;",
    "_": "&#95;", "[": "&#91;", "]": "&#93;", "{": "&#123;", "}": "&#125;", "|": "&#124;",
})


@dataclass(frozen=True)
class _Fence:
    start: int
    end: int
    lang: str | None
    code: str


def _inert_code(text: str) -> str:
    """Fenced blocks and code spans whose text is risky become <pre><code> and <code>
    elements with that text escaped: shown the same, but HTML that nothing can reinterpret."""
    if "`" not in text and "~~~" not in text:
        return text
    fences = _fences(text)
    edits = [(f.start, f.end, _pre_element(f)) for f in fences if _RISKY.search(f.code)]
    barriers = [f.start for f in fences]
    for start, end in _code_spans(text, fences, barriers):
        if _RISKY.search(text, start, end):
            edits.append((start, end, _code_element(text[start:end])))
    return _apply(text, edits)


def _fences(text: str) -> list[_Fence]:
    """Fenced code blocks as Python-Markdown finds them, in order."""
    openers = list(_FENCE_LINE.finditer(text))
    closers: dict[str, list[int]] = {}
    for m in openers:
        if m.group(2) is not None:
            closers.setdefault(m[1], []).append(m.start())
    found: list[_Fence] = []
    done = 0
    for opener in openers:
        start = opener.start()
        runs = closers.get(opener[1], [])
        if start < done or bisect.bisect_right(runs, start) >= len(runs):
            continue  # inside a block already found, or no line could close it
        newline = text.find("\n", start)
        line = text[start:newline] if newline != -1 else text[start:]
        if "hl_lines=" in line and not _HL_LINES.search(line):
            continue  # a quote that closes on a later line, if ever: not worth the search
        block = _FENCED_BLOCK.match(text, start)
        if block is None:
            continue
        lang = block["lang"] or None
        if block["attrs"] is not None:
            tokens, remainder = _scan_attributes(block["attrs"])
            if remainder:
                continue  # Markdown does not take it for a fence either
            classes = [t[1:] for t, _, _ in tokens if t.startswith(".")]
            lang = classes[0] if classes else None
        found.append(_Fence(start, block.end(), lang, block["code"]))
        done = block.end()
    return found


def _code_spans(text: str, fences: list[_Fence], barriers: list[int]) -> Iterator[tuple[int, int]]:
    """Code spans outside fenced blocks: a run of backticks closes at the next run of the same
    length in the same paragraph, as Markdown pairs them."""
    runs: dict[int, list[int]] = {}
    for m in _BACKTICKS.finditer(text):
        runs.setdefault(m.end() - m.start(), []).append(m.start())
    stops = sorted([m.start() for m in _BLANK_LINE.finditer(text)] + barriers)
    fence_starts = [f.start for f in fences]
    pos = 0
    for m in _BACKTICKS.finditer(text):
        start, length = m.start(), m.end() - m.start()
        f = bisect.bisect_right(fence_starts, start) - 1
        if start < pos or (f >= 0 and start < fences[f].end):
            continue
        if start > 0 and text[start - 1] == "\\":
            continue
        same = runs[length]
        k = bisect.bisect_right(same, start)
        if k >= len(same):
            continue
        close = same[k]
        s = bisect.bisect_right(stops, start)
        if (s < len(stops) and stops[s] < close) or close == start + length:
            continue
        pos = close + length
        yield start, pos


def _code_element(span: str) -> str:
    ticks = len(span) - len(span.lstrip("`"))
    content = span[ticks:-ticks].strip().replace("\n", " ")
    return f"<code>{content.translate(_CODE_ESCAPES)}</code>"


def _pre_element(fence: _Fence) -> str:
    lang = f' class="language-{html.escape(fence.lang)}"' if fence.lang else ""
    return f"<pre><code{lang}>{fence.code.translate(_CODE_ESCAPES)}</code></pre>"


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Replace non-overlapping spans (the first of two overlapping ones wins)."""
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


# --- Markdown that becomes attributes ----------------------------------------------------

_REFERENCE = re.compile(r"^[ ]{0,3}\[(?!\^)[^\[\]]*\]:[ ]*\n?[ ]*(\S+)", re.M)
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_INNER_LINK = re.compile(r"!?\[([^\[\]]*)\](?:\([^()]*\)|\[[^\[\]]*\])?")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200d\u2060\ufeff`]+")
# Python-Markdown's attribute-list scanner (markdown.extensions.attr_list), token by token.
_ATTR_TOKEN = re.compile(r"""([^ =}]+)=".*?"|([^ =}]+)='.*?'|([^ =}]+)=[^ =}]+|[^ =}]+| """)
_INVALID_NAME = re.compile(r"[^A-Za-z_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d"
                           r"\u037f-\u1fff\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff"
                           r"\uf900-\ufdcf\ufdf0-\ufffd:\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]+")


def _neutralise_markdown(text: str) -> str:
    """Link targets other than http(s), mailto and relative addresses become '#'; attribute
    list entries that set anything but an id, a class or a few harmless attributes go."""
    edits: list[tuple[int, int, str]] = []
    if "](" in text:
        start = text.find("](")
        while start != -1:
            span = _destination_span(text, start + 2)
            if span and _unsafe_url(text[span[0]:span[1]]):
                edits.append((span[0], span[1], "#"))
            start = text.find("](", start + 2)
    if "]:" in text:
        for m in _REFERENCE.finditer(text):
            if _unsafe_url(m[1]):
                edits.append((m.start(1), m.end(1), "#"))
    if "{" in text:
        edits += _attribute_list_edits(text)
    return _apply(text, edits)


def _destination_span(text: str, start: int) -> tuple[int, int] | None:
    """Where the target of an inline link lies, `start` being just after '](': up to the
    closing ')' (nested parentheses allowed), a title's quote, or a blank line."""
    i = start
    n = len(text)
    while i < n and text[i] in " \t\n":
        i += 1
    begin = i
    if i < n and text[i] == "<":
        close = text.find(">", i, i + _MAX_TAG)
        blank = text.find("\n\n", i, i + _MAX_TAG)
        if close != -1 and (blank == -1 or close < blank):
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
        elif char in "\"'" or (char == "\n" and text.startswith("\n", i + 1)):
            break
        i += 1
    return (begin, i) if i > begin else None


def _unsafe_url(raw: str) -> bool:
    """Whether a browser could read a scheme other than http, https or mailto in `raw`
    (entities decoded; spaces, control characters, backticks and a leading '<' removed), also
    once Markdown has put the text of links and code spans inside it in their place."""
    value = html.unescape(raw)
    for _ in range(_MAX_PASSES):
        inner = _INNER_LINK.sub(r"\1", value)
        if inner == value:
            break
        value = inner
    for candidate in (html.unescape(raw), value.replace("\\", "")):
        m = _SCHEME.match(_INVISIBLE.sub("", candidate).lstrip("<").lower())
        if m is not None and m[1] not in URL_SCHEMES:
            return True
    return False


def _scan_attributes(attrs: str) -> tuple[list[tuple[str, int, int]], str]:
    """Python-Markdown's reading of an attribute list: its tokens (text, start, end) and
    what is left over from the first '}' on, which makes the list invalid."""
    tokens = []
    pos = 0
    while pos < len(attrs):
        m = _ATTR_TOKEN.match(attrs, pos)
        if m is None or m.end() == pos:
            break
        if m[0] != " ":
            tokens.append((m[0], m.start(), m.end()))
        pos = m.end()
    rest = attrs[pos:]
    brace = rest.find("}")
    return tokens, rest[brace:] if brace != -1 else ""


def _attribute_list_edits(text: str) -> list[tuple[int, int, str]]:
    """Every '{' with a '}' after it on its line may open an attribute list running to the
    line's last '}'; whichever it is, entries setting other attributes are removed, and a list
    with a bare word in it loses its '{', so that it is shown as text."""
    edits: list[tuple[int, int, str]] = []
    line_start = 0
    for line in text.split("\n"):
        last = line.rfind("}")
        first = line.find("{")
        if last != -1 and first != -1 and first < last:
            braces = [i for i in range(first, last) if line[i] == "{"]
            if len(braces) > _MAX_BRACES_PER_LINE:
                edits += [(line_start + i, line_start + i + 1, "&#123;") for i in braces]
            else:
                for brace in braces:
                    begin = brace + 1
                    if line.startswith(":", begin):
                        begin += 1
                    while line.startswith(" ", begin):
                        begin += 1
                    tokens, _ = _scan_attributes(line[begin:last])
                    if any(_bare_word(token) for token, _, _ in tokens):
                        # a valueless attribute (`hidden`, `inert`): the list stays as text
                        edits.append((line_start + brace, line_start + brace + 1, "&#123;"))
                        continue
                    edits += [(line_start + begin + s, line_start + begin + e, "")
                              for token, s, e in tokens if not _safe_attr_token(token)]
        line_start += len(line) + 1
    return edits


def _bare_word(token: str) -> bool:
    """A token Markdown makes a valueless attribute of: neither '.class', '#id' nor 'key=…'."""
    return "=" not in token and not token.startswith((".", "#"))


def _safe_attr_token(token: str) -> bool:
    if "=" not in token:
        return True  # '.class' or '#id'
    key = _INVALID_NAME.sub("_", token.split("=", 1)[0]).lower()
    return key in _SAFE_ATTR_LIST_KEYS


# --- tags --------------------------------------------------------------------------------

_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_TAG_NAME = re.compile(r"</?([A-Za-z][^\s/><]*)")
# A Markdown autolink or e-mail link: kept as written when no HTML element is open, where
# Markdown makes a link of it. A path segment that would read as an event handler or a style,
# were a browser to parse the thing as a tag, disqualifies it.
_AUTOLINK = re.compile(r"<(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp])://[^\s<>\"'`]*>")
_AUTOMAIL = re.compile(r"<[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}>")
_HANDLER_IN_URL = re.compile(r"/(?:on[^/\s=>]*|style|is)=", re.I)
_UNQUOTED = re.compile(r"[^<>=]*")
_SPACES = re.compile(r"[ \t\n\r\f]*")
_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9#.+_-]+")

Segment = tuple[bool, str]  # (is a tag, its text)


def _clean_tags(text: str) -> str:
    """nh3 over the tags only: the text between them stands in as letters it leaves alone."""
    if "<" not in text:
        return text
    segments = _segments(text)
    if not any(is_tag for is_tag, _ in segments):
        return "".join(value for _, value in segments)
    marker = "zqxsanitizeqz"
    while marker in text:
        marker += "q"
    chunk = [value if is_tag or not value.strip(" \t\n\r\f") else f"{marker}{i}{marker}"
             for i, (is_tag, value) in enumerate(segments)]
    fragment = "".join(chunk)
    cleaned = nh3.clean(
        fragment,
        tags=set(SAFE_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in SAFE_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel="noopener noreferrer",
    )
    if len(cleaned) > 2 * len(fragment) + 10_000:
        raise _TooComplex  # formatting elements re-opened over and over
    return re.sub(f"{marker}([0-9]+){marker}", lambda m: segments[int(m[1])][1], cleaned)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        # an image only from a web address: never data:, nor a file of the site itself
        return value if value.strip().lower().startswith(("http://", "https://")) else None
    if attribute == "class":
        return value if _LANGUAGE_CLASS.fullmatch(value) else None
    return value


@dataclass
class _Finder:
    """str.find that remembers its last answer per needle, so that thousands of unclosed
    '<!--' or quotes are still read in linear time."""

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
    """The body cut into text and raw HTML (tags, comments, declarations, processing
    instructions). A '<' that opens nothing complete becomes '&lt;'."""
    finder = _Finder(text)
    segments: list[Segment] = []
    open_tags: list[str] = []
    pos = text_from = tags = 0
    while (i := text.find("<", pos)) != -1:
        if not open_tags:
            auto = _AUTOLINK.match(text, i) or _AUTOMAIL.match(text, i)
            if auto and not _HANDLER_IN_URL.search(auto[0]):
                pos = auto.end()  # stays in the text
                continue
        if not _TAG_START.match(text, i):
            pos = i + 1  # '< b', '<3': text
            continue
        if i > text_from:
            segments.append((False, text[text_from:i]))
        end = _markup_end(text, i, finder)
        if end is None:
            segments.append((False, "&lt;"))
            pos = text_from = i + 1
            continue
        tag = text[i:end]
        tags += 1
        if tags > _MAX_TAGS:
            raise _TooComplex
        if _track(open_tags, tag):
            segments.append((True, tag))
        pos = text_from = end
    if text_from < len(text):
        segments.append((False, text[text_from:]))
    return segments


def _markup_end(text: str, i: int, finder: _Finder) -> int | None:
    """The end of the tag, comment, declaration or processing instruction at `i`, or None."""
    if text.startswith("<!--", i):
        close = finder.find("-->", i + 4)
        return close + 3 if close != -1 else None
    if text.startswith("<![CDATA[", i):
        close = finder.find("]]>", i + 9)
        return close + 3 if close != -1 else None
    if text.startswith("<?", i):
        close = finder.find("?>", i + 2)
        if close != -1:
            return close + 2
    if text.startswith(("<!", "<?"), i):
        close = finder.find(">", i + 2)
        return close + 1 if close != -1 else None
    if not _TAG_NAME.match(text, i):
        return None
    return _tag_end(text, i, finder)


def _tag_end(text: str, i: int, finder: _Finder) -> int | None:
    """As a browser reads a tag: quotes open only after '=', and '>' ends it outside quotes.
    A '<' outside quotes means it is no tag we can delimit."""
    j = i + 1
    n = len(text)
    while j < n and j - i <= _MAX_TAG:
        j = _UNQUOTED.match(text, j).end()  # type: ignore[union-attr]
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
    """Keep the stack of open elements (inside one, Markdown may copy text as raw HTML);
    False for a start tag nested deeper than _MAX_DEPTH, which is dropped."""
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
