"""Stage 1, read: the archive's files as raw documents with line numbers, and the limits that keep
hostile input cheap (file size, YAML aliases, Markdown that would crash or stall the converter)."""

from __future__ import annotations

from .limits import markdown_problems
from .load import MAX_FILE_BYTES, RawArchive, RawDocument, decode_text, display_path, load_archive
from .yaml_lines import parse_yaml_mapping

__all__ = [
    "MAX_FILE_BYTES",
    "RawArchive",
    "RawDocument",
    "decode_text",
    "display_path",
    "load_archive",
    "markdown_problems",
    "parse_yaml_mapping",
]
