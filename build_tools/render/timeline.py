"""Timelines: articles per day, week, month or year as an SVG drawn at build time, with month
(or year) ticks and the registry's dated events; each bar opens the search for exactly the
articles of its period (and entity, on an entity's page).

The chart reads without script. assets/timeline.js adds zoom (years, months, weeks, days) and
a source filter, redrawing the bars from the counts the chart carries (data-series).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..link.links import LinkedArchive
from ..model import Entity
from .markup import (
    MONTHS,
    attr,
    entity_page,
    esc,
    html_block,
    link,
    long_date,
    period_params,
    plural,
    rel,
    search_target,
)

DAILY_MAX_DAYS = 92
WEEKLY_MAX_DAYS = 2 * 366
MONTHLY_MAX_DAYS = 15 * 366

# The drawing, in SVG units (the chart scales to the column's width).
WIDTH = 720
BARS_HEIGHT = 120
AXIS_HEIGHT = 28
EVENT_ROW = 13
EVENT_ROWS = 3
CHAR_WIDTH = 6.2  # an estimate of a label's letter at font-size 11, to keep labels apart


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    label: str


def choose_unit(first: dt.date, last: dt.date) -> str:
    span = (last - first).days + 1
    if span <= DAILY_MAX_DAYS:
        return "day"
    if span <= WEEKLY_MAX_DAYS:
        return "week"
    return "month" if span <= MONTHLY_MAX_DAYS else "year"


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + 1, 1, 1) if day.month == 12 else dt.date(day.year, day.month + 1, 1)


def scale_range(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The chart's time axis, [start, stop): whole months around the articles, the same for
    every unit of the zoom (a year's bar at either end is cut to the axis)."""
    return dt.date(first.year, first.month, 1), _next_month(last)


def period_start(day: dt.date, unit: str) -> dt.date:
    """The first day of the period of `unit` that holds `day`."""
    if unit == "day":
        return day
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    return dt.date(day.year, day.month, 1) if unit == "month" else dt.date(day.year, 1, 1)


def period_of(start: dt.date, unit: str) -> Period:
    """The period of `unit` that starts on `start` (a period_start), with its label."""
    if unit == "day":
        return Period(start, start, long_date(start))
    if unit == "week":
        return Period(start, start + dt.timedelta(days=6), f"week of {long_date(start)}")
    if unit == "month":
        return Period(
            start, _next_month(start) - dt.timedelta(days=1), f"{MONTHS[start.month - 1]} {start.year}"
        )
    return Period(start, dt.date(start.year, 12, 31), str(start.year))


class _Scale:
    def __init__(self, start: dt.date, stop: dt.date) -> None:
        self.start, self.days = start, max(1, (stop - start).days)

    def x(self, day: dt.date) -> float:
        return min(WIDTH, max(0.0, WIDTH * (day - self.start).days / self.days))


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@functools.lru_cache(maxsize=1024)
def _ticks(start: dt.date, stop: dt.date, top: int) -> str:
    """Month ticks under the bars of the axis [start, stop), labelled with the month (and the
    year at January and at the start), every third or twelfth labelled on a longer axis; year
    ticks on an axis of more than fifteen years. Kept: entities' charts share their axes."""
    return "".join(_tick_marks(_Scale(start, stop), stop, top))


def _tick_marks(scale: _Scale, stop: dt.date, top: int) -> list[str]:
    out: list[str] = []
    base = top + BARS_HEIGHT
    months = []
    day = scale.start
    while day < stop:
        months.append(day)
        day = _next_month(day)
    if len(months) > 180:
        years = [m for m in months if m.month == 1]
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if len(years) / s <= 12)
        for month in years:
            x = _num(scale.x(month))
            out.append(f'<line class="ra-tick" x1="{x}" y1="{base}" x2="{x}" y2="{base + 4}"/>')
            if month.year % step == 0:
                out.append(f'<text class="ra-tick-label" x="{x}" y="{base + 15}">{month.year}</text>')
        return out
    every = 1 if len(months) <= 24 else 3 if len(months) <= 72 else 12
    for index, month in enumerate(months):
        x = _num(scale.x(month))
        major = month.month == 1 or index == 0
        out.append(f'<line class="ra-tick" x1="{x}" y1="{base}" x2="{x}" y2="{base + (6 if major else 3)}"/>')
        if (month.month - 1) % every and index != 0:
            continue
        name = MONTHS[month.month - 1][:3] if every < 12 else ""
        label = f"{name} {month.year}".strip() if major else name
        out.append(f'<text class="ra-tick-label" x="{x}" y="{base + 15}">{label}</text>')
    return out


def _event_marks(here: str, events: Sequence[Entity], scale: _Scale, stop: dt.date) -> tuple[list[str], int]:
    """Each dated event in the chart's range: a band (or a line, for one day) over the bars and
    its name in one of the rows above them, linked to its page. Returns the marks and the rows
    used; a name that fits in no row is left to the mark's tooltip."""
    shown = sorted(
        (e for e in events if e.period and e.period[0] < stop and e.period[1] >= scale.start),
        key=lambda e: (e.period[0], e.id) if e.period else (dt.date.min, e.id),
    )
    rows_end = [-1.0] * EVENT_ROWS
    placed: list[tuple[Entity, float, float, int | None]] = []
    for event in shown:
        assert event.period is not None
        x1 = scale.x(event.period[0])
        x2 = scale.x(event.period[1] + dt.timedelta(days=1))
        width = len(event.name) * CHAR_WIDTH
        left = min(x1, WIDTH - width)
        row = next((r for r in range(EVENT_ROWS) if rows_end[r] < left), None)
        if row is not None:
            rows_end[row] = left + width + 6
        placed.append((event, x1, x2, row))
    rows = max((row + 1 for _, _, _, row in placed if row is not None), default=0)
    top = rows * EVENT_ROW
    marks = []
    for event, x1, x2, row in placed:
        assert event.period is not None
        start, end = event.period
        when = long_date(start) if start == end else f"{long_date(start)} to {long_date(end)}"
        title = f"{event.name}: {when}"
        parts = [f"<title>{esc(title)}</title>"]
        if x2 - x1 >= 2:
            parts.append(
                f'<rect class="ra-event__span" x="{_num(x1)}" y="{top}" '
                f'width="{_num(x2 - x1)}" height="{BARS_HEIGHT}"/>'
            )
        else:
            x = _num((x1 + x2) / 2)
            parts.append(
                f'<line class="ra-event__line" x1="{x}" y1="{top}" x2="{x}" y2="{top + BARS_HEIGHT}"/>'
            )
        if row is not None:
            left = min(x1, WIDTH - len(event.name) * CHAR_WIDTH)
            parts.append(
                f'<text class="ra-event__label" x="{_num(left)}" y="{row * EVENT_ROW + 10}">'
                f"{esc(event.name)}</text>"
            )
        marks.append(
            f'<a class="ra-event" href="{attr(rel(here, entity_page(event.id)))}" aria-label="{attr(title)}" '
            f'data-start="{start.isoformat()}" data-end="{end.isoformat()}">{"".join(parts)}</a>'
        )
    return marks, rows


def _series(items: Iterable[tuple[dt.date, str]], origin: dt.date) -> tuple[list[str], str]:
    """The sources, and the articles per day of each for the script: [[source's position,
    "offset:count,…"], …]. The names stay out of the JSON: the source menu carries them, each
    whole as an option's text, as every text of the archive is printed."""
    counts: dict[str, Counter[int]] = {}
    for day, source in items:
        counts.setdefault(source, Counter())[(day - origin).days] += 1
    sources = sorted(counts)
    series = json.dumps(
        [
            [number, ",".join(f"{o}:{c}" if c > 1 else str(o) for o, c in sorted(counts[source].items()))]
            for number, source in enumerate(sources)
        ],
        separators=(",", ":"),
    )
    return sources, series


def _source_menu(sources: Sequence[str]) -> str:
    """The source filter's menu, hidden until the script shows it (more than one source)."""
    if len(sources) < 2:
        return ""
    options = "".join(f'<option value="{attr(s)}">{esc(s)}</option>' for s in sources)
    return (
        '<label class="ra-timeline__source-label" hidden>Source: <select class="ra-timeline__source">'
        f'<option value="">All sources</option>{options}</select></label>'
    )


def timeline_chart(
    here: str,
    items: Sequence[tuple[dt.date, str]],
    entity_id: str | None = None,
    events: Sequence[Entity] = (),
    label: str = "Articles",
) -> str:
    """The chart of `items` (each article's day and source): a bar per period that opens the
    search for it (with `entity_id`, for that entity), the dated `events` in its range marked."""
    if not items:
        return ""
    days = [day for day, _ in items]
    first, last = min(days), max(days)
    unit = choose_unit(first, last)
    start, stop = scale_range(first, last)
    scale = _Scale(start, stop)
    per_day = Counter(days)
    per_period: Counter[dt.date] = Counter()
    for day, count in per_day.items():
        per_period[period_start(day, unit)] += count
    # A bar for each period with articles (an entity's chart spans years of mostly empty weeks).
    bars = [(period_of(day, unit), per_period[day]) for day in sorted(per_period)]
    peak = max(count for _, count in bars)
    events_svg, rows = _event_marks(here, events, scale, stop)
    top = rows * EVENT_ROW
    height = top + BARS_HEIGHT + AXIS_HEIGHT
    base = top + BARS_HEIGHT
    # The search for a bar's period: the entity's search (one address per chart), then the period.
    search = search_target(here, [("entity", entity_id)] if entity_id else [])
    search += "&" if entity_id else "?"
    bar_svg = []
    for period, count in bars:
        x1 = scale.x(max(period.start, start))
        x2 = scale.x(min(period.end + dt.timedelta(days=1), stop))
        gap = min(1.0, (x2 - x1) / 4)
        bar_height = max(2.0, BARS_HEIGHT * count / peak)
        title = f"{period.label}: {plural(count, 'article')}"
        # The period's parameters are digits and hyphens (period_params): nothing to quote.
        target = search + "&".join(f"{key}={value}" for key, value in period_params(period.start, period.end))
        bar_svg.append(
            f'<a class="ra-bar" href="{attr(target)}" aria-label="{attr(title)}">'
            f'<rect x="{_num(x1 + gap / 2)}" y="{_num(top + BARS_HEIGHT - bar_height)}" '
            f'width="{_num(max(0.5, x2 - x1 - gap))}" height="{_num(bar_height)}">'
            f"<title>{esc(title)}</title></rect></a>"
        )
    summary = (
        f"{label} per {unit}, {long_date(first)} to {long_date(last)}; "
        f"the highest {unit} has {plural(peak, 'article')}"
    )
    svg = [
        f'<svg class="ra-timeline__chart" viewBox="0 0 {WIDTH} {height}" role="group" '
        f'aria-label="{attr(summary)}">',
        f'<g class="ra-timeline__events">{"".join(events_svg)}</g>',
        f'<line class="ra-timeline__base" x1="0" y1="{base}" x2="{WIDTH}" y2="{base}"/>',
        f'<g class="ra-timeline__bars">{"".join(bar_svg)}</g>',
        f'<g class="ra-timeline__axis">{_ticks(start, stop, top)}</g>',
        "</svg>",
    ]
    sources, series = _series(items, first)
    return html_block(
        "ra-timeline",
        [
            _source_menu(sources),
            *svg,
            f'<p class="ra-timeline-axis"><span>{long_date(first)}</span> '
            f'<span class="ra-timeline__legend">{esc(label.lower())} per {unit}, highest {peak:,}</span> '
            f"<span>{long_date(last)}</span></p>",
        ],
        data_unit=unit,
        data_first=first.isoformat(),
        data_last=last.isoformat(),
        data_top=str(top),
        data_series=series,
        **({"data_entity": entity_id} if entity_id else {}),
    )


def dated_events(linked: LinkedArchive) -> list[Entity]:
    """The registry's entities with a period (events with a start day), by start."""
    return sorted(
        (e for e in linked.archive.entities if e.period), key=lambda e: (e.period or (dt.date.min,), e.id)
    )


def event_list(here: str, events: Sequence[Entity], first: dt.date, last: dt.date) -> str:
    """The dated events that fall in [first, last], as a list with links to their pages and to the
    search for the articles published while they lasted."""
    lines = []
    for event in events:
        assert event.period is not None
        start, end = event.period
        if end < first or start > last:
            continue
        when = long_date(start) if start == end else f"{long_date(start)} to {long_date(end)}"
        lines.append(
            f"- {link(event.name, rel(here, entity_page(event.id)))}: {when} "
            f"({link('articles of the period', search_target(here, period_params(start, end)))})"
        )
    return "\n".join(lines) + "\n" if lines else ""


def render_timeline(linked: LinkedArchive) -> dict[str, str]:
    items = [(links.article.date, links.article.source) for links in linked.links]
    here = "timeline.md"
    events = dated_events(linked)
    parts = [
        "# Timeline\n",
        "How many articles the archive holds for each period. Each bar opens the articles of its "
        "period in the search page; the shaded spans and lines are the registry's dated events.\n",
        timeline_chart(here, items, events=events),
    ]
    if items:
        days = [day for day, _ in items]
        listed = event_list(here, events, min(days), max(days))
        if listed:
            parts += ["## Events in this period\n", listed]
    return {here: "\n".join(parts)}
