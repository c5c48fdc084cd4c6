"""The inverted index of the search files: per term, the documents that hold it and what the term
weighs in each, encoded as the shards hold it.

A build keeps the index beside the search memo (write_snapshot), with what each document's
postings were made from; the next build, when no more than a few documents changed in place (or
were added after the last), replaces just their postings and encodes again just the terms they
hold, and the terms of any document whose weights the new average length moved past a step. The
entries are the ones a build from nothing makes, byte for byte (tests/test_search_postings.py):
at 10,000 articles this is a second of CPU less of a one-article rebuild's search process.
"""

from __future__ import annotations

import json
import pickle
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..files import write_atomic_with
from ..memo import load_pickle
from .codec import encode_postings

K1, B = 1.2, 0.75  # BM25
IMPACT_LEVELS = 7  # a term's weight in the body, 1..7, precomputed with the document's length
TITLE, ENTITY = 1, 2  # flags: the term is in the title / in the name of an entity the article names
PATCH_AT_MOST = 8  # documents changed: beyond, the postings are made again whole
MOVED_AT_MOST = 64  # documents whose weights moved a step: beyond, every term is encoded again
SNAPSHOT_FORMAT = 1


def _new_array() -> array[int]:
    return array("I")


@dataclass(frozen=True)
class Document:
    """What a document's postings are made from: its body's term counts, its title's terms and
    the terms of the names of the entities it names; `signature` tells a changed one apart."""

    signature: str
    body: Counter[str]
    title: set[str]
    names: set[str]


class Postings:
    """Per term: document numbers and, for each, the body's count of the term * 4 + flags, in
    document order; each document's length (its body's terms counted)."""

    def __init__(self) -> None:
        self.ids: defaultdict[str, array[int]] = defaultdict(_new_array)
        self.values: defaultdict[str, array[int]] = defaultdict(_new_array)
        self.lengths: list[int] = []
        self.signatures: list[str] = []

    @property
    def term_count(self) -> int:
        return len(self.ids)

    @property
    def posting_count(self) -> int:
        return sum(len(ids) for ids in self.ids.values())

    def add(self, document: Document) -> None:
        """The next document (numbered len(lengths))."""
        doc = len(self.lengths)
        body, title, names = document.body, document.title, document.names
        self.lengths.append(sum(body.values()))
        self.signatures.append(document.signature)
        ids, values = self.ids, self.values
        # The terms in any order: each term's postings are in document order all the same.
        for term, count in body.items():
            ids[term].append(doc)
            values[term].append(
                (count << 2) | (TITLE if term in title else 0) | (ENTITY if term in names else 0)
            )
        for term in (title | names) - body.keys():
            ids[term].append(doc)
            values[term].append((TITLE if term in title else 0) | (ENTITY if term in names else 0))

    def replace(self, doc: int, document: Document) -> set[str]:
        """Document `doc`'s postings made from `document` instead; the terms whose postings changed."""
        touched = self.holding(doc)
        for term in touched:
            ids, values = self.ids[term], self.values[term]
            at = bisect_left(ids, doc)
            del ids[at], values[at]
            if not ids:
                del self.ids[term], self.values[term]
        body, title, names = document.body, document.title, document.names
        self.lengths[doc] = sum(body.values())
        self.signatures[doc] = document.signature
        for term in body.keys() | title | names:
            ids, values = self.ids[term], self.values[term]
            at = bisect_left(ids, doc)
            ids.insert(at, doc)
            values.insert(
                at,
                (body.get(term, 0) << 2) | (TITLE if term in title else 0) | (ENTITY if term in names else 0),
            )
            touched.add(term)
        return touched

    def holding(self, doc: int) -> set[str]:
        """The terms with a posting in document `doc` (each term's documents looked up)."""
        found = set()
        for term, ids in self.ids.items():
            at = bisect_left(ids, doc)
            if at < len(ids) and ids[at] == doc:
                found.add(term)
        return found


def updated(kept: object, documents: Sequence[Document]) -> tuple[Postings, set[str] | None]:
    """The postings of `documents`: `kept`'s (a snapshot) with the changed documents replaced, and
    the terms whose postings changed; or made whole, and None, when there is no usable snapshot
    or too much changed (documents removed or reordered, or more than PATCH_AT_MOST)."""
    postings = _restored(kept)
    if postings is not None and len(documents) >= len(postings.signatures):
        old = postings.signatures
        changed = [doc for doc in range(len(old)) if old[doc] != documents[doc].signature]
        if len(changed) + len(documents) - len(old) <= PATCH_AT_MOST:
            touched: set[str] = set()
            for doc in changed:
                touched |= postings.replace(doc, documents[doc])
            for document in documents[len(old) :]:
                postings.add(document)
                touched |= document.body.keys() | document.title | document.names
            return postings, touched
    postings = Postings()
    for document in documents:
        postings.add(document)
    return postings, None


@dataclass(frozen=True)
class Encoded:
    """Each term's entry as a shard holds it ('"term":"postings"'), with the average length and
    the weight of each (count, length) pair they were encoded with."""

    entries: dict[str, str]
    average: float
    impacts: dict[tuple[int, int], int]


def encoded(postings: Postings, kept: Encoded | None = None, touched: set[str] | None = None) -> Encoded:
    """Every term's entry: `kept`'s, except for the terms `touched` and those holding a document
    whose weights moved a step with the average length; all of them without `kept`."""
    lengths = postings.lengths
    average = (sum(lengths) / len(lengths)) if lengths else 1.0
    impacts: dict[tuple[int, int], int] = {}
    if kept is not None and touched is not None:
        moved: set[int] = set()  # lengths of which a pair's weight moved
        for pair, impact in kept.impacts.items():
            impacts[pair] = now = _impact(pair[0], _norm(pair[1], average))
            if now != impact:
                moved.add(pair[1])
        shifted = [doc for doc, length in enumerate(lengths) if length in moved] if moved else []
        if len(shifted) <= MOVED_AT_MOST:
            dirty = set(touched)
            for doc in shifted:
                dirty |= postings.holding(doc)
            entries = dict(kept.entries)
            for term in dirty:
                if term in postings.ids:
                    entries[term] = _entry(term, postings, average, impacts)
                else:
                    entries.pop(term, None)
            return Encoded(entries, average, impacts)
        impacts = {}
    entries = {term: _entry(term, postings, average, impacts) for term in postings.ids}
    return Encoded(entries, average, impacts)


def _entry(term: str, postings: Postings, average: float, impacts: dict[tuple[int, int], int]) -> str:
    """The term's postings as text (gaps between documents, then impact * 4 + flags), as an
    entry of a shard's JSON object."""
    lengths = postings.lengths
    ids = postings.ids[term]
    values = []
    # The impact of a count in a document depends on the count and the document's length alone:
    # worked out once for each pair there is (a few thousand for a million postings).
    for packed, doc in zip(postings.values[term], ids, strict=True):
        if packed < 4:  # not in the body: impact 0, flags alone
            values.append(packed)
            continue
        pair = (packed >> 2, lengths[doc])
        impact = impacts.get(pair)
        if impact is None:
            impact = impacts[pair] = _impact(pair[0], _norm(pair[1], average))
        values.append((impact << 2) | (packed & 3))
    return json.dumps({term: encode_postings(ids, values)}, ensure_ascii=False, separators=(",", ":"))[1:-1]


def _norm(length: int, average: float) -> float:
    return K1 * (1 - B + B * length / (average or 1.0))


def _impact(count: int, norm: float) -> int:
    """BM25's term-frequency part, scaled to 1..IMPACT_LEVELS; 0 when the body lacks the term."""
    if count == 0:
        return 0
    weight = count * (K1 + 1) / (count + norm) / (K1 + 1)
    return max(1, min(IMPACT_LEVELS, round(weight * IMPACT_LEVELS)))


def snapshot(
    postings: Postings, encoding: Encoded, wrap: Callable[[array[int]], object] = lambda found: found
) -> tuple[object, ...]:
    """What the next build is given of this one's postings (plain containers); `wrap`: how each
    term's arrays are held (write_snapshot hands them to pickle as buffers)."""
    return (
        SNAPSHOT_FORMAT,
        postings.signatures,
        {term: wrap(ids) for term, ids in postings.ids.items()},
        {term: wrap(values) for term, values in postings.values.items()},
        postings.lengths,
        encoding.entries,
        encoding.average,
        encoding.impacts,
    )


def write_snapshot(path: Path, version: str, postings: Postings, encoding: Encoded) -> None:
    """The snapshot in a file of its own, for the build after this one (`version`: of the code
    that made it). Each term's arrays go into the file as they are, and nothing is remembered
    while pickling (nothing in it is shared but the terms): pickled with the search memo, copies
    of them made the search process of a full build 14% larger (48 of 353 MB at 10,000
    articles; 1 MB this way)."""
    data = (version, snapshot(postings, encoding, pickle.PickleBuffer))

    def dump(handle: BinaryIO) -> None:
        pickler = pickle.Pickler(handle, protocol=5)
        pickler.fast = True  # no memo: a reference to everything pickled, and copies
        pickler.dump(data)

    write_atomic_with(path, dump, durable=False)


def read_snapshot(path: Path, version: str) -> object:
    """The snapshot write_snapshot left at `path` by this `version` of the code, or None (no
    file, a damaged one, another version's: the postings are then made whole)."""
    stored = load_pickle(path)
    if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == version):
        return None
    kept = stored[1]
    if not (
        isinstance(kept, tuple) and len(kept) == 8 and isinstance(kept[2], dict) and isinstance(kept[3], dict)
    ):
        return None
    try:
        ids = {term: _array(data) for term, data in kept[2].items()}
        values = {term: _array(data) for term, data in kept[3].items()}
    except (TypeError, ValueError):
        return None
    return (*kept[:2], ids, values, *kept[4:])


def _array(data: object) -> array[int]:
    found = array("I")
    found.frombytes(data)  # type: ignore[arg-type]  # a bytearray: raises TypeError for another type
    return found


def kept_encoding(kept: object) -> Encoded | None:
    """The entries a snapshot holds, or None."""
    if not _usable(kept):
        return None
    assert isinstance(kept, tuple)
    return Encoded(kept[5], kept[6], kept[7])


def _restored(kept: object) -> Postings | None:
    if not _usable(kept):
        return None
    assert isinstance(kept, tuple)
    postings = Postings()
    postings.signatures = list(kept[1])
    postings.ids = defaultdict(_new_array, kept[2])
    postings.values = defaultdict(_new_array, kept[3])
    postings.lengths = list(kept[4])
    return postings


def _usable(kept: object) -> bool:
    """A snapshot of this format, of the shape snapshot() makes (the memo is ours, but a file
    from a crash or another version must only ever cost a build from nothing)."""
    return (
        isinstance(kept, tuple)
        and len(kept) == 8
        and kept[0] == SNAPSHOT_FORMAT
        and isinstance(kept[1], list)
        and isinstance(kept[2], dict)
        and isinstance(kept[3], dict)
        and isinstance(kept[4], list)
        and len(kept[1]) == len(kept[4])
        and isinstance(kept[5], dict)
        and isinstance(kept[6], float)
        and isinstance(kept[7], dict)
    )
