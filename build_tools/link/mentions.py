"""Finding entity mentions: every alias of every entity, in one Aho-Corasick pass per text.

Matching is case-sensitive (proper nouns are capitalised; "US" is not "us") but reads a word in
capitals as a name ("MINSK", "ZELENSKYY"), folds accents ("Erdoğan" is "Erdogan", "Wołodymyr"
"Wolodymyr"), curly and straight apostrophes and dash variants, requires word boundaries on
both sides (so "Ukraine’s" and "Moscow-backed" match, "Russian" does not), and keeps the
leftmost-longest match (so "Russia TV" is the channel, not Russia). A name inside a longer
name the registry lacks ("Kyiv Post", "Mykola Kuleba") is no mention (name_context.py), and a
surname two registry people share counts only after the full name in the same article. A
registered given name before a surname spelt with other vowels ("Dmytro Kułyba") is the person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import ahocorasick

from ..folding import INVISIBLE, fold_in_place, fold_spelling
from ..model import Entity
from .name_context import inside_longer_name

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
        entities = list(entities)
        shared = _shared_surnames(entities)
        # given name -> (surname's consonants, surname, entity id) for names spelt another way
        self._given: dict[str, list[tuple[str, str, str]]] = {}
        self._acronyms: set[str] = set()
        for entity in entities:
            for name in entity.names:
                key = fold_spelling(fold_in_place(name))
                self._acronyms.update(_CAPITALS.findall(key))  # 'NATO', 'COVID' in 'COVID-19'

                # An alias claimed twice is a validation error; keep the first owner here.
                if key and not self._automaton.exists(key):
                    surname = (entity.id, name) in shared
                    kind = entity.type
                    self._automaton.add_word(key, (len(key), entity.id, surname, kind))
                    self.size += 1
                words = key.split()
                if entity.type == "person" and len(words) > 1 and len(words[-1]) >= 5:
                    entry = (_consonants(words[-1]), words[-1], entity.id)
                    self._given.setdefault(words[0], []).append(entry)
        if self.size:
            self._automaton.make_automaton()

    def find(self, text: str, field: Field = "body") -> list[Mention]:
        """Every mention in one text; a shared surname counts after its full name there."""
        return self._after_full_names(self._find(text, field), set())

    def find_in_article(self, title: str, body: str) -> list[Mention]:
        """The title's mentions, then the body's; a surname two registry people share counts
        only after the entity's full name has appeared in the title or earlier in the body."""
        named: set[str] = set()
        found = self._after_full_names(self._find(title, "title"), named)
        return found + self._after_full_names(self._find(body, "body"), named)

    def _find(self, text: str, field: Field) -> list[tuple[Mention, bool]]:
        if not self.size or not text:
            return []
        folded = _match_form(fold_in_place(text), self._acronyms)
        # Names are registered without zero-width characters (folding.clean_name), so the text
        # is searched without them too; `kept` maps a position back to the text as written.
        kept: list[int] | None = None
        if any(char in folded for char in INVISIBLE):
            kept = [i for i, char in enumerate(folded) if char not in INVISIBLE] + [len(folded)]
            folded = "".join(folded[i] for i in kept[:-1])
        candidates = []
        for last, (length, entity_id, surname, kind) in self._automaton.iter(folded):
            start, end = last - length + 1, last + 1
            if _boundary_before(folded, start) and _boundary_after(folded, end):
                if kept is not None:
                    start, end = kept[start], kept[end - 1] + 1
                candidates.append((start, -end, entity_id, surname, kind))
        for start, end, entity_id in self._spelt_another_way(folded, candidates):
            if kept is not None:
                start, end = kept[start], kept[end - 1] + 1
            candidates.append((start, -end, entity_id, False, "person"))
        candidates.sort()
        chosen: list[tuple[int, int, str, bool, str]] = []
        taken = 0
        for start, neg_end, entity_id, surname, kind in candidates:
            if start >= taken:
                chosen.append((start, -neg_end, entity_id, surname, kind))
                taken = -neg_end
        chosen = self._regions_of_a_list(text, chosen)
        spans = [(start, end) for start, end, *_ in chosen]
        return [
            (Mention(entity_id, field, start, end, text[start:end]), surname)
            for start, end, entity_id, surname, kind in chosen
            if not inside_longer_name(text, start, end, spans, kind == "person", kind == "place")
        ]

    def _spelt_another_way(
        self, folded: str, found: list[tuple[int, int, str, bool, str]]
    ) -> list[tuple[int, int, str]]:
        """A person's full name in a spelling the registry lacks, with the registry's given name
        and a surname that differs only in its vowels ("Dmytro Kułyba" for Dmytro Kuleba), and
        that surname alone later in the same text."""
        taken = [(start, -neg_end) for start, neg_end, *_ in found]
        out: list[tuple[int, int, str]] = []
        spellings: dict[str, str] = {}
        for match in _GIVEN_AND_SURNAME.finditer(folded):
            registered_names = self._given.get(match[1])
            if not registered_names:
                continue
            surname = match[2]
            start, end = match.start(), match.end(1) + 1 + len(surname)
            for consonants, registered, entity_id in registered_names:
                if (
                    surname != registered
                    and surname[0] == registered[0]
                    and abs(len(surname) - len(registered)) <= 1
                    and _consonants(surname) == consonants
                    and not any(a < end and start < b for a, b in taken)
                ):
                    out.append((start, end, entity_id))
                    spellings.setdefault(surname, entity_id)
                    break
        if spellings:
            first = min(start for start, _, _ in out)
            pattern = re.compile(r"\b(" + "|".join(map(re.escape, spellings)) + r")\b")
            for match in pattern.finditer(folded, first):
                if not any(a <= match.start() < b for a, b, _ in out) and not any(
                    a < match.end() and match.start() < b for a, b in taken
                ):
                    out.append((match.start(), match.end(), spellings[match[1]]))
        return out

    def _regions_of_a_list(
        self, text: str, chosen: list[tuple[int, int, str, bool, str]]
    ) -> list[tuple[int, int, str, bool, str]]:
        """ "Kherson and Zaporizhzhia regions": each name of a list that ends in a plural head
        ('regions', 'oblasts') is the entity the registry calls '<name> region', if it has one."""
        out = list(chosen)
        run: list[int] = []
        for index, (start, end, *_) in enumerate(chosen):
            if run and not _LIST_GAP.fullmatch(text, chosen[run[-1]][1], start):
                run = []
            run.append(index)
            head = _PLURAL_HEAD.match(text, end)
            if head and len(run) > 1:
                for i in run:
                    s, e, _, surname, kind = out[i]
                    key = fold_spelling(fold_in_place(f"{text[s:e]} {head[1]}"))
                    if self._automaton.exists(key):
                        out[i] = (s, e, self._automaton.get(key)[1], surname, kind)
                run = []
        return out

    @staticmethod
    def _after_full_names(found: list[tuple[Mention, bool]], named: set[str]) -> list[Mention]:
        kept = []
        for mention, surname in found:
            if surname and mention.entity_id not in named:
                continue
            if not surname:
                named.add(mention.entity_id)
            kept.append(mention)
        return kept


def _shared_surnames(entities: list[Entity]) -> set[tuple[str, str]]:
    """(entity id, alias) for each one-word alias of a person that is the last word of a name
    of another person too ('Kuleba' when the registry holds Dmytro and Mykola Kuleba)."""
    owners: dict[str, set[str]] = {}
    for entity in entities:
        if entity.type != "person":
            continue
        for name in entity.names:
            words = name.split()
            if len(words) > 1:
                owners.setdefault(words[-1], set()).add(entity.id)
    return {
        (entity.id, name)
        for entity in entities
        if entity.type == "person"
        for name in entity.names
        if " " not in name and len(owners.get(name, set()) - {entity.id}) > 0
    }


_NOT_CONSONANTS = str.maketrans("", "", "aeiouAEIOU")  # after fold_spelling 'y' is 'i'


# A capitalised word and the next: the surname is looked ahead at, so that "Minister Dmytro
# Kułyba" tries both "Minister Dmytro" and "Dmytro Kułyba". The capital comes first and the word
# boundary before it is a look behind: the search then goes from capital to capital, in half
# the time of one that tries a boundary at every place.
_GIVEN_AND_SURNAME = re.compile(r"([A-Z](?<!\w[A-Z])[a-z'-]{1,20}) (?=([A-Z][a-z'-]{3,30})\b)")


def _consonants(word: str) -> str:
    return word.translate(_NOT_CONSONANTS).lower()


_LIST_GAP = re.compile(r",? and |, ")
_PLURAL_HEAD = re.compile(r" ([Rr]egion|[Oo]blast|[Pp]rovince)s\b")


# --- one-to-one folds for matching ------------------------------------------------------------

# After accents are off: 'ZEŁENSKI' is 'ZELENSKI'. Capital first, the boundary before it a look
# behind: the search goes from capital to capital (\b first tries every place, three times slower).
_CAPITALS = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z]{2,}\b")


def _match_form(text: str, acronyms: set[str] | frozenset[str] = frozenset()) -> str:
    """`text` with accents off its letters and words in capitals written as names ('MINSK' ->
    'Minsk'), character for character, so positions stay those of `text`. Registered names in
    capitals ('NATO', 'OSCE') stay as they are."""
    return _CAPITALS.sub(lambda m: m[0] if m[0] in acronyms else m[0].capitalize(), fold_spelling(text))


def _boundary_before(text: str, start: int) -> bool:
    return start == 0 or not _is_word(text[start - 1]) or not _is_word(text[start])


def _boundary_after(text: str, end: int) -> bool:
    return end == len(text) or not _is_word(text[end]) or not _is_word(text[end - 1])


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"
