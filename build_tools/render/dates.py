"""Date pages: every year, month and day that has articles published on it or naming it.

Each page has two lists: articles published in the period, and articles whose text names it
(with a snippet of the words that did). Week mentions are listed under their month.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence

from ..link.dates import DateRef
from ..link.links import LinkedArchive
from .markup import (
    MONTHS,
    add_pages,
    article_line,
    article_list,
    day_page,
    link,
    long_date,
    month_page,
    pager,
    pages_of,
    period_params,
    plural,
    rel,
    search_within,
    snippet,
    year_page,
)

PathOf = Callable[[int], str]


def _mention_snippet(linked: LinkedArchive, index: int, matches: Callable[[DateRef], bool]) -> str:
    links = linked.links[index]
    for ref in links.date_refs:
        if matches(ref):
            return snippet(links.article.body, ref.start, ref.end)
    return ""


def _period_pages(
    linked: LinkedArchive,
    title: str,
    path_of: PathOf,
    intro: Callable[[str], list[str]],
    published: Sequence[int],
    mentioned: Sequence[int],
    matches: Callable[[DateRef], bool],
    published_heading: str,
    mentioned_heading: str,
    list_published: bool = True,
) -> dict[str, str]:
    shown_published = list(published) if list_published else []
    chunks_p = pages_of(shown_published)
    chunks_m = pages_of(list(mentioned))
    total = max(len(chunks_p), len(chunks_m))
    out = {}
    for number in range(1, total + 1):
        here = path_of(number)
        parts = [f"# {title}\n", *intro(here)]
        parts.append(pager(here, number, total, path_of))
        if list_published and published:
            chunk = chunks_p[number - 1] if number <= len(chunks_p) else []
            parts.append(f"## {published_heading} ({len(published):,})\n")
            parts.append(article_list([article_line(here, linked.links[i].article) for i in chunk]))
        if mentioned:
            chunk = chunks_m[number - 1] if number <= len(chunks_m) else []
            parts.append(f"## {mentioned_heading} ({len(mentioned):,})\n")
            parts.append(
                article_list(
                    [
                        article_line(here, linked.links[i].article, _mention_snippet(linked, i, matches))
                        for i in chunk
                    ]
                )
            )
        parts.append(pager(here, number, total, path_of))
        out[here] = "\n".join(parts)
    return out


def render_dates(linked: LinkedArchive) -> dict[str, str]:
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for index, links in enumerate(linked.links):
        by_day[links.article.date].append(index)
    days = sorted(set(by_day) | set(linked.mentioned_days))
    months = sorted({(d.year, d.month) for d in days} | set(linked.mentioned_months))
    years = sorted({y for y, _ in months} | set(linked.mentioned_years))
    month_days: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    for day in days:
        month_days[(day.year, day.month)].append(day)
    published_in_month: dict[tuple[int, int], int] = defaultdict(int)
    for day, indices in by_day.items():
        published_in_month[(day.year, day.month)] += len(indices)

    month_set = set(months)
    out: dict[str, str] = {}
    for day in days:
        add_pages(
            out,
            _period_pages(
                linked,
                long_date(day),
                lambda n, d=day: day_page(d, n),  # type: ignore[misc]
                lambda here, d=day: [
                    link(
                        f"{MONTHS[d.month - 1]} {d.year}",  # type: ignore[misc]
                        rel(here, month_page(d.year, d.month)),
                    )
                    + "\n",
                    *_search_within(here, d, d, len(by_day.get(d, ()))),
                ],
                by_day.get(day, ()),
                linked.mentioned_days.get(day, ()),
                lambda r, d=day: r.granularity == "day" and r.value == d,  # type: ignore[misc]
                "Published on this day",
                "Mentioned on this day",
            ),
        )
    for year, month in months:

        def month_intro(here: str, year: int = year, month: int = month) -> list[str]:
            listed = [
                f"- {link(long_date(d), rel(here, day_page(d)))}: "
                f"{plural(len(by_day.get(d, ())), 'article')} published"
                + (
                    f", named in {plural(len(linked.mentioned_days[d]), 'article')}"
                    if d in linked.mentioned_days
                    else ""
                )
                for d in month_days.get((year, month), [])
            ]
            following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
            last_day = following - dt.timedelta(days=1)
            published = published_in_month[(year, month)]
            return [
                link(str(year), rel(here, year_page(year))) + "\n",
                f"{plural(published, 'article')} published.\n",
                *_search_within(here, dt.date(year, month, 1), last_day, published),
                "\n".join(listed) + "\n",
            ]

        add_pages(
            out,
            _period_pages(
                linked,
                f"{MONTHS[month - 1]} {year}",
                lambda n, y=year, m=month: month_page(y, m, n),  # type: ignore[misc]
                month_intro,
                (),
                linked.mentioned_months.get((year, month), ()),
                lambda r, y=year, m=month: (
                    r.granularity in ("week", "month")  # type: ignore[misc]
                    and (r.value.year, r.value.month) == (y, m)
                ),
                "",
                "Articles naming this month or a week in it",
                list_published=False,
            ),
        )
    for year in years:

        def year_intro(here: str, year: int = year) -> list[str]:
            listed = [
                f"- {link(f'{MONTHS[m - 1]} {year}', rel(here, month_page(year, m)))}: "
                f"{plural(published_in_month[(year, m)], 'article')} published"
                for m in range(1, 13)
                if (year, m) in month_set
            ]
            published = sum(published_in_month[(year, m)] for m in range(1, 13))
            return [
                link("All dates", rel(here, "dates.md")) + "\n",
                *_search_within(here, dt.date(year, 1, 1), dt.date(year, 12, 31), published),
                "\n".join(listed) + "\n",
            ]

        add_pages(
            out,
            _period_pages(
                linked,
                str(year),
                lambda n, y=year: year_page(y, n),  # type: ignore[misc]
                year_intro,
                (),
                linked.mentioned_years.get(year, ()),
                lambda r, y=year: r.granularity == "year" and r.value.year == y,  # type: ignore[misc]
                "",
                "Articles naming this year",
                list_published=False,
            ),
        )
    out["dates.md"] = _dates_index(years, months, published_in_month)
    return out


def _search_within(here: str, first: dt.date, last: dt.date, published: int) -> list[str]:
    """The link to the search for the articles published in a period, when there are any."""
    return [search_within(here, period_params(first, last), published)] if published else []


def _dates_index(
    years: list[int], months: list[tuple[int, int]], published_in_month: dict[tuple[int, int], int]
) -> str:
    here = "dates.md"
    lines = [
        "# Dates\n",
        "Every year and month that articles were published in or name. "
        "The number is how many were published.\n",
    ]
    for year in years:
        total = sum(c for (y, _), c in published_in_month.items() if y == year)
        lines.append(f"## {link(str(year), rel(here, year_page(year)))}\n")
        lines.append(f"{plural(total, 'article')} published.\n")
        cells = [
            link(f"{MONTHS[m - 1][:3]} ({published_in_month.get((y, m), 0):,})", rel(here, month_page(y, m)))
            for y, m in months
            if y == year
        ]
        if cells:
            lines.append(" · ".join(cells) + "\n")
    return "\n".join(lines)
