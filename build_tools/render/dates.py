"""Date pages: every year, month and day that has articles, an index of them, and the timeline."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Callable, Sequence

from ..link import LinkedArchive
from .markup import (MONTHS, article_line, day_page, link, long_date, month_page, pager, pages_of,
                     plural, rel, year_page)


def render_dates(linked: LinkedArchive) -> dict[str, str]:
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for index, links in enumerate(linked.links):
        by_day[links.article.date].append(index)
    out: dict[str, str] = {}
    for day, indices in by_day.items():
        out.update(render_day(linked, day, indices))
    month_totals: Counter[tuple[int, int]] = Counter()
    for d, v in by_day.items():
        month_totals[(d.year, d.month)] += len(v)
    for year, month in sorted(month_totals):
        days = sorted(d for d in by_day if (d.year, d.month) == (year, month))
        here = month_page(year, month)
        lines = [f"# {MONTHS[month - 1]} {year}\n",
                 f"{plural(month_totals[(year, month)], 'article')} on {plural(len(days), 'day')}.\n",
                 link(f"All of {year}", rel(here, year_page(year))) + "\n"]
        lines += [f"- {link(long_date(d), rel(here, day_page(d)))}: {plural(len(by_day[d]), 'article')}"
                  for d in days]
        out[here] = "\n".join(lines) + "\n"
    years = sorted({y for y, _ in month_totals})
    for year in years:
        here = year_page(year)
        lines = [f"# {year}\n", link("All dates", rel(here, "dates.md")) + "\n"]
        lines += [f"- {link(f'{MONTHS[m - 1]} {year}', rel(here, month_page(year, m)))}: "
                  f"{plural(month_totals[(year, m)], 'article')}"
                  for m in range(1, 13) if (year, m) in month_totals]
        out[here] = "\n".join(lines) + "\n"
    lines = ["# Dates\n", "Every year and month with articles in the archive.\n"]
    for year in years:
        total = sum(c for (y, _), c in month_totals.items() if y == year)
        lines.append(f"## {link(str(year), rel('dates.md', year_page(year)))} ({plural(total, 'article')})\n")
        lines.append(" · ".join(link(f"{MONTHS[m - 1][:3]} ({month_totals[(year, m)]:,})",
                                     rel("dates.md", month_page(year, m)))
                                for m in range(1, 13) if (year, m) in month_totals) + "\n")
    out["dates.md"] = "\n".join(lines)
    return out


def render_day(linked: LinkedArchive, day: dt.date, published: Sequence[int]) -> dict[str, str]:
    chunks = pages_of(list(published))
    path_of: Callable[[int], str] = lambda n: day_page(day, n)  # noqa: E731
    out = {}
    for number, chunk in enumerate(chunks, 1):
        here = path_of(number)
        parts = [f"# {long_date(day)}\n",
                 link(f"{MONTHS[day.month - 1]} {day.year}", rel(here, month_page(day.year, day.month))) + "\n",
                 f"## Published on this day ({len(published):,})\n",
                 pager(here, number, len(chunks), path_of),
                 '<div class="ra-list" markdown>\n',
                 *[article_line(here, linked.links[i].article) for i in chunk],
                 "\n</div>\n"]
        out[here] = "\n".join(parts)
    return out
