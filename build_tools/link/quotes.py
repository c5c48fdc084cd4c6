"""Quotations: words in quotation marks that an article attributes to a registry person, and how
the text attributes them ('"…," Peskov said'; 'Bogner told Reuters: "…"'; '"…," he said' where
"he" can only be the person just named). When the speaker is not certain, the quotation is
kept without one rather than given to a guess."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from .mentions import Mention

How = Literal["after_verb", "before_colon", "according_to", "pronoun", "continuation", "none"]


@dataclass(frozen=True)
class Quote:
    """One quotation in an article's body: its words (inside the marks), where they are, and
    who said them (a person's entity id) when the text says so beyond doubt."""

    start: int
    end: int
    text: str
    speaker: str | None
    how: How


# Verbs that report speech or writing, in the forms news and statements use.
_VERBS = (
    "said|says|say|told|tells|added|adds|stressed|stresses|noted|notes|emphasi[sz]ed|emphasi[sz]es"
    "|explained|explains|wrote|writes|stated|states|declared|declares|insisted|insists|warned|warns"
    "|argued|argues|asked|asks|replied|replies|continued|concluded|announced|announces|remarked"
    "|commented|tweeted|posted|urged|urges|claimed|claims|recalled|recalls|underlined|underscored"
    "|pointed out|assured|assures|confirmed|confirms|admitted|admits|acknowledged|answered"
    "|responded|observed|suggested|summed up|reiterated|reiterates|quipped|vowed|promised"
    "|addressed|called|described|wrote on|said in|told reporters"
)
_VERB = rf"(?:{_VERBS})"
_PRONOUN = r"(?:he|she|He|She)"
# What may stand between a closing mark and the attribution: a comma, a dash, spaces. A full
# stop after the mark ends the sentence ('"30 questions to the President". He said …').
_LEAD = r"[\s,—–-]*"
# Between a closing mark and the name: '"…," said Peskov', '"…," said Kremlin spokesman
# Dmitry Peskov' (a verb and up to four capitalised words), or nothing but _LEAD when the name
# comes first and the verb after it ('"…," Peskov said', '"…," Peskov, the spokesman, said').
_VERB_THEN_NAME = re.compile(rf"{_LEAD}(?:{_VERB})\s+(?:[A-Z][\w'’.-]*\s+){{0,4}}\Z")
_NAME_FIRST = re.compile(rf"{_LEAD}\Z")
_AFTER_PRONOUN = re.compile(rf"{_LEAD}{_PRONOUN}\s+(?:also\s+|then\s+|later\s+)?{_VERB}\b")
_AFTER_ROLE = re.compile(rf"{_LEAD}(?:the|a|an|one|another)\s+[\w'’ -]{{1,60}}?\s+{_VERB}\b", re.I)
# 'Peskov said: "…"', 'Bogner told Reuters: "…"', 'Peskov said that "…"'.
_BEFORE_VERB = re.compile(
    rf"^(?:,[^,]{{1,80}},)?\s*(?:also\s+|then\s+|later\s+|has\s+|had\s+)?{_VERB}\b[^.!?\"“”«»]{{0,60}}?"
    rf"(?::|,|\bthat)?\s*\Z"
)
_BEFORE_PRONOUN = re.compile(
    rf"(?:^|[.!?]\s+|\n)\s*{_PRONOUN}\s+(?:also\s+|then\s+|later\s+)?{_VERB}\b[^.!?\"“”«»]{{0,60}}?(?::|,|\bthat)?\s*\Z"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+\Z")

_OPEN_CLOSE = {"“": "”", "«": "»", "„": "“”", '"': '"'}
_OPENING = re.compile(r"[“«„\"]")
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z“\"«]|\s*$)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
MIN_WORDS = 3


def find_quotes(
    body: str, mentions: Iterable[Mention], people: set[str] | frozenset[str]
) -> tuple[Quote, ...]:
    """Every quotation of MIN_WORDS words or more in `body`, with its speaker when certain.
    `mentions`: the article's entity mentions (body ones are read); `people`: the ids of the
    registry's persons."""
    named = sorted((m for m in mentions if m.field == "body"), key=lambda m: m.start)
    spans = [(m.start, m.end) for m in named]
    # A person named inside a quotation is spoken of, not speaking.
    quoted = [(qs, qe) for start, end in _paragraphs(body) for qs, qe, _ in _marks(body, start, end)]
    persons = [m for m in named if m.entity_id in people and not any(qs <= m.start < qe for qs, qe in quoted)]
    quotes: list[Quote] = []
    previous: tuple[str | None, bool] = (None, False)  # the last quote's speaker, and unclosed
    for start, end in _paragraphs(body):
        found = list(_marks(body, start, end))
        here: str | None = None  # the speaker of the quotation just before, in this paragraph
        here_end = start
        for index, (qs, qe, closed) in enumerate(found):
            text = body[qs:qe].strip()
            if not _is_speech(text):
                continue
            speaker, how = _attribute(body, start, end, qs, qe, closed, persons, spans)
            if how == "none" and here and _goes_on(body, here_end, qs, persons, here):
                # '"…," he said. "…"': the next sentence is a quotation again, the same voice.
                speaker, how = here, "continuation"
            elif how == "none" and index == 0 and qs - 1 == _first_char(body, start) and previous[1]:
                # A quotation left open at the end of a paragraph goes on in the next one.
                speaker, how = previous[0], "continuation" if previous[0] else "none"
            quotes.append(Quote(qs, qe, text, speaker, how))
            previous = (speaker, not closed)
            here, here_end = speaker, qe
        if not found:
            previous = (None, False)
    return tuple(quotes)


def _paragraphs(body: str) -> Iterable[tuple[int, int]]:
    at = 0
    for block in re.split(r"(\n\s*\n)", body):
        if block.strip() and not block.startswith("\n"):
            yield at, at + len(block)
        at += len(block)


def _first_char(body: str, start: int) -> int:
    while start < len(body) and body[start] in " \t>*":
        start += 1
    return start


def _marks(body: str, start: int, end: int) -> Iterable[tuple[int, int, bool]]:
    """(first char inside, end inside, closed) of each top-level quotation in a paragraph; an
    opening mark with no closing one runs to the paragraph's end (a quote that goes on in the
    next paragraph)."""
    at = start
    while at < end:
        match = _OPENING.search(body, at, end)
        if match is None:
            return
        mark = match[0]
        o = match.start()
        if mark == '"' and o > start and not re.match(r"[\s(\[—–-]", body[o - 1]):
            at = o + 1  # a closing straight quote, or inches: not an opening
            continue
        closers = _OPEN_CLOSE[mark]
        close = min((i for i in (body.find(c, o + 1, end) for c in closers) if i >= 0), default=-1)
        if close < 0:
            yield o + 1, end, False
            return
        yield o + 1, close, True
        at = close + 1


def _is_speech(text: str) -> bool:
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return False
    # A name of a thing in quotes ("Special Military Operation"): every word capitalised.
    return not (len(words) <= 6 and all(w[0].isupper() for w in words if len(w) > 3))


def _sentence_start(body: str, lo: int, at: int) -> int:
    cut = lo
    for match in _SENTENCE_END.finditer(body, lo, at):
        cut = match.end()
    return cut


def _goes_on(body: str, after: int, qs: int, persons: Sequence[Mention], speaker: str) -> bool:
    """Whether the quotation at `qs` follows the one that ended at `after` as its next
    sentence: only the attribution between them, and the new one opening a sentence."""
    gap = body[after + 1 : qs - 1]
    if len(gap) > 120 or len(_SENTENCE_END.findall(gap + " X")) > 1:
        return False
    if not re.search(r"(?:[.!?…]|^)\s*\Z", gap):
        return False  # the quotation is inside a sentence of its own ('called it "…"')
    return all(m.entity_id == speaker for m in persons if after < m.start < qs)


def _attribute(
    body: str,
    start: int,
    end: int,
    qs: int,
    qe: int,
    closed: bool,
    persons: Sequence[Mention],
    spans: Sequence[tuple[int, int]] = (),
) -> tuple[str | None, How]:
    # After the quotation: '"…," Peskov said', '"…," said Peskov', '"…," he said'.
    if closed:
        after_at = qe + 1
        window_end = min(end, after_at + 160)
        for m in persons:
            if after_at <= m.start < window_end:
                between = body[after_at : m.start]
                tail = body[m.end : min(end, m.end + 90)]
                if _NAME_FIRST.match(between) and re.match(
                    rf"(?:,[^,.!?]{{1,80}},)?\s+(?:also\s+|then\s+|later\s+|has\s+|had\s+)?{_VERB}\b", tail
                ):
                    return m.entity_id, "after_verb"
                if _VERB_THEN_NAME.match(between):
                    return m.entity_id, "after_verb"
                break
        if _AFTER_PRONOUN.match(body, after_at, window_end):
            return _the_one_person(body, start, qs, persons, spans), "pronoun"
        if _AFTER_ROLE.match(body, after_at, window_end):
            return None, "none"
    # Before it: 'Peskov said: "…"', 'Bogner told Reuters: "…"', 'According to Peskov, "…"'.
    sentence = _sentence_start(body, start, qs - 1)
    before = [m for m in persons if sentence <= m.start and m.end <= qs - 1]
    if before:
        last = before[-1]
        gap = body[last.end : qs - 1]
        if _BEFORE_VERB.match(gap):
            return last.entity_id, "before_colon"
        if _ACCORDING.search(body, sentence, last.start) and re.fullmatch(r"\s*,?\s*", gap):
            return last.entity_id, "according_to"
    if _BEFORE_PRONOUN.search(body, sentence, qs - 1):
        return _the_one_person(body, start, qs, persons, spans), "pronoun"
    return None, "none"


def _the_one_person(
    body: str, start: int, qs: int, persons: Sequence[Mention], spans: Sequence[tuple[int, int]]
) -> str | None:
    """The person 'he' or 'she' must be: the only registry person named in the sentence before
    the quotation's and in its own, up to the quotation; with two, nobody. A sentence before
    that opens with 'He' or 'She' and names nobody carries the chain one sentence further back
    ('Medinsky said … He added … "…," he said'), up to three sentences."""
    at = _sentence_start(body, start, qs)
    for _ in range(4):
        back = at
        while back > 0 and (body[back - 1].isspace() or body[back - 1] in "”\"»'’"):
            back -= 1
        if back == 0:
            break
        previous = _sentence_start(body, max(0, back - 600), back - 1)
        named = {m.entity_id for m in persons if previous <= m.start < qs}
        if named or not re.match(r"\s*(?:He|She)\b", body[previous:back]):
            if len(named) != 1 or _someone_else(body, previous, qs, spans):
                return None
            return named.pop()
        at = previous
    return None


# Words that are capitalised before or inside a name without being a person's name.
_NOT_A_NAME = frozenset(
    """the a an in on at and but he she it they we this that his her their its as after before
    when while president prime minister foreign defence defense secretary chancellor spokesman
    spokeswoman spokesperson general deputy ambassador mayor governor head chief mr mrs ms dr
    sir lord king queen pope kremlin white house state security council ministry office
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december""".split()
)
# The first capital is matched before the word boundary (a look behind): the search goes from
# capital to capital instead of trying a boundary at every place.
_TWO_CAPITALS = re.compile(
    r"([A-Z](?<!\w[A-Z])[a-z]+(?:[-'’][A-Za-z]+)?)\s+([A-Z][a-z]+(?:[-'’][A-Za-z]+)?)\b"
)


def _someone_else(body: str, lo: int, hi: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether a person the registry does not hold may be named in body[lo:hi]: two capitalised
    words ('Robert Habeck', 'Yuliia Paievska') that are no registry name, no title and no
    nationality. Then 'he' may be them, and the quotation is left unattributed."""
    for match in _TWO_CAPITALS.finditer(body, lo, hi):
        first, second = match[1], match[2]
        if first.lower() in _NOT_A_NAME or second.lower() in _NOT_A_NAME:
            continue
        if any(a < match.end() and match.start() < b for a, b in spans):
            continue
        if re.search(r"(?:ian|ish|ese|ean|ic|an)$", first):
            continue  # 'Ukrainian Prosecutor', 'Turkish President'
        return True
    return False
