"""Words for search: folding, tokens, stems and stop words, and an article's plain text.

The search page applies the same rules in publish/assets/search/search.js (with the Snowball port in
stemmer.js); tests run both on the same texts and compare. Change one, change the other.
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter

import snowballstemmer

from ..folding import fold

# Dropped from the index and from queries: too common to tell articles apart. Short on purpose:
# "will", "not", "no", "may", "us" carry meaning in news text.
STOP_WORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his i in is it its of on or "
    "she so than that the their them there they this to was were which who with".split()
)
MAX_TOKEN = 40  # longer "words" are URLs, hashes or noise

# Letters and digits in any script, with apostrophes inside a word ("don't", "п'ять").
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_ENGLISH = re.compile(r"[a-z]+(?:'[a-z]+)*\Z")


def words(text: str) -> list[str]:
    """The folded words of a text, stop words included, in order."""
    return [w for w in _TOKEN.findall(fold(text)) if len(w) <= MAX_TOKEN]


_stemmer = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=1 << 20)
def stem(word: str) -> str:
    """English (Snowball "Porter2") stem of a folded word in Latin letters; others unchanged."""
    return _stemmer.stemWord(word) if _ENGLISH.match(word) else word


def terms(text: str) -> list[str]:
    """The index terms of a text, in order: folded words less stop words, stemmed."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


def term_counts(text: str) -> Counter[str]:
    """How often each index term occurs in a text: Counter(terms(text)), faster."""
    counts: Counter[str] = Counter()
    for word, count in Counter(_TOKEN.findall(fold(text))).items():
        if word not in STOP_WORDS and len(word) <= MAX_TOKEN:
            counts[stem(word)] += count
    return counts


# --- plain text --------------------------------------------------------------------------------

_BLOCK_ATTRS = re.compile(r"^[ \t]*\{:[^}\n]*\}[ \t]*$", re.M)
_INLINE_ATTRS = re.compile(r"\{:?[ \t]*[.#][^}\n]*\}")
_IMAGE_OR_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_TAG = re.compile(r"<[^>\n]{0,300}>")
_LINE_MARKS = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+\.[ \t]+)", re.M)
# Each of these two starts with a lookahead for what must be there: most places are passed over fast.
_EMPHASIS = re.compile(r"(?=[*_])(?:\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w))")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>&])")
_UNENDED_BLOCK = re.compile(r"(?=[ \t\n])(?<=[^\s.!?…:;,\"”’)\]])[ \t]*\n(?:[ \t]*\n)+")
_HIDDEN = 0xF0000  # escaped ASCII characters stand in plane 15 (private use) meanwhile
_HIDDEN_CHAR = re.compile("[\U000f0000-\U000f007f]")


def plain_text(markdown: str) -> str:
    """An article body without Markdown or HTML markup, on one line: what snippets quote."""
    text = markdown
    escaped = "\\" in text
    if escaped:  # an escaped character is text: hidden from the patterns below until the end
        text = _ESCAPE.sub(lambda m: chr(_HIDDEN + ord(m[1])), text)
    # Each pattern runs only when its telltale character is there: most bodies are plain.
    if "{" in text:
        text = _INLINE_ATTRS.sub("", _BLOCK_ATTRS.sub("", text))
    if "](" in text:
        text = _IMAGE_OR_LINK.sub(r"\1", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    text = _LINE_MARKS.sub("", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    if escaped:
        text = _HIDDEN_CHAR.sub(lambda m: chr(ord(m[0]) - _HIDDEN), text)
    if "&" in text:
        text = html.unescape(text)
    if "\n\n" in text:  # a heading or caption would run into the next paragraph
        text = _UNENDED_BLOCK.sub(" · \n", text)
    return " ".join(text.split())


def plain_text_start(markdown: str, most: int, enough: int) -> str:
    """The start of plain_text(markdown[:most]), at least `enough` characters of it (all of it
    when shorter), for a summary that reads no more: the plain text of the body's first lines
    when they give enough, which is most of the time a third of the work. plain_text reads a
    body line by line (no markup it removes spans a line break), so the text of its first lines
    begins the text of the whole, all but the last few characters, read with the next line."""
    cut = markdown.find("\n", min(most, 2 * enough), most)
    if cut != -1:
        text = plain_text(markdown[:cut])
        if len(text) > enough + 20:
            return text
    return plain_text(markdown[:most])
