"""Which archive files changed against a git base, as `archive check --changed` needs them:
committed since the merge base, staged, unstaged and untracked, relative to the archive root.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..read.load import display_path

# A pull request's base on a CI runner is a remote branch; on a contributor's machine the local
# `main` is there even when no remote is.
DEFAULT_BASES = ("origin/main", "main")


class ChangesError(Exception):
    """git could not say what changed: no git, not a repository, or an unknown base."""


@dataclass(frozen=True)
class Changes:
    """The archive's files (posix, relative to its root) against the merge base with `base`."""

    base: str
    present: frozenset[str]  # added, modified or untracked, and on disk
    removed: frozenset[str]  # deleted (a renamed file is removed under its old name)
    unchanged: tuple[tuple[str, bool], ...]  # (path, is a symlink), as at the merge base


def find_changes(root: Path, base: str | None = None) -> Changes:
    """What differs between the merge base of `base` and HEAD, and the working tree.

    The same set as `git diff BASE...HEAD` plus uncommitted and untracked files (ignored files
    are left out), restricted to `root`. Without `base`: origin/main if it exists, else main.
    """
    root = Path(root)
    _git(root, "rev-parse", "--show-toplevel")
    if not base:
        base = next((b for b in DEFAULT_BASES if _is_commit(root, b)), None)
        if base is None:
            raise ChangesError("neither origin/main nor main exists; name the base: --changed BASE")
    elif base.startswith("-") or not _is_commit(root, base):
        raise ChangesError(f"unknown git base '{base}'; fetch it or name another: --changed BASE")
    found = _run(root, "merge-base", base, "HEAD")
    if found.returncode != 0:
        raise ChangesError(
            f"'{base}' and HEAD share no history; name the branch this one grew from: --changed BASE"
        )
    merge_base = found.stdout.strip()
    # `git diff <commit>` compares that commit with the working tree: committed, staged and
    # unstaged changes alike. --relative keeps it to `root`, with paths relative to it.
    status = _lines(_git(root, "diff", "--name-status", "--no-renames", "-z", "--relative", merge_base, "--"))
    diffed = dict(zip(status[1::2], status[0::2], strict=True))
    untracked = set(_lines(_git(root, "ls-files", "--others", "--exclude-standard", "-z")))
    present = {path for path, what in diffed.items() if what != "D"} | untracked
    unchanged = []
    for entry in _lines(_git(root, "ls-tree", "-r", "-z", merge_base)):
        meta, path = entry.split("\t", 1)
        if path not in diffed and path not in untracked:
            unchanged.append((path, meta.startswith("120000")))
    return Changes(base, frozenset(present), frozenset(diffed.keys() - present), tuple(unchanged))


def _is_commit(root: Path, rev: str) -> bool:
    done = _run(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    return done.returncode == 0


def _git(root: Path, *args: str) -> str:
    done = _run(root, *args)
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()
        why = message[-1] if message else f"git {args[0]} failed"
        if "not a git repository" in why:
            why = f"{display_path(root)} is not in a git repository; --changed needs one"
        raise ChangesError(why.removeprefix("fatal: "))
    return done.stdout


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
        )
    except FileNotFoundError:
        raise ChangesError("git is not installed; --changed needs it") from None


def _lines(output: str) -> list[str]:
    return [line for line in output.split("\0") if line]
