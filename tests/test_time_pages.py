"""The timeline, the dates index, month calendars and day pages as a reader sees them (issue 19):
what each bar and day links to, which years come first, which events are marked."""

from __future__ import annotations

import html as htmllib
import re

from build_tools.pipeline import build_pages
from tests.conftest import article
from tests.test_render import html_of

TALKS = """\
type: event
name: Istanbul talks
description: A round of talks.
start: 2022-03-29
"""
GAMES = """\
type: event
name: Winter Games
description: The games.
start: 2022-02-04
end: 2022-02-20
"""
OLD_WAR = """\
type: event
name: Old War
description: Long ago.
start: 1939-09-01
end: 1945-09-02
"""


def site(make_archive, files):
    built = build_pages(make_archive(files))
    assert built.report.problems == ()
    return built.pages


def spread(
    count: int, month: int = 3, source: str = "Example News", body: str = "A report."
) -> dict[str, str]:
    """`count` articles of 2022's `month`, one a day from the 1st, each with its own text."""
    return {
        f"articles/2022/{month:02d}/a{month}-{i}.md": article(
            title=f"Story {month} {i}",
            date=f"2022-{month:02d}-{1 + i % 28:02d}",
            source=source,
            body=f"{body} Story {month}-{i} {source}.",
        )
        for i in range(count)
    }


def hrefs(html: str, cls: str) -> list[str]:
    return [htmllib.unescape(h) for h in re.findall(rf'<a class="{cls}" href="([^"]*)"', html)]


def test_timeline_is_an_svg_whose_bars_open_the_search_for_their_month(make_archive):
    files = {**spread(3, month=1), **spread(2, month=3), **spread(1, month=6)}
    files["articles/2019/11/early.md"] = article(title="Early", date="2019-11-02", body="Early news.")
    html = html_of(site(make_archive, files)["timeline.md"])
    assert '<svg class="ra-timeline__chart"' in html
    assert hrefs(html, "ra-bar") == [
        "search.md?from=2019-11&to=2019-11",
        "search.md?from=2022-01&to=2022-01",
        "search.md?from=2022-03&to=2022-03",
        "search.md?from=2022-06&to=2022-06",
    ]
    assert 'aria-label="January 2022: 3 articles"' in html
    labels = re.findall(r'<text class="ra-tick-label"[^>]*>([^<]*)</text>', html)
    # 32 months: every third labelled, and the years at January.
    assert labels == [
        "Nov 2019",
        "Jan 2020",
        "Apr",
        "Jul",
        "Oct",
        "Jan 2021",
        "Apr",
        "Jul",
        "Oct",
        "Jan 2022",
        "Apr",
    ]


def test_entity_timeline_bars_open_the_search_for_the_period_and_the_entity(make_archive):
    files = spread(3, month=3, body="Dmitry Peskov spoke.")
    html = html_of(site(make_archive, files)["entities/dmitry-peskov.md"])
    bars = hrefs(html, "ra-bar")
    assert bars == [f"../search.md?entity=dmitry-peskov&from=2022-03-0{d}&to=2022-03-0{d}" for d in (1, 2, 3)]
    assert 'data-entity="dmitry-peskov"' in html


def test_timeline_marks_the_dated_events_in_its_range_and_links_them(make_archive):
    files = {
        **spread(4, month=2),
        **spread(4, month=4),
        "entities/talks.yml": TALKS,
        "entities/games.yml": GAMES,
        "entities/old-war.yml": OLD_WAR,
    }
    pages = site(make_archive, files)
    html = html_of(pages["timeline.md"])
    events = re.findall(r'<a class="ra-event" href="([^"]*)" aria-label="([^"]*)"', html)
    assert events == [
        ("entities/games.md", "Winter Games: 4 February 2022 to 20 February 2022"),
        ("entities/talks.md", "Istanbul talks: 29 March 2022"),
    ]
    assert html.count('<rect class="ra-event__span"') == 2  # a day is 8 units wide on a 3-month axis
    assert ">Winter Games</text>" in html
    # Listed under the chart too, each with the search for the articles of its period.
    assert '<a href="search.md?from=2022-02-04&amp;to=2022-02-20">articles of the period</a>' in html
    assert "Old War" not in html
    event_page = html_of(pages["entities/games.md"])
    assert "4 February 2022 to 20 February 2022" in event_page
    assert 'href="../search.md?from=2022-02-04&amp;to=2022-02-20"' in event_page


def test_timeline_carries_each_sources_counts_for_the_zoom_and_source_filter(make_archive):
    files = {**spread(2, month=3, source="Alpha"), **spread(1, month=4, source="Beta")}
    html = html_of(site(make_archive, files)["timeline.md"])
    found = re.search(r'data-series="([^"]*)"', html)
    assert found is not None
    assert htmllib.unescape(found[1]) == '[[0,"0,1"],[1,"31"]]'  # by position in the menu
    assert '<option value="Alpha">Alpha</option><option value="Beta">Beta</option>' in html
    assert 'data-first="2022-03-01"' in html and 'data-unit="day"' in html


def test_timeline_of_a_short_period_has_a_bar_per_day_and_of_a_long_one_a_bar_per_year(make_archive):
    short = html_of(site(make_archive, spread(3))["timeline.md"])
    assert 'data-unit="day"' in short
    files = {
        "articles/2001/01/a.md": article(title="A", date="2001-01-05", body="Old news."),
        "articles/2022/03/b.md": article(title="B", date="2022-03-05"),
    }
    long = html_of(site(make_archive, files)["timeline.md"])
    assert 'data-unit="year"' in long
    assert hrefs(long, "ra-bar") == ["search.md?from=2001&to=2001", "search.md?from=2022&to=2022"]


def test_dates_index_opens_on_the_years_with_articles_and_lists_named_years_compactly(make_archive):
    body = "As in 1917 and in 1991, and on 2 March 2022, the talks went on."
    files = {
        "articles/2021/12/a.md": article(title="A", date="2021-12-01", body=body),
        "articles/2022/03/b.md": article(title="B", date="2022-03-30", body="Other news."),
    }
    html = html_of(site(make_archive, files)["dates.md"])
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    assert [re.sub("<[^>]+>", "", h) for h in headings] == ["2021", "2022", "Years named in the text"]
    assert '<a href="dates/2022/03.md">Mar (2)</a>' not in html
    assert '<a href="dates/2022/03.md">Mar (1)</a>' in html
    years = html[html.index("Years named in the text") :]
    assert re.findall(r'<a href="(dates/\d+\.md)"', years) == ["dates/1917.md", "dates/1991.md"]
    assert "(1)" in years


def test_month_page_is_a_calendar_whose_days_link_to_their_pages(make_archive):
    body = "The ceasefire of 5 March 2022 held."
    files = {
        "articles/2022/03/a.md": article(title="A", date="2022-03-30", body=body),
        "articles/2022/03/b.md": article(title="B", date="2022-03-30", body="Other news."),
    }
    html = html_of(site(make_archive, files)["dates/2022/03.md"])
    assert '<div class="ra-calendar">' in html
    weeks = re.findall(r"<tr>(.*?)</tr>", html)
    assert len(weeks) == 1 + 5  # the weekday names, then five weeks from Monday 28 February
    links = re.findall(r'<a href="([^"]*)" title="([^"]*)"', html[html.index("ra-calendar") :])
    assert links == [
        ("03/05.md", "5 March 2022: named in 1 article"),
        ("03/30.md", "30 March 2022: 2 articles published"),
    ]
    assert weeks[1].count("<td") == 7 and '<td class="ra-calendar__outside"></td>' in weeks[1]


def test_day_pages_link_to_the_previous_and_next_day_that_has_something(make_archive):
    files = {
        "articles/2022/03/a.md": article(title="A", date="2022-03-01", body="Talks on 10 March 2022."),
        "articles/2022/03/b.md": article(title="B", date="2022-03-30", body="Other news."),
    }
    pages = site(make_archive, files)
    first, middle, last = (html_of(pages[f"dates/2022/03/{d}.md"]) for d in ("01", "10", "30"))
    assert 'rel="prev"' not in first and '<a href="10.md" class="ra-neighbours__next"' in first
    assert '<a href="01.md" class="ra-neighbours__prev"' in middle
    assert '<a href="30.md" class="ra-neighbours__next"' in middle
    assert "← 1 March 2022" in middle and "30 March 2022 →" in middle
    assert 'rel="next"' not in last
    month = html_of(pages["dates/2022/03.md"])
    assert 'rel="prev"' not in month and 'rel="next"' not in month  # the only month


def test_event_dates_are_checked_with_file_and_line(make_archive, capsys):
    from build_tools.check import check_archive

    root = make_archive(
        {
            "entities/talks.yml": TALKS + "end: 2022-03-01\n",
            "entities/games.yml": "type: event\nname: Games\ndescription: G.\nend: 2022-02-20\n",
            "entities/war.yml": "type: event\nname: War\ndescription: W.\nstart: 2022-02-30\n",
        }
    )
    problems = sorted(
        f"{p.source.path}:{p.source.line}: {p.code}: {p.message}" for p in check_archive(root).problems
    )
    assert problems == [
        "archive/entities/games.yml:4: end-without-start: 'end' is given without 'start'",
        "archive/entities/talks.yml:5: end-before-start: end 2022-03-01 is before start 2022-03-29",
        "archive/entities/war.yml:4: bad-date: '2022-02-30' is not a calendar date",
    ]
