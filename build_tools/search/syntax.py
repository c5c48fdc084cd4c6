"""The query syntax readers type, the same on the search page (search.js, parseQuery) and in
`archive search`: words (all of them), "exact phrases", OR between two of them (either one),
-word and -"phrase" (none of them), word* (a prefix). Written as FTS5 expressions here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..folding import visible

_PART = re.compile(r'(-?)"([^"]*)"?|([^\s"]+)')
_WORD = re.compile(r"[^\W_]", re.UNICODE)


@dataclass(frozen=True)
class Item:
    """One word or "phrase" of a query."""

    text: str
    phrase: bool = False
    prefix: bool = False

    def fts(self) -> str:
        """As an FTS5 string: quoted, so no character of it is an operator."""
        return '"' + self.text.replace('"', "") + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True)
class ParsedQuery:
    groups: tuple[tuple[Item, ...], ...]  # every group must match: any one item of it
    excluded: tuple[Item, ...]  # no article holding any of these

    def positive(self) -> str:
        """The groups as one FTS5 expression ("" without any)."""
        parts = []
        for group in self.groups:
            alternatives = " OR ".join(item.fts() for item in group)
            parts.append(f"({alternatives})" if len(group) > 1 else alternatives)
        return " AND ".join(parts)

    def negative(self) -> str:
        """The excluded words and phrases as one FTS5 expression ("" without any)."""
        return " OR ".join(item.fts() for item in self.excluded)

    def fts(self) -> str:
        """The whole query as an FTS5 expression; "" when it has no word to look for (an
        exclusion alone is applied as a filter: query.search_archive)."""
        positive, negative = self.positive(), self.negative()
        if positive and negative:
            return f"{positive} NOT ({negative})" if len(self.excluded) > 1 else f"{positive} NOT {negative}"
        return positive

    def words(self) -> list[str]:
        """The words looked for, in order (of phrases too), for spelling suggestions."""
        return [word for group in self.groups for item in group for word in item.text.split()]


def parse_query(text: str) -> ParsedQuery:
    """`text` read as the search page reads it; zero-width characters dropped (pasted into a
    word, they would split it). An OR with nothing to join, a lone '-' and punctuation alone
    are left out."""
    groups: list[list[Item]] = []
    excluded: list[Item] = []
    join = False
    for match in _PART.finditer(visible(text)):
        negated, phrase, token = match[1] == "-", match[2], match[3]
        if token == "OR":
            join = bool(groups)
            continue
        if phrase is not None:
            item = Item(phrase.replace('"', ""), phrase=True) if _WORD.search(phrase) else None
        else:
            if token.startswith("-") and len(token) > 1:
                negated, token = True, token[1:]
            item = Item(token.rstrip("*"), prefix=token.endswith("*")) if _WORD.search(token) else None
        if item is None:
            join = False
        elif negated:
            excluded.append(item)
            join = False
        elif join:
            groups[-1].append(item)
            join = False
        else:
            groups.append([item])
    return ParsedQuery(tuple(tuple(g) for g in groups), tuple(excluded))


def fts_query(text: str) -> str:
    """`text` as an FTS5 expression (ParsedQuery.fts)."""
    return parse_query(text).fts()
