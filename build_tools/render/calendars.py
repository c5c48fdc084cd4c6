"""Calendars for the date pages: a month as a grid of weeks whose days link to their pages,
with how many articles were published on each and how many name it; the links from a day or
a month to the previous and next one that has a page."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence

from .markup import MONTHS, anchor, day_page, esc, html_block, long_date, plural, rel

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _day_cell(here: str, day: dt.date, published: int, named: int) -> str:
    if not (published or named):
        return f'<td class="ra-calendar__empty"><span class="ra-calendar__day">{day.day}</span></td>'
    said = [f"{plural(published, 'article')} published"] if published else []
    said += [f"named in {plural(named, 'article')}"] if named else []
    label = f"{long_date(day)}: {', '.join(said)}"
    counts = []
    if published:
        counts.append(f'<span class="ra-calendar__published">{published:,}</span>')
    if named:
        counts.append(f'<span class="ra-calendar__named">{named:,} named</span>')
    inner = f'<span class="ra-calendar__day">{day.day}</span>{"".join(counts)}'
    return f"<td>{anchor(inner, rel(here, day_page(day)), title=label, aria_label=label)}</td>"


def month_calendar(
    here: str, year: int, month: int, published: Mapping[dt.date, int], named: Mapping[dt.date, int]
) -> str:
    """The month as a table of weeks from Monday; each day with a page is a link."""
    rows = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = [
            _day_cell(here, day, published.get(day, 0), named.get(day, 0))
            if day.month == month
            else '<td class="ra-calendar__outside"></td>'
            for day in week
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(
        f'<th scope="col"><abbr title="{name}">{short}</abbr></th>'
        for short, name in zip(WEEKDAYS, WEEKDAY_NAMES, strict=True)
    )
    return html_block(
        "ra-calendar",
        [
            "<table>",
            f"<caption>{esc(MONTHS[month - 1])} {year}: the number of articles published on each day, "
            "and how many name it</caption>",
            f"<thead><tr>{head}</tr></thead>",
            "<tbody>",
            *rows,
            "</tbody>",
            "</table>",
        ],
    )


def neighbours(
    here: str, previous: tuple[str, str] | None, following: tuple[str, str] | None, what: str
) -> str:
    """Links to the previous and next `what` (day, month) that has a page: (label, page) each."""
    parts = []
    if previous:
        label, page = previous
        parts.append(
            anchor(
                f"← {esc(label)}",
                rel(here, page),
                "ra-neighbours__prev",
                title=f"Previous {what}",
                rel="prev",
            )
        )
    if following:
        label, page = following
        parts.append(
            anchor(
                f"{esc(label)} →", rel(here, page), "ra-neighbours__next", title=f"Next {what}", rel="next"
            )
        )
    if not parts:
        return ""
    return html_block("ra-neighbours", [f'<nav aria-label="Previous and next {what}">', *parts, "</nav>"])


def around(items: Sequence[object], index: int) -> tuple[int | None, int | None]:
    """The positions before and after `index` in `items`, when there are any."""
    return (index - 1 if index > 0 else None, index + 1 if index + 1 < len(items) else None)
