"""Compact number lists for the search files: varints written with 64 JSON-safe characters.

Each character carries five bits of the number and a continuation bit, least significant group
first, so a number under 32 is one character and under 1,024 two. Lists of document ids are
sorted and stored as gaps. search.js decodes them with the same alphabet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_DIGITS = ALPHABET[:32]  # no continuation: the last group of a number
_MORE = ALPHABET[32:]  # more groups follow


def _encode_one(number: int) -> str:
    if number < 0:
        raise ValueError(f"cannot encode a negative number: {number}")
    out: list[str] = []
    while number >= 32:
        out.append(_MORE[number & 31])
        number >>= 5
    out.append(_DIGITS[number])
    return "".join(out)


_SMALL = [_encode_one(number) for number in range(1 << 15)]  # up to three characters, looked up


def encode_numbers(numbers: Iterable[int]) -> str:
    small = _SMALL
    return "".join(small[n] if 0 <= n < 32768 else _encode_one(n) for n in numbers)


def decode_numbers(text: str) -> list[int]:
    numbers: list[int] = []
    value = shift = 0
    for char in text:
        group = _VALUE[char]
        value |= (group & 31) << shift
        if group & 32:
            shift += 5
        else:
            numbers.append(value)
            value = shift = 0
    return numbers


def gaps(ids: Sequence[int]) -> list[int]:
    """Sorted ids as the first id, then the distance from each id to the next."""
    return [ids[0], *(b - a for a, b in zip(ids[:-1], ids[1:], strict=True))] if ids else []


def encode_ids(ids: Sequence[int]) -> str:
    """A sorted list of document ids: its length, then the gaps."""
    return encode_numbers([len(ids), *gaps(ids)])


def encode_postings(ids: Sequence[int], values: Sequence[int]) -> str:
    """A term's postings: count, the gaps between document ids, then one value per document."""
    return encode_numbers([len(ids), *gaps(ids), *values])
