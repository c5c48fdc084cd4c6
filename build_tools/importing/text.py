"""A plain-text copy: an optional date line, then paragraphs; short unpunctuated lines between
paragraphs become headings, furniture lines are dropped."""

from __future__ import annotations

import re

from .extracted import Block, BlockKind, Extracted, clean_text, normalize_date, split_names
from .furniture import split_furniture

_DATE_LINE = re.compile(r"\s*date:?\s+(\S+)\s*(.*)", re.IGNORECASE)


def extract_text(text: str) -> Extracted:
    """Plain text: an optional first line `date YYYY-MM-DD` (page furniture may follow on the
    same line), then paragraphs separated by blank lines. Short unpunctuated single-line
    paragraphs between other paragraphs become section headings."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    date = None
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    m = _DATE_LINE.fullmatch(lines[first]) if first is not None else None
    if m and first is not None and (date := normalize_date(m.group(1))) is not None:
        lines[first] = m.group(2)
    dropped: list[str] = []
    paragraphs: list[tuple[BlockKind, str]] = []
    current: list[str] = []
    for line in lines + [""]:
        cleaned = clean_text(line)
        caption, furniture = split_furniture(cleaned) if cleaned else (None, None)
        if furniture:
            dropped.append(furniture)
        if caption or furniture or not cleaned:
            if current:
                paragraphs.append(("p", " ".join(current)))
                current = []
            if caption:
                paragraphs.append(("caption", caption))
        else:
            current.append(cleaned)
    authors, paragraphs = _bylines(paragraphs)
    dateline, agencies, paragraphs = _dateline(paragraphs)
    story = [i for i, (kind, _) in enumerate(paragraphs) if kind == "p"]
    last = story[-1] if story else -1
    blocks = [
        Block(
            "h2"
            if kind == "p" and _looks_like_heading(p, i == last) and not _in_a_post(paragraphs, i)
            else kind,
            p,
        )
        for i, (kind, p) in enumerate(paragraphs)
    ]
    return Extracted(
        tuple(blocks),
        date=date,
        authors=authors,
        dateline=dateline,
        agencies=agencies,
        dropped=tuple(dropped),
    )


# "By Jane Doe", "Author: FC", "Written by Jane Doe and John Roe in Kyiv": a byline on its own
# line near the top or the bottom; its names go to `authors`, the line leaves the text.
_BYLINE = re.compile(
    r"(?:By|BY|Written by|Author|Authors|Text)\s*:?\s+(?P<names>[A-Z][\w.'’-]*(?:(?:,|,? and|,? &)?\s+"
    r"(?:[A-Z][\w.'’-]*|de|van|von|der|bin|al))*)(?:\s+in\s+[A-Z][\w-]+(?:,\s*[A-Z][\w-]+)?)?\.?"
)
# "MINSK, 21 July (BelTA) - …", "WASHINGTON — …", "KYIV, Ukraine (AP) — …": a place in capitals
# opening the first paragraph, maybe a date and an agency, then a dash.
_DATELINE = re.compile(
    r"(?P<dateline>[A-Z][A-Z'’.-]{3,}(?: [A-Z][A-Z'’.-]+){0,3}(?:, [^()\n–—]{1,30}?)?"
    r"(?: \((?P<agency>[^()]{2,40})\))?) ?[–—-]{1,2} (?P<rest>[A-Z“\"‘'].*)"
)


def _bylines(paragraphs: list[tuple[BlockKind, str]]) -> tuple[tuple[str, ...], list[tuple[BlockKind, str]]]:
    authors: list[str] = []
    kept = []
    edges = {i for i in range(len(paragraphs)) if i < 3 or i >= len(paragraphs) - 3}
    for i, (kind, text) in enumerate(paragraphs):
        m = _BYLINE.fullmatch(text) if kind == "p" and i in edges and len(text) <= 120 else None
        if m:
            authors += split_names(m["names"])
        else:
            kept.append((kind, text))
    return tuple(dict.fromkeys(authors)), kept


def _dateline(
    paragraphs: list[tuple[BlockKind, str]],
) -> tuple[str | None, tuple[str, ...], list[tuple[BlockKind, str]]]:
    first = next((i for i, (kind, _) in enumerate(paragraphs) if kind == "p"), None)
    if first is None:
        return None, (), paragraphs
    m = _DATELINE.fullmatch(paragraphs[first][1])
    if not m or len(m["dateline"].split(",")[0]) < 3:
        return None, (), paragraphs
    rest = list(paragraphs)
    rest[first] = ("p", m["rest"])
    return m["dateline"], ((m["agency"],) if m["agency"] else ()), rest


_HEADING_END = tuple(".!?:;,…\"”’'»)")


# The signature that closes an embedded social-media post in a plain-text copy: "— Euromaidan
# Press (@EuromaidanPress) July 7, 2022".
_POST_SIGNATURE = re.compile(r"[—–-]\s*[^()\n]{1,80}\(@\w{1,30}\)\s+\w+\.? \d{1,2}, \d{4}\s*$")


def _in_a_post(paragraphs: list[tuple[BlockKind, str]], index: int) -> bool:
    """A short line whose post signature follows within two paragraphs is the post's text,
    not a section heading."""
    return any(_POST_SIGNATURE.search(p) for _, p in paragraphs[index + 1 : index + 3])


_HEADING_START = tuple("“\"‘'«—–-([")


def _looks_like_heading(paragraph: str, is_last: bool) -> bool:
    """A section heading in a plain-text copy: one short line, no closing punctuation, not a
    quote or byline, and something after it."""
    return (
        not is_last
        and len(paragraph) <= 90
        and len(paragraph.split()) <= 15
        and not paragraph.endswith(_HEADING_END)
        and not paragraph.startswith(_HEADING_START)
        and paragraph[0].isupper()
        and not paragraph.startswith(_NOT_HEADING_START)
        and not _NOT_HEADING.search(paragraph)
    )


# A byline or author tag, a sign-off ("CNN —"), a link or a handle: not a section heading.
_NOT_HEADING_START = ("By ", "Author:", "Authors:", "Photo:", "Source:", "Sources:")
_NOT_HEADING = re.compile(r"https?://|www\.|(?<!\w)@\w|[—–-]\s*$|\b(?:Yours|Sincerely|Regards)\b")
