"""Limits on an article's Markdown beyond which converting it to HTML (Python-Markdown, then nh3)
crashes or runs for minutes, each measured on the text as written, in time linear in its length,
so that a contributor gets a problem on the right line instead of a build that crashes or hangs.

Python-Markdown recurses once per level of nesting (a few hundred levels exhaust Python's
stack); handles every block and every piece of markup one at a time, at tens of microseconds
each; and in places reads or copies from one character to its match or to the end of the
paragraph or of the text: from '[' to ']', from a link's '(' to ')', from a run of '`' to a run
as long, from '<' to '>', from ' {' to the end of its line; the rest of the paragraph for each
piece of markup, the rest of the text for each HTML end tag. Each limit below bounds one of these."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from ..problems import Problem, Source, error
from .markdown_cost import (
    MARKUP_CHARS,
    MAX_ABBREVIATION_WORK,
    MAX_BRACE_READ,
    MAX_BRACKET_READ,
    MAX_COPY_WORK,
    MAX_ELEMENTS,
    MAX_FOOTNOTE_REFERENCES,
    MAX_MARKUP_WORK,
    MAX_NESTING,
    MAX_SPLIT_WORK,
    MAX_TAG_READ,
    Paragraph,
    inline_nesting,
    line_breaks,
    markup_work,
    paren_read,
)
from .text_cost import (
    abbreviation_work,
    brace_read,
    copy_work,
    element_count,
    footnote_references,
    html_nesting,
    nesting_depth,
    tag_read,
)

_Where = Callable[[int], Source]


# Lines whose leading run of container characters is long enough to nest MAX_NESTING deep:
# each level takes at least one character ('>') and most take two ('> ', '- '). Searched from
# the newline before the line (and at the text's start): a search for '^' tries every place.
_CONTAINER_RUN = rf"[ \t>*+\-0-9.)]{{{MAX_NESTING},}}"
_DEEP_CANDIDATE = re.compile(rf"\n{_CONTAINER_RUN}")
_DEEP_FIRST_LINE = re.compile(_CONTAINER_RUN)


_BLANK_LINES = re.compile(r"\n[ \t]*\n")


# Lines that make the block parser split a paragraph and test the rest again: headings,
# admonitions, abbreviation, footnote and link definitions, definitions, setext underlines
# and rules, also inside blockquotes and indented blocks.
_SPLIT_LINE = re.compile(
    r"^[ \t>]*(?:#|!!!|\*\[|\[[^\n]*\]:|:[ ]|([-*_=])(?:[ ]{0,2}\1)*[ ]*$)", re.MULTILINE
)


# A definition ('term' then ': definition') right after another, with no blank line between,
# opens a new list inside the last definition.
_TERM_GROUP = re.compile(r"^(?![ ]{0,3}:[ ]).*\n[ ]{0,3}:[ ]{1,3}", re.MULTILINE)


_ABBREVIATION = re.compile(r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$", re.MULTILINE)


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
    abbreviations = [
        m["abbr"].strip()
        for m in (_ABBREVIATION.finditer(body) if "*[" in body else ())
        if m["abbr"].strip() and m["title"].strip()
    ]
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
    first = [0] if _DEEP_FIRST_LINE.match(body) else []
    for start in itertools.chain(first, (match.start() + 1 for match in _DEEP_CANDIDATE.finditer(body))):
        line_end = body.find("\n", start)
        line = body[start:] if line_end < 0 else body[start:line_end]
        depth = nesting_depth(line)
        if depth > MAX_NESTING:
            problems.append(
                error(
                    where(start),
                    "too-deep",
                    f"blockquotes and lists are nested {depth:,} levels deep here; "
                    f"the limit is {MAX_NESTING}",
                    "remove the extra '>' or list markers",
                )
            )
            break  # the lines after a deep one are usually as deep: one problem says it
    depth, at = html_nesting(body)
    if depth > MAX_NESTING:
        problems.append(
            error(
                where(at),
                "too-deep",
                f"HTML elements with a markdown attribute are nested {depth:,} levels "
                f"deep here; the limit is {MAX_NESTING}",
                "remove the extra elements, or their markdown attribute",
            )
        )
    return problems


def _paragraph_problems(body: str, where: _Where, nest: bool) -> list[Problem]:
    # What a check measures in a paragraph is at most a count in the whole text times the
    # paragraph's length: when that is within the limit for the longest paragraph (almost
    # always), no paragraph needs measuring, and none shorter than limit / count ever does.
    longest = max(map(len, _BLANK_LINES.split(body)))
    counts = {
        check: count(body)
        for check, (count, _limit) in _BOUNDS.items()
        if nest or check is not _inline_nesting_problem
    }
    checks = [
        check
        for check in _PARAGRAPH_CHECKS
        if check in counts and counts[check] * longest > _BOUNDS[check][1]
    ]
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

            paragraph = Paragraph(text)
            for check in checks:
                problem = check(paragraph, at)
                if problem:
                    problems.append(problem)
                    break  # one problem says what is wrong with a paragraph
        if gap:
            paragraph_start = gap.start() + 1
    return problems


def _bracket_problem(paragraph: Paragraph, where: _Where) -> Problem | None:
    if paragraph.masked.count("[") * len(paragraph.masked) <= MAX_BRACKET_READ:
        return None
    brackets, stray, read, _links = paragraph.brackets
    if read <= MAX_BRACKET_READ:
        return None
    return error(
        where(0),
        "too-many-brackets",
        f"converting this paragraph would read {read:,} characters, from each of its "
        f"{brackets:,} '[' to the ']' that closes it ({stray:,} have none); the limit is "
        f"{MAX_BRACKET_READ:,}",
        "remove the stray '[', or write each as '\\['",
    )


def _paren_problem(paragraph: Paragraph, where: _Where) -> Problem | None:
    if paragraph.masked.count("](") * len(paragraph.masked) <= MAX_BRACKET_READ:
        return None
    links, unclosed, read = paren_read(paragraph.masked, paragraph.brackets[3])
    if read <= MAX_BRACKET_READ:
        return None
    return error(
        where(0),
        "too-many-brackets",
        f"converting this paragraph would read {read:,} characters, from the '(' of each "
        f"of its {links:,} links to the ')' that closes it ({unclosed:,} have none); the "
        f"limit is {MAX_BRACKET_READ:,}",
        "close each link's address with ')', or write a '(' right after ']' as '\\('",
    )


def _backtick_problem(paragraph: Paragraph, where: _Where) -> Problem | None:
    if paragraph.tick_read <= MAX_BRACKET_READ:
        return None
    return error(
        where(0),
        "too-much-markup",
        f"converting this paragraph would read {paragraph.tick_read:,} characters, from "
        f"each of its {paragraph.runs:,} runs of '`' to a run as long that closes the "
        f"code; the limit is {MAX_BRACKET_READ:,}",
        "close each piece of code with as many '`' as open it, or write a '`' as '\\`'",
    )


def _markup_problem(paragraph: Paragraph, where: _Where) -> Problem | None:
    text = paragraph.text
    marks, work = markup_work(text)
    if work <= MAX_MARKUP_WORK:
        return None
    breaks = line_breaks(text)
    which = " ".join(MARKUP_CHARS) + (", and line breaks" if breaks else "")
    return error(
        where(0),
        "too-much-markup",
        f"this paragraph of {len(text):,} characters holds {marks:,} that may start "
        f"markup ({which}): converting it would take too long (the limit is "
        f"{MAX_MARKUP_WORK:,} for the two counts multiplied)",
        "split it into paragraphs with blank lines, or remove the stray characters",
    )


def _split_problem(paragraph: Paragraph, where: _Where) -> Problem | None:
    text = paragraph.text
    if text.count("\n") * len(text) <= MAX_SPLIT_WORK:
        return None
    splits = _SPLIT_LINE.subn("", text)[1]
    if splits * len(text) <= MAX_SPLIT_WORK:
        return None
    return error(
        where(0),
        "too-much-markup",
        f"this paragraph of {len(text):,} characters has {splits:,} lines that start a "
        "heading, rule, definition or other block with no blank line before them: "
        f"converting it would take too long (the limit is {MAX_SPLIT_WORK:,} for the two "
        "counts multiplied)",
        "put a blank line before each heading, rule and definition",
    )


def _definition_problem(paragraph: Paragraph, where: _Where) -> Problem | None:
    text = paragraph.text
    if text.count(":") <= MAX_NESTING:
        return None
    depth = _TERM_GROUP.subn("", text)[1]
    if depth <= MAX_NESTING:
        return None
    return error(
        where(0),
        "too-deep",
        f"definition lists are nested {depth:,} levels deep here: a term right after a "
        f"definition starts a list inside it; the limit is {MAX_NESTING}",
        "put a blank line before each term",
    )


def _inline_nesting_problem(paragraph: Paragraph, where: _Where) -> Problem | None:
    masked = paragraph.masked
    if masked.count("*") + masked.count("_") + masked.count("[") <= MAX_NESTING:
        return None
    depth, at = inline_nesting(masked)
    if depth <= MAX_NESTING:
        return None
    return error(
        where(at),
        "too-deep",
        f"emphasis and links are nested {depth:,} levels deep here (each '*' or '_' of a "
        f"run and each '[' counts); the limit is {MAX_NESTING}",
        "close the emphasis and links sooner, or write a literal '*', '_' or '[' with a '\\' before it",
    )


# In the order they are tried, the quick ones (counts) first: one problem says what is wrong
# with a paragraph, and past the first limit the others need not be measured.
_PARAGRAPH_CHECKS = (
    _markup_problem,
    _split_problem,
    _definition_problem,
    _bracket_problem,
    _paren_problem,
    _backtick_problem,
    _inline_nesting_problem,
)


# For each check, a count in a text that times a paragraph's length bounds what it measures,
# and the limit. A nesting deeper than the limit takes an opener and a closer for each level,
# and a definition list one line and at least four characters each; neither is measured in
# a text with no more '*', '_' and '[' (':') than the limit, as the checks themselves say.
_BOUNDS: dict[Callable[[Paragraph, _Where], Problem | None], tuple[Callable[[str], int], int]] = {
    _bracket_problem: (lambda text: text.count("["), MAX_BRACKET_READ),
    _paren_problem: (lambda text: text.count("]("), MAX_BRACKET_READ),
    _backtick_problem: (lambda text: text.count("`"), MAX_BRACKET_READ),
    _markup_problem: (lambda text: sum(text.count(char) for char in MARKUP_CHARS + "\n"), MAX_MARKUP_WORK),
    _split_problem: (lambda text: text.count("\n") + 1, MAX_SPLIT_WORK),
    _definition_problem: (lambda text: int(text.count(":") > MAX_NESTING), 4 * MAX_NESTING),
    _inline_nesting_problem: (
        lambda text: int(text.count("*") + text.count("_") + text.count("[") > MAX_NESTING),
        2 * MAX_NESTING,
    ),
}


# --- the text as a whole -------------------------------------------------------------------


def _text_problems(
    body: str, where: _Where, lines: int, marks: int, abbreviations: list[str]
) -> list[Problem]:
    problems = []
    if lines + marks > MAX_ELEMENTS:
        problems.append(
            error(
                where(0),
                "too-much-markup",
                f"the text has {lines:,} lines and {marks:,} characters that may start "
                "markup: converting it would take too long (the limit is "
                f"{MAX_ELEMENTS:,} for the two together, not counting the blank line "
                "between two paragraphs)",
                "split the article into several files, or remove what is not its text",
            )
        )
    tags, unclosed, read, worst = tag_read(body)
    if read > MAX_TAG_READ:
        problems.append(
            error(
                where(worst),
                "too-many-brackets",
                f"converting this text would read {read:,} characters, from each of "
                f"its {tags:,} '<' that may start an HTML tag to the '>' that ends it "
                f"({unclosed:,} have none); the limit is {MAX_TAG_READ:,}",
                "close each tag with '>', or write a '<' that starts no tag as '&lt;'",
            )
        )
    copies, work, first = copy_work(body)
    if work > MAX_COPY_WORK:
        problems.append(
            error(
                where(first),
                "too-much-markup",
                f"converting this text would copy the rest of it for each of its "
                f"{copies:,} HTML end tags, comments and tags that start a line, "
                f"{work:,} characters in all; the limit is {MAX_COPY_WORK:,}",
                "remove the HTML the article does not need",
            )
        )
    braces, read, worst = brace_read(body)
    if read > MAX_BRACE_READ:
        problems.append(
            error(
                where(worst),
                "too-many-brackets",
                f"converting this text would read {read:,} characters, from each of "
                f"its {braces:,} ' {{' (which may start attributes, as in "
                f"'{{: .note}}') to the end of its line; the limit is {MAX_BRACE_READ:,}",
                "remove the stray '{', or write each as '\\{'",
            )
        )
    if body.count("[^") > MAX_FOOTNOTE_REFERENCES:
        label, count, first = footnote_references(body)
        if count > MAX_FOOTNOTE_REFERENCES:
            problems.append(
                error(
                    where(first),
                    "too-much-markup",
                    f"footnote '[^{label}]' is referenced {count:,} times; the limit is "
                    f"{MAX_FOOTNOTE_REFERENCES}: for each reference, converting goes "
                    "through all the earlier ones",
                    "refer to the footnote once, or give each reference its own note",
                )
            )
    if abbreviations:
        words, letters, work = abbreviation_work(body, abbreviations)
        if work > MAX_ABBREVIATION_WORK:
            first = next(_ABBREVIATION.finditer(body)).start()
            problems.append(
                error(
                    where(first),
                    "too-much-markup",
                    f"the text defines {len(abbreviations):,} abbreviations of "
                    f"{letters:,} characters in all and has {words:,} words: "
                    "converting would look for each abbreviation at each word, which "
                    f"would take too long (the limit is {MAX_ABBREVIATION_WORK:,} "
                    "for characters times words)",
                    "define fewer or shorter abbreviations",
                )
            )
    return problems
