"""`archive check`: load and validate an archive, keep the problems in the files asked about."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .load import display_path, load_archive
from .memo import Memo
from .model import Archive
from .problems import Problem, sort_problems
from .validate import validate


@dataclass(frozen=True)
class CheckReport:
    archive: Archive
    problems: tuple[Problem, ...]  # sorted by file and line
    files: int

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)


def check_archive(root: Path, paths: Sequence[Path] = (), today: dt.date | None = None,
                  memo: Memo | None = None) -> CheckReport:
    """Validate the whole archive; with `paths`, report only problems in those files or folders.

    Archive-wide rules still see every file, so a new article that duplicates an old one is caught.
    """
    raw, problems = load_archive(root, memo)
    archive, more = validate(raw, today=today)
    found = sort_problems(problems + more)
    files = raw.files
    if paths:
        wanted = [display_path(Path(p).absolute()) for p in paths]
        found = [p for p in found if any(_within(p.source.path, w) for w in wanted)]
        files = sum(1 for d in raw.articles + raw.entities
                    if any(_within(d.source.path, w) for w in wanted))
    return CheckReport(archive, tuple(found), files)


def _within(path: str, wanted: str) -> bool:
    return path == wanted or wanted in (".", "") or path.startswith(wanted.rstrip("/") + "/")
