"""`archive check`: load and validate an archive, keep the problems in the files asked about;
with --changed, validate only the files changed against a git base."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..memo import Memo
from ..model import Archive
from ..problems import Problem, Source, error, sort_problems
from ..read.load import (
    ARTICLE_SUFFIXES,
    ENTITY_SUFFIXES,
    RawArchive,
    RawDocument,
    display_path,
    find_files,
    is_inside,
    link_problem,
    load_archive,
    parse_article,
    parse_entity,
    read_text,
)
from ..settings import DEFAULT, Settings
from .changes import Changes
from .fingerprints import Wanted, duplicate_problems, find_matches, fingerprint_of
from .validate import validate


@dataclass(frozen=True)
class CheckReport:
    archive: Archive
    problems: tuple[Problem, ...]  # sorted by file and line
    files: int

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)


def check_archive(
    root: Path,
    paths: Sequence[Path] = (),
    today: dt.date | None = None,
    memo: Memo | None = None,
    settings: Settings = DEFAULT,
) -> CheckReport:
    """Validate the whole archive; with `paths`, report only problems in those files or folders.

    Archive-wide rules still see every file, so a new article that duplicates an old one is caught.
    """
    raw, problems = load_archive(root, memo)
    archive, more = validate(raw, today=today, settings=settings, memo=memo)
    found = sort_problems(problems + more)
    files = raw.files
    if paths:
        wanted = [display_path(Path(p).absolute()) for p in paths]
        found = [p for p in found if any(_within(p.source.path, w) for w in wanted)]
        files = sum(1 for d in raw.articles + raw.entities if any(_within(d.source.path, w) for w in wanted))
    return CheckReport(archive, tuple(found), files)


def _within(path: str, wanted: str) -> bool:
    return path == wanted or wanted in (".", "") or path.startswith(wanted.rstrip("/") + "/")


# --- archive check --changed -----------------------------------------------------------

_DUPLICATE_CODES = frozenset({"duplicate-slug", "duplicate-url", "duplicate-body"})
# What a change to the registry can break anywhere in the archive.
_REGISTRY_CODES = frozenset({"duplicate-alias", "unknown-entity"})


def check_changed(
    root: Path, changes: Changes, today: dt.date | None = None, settings: Settings = DEFAULT
) -> CheckReport:
    """Check the changed articles fully, and the archive-wide rules between them and the rest.

    Unchanged articles are not validated: the duplicate rules read their slug, url and body
    with a cheap scan (an unchanged article that is itself broken still counts). When an entity
    file changed, any article's ids may have broken, so the whole archive is validated and the
    problems kept are those in changed files plus every alias clash and unknown entity id.
    """
    root = Path(root)
    shown_root = display_path(root.absolute())
    prefix = "" if shown_root == "." else shown_root.rstrip("/") + "/"
    articles = sorted(p for p in changes.present if _is_file_of(p, "articles", ARTICLE_SUFFIXES))
    entities = [p for p in changes.present | changes.removed if _is_file_of(p, "entities", ENTITY_SUFFIXES)]
    changed_shown = {prefix + p for p in articles + entities}

    if entities:
        raw, problems = load_archive(root)
        archive, more = validate(raw, today=today, settings=settings)
        kept = [
            p
            for p in problems + more
            if p.code not in _DUPLICATE_CODES
            and (p.source.path in changed_shown or p.code in _REGISTRY_CODES)
        ]
        changed = [fingerprint_of(a) for a in archive.articles if a.source_file.path in changed_shown]
        wanted = Wanted.of(changed)
        matches = [
            m
            for a in archive.articles
            if a.source_file.path not in changed_shown
            for m in wanted.matches(fingerprint_of(a))
        ]
        files = raw.files
    else:
        found: list[Problem] = []
        raw = RawArchive(
            root,
            tuple(load_documents(root, articles, "articles", found)),
            tuple(load_documents(root, _entity_files(root), "entities", found)),
            files=len(articles),
        )
        archive, more = validate(raw, today=today, settings=settings)
        kept = [p for p in found + more if p.source.path in changed_shown and p.code not in _DUPLICATE_CODES]
        changed = [fingerprint_of(a) for a in archive.articles]
        folder = str(root)
        scan = [
            (os.path.join(folder, rel), rel, prefix + rel, link)
            for rel, link in changes.unchanged
            if _is_file_of(rel, "articles", ARTICLE_SUFFIXES)
        ]
        matches = find_matches(changed, scan, root.resolve())
        files = len(articles)
    kept += duplicate_problems(changed, matches)
    return CheckReport(archive, tuple(sort_problems(kept)), files)


def _is_file_of(rel: str, folder: str, suffixes: tuple[str, ...]) -> bool:
    """Whether load_archive reads this file as one of `folder`'s (hidden files are skipped)."""
    return (
        rel.startswith(folder + "/") and rel.endswith(suffixes) and not rel.rsplit("/", 1)[-1].startswith(".")
    )


def _entity_files(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in find_files(root, "entities", ENTITY_SUFFIXES)]


def load_documents(
    root: Path, rels: Sequence[str], folder: str, problems: list[Problem]
) -> list[RawDocument]:
    """Read the given files of `folder` as load_archive reads every file, with the same problems."""
    # read.load reads only whole folders; its parsers are reused so that nothing here can differ.
    parse = parse_article if folder == "articles" else parse_entity
    real_root = root.resolve()
    shown_root = display_path(root.absolute())
    prefix = "" if shown_root == "." else shown_root.rstrip("/") + "/"
    docs = []
    for rel in rels:
        path, shown = root / rel, prefix + rel
        if path.is_symlink():
            refused = link_problem(path, shown, real_root)
            if refused is not None:
                problems.append(refused)
                continue
        elif not is_inside(Path(os.path.realpath(path)), real_root):
            # Reached through a linked folder, which a full check does not follow either.
            problems.append(
                error(
                    Source(shown, 1),
                    "outside-archive",
                    "is in a linked folder outside the archive; refusing to read it",
                    "replace the link with the folder itself",
                )
            )
            continue
        text = read_text(path, shown, problems)
        doc = parse(text, Source(shown, 1), rel, problems) if text is not None else None
        if doc is not None:
            docs.append(doc)
    return docs
