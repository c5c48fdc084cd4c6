"""Calendar arithmetic for the date finder, and the dates counted from another date named
before them ("the day before", "a week earlier", "the following year")."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

Granularity = Literal["day", "week", "month", "year"]
Candidate = tuple[int, int, Granularity, dt.date, str]  # start, end, granularity, value, kind


def valid_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(day.weekday())


ANAPHOR_RE = re.compile(
    r"(?i)\b(?:the\s+(?P<which>day|week|month|year)\s+(?P<side>before|after)(?!\s+(?:yesterday|tomorrow|last|next)\b)"
    r"|the\s+(?P<order>previous|following|next|same)\s+(?P<unit>day|week|month|year)"
    r"|an?\s+(?P<one>day|week|month|year)\s+(?P<way>earlier|later|before)(?!\s+(?:the|a|an|it|he|she|they|we|I)\b))(?!\w)"
)


# ANAPHOR_RE and the two patterns of find_periods read a text case-insensitively from every
# word: 60 to 120 us a news article each, though few articles hold what they look for. Each is
# tried only when the text, lowercased (`fold_case`), holds the words it needs in a row: patterns
# that start with a word, which the regular expression engine finds fast (25 us for these
# eight; one pattern starting with any of the words took as long as ANAPHOR_RE).
ANAPHOR_WORDS = tuple(
    re.compile(pattern)
    for pattern in [
        *(rf"{unit}\s+(?:before|after|earlier|later)" for unit in ("day", "week", "month", "year")),
        *(rf"{order}\s+(?:day|week|month|year)" for order in ("previous", "following", "next", "same")),
    ]
)
PART_OF_YEAR_WORDS = re.compile(r"of\s+th(?:e|is)\s+year")
# The characters an IGNORECASE pattern matches to an ASCII letter that str.lower() does not
# turn into one (İ lowercases to i and a combining dot).
_FOLD_REST = {0x131: "i", 0x17F: "s", 0x307: None}


def fold_case(text: str) -> str:
    """`text` lowercased as an IGNORECASE pattern of ASCII words reads it: wherever such a
    pattern matches `text`, the same pattern in lowercase matches the result (which may have
    another length), and a word it matched reads as that word ("ſix" as "six")."""
    low = text.lower()
    if not low.isascii() and ("ı" in low or "ſ" in low or "\u0307" in low):
        low = low.translate(_FOLD_REST)
    return low


def find_anaphora(text: str, published: dt.date, low: str | None = None) -> list[Candidate]:
    """ "the day before", "the following week", "a year earlier": counted from the date named
    before them (resolved in in_years_set); kind 'anaphor <unit> <step>'. low: fold_case(text)."""
    found: list[Candidate] = []
    low = fold_case(text) if low is None else low
    if not any(words.search(low) for words in ANAPHOR_WORDS):
        return found
    for m in ANAPHOR_RE.finditer(text):
        if m["which"]:
            unit, step = fold_case(m["which"]), -1 if fold_case(m["side"]) == "before" else 1
        elif m["unit"]:
            unit, order = fold_case(m["unit"]), fold_case(m["order"])
            step = {"previous": -1, "following": 1, "next": 1, "same": 0}[order]
            if order == "next" and unit != "day":
                continue  # "the next week" is a duration or relative to publication
        else:
            unit, step = fold_case(m["one"]), 1 if fold_case(m["way"]) == "later" else -1
        found.append((m.start(), m.end(), "day", published, f"anaphor {unit} {step}"))
    return found


_WEEK_NUMBER = re.compile(
    r"(?i)\b(?:the\s+)?(?P<n>[1-5]?\d)(?:st|nd|rd|th)\s+week(?:\s+of\s+(?:the|this)\s+year)?(?!\w)"
)
_PART_OF_YEAR = re.compile(
    r"(?i)\bthe\s+(?:very\s+)?(?:end|beginning|start|middle|first\s+half|second\s+half)\s+of\s+(?:the|this)\s+year(?!\w)"
)


def ordinal_week(low: str) -> bool:
    """Whether a lowercased text holds a digit, an ordinal's ending, space and "week", which
    any match of _WEEK_NUMBER does (\\s is what str.isspace takes, \\d str.isdecimal)."""
    at = low.find("week")
    while at != -1:
        end = at
        while end > 0 and low[end - 1].isspace():
            end -= 1
        ending = low[end - 2 : end]
        if end < at and end >= 3 and ending in ("st", "nd", "rd", "th") and low[end - 3].isdecimal():
            return True
        at = low.find("week", at + 4)
    return False


def find_periods(text: str, published: dt.date, low: str | None = None) -> list[Candidate]:
    """ "the 44th week of the year": that ISO week of the publication year (of the year before
    when it has not come yet); "the end of the year": the publication year. low: fold_case(text)."""
    found: list[Candidate] = []
    low = fold_case(text) if low is None else low
    this_week = published.isocalendar()[1]
    for m in _WEEK_NUMBER.finditer(text) if ordinal_week(low) else ():
        number = int(m["n"])
        year = published.year if number <= this_week else published.year - 1
        try:
            found.append((m.start(), m.end(), "week", dt.date.fromisocalendar(year, number, 1), "dated"))
        except ValueError:
            continue  # week 53 of a year with 52
    for m in _PART_OF_YEAR.finditer(text) if PART_OF_YEAR_WORDS.search(low) else ():
        found.append((m.start(), m.end(), "year", dt.date(published.year, 1, 1), "relative"))
    return found


def from_anchor(kind: str, granularity: Granularity, anchor: dt.date) -> tuple[Granularity, dt.date] | None:
    _, unit, step_text = kind.split()
    step = int(step_text)
    if unit == "day":
        return ("day", anchor + dt.timedelta(step)) if granularity == "day" else None
    if unit == "week":
        return "week", monday(anchor) + dt.timedelta(7 * step)
    if unit == "month":
        return "month", shift_months(anchor.replace(day=1), step)
    return "year", dt.date(anchor.year + step, 1, 1)


def in_years_set(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """A year the text has just set ("On 20 March 2003 … on 1 May", "eight years ago, on May
    26") applies to the days without a year that follow in the same or the next paragraph,
    until a date relative to publication ("yesterday", "on Monday") brings the text back.
    "The day before", "a week earlier" count from the date named last in those paragraphs;
    with none, they are left out."""
    year: int | None = None
    set_at = 0
    out: list[Candidate] = []
    for start, end, granularity, value, kind in chosen:
        if kind.startswith("anaphor"):
            anchor = out[-1] if out and text.count("\n\n", out[-1][0], start) <= 1 else None
            if anchor and (resolved := from_anchor(kind, anchor[2], anchor[3])):
                out.append((start, end, *resolved, "relative"))
            continue
        if kind in ("weekday", "weekday-modified", "relative"):
            year = None
        elif kind in ("month-day", "day-month") and year is not None:
            if text.count("\n\n", set_at, start) <= 1 and (day := valid_date(year, value.month, value.day)):
                value = day
        if kind == "dated" or kind == "years-ago":
            year, set_at = value.year, start
        out.append((start, end, granularity, value, kind))
    return out
