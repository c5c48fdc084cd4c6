"""Timeline charts: articles per day, week or month as bars that open the search for exactly
the articles of that period (and entity, on an entity's page).

Plain HTML bars (links sized with CSS), generated at build time: no script, no other host.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from ..link.links import LinkedArchive
from .markup import MONTHS, anchor, attr, html_block, long_date, period_params, plural, search_target

DAILY_MAX_DAYS = 92
WEEKLY_MAX_DAYS = 2 * 366


def timeline_chart(here: str, days: Sequence[dt.date], entity_id: str | None = None) -> str:
    """A bar chart of how many of `days` (one per article) fall in each day, week or month;
    each bar opens the search for its period (with `entity_id`, for that entity)."""
    if not days:
        return ""
    first, last = min(days), max(days)
    span = (last - first).days + 1
    per_day = Counter(days)
    bars: list[tuple[str, int, tuple[dt.date, dt.date]]] = []  # label, count, period
    if span <= DAILY_MAX_DAYS:
        unit = "day"
        for offset in range(span):
            day = first + dt.timedelta(days=offset)
            bars.append((long_date(day), per_day.get(day, 0), (day, day)))
    elif span <= WEEKLY_MAX_DAYS:
        unit = "week"
        start = first - dt.timedelta(days=first.weekday())
        while start <= last:
            week = [start + dt.timedelta(days=i) for i in range(7)]
            count = sum(per_day.get(d, 0) for d in week)
            bars.append((f"week of {long_date(start)}", count, (week[0], week[-1])))
            start += dt.timedelta(days=7)
    else:
        unit = "month"
        per_month = Counter((d.year, d.month) for d in days)
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
            period = (dt.date(year, month, 1), following - dt.timedelta(days=1))
            bars.append((f"{MONTHS[month - 1]} {year}", per_month.get((year, month), 0), period))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    peak = max(count for _, count, _ in bars) or 1
    cells = []
    entity = [("entity", entity_id)] if entity_id else []
    for label, count, (start_day, end_day) in bars:
        target = search_target(here, [*entity, *period_params(start_day, end_day)])
        title = f"{label}: {plural(count, 'article')}"
        height = max(2, round(100 * count / peak)) if count else 0
        if count:
            cells.append(
                anchor(
                    str(count),
                    target,
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
        "Each bar opens the articles of its period in the search page.\n\n" + timeline_chart(here, days)
    }
