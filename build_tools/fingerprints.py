"""What the archive-wide duplicate rules compare (slug, normalised url, body text), read cheaply
from an article file that is not validated, and those rules applied between changed articles
and the rest of the archive, as `archive check --changed` does.
"""
from __future__ import annotations

import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .load import MAX_FILE_BYTES, decode_text, parse_yaml_mapping
from .model import Article
from .problems import Problem, Source, error
from .sanitize import sanitize_html
from .urls import normalize_url
from .validate import SLUG, body_fingerprint

# How many leading words of a body are compared before the whole text is: enough to tell
# almost any two articles apart, cheap to take (str.split stops after them).
_LEAD_WORDS = 12


@dataclass(frozen=True)
class Fingerprint:
    """One article as the duplicate rules see it, and the lines their problems point to."""

    path: str  # as shown to the user
    slug: str
    url: str | None  # as written; the rule compares normalised urls
    body: str  # the sanitised body, as validate keeps it
    url_line: int = 1
    body_line: int = 1

    @property
    def lead(self) -> tuple[str, ...]:
        """The body's first words, as body_fingerprint separates them."""
        return tuple(self.body.split(None, _LEAD_WORDS)[:_LEAD_WORDS])


def fingerprint_of(article: Article) -> Fingerprint:
    return Fingerprint(article.source_file.path, article.slug, article.url, article.body,
                       article.line_of("url"), article.body_line)


def scan_article(path: str, rel: str, shown: str, symlink: bool = False,
                 real_root: Path | None = None) -> Fingerprint | None:
    """The fingerprint of an article file without validating it, or None when the file could
    not be a valid article (unreadable, too large, no front matter, a bad file name, an empty
    body): the full check reports such a file, and no valid article can duplicate it.

    The url comes from a plain `url: …` line when the front matter has one and nothing that
    could make YAML read it otherwise; in any doubt the front matter is parsed as YAML.
    """
    slug = rel.rsplit("/", 1)[-1].removesuffix(".md")
    if not SLUG.match(slug):
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
    except OSError:
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
    return Fingerprint(shown, slug, url, sanitize_html(unicodedata.normalize("NFC", body)))


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
    return text[start + 1:end.start()].split("\n")[:-1], "" if after < 0 else text[after + 1:]


# `url: <one word that is a plain YAML scalar>`, and a top-level line that is a plain key.
_PLAIN_URL_LINE = re.compile(r"url: +([A-Za-z][A-Za-z0-9+.-]*:[^\s'\"]*[^\s'\":])[ \t]*")
_PLAIN_KEY_LINE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:(?:[ \t]+(.*))?")
_CLOSING = {"'": "'", '"': '"', "[": "]", "{": "}"}


def _plain_url(front: list[str]) -> tuple[bool, str | None]:
    """(True, url or None) when a line scan can tell what YAML would read; (False, None) when
    only YAML can (a quoted, bracketed or continued value that could span lines, a key given
    twice, anchors, tags, flow or complex syntax)."""
    url = None
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
            following = front[i + 1] if i + 1 < len(front) else ""
            if url is not None or match is None or following[:1] in (" ", "\t"):
                return False, None
            url = match.group(1)
    return True, url


# --- the duplicate rules between changed and unchanged articles ----------------------------

def duplicate_problems(changed: Sequence[Fingerprint],
                       unchanged: Iterable[Fingerprint]) -> list[Problem]:
    """The duplicate-slug, -url and -body problems of the changed articles.

    As in the full check, of articles that share a value the first by path is the original and
    every later one is reported, naming it. A changed article that comes first is reported too,
    naming the first unchanged one, so that a change cannot hide a duplicate by its file name.
    An unchanged article's url is normalised, and its body hashed, only when a cheap test says
    it could match a changed one's.
    """
    keys = {rule: {key for f in changed if (key := key_of(f))} for rule, key_of, *_ in _RULES}
    url_paths = {_url_path(f.url) for f in changed if f.url}
    leads = {f.lead for f in changed}
    matches: dict[tuple[str, str], list[Fingerprint]] = defaultdict(list)
    for other in unchanged:
        if other.slug in keys["slug"]:
            matches["slug", other.slug].append(other)
        if other.url and _could_be(other.url, url_paths):
            url = normalize_url(other.url)
            if url in keys["url"]:
                matches["url", url].append(other)
        if other.lead in leads:
            body = body_fingerprint(other.body)
            if body in keys["body"]:
                matches["body", body].append(other)

    problems = []
    for rule, key_of, code, line_of, message, hint in _RULES:
        groups: dict[str, list[Fingerprint]] = defaultdict(list)
        for fingerprint in changed:
            if key := key_of(fingerprint):
                groups[key].append(fingerprint)
        for key, group in groups.items():
            rest = sorted(matches.get((rule, key), ()), key=lambda f: f.path)
            everyone = sorted(group + rest, key=lambda f: f.path)
            for fingerprint in group:
                # The first by path, or for the first itself the first unchanged one.
                original = everyone[0] if everyone[0] is not fingerprint else next(iter(rest), None)
                if original is not None:
                    problems.append(error(Source(fingerprint.path, line_of(fingerprint)), code,
                                          message.format(key, original.path), hint))
    return problems


def _url_path(url: str) -> str:
    """The path normalize_url keeps as written (no trailing slash); "" when it cannot tell."""
    try:
        return urlsplit(url.strip()).path.rstrip("/")
    except ValueError:
        return ""


def _could_be(url: str, paths: set[str]) -> bool:
    """False only when normalize_url(url) cannot equal a url with one of these paths: its path
    is a slice of the url (urlsplit drops tabs and line breaks first, so those go the long way)."""
    return any(path in url for path in paths) or any(c in url for c in "\t\r\n")


_Rule = tuple[str, Callable[[Fingerprint], "str | None"], str, Callable[[Fingerprint], int], str, str]
_RULES: tuple[_Rule, ...] = (
    # The same codes, messages and hints as validate's own duplicate rules (validate._duplicates).
    ("slug", lambda f: f.slug, "duplicate-slug", lambda f: 1, "slug '{}' is also used by {}",
     "give one of the files another name"),
    ("url", lambda f: normalize_url(f.url) if f.url else None, "duplicate-url",
     lambda f: f.url_line, "has the same url as {1}", "keep one copy"),
    ("body", lambda f: body_fingerprint(f.body), "duplicate-body", lambda f: f.body_line,
     "has the same text as {1}", "keep one copy"),
)
