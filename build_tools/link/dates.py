"""Finding the dates an article's text names ("on Tuesday", "Feb. 24", "last week", "since 2014")
and resolving each against the publication day.

Speed: each of four regexes opens on a literal (a month, a weekday, a digit, a relative word), so
`re` skips ahead with its first-character scan; context words (cues such as "since", "last") are
then read backwards from each candidate with small anchored regexes, never by looping over words.

Decisions on ambiguous cases, chosen to keep precision high:

- A weekday alone is the latest such day on or before publication ("Monday" in a Wednesday
  article is two days earlier; "Wednesday" is the day itself). "last"/"this past" Tuesday is
  strictly before; "next"/"coming"/"this coming" strictly after; "this Friday" is that weekday in
  the publication week (Monday to Sunday), past or future. Spans include those modifiers.
- A weekday after "a", "every", "the", "that", … ("on a Tuesday") or in a named day ("Black
  Friday", "Super Tuesday") is not a date; abbreviations ("Tues.") count only after "on" or a
  modifier, or before a day ("Tues., March 29"), since "Sun." ends many sentences as a paper's
  name. "Tuesday, March 29" is one expression with the value of its date.
- A month and day without a year takes the year that puts it closest to publication (ties to the
  past); after "since" the latest one on or before publication. A day that exists in no
  candidate year ("Feb. 30") is not a date.
- Numeric dates: ISO "2022-02-24"; "24/02/2022", "24.02.2022", "24-02-2022" day first, read month
  first only when the second number cannot be a month (US "2/24/2022"). Four-digit years only.
- A month alone is a month only after a cue ("in", "since", "early", "mid-", "last", …), except
  the months that are rarely anything else (January, February, July, September–December). "May"
  needs one of "in since by until till through throughout during from of early mid late last next
  this between", so "may", "May I" and "Theresa May" are never dates; "March", "April", "June",
  "August" need any cue. Abbreviations alone ("Mar") never count. Without a year: "last March"
  is the latest March before the publication month, "next March" the first after, "this March"
  the one in the publication year, "since March" the latest on or before, otherwise the closest
  (up to six months back, else up to five ahead).
- A year (1900–2099) counts after a cue ("in", "since", "by", "from … to", "between … and",
  "the end of", "mid-"), or after "the"/"a"/a possessive when a word follows ("the 2014
  annexation", "Russia’s 2014 annexation"), or as a possessive ("2014’s"), and never before a
  counted noun ("the 2000 troops"), inside a number, code, range or time ("5,000", "20:14",
  "2014-15"), after a currency sign, or in a copyright line ("©2022").
- Relative words: "today"/"tonight"/"this morning" → publication day; "yesterday"/"last night"
  → the day before; "tomorrow"; "the day before yesterday"/"the day after tomorrow";
  "last/this/next week|weekend" → the week's Monday; "… month" and "… year" → that period;
  "earlier/later this month" span the whole phrase. After "the" ("over the last week", "the next
  year") they are durations, not dates. "N days ago" → a day; "N weeks ago" → the week (Monday)
  holding that day; "N months/years ago" → that month or year. "a few days ago", "recently",
  "overnight" are too vague to resolve and are left out. Capitalised "Today" mid-sentence is a
  name ("USA Today", "Russia Today").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Granularity = Literal["day", "week", "month", "year"]


@dataclass(frozen=True)
class DateRef:
    """One date expression in a text, resolved against the publication day."""

    start: int  # offset of the expression in the text
    end: int
    text: str  # the expression as written, e.g. "Tuesday", "Feb. 24", "last week"
    granularity: Granularity
    value: dt.date  # the resolved day; for week/month/year: the first day of that period (Monday for weeks)


# --- patterns ------------------------------------------------------------------------------------

_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBREVIATIONS = r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?"
_MONTH = f"(?:{_MONTH_NAMES}|{_MONTH_ABBREVIATIONS})(?!\\w)"
_YEAR = r"(?:19|20)\d\d"
_YEAR_END = r"(?![\w/]|[.,:\-–]\d)"  # not "2014-15", "2022/23", "2022.5"
_MONTH_NUMBER = {name.lower()[:3]: number for number, name in enumerate(_MONTH_NAMES.split("|"), 1)}
_FULL_NAMES = frozenset(_MONTH_NAMES.split("|"))
_SAFE_ALONE = frozenset({1, 2, 7, 9, 10, 11, 12})  # months rarely anything but a month

_MONTH_RE = re.compile(
    rf"(?P<month>{_MONTH})(?:"
    rf"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+(?P<year>{_YEAR}){_YEAR_END})?(?![\w:/]|[.,]\d)"
    rf"|,?\s+(?P<month_year>{_YEAR}){_YEAR_END})?"
)
_DIGIT_RE = re.compile(
    r"(?P<number>\d{1,4})(?:"
    r"(?<=\d{4})-(?P<iso_month>\d\d)-(?P<iso_day>\d\d)(?![\d/]|[.\-]\d)"
    rf"|(?P<separator>[/.\-])(?P<second>\d{{1,2}})(?P=separator)(?P<numeric_year>{_YEAR})(?![\d/]|[.\-]\d)"
    rf"|(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<day_month>{_MONTH})(?:,?\s+(?P<day_month_year>{_YEAR}){_YEAR_END})?"
    r")?"
)
_WEEKDAY_RE = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|Mon\.|Tues\.|Tue\.|Wed\.|Thurs\.|Thur\.|Thu\.|Fri\.|Sat\.|Sun\.)(?!\w)"
)
_RELATIVE_RE = re.compile(
    r"(?:today|Today|tonight|Tonight|yesterday|Yesterday|tomorrow|Tomorrow"
    r"|last|Last|this|This|next|Next|ago)(?!\w)"
)

# Context read backwards from a candidate: each pattern ends at the candidate (\Z with endpos).
_WINDOW = 40
_WEEKDAY_MODIFIER = re.compile(r"(?i)\b(last|next|this\s+coming|this\s+past|this|coming)\s+\Z")
_WEEKDAY_GENERIC = re.compile(
    r"(?:\b(?i:a|an|every|each|any|one|the|that|which)"
    r"|\b(?:Black|Good|Holy|Bloody|Super|Cyber|Easter|Ash|Palm|Maundy|Shrove|Blue|Man|Girl))\s+\Z"
)
# "that Tuesday" is a particular Tuesday named earlier, unless "that" only opens a clause after a
# reporting verb earlier in the sentence ("said on Wednesday that Tuesday's talks ...").
_THAT = re.compile(r"\bthat\s+\Z", re.IGNORECASE)
_REPORTED = re.compile(
    r"\b(?:said|says|say|added|adds|noted|wrote|announced|reported|confirmed|"
    r"told \w+|tells \w+|stated|insisted|warned|claimed)\b[^.!?;]*\Z"
)
_ON = re.compile(r"(?i)\bon\s+\Z")
_DATE_AFTER = re.compile(rf",?\s+(?:{_MONTH}|\d)")
_MONTH_CUE = re.compile(
    r"(?i)(?:\b(in|since|by|until|till|through|throughout|during|from|to|of|early|mid|late|last|next|this"
    r"|before|after|between|and|or)\s+|\b(mid)-)\Z"
)
_MAY_CUES = frozenset(
    {
        "in",
        "since",
        "by",
        "until",
        "till",
        "through",
        "throughout",
        "during",
        "from",
        "of",
        "early",
        "mid",
        "late",
        "last",
        "next",
        "this",
        "between",
    }
)
_SINCE = re.compile(r"(?i)\bsince\s+\Z")
_YEAR_CUE = re.compile(
    r"(?i)(?:(?P<cue>\b(?:in|since|by|from|(?<!\bup\s)to|until|till|through|throughout|during|of|before"
    r"|after|between|and|or|early|mid|late|circa|year|fiscal|spring|summer|autumn|fall|winter)\s+|\bmid-)"
    r"|(?P<determiner>\b(?:the|a|an|its|their|his|her|our|this|that)\s+|\w['’]s\s+))\Z"
)
_COPYRIGHT = re.compile(r"(?:©|\([cC]\)|\b[Cc]opyright)\s*\Z")
_NUMBER_GOES_ON = re.compile(r"[.,:/\-–]\d")
_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
_POSSESSIVE = re.compile(r"['’]s(?!\w)")
_COUNTED = frozenset(
    {  # nouns after a number that make it a count, not a year
        "people",
        "persons",
        "men",
        "women",
        "children",
        "kids",
        "troops",
        "soldiers",
        "fighters",
        "civilians",
        "residents",
        "refugees",
        "migrants",
        "deaths",
        "dead",
        "bodies",
        "casualties",
        "victims",
        "cases",
        "votes",
        "voters",
        "members",
        "workers",
        "employees",
        "staff",
        "homes",
        "houses",
        "buildings",
        "apartments",
        "flats",
        "tanks",
        "vehicles",
        "missiles",
        "drones",
        "rockets",
        "shells",
        "rounds",
        "km",
        "kilometres",
        "kilometers",
        "miles",
        "metres",
        "meters",
        "feet",
        "tonnes",
        "tons",
        "barrels",
        "dollars",
        "euros",
        "pounds",
        "rubles",
        "roubles",
        "hryvnias",
        "points",
        "hectares",
        "acres",
        "units",
        "pages",
        "words",
        "percent",
        "per",
        "more",
    }
)
_RELATIVE_UNIT = re.compile(r"\s+(weekend|week|month|year|night|morning|afternoon|evening)(?!\w)")
_RELATIVE_UNITS = {
    "last": {"week", "weekend", "month", "year", "night"},
    "this": {"week", "weekend", "month", "year", "morning", "afternoon", "evening"},
    "next": {"week", "weekend", "month", "year"},
}
_THE = re.compile(r"(?i)\bthe\s+\Z")
_EARLIER = re.compile(r"(?i)\b(?:earlier|later)\s+\Z")
_DAY_BEFORE = re.compile(r"(?i)(?:\bthe\s+)?\bday\s+(before|after)\s+\Z")
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_AGO = re.compile(rf"(?i)\b({'|'.join(_NUMBER_WORDS)}|\d{{1,3}})\s+(day|week|month|year)s?\s+\Z")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”‘’'(—–\-\n\r])[ \t]*\Z")

_Candidate = tuple[int, int, Granularity, dt.date, str]  # start, end, granularity, value, kind


def find_dates(text: str, published: dt.date) -> list[DateRef]:
    """Every date expression in `text`, resolved against the publication day, in text order,
    non-overlapping."""
    candidates = [
        *_month_dates(text, published),
        *_digit_dates(text, published),
        *_weekday_dates(text, published),
        *_relative_dates(text, published),
    ]
    candidates.sort(key=lambda c: (c[0], -c[1]))
    chosen: list[_Candidate] = []
    for candidate in candidates:
        if chosen and candidate[0] < chosen[-1][1]:
            continue
        previous = chosen[-1] if chosen else None
        if (
            previous
            and previous[4] == "weekday"
            and candidate[4] in ("month-day", "day-month")
            and _JOIN.fullmatch(text, previous[1], candidate[0])
        ):
            # "Tuesday, March 29": one expression; the date decides.
            chosen[-1] = (previous[0], candidate[1], "day", candidate[3], candidate[4])
        else:
            chosen.append(candidate)
    return [DateRef(s, e, text[s:e], g, v) for s, e, g, v, _ in chosen]


_JOIN = re.compile(r",?\s+")


# --- months, days and years ----------------------------------------------------------------------


def _month_dates(text: str, published: dt.date) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in _MONTH_RE.finditer(text):
        start = m.start()
        if start and text[start - 1].isalnum():
            continue
        month = _MONTH_NUMBER[m["month"][:3].lower()]
        if m["day"]:
            since = _SINCE.search(text, max(0, start - _WINDOW), start) is not None
            day = _day(int(m["year"]) if m["year"] else None, month, int(m["day"]), published, since)
            if day:
                found.append((start, m.end(), "day", day, "month-day"))
        elif m["month_year"]:
            found.append((start, m.end(), "month", dt.date(int(m["month_year"]), month, 1), "month"))
        elif m["month"] in _FULL_NAMES:  # an abbreviation alone ("Mar") is never enough
            cue_match = _MONTH_CUE.search(text, max(0, start - _WINDOW), start)
            cue = (cue_match[1] or cue_match[2]).lower() if cue_match else None
            if cue is None and month not in _SAFE_ALONE:
                continue
            if month == 5 and cue not in _MAY_CUES:
                continue
            if cue in ("last", "next", "this"):
                start = cue_match.start()  # type: ignore[union-attr]
            found.append((start, m.end(), "month", _month_alone(month, published, cue), "month"))
    return found


def _digit_dates(text: str, published: dt.date) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in _DIGIT_RE.finditer(text):
        start, number = m.start(), m["number"]
        before = text[start - 1] if start else " "
        if before.isalnum() or before in "_$€£¥#@©/.,:+":
            continue
        if m["iso_month"]:
            day = _valid(int(number), int(m["iso_month"]), int(m["iso_day"]))
        elif m["numeric_year"]:
            day = _numeric(int(number), int(m["second"]), int(m["numeric_year"]))
        elif m["day_month"]:
            year = int(m["day_month_year"]) if m["day_month_year"] else None
            since = _SINCE.search(text, max(0, start - _WINDOW), start) is not None
            day = _day(year, _MONTH_NUMBER[m["day_month"][:3].lower()], int(number), published, since)
        else:
            if before in "-–" and text[max(0, start - 4) : start - 1].lower() != "mid":
                continue
            if len(number) == 4 and number[:2] in ("19", "20") and _is_year(text, start, m.end()):
                found.append((start, m.end(), "year", dt.date(int(number), 1, 1), "year"))
            continue
        if day:
            found.append((start, m.end(), "day", day, "numeric" if not m["day_month"] else "day-month"))
    return found


def _is_year(text: str, start: int, end: int) -> bool:
    after = text[end] if end < len(text) else " "
    if after.isalnum() or after in "_%°" or _NUMBER_GOES_ON.match(text, end):
        return False
    if _COPYRIGHT.search(text, max(0, start - 12), start):
        return False
    if _POSSESSIVE.match(text, end):
        return True
    context = _YEAR_CUE.search(text, max(0, start - _WINDOW), start)
    if not context:
        return False
    next_word = _NEXT_WORD.match(text, end)
    if next_word and next_word[1].lower() in _COUNTED:
        return False
    return bool(context["cue"]) or next_word is not None


def _day(year: int | None, month: int, day: int, published: dt.date, since: bool) -> dt.date | None:
    if year is not None:
        return _valid(year, month, day)
    options = [
        d for y in (published.year - 1, published.year, published.year + 1) if (d := _valid(y, month, day))
    ]
    if since and (past := [d for d in options if d <= published]):
        return past[-1]
    return min(options, key=lambda d: (abs((d - published).days), d), default=None)


def _numeric(first: int, second: int, year: int) -> dt.date | None:
    if second > 12 >= first:  # only month-first can be a date: US style
        return _valid(year, first, second)
    return _valid(year, second, first)


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_alone(month: int, published: dt.date, cue: str | None) -> dt.date:
    back = (published.month - month) % 12  # months from that month to the publication month
    if cue == "this":
        return dt.date(published.year, month, 1)
    if cue == "last":
        back = back or 12
    elif cue == "next":
        back = back - 12 if back else -12
    elif cue != "since" and back > 6:
        back -= 12
    return _shift_months(published, -back)


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


# --- weekdays and relative words -----------------------------------------------------------------


def _weekday_dates(text: str, published: dt.date) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in _WEEKDAY_RE.finditer(text):
        start, word = m.start(), m[0]
        if start and text[start - 1].isalnum():
            continue
        window = max(0, start - _WINDOW)
        modifier = _WEEKDAY_MODIFIER.search(text, window, start)
        if not modifier and _WEEKDAY_GENERIC.search(text, window, start):
            that = _THAT.search(text, window, start)
            if not (that and _REPORTED.search(text, max(0, start - 120), that.start())):
                continue
        if word.endswith(".") and not (
            modifier or _ON.search(text, window, start) or _DATE_AFTER.match(text, m.end())
        ):
            continue
        weekday = _WEEKDAYS[word[:2]]
        kind = " ".join(modifier[1].lower().split()) if modifier else ""
        if kind in ("last", "this past"):
            value = published - dt.timedelta((published.weekday() - weekday - 1) % 7 + 1)
        elif kind in ("next", "coming", "this coming"):
            value = published + dt.timedelta((weekday - published.weekday() - 1) % 7 + 1)
        elif kind == "this":
            value = _monday(published) + dt.timedelta(weekday)
        else:
            value = published - dt.timedelta((published.weekday() - weekday) % 7)
        found.append(
            (
                modifier.start() if modifier else start,
                m.end(),
                "day",
                value,
                "weekday" if not modifier else "weekday-modified",
            )
        )
    return found


_WEEKDAYS = {"Mo": 0, "Tu": 1, "We": 2, "Th": 3, "Fr": 4, "Sa": 5, "Su": 6}


def _relative_dates(text: str, published: dt.date) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in _RELATIVE_RE.finditer(text):
        start, end = m.span()
        if start and text[start - 1].isalnum():
            continue
        word = m[0].lower()
        window = max(0, start - _WINDOW)
        if word == "ago":
            amount = _AGO.search(text, window, start)
            if amount:
                found.append(_ago(amount.start(), end, amount[1].lower(), amount[2].lower(), published))
        elif word in ("last", "this", "next"):
            unit = _RELATIVE_UNIT.match(text, end)
            if not unit or unit[1] not in _RELATIVE_UNITS[word] or _THE.search(text, window, start):
                continue
            if word == "this" and (earlier := _EARLIER.search(text, window, start)):
                start = earlier.start()
            found.append((start, unit.end(), *_relative(word, unit[1], published), "relative"))
        else:
            if m[0][0].isupper() and not _at_sentence_start(text, start):
                continue  # "USA Today", "Russia Today"
            offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
            before = _DAY_BEFORE.search(text, window, start) if word in ("yesterday", "tomorrow") else None
            if before and (before[1].lower() == "before") == (word == "yesterday"):
                start, offset = before.start(), offset * 2
            found.append((start, end, "day", published + dt.timedelta(offset), "relative"))
    return found


def _relative(word: str, unit: str, published: dt.date) -> tuple[Granularity, dt.date]:
    step = {"last": -1, "this": 0, "next": 1}[word]
    if unit in ("week", "weekend"):
        return "week", _monday(published) + dt.timedelta(7 * step)
    if unit == "month":
        return "month", _shift_months(published, step)
    if unit == "year":
        return "year", dt.date(published.year + step, 1, 1)
    return "day", published + dt.timedelta(-1 if unit == "night" else 0)  # last night, this morning


def _ago(start: int, end: int, amount: str, unit: str, published: dt.date) -> _Candidate:
    n = _NUMBER_WORDS.get(amount) or int(amount)
    if unit == "day":
        return (start, end, "day", published - dt.timedelta(n), "relative")
    if unit == "week":
        return (start, end, "week", _monday(published - dt.timedelta(7 * n)), "relative")
    if unit == "month":
        return (start, end, "month", _shift_months(published, -n), "relative")
    return (start, end, "year", dt.date(published.year - n, 1, 1), "relative")


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(day.weekday())


def _at_sentence_start(text: str, start: int) -> bool:
    return _SENTENCE_START.search(text, max(0, start - _WINDOW), start) is not None
