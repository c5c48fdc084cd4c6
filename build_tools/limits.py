"""Limits on an article's Markdown beyond which converting it to HTML fails or takes minutes:
how deep blockquotes and lists nest, and how far Markdown must read from each '[' to its ']'.

Python-Markdown recurses once per level of nesting (a few hundred levels exhaust Python's
stack) and reads from every '[' to its closing ']' or the end of the paragraph (50,000 stray
'[' in one paragraph take many minutes). Both are measured here on the text as written, so
that a contributor gets a problem on the right line instead of a build that crashes or hangs.
"""
from __future__ import annotations

import re

from .problems import Problem, Source, error

MAX_NESTING = 100
MAX_BRACKET_READ = 1_000_000
# Python-Markdown copies the rest of a paragraph each time it finds markup in it, so the work
# grows with (characters that may start markup) x (the paragraph's length).
MAX_MARKUP_WORK = 2_000_000_000
MARKUP_CHARS = "<&*_`[!\\"

# Lines whose leading run of container characters is long enough to nest MAX_NESTING deep:
# each level takes at least one character ('>') and most take two ('> ', '- ').
_DEEP_CANDIDATE = re.compile(rf"^[ \t>*+\-0-9.)]{{{MAX_NESTING},}}", re.MULTILINE)
_LIST_MARKER = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)])(?=[ \t])")
_THEMATIC_BREAK = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BRACKET = re.compile(r"\\.|[\[\]]")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")


def markdown_problems(body: str, start: Source) -> list[Problem]:
    """Problems with the article text `body`, whose first line is `start`."""
    problems = []
    for match in _DEEP_CANDIDATE.finditer(body):
        line_end = body.find("\n", match.start())
        line = body[match.start():] if line_end < 0 else body[match.start():line_end]
        depth = nesting_depth(line)
        if depth > MAX_NESTING:
            where = Source(start.path, start.line + body.count("\n", 0, match.start()))
            problems.append(error(where, "too-deep",
                                  f"blockquotes and lists are nested {depth:,} levels deep here; "
                                  f"the limit is {MAX_NESTING}",
                                  "remove the extra '>' or list markers"))
            break  # the lines after a deep one are usually as deep: one problem says it
    # The whole text as one paragraph measures at least as much as any of its paragraphs:
    # when that is within the limits (almost always), no paragraph needs measuring.
    if bracket_read(body)[2] <= MAX_BRACKET_READ and markup_work(body)[1] <= MAX_MARKUP_WORK:
        return problems
    paragraph_start = 0
    for gap in [*_BLANK_LINES.finditer(body), None]:
        end = gap.start() if gap else len(body)
        paragraph = body[paragraph_start:end]
        first = paragraph_start + len(paragraph) - len(paragraph.lstrip())
        where = Source(start.path, start.line + body.count("\n", 0, first))
        problem = _paragraph_problem(paragraph, where)
        if problem:
            problems.append(problem)
        if gap:
            paragraph_start = gap.start() + 1
    return problems


def _paragraph_problem(paragraph: str, where: Source) -> Problem | None:
    brackets, stray, read = bracket_read(paragraph)
    if read > MAX_BRACKET_READ:  # the more precise of the two: said alone
        return error(where, "too-many-brackets",
                     f"converting this paragraph would read {read:,} characters, from each of "
                     f"its {brackets:,} '[' to the ']' that closes it ({stray:,} have none); "
                     f"the limit is {MAX_BRACKET_READ:,}",
                     "remove the stray '[', or write each as '\\['")
    marks, work = markup_work(paragraph)
    if work > MAX_MARKUP_WORK:
        return error(where, "too-much-markup",
                     f"this paragraph of {len(paragraph):,} characters holds {marks:,} that may "
                     f"start markup ({' '.join(MARKUP_CHARS)}): converting it would take too "
                     f"long (the limit is {MAX_MARKUP_WORK:,} for the two counts multiplied)",
                     "split it into paragraphs with blank lines, or remove the stray characters")
    return None


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


def bracket_read(paragraph: str) -> tuple[int, int, int]:
    """(how many '[' there are, how many are not closed, how many characters Markdown reads
    from every '[' to its ']' or, when none closes it, to the end of the paragraph).
    Escaped brackets do not count."""
    opened: list[int] = []
    brackets = read = 0
    for match in _BRACKET.finditer(paragraph):
        token = match.group()
        if token == "[":
            brackets += 1
            opened.append(match.start())
        elif token == "]" and opened:
            read += match.start() - opened.pop()
    read += sum(len(paragraph) - at for at in opened)
    return brackets, len(opened), read


def markup_work(paragraph: str) -> tuple[int, int]:
    """(characters that may start markup, those times the paragraph's length). A horizontal
    rule ('* * *', '-----') is read as a whole, so its characters do not count."""
    marks = sum(paragraph.count(char) for char in MARKUP_CHARS)
    if marks * len(paragraph) > MAX_MARKUP_WORK:
        marks -= sum(len(line) for line in paragraph.split("\n") if _THEMATIC_BREAK.match(line))
    return marks, marks * len(paragraph)
