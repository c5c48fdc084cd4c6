"""Dates read in their context (issue 16): each class of error found on real news has a test
named after it. A generic "today" is not a day; a weekday or a day-month with a future cue
resolves forward; a day-month without a year is in the past unless something says otherwise;
a year the text sets applies to the days after it; and the colon, TeX-quote and modifier cases."""

from __future__ import annotations

import datetime as dt

from build_tools.check import check_archive
from build_tools.link import find_dates, link
from tests.conftest import article


def found(text: str, published: str) -> list[tuple[str, str]]:
    return [(r.text, r.value.isoformat()) for r in find_dates(text, dt.date.fromisoformat(published))]


# --- generic "today" / "tomorrow" ---------------------------------------------------------------


def test_generic_today_meaning_our_times_is_not_a_day() -> None:
    assert found("The challenges the world today faces are enormous.", "2022-03-02") == []
    assert found("Europe today needs unity more than ever.", "2022-03-02") == []
    assert found("In today's world, nobody is safe.", "2022-03-02") == []
    assert found("We will stand together, today and forever.", "2022-03-02") == []


def test_generic_today_tomorrow_slogan_is_not_a_day() -> None:
    assert found("Today Ukraine, tomorrow Moldova.", "2022-03-02") == []


def test_specific_today_is_still_the_publication_day() -> None:
    assert found("Today I signed a decree on sanctions.", "2022-03-02") == [("Today", "2022-03-02")]
    assert found("After today's talks, the delegations left.", "2022-03-02") == [("today", "2022-03-02")]
    assert found("Also today, the embassy resumed its work in Kyiv.", "2022-03-02") == [
        ("today", "2022-03-02")
    ]
    assert found("President Biden said today that help is coming.", "2022-03-02") == [("today", "2022-03-02")]
    assert found("Today is the seventh day of the war.", "2022-03-02") == [("Today", "2022-03-02")]


def test_specific_tomorrow_with_an_act_is_still_a_day() -> None:
    assert found("I am flying to Warsaw tomorrow.", "2022-03-02") == [("tomorrow", "2022-03-03")]


def test_today_with_its_date_takes_the_date() -> None:
    assert found("Today, June 22, is the Day of Mourning.", "2022-06-23") == [
        ("Today, June 22", "2022-06-22")
    ]


# --- a bare weekday about the future -----------------------------------------------------------


def test_weekday_with_a_future_cue_resolves_forward() -> None:
    # Published Wednesday 2 March 2022.
    assert found("The delegation planned to leave on Thursday.", "2022-03-02") == [("Thursday", "2022-03-03")]
    assert found("The vote was postponed until Tuesday morning.", "2022-03-02") == [("Tuesday", "2022-03-08")]
    assert found("Officials met ahead of an event on Monday.", "2022-03-02") == [("Monday", "2022-03-07")]
    assert found("The ministers will meet on Friday.", "2022-03-02") == [("Friday", "2022-03-04")]


def test_tense_words_count_in_contractions_capitals_and_beside_participles() -> None:
    # Published Wednesday 2 March 2022: each sentence's Friday is the coming one, read from
    # "'ll", a capitalised "WILL", or "will" past a participle after "the", "our" or "than".
    for sentence in (
        "They'll meet on Friday.",
        "They’ll meet on Friday.",
        "WILL they meet on Friday?",
        "They will meet the wounded on Friday.",
        "They will meet our injured on Friday.",
        "They will meet an injured man on Friday.",
        "They will say more than reported on Friday.",
    ):
        assert found(sentence, "2022-03-02") == [("Friday", "2022-03-04")], sentence


def test_weekday_in_the_past_tense_still_resolves_back() -> None:
    assert found("The ministers met on Monday.", "2022-03-02") == [("Monday", "2022-02-28")]
    assert found("He said on Monday that talks will resume.", "2022-03-02") == [("Monday", "2022-02-28")]


# --- a day and month without a year --------------------------------------------------------------


def test_month_day_without_year_in_an_earlier_month_is_last_year() -> None:
    assert found("The decree signed on Aug. 6 changed little.", "2022-02-10") == [("Aug. 6", "2021-08-06")]
    assert found("Since Aug. 6, prices have doubled.", "2022-02-10") == [("Aug. 6", "2021-08-06")]


def test_month_day_with_a_future_cue_is_the_coming_one() -> None:
    assert found("Elections will be held on Aug. 6.", "2022-02-10") == [("Aug. 6", "2022-08-06")]
    assert found("The court set the retrial for 3 October.", "2022-06-12") == [("3 October", "2022-10-03")]


def test_month_day_soon_after_publication_with_no_tense_is_the_coming_one() -> None:
    assert found("Talks in Istanbul on March 29.", "2022-03-28") == [("March 29", "2022-03-29")]


def test_month_with_this_year_takes_the_publication_year() -> None:
    assert found("A council was formed in April this year.", "2021-12-03") == [
        ("April this year", "2021-04-01")
    ]
    assert found("The summit on June 23-24 this year.", "2022-06-11") == [
        ("June 23-24 this year", "2022-06-23")
    ]


# --- a year the text sets -----------------------------------------------------------------------


def test_year_set_by_the_text_applies_to_the_days_after_it() -> None:
    text = "On 20 March 2003 the invasion of Iraq began. On 1 May, the president declared victory."
    assert found(text, "2022-03-02") == [("20 March 2003", "2003-03-20"), ("1 May", "2003-05-01")]


def test_years_ago_then_the_day_in_apposition_are_one_day_mention() -> None:
    text = "Exactly eight years ago, on May 26, the Donetsk airport stopped working. On June 1 it shut."
    assert found(text, "2022-05-26") == [
        ("eight years ago, on May 26", "2014-05-26"),
        ("June 1", "2014-06-01"),
    ]
    # Not in apposition: two mentions, the year set by the first still applying to the second.
    assert found("Eight years ago the airport was new. On May 26 it shut.", "2022-05-28") == [
        ("Eight years ago", "2014-01-01"),
        ("May 26", "2014-05-26"),
    ]


def test_year_set_by_the_text_ends_at_a_date_relative_to_publication() -> None:
    text = "On 20 March 2003 the war began. Yesterday the minister spoke. On 1 March, he said, talks start."
    assert found(text, "2022-03-02")[-1] == ("1 March", "2022-03-01")


def test_day_before_counts_from_the_date_named_before_it() -> None:
    assert found("The talks on 29 March went well; the day before, shelling stopped.", "2022-04-02") == [
        ("29 March", "2022-03-29"),
        ("the day before", "2022-03-28"),
    ]
    assert found("The day before, shelling stopped.", "2022-04-02") == []


def test_year_range_counts_as_its_first_year() -> None:
    assert found("The joint plan of action for 2022–2024 was adopted.", "2021-12-08") == [
        ("2022–2024", "2022-01-01")
    ]


# --- colon, TeX quotes, modifiers --------------------------------------------------------------


def test_month_day_followed_by_a_colon_is_a_date() -> None:
    assert found("April 25: Russian forces shelled Kharkiv.", "2022-04-26") == [("April 25", "2022-04-25")]


def test_line_opened_by_tex_quotes_is_a_sentence_start() -> None:
    assert found("``Today we buried our friends,'' he said.", "2022-04-26") == [("Today", "2022-04-26")]


def test_weekday_as_modifier_is_a_date() -> None:
    assert found("Investigators blamed the Friday explosions on sabotage.", "2022-04-26") == [
        ("Friday", "2022-04-22")
    ]


# --- the local publication day ----------------------------------------------------------------


def test_dates_resolve_from_the_local_publication_day_not_the_utc_day(make_archive) -> None:
    archive = make_archive(
        {
            "articles/2022/07/a.md": article(
                date="'2022-07-26T20:29:00-04:00'", body="The talks ended yesterday, officials said."
            )
        }
    )
    linked = link(check_archive(archive).archive)
    (links,) = linked.links
    assert [(d.text, d.value.isoformat()) for d in links.date_refs] == [("yesterday", "2022-07-25")]


def test_numbered_week_of_the_year_is_that_iso_week() -> None:
    assert found("After the 44th week of the year, cases fell.", "2021-11-10") == [
        ("the 44th week of the year", "2021-11-01")
    ]


def test_week_counted_from_a_numbered_week() -> None:
    text = "In the 44th week, cases rose by 2.1 percent compared to the previous week."
    assert found(text, "2021-11-10") == [("the 44th week", "2021-11-01"), ("the previous week", "2021-10-25")]


def test_end_of_the_year_is_the_publication_year() -> None:
    assert found("We set the task to lower poverty by the end of the year.", "2022-05-25") == [
        ("the end of the year", "2022-01-01")
    ]


def test_month_before_a_noun_after_the_is_a_month() -> None:
    assert found("Analyse the situation based on the April results.", "2022-04-20") == [
        ("April", "2022-04-01")
    ]


def test_month_in_a_name_is_not_a_date() -> None:
    assert found("It marks the anniversary of the January Uprising.", "2022-05-22") == []


def test_today_after_the_world_is_our_times() -> None:
    assert found("This is typical for many countries in the world today.", "2022-05-25") == []


def test_ongoing_has_been_fighting_is_not_a_day_for_today() -> None:
    assert found("Today, our country has been repelling one of the strongest armies.", "2022-05-14") == []
