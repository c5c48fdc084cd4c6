"""When a registry name in a text is not a mention of its entity: inside a longer name the
registry does not hold ("Kyiv Post", "Agence France-Presse", "South China Sea", "Mykola
Kuleba"). Read from the capitalised words joined to the name, one on each side."""

from __future__ import annotations

import functools
import re

_WORD_BEFORE = re.compile(r"([A-Z][\w'’.]*)(?:[ \t]|-)\Z")
_WORD_AFTER = re.compile(r"(?:[ \t]|-)([A-Z][\w'’]*)")
_NEXT_CAPITAL = re.compile(r"[ \t]+(?:(?:de|da|di|van|von|der|den|bin|ibn|al|la|le)[ \t]+)?[A-Z]")
# Capitalised words that stand before or after a name without being part of it: titles, days
# and months, and words that open a sentence or are written in capitals in titles.
_NOT_NAME_PARTS = frozenset(
    """
    president presidents prime minister ministers chancellor foreign defence defense mayor governor
    secretary secretary-general general spokesman spokeswoman spokesperson chief deputy vice head
    heads ambassador commander colonel mr mrs ms dr sir king queen prince princess pope premier
    leader leaders speaker chairman chair chairperson director adviser advisor envoy senator sen rep
    gen lt col capt adm patriarch first lady his her excellency majesty holiness dear comrade
    colleagues friends city summit summits
    north south east west northern southern eastern western central northeast northwest southeast
    southwest north-east north-west south-east south-west upper lower greater
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december
    in at on the a an for from to by with after before during when while as and but or so yet if
    since until today yesterday tomorrow this that these those meanwhile however according also
    then now here there why how what who where both our we he she it they their my your its under
    over near across through about against between without within despite among of like unlike
    following earlier later last next every each all some many most no not only even i
    """.split()
)
# Head nouns that make a name of a body, a place or a thing built on another name: "St
# Petersburg State University", "USSR Hockey Legends Club", "Embassy of Ukraine", "the UN
# Charter" name the university, the club, the embassy, the charter.
_THING_HEADS = frozenset(
    """
    university universities institute institutes college school academy museum library theatre
    theater cathedral patriarchate club clubs centre center committee agency fund bank company
    corporation foundation society association school hospital fleet metro railway railways bridge
    airport station street avenue square highway motorway prize award order medal cup championship
    post times agreement convention charter treaty declaration statute act process group council
    embassy embassies delegation mission day days arena stadium port seaport republic republics
    memorandum
    """.split()
)
# A lower-case noun after a place that makes the pair an arrangement named after it: "the
# Minsk framework", "the Normandy format", "the Istanbul communiqué".
_ARRANGEMENT_AFTER = re.compile(
    r"[ \t]+(?:framework|format|formula|agreements?|accords?|protocols?|memorandum|process"
    r"|declaration|communiqu[eé])\b"
)
_DASH_BEFORE = re.compile(r"[-–—][ \t]*\Z")
# Names that run on through a preposition: a diplomatic mission is "of one country in (or
# to) another" ("the Embassy of Ukraine in Germany"), and a body "under" the office it
# serves ("the Research Centre under the President of the Russian Federation").
_MISSION_BEFORE = re.compile(
    r"\b(?:Embass(?:y|ies)|Consulate(?:[ -]General)?|Mission)"
    r"(?:[ \t]+of(?:[ \t]+the)?(?:[ \t]+[A-Z][\w'’-]*)+)?[ \t]+(?:in|to)[ \t]+(?:the[ \t]+)?\Z"
)
_BODY_UNDER_BEFORE = re.compile(
    r"\b(?:Centre|Center|Council|Commission|Committee|Agency|Service|Fund|Institute|Office"
    r"|Board|Foundation|Academy)[ \t]+under[ \t]+the(?:[ \t]+(?:[A-Z][\w'’-]*|of|the))*[ \t]+\Z"
)
_RUN_AFTER = re.compile(r"(?:[ \t]+[A-Z][\w'’-]*){1,4}")
_HEAD_BEFORE = re.compile(r"\b([A-Z][a-z]+)\s+(?:of|to)\s+(?:the\s+)?\Z")
_NUMBERED = re.compile(r"-\d")  # "Minsk-3": an agreement, not the city
_ADJECTIVE = re.compile(r"(?:ian|ean|ish|ese|an|i)$")  # 'Ukrainian', 'British', 'Israeli'
_LONG_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")  # a word of four characters or more
_SENTENCE_OPEN = re.compile(r"(?:\A|[.!?:;\n\"“”(—–])[\s\"“'‘(*_]*\Z")


def inside_longer_name(
    text: str,
    start: int,
    end: int,
    names: list[tuple[int, int]],
    person: bool = False,
    place: bool = False,
) -> bool:
    """Whether text[start:end], a registry name of one word, is part of a longer capitalised
    name that is not itself a registry name (`names`: the spans of every registry name found in
    `text`). A name of several words is itself the longer name: "Sayyid Ebrahim Raisi",
    "Defence Minister Sergei Shoigu", "Miguel Diaz-Canel Bermudez" stay mentions. `person`: the
    name is a person's, so even a word opening the sentence is a first name ("Mykola Kuleba
    said"), where before a place it is not ("Has Russia paid"). `place`: a place's name
    followed by an arrangement's noun names the arrangement ("the Minsk framework"), unless it
    is one of a dashed list of parties ("the United States - Ukraine - Russia format")."""
    if _heading_or_title_case(text, start, end):
        return False  # every word is capitalised there: no longer name can be told
    if not person and _names_a_thing(text, start, end):
        return True
    if place and _ARRANGEMENT_AFTER.match(text, end) and not _DASH_BEFORE.search(text, 0, start):
        return True
    if " " in text[start:end]:
        return False
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    # Joined by a hyphen, two places make a pair ("Russia-Vietnam talks"); a person's name
    # makes a longer name ("Kornhauser-Duda").
    if before and not person and text[before.end(1)] == "-":
        before = None
    if before and _joins(before[1], before.start(1), text, names, before=True, person=person):
        return True
    after = _WORD_AFTER.match(text, end)
    if after is None or (not person and text[end] == "-"):
        return False
    # "… of the European Parliament Roberta Metsola": a two-word run after the name is the
    # next name (the Kremlin's "title of body Name Surname"), not the end of this one.
    if _NEXT_CAPITAL.match(text, after.end()):
        return False
    return _joins(after[1], after.start(1), text, names, before=False)


def _names_a_thing(text: str, start: int, end: int) -> bool:
    if _NUMBERED.match(text, end):
        return True
    window = max(0, start - 120)
    if _MISSION_BEFORE.search(text, window, start) or _BODY_UNDER_BEFORE.search(text, window, start):
        return True
    run = _RUN_AFTER.match(text, end)
    if run and run[0].split()[-1].lower().rstrip("'’s") in _THING_HEADS:
        return True
    head = _HEAD_BEFORE.search(text, max(0, start - 40), start)
    return bool(head) and head[1].lower() in _THING_HEADS  # type: ignore[index]


def _joins(
    word: str, at: int, text: str, names: list[tuple[int, int]], before: bool, person: bool = False
) -> bool:
    bare = re.sub(r"['’]s$", "", word).rstrip(".")
    lower = bare.lower()
    if lower in _NOT_NAME_PARTS or any(a <= at < b for a, b in names):
        return False  # a title, a day, or another registry name ("Russia-Ukraine talks")
    if word.isupper() and len(word) > 1:
        return False  # an acronym beside a name: "EU", "UN"
    if before:
        if word.endswith(".") and len(bare) > 2:
            return False  # the end of a sentence: "… Independence Day. Putin said"
        if word.endswith(("'s", "’s")):
            return False  # "Russia's Kharkiv"
        if _ADJECTIVE.search(lower) and len(lower) > 4:
            return False  # "Ukrainian Kharkiv"
        if not person and _SENTENCE_OPEN.search(text, max(0, at - 6), at) and _ordinary(lower, text):
            return False  # "Has Russia paid", "Regarding Kazakhstan"; but "Agence France-Presse"
    return True


# Verbs and conjunctions that often open a sentence before a name.
_STARTERS = frozenset(
    """has have had will would can could should shall may might must do does did is are was were
    let please thank give make take see tell ask help regarding because unless although whereas
    whether thus hence besides yes no""".split()
)


def _ordinary(word: str, text: str) -> bool:
    """A capitalised word that opens a sentence is an ordinary word when it is a common opener
    or the text writes it in lower case elsewhere."""
    return word in _STARTERS or re.search(rf"\b{re.escape(word)}\b", text) is not None


def _heading_or_title_case(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return _title_case_line(text[line_start : line_end if line_end >= 0 else len(text)])


@functools.lru_cache(maxsize=1024)
def _title_case_line(line: str) -> bool:
    if line.lstrip().startswith("#"):
        return True
    words = _LONG_WORD.findall(line)
    return len(words) >= 5 and sum(map(str.isupper, [w[0] for w in words])) >= 0.75 * len(words)
