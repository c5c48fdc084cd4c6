"""Limits on an article's Markdown beyond which converting it to HTML (Python-Markdown, then nh3)
crashes or runs for minutes, each measured on the text as written, in time linear in its length,
so that a contributor gets a problem on the right line instead of a build that crashes or hangs.

Python-Markdown recurses once per level of nesting (a few hundred levels exhaust Python's
stack); handles every block and every piece of markup one at a time, at tens of microseconds
each; and in places reads or copies from one character to its match or to the end of the
paragraph or of the text: from '[' to ']', from a link's '(' to ')', from a run of '`' to a run
as long, from '<' to '>', from ' {' to the end of its line; the rest of the paragraph for each
piece of markup, the rest of the text for each HTML end tag. Each limit below bounds one of these.
"""
from __future__ import annotations

import bisect
import itertools
import re
from array import array
from collections import Counter
from collections.abc import Callable
from functools import cached_property

from ..problems import Problem, Source, error

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

_Where = Callable[[int], Source]

# Lines whose leading run of container characters is long enough to nest MAX_NESTING deep:
# each level takes at least one character ('>') and most take two ('> ', '- ').
_DEEP_CANDIDATE = re.compile(rf"^[ \t>*+\-0-9.)]{{{MAX_NESTING},}}", re.MULTILINE)
_LIST_MARKER = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)])(?=[ \t])")
_THEMATIC_BREAK = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_THEMATIC_LINE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE)
_BRACKET = re.compile(r"\[|\](\()?")
_QUOTE = re.compile(r"[\"']")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_BLANK_RUN = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")
_BACKTICKS = re.compile(r"`+")
_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()>#+\-.!]")  # the characters Python-Markdown escapes
_PAREN = re.compile(r"[()]")
_TITLE_END = re.compile(r"""(["'])[ ]*\)""")  # a link's ')' right after a quoted title
_DELIMITER = re.compile(r"\*+|_+|[\[\]]")
_LINE_BREAK = re.compile(r" {2,}\n")
# Lines that make the block parser split a paragraph and test the rest again: headings,
# admonitions, abbreviation, footnote and link definitions, definitions, setext underlines
# and rules, also inside blockquotes and indented blocks.
_SPLIT_LINE = re.compile(r"^[ \t>]*(?:#|!!!|\*\[|\[[^\n]*\]:|:[ ]|([-*_=])(?:[ ]{0,2}\1)*[ ]*$)",
                         re.MULTILINE)
# A definition ('term' then ': definition') right after another, with no blank line between,
# opens a new list inside the last definition.
_TERM_GROUP = re.compile(r"^(?![ ]{0,3}:[ ]).*\n[ ]{0,3}:[ ]{1,3}", re.MULTILINE)
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)([^<>]*)>")
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                        "param", "source", "track", "wbr"})
_TAG_START = re.compile(r"<(?:[A-Za-z/?]|!(?!--))")
_VALUE_QUOTE = re.compile(r"""=\s*(["'])""")
_COPY_TRIGGER = re.compile(r"</[A-Za-z]|<[!?]|^[ ]{0,3}<[A-Za-z]", re.MULTILINE)
_BRACE = re.compile(r" \{")
_FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\n]*)\](?!:)")
_ABBREVIATION = re.compile(r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$", re.MULTILINE)
_WORD = re.compile(r"\w+")


class _Lines:
    """Sources of offsets in `text`, asked for in increasing order: each answer counts only the
    newlines since the last one, so that all of them together read the text once."""

    def __init__(self, text: str, start: Source) -> None:
        self.text, self.start = text, start
        self.offset = self.line = 0

    def __call__(self, offset: int) -> Source:
        if offset < self.offset:
            self.offset = self.line = 0
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return Source(self.start.path, self.start.line + self.line)


def markdown_problems(body: str, start: Source) -> list[Problem]:
    """Problems with the article text `body`, whose first line is `start`."""
    where = _Lines(body, start)
    abbreviations = [m["abbr"].strip() for m in _ABBREVIATION.finditer(body)
                     if m["abbr"].strip() and m["title"].strip()]
    lines, marks = element_count(body, abbreviations)
    # Emphasis and links are measured only in a text of few of them (the count below is over
    # the limit otherwise), so that measuring them stays quick.
    nest = lines + marks <= MAX_ELEMENTS
    problems = _nesting_problems(body, where) + _paragraph_problems(body, where, nest)
    # What the text costs as a whole is said only when nothing above explains it already.
    return problems or _text_problems(body, where, lines, marks, abbreviations)


# --- nesting -------------------------------------------------------------------------------


def _nesting_problems(body: str, where: _Where) -> list[Problem]:
    problems = []
    for match in _DEEP_CANDIDATE.finditer(body):
        line_end = body.find("\n", match.start())
        line = body[match.start():] if line_end < 0 else body[match.start():line_end]
        depth = nesting_depth(line)
        if depth > MAX_NESTING:
            problems.append(error(where(match.start()), "too-deep",
                                  f"blockquotes and lists are nested {depth:,} levels deep here; "
                                  f"the limit is {MAX_NESTING}",
                                  "remove the extra '>' or list markers"))
            break  # the lines after a deep one are usually as deep: one problem says it
    depth, at = html_nesting(body)
    if depth > MAX_NESTING:
        problems.append(error(where(at), "too-deep",
                              f"HTML elements with a markdown attribute are nested {depth:,} levels "
                              f"deep here; the limit is {MAX_NESTING}",
                              "remove the extra elements, or their markdown attribute"))
    return problems


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


# --- paragraphs ----------------------------------------------------------------------------


class _Paragraph:
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


def _paragraph_problems(body: str, where: _Where, nest: bool) -> list[Problem]:
    # What a check measures in a paragraph is at most a count in the whole text times the
    # paragraph's length: when that is within the limit for the longest paragraph (almost
    # always), no paragraph needs measuring, and none shorter than limit / count ever does.
    longest = max(map(len, _BLANK_LINES.split(body)))
    counts = {check: count(body) for check, (count, _limit) in _BOUNDS.items()
              if nest or check is not _inline_nesting_problem}
    checks = [check for check in _PARAGRAPH_CHECKS
              if check in counts and counts[check] * longest > _BOUNDS[check][1]]
    if not checks:
        return []
    shortest = min(_BOUNDS[check][1] // max(counts[check], 1) for check in checks)
    problems = []
    paragraph_start = 0
    for gap in itertools.chain(_BLANK_LINES.finditer(body), [None]):
        end = gap.start() if gap else len(body)
        if end - paragraph_start > shortest:
            text = body[paragraph_start:end]
            first = paragraph_start + len(text) - len(text.lstrip())

            def at(offset: int, base: int = paragraph_start, first: int = first) -> Source:
                return where(max(base + offset, first))  # a problem names the paragraph's first line

            paragraph = _Paragraph(text)
            for check in checks:
                problem = check(paragraph, at)
                if problem:
                    problems.append(problem)
                    break  # one problem says what is wrong with a paragraph
        if gap:
            paragraph_start = gap.start() + 1
    return problems


def _bracket_problem(paragraph: _Paragraph, where: _Where) -> Problem | None:
    if paragraph.masked.count("[") * len(paragraph.masked) <= MAX_BRACKET_READ:
        return None
    brackets, stray, read, _links = paragraph.brackets
    if read <= MAX_BRACKET_READ:
        return None
    return error(where(0), "too-many-brackets",
                 f"converting this paragraph would read {read:,} characters, from each of its "
                 f"{brackets:,} '[' to the ']' that closes it ({stray:,} have none); the limit is "
                 f"{MAX_BRACKET_READ:,}",
                 "remove the stray '[', or write each as '\\['")


def _paren_problem(paragraph: _Paragraph, where: _Where) -> Problem | None:
    if paragraph.masked.count("](") * len(paragraph.masked) <= MAX_BRACKET_READ:
        return None
    links, unclosed, read = paren_read(paragraph.masked, paragraph.brackets[3])
    if read <= MAX_BRACKET_READ:
        return None
    return error(where(0), "too-many-brackets",
                 f"converting this paragraph would read {read:,} characters, from the '(' of each "
                 f"of its {links:,} links to the ')' that closes it ({unclosed:,} have none); the "
                 f"limit is {MAX_BRACKET_READ:,}",
                 "close each link's address with ')', or write a '(' right after ']' as '\\('")


def _backtick_problem(paragraph: _Paragraph, where: _Where) -> Problem | None:
    if paragraph.tick_read <= MAX_BRACKET_READ:
        return None
    return error(where(0), "too-much-markup",
                 f"converting this paragraph would read {paragraph.tick_read:,} characters, from "
                 f"each of its {paragraph.runs:,} runs of '`' to a run as long that closes the "
                 f"code; the limit is {MAX_BRACKET_READ:,}",
                 "close each piece of code with as many '`' as open it, or write a '`' as '\\`'")


def _markup_problem(paragraph: _Paragraph, where: _Where) -> Problem | None:
    text = paragraph.text
    marks, work = markup_work(text)
    if work <= MAX_MARKUP_WORK:
        return None
    breaks = len(_LINE_BREAK.findall(text))
    which = " ".join(MARKUP_CHARS) + (", and line breaks" if breaks else "")
    return error(where(0), "too-much-markup",
                 f"this paragraph of {len(text):,} characters holds {marks:,} that may start "
                 f"markup ({which}): converting it would take too long (the limit is "
                 f"{MAX_MARKUP_WORK:,} for the two counts multiplied)",
                 "split it into paragraphs with blank lines, or remove the stray characters")


def _split_problem(paragraph: _Paragraph, where: _Where) -> Problem | None:
    text = paragraph.text
    if text.count("\n") * len(text) <= MAX_SPLIT_WORK:
        return None
    splits = _SPLIT_LINE.subn("", text)[1]
    if splits * len(text) <= MAX_SPLIT_WORK:
        return None
    return error(where(0), "too-much-markup",
                 f"this paragraph of {len(text):,} characters has {splits:,} lines that start a "
                 "heading, rule, definition or other block with no blank line before them: "
                 f"converting it would take too long (the limit is {MAX_SPLIT_WORK:,} for the two "
                 "counts multiplied)",
                 "put a blank line before each heading, rule and definition")


def _definition_problem(paragraph: _Paragraph, where: _Where) -> Problem | None:
    text = paragraph.text
    if text.count(":") <= MAX_NESTING:
        return None
    depth = _TERM_GROUP.subn("", text)[1]
    if depth <= MAX_NESTING:
        return None
    return error(where(0), "too-deep",
                 f"definition lists are nested {depth:,} levels deep here: a term right after a "
                 f"definition starts a list inside it; the limit is {MAX_NESTING}",
                 "put a blank line before each term")


def _inline_nesting_problem(paragraph: _Paragraph, where: _Where) -> Problem | None:
    masked = paragraph.masked
    if masked.count("*") + masked.count("_") + masked.count("[") <= MAX_NESTING:
        return None
    depth, at = inline_nesting(masked)
    if depth <= MAX_NESTING:
        return None
    return error(where(at), "too-deep",
                 f"emphasis and links are nested {depth:,} levels deep here (each '*' or '_' of a "
                 f"run and each '[' counts); the limit is {MAX_NESTING}",
                 "close the emphasis and links sooner, or write a literal '*', '_' or '[' with a "
                 "'\\' before it")


# In the order they are tried, the quick ones (counts) first: one problem says what is wrong
# with a paragraph, and past the first limit the others need not be measured.
_PARAGRAPH_CHECKS = (_markup_problem, _split_problem, _definition_problem, _bracket_problem,
                     _paren_problem, _backtick_problem, _inline_nesting_problem)
# For each check, a count in a text that times a paragraph's length bounds what it measures,
# and the limit. A nesting deeper than the limit takes an opener and a closer for each level,
# and a definition list one line and at least four characters each.
_BOUNDS: dict[Callable[[_Paragraph, _Where], Problem | None], tuple[Callable[[str], int], int]] = {
    _bracket_problem: (lambda text: text.count("["), MAX_BRACKET_READ),
    _paren_problem: (lambda text: text.count("]("), MAX_BRACKET_READ),
    _backtick_problem: (lambda text: text.count("`"), MAX_BRACKET_READ),
    _markup_problem: (lambda text: sum(text.count(char) for char in MARKUP_CHARS + "\n"),
                      MAX_MARKUP_WORK),
    _split_problem: (lambda text: text.count("\n") + 1, MAX_SPLIT_WORK),
    _definition_problem: (lambda text: 1, 4 * MAX_NESTING),
    _inline_nesting_problem: (lambda text: 1, 2 * MAX_NESTING),
}


def bracket_read(paragraph: str) -> tuple[int, int, int]:
    """(how many '[' there are, how many are not closed, how many characters Markdown reads
    from every '[' to its ']' or, when none closes it, to the end of the paragraph).
    Escaped brackets and brackets in code do not count."""
    return _Paragraph(paragraph).brackets[:3]


def _brackets(masked: str) -> tuple[int, int, int, list[int]]:
    """bracket_read, and where the links' '(' are: right after a ']' that closes a '['."""
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
    title_ends = {q: [(m.start(), m.end()) for m in _TITLE_END.finditer(masked) if m[1] == q]
                  for q in "\"'"}
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
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)
            if not (m.start() and text[m.start() - 1] == "\\")]
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
    marks = sum(paragraph.count(char) for char in MARKUP_CHARS) + len(_LINE_BREAK.findall(paragraph))
    if marks * len(paragraph) > MAX_MARKUP_WORK:
        marks -= _rule_marks(paragraph)
    return marks, marks * len(paragraph)


def _rule_marks(text: str) -> int:
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


# --- the text as a whole -------------------------------------------------------------------


def _text_problems(body: str, where: _Where, lines: int, marks: int,
                   abbreviations: list[str]) -> list[Problem]:
    problems = []
    if lines + marks > MAX_ELEMENTS:
        problems.append(error(where(0), "too-much-markup",
                              f"the text has {lines:,} lines and {marks:,} characters that may start "
                              "markup: converting it would take too long (the limit is "
                              f"{MAX_ELEMENTS:,} for the two together, not counting the blank line "
                              "between two paragraphs)",
                              "split the article into several files, or remove what is not its text"))
    tags, unclosed, read, worst = tag_read(body)
    if read > MAX_TAG_READ:
        problems.append(error(where(worst), "too-many-brackets",
                              f"converting this text would read {read:,} characters, from each of "
                              f"its {tags:,} '<' that may start an HTML tag to the '>' that ends it "
                              f"({unclosed:,} have none); the limit is {MAX_TAG_READ:,}",
                              "close each tag with '>', or write a '<' that starts no tag as '&lt;'"))
    copies, work, first = copy_work(body)
    if work > MAX_COPY_WORK:
        problems.append(error(where(first), "too-much-markup",
                              f"converting this text would copy the rest of it for each of its "
                              f"{copies:,} HTML end tags, comments and tags that start a line, "
                              f"{work:,} characters in all; the limit is {MAX_COPY_WORK:,}",
                              "remove the HTML the article does not need"))
    braces, read, worst = brace_read(body)
    if read > MAX_BRACE_READ:
        problems.append(error(where(worst), "too-many-brackets",
                              f"converting this text would read {read:,} characters, from each of "
                              f"its {braces:,} ' {{' (which may start attributes, as in "
                              f"'{{: .note}}') to the end of its line; the limit is {MAX_BRACE_READ:,}",
                              "remove the stray '{', or write each as '\\{'"))
    if body.count("[^") > MAX_FOOTNOTE_REFERENCES:
        label, count, first = footnote_references(body)
        if count > MAX_FOOTNOTE_REFERENCES:
            problems.append(error(where(first), "too-much-markup",
                                  f"footnote '[^{label}]' is referenced {count:,} times; the limit is "
                                  f"{MAX_FOOTNOTE_REFERENCES}: for each reference, converting goes "
                                  "through all the earlier ones",
                                  "refer to the footnote once, or give each reference its own note"))
    if abbreviations:
        words, letters, work = abbreviation_work(body, abbreviations)
        if work > MAX_ABBREVIATION_WORK:
            first = next(_ABBREVIATION.finditer(body)).start()
            problems.append(error(where(first), "too-much-markup",
                                  f"the text defines {len(abbreviations):,} abbreviations of "
                                  f"{letters:,} characters in all and has {words:,} words: "
                                  "converting would look for each abbreviation at each word, which "
                                  f"would take too long (the limit is {MAX_ABBREVIATION_WORK:,} "
                                  "for characters times words)",
                                  "define fewer or shorter abbreviations"))
    return problems


def element_count(body: str, abbreviations: list[str] | None = None) -> tuple[int, int]:
    """(lines, but only one of the blank lines between two paragraphs, none at either end;
    characters that may start markup, '|' (table cells), line breaks and uses of abbreviations,
    not counting the characters of horizontal rules)."""
    core = body.strip()
    if not core:
        return 0, 0
    blank_runs = _BLANK_RUN.subn("", core)[1]
    lines = core.count("\n") + 1 - blank_runs
    marks = sum(core.count(char) for char in MARKUP_CHARS + "|") + len(_LINE_BREAK.findall(core))
    marks -= _rule_marks(core)
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
            self.quotes = [(array("q", (m.start() for m in re.finditer(q, self.text))),
                            {m.start(1) for m in _VALUE_QUOTE.finditer(self.text) if m[1] == q})
                           for q in "\"'"]
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
    count = _COPY_TRIGGER.subn("", text)[1]
    if count * len(text) <= MAX_COPY_WORK:
        return count, 0, 0
    work, first = 0, -1
    for match in _COPY_TRIGGER.finditer(text):
        work += len(text) - match.start()
        if first < 0:
            first = match.start()
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
