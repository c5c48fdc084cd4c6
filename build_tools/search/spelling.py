"""Did you mean: a word of a query that no article uses, spelt as the archive writes it (the
nearest word of an entity's name or alias, else of the full-text vocabulary), and the entity a
query names, to offer its filter. The search page does the same (search.js, suggestSpelling)."""

from __future__ import annotations

import difflib
import re
import sqlite3

from ..folding import fold
from .syntax import ParsedQuery

# How alike a word and its suggestion must be (difflib's ratio): 'mariupl' and 'mariupol' are
# 0.93, 'zaporizhzhya' and 'zaporizhzhia' 0.92; 'talks' and 'tanks' 0.8 are both real words,
# and a known word is never replaced.
CUTOFF = 0.8
_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def entity_named(connection: sqlite3.Connection, query: str) -> tuple[str, str] | None:
    """(id, name) of the entity whose name or alias the whole query is ('mariupol', '"Dmitry
    Peskov"'), folded as search folds text."""
    wanted = " ".join(fold(query.replace('"', " ")).split())
    if not wanted or len(wanted.split()) > 6:
        return None
    # Only the names that begin with the query's first letter are folded and compared (LIKE
    # ignores ASCII case; a name opening with an accented letter is compared whatever its start).
    start = wanted[0] + "%" if wanted[0].isascii() and wanted[0].isalnum() else "%"
    rows = connection.execute(
        "SELECT e.id, e.name, e.name FROM entities e WHERE e.name LIKE ?1 OR e.name GLOB '[^ -~]*' "
        "UNION ALL SELECT a.entity_id, e.name, a.alias FROM aliases a JOIN entities e ON e.id = a.entity_id "
        "WHERE a.alias LIKE ?1 OR a.alias GLOB '[^ -~]*' ORDER BY 1",
        (start,),
    )
    for entity_id, name, written in rows:
        if " ".join(fold(written).split()) == wanted:
            return entity_id, name
    return None


def spelling_suggestion(connection: sqlite3.Connection, parsed: ParsedQuery, query: str) -> str | None:
    """`query` with each word no article holds replaced by the nearest word the archive uses,
    or None when every word is known or none has a close match."""
    suggested = query
    changed = False
    for word in dict.fromkeys(parsed.words()):
        if len(word) < 4 or _known(connection, word):
            continue
        better = _nearest(connection, word)
        if better and fold(better) != fold(word):
            suggested = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", better, suggested, count=1)
            changed = True
    return suggested if changed else None


def _known(connection: sqlite3.Connection, word: str) -> bool:
    try:
        found = connection.execute(
            "SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1", [_string(word)]
        ).fetchone()
    except sqlite3.Error:
        return True  # a word FTS5 cannot read: nothing to suggest
    return found is not None


def _nearest(connection: sqlite3.Connection, word: str) -> str | None:
    """The registry's spelling of a name first (readers misspell names most), else the nearest
    term of the full-text index that starts with the same letter."""
    folded = fold(word)
    names: dict[str, str] = {}
    for (name,) in connection.execute("SELECT name FROM entities UNION SELECT alias FROM aliases ORDER BY 1"):
        for part in _NAME_WORD.findall(name):
            if len(part) >= 4:
                names.setdefault(fold(part), part)
    close = difflib.get_close_matches(folded, list(names), n=1, cutoff=CUTOFF)
    if close:
        return names[close[0]]
    connection.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.archive_vocabulary USING fts5vocab(main, articles_fts, row)"
    )
    terms = {
        term: documents
        for term, documents in connection.execute(
            "SELECT term, doc FROM temp.archive_vocabulary WHERE term >= ? AND term < ?",
            (folded[0], folded[0] + "\uffff"),
        )
    }
    close = difflib.get_close_matches(folded, list(terms), n=3, cutoff=CUTOFF)
    if not close:
        return None
    ratios = {t: difflib.SequenceMatcher(None, folded, t).ratio() for t in close}
    term = max(close, key=lambda t: (ratios[t], terms[t]))
    written = _as_written(connection, term)
    return written if word[:1].isupper() else written.lower()


def _string(word: str) -> str:
    return '"' + word.replace('"', "") + '"'


def _as_written(connection: sqlite3.Connection, term: str) -> str:
    """A word as an article writes it for an index term, which is a stem ('ceasefir')."""
    row = connection.execute(
        "SELECT snippet(articles_fts, -1, char(1), char(2), '', 2) FROM articles_fts "
        "WHERE articles_fts MATCH ? LIMIT 1",
        [_string(term)],
    ).fetchone()
    found = re.search("\x01(.+?)\x02", row[0]) if row else None
    return found[1] if found else term
