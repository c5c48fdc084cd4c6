"""`archive export --quotes`: the attributed quotations of archive.sqlite (who said what, when,
where), all of them or those of some people, words, sources and dates, as CSV or JSON."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

from ..cite import csv_cell
from ..folding import fold, visible
from .export import Export
from .query import QueryError, open_database, parse_period
from .syntax import parse_query

QUOTE_FORMATS = ("csv", "json")
COLUMNS = ("date", "speaker", "speaker_name", "quote", "how", "title", "source", "url", "page")


def export_quotes(
    db: Path,
    format_name: str,
    query: str = "",
    *,
    speakers: Sequence[str] = (),
    source: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    site_url: str | None = None,
) -> Export:
    """Every quotation attributed to a registry person, oldest first, or those of `speakers`,
    holding every word and "phrase" of `query` (excluding its -words), from `source`, in the
    period; in `format_name` ('csv' or 'json'). Raises QueryError."""
    if format_name not in QUOTE_FORMATS:
        raise QueryError(f"quotations are exported as {' or '.join(QUOTE_FORMATS)}, not {format_name}")
    start = parse_period(date_from).isoformat() if date_from else "0000-01-01"
    end = parse_period(date_to, end=True).isoformat() if date_to else "9999-12-31"
    parsed = parse_query(query)
    wanted = [[fold(visible(item.text)) for item in group] for group in parsed.groups]
    unwanted = [fold(visible(item.text)) for item in parsed.excluded]
    with contextlib.closing(open_database(db)) as connection:
        for speaker in speakers:
            if connection.execute("SELECT 1 FROM entities WHERE id = ?", (speaker,)).fetchone() is None:
                raise QueryError(f"no entity '{speaker}' in the archive")
        rows = connection.execute(
            "SELECT a.date, q.speaker, e.name, q.text, q.how, a.title, a.source, a.url, a.page_url "
            "FROM quotes q JOIN articles a ON a.id = q.article_id JOIN entities e ON e.id = q.speaker "
            "WHERE a.date BETWEEN ? AND ? AND (? IS NULL OR lower(a.source) = lower(?)) "
            "ORDER BY a.date, a.id, q.start",
            (start, end, source, source),
        ).fetchall()
    chosen = set(speakers)
    kept = []
    for row in rows:
        if chosen and row[1] not in chosen:
            continue
        said = fold(row[3])
        if all(any(word in said for word in group) for group in wanted) and not any(
            w in said for w in unwanted
        ):
            kept.append(dict(zip(COLUMNS, (*row[:8], (site_url or "") + row[8]), strict=True)))
    if format_name == "json":
        text = json.dumps(kept, ensure_ascii=False, indent=2) + "\n"
    else:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({key: csv_cell(str(value or "")) for key, value in row.items()} for row in kept)
        text = out.getvalue()
    return Export(text, len(kept))
