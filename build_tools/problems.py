"""Problems found in archive content: one type with file, line, code, message and hint,
plus the two ways they are printed (plain lines and GitHub Actions annotations)."""

from __future__ import annotations

import difflib
import reprlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Source:
    """Where something came from: a path (as shown to the user) and a 1-based line."""

    path: str
    line: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Problem:
    """A content mistake a contributor can fix. Never raised: collected and reported."""

    source: Source
    severity: Severity
    code: str
    message: str
    hint: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.source.path, self.source.line, self.code, self.message)

    def format(self) -> str:
        hint = f"; {self.hint}" if self.hint else ""
        return one_line(f"{self.source}: {self.severity}: {self.message}{hint} [{self.code}]")

    def format_github(self) -> str:
        def esc(text: str) -> str:
            return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def esc_prop(text: str) -> str:
            return esc(text).replace(":", "%3A").replace(",", "%2C")

        hint = f"; {self.hint}" if self.hint else ""
        return (
            f"::{self.severity} file={esc_prop(self.source.path)},line={self.source.line},"
            f"title={esc_prop(self.code)}::{esc(self.message + hint)}"
        )


# Line breaks and other control characters a message may quote from a file (a key written
# "a\nb" in YAML) are shown escaped: one problem is one line, whatever the file holds.
_ESCAPES = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if code != 0x09}
_ESCAPES.update({0x0A: "\\n", 0x0D: "\\r", 0x2028: "\\u2028", 0x2029: "\\u2029"})


def one_line(text: str) -> str:
    return text.translate(_ESCAPES)


# A message quotes at most this many characters of a value: a field may hold megabytes (or,
# through YAML aliases, a list of lists), and one problem must stay one readable line.
QUOTE_LIMIT = 80
_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxlevel, _SHORT_REPR.maxlist, _SHORT_REPR.maxdict = 2, 4, 4
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = _SHORT_REPR.maxlong = QUOTE_LIMIT


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A value as a message shows it: text as written between single quotes, anything else as
    Python writes it; either cut to `limit` characters with an ellipsis. Never walks the whole
    of a large value."""
    if isinstance(value, str):
        return f"'{shorten(value, limit)}'"
    return shorten(_SHORT_REPR.repr(value), limit)


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, the last an ellipsis when anything was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error(source: Source, code: str, message: str, hint: str | None = None) -> Problem:
    return Problem(source, "error", code, message, hint)


def warning(source: Source, code: str, message: str, hint: str | None = None) -> Problem:
    return Problem(source, "warning", code, message, hint)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean' hint for the closest choice, or None when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    return f"did you mean '{close[0]}'?" if close else None


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: p.sort_key)


def summary_line(problems: Sequence[Problem], files: int) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors

    def plural(n: int, word: str) -> str:
        return f"{n:,} {word}{'' if n == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}"
