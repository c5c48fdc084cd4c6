"""Import on real pages (issue 16): each class of furniture that survived, each line wrongly
made a heading, captions, bylines and datelines has a test named after it."""

from __future__ import annotations

import pytest

from build_tools import importing
from build_tools.importing import extract_text


def kinds(text: str) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in extract_text(text).blocks]


STORY = "The talks in Istanbul ended on Tuesday without a deal, officials said."


@pytest.mark.parametrize(
    "line",
    [
        "Read also: Ukraine and Poland sign a declaration on the border",
        "See the video",
        "JOIN US ON TELEGRAM!",
        "Other Topics of Interest",
        "Subscribe to us",
        "Expand",
        "You can read more about the summit on Ukrinform",
        "Want more stories like this in your inbox? Sign up to our daily briefing",
        "Sign up",
        "Get in touch",
        "Updated at 18.36 BST",
        "1:02 Zelensky visits troops near the front line – video",
        "If you have any questions about our newsletters please email newsletters@example.com",
        "A",
        "Ok",
    ],
)
def test_furniture_line_is_dropped(line: str) -> None:
    copy = extract_text(f"{STORY}\n\n{line}\n\n{STORY}")
    assert [block.text for block in copy.blocks] == [STORY, STORY]
    assert copy.dropped == (line,)


@pytest.mark.parametrize(
    "line",
    [
        "Read the decree carefully: it says more than it seems, the lawyer said.",
        "Millions of Ukrainians subscribe to Telegram channels for air-raid alerts.",
        "See you in Kyiv, the president told the ambassador.",
    ],
)
def test_story_lines_that_look_like_furniture_are_kept(line: str) -> None:
    assert [block.text for block in extract_text(f"{STORY}\n\n{line}").blocks] == [STORY, line]


@pytest.mark.parametrize(
    "line",
    [
        "CNN —",
        "Author: Jane Roe in Lviv and a colleague",
        "Yours sincerely, Volodymyr Zelenskyy",
        "Running out of steam https://t.co/abc — Jane Doe (@jdoe)",
    ],
)
def test_sign_offs_bylines_and_links_are_not_headings(line: str) -> None:
    assert ("h2", line) not in kinds(f"{STORY}\n\n{line}\n\n{STORY}")


def test_short_section_title_between_paragraphs_is_still_a_heading() -> None:
    assert kinds(f"{STORY}\n\nWhat happens next\n\n{STORY}")[1] == ("h2", "What happens next")


def test_short_line_of_an_embedded_post_is_not_a_heading() -> None:
    post = "The fields burn like matches after the shelling"
    signature = "— Example Press (@ExamplePress) July 7, 2022"
    found = kinds(f"{STORY}\n\n{post}\n\nFire advances as a wall.\n\n{signature}\n\n{STORY}")
    assert found[1] == ("p", post)
    # The same line with no post signature after it is a heading.
    assert kinds(f"{STORY}\n\n{post}\n\n{STORY}")[1] == ("h2", post)


def test_caption_with_a_photograph_credit_is_marked_as_a_caption() -> None:
    caption = "Residents walk past a destroyed bridge in Irpin. Photograph: Jane Doe/The Example"
    assert kinds(f"{STORY}\n\n{caption}\n\n{STORY}")[1] == ("caption", caption)


def test_byline_line_moves_to_authors() -> None:
    copy = extract_text(f"By Jane Doe and John Roe\n\n{STORY}")
    assert copy.authors == ("Jane Doe", "John Roe")
    assert [block.text for block in copy.blocks] == [STORY]


def test_sentence_opening_with_by_is_not_a_byline() -> None:
    copy = extract_text(f"By the end of the year, prices had doubled.\n\n{STORY}")
    assert copy.authors == ()
    assert copy.blocks[0].text == "By the end of the year, prices had doubled."


def test_dateline_moves_to_front_matter_and_its_agency_to_credits() -> None:
    copy = extract_text(f"MINSK, 21 July (BelTA) - {STORY}\n\nMore.")
    assert copy.dateline == "MINSK, 21 July (BelTA)"
    assert copy.credits == ("BelTA",)
    assert copy.blocks[0].text == STORY


def test_dateline_of_a_place_alone_is_taken_too() -> None:
    copy = extract_text(f"WASHINGTON — {STORY}")
    assert copy.dateline == "WASHINGTON"
    assert copy.blocks[0].text == STORY


def test_acronym_and_dash_opening_a_sentence_is_not_a_dateline() -> None:
    assert extract_text("NATO — the alliance met.").dateline is None


def test_dateline_is_written_to_the_article_and_shown_by_the_check() -> None:
    copy = extract_text(f"MINSK, 21 July (BelTA) - {STORY}")
    _, text = importing.build_article(copy, title="Talks", date="2022-07-21", source="BelTA")
    assert "dateline: MINSK, 21 July (BelTA)\n" in text
    assert "credits:\n- BelTA\n" in text
