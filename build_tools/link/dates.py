"""Finding the dates an article's text names ("on Tuesday", "Feb. 24", "last week", "since 2014")
and resolving each against the publication day.

Speed: each of four regexes opens on a literal (a month, a weekday, a digit, a relative word), so
`re` skips ahead with its first-character scan; context words (cues such as "since", "last") are
then read backwards from each candidate with small anchored regexes, never by looping over words.

Decisions on ambiguous cases, chosen to keep precision high:

- A weekday alone is the latest such day on or before publication ("Monday" in a Wednesday
  article is two days earlier; "Wednesday" is the day itself), or the first on or after it when
  its clause speaks of the future ("will", "planned to", "postponed until", "ahead of";
  date_context.clause_tense). "last"/"this past" Tuesday is
  strictly before; "next"/"coming"/"this coming" strictly after; "this Friday" is that weekday in
  the publication week (Monday to Sunday), past or future. Spans include those modifiers.
- A weekday after "a", "every", "the", "that", … ("on a Tuesday") or in a named day ("Black
  Friday", "Super Tuesday") is not a date; abbreviations ("Tues.") count only after "on" or a
  modifier, or before a day ("Tues., March 29"), since "Sun." ends many sentences as a paper's
  name. "Tuesday, March 29" is one expression with the value of its date.
- A month and day without a year is the latest one on or before publication, the first on or
  after it with a future cue, and with no tense word one in the coming month if there is one;
  after "since" the latest on or before publication. A year the text has just set ("On 20
  March 2003 … on 1 May") applies to the days after it in the same or the next paragraph;
  "the day before", "a week earlier" count from the date named before them. A day that exists in no
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
- Relative words: "today"/"tonight"/"this morning" → publication day, but a "today" or
  "tomorrow" meaning our times ("the world today", "Today Ukraine, tomorrow Moldova") is no
  date (date_context.is_era); "yesterday"/"last night"
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

from .date_calendar import (
    Granularity,
    find_anaphora,
    find_periods,
    fold_case,
    in_years_set,
    monday,
    shift_months,
    valid_date,
)
from .date_context import Tense, clause_tense, is_era, modifies_noun
from .date_words import COUNTED, MAY_CUES, NUMBER_WORDS


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
    rf"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+(?P<year>{_YEAR}){_YEAR_END})?(?![\w/]|[.,:]\d)"
    rf"|,?\s+(?P<month_year>{_YEAR}){_YEAR_END})?"
)
_DIGIT_RE = re.compile(
    r"(?P<number>\d\d{0,3})(?:"  # \d{1,4}, written so that the search skips to each digit
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
    r"|last|Last|this|This|next|Next|current|ago)(?!\w)"
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
_SINCE = re.compile(r"(?i)\bsince\s+\Z")
_YEAR_CUE = re.compile(
    r"(?i)(?:(?P<cue>\b(?:in|since|by|for|from|(?<!\bup\s)to|until|till|through|throughout|during|of|before"
    r"|after|between|and|or|early|mid|late|circa|year|fiscal|spring|summer|autumn|fall|winter)\s+|\bmid-)"
    r"|(?P<determiner>\b(?:the|a|an|its|their|his|her|our|this|that)\s+|\w['’]s\s+))\Z"
)
_COPYRIGHT = re.compile(r"(?:©|\([cC]\)|\b[Cc]opyright)\s*\Z")
_NUMBER_GOES_ON = re.compile(r"[.,:/\-–]\d")
_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
_POSSESSIVE = re.compile(r"['’]s(?!\w)")
_RELATIVE_UNIT = re.compile(r"\s+(weekend|week|month|year|night|morning|afternoon|evening)(?!\w)")
_RELATIVE_UNITS = {
    "last": {"week", "weekend", "month", "year", "night"},
    "this": {"week", "weekend", "month", "year", "morning", "afternoon", "evening"},
    "next": {"week", "weekend", "month", "year"},
}
_THE = re.compile(r"(?i)\bthe\s+\Z")
_EARLIER = re.compile(r"(?i)\b(?:earlier|later)\s+\Z")
_DAY_BEFORE = re.compile(r"(?i)(?:\bthe\s+)?\bday\s+(before|after)\s+\Z")
_AGO = re.compile(rf"(?i)\b({'|'.join(NUMBER_WORDS)}|\d{{1,3}})\s+(day|week|month|year)s?\s+\Z")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”‘’'`(—–\-\n\r])[ \t]*\Z")

_Candidate = tuple[int, int, Granularity, dt.date, str]  # start, end, granularity, value, kind


def find_dates(text: str, published: dt.date) -> list[DateRef]:
    """Every date expression in `text`, resolved against the publication day, in text order,
    non-overlapping."""
    candidates = [
        *_month_dates(text, published),
        *_digit_dates(text, published),
        *_weekday_dates(text, published),
        *_relative_dates(text, published),
        *find_anaphora(text, published, low := fold_case(text)),
        *find_periods(text, published, low),
    ]
    candidates.sort(key=lambda c: (c[0], -c[1]))
    chosen: list[_Candidate] = []
    for candidate in candidates:
        if chosen and candidate[0] < chosen[-1][1]:
            continue
        previous = chosen[-1] if chosen else None
        if (
            previous
            and (previous[4] == "weekday" or text[previous[0] : previous[1]].lower() == "today")
            and candidate[4] in ("month-day", "day-month", "dated")
            and _JOIN.fullmatch(text, previous[1], candidate[0])
        ):
            # "Tuesday, March 29", "Today, June 22": one expression; the date decides.
            chosen[-1] = (previous[0], candidate[1], "day", candidate[3], candidate[4])
        elif (
            previous
            and previous[4] == "years-ago"
            and candidate[4] in ("month-day", "day-month")
            and _APPOSITION.fullmatch(text, previous[1], candidate[0])
            and (day := valid_date(previous[3].year, candidate[3].month, candidate[3].day))
        ):
            # "exactly eight years ago, on May 26": one day, that many years back.
            chosen[-1] = (previous[0], candidate[1], "day", day, "dated")
        else:
            chosen.append(candidate)
    return [DateRef(s, e, text[s:e], g, v) for s, e, g, v, _ in in_years_set(text, chosen)]


_JOIN = re.compile(r",?\s+")
_APPOSITION = re.compile(r",\s+(?:on\s+)?")
_NAME_AFTER = re.compile(r" [A-Z][a-z]")
_OF_YEAR = re.compile(r"(?:[-–][0-3]?\d)?,?\s+(?:of\s+)?(this|last|next)\s+year(?!\w)", re.IGNORECASE)
_YEAR_STEP = {"this": 0, "last": -1, "next": 1}


# --- months, days and years ----------------------------------------------------------------------


def _month_dates(text: str, published: dt.date) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in _MONTH_RE.finditer(text):
        start = m.start()
        if start and text[start - 1].isalnum():
            continue
        month = _MONTH_NUMBER[m["month"][:3].lower()]
        end = m.end()
        year = int(m["year"]) if m["year"] else None
        of_year = _OF_YEAR.match(text, end) if year is None and not m["month_year"] else None
        if of_year:  # "April this year", "June 1 of this year"
            year, end = published.year + _YEAR_STEP[fold_case(of_year[1])], of_year.end()
        if m["day"]:
            since = _SINCE.search(text, max(0, start - _WINDOW), start) is not None
            tense = None if year or since else clause_tense(text, start, end)
            day = _day(year, month, int(m["day"]), published, since, tense)
            if day:
                found.append((start, end, "day", day, "month-day" if not year else "dated"))
        elif of_year:
            found.append((start, end, "month", dt.date(year, month, 1), "dated"))  # type: ignore[arg-type]
        elif m["month_year"]:
            found.append((start, m.end(), "month", dt.date(int(m["month_year"]), month, 1), "dated"))
        elif m["month"] in _FULL_NAMES:  # an abbreviation alone ("Mar") is never enough
            cue_match = _MONTH_CUE.search(text, max(0, start - _WINDOW), start)
            cue = fold_case(cue_match[1] or cue_match[2]) if cue_match else None
            if (
                cue is None
                and _THE.search(text, max(0, start - _WINDOW), start)
                and modifies_noun(text, m.end())
            ):
                cue = "the"  # "the April results"
            if _NAME_AFTER.match(text, m.end()):
                continue  # "the January Uprising", "October Revolution": a name
            if cue is None and month not in _SAFE_ALONE:
                continue
            if month == 5 and cue not in MAY_CUES:
                continue
            if cue in ("last", "next", "this"):
                start = cue_match.start()  # type: ignore[union-attr]
            tense = (
                clause_tense(text, start, m.end()) if cue not in ("last", "next", "this", "since") else None
            )
            found.append((start, m.end(), "month", _month_alone(month, published, cue, tense), "month"))
    return found


def _digit_dates(text: str, published: dt.date) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in _DIGIT_RE.finditer(text):
        start, number = m.start(), m["number"]
        before = text[start - 1] if start else " "
        if before.isalnum() or before in "_$€£¥#@©/.,:+":
            continue
        if m["iso_month"]:
            day = valid_date(int(number), int(m["iso_month"]), int(m["iso_day"]))
        elif m["numeric_year"]:
            day = _numeric(int(number), int(m["second"]), int(m["numeric_year"]))
        elif m["day_month"]:
            year = int(m["day_month_year"]) if m["day_month_year"] else None
            end = m.end()
            if year is None and (of_year := _OF_YEAR.match(text, end)):  # "24 February this year"
                year, end = published.year + _YEAR_STEP[fold_case(of_year[1])], of_year.end()
            since = _SINCE.search(text, max(0, start - _WINDOW), start) is not None
            tense = None if year or since else clause_tense(text, start, end)
            day = _day(year, _MONTH_NUMBER[m["day_month"][:3].lower()], int(number), published, since, tense)
            if day:
                kind = "dated" if year else "day-month"
                found.append((start, end, "day", day, kind))
            continue
        else:
            if before in "-–" and text[max(0, start - 4) : start - 1].lower() != "mid":
                continue
            if len(number) != 4 or not "10" <= number[:2] <= "20":
                continue
            year_range = _YEAR_RANGE.match(text, m.end())
            if year_range and int(number) < int(year_range[1]) <= int(number) + 50:
                # "the plan for 2022–2024": its first year
                found.append((start, year_range.end(), "year", dt.date(int(number), 1, 1), "year"))
            elif _is_year(text, start, m.end()) and (
                number[:2] in ("19", "20") or _CUE_BEFORE_OLD.search(text, max(0, start - 12), start)
            ):
                found.append((start, m.end(), "year", dt.date(int(number), 1, 1), "year"))
            continue
        if day:
            found.append((start, m.end(), "day", day, "dated"))
    return found


_YEAR_RANGE = re.compile(r"[–-]((?:1\d|20)\d\d)(?![\w.,/]\d|\w)")
# A year before 1900 only after a preposition: "in 1828", not "the 1500 troops".
_CUE_BEFORE_OLD = re.compile(r"(?i)\b(?:in|since|from|until|till|of|by|before|after|the)\s+\Z")


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
    if next_word and next_word[1].lower() in COUNTED:
        return False
    return bool(context["cue"]) or next_word is not None


# A day and month without a year that no tense word places is taken as coming when it falls
# this soon after publication ("talks on March 29" in a March 28 article), else as past.
_NEAR_FUTURE = dt.timedelta(days=31)


def _day(
    year: int | None, month: int, day: int, published: dt.date, since: bool, tense: Tense | None = None
) -> dt.date | None:
    """The day of a month and day; without a year, the latest one on or before publication
    ("Aug. 6" in a February article is last August), the first one on or after it when the
    clause speaks of the future ("will meet on Aug. 6"), or a day in the coming month when no
    tense word tells."""
    if year is not None:
        return valid_date(year, month, day)
    options = [
        d
        for y in (published.year - 1, published.year, published.year + 1)
        if (d := valid_date(y, month, day))
    ]
    past = [d for d in options if d <= published]
    coming = [d for d in options if d >= published]
    if tense == "future" and coming:
        return coming[0]
    if since or tense == "past":
        return past[-1] if past else None
    if coming and coming[0] - published <= _NEAR_FUTURE:
        return coming[0]
    return past[-1] if past else (coming[0] if coming else None)


def _numeric(first: int, second: int, year: int) -> dt.date | None:
    if second > 12 >= first:  # only month-first can be a date: US style
        return valid_date(year, first, second)
    return valid_date(year, second, first)


def _month_alone(month: int, published: dt.date, cue: str | None, tense: Tense | None = None) -> dt.date:
    back = (published.month - month) % 12  # months from that month to the publication month
    if cue == "this":
        return dt.date(published.year, month, 1)
    if cue == "last":
        back = back or 12
    elif cue == "next":
        back = back - 12 if back else -12
    elif tense == "future" and back:
        back -= 12  # "will be held in June": the coming one
    elif cue != "since" and tense != "past" and back > 6:
        back -= 12
    return shift_months(published, -back)


# --- weekdays and relative words -----------------------------------------------------------------


def _weekday_dates(text: str, published: dt.date) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in _WEEKDAY_RE.finditer(text):
        start, word = m.start(), m[0]
        if start and text[start - 1].isalnum():
            continue
        window = max(0, start - _WINDOW)
        modifier = _WEEKDAY_MODIFIER.search(text, window, start)
        generic = None if modifier else _WEEKDAY_GENERIC.search(text, window, start)
        if generic and _THE.search(text, window, start) and modifies_noun(text, m.end()):
            generic = None  # "the Friday explosions": that Friday's
        if generic:
            that = _THAT.search(text, window, start)
            if not (that and _REPORTED.search(text, max(0, start - 120), that.start())):
                continue
        if word.endswith(".") and not (
            modifier or _ON.search(text, window, start) or _DATE_AFTER.match(text, m.end())
        ):
            continue
        weekday = _WEEKDAYS[word[:2]]
        kind = " ".join(fold_case(modifier[1]).split()) if modifier else ""
        if kind in ("last", "this past"):
            value = published - dt.timedelta((published.weekday() - weekday - 1) % 7 + 1)
        elif kind in ("next", "coming", "this coming"):
            value = published + dt.timedelta((weekday - published.weekday() - 1) % 7 + 1)
        elif kind == "this":
            value = monday(published) + dt.timedelta(weekday)
        elif clause_tense(text, start, m.end()) == "future":  # "will meet on Thursday"
            value = published + dt.timedelta((weekday - published.weekday()) % 7)
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
                found.append(_ago(amount.start(), end, fold_case(amount[1]), fold_case(amount[2]), published))
        elif word == "current":  # "the current year"
            unit = _RELATIVE_UNIT.match(text, end)
            the = _THE.search(text, window, start)
            if unit and the and unit[1] in ("week", "month", "year"):
                found.append((the.start(), unit.end(), *_relative("this", unit[1], published), "relative"))
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
            if word in ("today", "tomorrow") and is_era(text, start, end):
                continue  # "the world today", "Today Ukraine, tomorrow Moldova"
            offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
            before = _DAY_BEFORE.search(text, window, start) if word in ("yesterday", "tomorrow") else None
            if before and (fold_case(before[1]) == "before") == (word == "yesterday"):
                start, offset = before.start(), offset * 2
            found.append((start, end, "day", published + dt.timedelta(offset), "relative"))
    return found


def _relative(word: str, unit: str, published: dt.date) -> tuple[Granularity, dt.date]:
    step = {"last": -1, "this": 0, "next": 1}[word]
    if unit in ("week", "weekend"):
        return "week", monday(published) + dt.timedelta(7 * step)
    if unit == "month":
        return "month", shift_months(published, step)
    if unit == "year":
        return "year", dt.date(published.year + step, 1, 1)
    return "day", published + dt.timedelta(-1 if unit == "night" else 0)  # last night, this morning


def _ago(start: int, end: int, amount: str, unit: str, published: dt.date) -> _Candidate:
    n = NUMBER_WORDS.get(amount) or int(amount)
    if unit == "day":
        return (start, end, "day", published - dt.timedelta(n), "relative")
    if unit == "week":
        return (start, end, "week", monday(published - dt.timedelta(7 * n)), "relative")
    if unit == "month":
        return (start, end, "month", shift_months(published, -n), "relative")
    return (start, end, "year", dt.date(published.year - n, 1, 1), "years-ago")


def _at_sentence_start(text: str, start: int) -> bool:
    return _SENTENCE_START.search(text, max(0, start - _WINDOW), start) is not None
