"""Paragraphs back for texts whose breaks were lost (issue 15): speaker labels and ' * * * '
breaks start paragraphs, the rest is cut at sentence ends into paragraphs of a few sentences,
never inside a quotation, and not a word changes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.cli import main
from build_tools.importing.paragraphs import SECTION_BREAK, rebuild
from build_tools.pipeline import build_pages

KREMLIN = (
    "The talks lasted three hours. * * * Vladimir Putin: Good afternoon, colleagues. We will begin. "
    "Alexander Lukashenko: Thank you. I agree. Question: When will you meet again? "
    "Vladimir Putin: Soon."
)


def test_paragraphs_start_at_speaker_labels_and_section_breaks() -> None:
    assert rebuild(KREMLIN) == [
        "The talks lasted three hours.",
        SECTION_BREAK,
        "Vladimir Putin: Good afternoon, colleagues. We will begin.",
        "Alexander Lukashenko: Thank you. I agree.",
        "Question: When will you meet again?",
        "Vladimir Putin: Soon.",
    ]


def test_paragraphs_hold_a_few_sentences_each() -> None:
    text = " ".join(f"Sentence number {n} is here." for n in range(1, 11))
    assert rebuild(text) == [
        "Sentence number 1 is here. Sentence number 2 is here. Sentence number 3 is here. "
        "Sentence number 4 is here.",
        "Sentence number 5 is here. Sentence number 6 is here. Sentence number 7 is here. "
        "Sentence number 8 is here.",
        "Sentence number 9 is here. Sentence number 10 is here.",
    ]


def test_paragraphs_never_end_inside_a_quotation_or_after_a_title_or_initial() -> None:
    text = (
        "He said: “We will not leave. We will fight. We will win. We will rebuild.” Then he left. "
        "Mr. Smith and J. R. Jones met Dr. Brown on Jan. 5. They talked. Nothing was agreed. "
        "Talks end. Next week they meet."
    )
    assert rebuild(text) == [
        "He said: “We will not leave. We will fight. We will win. We will rebuild.” Then he left. "
        "Mr. Smith and J. R. Jones met Dr. Brown on Jan. 5. They talked.",
        "Nothing was agreed. Talks end. Next week they meet.",
    ]


def test_paragraphs_keep_the_breaks_a_text_still_has() -> None:
    assert rebuild("First part.\nSecond part.") == ["First part.", "Second part."]


WORD = st.sampled_from(
    [
        "Kyiv",
        "talks",
        "said",
        "the",
        "Mr.",
        "“We",
        "won.”",
        "Putin:",
        "*",
        "3.5",
        "U.S.",
        "end.",
        "Question:",
        "ok?",
        "(yes)",
        "—",
        "Зеленський",
        "war.",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORD, min_size=1, max_size=80))
def test_paragraphs_change_no_word(words: list[str]) -> None:
    text = " ".join(words)
    assert " ".join(rebuild(text)).split() == text.split()


def test_bulk_import_rebuilds_paragraphs_says_so_and_the_page_shows_it(make_archive, tmp_path: Path) -> None:
    make_archive({})
    data = tmp_path / "rows.csv"
    data.write_text(
        'link,headline,date,body\nhttps://example.org/k,Talks in Minsk,2022-03-30,"'
        + KREMLIN
        + ' *Not emphasis* <b>not bold</b>"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        [
            "import",
            "--csv",
            str(data),
            "--columns",
            "title=headline,date=date,url=link,body=body",
            "--source",
            "President of Russia",
            "--rebuild-paragraphs",
        ],
    )
    assert result.exit_code == 0, result.output
    text = Path("archive/articles/2022/03/talks-in-minsk.md").read_text("utf-8")
    assert "paragraphs: reconstructed\n" in text
    assert text.split("---\n\n", 1)[1] == (
        "The talks lasted three hours.\n\n* * *\n\nVladimir Putin: Good afternoon, colleagues. We will "
        "begin.\n\nAlexander Lukashenko: Thank you. I agree.\n\nQuestion: When will you meet again?\n\n"
        "Vladimir Putin: Soon. \\*Not emphasis\\* \\<b>not bold\\</b>\n"
    )
    site = build_pages(Path("archive"))
    page = site.pages["articles/2022/03/talks-in-minsk.md"]
    assert (
        "<dt>Paragraphs</dt><dd>rebuilt by the archive: the copy had lost its breaks; the words are as published</dd>"
        in page
    )
