"""Stage 2, check: raw documents against the schema and the archive's rules, to the validated
model (Archive) and every Problem with file and line; `--changed` checks a pull request's files."""

from __future__ import annotations

from .changes import Changes, ChangesError, find_changes
from .content import TEMPLATE_BODY, TEMPLATE_VALUES, body_fingerprint
from .fields import load_schema
from .run import CheckReport, check_archive, check_changed
from .validate import MAX_SLUG_LENGTH, SLUG, shorten_slug, validate

__all__ = [
    "MAX_SLUG_LENGTH",
    "SLUG",
    "TEMPLATE_BODY",
    "TEMPLATE_VALUES",
    "Changes",
    "ChangesError",
    "CheckReport",
    "body_fingerprint",
    "check_archive",
    "check_changed",
    "find_changes",
    "load_schema",
    "shorten_slug",
    "validate",
]
