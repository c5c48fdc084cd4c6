"""Timeline charts: articles per day, week or month as bars that link to date pages.

Plain HTML bars (links sized with CSS), generated at build time: no script, no other host.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from ..link.links import LinkedArchive
from .markup import MONTHS, anchor, attr, day_page, html_block, long_date, month_page, plural, rel

DAILY_MAX_DAYS = 92
WEEKLY_MAX_DAYS = 2 * 366


def timeline_chart(here: str, days: Sequence[dt.date]) -> str:
    """A bar chart of how many of `days` (one per article) fall in each day, week or month."""
    if not days:
        return ""
    first, last = min(days), max(days)
    span = (last - first).days + 1
    per_day = Counter(days)
    bars: list[tuple[str, int, str]] = []  # label, count, target page
    if span <= DAILY_MAX_DAYS:
        unit = "day"
        for offset in range(span):
            day = first + dt.timedelta(days=offset)
            bars.append((long_date(day), per_day.get(day, 0), day_page(day)))
    elif span <= WEEKLY_MAX_DAYS:
        unit = "week"
        start = first - dt.timedelta(days=first.weekday())
        while start <= last:
            week = [start + dt.timedelta(days=i) for i in range(7)]
            count = sum(per_day.get(d, 0) for d in week)
            busiest = max(week, key=lambda d: (per_day.get(d, 0), -d.toordinal()))
            bars.append(
                (
                    f"week of {long_date(start)}",
                    count,
                    day_page(busiest) if count else month_page(start.year, start.month),
                )
            )
            start += dt.timedelta(days=7)
    else:
        unit = "month"
        per_month = Counter((d.year, d.month) for d in days)
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            bars.append(
                (f"{MONTHS[month - 1]} {year}", per_month.get((year, month), 0), month_page(year, month))
            )
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    peak = max(count for _, count, _ in bars) or 1
    cells = []
    for label, count, target in bars:
        title = f"{label}: {plural(count, 'article')}"
        height = max(2, round(100 * count / peak)) if count else 0
        if count:
            cells.append(
                anchor(
                    str(count),
                    rel(here, target),
                    "ra-bar",
                    title=title,
                    style=f"height: {height}%",
                    aria_label=title,
                )
            )
        else:
            cells.append(f'<span class="ra-bar ra-bar--empty" title="{attr(title)}"></span>')
    return (
        html_block("ra-timeline", [" ".join(cells)], data_unit=unit) + "\n"
        f'<p class="ra-timeline-axis"><span>{long_date(first)}</span> '
        f"<span>articles per {unit}, highest {peak:,}</span> <span>{long_date(last)}</span></p>\n"
    )


def render_timeline(linked: LinkedArchive) -> dict[str, str]:
    days = [links.article.date for links in linked.links]
    here = "timeline.md"
    return {
        here: "# Timeline\n\nHow many articles the archive holds for each period. "
        "Each bar links to its date page.\n\n" + timeline_chart(here, days)
    }
