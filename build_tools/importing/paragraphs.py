"""Paragraphs back for a text whose breaks were lost (each body one line), without changing a
word: a speaker label ("Vladimir Putin: ") starts a paragraph, " * * * " is a section break,
and otherwise the text is cut at sentence ends into paragraphs of a few sentences, never
inside a quotation."""

from __future__ import annotations

import re

SECTION_BREAK = "* * *"
SENTENCES_PER_PARAGRAPH = 4
WORDS_PER_PARAGRAPH = 90

_BREAK = re.compile(r"\s+\*\s\*\s\*\s+")
# A label of one to five capitalised words (a name, "Question", "President of Russia Vladimir
# Putin") then ': ', after the end of a sentence.
_LABEL = re.compile(r"(?<=[.!?…\"”’)]) (?=(?:[A-Z][\w'’.-]*\s(?:of\s|the\s)?){0,4}[A-Z][\w'’.-]*: )")
# A sentence ends at . ! ? or … (with closing quotes or brackets after it) before a space and
# a capital letter, a digit or an opening quote.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]* (?=[\"“‘(]?[A-Z0-9А-ЯІЇЄҐ])")
# Words a full stop follows that do not end a sentence: titles, initials, months, "No.", "St."
_NOT_AN_END = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Col|Lt|Maj|Sgt|Capt|Adm|Gov|Sen|Rep|No|Nos|Art|Vol|Jan|Feb|"
    r"Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|e\.g|i\.e|approx|incl|Jr|Sr|Inc|Ltd|Co)"
    r"|\b[A-Z]|\b(?:[A-Z]\.){2,}[A-Z]?)\.$"
)


def rebuild(text: str) -> list[str]:
    """The paragraphs of `text`, in order; section breaks are SECTION_BREAK. The words are the
    text's own: " ".join(paragraphs) has the same words as `text`."""
    paragraphs: list[str] = []
    for number, section in enumerate(_BREAK.split(text.strip())):
        if number:
            paragraphs.append(SECTION_BREAK)
        for kept in section.split("\n"):  # breaks the text still has are kept
            for turn in _LABEL.split(kept.strip()):
                paragraphs += _group(_sentences(turn))
    return [p for p in paragraphs if p]


def _sentences(text: str) -> list[str]:
    """`text` cut at the sentence ends that are not inside a quotation."""
    found, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.end() - 1]  # with the closing quotes the match took
        word = text[max(start, match.start() - 24) : match.start()].rstrip('"”’)]')
        if _NOT_AN_END.search(word) or _inside_quotation(before):
            continue
        found.append(text[start : match.end() - 1])
        start = match.end()
    found.append(text[start:])
    return [s for s in found if s]


def _inside_quotation(text: str) -> bool:
    """Whether `text` leaves a quotation open: more “ than ”, or an odd number of straight "."""
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


def _group(sentences: list[str]) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    words = 0
    for sentence in sentences:
        current.append(sentence)
        words += len(sentence.split())
        if len(current) >= SENTENCES_PER_PARAGRAPH or words >= WORDS_PER_PARAGRAPH:
            paragraphs.append(" ".join(current))
            current, words = [], 0
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs
