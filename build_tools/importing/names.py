"""Names in a copy's text: the registry's entities it names, and capitalised names the registry
does not know yet (candidates for new entity files)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..link import EntityMatcher
from ..model import Entity

# --- names in the text -------------------------------------------------------------------


def find_entities(
    text: str, entities: Iterable[Entity], matcher: EntityMatcher | None = None
) -> list[Entity]:
    """Registry entities the linker would find in `text`, in order of first mention."""
    entities = list(entities)
    matcher = matcher or EntityMatcher(entities)
    by_id = {entity.id: entity for entity in entities}
    first = dict.fromkeys(mention.entity_id for mention in matcher.find(text))
    return [by_id[entity_id] for entity_id in first if entity_id in by_id]


_COMMON_WORDS = frozenset(
    """
a about according after against all almost already also although among an and another any as asked
at because before both but by despite during each earlier even every few for from he her here his
however i if in into it its last later many may meanwhile might more most much my next no not now of
often on once only or other our over people perhaps several she since so some still such than that
the their then there these they this those though to today tomorrow under until we what when where
whether which while who why with yet yesterday you your
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
""".split()
)


_TITLE_WORDS = frozenset(
    """
president prime minister foreign defence defense mayor governor gov general gen chancellor secretary
state spokesman spokeswoman spokesperson chief deputy vice head ambassador commander colonel col lt
capt adm admiral sen senator rep mr mrs ms dr prof sir lord lady king queen prince princess pope
premier leader judge justice
""".split()
)


_SPLITTING_TITLES = frozenset(
    """
president prime minister mayor governor chancellor secretary spokesman spokeswoman spokesperson
mr mrs ms dr gen general sen senator pope king queen
""".split()
)


_CONNECTORS = frozenset("of the de del da van von der al bin la le".split())


_LOWER_PART = re.compile(r"-(?=[a-z])")
_WORD = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_][\w'’-]*")


def find_candidates(text: str, entities: Iterable[Entity], matcher: EntityMatcher | None = None) -> list[str]:
    """Capitalised names in `text` that are no registry entity's name or alias ('Matilda Bogner'),
    in order of first appearance. Sentence-initial ordinary words, days, months, titles
    ('President') and nationality words are left out, and so is a surname ('Bogner') when
    the full name is a registry name or another candidate.

    matcher: the registry's names compiled once (pass it when reading many texts); the names
    the linker would link are masked out of the text in one pass."""
    entities = list(entities)
    matcher = matcher or EntityMatcher(entities)
    chars = list(text)
    for mention in matcher.find(text):
        chars[mention.start : mention.end] = "\x00" * (mention.end - mention.start)
    masked = "".join(chars)
    lower_words = set(re.findall(r"\b[a-z][a-z'’-]*\b", text))
    sequences = list(_capitalised_sequences(masked))
    seen_mid = {w for words, initial in sequences for i, w in enumerate(words) if i or not initial}
    found: list[str] = []
    for words, initial in sequences:
        for piece in _split_at_titles(words):
            if piece != words[: len(piece)]:
                initial = False
            if candidate := _candidate(list(piece), initial, lower_words, seen_mid):
                found.append(candidate)
            initial = False
    unique = list(dict.fromkeys(found))
    # 'Matilda Bogner' ends with 'Bogner': a surname on its own is not a new name.
    full_names = [n.split() for e in entities for n in e.names] + [c.split() for c in unique]
    tails = {tuple(words[i:]) for words in full_names for i in range(1, len(words))}
    return [c for c in unique if tuple(c.split()) not in tails]


def _split_at_titles(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """'Ukraine President Volodymyr Zelenskyy' -> ('Ukraine',), ('Volodymyr', 'Zelenskyy')."""
    pieces: list[tuple[str, ...]] = []
    current: list[str] = []
    for word in words:
        if word.lower().rstrip(".") in _SPLITTING_TITLES:
            pieces.append(tuple(current))
            current = []
        else:
            current.append(word)
    return [p for p in pieces + [tuple(current)] if p]


def _candidate(words: list[str], initial: bool, lower_words: set[str], seen_mid: set[str]) -> str | None:
    """Trim titles and ordinary words off a run of capitalised words; None if nothing is left
    that looks like a name."""
    while words and (
        words[0].lower().rstrip(".") in _COMMON_WORDS | _TITLE_WORDS | _CONNECTORS
        or (initial and words[0].lower() in lower_words)
    ):
        words.pop(0)
        initial = False
    while words and words[-1].lower().rstrip(".") in _COMMON_WORDS | _CONNECTORS:
        words.pop()
    if not words:
        return None
    if len(words) == 1:
        word = words[0]
        demonym = re.search(r"(?:ian|ians|ese|ish)$", word)  # Ukrainian, Japanese, British
        if len(word) < 2 or demonym or (initial and word not in seen_mid):
            return None
    return " ".join(words)


def _capitalised_sequences(text: str) -> Iterator[tuple[tuple[str, ...], bool]]:
    """Runs of capitalised words (with 'of', 'de' … between them), and whether each run starts
    a sentence. A possessive or a lower-case hyphen part ('Moscow-backed') ends a run."""
    run: list[str] = []
    pending: list[str] = []  # connectors waiting for the next capitalised word
    initial = False
    end = 0
    for m in _WORD.finditer(text):
        word = m.group()
        gap = text[end : m.start()]
        joined = bool(run) and gap == " " and not run[-1].endswith(("’s", "'s", "-"))
        if run and not joined:
            yield _finish(run), initial
            run, pending = [], []
        end = m.end()
        if word[0].isupper():
            if not run:
                # A bounded look back: slicing the whole text before each name is quadratic.
                before = text[max(0, m.start() - 40) : m.start()].rstrip(" “\"‘'([")
                initial = not before or before.endswith((".", "!", "?", "\n", ":", "—", "–"))
            run += pending + [word]
            pending = []
        elif run and word in _CONNECTORS and len(pending) < 2:
            pending.append(word)
        elif run:
            yield _finish(run), initial
            run, pending = [], []
        cut = "-" in word and _LOWER_PART.search(word)
        if run and (word.endswith(("’s", "'s")) or cut):
            yield _finish(run), initial
            run, pending = [], []
    if run:
        yield _finish(run), initial


def _finish(run: list[str]) -> tuple[str, ...]:
    words = [re.sub(r"(?:’s|'s|’|')$", "", w) for w in run]
    words = [re.split(r"-(?=[a-z])", w)[0] for w in words]
    return tuple(w for w in words if w)
