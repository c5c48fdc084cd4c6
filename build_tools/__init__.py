"""Research-archive generator: load -> validate -> link -> render -> publish."""
from __future__ import annotations

from .check import CheckReport, check_archive
from .load import RawArchive, RawDocument, load_archive
from .model import Archive, Article, Entity
from .problems import Problem, Source
from .validate import validate

__all__ = [
    "Archive", "Article", "CheckReport", "Entity", "Problem", "RawArchive", "RawDocument",
    "Source", "check_archive", "load_archive", "validate",
]
