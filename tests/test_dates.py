from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from build_tools.link import DateRef, find_dates

WEDNESDAY = "2022-03-30"  # the seed article's publication day


def found(text: str, published: str = WEDNESDAY) -> list[tuple[str, str, str]]:
    return [
        (r.text, r.granularity, r.value.isoformat())
        for r in find_dates(text, dt.date.fromisoformat(published))
    ]


def test_find_dates_returns_spans_and_values():
    assert find_dates("Talks resumed on Monday in Istanbul.", dt.date(2022, 3, 30)) == [
        DateRef(17, 23, "Monday", "day", dt.date(2022, 3, 28))
    ]


def test_find_dates_resolves_the_seed_expressions():
    text = (
        "Tuesday’s talks were significant, he said on Wednesday. Troops invaded on Feb. 24, "
        "shelled Mariupol on March 29 and March 30, have fought since 2014, laid siege a month "
        "ago, and said on Monday what Bogner said. Last week, the UN spoke."
    )
    assert found(text) == [
        ("Tuesday", "day", "2022-03-29"),
        ("Wednesday", "day", "2022-03-30"),
        ("Feb. 24", "day", "2022-02-24"),
        ("March 29", "day", "2022-03-29"),
        ("March 30", "day", "2022-03-30"),
        ("2014", "year", "2014-01-01"),
        ("a month ago", "month", "2022-02-01"),
        ("Monday", "day", "2022-03-28"),
        ("Last week", "week", "2022-03-21"),
    ]


def test_find_dates_ignores_the_seed_traps():
    text = (
        "these 34 days of invasion, over the past eight years, Over the past 24 hours, over the "
        "past day, a month-long campaign, 2:41 U.S. skeptical, 5,000 people, 210 children, "
        "200 bodies, Satellite image ©2022 Maxar Technologies, may have died, to date"
    )
    assert found(text) == []


def test_weekday_is_the_latest_such_day_on_or_before_publication():
    assert found("on Wednesday, on Thursday, on Sunday") == [
        ("Wednesday", "day", "2022-03-30"),
        ("Thursday", "day", "2022-03-24"),
        ("Sunday", "day", "2022-03-27"),
    ]


def test_weekday_possessive_span_is_the_weekday_alone():
    assert found("Tuesday’s talks and Monday's vote") == [
        ("Tuesday", "day", "2022-03-29"),
        ("Monday", "day", "2022-03-28"),
    ]


def test_weekday_modifiers_move_strictly_before_or_after():
    assert found(
        "last Tuesday, this past Wednesday, next Tuesday, next Wednesday, "
        "this coming Sunday, this Friday, this Monday"
    ) == [
        ("last Tuesday", "day", "2022-03-29"),
        ("this past Wednesday", "day", "2022-03-23"),
        ("next Tuesday", "day", "2022-04-05"),
        ("next Wednesday", "day", "2022-04-06"),
        ("this coming Sunday", "day", "2022-04-03"),
        ("this Friday", "day", "2022-04-01"),
        ("this Monday", "day", "2022-03-28"),
    ]


def test_weekday_generic_and_named_days_are_not_dates():
    assert found("on a Saturday, every Friday, The Sunday Times, Black Friday, Super Tuesday, Mondays") == []


def test_weekday_abbreviation_needs_on_a_modifier_or_a_date():
    assert found("a story in the Sun. On Tues. they met; Wed., March 30, was quiet") == [
        ("Tues.", "day", "2022-03-29"),
        ("Wed., March 30", "day", "2022-03-30"),
    ]


def test_weekday_followed_by_its_date_is_one_expression():
    assert found("The vote is set for Tuesday, April 5, officials said.") == [
        ("Tuesday, April 5", "day", "2022-04-05")
    ]


def test_month_day_forms_are_recognised():
    assert found(
        "Feb. 24, Feb 24, February 24, 24 February, 24 February 2022, "
        "February 24, 2022, March 29th, the 24th of February, Sept. 1"
    ) == [
        ("Feb. 24", "day", "2022-02-24"),
        ("Feb 24", "day", "2022-02-24"),
        ("February 24", "day", "2022-02-24"),
        ("24 February", "day", "2022-02-24"),
        ("24 February 2022", "day", "2022-02-24"),
        ("February 24, 2022", "day", "2022-02-24"),
        ("March 29th", "day", "2022-03-29"),
        ("24th of February", "day", "2022-02-24"),
        ("Sept. 1", "day", "2022-09-01"),
    ]


def test_month_day_without_year_takes_the_closest_year():
    assert found("Dec. 31", "2023-01-05") == [("Dec. 31", "day", "2022-12-31")]
    assert found("Jan. 12", "2022-12-27") == [("Jan. 12", "day", "2023-01-12")]


def test_month_day_after_since_stays_on_or_before_publication():
    assert found("since Sept. 1", WEDNESDAY) == [("Sept. 1", "day", "2021-09-01")]
    assert found("since April 2", WEDNESDAY) == [("April 2", "day", "2021-04-02")]


def test_month_day_that_exists_in_no_year_is_not_a_date():
    assert found("a letter dated Feb. 30 and April 31") == []


def test_numeric_dates_are_iso_or_day_first_unless_impossible():
    assert found("2022-02-24, 24/02/2022, 24.02.2022, 24-02-2022, 2/24/2022, 05/04/2022") == [
        ("2022-02-24", "day", "2022-02-24"),
        ("24/02/2022", "day", "2022-02-24"),
        ("24.02.2022", "day", "2022-02-24"),
        ("24-02-2022", "day", "2022-02-24"),
        ("2/24/2022", "day", "2022-02-24"),
        ("05/04/2022", "day", "2022-04-05"),
    ]


def test_numeric_lookalikes_are_not_dates():
    assert (
        found(
            "at 20:14 and 14:30, open 24/7, case 2019-0457, 2022-13-01, 31/13/2022, "
            "2,022 hours, the 24th brigade"
        )
        == []
    )


def test_month_alone_needs_a_cue_unless_it_is_rarely_anything_else():
    assert found(
        "in March, since June, mid-July, early August, February’s figures, "
        "March organisers, April Ryan, August Wilson"
    ) == [
        ("March", "month", "2022-03-01"),
        ("June", "month", "2021-06-01"),
        ("July", "month", "2022-07-01"),
        ("August", "month", "2022-08-01"),
        ("February", "month", "2022-02-01"),
    ]


def test_may_is_a_month_only_with_a_month_cue():
    assert found("May I ask? They may have died. Theresa May said, and after May spoke") == []
    assert found("in May, by May, May 9, May 2022, early May, of May") == [
        ("May", "month", "2022-05-01"),
        ("May", "month", "2022-05-01"),
        ("May 9", "day", "2021-05-09"),  # no tense, more than a month ahead: the past one (issue 16)
        ("May 2022", "month", "2022-05-01"),
        ("May", "month", "2022-05-01"),
        ("May", "month", "2022-05-01"),
    ]


def test_month_alone_resolves_to_the_closest_or_as_modified():
    assert found("in September, in October, last March, next March, this March, since April", WEDNESDAY) == [
        ("September", "month", "2021-09-01"),
        ("October", "month", "2021-10-01"),
        ("last March", "month", "2021-03-01"),
        ("next March", "month", "2023-03-01"),
        ("this March", "month", "2022-03-01"),
        ("April", "month", "2021-04-01"),
    ]
    assert found("in June", WEDNESDAY) == [("June", "month", "2022-06-01")]


def test_month_and_year_is_a_month():
    assert found("in March 2022 and Feb. 2014") == [
        ("March 2022", "month", "2022-03-01"),
        ("Feb. 2014", "month", "2014-02-01"),
    ]


def test_year_needs_a_cue_or_a_following_noun():
    assert found(
        "in 2014, from 2014 to 2022, by 2050, the 2014 annexation, Russia’s 2014 "
        "annexation, 2014’s protests, mid-2014, the end of 2019"
    ) == [
        ("2014", "year", "2014-01-01"),
        ("2014", "year", "2014-01-01"),
        ("2022", "year", "2022-01-01"),
        ("2050", "year", "2050-01-01"),
        ("2014", "year", "2014-01-01"),
        ("2014", "year", "2014-01-01"),
        ("2014", "year", "2014-01-01"),
        ("2014", "year", "2014-01-01"),
        ("2019", "year", "2019-01-01"),
    ]


def test_year_lookalikes_are_not_dates():
    assert (
        found(
            "2014 was hard. The 2000 troops, roughly 2000 people, €1999, ©2022 Maxar, "
            "© 2021 Reuters, the 2021-22 season, the 1990s, up to 2000 were, 1800 and 2100"
        )
        == []
    )


def test_relative_days_resolve_around_publication():
    assert found(
        "We met today. The talks end tonight. He spoke yesterday. They will vote tomorrow. "
        "It rained the day before yesterday. They will sign the day after tomorrow. "
        "Shelling went on last night. The minister arrived this morning."
    ) == [
        ("today", "day", "2022-03-30"),
        ("tonight", "day", "2022-03-30"),
        ("yesterday", "day", "2022-03-29"),
        ("tomorrow", "day", "2022-03-31"),
        ("the day before yesterday", "day", "2022-03-28"),
        ("the day after tomorrow", "day", "2022-04-01"),
        ("last night", "day", "2022-03-29"),
        ("this morning", "day", "2022-03-30"),
    ]


def test_relative_periods_resolve_to_their_first_day():
    assert found(
        "last week, this week, next week, last month, earlier this month, next month, "
        "last year, later this year, next year, this weekend",
        "2023-01-02",
    ) == [
        ("last week", "week", "2022-12-26"),
        ("this week", "week", "2023-01-02"),
        ("next week", "week", "2023-01-09"),
        ("last month", "month", "2022-12-01"),
        ("earlier this month", "month", "2023-01-01"),
        ("next month", "month", "2023-02-01"),
        ("last year", "year", "2022-01-01"),
        ("later this year", "year", "2023-01-01"),
        ("next year", "year", "2024-01-01"),
        ("this weekend", "week", "2023-01-02"),
    ]


def test_relative_periods_after_the_are_durations():
    assert found("over the last week, in the next year, the last month, for three weeks") == []


def test_ago_resolves_by_its_unit():
    assert found(
        "34 days ago, two days ago, a week ago, two weeks ago, a month ago, three years ago, a few days ago"
    ) == [
        ("34 days ago", "day", "2022-02-24"),
        ("two days ago", "day", "2022-03-28"),
        ("a week ago", "week", "2022-03-21"),
        ("two weeks ago", "week", "2022-03-14"),
        ("a month ago", "month", "2022-02-01"),
        ("three years ago", "year", "2019-01-01"),
    ]


def test_capitalised_relative_word_mid_sentence_is_a_name():
    assert found("printed in USA Today and on Russia Today. Today, talks resumed.") == [
        ("Today", "day", "2022-03-30")
    ]


def test_find_dates_keeps_the_longest_of_overlapping_expressions():
    assert found("from Feb. 24, 2022 to March 2022, in 24 February") == [
        ("Feb. 24, 2022", "day", "2022-02-24"),
        ("March 2022", "month", "2022-03-01"),
        ("24 February", "day", "2022-02-24"),
    ]


def test_find_dates_of_empty_text_is_empty():
    assert find_dates("", dt.date(2022, 3, 30)) == []


PIECES = st.sampled_from(
    [
        "on ",
        "Monday",
        "Tues.",
        "last ",
        "next ",
        "this ",
        "week",
        "Feb. ",
        "24",
        ", ",
        "2022",
        "May",
        "in ",
        "since ",
        "ago",
        "a month ",
        "the ",
        "day before ",
        "yesterday",
        "/",
        "-",
        ".",
        " ",
        "’s",
        "©",
        "March",
        "th",
        "of ",
        "Today",
        "\n",
    ]
)


@given(st.lists(PIECES, max_size=30).map("".join))
def test_find_dates_spans_are_ordered_disjoint_and_exact(text: str) -> None:
    refs = find_dates(text, dt.date(2022, 3, 30))
    assert all(r.text == text[r.start : r.end] and r.start < r.end for r in refs)
    assert all(a.end <= b.start for a, b in itertools.pairwise(refs))


def test_find_dates_reads_that_after_a_reporting_verb_as_a_clause():
    text = "Peskov said on Wednesday that Tuesday's talks brought nothing; that Sunday was quiet."
    assert found(text) == [("Wednesday", "day", "2022-03-30"), ("Tuesday", "day", "2022-03-29")]


# Phrases the case-insensitive patterns of anaphora and periods look for, and words around
# them; each word in any case, with the characters such a pattern takes for an ASCII letter
# (dotted and dotless i, long s, Kelvin sign), and whitespace of several kinds between them.
_UNITS = ["day", "week", "month", "year"]
_PHRASES = st.one_of(
    st.tuples(st.just("the"), st.sampled_from(_UNITS), st.sampled_from(["before", "after"])),
    st.tuples(
        st.just("the"), st.sampled_from(["previous", "following", "next", "same"]), st.sampled_from(_UNITS)
    ),
    st.tuples(
        st.sampled_from(["a", "an"]), st.sampled_from(_UNITS), st.sampled_from(["earlier", "later", "before"])
    ),
    st.tuples(
        st.sampled_from(["the", "said"]),
        st.sampled_from(["5th", "21st", "2nd", "3rd", "44th"]),
        st.just("week"),
    ),
    st.tuples(st.just("the end of"), st.sampled_from(["the", "this"]), st.just("year")),
    st.tuples(st.sampled_from(["Kyiv", "said", ",", ".", "yesterday", "talks"])),
)
_ODD = {"i": ["İ", "ı"], "s": ["ſ"], "k": ["\u212a"]}


@st.composite
def _period_text(draw: st.DrawFn) -> str:
    out = []
    for phrase in draw(st.lists(_PHRASES, max_size=12)):
        for word in phrase:
            word = draw(st.sampled_from([str.lower, str.upper, str.title]))(word)
            if draw(st.booleans()):
                word = "".join(draw(st.sampled_from([c, *_ODD.get(c.lower(), [])])) for c in word)
            out.append(word + draw(st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", "\u2003", ""])))
    return "".join(out)


def _with_and_without_quick_look(text: str) -> tuple[object, object]:
    import re

    from build_tools.link import date_calendar

    day = dt.date(2022, 3, 15)
    quick = (date_calendar.find_anaphora(text, day), date_calendar.find_periods(text, day))
    saved = date_calendar.ANAPHOR_WORDS, date_calendar.ordinal_week, date_calendar.PART_OF_YEAR_WORDS
    try:
        date_calendar.ANAPHOR_WORDS = (re.compile(""),)
        date_calendar.ordinal_week = lambda low: True
        date_calendar.PART_OF_YEAR_WORDS = re.compile("")
        whole = (date_calendar.find_anaphora(text, day), date_calendar.find_periods(text, day))
    finally:
        date_calendar.ANAPHOR_WORDS, date_calendar.ordinal_week, date_calendar.PART_OF_YEAR_WORDS = saved
    return quick, whole


@given(_period_text())
def test_dates_found_the_same_whether_or_not_the_quick_look_ran_first(text: str) -> None:
    """find_anaphora and find_periods first look at the lowercased text for the words they need
    (date_calendar.fold_case); what they find is what the whole patterns find without that look."""
    quick, whole = _with_and_without_quick_look(text)
    assert quick == whole


def test_dates_each_phrase_alone_is_found_after_the_quick_look() -> None:
    phrases = [
        *(f"the {unit} {side}" for unit in _UNITS for side in ("before", "after")),
        *(f"the {order} {unit}" for order in ("previous", "following", "same") for unit in _UNITS),
        "the next day",  # "the next week" is a duration, or counted from the day of publication
        *(
            f"{a} {unit} {way}"
            for a in ("a", "an")
            for unit in _UNITS
            for way in ("earlier", "later", "before")
        ),
        *(f"the {n} week of the year" for n in ("5th", "21st", "2nd", "3rd")),
        "the end of this year",
    ]
    for phrase in phrases:
        for text in (phrase, phrase.upper(), phrase.replace(" ", "\n  ")):
            quick, whole = _with_and_without_quick_look(f"It was {text}.")
            assert quick == whole and quick != ([], []), text


def test_dates_read_letters_a_case_insensitive_pattern_takes_for_ascii_ones() -> None:
    """A long s, a dotless or dotted i, a Kelvin sign where the text has s, i or k: the date is
    read as in plain letters (these made the date finder fail with a KeyError or a ValueError)."""
    day = dt.date(2022, 3, 15)
    for odd, plain in [
        (
            "Talks began on 3 March. They met the previou\u017f day.",
            "Talks began on 3 March. They met the previous day.",
        ),
        ("They met on 5 March of thi\u017f year.", "They met on 5 March of this year."),
        ("They met \u017fix days ago.", "They met six days ago."),
        ("They met la\u017ft Monday.", "They met last Monday."),
        (
            "Talks began on 3 March. A wee\u212a later they met.",
            "Talks began on 3 March. A week later they met.",
        ),
        ("It ended in March la\u017ft year.", "It ended in March last year."),
        ("They met e\u0131ght years ago, on May 26.", "They met eight years ago, on May 26."),
    ]:
        found = [(ref.granularity, ref.value) for ref in find_dates(odd, day)]
        assert found == [(ref.granularity, ref.value) for ref in find_dates(plain, day)], odd
        assert found, odd
