"""A whole data set into the archive: rows of a CSV or JSON Lines file, their columns mapped to
front-matter fields, each row checked as `archive check` would before anything is written;
rows already archived (same address or same text) are skipped, bad rows reported by number."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..check import body_fingerprint, validate
from ..folding import slugify
from ..problems import Problem, Source
from ..read import RawArchive, load_archive
from ..read.load import parse_article
from ..settings import Settings
from ..urls import normalize_url
from .extracted import escape_markdown, normalize_date
from .paragraphs import SECTION_BREAK, rebuild
from .writing import FIELD_ORDER, article_rel_path, render_article, write_article

# Fields a column may fill besides the front matter's: the article's text.
BODY = "body"
MAX_ROWS = 100_000


class BulkError(ValueError):
    """The file or the mapping cannot be used at all (a usage error); the message says why."""


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet numbers it (CSV: the header is row 1), or the JSONL line
    values: Mapping[str, object]


@dataclass(frozen=True)
class RowProblem:
    number: int
    message: str


@dataclass
class BulkReport:
    written: list[Path] = field(default_factory=list)
    skipped: int = 0  # already archived: the same address or text
    refused: list[RowProblem] = field(default_factory=list)


def check_fields(names: list[str], settings: Settings) -> None:
    """BulkError unless every name is a front-matter field, a grouping key or `body`."""
    known = [*FIELD_ORDER, *(g.key for g in settings.extra_groupings), BODY]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise BulkError(f"'{unknown[0]}' is not a field of an article; the fields are {', '.join(known)}")


def parse_columns(text: str) -> dict[str, str]:
    """'title=headline,date=date' -> {field: column}."""
    mapping: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, column = part.partition("=")
        if not sep or not key.strip() or not column.strip():
            raise BulkError(f"'{part}' in --columns is not FIELD=COLUMN, such as title=headline")
        mapping[key.strip()] = column.strip()
    return mapping


def read_rows(path: Path, kind: str) -> tuple[list[str], Iterator[Row | RowProblem]]:
    """The column names and the rows of a CSV file (first row: the names) or a JSON Lines file
    (one object a line; the names are those of the first object)."""
    text = path.read_text("utf-8-sig")
    if kind == "csv":
        return _csv_rows(text)
    return _jsonl_rows(text)


def _csv_rows(text: str) -> tuple[list[str], Iterator[Row | RowProblem]]:
    csv.field_size_limit(10 * 1024 * 1024)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise BulkError("the CSV file is empty: its first row must name the columns")

    def rows() -> Iterator[Row | RowProblem]:
        for number, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                yield RowProblem(number, f"has {len(record)} cells; the header names {len(header)}")
                continue
            yield Row(number, dict(zip(header, record, strict=True)))

    return header, rows()


def _jsonl_rows(text: str) -> tuple[list[str], Iterator[Row | RowProblem]]:
    lines = text.split("\n")
    first = next((line for line in lines if line.strip()), None)
    try:
        sample = json.loads(first) if first else None
    except ValueError:
        sample = None
    if not isinstance(sample, dict):
        raise BulkError("the first line of a JSON Lines file must be a JSON object")

    def rows() -> Iterator[Row | RowProblem]:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RowProblem(number, f"is not JSON: {exc.msg} at column {exc.colno}")
                continue
            except ValueError:  # a number too long to read
                yield RowProblem(number, "is not JSON that can be read")
                continue
            if not isinstance(value, dict):
                yield RowProblem(number, "is not a JSON object")
                continue
            yield Row(number, value)

    return list(sample), rows()


def import_rows(
    root: Path,
    rows: Iterator[Row | RowProblem],
    columns: Mapping[str, str],
    constants: Mapping[str, str],
    settings: Settings,
    missing: frozenset[str] = frozenset(),
    rebuild_paragraphs: bool = False,
    progress: Callable[[int], None] = lambda n: None,
) -> BulkReport:
    """Import the rows into the archive at `root`: each row's fields from its columns, then the
    constants; the rows that pass the check are written, each as a new file."""
    raw, _ = load_archive(root)
    registry, _ = validate(raw, settings=settings)
    seen_urls = {normalize_url(a.url) for a in registry.articles if a.url}
    seen_texts = {body_fingerprint(a.body) for a in registry.articles}
    used_slugs = {Path(doc.rel_path).stem for doc in raw.articles}
    report = BulkReport()
    candidates: list[tuple[int, str, str]] = []  # row number, path, text
    for count, row in enumerate(rows, start=1):
        progress(count)
        if count > MAX_ROWS:
            report.refused.append(RowProblem(row.number, f"is past the limit of {MAX_ROWS:,} rows"))
            break
        if isinstance(row, RowProblem):
            report.refused.append(row)
            continue
        fields, problem = _fields(row, columns, constants, missing)
        if problem:
            report.refused.append(RowProblem(row.number, problem))
            continue
        body = str(fields.pop(BODY))
        if rebuild_paragraphs:
            body = "\n\n".join(p if p == SECTION_BREAK else escape_markdown(p) for p in rebuild(body))
            fields["paragraphs"] = "reconstructed"
        url = fields.get("url")
        fingerprint = body_fingerprint(body)
        if (isinstance(url, str) and normalize_url(url) in seen_urls) or fingerprint in seen_texts:
            report.skipped += 1
            continue
        if isinstance(url, str):
            seen_urls.add(normalize_url(url))
        seen_texts.add(fingerprint)
        slug = _unique(slugify(str(fields["title"])), used_slugs)
        try:
            text = render_article(fields, body, tuple(g.key for g in settings.extra_groupings))
        except ValueError as exc:
            report.refused.append(RowProblem(row.number, str(exc)))
            continue
        candidates.append((row.number, article_rel_path(str(fields["date"]), slug), text))
    accepted = _checked(root, raw, candidates, settings, report)
    for _, rel_path, text in accepted:
        try:
            report.written.append(write_article(root, rel_path, text))
        except FileExistsError:  # written meanwhile by someone else: never overwritten
            continue
    return report


def _fields(
    row: Row, columns: Mapping[str, str], constants: Mapping[str, str], missing: frozenset[str]
) -> tuple[dict[str, object], str | None]:
    fields: dict[str, object] = {}
    for name, column in columns.items():
        value = row.values.get(column)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", [], ()) or (isinstance(value, str) and value in missing):
            continue
        fields[name] = value
    fields.update(constants)
    absent = [name for name in ("title", "date", "source", BODY) if not fields.get(name)]
    if absent:
        return fields, f"has no {' and no '.join(absent)}"
    date = fields["date"]
    day = normalize_date(str(date)) if isinstance(date, str) else None
    if day is None:
        return fields, f"'date' is {json.dumps(date, ensure_ascii=False)[:80]}, not a date (YYYY-MM-DD)"
    fields["date"] = day
    return fields, None


def _unique(slug: str, used: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`… when an article anywhere in the archive has it."""
    found, n = slug, 1
    while found in used:
        n += 1
        found = f"{slug}-{n}"
    used.add(found)
    return found


def _checked(
    root: Path,
    raw: RawArchive,
    candidates: list[tuple[int, str, str]],
    settings: Settings,
    report: BulkReport,
) -> list[tuple[int, str, str]]:
    """The candidates `archive check` would pass, checked all at once with the registry; each
    other one is refused with the check's first error."""
    problems: list[Problem] = []
    docs = []
    by_path: dict[str, int] = {}
    for number, rel_path, text in candidates:
        shown = f"{root.as_posix().rstrip('/')}/{rel_path}"
        doc = parse_article(text, Source(shown, 1), rel_path, problems)
        if doc is not None:
            docs.append(doc)
            by_path[shown] = number
    _, found = validate(RawArchive(root, tuple(docs), raw.entities, files=len(docs)), settings=settings)
    failed: dict[int, str] = {}
    for problem in found + problems:
        row = by_path.get(problem.source.path)
        if row is not None and problem.severity == "error" and row not in failed:
            failed[row] = f"{problem.message} [{problem.code}]"
    report.refused += [RowProblem(n, message) for n, message in failed.items()]
    return [c for c in candidates if c[0] not in failed]
