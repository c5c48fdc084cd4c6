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


def find_anaphora(text: str, published: dt.date) -> list[Candidate]:
    """ "the day before", "the following week", "a year earlier": counted from the date named
    before them (resolved in in_years_set); kind 'anaphor <unit> <step>'."""
    found: list[Candidate] = []
    for m in ANAPHOR_RE.finditer(text):
        if m["which"]:
            unit, step = m["which"].lower(), -1 if m["side"].lower() == "before" else 1
        elif m["unit"]:
            unit = m["unit"].lower()
            step = {"previous": -1, "following": 1, "next": 1, "same": 0}[m["order"].lower()]
            if m["order"].lower() == "next" and unit != "day":
                continue  # "the next week" is a duration or relative to publication
        else:
            unit, step = m["one"].lower(), 1 if m["way"].lower() == "later" else -1
        found.append((m.start(), m.end(), "day", published, f"anaphor {unit} {step}"))
    return found


_WEEK_NUMBER = re.compile(
    r"(?i)\b(?:the\s+)?(?P<n>[1-5]?\d)(?:st|nd|rd|th)\s+week(?:\s+of\s+(?:the|this)\s+year)?(?!\w)"
)
_PART_OF_YEAR = re.compile(
    r"(?i)\bthe\s+(?:very\s+)?(?:end|beginning|start|middle|first\s+half|second\s+half)\s+of\s+(?:the|this)\s+year(?!\w)"
)


def find_periods(text: str, published: dt.date) -> list[Candidate]:
    """ "the 44th week of the year": that ISO week of the publication year (of the year before
    when it has not come yet); "the end of the year": the publication year."""
    found: list[Candidate] = []
    this_week = published.isocalendar()[1]
    for m in _WEEK_NUMBER.finditer(text):
        number = int(m["n"])
        year = published.year if number <= this_week else published.year - 1
        try:
            found.append((m.start(), m.end(), "week", dt.date.fromisocalendar(year, number, 1), "dated"))
        except ValueError:
            continue  # week 53 of a year with 52
    for m in _PART_OF_YEAR.finditer(text):
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
