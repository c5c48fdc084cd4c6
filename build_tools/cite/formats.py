"""Citations in the formats reference managers import: BibTeX, RIS, CSL-JSON, and CSV for
spreadsheets. Every text is archive content, so every format escapes it: no title can close a
BibTeX field, start a RIS tag or a spreadsheet formula, or leave its JSON string."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from .reference import Cited, clean

# --- BibTeX --------------------------------------------------------------------------------

# LaTeX's special characters as commands. Braces become \textbraceleft{} and
# \textbraceright{}, not \{ and \}: BibTeX counts every brace, escaped or not, to find where a
# field ends, so a lone '{' in a title would swallow the fields after it.
_BIBTEX = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "^": r"\textasciicircum{}",
        "~": r"\textasciitilde{}",
    }
)
# What a URL keeps as it is; anything else (braces, backslashes, spaces, quotes, non-ASCII) is
# percent-encoded, which leaves the address the same.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"
_AND = re.compile(r"\band\b", re.IGNORECASE)


def bibtex_text(text: str) -> str:
    return clean(text).translate(_BIBTEX)


def url_text(url: str) -> str:
    return quote(clean(url), safe=_URL_SAFE)


def _bibtex_name(name: str) -> str:
    """One author; a name holding 'and' or a comma is braced, so it stays one name in its
    order ('{Marks and Spencer}'), not two names or 'Last, First'."""
    text = bibtex_text(name)
    return "{" + text + "}" if _AND.search(text) or "," in text else text


def bibtex(cited: Cited) -> str:
    """One @misc entry (the type every BibTeX style knows); biblatex reads `date` and
    `urldate`, classic styles `year`, `month` and `howpublished`."""
    a = cited.article
    fields: list[tuple[str, str]] = []
    if a.authors:
        fields.append(("author", " and ".join(_bibtex_name(n) for n in a.authors)))
    fields.append(("title", "{" + bibtex_text(a.title) + "}"))  # its case kept as published
    fields.append(("howpublished", bibtex_text(a.source)))
    fields.append(("publisher", bibtex_text(a.source)))
    fields.append(("date", a.date.isoformat()))
    fields.append(("year", str(a.date.year)))
    fields.append(("month", str(a.date.month)))
    if a.url:
        fields.append(("url", url_text(a.url)))
    if a.retrieved:
        fields.append(("urldate", a.retrieved.isoformat()))
    fields.append(("language", bibtex_text(a.language)))
    if a.summary:
        fields.append(("abstract", bibtex_text(a.summary)))
    notes = []
    if a.archive_url:
        notes.append(r"Archived copy: \url{" + url_text(a.archive_url) + "}")
    where = r"\url{" + url_text(cited.permalink) + "}" if cited.permalink else bibtex_text(cited.page)
    notes.append(f"In {bibtex_text(cited.archive) or 'the archive'}: {where}")
    fields.append(("note", ". ".join(notes)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{cited.key},\n{body}\n}}\n"


# --- RIS -----------------------------------------------------------------------------------


def ris(cited: Cited) -> str:
    """One RIS record (TY NEWS … ER). A tag's value is one line of cleaned text, so nothing in
    it can begin another tag or end the record."""
    a = cited.article
    lines: list[tuple[str, str]] = [("TY", "NEWS"), ("ID", cited.key), ("TI", a.title)]
    lines += [("AU", name) for name in a.authors]
    lines += [
        ("PY", str(a.date.year)),
        ("DA", a.date.strftime("%Y/%m/%d")),
        ("T2", a.source),
        ("PB", a.source),
    ]
    if a.url:
        lines.append(("UR", a.url))
    if a.retrieved:
        lines.append(("Y2", a.retrieved.strftime("%Y/%m/%d")))
    lines.append(("LA", a.language))
    if a.summary:
        lines.append(("AB", a.summary))
    if a.archive_url:
        lines.append(("N1", f"Archived copy: {a.archive_url}"))
    lines.append(("N1", f"In {cited.archive or 'the archive'}: {cited.archived_at}"))
    if cited.archive:
        lines.append(("DB", cited.archive))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {clean(value)}".rstrip() + "\n" for tag, value in lines)


# --- CSL-JSON ------------------------------------------------------------------------------


def csl(cited: Cited) -> dict[str, Any]:
    """One CSL-JSON item: a newspaper article, its publisher as container and publisher."""
    a = cited.article
    item: dict[str, Any] = {"id": cited.key, "type": "article-newspaper", "title": clean(a.title)}
    if a.authors:
        item["author"] = [{"literal": clean(name)} for name in a.authors]
    item["container-title"] = clean(a.source)
    item["publisher"] = clean(a.source)
    item["issued"] = {"date-parts": [[a.date.year, a.date.month, a.date.day]]}
    if a.url:
        item["URL"] = clean(a.url)
    if a.retrieved:
        item["accessed"] = {"date-parts": [[a.retrieved.year, a.retrieved.month, a.retrieved.day]]}
    item["language"] = clean(a.language)
    if a.summary:
        item["abstract"] = clean(a.summary)
    if cited.archive:
        item["archive"] = clean(cited.archive)
    item["archive_location"] = cited.archived_at
    if a.archive_url:
        item["note"] = f"Archived copy: {clean(a.archive_url)}"
    return item


def csl_json(items: Iterable[Cited]) -> str:
    """A CSL-JSON document: the list of items."""
    return json.dumps([csl(c) for c in items], ensure_ascii=False, indent=2) + "\n"


# --- CSV -----------------------------------------------------------------------------------

CSV_FIELDS = (
    "key",
    "date",
    "published",
    "title",
    "authors",
    "source",
    "url",
    "archive_url",
    "retrieved",
    "language",
    "summary",
    "page",
    "permalink",
    "tags",
)
# A cell a spreadsheet would run as a formula (OWASP's list) starts with an apostrophe.
_FORMULA = ("=", "+", "-", "@")


def csv_cell(value: str) -> str:
    """A CSV cell's text on one line, never read as a formula by a spreadsheet."""
    text = clean(value)
    return "'" + text if text.startswith(_FORMULA) else text


def csv_row(cited: Cited) -> list[str]:
    a = cited.article
    values = (
        cited.key,
        a.date.isoformat(),
        a.published.isoformat() if a.published else "",
        a.title,
        "; ".join(a.authors),
        a.source,
        a.url or "",
        a.archive_url or "",
        a.retrieved.isoformat() if a.retrieved else "",
        a.language,
        a.summary or "",
        cited.page,
        cited.permalink or "",
        "; ".join(a.tags),
    )
    return [csv_cell(value) for value in values]


def csv_text(items: Iterable[Cited]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    writer.writerows(csv_row(c) for c in items)
    return out.getvalue()


# --- all formats ---------------------------------------------------------------------------

FORMATS: dict[str, Callable[[list[Cited]], str]] = {
    "bibtex": lambda items: "\n".join(bibtex(c) for c in items),
    "ris": lambda items: "\n".join(ris(c) for c in items),
    "csl-json": csl_json,
    "csv": csv_text,
}


def export_text(format_name: str, items: Iterable[Cited]) -> str:
    """Every item in one document of the format ('bibtex', 'ris', 'csl-json', 'csv')."""
    return FORMATS[format_name](list(items))
