"""Rules that span the archive: what two files may not share (an article's slug, URL or text,
an entity's name or alias). Each problem is reported on the later file, or on every file that
claims a shared name."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from ..model import Article, Entity
from ..problems import Problem, Source, error, quote
from ..urls import normalize_url


def duplicate_aliases(entities: list[Entity]) -> list[Problem]:
    """A name or alias of more than one entity, reported on every file that claims it: a pull
    request that adds the clash may change either file, and its reviewers see only those."""
    owners: dict[str, list[Entity]] = defaultdict(list)
    for entity in sorted(entities, key=lambda e: e.source.path):
        for name in entity.names:  # each once per entity
            owners[name].append(entity)
    problems = []
    for name, group in owners.items():
        for entity in group if len(group) > 1 else ():
            # The others name the first; the first names the second (and how many more).
            other = group[1] if entity is group[0] else group[0]
            more = f", and {len(group) - 2:,} more" if entity is group[0] and len(group) > 2 else ""
            line = dict(entity.name_lines).get(name, 1)
            problems.append(
                error(
                    Source(entity.source.path, line),
                    "duplicate-alias",
                    f"{quote(name)} is also a name of '{other.id}' ({other.source.path}{more})",
                    "an alias may belong to one entity only; keep it on the right one",
                )
            )
    return problems


def duplicate_articles(articles: list[Article], fingerprints: dict[str, str]) -> list[Problem]:
    """Articles sharing a slug, a URL or a text (by their bodies' fingerprints, by path)."""
    problems: list[Problem] = []
    rules: list[tuple[str, Callable[[Article], str | None], str, Callable[[Article], int]]] = [
        ("duplicate-slug", lambda a: a.slug, "slug '{}' is also used by {}", lambda a: a.source_file.line),
        (
            "duplicate-url",
            lambda a: normalize_url(a.url) if a.url else None,
            "has the same url as {1}",
            lambda a: a.line_of("url"),
        ),
        (
            "duplicate-body",
            lambda a: fingerprints[a.path],
            "has the same text as {1}",
            lambda a: a.body_line,
        ),
    ]
    for code, key_of, template, line_of in rules:
        groups: dict[str, list[Article]] = defaultdict(list)
        for article in articles:
            key = key_of(article)
            if key:
                groups[key].append(article)
        for key, group in groups.items():
            if len(group) < 2:
                continue
            group.sort(key=lambda a: a.source_file.path)
            first = group[0]
            for article in group[1:]:
                problems.append(
                    error(
                        Source(article.source_file.path, line_of(article)),
                        code,
                        template.format(key, first.source_file.path),
                        "keep one copy" if code != "duplicate-slug" else "give one of the files another name",
                    )
                )
    return problems
