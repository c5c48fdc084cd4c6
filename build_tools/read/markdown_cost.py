"""What converting a paragraph of Markdown would cost, measured in one pass: how far
Python-Markdown would read from each bracket, link, run of backticks or piece of markup, how deep
emphasis and links nest; and the limits every measure is held to (limits.py makes problems)."""

from __future__ import annotations

import bisect
import re
from array import array
from functools import cached_property

MAX_NESTING = 100


MAX_BRACKET_READ = 1_000_000


# Python-Markdown copies the rest of a paragraph each time it finds markup in it, so the work
# grows with (characters that may start markup) x (the paragraph's length).
MAX_MARKUP_WORK = 2_000_000_000


MARKUP_CHARS = "<&*_`[!\\"


# Each block and each piece of markup costs Python-Markdown some tens of microseconds, and
# it keeps blocks and elements in lists it takes from the front (the time grows as their
# square): at 50,000 a text converts in a few seconds.
MAX_ELEMENTS = 50_000


# A heading, rule or definition line with no blank line before it makes Python-Markdown test
# the rest of its paragraph again with every kind of block.
MAX_SPLIT_WORK = 20_000_000


# Python's HTML parser reads from each '<' that may start a tag to its '>' with a slow regular
# expression, again for each '<' when there is none.
MAX_TAG_READ = 5_000_000


# Python-Markdown copies the rest of the text for each HTML end tag, comment, declaration or
# tag that starts a line.
MAX_COPY_WORK = 5_000_000_000


# attr_list reads from each ' {' in a heading, term or table cell to the end of its line.
MAX_BRACE_READ = 100_000_000


# The footnotes extension goes through every earlier reference to a footnote for each one.
MAX_FOOTNOTE_REFERENCES = 20


# abbr looks for every abbreviation at every word of the text.
MAX_ABBREVIATION_WORK = 500_000_000


_THEMATIC_LINE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE)


_BRACKET = re.compile(r"\[|\](\()?")


_QUOTE = re.compile(r"[\"']")


_BACKTICKS = re.compile(r"`+")


_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()>#+\-.!]")  # the characters Python-Markdown escapes


_PAREN = re.compile(r"[()]")


_TITLE_END = re.compile(r"""(["'])[ ]*\)""")  # a link's ')' right after a quoted title


_DELIMITER = re.compile(r"\*+|_+|[\[\]]")


def line_breaks(text: str) -> int:
    """How many line breaks (two spaces or more, then a newline) `text` holds: one per newline
    after two spaces, which str.count finds in one pass (two of them cannot overlap)."""
    return text.count("  \n")


# --- paragraphs ----------------------------------------------------------------------------


class Paragraph:
    """One paragraph (or the whole text). `masked` has code spans and escaped characters blanked
    out, as Python-Markdown hides them from its later patterns."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _code(self) -> tuple[list[tuple[int, int]], int, int]:
        return code_spans(self.text) if "`" in self.text else ([], 0, 0)

    @property
    def tick_read(self) -> int:
        return self._code[1]

    @property
    def runs(self) -> int:
        return self._code[2]

    @cached_property
    def brackets(self) -> tuple[int, int, int, list[int]]:
        return _brackets(self.masked)

    @cached_property
    def masked(self) -> str:
        masked = self.text
        if self._code[0]:
            parts, pos = [], 0
            for begin, end in self._code[0]:
                parts += [masked[pos:begin], "\0" * (end - begin)]
                pos = end
            masked = "".join(parts) + masked[pos:]
        if "\\" in masked:
            masked = _ESCAPE.sub("\0\0", masked)
        return masked


def _brackets(masked: str) -> tuple[int, int, int, list[int]]:
    """(how many '[' there are, how many are not closed, how many characters Markdown reads
    from every '[' to its ']' or, when none closes it, to the end of the paragraph, and where
    the links' '(' are: right after a ']' that closes a '['). Escaped brackets and brackets in
    code do not count."""
    opened: list[int] = []
    links: list[int] = []
    brackets = read = 0
    for match in _BRACKET.finditer(masked):
        if match[0] == "[":
            brackets += 1
            opened.append(match.start())
        elif opened:
            read += match.start() - opened.pop()
            if match[1]:
                links.append(match.end() - 1)
    read += sum(len(masked) - at for at in opened)
    return brackets, len(opened), read, links


def paren_read(masked: str, links: list[int]) -> tuple[int, int, int]:
    """(how many links '[…](' there are, how many of their '(' are not closed, how many
    characters Python-Markdown reads from each '(' to where it stops looking for the ')').

    It counts '(' and ')' (so that an address may hold brackets), and after a quote takes only
    a ')' right after a closing quote (the end of a title), else reads to the end."""
    if not links:
        return 0, 0, 0
    starts = set(links)
    closes: dict[int, int] = {}
    parens: list[int] = []
    for match in _PAREN.finditer(masked, links[0]) if masked.find(")", links[0]) >= 0 else ():
        if match[0] == "(":
            parens.append(match.start())
        elif parens:
            begin = parens.pop()
            if begin in starts:
                closes[begin] = match.start()
    quotes = array("q", (m.start() for m in _QUOTE.finditer(masked)))
    title_ends = {q: [(m.start(), m.end()) for m in _TITLE_END.finditer(masked) if m[1] == q] for q in "\"'"}
    read = 0
    for begin in links:
        end = closes.get(begin, len(masked))
        i = bisect.bisect_right(quotes, begin) if quotes else 0
        if i < len(quotes) and quotes[i] < end:
            # In a title: only a ')' right after the closing quote ends the link.
            first = quotes[i]
            ends = title_ends[masked[first]]
            k = bisect.bisect_right(ends, (first, len(masked)))
            end = ends[k][1] if k < len(ends) else len(masked)
        read += end - begin
    return len(links), len(links) - len(closes), read


def code_spans(text: str) -> tuple[list[tuple[int, int]], int, int]:
    """(the code spans, how many characters Python-Markdown reads to find them, how many runs of
    '`' start a search). A run of n '`' opens code closed by the next run of exactly n; with
    none, Python-Markdown reads to the end of the paragraph, then closes it at the longest
    shorter run, if any."""
    runs = [
        (m.start(), m.end())
        for m in _BACKTICKS.finditer(text)
        if not (m.start() and text[m.start() - 1] == "\\")
    ]
    by_length: dict[int, list[int]] = {}
    for i, (begin, end) in enumerate(runs):
        by_length.setdefault(end - begin, []).append(i)
    # longest[i]: the first of the longest runs from i on
    longest = [0] * (len(runs) + 1)
    longest[len(runs)] = -1
    for i in range(len(runs) - 1, -1, -1):
        later = longest[i + 1]
        longest[i] = i if later < 0 or runs[i][1] - runs[i][0] >= runs[later][1] - runs[later][0] else later
    spans, read, searches, i = [], 0, 0, 0
    while i < len(runs):
        begin, end = runs[i]
        searches += 1
        same = by_length[end - begin]
        k = bisect.bisect_right(same, i)
        if k < len(same):
            close = same[k]
            read += runs[close][1] - end
        else:
            read += len(text) - end
            close = longest[i + 1]
            if close < 0 or runs[close][1] - runs[close][0] >= end - begin:
                i += 1
                continue
        spans.append((begin, runs[close][1]))
        i = close + 1
    return spans, read, searches


def markup_work(paragraph: str) -> tuple[int, int]:
    """(characters that may start markup, and line breaks, those times the paragraph's length).
    A horizontal rule ('* * *', '-----') is read as a whole, so its characters do not count."""
    marks = sum(paragraph.count(char) for char in MARKUP_CHARS) + line_breaks(paragraph)
    if marks * len(paragraph) > MAX_MARKUP_WORK:
        marks -= rule_marks(paragraph)
    return marks, marks * len(paragraph)


def rule_marks(text: str) -> int:
    if text.count("*") < 3 and text.count("_") < 3:
        return 0  # a rule takes three of one
    return sum(m[0].count("*") + m[0].count("_") for m in _THEMATIC_LINE.finditer(text))


def inline_nesting(masked: str) -> tuple[int, int]:
    """(how deep emphasis and links nest, where that depth is first passed the limit or reached).

    Runs of '*' and '_' open and close emphasis as Python-Markdown pairs them (a run after a
    space opens, one before a space closes, one between letters may do either), each character
    a level; '[' and ']' open and close links. Only what is closed counts: an opener left
    unclosed nests nothing."""
    stacks: dict[str, list[int]] = {"*": [], "_": [], "[": []}
    left: list[int] = []  # per opener, how many of its levels are not (yet) closed
    size: list[int] = []  # per opener, its run's length
    pushes: list[tuple[int, int, int]] = []  # (offset, opener, levels open after it)
    total = 0
    length = len(masked)
    for match in _DELIMITER.finditer(masked):
        char, run = match[0][0], len(match[0])
        begin, end = match.start(), match.end()
        if char == "[":
            opens, closes = True, False
        elif char == "]":
            opens, closes, char = False, True, "["
        else:
            before = masked[begin - 1] if begin else " "
            after = masked[end] if end < length else " "
            opens = not after.isspace() and (char == "*" or not _is_word(before))
            closes = not before.isspace() and begin > 0 and (char == "*" or not _is_word(after))
        stack = stacks[char]
        if closes and stack and not (opens and _rule_of_3(size[stack[-1]], run)):
            while run and stack:
                top = stack[-1]
                taken = min(run, left[top])
                left[top] -= taken
                run -= taken
                total -= taken
                if not left[top]:
                    stack.pop()
            if not opens:
                continue
        if opens and run:
            stack.append(len(left))
            left.append(run)
            size.append(run)
            total += run
            pushes.append((begin, len(left) - 1, total))
    deepest = at = unclosed = 0
    for offset, opener, open_after in pushes:
        unclosed += left[opener]  # never closed: below every opener closed later
        depth = open_after - unclosed
        if depth > deepest:
            deepest, at = depth, offset
            if deepest > MAX_NESTING:
                break
    return deepest, at


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _rule_of_3(opener: int, closer: int) -> bool:
    return (opener + closer) % 3 == 0 and (opener % 3 != 0 or closer % 3 != 0)
