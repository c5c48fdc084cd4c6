"""Finding entity mentions: every alias of every entity, in one Aho-Corasick pass per text.

Matching is case-sensitive (proper nouns are capitalised; "US" is not "us"), folds curly and
straight apostrophes and dash variants, requires word boundaries on both sides (so "Ukraine’s"
and "Moscow-backed" match, "Russian" does not), and keeps the leftmost-longest match (so
"Russia TV" is the channel, not Russia).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import ahocorasick

from ..folding import INVISIBLE, fold_in_place
from ..model import Entity

Field = Literal["title", "body"]


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity's name in an article's title or body."""

    entity_id: str
    field: Field
    start: int  # offset in the field's text
    end: int
    text: str  # the words as written


class EntityMatcher:
    """All names of all entities compiled into one automaton; build once per archive."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self._automaton = ahocorasick.Automaton()
        self.size = 0
        for entity in entities:
            for name in entity.names:
                key = fold_in_place(name)
                # An alias claimed twice is a validation error; keep the first owner here.
                if key and not self._automaton.exists(key):
                    self._automaton.add_word(key, (len(key), entity.id))
                    self.size += 1
        if self.size:
            self._automaton.make_automaton()

    def find(self, text: str, field: Field = "body") -> list[Mention]:
        if not self.size or not text:
            return []
        folded = fold_in_place(text)
        # Names are registered without zero-width characters (folding.clean_name), so the text
        # is searched without them too; `kept` maps a position back to the text as written.
        kept: list[int] | None = None
        if any(char in folded for char in INVISIBLE):
            kept = [i for i, char in enumerate(folded) if char not in INVISIBLE] + [len(folded)]
            folded = "".join(folded[i] for i in kept[:-1])
        candidates = []
        for last, (length, entity_id) in self._automaton.iter(folded):
            start, end = last - length + 1, last + 1
            if _boundary_before(folded, start) and _boundary_after(folded, end):
                if kept is not None:
                    start, end = kept[start], kept[end - 1] + 1
                candidates.append((start, -end, entity_id))
        candidates.sort()
        found: list[Mention] = []
        taken = 0
        for start, neg_end, entity_id in candidates:
            if start >= taken:
                found.append(Mention(entity_id, field, start, -neg_end, text[start:-neg_end]))
                taken = -neg_end
        return found


def _boundary_before(text: str, start: int) -> bool:
    return start == 0 or not _is_word(text[start - 1]) or not _is_word(text[start])


def _boundary_after(text: str, end: int) -> bool:
    return end == len(text) or not _is_word(text[end]) or not _is_word(text[end - 1])


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"
