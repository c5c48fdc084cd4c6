"""What the archive-wide duplicate rules compare (slug, normalised url, body text), read cheaply
from an article file that is not validated, and those rules applied between changed articles
and the rest of the archive, as `archive check --changed` does.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from ..model import Article
from ..problems import Problem, Source, error
from ..read import MAX_FILE_BYTES, decode_text, parse_yaml_mapping
from ..urls import normalize_url
from .content import body_fingerprint
from .validate import MAX_SLUG_LENGTH, SLUG

# How many leading words of a body are compared before the whole text is: enough to tell
# almost any two articles apart, cheap to take (str.split stops after them).
_LEAD_WORDS = 12


@dataclass(frozen=True)
class Fingerprint:
    """One article as the duplicate rules see it, and the lines their problems point to."""

    path: str  # as shown to the user
    slug: str
    url: str | None  # as written; the rule compares normalised urls
    body: str  # the body in NFC, as validate keeps it
    url_line: int = 1
    body_line: int = 1

    @property
    def lead(self) -> tuple[str, ...]:
        """The body's first words, as body_fingerprint separates them."""
        return tuple(self.body.split(None, _LEAD_WORDS)[:_LEAD_WORDS])


def fingerprint_of(article: Article) -> Fingerprint:
    return Fingerprint(
        article.source_file.path,
        article.slug,
        article.url,
        article.body,
        article.line_of("url"),
        article.body_line,
    )


def scan_article(
    path: str, rel: str, shown: str, symlink: bool = False, real_root: Path | None = None
) -> Fingerprint | None:
    """The fingerprint of an article file without validating it, or None when the file could
    not be a valid article (unreadable, too large, no front matter, a bad file name, an empty
    body): the full check reports such a file, and no valid article can duplicate it.

    The url comes from a plain `url: …` line when the front matter has one and nothing that
    could make YAML read it otherwise; in any doubt the front matter is parsed as YAML.
    """
    slug = rel.rsplit("/", 1)[-1].removesuffix(".md")
    if not SLUG.match(slug) or len(slug) > MAX_SLUG_LENGTH:
        return None
    try:
        if symlink and real_root is not None:
            target = Path(path).resolve()
            if target != real_root and real_root not in target.parents:
                return None
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
                return None
            data = handle.read()
    except (OSError, RuntimeError):  # RuntimeError: resolve() on a loop of links
        return None
    text = decode_text(data, shown, [])
    if text is None:
        return None
    split = _split_front_matter(text)
    if split is None:
        return None
    front, body = split
    found, url = _plain_url(front)
    if not found:
        parsed = parse_yaml_mapping("\n".join(front), Source(shown), first_line=2, problems=[])
        if parsed is None:
            return None
        value = parsed[0].get("url")
        url = value if isinstance(value, str) else None
    if not body.strip():
        return None
    return Fingerprint(shown, slug, url, unicodedata.normalize("NFC", body))


# A line that closes the front matter: load takes `line.rstrip() in ("---", "...")`, and
# \s is str.isspace() as rstrip's whitespace is.
_CLOSING_LINE = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)


def _split_front_matter(text: str) -> tuple[list[str], str] | None:
    """(front matter lines, body) as load splits an article, or None without front matter."""
    start = text.find("\n")
    if start < 0 or text[:start].rstrip() != "---":
        return None
    end = _CLOSING_LINE.search(text, start + 1)
    if end is None:
        return None
    after = text.find("\n", end.end())
    return text[start + 1 : end.start()].split("\n")[:-1], "" if after < 0 else text[after + 1 :]


# `url: <one word that is a plain YAML scalar>`, and a top-level line that is a plain key.
_PLAIN_URL_LINE = re.compile(r"url: +([A-Za-z][A-Za-z0-9+.-]*:[^\s'\"]*[^\s'\":])[ \t]*")
_PLAIN_KEY_LINE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:(?:[ \t]+(.*))?")
_CLOSING = {"'": "'", '"': '"', "[": "]", "{": "}"}


def _plain_url(front: list[str]) -> tuple[bool, str | None]:
    """(True, url or None) when a line scan can tell what YAML would read; (False, None) when
    only YAML can (a quoted, bracketed or continued value that could span lines, a key given
    twice, anchors, tags, flow or complex syntax)."""
    url = None
    first = next((line for line in front if line.strip() and not line.startswith("#")), "")
    if first[:1] in (" ", "\t"):
        return False, None  # the whole mapping is indented
    for i, line in enumerate(front):
        if not line or line[0] in " \t#" or line == "-" or line.startswith("- "):
            continue  # indented, a comment, or an item of the list above
        key = _PLAIN_KEY_LINE.fullmatch(line)
        if key is None:
            return False, None
        value = (key.group(1) or "").rstrip()
        if value[:1] in _CLOSING and (len(value) < 2 or value[-1] != _CLOSING[value[0]]):
            return False, None
        if line.startswith("url:"):
            match = _PLAIN_URL_LINE.fullmatch(line)
            following = next((later for later in front[i + 1 :] if later), "")
            if url is not None or match is None or following[:1] in (" ", "\t"):
                return False, None
            url = match.group(1)
    return True, url


# --- the duplicate rules between changed and unchanged articles ----------------------------

# (file to open, path relative to the archive root, path as shown, whether it is a symlink)
ScanJob = tuple[str, str, str, bool]
Match = tuple[str, str, str]  # (rule, value, path as shown) of an unchanged article
PARALLEL_FROM = 2_000  # files; below this, starting processes costs more than it saves


@dataclass(frozen=True)
class Wanted:
    """What the changed articles' duplicate rules look for among the unchanged ones."""

    values: dict[str, frozenset[str]]  # rule -> the changed articles' values
    url_paths: frozenset[str]
    leads: frozenset[tuple[str, ...]]

    @classmethod
    def of(cls, changed: Iterable[Fingerprint]) -> Wanted:
        changed = list(changed)
        return cls(
            {rule: frozenset(v for f in changed if (v := value_of(f))) for rule, value_of, *_ in _RULES},
            frozenset(_url_path(f.url) for f in changed if f.url),
            frozenset(f.lead for f in changed),
        )

    def matches(self, other: Fingerprint) -> list[Match]:
        """The rules `other` shares a value with a changed article by. Its url is normalised,
        and its body hashed, only when a cheap test says they could match."""
        found = []
        if other.slug in self.values["slug"]:
            found.append(("slug", other.slug, other.path))
        if other.url and _could_be(other.url, self.url_paths):
            url = normalize_url(other.url)
            if url in self.values["url"]:
                found.append(("url", url, other.path))
        if other.lead in self.leads:
            body = body_fingerprint(other.body)
            if body in self.values["body"]:
                found.append(("body", body, other.path))
        return found


def find_matches(
    changed: Sequence[Fingerprint], files: Sequence[ScanJob], real_root: Path, workers: int | None = None
) -> list[Match]:
    """Scan the unchanged article files for the values the changed articles have, in up to
    `workers` processes (reading and sanitising 100,000 bodies is most of the work)."""
    if not changed:
        return []
    wanted = Wanted.of(changed)
    workers = workers or min(4, os.cpu_count() or 1)
    if workers < 2 or len(files) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return _scan(wanted, real_root, files)
    size = -(-len(files) // (workers * 8))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return [m for part in pool.map(partial(_scan, wanted, real_root), chunks) for m in part]


def _scan(wanted: Wanted, real_root: Path, files: Sequence[ScanJob]) -> list[Match]:
    return [
        match
        for file, rel, shown, link in files
        if (other := scan_article(file, rel, shown, link, real_root))
        for match in wanted.matches(other)
    ]


def duplicate_problems(changed: Sequence[Fingerprint], matches: Iterable[Match]) -> list[Problem]:
    """The duplicate-slug, -url and -body problems of the changed articles.

    As in the full check, of articles that share a value the first by path is the original and
    every later one is reported, naming it. A changed article that comes first is reported too,
    naming the first unchanged one, so that a change cannot hide a duplicate by its file name.
    """
    others: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rule, value, path in matches:
        others[rule, value].append(path)
    problems = []
    for rule, value_of, code, line_of, message, hint in _RULES:
        groups: dict[str, list[Fingerprint]] = defaultdict(list)
        for fingerprint in changed:
            if own := value_of(fingerprint):
                groups[own].append(fingerprint)
        for value, group in groups.items():
            rest = sorted(others.get((rule, value), ()))
            everyone = sorted([f.path for f in group] + rest)
            for fingerprint in group:
                # The first by path, or for the first itself the first unchanged one.
                original: str | None = (
                    everyone[0] if everyone[0] != fingerprint.path else next(iter(rest), None)
                )
                if original is not None:
                    problems.append(
                        error(
                            Source(fingerprint.path, line_of(fingerprint)),
                            code,
                            message.format(value, original),
                            hint,
                        )
                    )
    return problems


def _url_path(url: str) -> str:
    """The path normalize_url keeps as written (no trailing slash); "" when it cannot tell."""
    try:
        return urlsplit(url.strip()).path.rstrip("/")
    except ValueError:
        return ""


def _could_be(url: str, paths: AbstractSet[str]) -> bool:
    """False only when normalize_url(url) cannot equal a url with one of these paths: its path
    is a slice of the url (urlsplit drops tabs and line breaks first, so those go the long way)."""
    return any(path in url for path in paths) or any(c in url for c in "\t\r\n")


_Rule = tuple[str, Callable[[Fingerprint], "str | None"], str, Callable[[Fingerprint], int], str, str]
_RULES: tuple[_Rule, ...] = (
    # The same codes, messages and hints as validate's own duplicate rules (duplicates.duplicate_articles).
    (
        "slug",
        lambda f: f.slug,
        "duplicate-slug",
        lambda f: 1,
        "slug '{}' is also used by {}",
        "give one of the files another name",
    ),
    (
        "url",
        lambda f: normalize_url(f.url) if f.url else None,
        "duplicate-url",
        lambda f: f.url_line,
        "has the same url as {1}",
        "keep one copy",
    ),
    (
        "body",
        lambda f: body_fingerprint(f.body),
        "duplicate-body",
        lambda f: f.body_line,
        "has the same text as {1}",
        "keep one copy",
    ),
)
