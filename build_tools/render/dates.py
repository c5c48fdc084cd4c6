"""Date pages: every year, month and day that has articles published on it or naming it.

Each page has two lists: articles published in the period, and articles whose text names it
(with a snippet of the words that did). Week mentions are listed under their month.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from ..link.dates import DateRef
from ..link.links import LinkedArchive
from .calendars import around, month_calendar, neighbours
from .markup import (
    MONTHS,
    add_pages,
    anchor,
    article_line,
    article_list,
    day_page,
    html_block,
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


def date_periods(linked: LinkedArchive) -> tuple[list[dt.date], list[tuple[int, int]], list[int]]:
    """The days, months and years that have a page: published in or named by an article."""
    days = sorted({links.article.date for links in linked.links} | set(linked.mentioned_days))
    months = sorted({(d.year, d.month) for d in days} | set(linked.mentioned_months))
    years = sorted({y for y, _ in months} | set(linked.mentioned_years))
    return days, months, years


@dataclass(frozen=True)
class DateTables:
    """What every date page is made from: the articles of each day, the periods with pages and
    how many articles each day and month has (made once, for any number of pages)."""

    by_day: dict[dt.date, list[int]]
    days: list[dt.date]
    months: list[tuple[int, int]]
    years: list[int]
    published_in_month: dict[tuple[int, int], int]
    published_on: dict[dt.date, int]
    named_on: dict[dt.date, int]


def date_tables(linked: LinkedArchive) -> DateTables:
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for number, links in enumerate(linked.links):
        by_day[links.article.date].append(number)
    days, months, years = date_periods(linked)
    published_in_month: dict[tuple[int, int], int] = defaultdict(int)
    for day, indices in by_day.items():
        published_in_month[(day.year, day.month)] += len(indices)
    return DateTables(
        by_day,
        days,
        months,
        years,
        published_in_month,
        {day: len(indices) for day, indices in by_day.items()},
        {day: len(indices) for day, indices in linked.mentioned_days.items()},
    )


def render_dates(
    linked: LinkedArchive,
    only: Collection[int | tuple[int, int]] | None = None,
    index: bool = True,
    tables: DateTables | None = None,
) -> dict[str, str]:
    """The date pages: of every day, month and year, and the index. only: the year pages of the
    years and the day and month pages of the (year, month) pairs in it, no others."""
    found = tables or date_tables(linked)
    by_day, days, months, years = found.by_day, found.days, found.months, found.years
    published_in_month, published_on, named_on = found.published_in_month, found.published_on, found.named_on
    month_set = set(months)
    out: dict[str, str] = {}
    for position, day in enumerate(days):
        if only is not None and (day.year, day.month) not in only:
            continue
        before, after = around(days, position)
        add_pages(
            out,
            _period_pages(
                linked,
                long_date(day),
                lambda n, d=day: day_page(d, n),  # type: ignore[misc]
                lambda here, d=day, b=before, a=after: [
                    neighbours(
                        here,
                        None if b is None else (long_date(days[b]), day_page(days[b])),
                        None if a is None else (long_date(days[a]), day_page(days[a])),
                        "day",
                    ),
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
    for position, (year, month) in enumerate(months):
        if only is not None and (year, month) not in only:
            continue
        before, after = around(months, position)

        def month_intro(
            here: str, year: int = year, month: int = month, b: int | None = before, a: int | None = after
        ) -> list[str]:
            following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
            last_day = following - dt.timedelta(days=1)
            published = published_in_month[(year, month)]
            return [
                neighbours(
                    here,
                    None if b is None else (_month_name(months[b]), month_page(*months[b])),
                    None if a is None else (_month_name(months[a]), month_page(*months[a])),
                    "month",
                ),
                link(str(year), rel(here, year_page(year))) + "\n",
                f"{plural(published, 'article')} published.\n",
                *_search_within(here, dt.date(year, month, 1), last_day, published),
                month_calendar(here, year, month, published_on, named_on),
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
        if only is not None and year not in only:
            continue

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
    if index:
        out["dates.md"] = _dates_index(linked, years, months, published_in_month)
    return out


def _search_within(here: str, first: dt.date, last: dt.date, published: int) -> list[str]:
    """The link to the search for the articles published in a period, when there are any."""
    return [search_within(here, period_params(first, last), published)] if published else []


def _month_name(year_month: tuple[int, int]) -> str:
    return f"{MONTHS[year_month[1] - 1]} {year_month[0]}"


def _dates_index(
    linked: LinkedArchive,
    years: list[int],
    months: list[tuple[int, int]],
    published_in_month: dict[tuple[int, int], int],
) -> str:
    """Years that have articles first, each with its months and their counts; then, compactly,
    the years only named in the text, with how many articles name them (or a day in them)."""
    here = "dates.md"
    published_in_year: dict[int, int] = defaultdict(int)
    for (year, _), count in published_in_month.items():
        published_in_year[year] += count
    lines = [
        "# Dates\n",
        "Every year and month that articles were published in, with how many; each month opens "
        "as a calendar. The years the articles only name follow.\n",
    ]
    for year in (y for y in years if published_in_year.get(y)):
        lines.append(f"## {link(str(year), rel(here, year_page(year)))}\n")
        lines.append(f"{plural(published_in_year[year], 'article')} published.\n")
        cells = [
            link(f"{MONTHS[m - 1][:3]} ({published_in_month.get((y, m), 0):,})", rel(here, month_page(y, m)))
            for y, m in months
            if y == year
        ]
        if cells:
            lines.append(" · ".join(cells) + "\n")
    named: dict[int, set[int]] = defaultdict(set)
    for year, indices in linked.mentioned_years.items():
        named[year].update(indices)
    for (year, _), indices in linked.mentioned_months.items():
        named[year].update(indices)
    for day, indices in linked.mentioned_days.items():
        named[day.year].update(indices)
    only_named = [y for y in years if not published_in_year.get(y)]
    if only_named:
        lines.append("## Years named in the text\n")
        lines.append("No article was published in these years; the number is how many articles name them.\n")
        lines.append(
            html_block(
                "ra-years",
                [
                    " ".join(
                        anchor(
                            f'{year} <span class="ra-years__count">({len(named[year]):,})</span>',
                            rel(here, year_page(year)),
                            title=f"{year}: named in {plural(len(named[year]), 'article')}",
                        )
                        for year in only_named
                    )
                ],
            )
        )
    return "\n".join(lines)
