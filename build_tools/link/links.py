"""Linking across the whole archive: entity mentions, related articles and neighbours in time.

Everything here is computed before any page is rendered, so every page sees the same facts.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import math
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..memo import Memo
from ..memo import key as memo_key
from ..model import Archive, Article
from .dates import DateRef, find_dates
from .mentions import EntityMatcher, Mention
from .quotes import Quote, find_quotes

RELATED_COUNT = 5
# For an entity named in many articles, only its articles nearest in time are candidates:
# sharing "Russia" with an article from four years away says little, and it keeps linking linear.
RELATED_WINDOW = 24


@dataclass(frozen=True)
class ArticleLinks:
    article: Article
    mentions: tuple[Mention, ...]  # title mentions first, then body, each by position
    entity_ids: tuple[str, ...]  # every entity of the article: named ones by first mention, then added
    date_refs: tuple[DateRef, ...] = ()  # dates named in the body, resolved, by position
    quotes: tuple[Quote, ...] = ()  # quotations in the body, by position, speaker when certain
    related: tuple[int, ...] = ()  # indices into LinkedArchive.links, best first
    previous: int | None = None
    next: int | None = None


@dataclass(frozen=True)
class LinkedArchive:
    archive: Archive
    links: tuple[ArticleLinks, ...]  # aligned with archive.articles (sorted by time)
    by_entity: Mapping[str, tuple[int, ...]]  # entity id -> article indices in time order
    # period -> indices of articles whose text names it: days by date, weeks and months by
    # (year, month) of their first day, years by year
    mentioned_days: Mapping[dt.date, tuple[int, ...]]
    mentioned_months: Mapping[tuple[int, int], tuple[int, ...]]
    mentioned_years: Mapping[int, tuple[int, ...]]
    # person id -> (article index, quotation) for each quotation attributed to them
    by_speaker: Mapping[str, tuple[tuple[int, Quote], ...]] = field(default_factory=dict)

    def index_of(self, slug: str) -> int:
        return next(i for i, link in enumerate(self.links) if link.article.slug == slug)


def find_article_mentions(matcher: EntityMatcher, article: Article) -> tuple[Mention, ...]:
    excluded = set(article.not_entities)
    found = matcher.find_in_article(article.title, article.body)
    return tuple(m for m in found if m.entity_id not in excluded)


Found = tuple[tuple[Mention, ...], tuple[DateRef, ...], tuple[Quote, ...]]
PARALLEL_FROM = 1000  # articles to read; below this a second process costs more than it saves
_SHARED: dict[str, Any] = {}


def read_article(matcher: EntityMatcher, people: frozenset[str], article: Article) -> Found:
    """What one article's text says: its mentions, the dates it names, its quotations."""
    mentions = find_article_mentions(matcher, article)
    return (
        mentions,
        tuple(find_dates(article.body, article.date)),
        find_quotes(article.body, mentions, people),
    )


def _read_span(span: tuple[int, int]) -> list[Found]:
    matcher, people, articles = _SHARED["matcher"], _SHARED["people"], _SHARED["articles"]
    return [read_article(matcher, people, article) for article in articles[span[0] : span[1]]]


def read_articles(
    matcher: EntityMatcher, people: frozenset[str], articles: list[Article], workers: int | None = None
) -> list[Found]:
    """read_article for each article, in order; in two forked processes on a large archive,
    each reading runs of articles (the workers inherit the matcher instead of a pickled copy)."""
    workers = workers or min(2, os.cpu_count() or 1)
    if workers < 2 or len(articles) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return [read_article(matcher, people, article) for article in articles]
    step = 200
    spans = [(start, min(start + step, len(articles))) for start in range(0, len(articles), step)]
    _SHARED.update(matcher=matcher, people=people, articles=articles)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [found for part in pool.imap(_read_span, spans) for found in part]
    finally:
        _SHARED.clear()


def link(archive: Archive, matcher: EntityMatcher | None = None, memo: Memo | None = None) -> LinkedArchive:
    """Link the whole archive. With a memo, an article whose text (and the registry) is as in
    an earlier build reuses that build's mentions and dates."""
    matcher = matcher or EntityMatcher(archive.entities)
    known = {e.id for e in archive.entities}
    people = frozenset(e.id for e in archive.entities if e.type == "person")
    registry = memo_key(*(e.id + "\0" + "\0".join(e.names) for e in archive.entities)) if memo else ""
    # An article read from a file is keyed by the file's digest (its title, text, day and
    # not_entities follow from it), cheaper than hashing its text again.
    keys = [
        (
            memo_key(registry, article.read_from)
            if article.read_from
            else memo_key(
                registry, article.title, article.body, article.date.isoformat(), *article.not_entities
            )
        )
        if memo
        else ""
        for article in archive.articles
    ]
    found: list[Found | None] = [memo.get("linked", key) if memo else None for key in keys]
    todo = [i for i, cached in enumerate(found) if cached is None]
    for i, read in zip(
        todo, read_articles(matcher, people, [archive.articles[i] for i in todo]), strict=True
    ):
        found[i] = read
        if memo:
            memo.put("linked", keys[i], read)
    partial = []
    for article, cached in zip(archive.articles, found, strict=True):
        assert cached is not None
        mentions, dates, quotes = cached
        ids = dict.fromkeys(m.entity_id for m in mentions)
        ids.update(dict.fromkeys(i for i in article.entities if i in known))
        partial.append(ArticleLinks(article, mentions, tuple(ids), dates, quotes=quotes))
    by_entity: dict[str, list[int]] = defaultdict(list)
    for index, links in enumerate(partial):
        for entity_id in links.entity_ids:
            by_entity[entity_id].append(index)
    postings = {k: tuple(v) for k, v in by_entity.items()}
    # Related articles follow from each article's day and entities alone: an edit that changes
    # neither (most do not) finds them in the memo rather than ranking 10,000 articles again.
    related_key = (
        memo_key("related", *(f"{p.article.date.toordinal()}\0" + "\0".join(p.entity_ids) for p in partial))
        if memo
        else ""
    )
    related = memo.get("linked", related_key) if memo else None
    if related is None:
        related = related_articles(partial, postings)
        if memo:
            memo.put("linked", related_key, related)
    last = len(partial) - 1
    done = tuple(
        ArticleLinks(
            p.article,
            p.mentions,
            p.entity_ids,
            p.date_refs,
            p.quotes,
            related[i],
            i - 1 if i > 0 else None,
            i + 1 if i < last else None,
        )
        for i, p in enumerate(partial)
    )
    days, months, years = mentioned_periods(partial)
    said: dict[str, list[tuple[int, Quote]]] = defaultdict(list)
    for index, links in enumerate(partial):
        for quote in links.quotes:
            if quote.speaker:
                said[quote.speaker].append((index, quote))
    speakers = MappingProxyType({k: tuple(v) for k, v in sorted(said.items())})
    return LinkedArchive(archive, done, MappingProxyType(postings), days, months, years, speakers)


def mentioned_periods(
    links: list[ArticleLinks],
) -> tuple[
    Mapping[dt.date, tuple[int, ...]],
    Mapping[tuple[int, int], tuple[int, ...]],
    Mapping[int, tuple[int, ...]],
]:
    """Which articles name which day, month (or week) and year; each article once per period."""
    days: dict[dt.date, dict[int, None]] = defaultdict(dict)
    months: dict[tuple[int, int], dict[int, None]] = defaultdict(dict)
    years: dict[int, dict[int, None]] = defaultdict(dict)
    for index, link_ in enumerate(links):
        for ref in link_.date_refs:
            if ref.granularity == "day":
                days[ref.value][index] = None
            elif ref.granularity in ("week", "month"):
                months[(ref.value.year, ref.value.month)][index] = None
            else:
                years[ref.value.year][index] = None

    def frozen(groups: dict[Any, dict[int, None]]) -> Mapping[Any, tuple[int, ...]]:
        return MappingProxyType({k: tuple(v) for k, v in sorted(groups.items())})

    return frozen(days), frozen(months), frozen(years)


def related_articles(
    links: list[ArticleLinks], postings: Mapping[str, tuple[int, ...]], count: int = RELATED_COUNT
) -> list[tuple[int, ...]]:
    """Rank other articles by shared entities, each weighted by its rarity (inverse document
    frequency), then by closeness in time."""
    total = len(links)
    weight = {e: math.log((1 + total) / len(ids)) for e, ids in postings.items()}
    ordinal = [link.article.date.toordinal() for link in links]
    result = []
    for index, link in enumerate(links):
        scores: defaultdict[int, float] = defaultdict(float)
        for entity_id in link.entity_ids:
            ids = postings[entity_id]
            w = weight[entity_id]
            if w <= 0:
                continue
            if len(ids) > RELATED_WINDOW:
                at = bisect.bisect_left(ids, index)
                lo = max(0, at - RELATED_WINDOW // 2)
                ids = ids[lo : lo + RELATED_WINDOW]
            for other in ids:
                scores[other] += w
        scores.pop(index, None)
        here = ordinal[index]
        # Sums are taken in a fixed order (entity order, then time order), so equal inputs give
        # equal floats and the ranking is deterministic without rounding.
        best = heapq.nsmallest(count, [(-s, abs(ordinal[o] - here), o) for o, s in scores.items()])
        result.append(tuple(o for _, _, o in best))
    return result
