"""Stage 2, check: raw documents against the schema and the archive's rules, to the validated
model (Archive) and every Problem with file and line; `--changed` checks a pull request's files."""
from __future__ import annotations

from .changes import Changes, ChangesError, find_changes
from .run import CheckReport, check_archive, check_changed
from .validate import validate

__all__ = ["Changes", "ChangesError", "CheckReport", "check_archive", "check_changed",
           "find_changes", "validate"]
