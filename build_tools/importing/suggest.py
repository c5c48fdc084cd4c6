"""Growing the registry: the names a set of texts mentions most that no entity claims, and the
spellings that look like an entity's name ('Wołodymyr Zelesnky' -> volodymyr-zelenskyy?)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..folding import fold_spelling, name_key, transliterate
from ..link import EntityMatcher
from ..model import Entity
from .names import find_candidates


@dataclass(frozen=True)
class NameCount:
    """A name no entity claims, how many texts use it, and where it first occurs."""

    name: str
    items: int
    example: str  # the sentence it first occurs in, shortened
    where: str  # the text's path as shown to the user


@dataclass(frozen=True)
class LookAlike:
    """A spelling that is no entity's name but looks like one: a misspelling or a transliteration
    the registry lacks."""

    spelling: str
    entity_id: str
    entity_name: str  # the registry name it looks like
    items: int
    example: str
    where: str


@dataclass(frozen=True)
class Suggestions:
    new_names: tuple[NameCount, ...]
    look_alikes: tuple[LookAlike, ...]


# A spelling looks like a registry name when it has as many words and each word's ASCII key
# starts with the same letter and is this similar to the name's (difflib's ratio): 'wolodimir
# zelanski' / 'volodimir zelenski' passes, 'mikola kuleba' / 'dmitro kuleba' and 'kremina' /
# 'kremlin' do not. Short words must be closer: one letter in five is a different name.
_SIMILAR = 0.8
_SIMILAR_SHORT = 0.86  # words under seven letters
_SIMILAR_ALONE = 0.84  # a one-word spelling ('Kurakhove' is no 'Kubrakov', 'Andriivka' no 'Avdiivka')
_LATIN = re.compile(r"[\W\dA-Za-zÀ-ɏḀ-ỿ]+")
_TRIGRAMS_SHARED = 0.3  # candidates for the ratio: keys sharing this part of their trigrams
# Endings that make a name's adjective or people ('European', 'Germans', 'Israeli').
_DERIVED = re.compile(r"(?:eans|ians|ans|ean|ian|an|ese|ish|i|s)$")


def suggest(
    texts: Iterable[tuple[str, str]], entities: Iterable[Entity], min_items: int = 2, limit: int = 40
) -> Suggestions:
    """What `texts` ((shown path, text) pairs) name that the registry lacks, most used first:
    new names used in at least `min_items` texts (at most `limit` of them), and every spelling
    that looks like a registry name."""
    entities = list(entities)
    matcher = EntityMatcher(entities)
    per_text: list[set[str]] = []
    first: dict[str, tuple[str, str]] = {}  # name -> (where, text) of its first use
    lower_words: Counter[str] = Counter()
    for where, text in texts:
        lower_words.update(set(re.findall(r"\b[a-z][a-z'’-]+\b", text)))
        names = set(find_candidates(text, entities, matcher))
        per_text.append(names)
        for name in names:
            first.setdefault(name, (where, text))
    items = _count(per_text, set(first))
    look_alikes = _look_alikes(items, first, entities)
    alike = {look.spelling for look in look_alikes}
    tokens = {word for e in entities for n in e.names for word in n.split()}
    tokens |= {word for name in first for word in name.split()}
    shown = [
        NameCount(name, count, _example(first[name][1], name), first[name][0])
        for name, count in sorted(items.items(), key=lambda kv: (-kv[1], kv[0]))
        if count >= min_items
        and name not in alike
        and not _common_word(name, count, lower_words)
        and not _derived(name, tokens)
        and not re.search(r"['’](?:m|ll|ve|re|d)$", name)  # "I'm", "We'll"
    ]
    return Suggestions(tuple(shown[:limit]), tuple(look_alikes))


def _count(per_text: list[set[str]], known: set[str]) -> Counter[str]:
    """Texts per name, a long name counted under its longest tail that is a name of its own
    elsewhere: 'Director of the Federal Security Service Alexander Bortnikov' is a use of
    'Alexander Bortnikov' when the texts also name him without the title."""
    items: Counter[str] = Counter()
    for names in per_text:
        counted = set()
        for name in names:
            words = name.split()
            tail = next(
                (" ".join(words[i:]) for i in range(1, len(words) - 1) if " ".join(words[i:]) in known),
                name,
            )
            counted.add(tail)
        items.update(counted)
    return items


def _common_word(name: str, count: int, lower_words: Counter[str]) -> bool:
    """'Government', 'Office', 'Republic': one word the texts also write in lower case, so its
    capital comes from a title or a sentence start, not from being a name."""
    return " " not in name and lower_words[name.lower()] * 4 >= count


def _derived(name: str, tokens: set[str]) -> bool:
    """'European' (Europe), 'Germans' (Germany), 'Israeli' (Israel): a word made from a name."""
    if " " in name:
        return False
    stem = _DERIVED.sub("", name)
    if len(stem) < 4:
        return False
    forms = {stem + end for end in ("", "a", "e", "y", "ia")} | {name + "y", name.removesuffix("s") + "y"}
    return bool(forms - {name} & tokens)


def _look_alikes(
    items: Counter[str], first: dict[str, tuple[str, str]], entities: list[Entity]
) -> list[LookAlike]:
    keys: dict[str, tuple[str, Entity]] = {}  # ASCII key -> (registry name, its entity)
    for entity in entities:
        for name in entity.names:
            # Names in Latin letters only: a transliterated 'Азербайджан' makes 'Azerbaijani'
            # look like a spelling of it, where the text's own spellings are what count.
            key = _key(name)
            if len(key) >= 4 and _LATIN.fullmatch(name):
                keys.setdefault(key, (name, entity))
    index: defaultdict[str, set[str]] = defaultdict(set)
    sizes = {}
    for key in keys:
        grams = _trigrams(key)
        sizes[key] = len(grams)
        for gram in grams:
            index[gram].add(key)
    found = []
    for spelling, count in items.items():
        key = _key(spelling)
        if len(key) < 5 or spelling.endswith("-"):
            continue
        grams = _trigrams(key)
        shared: Counter[str] = Counter()
        for gram in grams:
            shared.update(index.get(gram, ()))
        best: tuple[float, str] | None = None
        for other, common in shared.items():
            if common < _TRIGRAMS_SHARED * max(len(grams), sizes[other]):
                continue
            ratio = _alike(key, other)
            if ratio and (best is None or ratio > best[0]):
                best = (ratio, other)
        if best:
            name, entity = keys[best[1]]
            where, text = first[spelling]
            found.append(LookAlike(spelling, entity.id, name, count, _example(text, spelling), where))
    return sorted(found, key=lambda look: (-look.items, look.spelling))


def _alike(key: str, other: str) -> float:
    """How alike two keys are (0 when not alike at all): word by word, same first letters."""
    words, others = key.split(), other.split()
    if len(words) != len(others):
        return 0.0
    total = 0.0
    for word, name in zip(words, others, strict=True):
        if word == name:
            total += 1
            continue
        # 'German' / 'Germany', 'Buchas' / 'Bucha': a name with an ending is another word.
        stem, name_stem = word.removesuffix("s"), name.removesuffix("s")
        if word[0] != name[0] or stem.startswith(name_stem) or name_stem.startswith(stem):
            return 0.0
        ratio = SequenceMatcher(None, word, name).ratio()
        wanted = _SIMILAR if min(len(word), len(name)) >= 7 else _SIMILAR_SHORT
        if ratio < (max(wanted, _SIMILAR_ALONE) if len(words) == 1 else wanted):
            return 0.0
        total += ratio
    return total / len(words)


def _key(name: str) -> str:
    """A name as ASCII lower case with one spelling of the letters transliterations disagree on
    ('Wołodymyr' -> 'volodimir', 'Zelenskyy' -> 'zelenskii')."""
    return re.sub(r"(.)\1+", r"\1", fold_spelling(transliterate(name_key(name))))


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _example(text: str, name: str, width: int = 110) -> str:
    """The sentence of `text` where `name` first occurs, cut to about `width` characters around it."""
    found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
    if not found:
        return ""
    at = found.start()
    start = max(text.rfind("\n", 0, at) + 1, _sentence_start(text, at))
    end_match = re.compile(r"[.!?](?=\s)|\n").search(text, at + len(name))
    end = end_match.end() if end_match else len(text)
    sentence = text[start:end].strip()
    if len(sentence) <= width:
        return sentence
    offset = at - start
    left = max(0, min(offset - width // 3, len(sentence) - width))
    cut = sentence[left : left + width].strip()
    return ("…" if left else "") + cut + ("…" if left + width < len(sentence) else "")


def _sentence_start(text: str, at: int) -> int:
    ends = [m.end() for m in re.finditer(r"[.!?]\s", text[max(0, at - 400) : at])]
    return max(0, at - 400) + ends[-1] if ends else max(0, at - 400)
