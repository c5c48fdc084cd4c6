"""The archive's domain objects: frozen dataclasses with real types. Raw YAML never gets here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .problems import Source


@dataclass(frozen=True)
class Entity:
    id: str
    type: str  # one of the archive's entity kinds (settings.entity_kinds)
    name: str
    aliases: tuple[str, ...]
    description: str
    source: Source
    wikidata: str | None = None
    coordinates: tuple[float, float] | None = None
    period: tuple[dt.date, dt.date] | None = None  # an event's first and last day (start, end)
    name_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling that counts as a mention: the name first, then the aliases."""
        seen: dict[str, None] = {self.name: None}
        for alias in self.aliases:
            seen.setdefault(alias, None)
        return tuple(seen)


@dataclass(frozen=True)
class Article:
    slug: str
    path: str  # relative to the archive root, posix: articles/2022/03/<slug>.md
    source_file: Source  # the file as shown to the user, line 1
    title: str
    date: dt.date  # publication day
    published: dt.datetime | None  # the full timestamp when the front matter gives one
    source: str  # publisher
    body: str
    body_line: int  # line of the file on which the body starts
    url: str | None = None
    authors: tuple[str, ...] = ()
    language: str = "en"
    summary: str | None = None
    tags: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    not_entities: tuple[str, ...] = ()
    retrieved: dt.date | None = None
    archive_url: str | None = None
    rights: str | None = None
    credits: tuple[str, ...] = ()
    dateline: str | None = None  # "MINSK, 21 July (BelTA)": where and when the copy was filed
    paragraphs: str | None = None  # "reconstructed": the breaks are the archive's, not the copy's
    # Terms of the archive's own groupings (settings.groupings beyond source and tags), by key.
    terms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    field_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)
    # The digest of the file it was read from (RawDocument.digest), "" when made otherwise.
    read_from: str = field(default="", compare=False, repr=False)

    def terms_of(self, key: str) -> tuple[str, ...]:
        """The article's terms of a grouping: its source, its tags, or those of another key."""
        if key == "source":
            return (self.source,)
        if key == "tags":
            return self.tags
        return dict(self.terms).get(key, ())

    def line_of(self, key: str) -> int:
        return dict(self.field_lines).get(key, self.source_file.line)


@dataclass(frozen=True)
class Archive:
    """A validated archive: articles sorted by (date, slug), entities sorted by id."""

    articles: tuple[Article, ...]
    entities: tuple[Entity, ...]

    def entity_index(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}
