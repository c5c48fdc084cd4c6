"""Rules on what an article says rather than its fields: the days its text names (each gets a
page), text left from `archive new`'s template, and images that are not web addresses."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..link.dates import find_dates
from ..memo import Memo
from ..memo import key as memo_key
from ..problems import Problem, Source, error, quote, warning
from ..read.limits import markdown_problems
from ..read.load import RawDocument

MAX_NAMED_DAYS = 1_000

# What `archive new` writes for the contributor to replace: importing.new_template writes it,
# and the check refuses whatever of it is left in.
TEMPLATE_BODY = (
    "Replace this paragraph with the text of the article ({slug}), one paragraph per "
    "line with a blank line between, and section headings as `## Heading`.\n"
)
TEMPLATE_VALUES: dict[str, Any] = {
    "url": "https://www.example.com/news/2022/03/30/article",
    "authors": ["Jane Doe", "John Roe"],
    "summary": "Russia said the Istanbul talks brought no breakthrough; shelling went on.",
    "archive_url": "https://web.archive.org/web/2022/https://www.example.com/news/article",
    "rights": "© 2022 The Publisher. Kept for research.",
}


# A day named in the text comes from a number ("24 February", "2022-02-24", "24/02/2022", "3
# days ago"), except those that weekdays and words such as "yesterday" name: fewer than this
# many days around publication. So a text with few numbers cannot name many days, and only a
# text with many is given to the date finder here (the link stage finds its dates anyway).
_WORDS_NAME_AT_MOST = 64
_NUMBER = re.compile(r"\d+")  # as the date finder reads them: any script's digits
_ASCII_DIGITS = b"0123456789"


def _may_name_many_days(body: str) -> bool:
    """Whether `body` has enough numbers to name more than MAX_NAMED_DAYS days. Counting them
    with a regex takes as long as the rest of the check of a file, so first an upper bound
    that costs almost nothing: its ASCII digits plus its characters outside ASCII (where any
    other digits are)."""
    data = body.encode("utf-8")
    bound = len(data) - len(data.translate(None, _ASCII_DIGITS)) + len(data) - len(body)
    if bound + _WORDS_NAME_AT_MOST <= MAX_NAMED_DAYS:
        return False
    return len(_NUMBER.findall(body)) + _WORDS_NAME_AT_MOST > MAX_NAMED_DAYS


def named_days_problems(body: str, published: dt.date, start: Source) -> list[Problem]:
    """At most MAX_NAMED_DAYS different days named in the text (each is a page of the site)."""
    if not _may_name_many_days(body):
        return []
    days: set[dt.date] = set()
    first_over = None
    for ref in find_dates(body, published):
        if ref.granularity == "day" and ref.value not in days:
            days.add(ref.value)
            if len(days) == MAX_NAMED_DAYS + 1:
                first_over = ref
    if first_over is None:
        return []
    line = start.line + body.count("\n", 0, first_over.start)
    return [
        error(
            Source(start.path, line),
            "too-many-dates",
            f"the text names {len(days):,} different days; the limit is "
            f"{MAX_NAMED_DAYS:,}, as each day named gets a page (day {MAX_NAMED_DAYS + 1:,} "
            f"is {quote(first_over.text)}, here)",
            "keep only the article's own text, not a table of dates",
        )
    ]


def placeholder_problems(doc: RawDocument) -> list[Problem]:
    """Text that `archive new` wrote for the contributor to replace, left in."""
    found = []
    for key, example in TEMPLATE_VALUES.items():
        if doc.data.get(key) == example:
            found.append(
                error(
                    Source(doc.source.path, doc.line_of(key)),
                    "placeholder",
                    f"'{key}' is still the example that `archive new` wrote",
                    "write the article's own, or delete the line",
                )
            )
    match = _TEMPLATE_BODY.search(doc.body)
    if match:
        line = doc.body_line + doc.body.count("\n", 0, match.start())
        found.append(
            error(
                Source(doc.source.path, line),
                "placeholder",
                "the text is still the paragraph that `archive new` wrote",
                "replace it with the article's text",
            )
        )
    return found


# The template's paragraph up to the slug, however the lines were wrapped since.
_TEMPLATE_BODY = re.compile(r"\s+".join(map(re.escape, TEMPLATE_BODY.split("{slug}")[0].split())))


# --- images ------------------------------------------------------------------------------

# The site shows an image only from a web address (sanitize keeps no other `src`): a file
# beside the article, a data: URL or a path on the site are dropped when the page is made.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)
_INLINE_IMAGE = re.compile(r"!\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\]\(\s*(<[^>\n]*>|[^\s)]+)")
_REFERENCE_IMAGE = re.compile(r"!\[((?:[^\[\]\\]|\\.)*)\](?:\s?\[((?:[^\[\]\\]|\\.)*)\])?")
_DEFINITION = re.compile(r"^ {0,3}\[((?:[^\[\]\\]|\\.)+)\]:[ \t]*\n?[ \t]*(<[^>\n]*>|\S+)", re.M)
# Bounded, so that many '<img' with no '>' cannot make the search quadratic.
_HTML_IMAGE = re.compile(r"<img\b[^>]{0,2000}?\bsrc\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I)


def image_problems(body: str, start: Source) -> list[Problem]:
    """Every image in the text whose source is not an http(s) address, on its line."""
    if "![" not in body and "<img" not in body.lower():
        return []
    # Code is shown as written, never as an image, and comments not at all: fenced blocks and
    # comments are blanked out (keeping every line break); an image after an odd number of
    # backticks on its line is in a code span.
    text = _COMMENT.sub(_blank, _FENCE.sub(_blank, body))
    sources = [(m.start(), m.group(1)) for m in _INLINE_IMAGE.finditer(text)]
    sources += [
        (m.start(), m.group(1)) for m in _HTML_IMAGE.finditer(text) if not _inside_tag(text, m.start())
    ]
    labels = {_label(m.group(2) or m.group(1)) for m in _REFERENCE_IMAGE.finditer(text)}
    sources += [(m.start(2), m.group(2)) for m in _DEFINITION.finditer(text) if _label(m.group(1)) in labels]
    problems: dict[tuple[int, str], Problem] = {}  # one per image source on a line
    line, ticks, at = start.line, 0, 0  # the line at `at`, and its backtick runs before `at`
    for offset, written in sorted(sources):
        between = text[at:offset]
        if "\n" in between:
            line += between.count("\n")
            ticks = len(_BACKTICKS.findall(between, between.rfind("\n")))
        else:
            ticks += len(_BACKTICKS.findall(between))
        at = offset
        src = written.strip("<>\"'").strip()
        if (
            ticks % 2 == 0
            and (line, src) not in problems
            and not src.lower().startswith(("http://", "https://"))
        ):
            problems[line, src] = warning(
                Source(start.path, line),
                "bad-image",
                f"image {quote(src)} is not a web address (http:// or https://); the site leaves it out",
                "link the image at its https:// address, or remove it",
            )
    return list(problems.values())


_BACKTICKS = re.compile(r"`+")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)


def _inside_tag(text: str, at: int) -> bool:
    """Whether `at` is inside another tag (`<abbr title="<img src=x>">`): such an '<img' is
    the text of an attribute, not an image."""
    window = max(0, at - 2_000)
    return text.rfind("<", window, at) > text.rfind(">", window, at)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group())


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def markup_problems(doc: RawDocument) -> list[Problem]:
    """Problems of the article's Markdown and images."""
    start = Source(doc.source.path, doc.body_line)
    return markdown_problems(doc.body, start) + image_problems(doc.body, start)


PARALLEL_FROM = 1000  # articles; below this a second process costs more than it saves
_SHARED: dict[str, Sequence[RawDocument]] = {}


def _markup_span(span: tuple[int, int]) -> list[list[Problem]]:
    return [markup_problems(doc) for doc in _SHARED["docs"][span[0] : span[1]]]


@contextlib.contextmanager
def markup_problems_ahead(
    docs: Sequence[RawDocument], workers: int | None = None
) -> Iterator[Callable[[int], list[Problem]] | None]:
    """markup_problems of each document, by its position, worked out in two forked processes
    while the caller goes on (it validates the fields meanwhile, asking for each document's
    problems in turn); None when that would not pay (few documents, one core, no fork)."""
    workers = workers or min(2, os.cpu_count() or 1)
    if workers < 2 or len(docs) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    step = 200
    spans = [(start, min(start + step, len(docs))) for start in range(0, len(docs), step)]
    _SHARED["docs"] = docs
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.imap(_markup_span, spans)
            found: list[list[Problem]] = []

            def problems_of(number: int) -> list[Problem]:
                while len(found) <= number:
                    found.extend(next(parts))
                return found[number]

            yield problems_of
    finally:
        _SHARED.clear()


def body_fingerprint(body: str) -> str:
    """A digest of the text's words: two texts that differ only in spacing have the same one."""
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()


def text_problems(
    doc: RawDocument, body: str, day: dt.date | None, memo: Memo | None, markup: list[Problem] | None = None
) -> tuple[list[Problem], str]:
    """Problems of the article's text (its Markdown, images, the days it names), and the
    body_fingerprint of `body` (its text, normalized) that tells copies apart: the costly part of
    validating an article, kept in the memo by the file's digest (or else the text and where it
    starts) and the day. markup: its markup_problems, when they were worked out ahead."""
    start = Source(doc.source.path, doc.body_line)
    day_text = day.isoformat() if day else ""
    if not memo:
        key = ""
    elif doc.digest:  # the file's place and bytes, which the text and its start follow from
        key = memo_key("text", doc.digest, day_text)
    else:
        key = memo_key("text", doc.body, start.path, str(start.line), day_text)
    kept = memo.get("parsed", key) if memo else None
    if kept is not None:
        return list(kept[0]), kept[1]
    found = list(markup) if markup is not None else markup_problems(doc)
    if day is not None:
        found += named_days_problems(body, day, start)
    fingerprint = body_fingerprint(body)
    if memo:
        memo.put("parsed", key, (tuple(found), fingerprint))
    return found, fingerprint
