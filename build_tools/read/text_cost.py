"""What converting a whole article text would cost, measured in one pass: its blocks and markup,
how far the HTML parser and the attribute-list, footnote and abbreviation extensions would read,
how deep blocks and `markdown` HTML elements nest."""

from __future__ import annotations

import bisect
import itertools
import re
from array import array
from collections import Counter

from .markdown_cost import (
    MARKUP_CHARS,
    MAX_ABBREVIATION_WORK,
    MAX_BRACE_READ,
    MAX_COPY_WORK,
    MAX_NESTING,
    MAX_TAG_READ,
    line_breaks,
    rule_marks,
)

_LIST_MARKER = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)])(?=[ \t])")


_THEMATIC_BREAK = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")


_BLANK_RUN = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")


_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)([^<>]*)>")


_VOID_TAGS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)


_TAG_START = re.compile(r"<(?:[A-Za-z/?]|!(?!--))")


_VALUE_QUOTE = re.compile(r"""=\s*(["'])""")


# What makes Python-Markdown copy the rest of the text: an end tag, a comment, declaration or
# instruction, and a tag that starts a line (maybe after three spaces). The last is searched
# from the newline before it: a search for '^' tries every place of the text (0.07 s for the
# bundled archive against 0.002 s). No match of one kind can hold a match of another.
_COPY_TRIGGER = re.compile(r"</[A-Za-z]|<[!?]")
_LINE_START_TAG = re.compile(r"\n[ ]{0,3}<[A-Za-z]")
_FIRST_LINE_TAG = re.compile(r"[ ]{0,3}<[A-Za-z]")


_BRACE = re.compile(r" \{")


_FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\n]*)\](?!:)")


_WORD = re.compile(r"\w+")


def nesting_depth(line: str) -> int:
    """How many blockquotes and list items a line opens: '>' and list markers, and four
    columns of indentation each (a level of an indented list)."""
    if _THEMATIC_BREAK.match(line):  # '* * * *' is a horizontal rule, not nested lists
        return 0
    depth = pos = 0
    while pos < len(line):
        columns = 0
        while pos < len(line) and line[pos] in " \t":
            columns += 4 if line[pos] == "\t" else 1
            pos += 1
        depth += columns // 4
        if line.startswith(">", pos):
            depth, pos = depth + 1, pos + 1
            continue
        marker = _LIST_MARKER.match(line, pos)
        if not marker:
            break
        depth, pos = depth + 1, marker.end()
    return depth


def html_nesting(text: str) -> tuple[int, int]:
    """(how deep elements with a markdown attribute nest, where that depth is first passed
    the limit or reached): md_in_html parses each one's content inside the last, recursing."""
    if "markdown" not in text.lower():
        return 0, 0
    stack: list[tuple[str, bool]] = []
    open_names: Counter[str] = Counter()
    depth = deepest = at = 0
    for match in _HTML_TAG.finditer(text):
        closing, name, attributes = match[1], match[2].lower(), match[3]
        if closing:
            if open_names[name]:  # close it and whatever was left open inside it
                while stack:
                    top, marked = stack.pop()
                    open_names[top] -= 1
                    depth -= marked
                    if top == name:
                        break
        elif name not in _VOID_TAGS and not attributes.endswith("/"):
            marked = "markdown" in attributes.lower()
            stack.append((name, marked))
            open_names[name] += 1
            depth += marked
            if depth > deepest:
                deepest, at = depth, match.start()
                if deepest > MAX_NESTING:
                    break
    return deepest, at


def element_count(body: str, abbreviations: list[str] | None = None) -> tuple[int, int]:
    """(lines, but only one of the blank lines between two paragraphs, none at either end;
    characters that may start markup, '|' (table cells), line breaks and uses of abbreviations,
    not counting the characters of horizontal rules)."""
    core = body.strip()
    if not core:
        return 0, 0
    blank_runs = _BLANK_RUN.subn("", core)[1]
    lines = core.count("\n") + 1 - blank_runs
    marks = sum(core.count(char) for char in MARKUP_CHARS + "|") + line_breaks(core)
    marks -= rule_marks(core)
    if abbreviations and abbreviation_work(core, abbreviations)[2] <= MAX_ABBREVIATION_WORK:
        marks += len(_abbreviation_pattern(abbreviations).findall(core))
    return lines, marks


def tag_read(text: str) -> tuple[int, int, int, int]:
    """(how many '<' may start an HTML tag, declaration or instruction, how many are not ended,
    how many characters Python's HTML parser reads from each to its end, where the longest
    read starts).

    A tag ends at the first '>' that may not be inside a quoted attribute value: a '"' or '''
    after '=' starts one, the next of the same quote ends it. A '<' with no end reads to the
    end of the text."""
    if _TAG_START.subn("", text)[1] * len(text) <= MAX_TAG_READ:
        return 0, 0, 0, 0
    ends = _Ends(text)
    count = unclosed = read = longest = worst = 0
    for match in _TAG_START.finditer(text):
        begin = match.start()
        kind = text[begin + 1]
        if kind.isalpha():
            end = ends.tag(begin)
        elif kind == "?":
            end = ends.after("?>", begin)
        elif text.startswith("<![CDATA[", begin):
            end = ends.after("]]>", begin)
        else:
            end = ends.after(">", begin)
        count += 1
        if end < 0:
            unclosed += 1
            end = len(text)
        read += end - begin
        if end - begin > longest:
            longest, worst = end - begin, begin
    return count, unclosed, read, worst


class _Ends:
    """Where the next '>', '?>', ']]>' or end of a tag is, for offsets asked for in increasing
    order: each search starts past where the last one stopped, so all of them read the text once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: dict[str, tuple[int, int]] = {}  # what -> (searched from, found at or -1)
        self.quoted = _VALUE_QUOTE.search(text) is not None
        self.quotes: list[tuple[array[int], set[int]]] = []
        self.resolved: dict[int, int] = {}

    def after(self, what: str, offset: int) -> int:
        searched, at = self.found.get(what, (len(self.text) + 1, -1))
        if searched <= offset and (at < 0 or at >= offset):
            return at
        at = self.text.find(what, offset)
        self.found[what] = (offset, at)
        return at

    def tag(self, offset: int) -> int:
        gt = self.after(">", offset)
        return self._unquoted(gt) if gt >= 0 and self.quoted else gt

    def _unquoted(self, gt: int) -> int:
        """The first '>' from `gt` on that no quoted value may hold."""
        if not self.quotes:
            self.quotes = [
                (
                    array("q", (m.start() for m in re.finditer(q, self.text))),
                    {m.start(1) for m in _VALUE_QUOTE.finditer(self.text) if m[1] == q},
                )
                for q in "\"'"
            ]
        seen = []
        while gt >= 0 and gt not in self.resolved:
            seen.append(gt)
            close = -1
            for positions, openers in self.quotes:
                i = bisect.bisect_left(positions, gt) - 1
                if i >= 0 and positions[i] in openers and i + 1 < len(positions):
                    close = max(close, positions[i + 1])
            if close < 0:
                break
            gt = self.text.find(">", close + 1)
        end = self.resolved.get(gt, gt)
        for passed in seen:
            self.resolved[passed] = end
        return end


def copy_work(text: str) -> tuple[int, int, int]:
    """(how many HTML end tags, comments, declarations, instructions and tags that start a line
    there are, how many characters Python-Markdown copies for them (the rest of the text for
    each), where the first is)."""
    if "<" not in text:
        return 0, 0, 0
    at_start = _FIRST_LINE_TAG.match(text) is not None
    count = _COPY_TRIGGER.subn("", text)[1] + _LINE_START_TAG.subn("", text)[1] + at_start
    if count * len(text) <= MAX_COPY_WORK:
        return count, 0, 0
    starts = [
        (match.start() for match in _COPY_TRIGGER.finditer(text)),
        (match.start() + 1 for match in _LINE_START_TAG.finditer(text)),
        [0] if at_start else [],
    ]
    work, first = 0, len(text)
    for start in itertools.chain.from_iterable(starts):
        work += len(text) - start
        first = min(first, start)
    return count, work, first


def brace_read(text: str) -> tuple[int, int, int]:
    """(how many ' {' there are, how many characters attr_list reads from each to the end of its
    line, where the line with the longest reads starts)."""
    count = text.count(" {")
    if count * len(text) <= MAX_BRACE_READ:
        return count, 0, 0
    read = line_end = line_read = longest = worst = 0
    line_start = -1
    for match in _BRACE.finditer(text):
        begin = match.start()
        if begin > line_end or line_start < 0:
            line_start = text.rfind("\n", 0, begin) + 1
            line_end = text.find("\n", begin)
            line_end = len(text) if line_end < 0 else line_end
            line_read = 0
        line_read += line_end - begin
        read += line_end - begin
        if line_read > longest:
            longest, worst = line_read, line_start
    return count, read, worst


def footnote_references(text: str) -> tuple[str, int, int]:
    """(the footnote referred to most often, how often, where it is first referred to)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for match in _FOOTNOTE_REFERENCE.finditer(text):
        counts[match[1]] += 1
        first.setdefault(match[1], match.start())
    if not counts:
        return "", 0, 0
    label, count = counts.most_common(1)[0]
    return label, count, first[label]


def abbreviation_work(text: str, abbreviations: list[str]) -> tuple[int, int, int]:
    """(words, characters of all abbreviations, the two multiplied: how many characters abbr
    may compare, trying each abbreviation at the start and end of each word)."""
    letters = sum(map(len, set(abbreviations)))
    words = _WORD.subn("", text)[1]
    return words, letters, 2 * words * letters


def _abbreviation_pattern(abbreviations: list[str]) -> re.Pattern[str]:
    ordered = sorted(set(abbreviations), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, ordered)) + r")\b")
