"""Citing articles: the formatted reference, BibTeX, RIS, CSL-JSON and CSV, for the article
pages (render) and `archive export` alike. Pure functions over the model's Article."""

from __future__ import annotations

from .formats import (
    CSV_FIELDS,
    FORMATS,
    bibtex,
    csl,
    csl_json,
    csv_cell,
    csv_row,
    csv_text,
    export_text,
    ris,
)
from .reference import Cited, clean, meta_tags, reference

__all__ = [
    "CSV_FIELDS",
    "FORMATS",
    "Cited",
    "bibtex",
    "clean",
    "csl",
    "csl_json",
    "csv_cell",
    "csv_row",
    "csv_text",
    "export_text",
    "meta_tags",
    "reference",
    "ris",
]
