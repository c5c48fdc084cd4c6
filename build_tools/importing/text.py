"""A plain-text copy: an optional date line, then paragraphs; short unpunctuated lines between
paragraphs become headings, furniture lines are dropped."""

from __future__ import annotations

import re

from .extracted import Block, BlockKind, Extracted, clean_text, normalize_date
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
    story = [i for i, (kind, _) in enumerate(paragraphs) if kind == "p"]
    last = story[-1] if story else -1
    blocks = [
        Block("h2" if kind == "p" and _looks_like_heading(p, i == last) else kind, p)
        for i, (kind, p) in enumerate(paragraphs)
    ]
    return Extracted(tuple(blocks), date=date, dropped=tuple(dropped))


_HEADING_END = tuple(".!?:;,…\"”’'»)")


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
        and not paragraph.startswith("By ")
    )
