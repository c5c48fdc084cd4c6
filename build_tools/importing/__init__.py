"""Importing: a saved copy (HTML or plain text) or a data set into article files, furniture
stripped, names found, each file written atomically."""
from __future__ import annotations

from . import importer

__all__ = ["importer"]
