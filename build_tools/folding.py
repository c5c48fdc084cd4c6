"""Text folding, in one place: which characters are invisible, when two names are one, how a
text is folded for search and for finding names, and how names become slugs in Latin letters.

The search page applies the same folding in build_tools/publish/assets/search/search.js; tests run both on the
same texts and compare. Change one, change the other.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from functools import lru_cache

MAX_SLUG = 80  # characters of a source or tag page's file name

# Apostrophes and their look-alikes (the Ukrainian apostrophe is often U+02BC, a letter).
_APOSTROPHES = ("\u2019", "\u2018", "\u02bc", "\u2032")
# Zero-width characters, dropped: pasted into a name or a word, they would split it in two.
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")


def visible(text: str) -> str:
    """`text` without its zero-width characters (INVISIBLE)."""
    for invisible in INVISIBLE:  # str.replace finds a character far faster than translate
        if invisible in text:
            text = text.replace(invisible, "")
    return text


def fold(text: str) -> str:
    """Lower case, apostrophes unified, accents and zero-width characters removed:
    "Zelénskyy’s" -> "zelenskyy's"."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    for apostrophe in _APOSTROPHES:  # str.replace finds a character far faster than translate
        if apostrophe in lowered:
            lowered = lowered.replace(apostrophe, "'")
    lowered = visible(lowered)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    # The set of characters first: most texts hold a few curly quotes and dashes and no mark,
    # and a regular expression scans every position of a long body far more slowly.
    marks = {ord(c): None for c in set(decomposed) if not c.isascii() and _is_mark(c)}
    return decomposed.translate(marks) if marks else decomposed


@functools.lru_cache(maxsize=4096)
def _is_mark(char: str) -> bool:
    """A combining mark (Unicode category M*), as JavaScript's /\\p{M}/u sees it."""
    return unicodedata.category(char)[0] == "M"


def clean_name(text: str) -> str:
    """Names compare equal whatever their Unicode form or invisible characters."""
    return unicodedata.normalize("NFC", visible(text)).strip()


# One-to-one character folds, so positions in the folded text are positions in the original.
_FOLD = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "`": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)


def fold_in_place(text: str) -> str:
    """Apostrophes, dashes and spaces of every kind as one each, character for character, so
    that a position in the result is the same position in `text` (for finding names)."""
    return text.translate(_FOLD)


# The letters transliterations of Ukrainian and Russian names disagree on, one each: 'Wołodymyr'
# is 'Volodymyr', 'Zelenskij' and 'ZEŁENSKI' are 'Zelensky'.
_VARIANTS = str.maketrans({"w": "v", "W": "V", "y": "i", "Y": "I", "j": "i", "J": "I"})
_BASE_LETTERS = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ħ": "h"}
)


def fold_spelling(text: str) -> str:
    """Accents off every letter and one spelling of the letters transliterations disagree on,
    character for character like fold_in_place ('Wołodymyr Zełenskyj' -> 'Volodimir Zelenskii')."""
    if not text.isascii():
        text = _NOT_ASCII_LETTER.sub(_base_letter_of, text.translate(_BASE_LETTERS))
    return text.translate(_VARIANTS)


_NOT_ASCII_LETTER = re.compile(r"[^\x00-\x7f]")


@functools.lru_cache(maxsize=4096)
def _base_letter_of_char(char: str) -> str:
    return _base_letter(char)


def _base_letter_of(match: re.Match[str]) -> str:
    return _base_letter_of_char(match[0])


def _base_letter(char: str) -> str:
    if char.isascii() or not char.isalpha():
        return char
    base = unicodedata.normalize("NFD", char)[0]
    return base if base.isalpha() else char


def name_key(name: str) -> str:
    """What makes two source or tag names one: equal after Unicode normalisation (NFC) and case
    folding, as `archive search --source` and `--tag` compare them: 'BBC' and 'bbc' are one
    source with one page; 'BBC' and 'BBC Україна' are two."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


# A name in these words (after name_key) is its own slug with hyphens for spaces: 'Example News'
# -> 'example-news', as pages were always named. Such a slug never holds '--'.
_PLAIN_NAME = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
SLUG_DIGEST = 8  # hex characters of the digest a slug of any other name ends with


@lru_cache(maxsize=65536)
def page_slug(name: str) -> str:
    """The file name of a source's or tag's page: distinct for names that name_key tells apart.

    A plain name gives its words; any other (other scripts, accents, punctuation, too long)
    gives its words in Latin letters, '--' and a digest of the name, so that 'BBC Україна' and
    'BBC Русская служба' (or 'Example-News' and 'Example News') get two pages, never one.
    """
    key = name_key(name)
    if len(key) <= MAX_SLUG and _PLAIN_NAME.fullmatch(key):
        return key.replace(" ", "-")
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=SLUG_DIGEST // 2).hexdigest()
    words = re.sub(r"[^a-z0-9]+", "-", transliterate(key)).strip("-")
    words = words[: MAX_SLUG - SLUG_DIGEST - 2].rstrip("-")
    return f"{words or 'x'}--{digest}"


# Latin letters for other scripts, for slugs only: readable, not a standard. Greek and Cyrillic
# (Russian, Ukrainian, Belarusian, Serbian, Macedonian, Bulgarian) lower case, and the Latin
# letters that Unicode does not decompose into a letter and an accent.
_LETTERS = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziyklmnoprstufye", strict=True)),
        "ё": "yo",
        "ж": "zh",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ь": "",
        "ю": "yu",
        "я": "ya",
        "і": "i",
        "ґ": "g",
        "ў": "u",
        "ђ": "dj",
        "ј": "j",
        "љ": "lj",
        "њ": "nj",
        "ћ": "c",
        "џ": "dz",
        "ѓ": "gj",
        "ќ": "kj",
        "ѕ": "dz",
        **dict(zip("αβγδεζηικλμνξοπρσςτυφω", "avgdeziiklmnxoprsstyfo", strict=True)),
        "θ": "th",
        "χ": "ch",
        "ψ": "ps",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŋ": "ng",
        "ß": "ss",
        # Apostrophes join a word ("п'ять", "Kyiv's") rather than split it.
        "'": "",
        "\u2019": "",
        "\u02bc": "",
    }
)
# Ukrainian (a name with і, ї, є or ґ) as its national system writes it: г is h, и is y, and
# є, ї, й, ю, я are ie, i, i, iu, ia inside a word ('Україна' -> 'ukraina', 'Київ' -> 'kyiv').
_UKRAINIAN = str.maketrans({"г": "h", "и": "y", "є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia"})
_UKRAINIAN_LETTERS = re.compile("[іїєґ]")
_UKRAINIAN_INITIAL = re.compile(r"\b[єїйюя]")
_UKRAINIAN_INITIALS = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def transliterate(text: str) -> str:
    """Lower-case `text` (as name_key gives it) in ASCII, as near as a table gets; what has no
    Latin letters here (Chinese, Arabic) is left out."""
    if text.isascii():
        return text
    if _UKRAINIAN_LETTERS.search(text):
        text = _UKRAINIAN_INITIAL.sub(lambda m: _UKRAINIAN_INITIALS[m[0]], text).translate(_UKRAINIAN)
    # Letters first (й and ї are letters of their own), then accents off what is left ('é',
    # Greek 'ά'), then the letters that leaves bare.
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_LETTERS)
    return text.encode("ascii", "ignore").decode()


_SLUG_TAIL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}
)


def slugify(title: str, max_length: int = 60) -> str:
    """Lower-case words in Latin letters joined by hyphens, cut at a word boundary to
    `max_length`: 'Zełenski’s speech' -> 'zelenskis-speech'. The one slugify: article file
    names, and the words of a source's or tag's page name (page_slug)."""
    words = re.findall(r"[a-z0-9]+", transliterate(name_key(title)))
    kept: list[str] = []
    for word in words:
        if len("-".join(kept + [word])) > max_length:
            break
        kept.append(word)
    if not kept and words:
        kept = [words[0][:max_length]]
    while len(kept) > 1 and kept[-1] in _SLUG_TAIL_WORDS:
        kept.pop()
    return "-".join(kept) or "untitled"
