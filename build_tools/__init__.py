"""Research-archive generator: read -> check -> link -> render -> publish (docs/architecture.md)."""

from __future__ import annotations

from .check.run import CheckReport, check_archive
from .check.validate import validate
from .model import Archive, Article, Entity
from .problems import Problem, Source
from .read.load import RawArchive, RawDocument, load_archive

__all__ = [
    "Archive",
    "Article",
    "CheckReport",
    "Entity",
    "Problem",
    "RawArchive",
    "RawDocument",
    "Source",
    "check_archive",
    "load_archive",
    "validate",
]
