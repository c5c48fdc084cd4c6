"""What a saved copy holds: its blocks (paragraphs, headings, list items, quotes, captions) and
the metadata it carries; its credits, its text as Markdown, and dates normalised."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..folding import visible

# --- what a copy holds -------------------------------------------------------------------

BlockKind = Literal["p", "h2", "h3", "li", "quote", "caption"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str


@dataclass(frozen=True)
class Extracted:
    """What a saved copy says about itself: the story's blocks and whatever metadata it carries."""

    blocks: tuple[Block, ...]
    title: str | None = None
    date: str | None = None  # normalised: YYYY-MM-DD or an ISO date-time with offset
    url: str | None = None
    authors: tuple[str, ...] = ()
    source: str | None = None
    language: str | None = None  # BCP 47, from an HTML page's lang attribute
    dateline: str | None = None  # "MINSK, 21 July (BelTA)", taken off the first paragraph
    agencies: tuple[str, ...] = ()  # the agency a dateline names ("BelTA"), credited
    dropped: tuple[str, ...] = field(default=(), compare=False)  # furniture lines removed

    @property
    def credits(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.agencies, *find_credits(self.blocks))))

    def markdown(self) -> str:
        return blocks_to_markdown(self.blocks)


def clean_text(text: str) -> str:
    """NFC, invisible characters gone, every run of whitespace (including no-break) one space."""
    return " ".join(visible(unicodedata.normalize("NFC", text)).split())


_CREDIT_LINES = (
    re.compile(r"[—–-]*\s*[Ww]ith files from (?P<names>.+?)\.?"),
    re.compile(
        r"[—–-]*\s*(?P<names>[A-Z].{0,80}?) contributed to this "
        r"(?:report|story|article)\.?"
    ),
)


_REPORTING = re.compile(
    r"(?:[Aa]dditional )?(?:[Rr]eporting|[Ww]riting|[Ee]diting) by "
    r"(?P<names>.+)"
)


def find_credits(blocks: Sequence[Block]) -> tuple[str, ...]:
    """Agencies and people a closing credit line names: '— with files from The Associated Press
    and Reuters.', 'Reuters contributed to this report.', 'Reporting by A in Kyiv; Editing by B'."""
    found: list[str] = []
    for block in blocks[-3:]:
        if block.kind != "p":
            continue
        text = block.text
        for pattern in _CREDIT_LINES:
            if m := pattern.fullmatch(text):
                found += split_names(m.group("names"))
        for part in re.split(r"\s*;\s*", text.rstrip(".")):
            if m := _REPORTING.fullmatch(part.strip("()[] ")):
                names = split_names(m.group("names"))
                found += [re.sub(r"\s+in\s+[A-Z].*$", "", n) for n in names]  # 'A in Kyiv'
    return tuple(dict.fromkeys(n for n in found if n))


def split_names(text: str) -> list[str]:
    return [n.strip(" .") for n in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text)]


def blocks_to_markdown(blocks: Iterable[Block]) -> str:
    prefix = {"p": "", "h2": "## ", "h3": "### ", "li": "- ", "quote": "> ", "caption": "*Image:* "}
    out: list[str] = []
    for block in blocks:
        line = prefix[block.kind] + escape_markdown(block.text, block.kind == "p")
        if block.kind == "caption":
            line += "\n{: .ra-caption }"
        if out and block.kind in ("li", "quote") and out[-1].startswith(prefix[block.kind]):
            out[-1] += ("\n" if block.kind == "li" else "\n>\n") + line
        else:
            out.append(line)
    return "\n\n".join(out) + "\n"


def escape_markdown(text: str, at_line_start: bool = True) -> str:
    """Keep copy text literal: no accidental emphasis, code, HTML, headings, lists or quotes."""
    text = re.sub(r"([\\`*_]|<(?=[A-Za-z/!?]))", r"\\\1", text)
    if at_line_start:
        text = re.sub(r"^(#|>|[-+*](?=\s)|\d+(?=[.)]\s))", r"\\\1", text)
    return text


# --- dates and slugs ---------------------------------------------------------------------

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2})?)?"
)


def normalize_date(text: str) -> str | None:
    """'2022-03-30', '2022-03-30T14:05:00+0300' or '…Z' -> a value the schema accepts, or None.
    A time without an offset keeps only the day: its time zone is unknown."""
    m = _ISO.match(text.strip())
    if not m:
        return None
    year, month, day, hour, minute, second, offset = m.groups()
    try:
        day_value = dt.date(int(year), int(month), int(day))
        if hour is None or offset is None:
            return day_value.isoformat()
        shift = (
            dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[-2:]))
            if offset != "Z"
            else dt.timedelta()
        )
        zone = dt.timezone(-shift if offset.startswith("-") else shift)
        stamp = dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=zone
        )
    except ValueError:
        return None
    return stamp.isoformat()
