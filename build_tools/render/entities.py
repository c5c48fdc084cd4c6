"""Entity pages (who or what, every article naming it with a snippet, companions) and the
per-type indexes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from ..link.links import LinkedArchive
from ..model import Entity
from ..settings import EntityKind, Settings
from .feeds import entity_feed, follow
from .maps import WORLD, archive_maps, place_map
from .markup import (
    article_line,
    article_list,
    attr,
    chip,
    definitions,
    entity_page,
    esc,
    front_matter,
    hlink,
    html_block,
    link,
    long_date,
    pager,
    pages_of,
    period_params,
    plural,
    rel,
    search_target,
    search_within,
    snippet,
    text,
)
from .quotes import quote_section
from .timeline import timeline_chart

COMPANIONS = 12


def named_with(linked: LinkedArchive, entity_id: str) -> Counter[str]:
    """Every other entity named in the articles naming `entity_id`, with how many they share."""
    counts: Counter[str] = Counter()
    for index in linked.by_entity.get(entity_id, ()):
        counts.update(linked.links[index].entity_ids)
    counts.pop(entity_id, None)
    return counts


def companions(linked: LinkedArchive, entity_id: str) -> list[tuple[str, int]]:
    """Entities most often named in the same articles, with how many articles they share."""
    counts = named_with(linked, entity_id)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:COMPANIONS]


def _hit(linked: LinkedArchive, index: int, entity_id: str) -> str:
    links = linked.links[index]
    for m in links.mentions:
        if m.entity_id == entity_id:
            source = links.article.body if m.field == "body" else links.article.title
            return snippet(source, m.start, m.end)
    return '<span class="ra-snippet">(listed in the article\'s front matter)</span>'


def render_entity(
    linked: LinkedArchive,
    entity: Entity,
    entities: dict[str, Entity],
    settings: Settings,
    events: Sequence[Entity] = (),
    numbers: Sequence[int] | None = None,
) -> dict[str, str]:
    """An entity's pages, or those of `numbers` (1 is the first); `events` are the registry's
    dated events its timeline marks."""
    indices = linked.by_entity.get(entity.id, ())
    newest_first = list(reversed(indices))
    chunks = pages_of(newest_first)
    path_of: Callable[[int], str] = lambda n: entity_page(entity.id, n)  # noqa: E731
    out = {}
    for number, chunk in enumerate(chunks, 1):
        if numbers is not None and number not in numbers:
            continue
        here = path_of(number)
        head, feeds = follow(
            here,
            (entity_feed(entity.id, "xml"), entity_feed(entity.id, "json")),
            entity.name,
            settings,
            description=entity.description,
        )
        parts = [
            front_matter(description=entity.description) if not indices else head,
            f"# {text(entity.name)}\n",
            f"{text(entity.description)}\n",
        ]
        kind = settings.kind(entity.type)
        meta = [("Type", hlink(kind.singular_word, rel(here, kind.page)))]
        if entity.aliases:
            meta.append(("Also written", ", ".join(esc(a) for a in entity.aliases)))
        if entity.wikidata:
            meta.append(
                (
                    "Wikidata",
                    f'<a href="https://www.wikidata.org/wiki/{attr(entity.wikidata)}" '
                    f'rel="nofollow noopener">{esc(entity.wikidata)}</a>',
                )
            )
        if entity.period:
            start, end = entity.period
            when = long_date(start) if start == end else f"{long_date(start)} to {long_date(end)}"
            meta.append(
                (
                    "When",
                    f"{esc(when)} "
                    f"({hlink('articles of the period', search_target(here, period_params(start, end)))})",
                )
            )
        if entity.coordinates:
            lat, lon = entity.coordinates
            meta.append(("Coordinates", f"{lat:.4f}, {lon:.4f}"))
        if indices:
            first = linked.links[indices[0]].article.date
            last = linked.links[indices[-1]].article.date
            span = long_date(first) if first == last else f"{long_date(first)} to {long_date(last)}"
            meta.append(("Articles", f"{plural(len(indices), 'article')}, {span}"))
        parts.append(definitions("ra-meta", meta))
        if number == 1 and entity.coordinates:
            maps = archive_maps(linked)
            spot = [(entity, len(indices))]
            parts.append(
                place_map(
                    here,
                    maps.view_for([entity]),
                    spot,
                    settings,
                    f"Where {entity.name} is",
                    entity.id,
                    "small",
                )
            )
        if indices:
            parts.append(search_within(here, [("entity", entity.id)], len(indices)))
            parts.append(feeds)
        if number == 1:
            together = companions(linked, entity.id)
            if together:
                parts.append("## Often mentioned with\n")
                parts.append(
                    "Each name opens the articles that name both; its own page is linked from there.\n"
                )
                both = [
                    chip(
                        here,
                        entities[other],
                        settings,
                        search_target(here, [("entity", entity.id), ("entity", other)]),
                        f"{plural(shared, 'article')} naming {entity.name} and {entities[other].name}",
                    )
                    for other, shared in together
                ]
                parts.append(html_block("ra-chips", [" ".join(both)]))
        if number == 1 and indices:
            parts.append("## When it is in the news\n")
            items = [(linked.links[i].article.date, linked.links[i].article.source) for i in indices]
            # The events it is named with (and itself, for an event): what its news ran beside.
            shared = named_with(linked, entity.id)
            beside = [e for e in events if e.id == entity.id or shared.get(e.id)]
            parts.append(timeline_chart(here, items, entity_id=entity.id, events=beside))
        if number == 1:
            parts += quote_section(here, linked, entity)
        parts.append(f"## Articles ({len(indices):,})\n")
        if not indices:
            parts.append("No article mentions this yet.\n")
        parts.append(pager(here, number, len(chunks), path_of))
        parts.append(
            article_list(
                [article_line(here, linked.links[i].article, _hit(linked, i, entity.id)) for i in chunk]
            )
        )
        parts.append(pager(here, number, len(chunks), path_of))
        out[here] = "\n".join(parts)
    return out


def render_kind_index(
    linked: LinkedArchive, kind: EntityKind, entities: list[Entity], settings: Settings
) -> dict[str, str]:
    """The page of one entity kind: every entity of it with its article count, most named first;
    a map of those with coordinates (the region where most are, then the world)."""
    page, label = kind.page, kind.title
    ranked = sorted(entities, key=lambda e: (-len(linked.by_entity.get(e.id, ())), e.name))
    rows = [
        f"| {link(e.name, rel(page, entity_page(e.id)))} | {text(e.description)} | "
        f"{len(linked.by_entity.get(e.id, ())):,} |"
        for e in ranked
    ]
    body = [
        f"# {label}\n",
        f"{plural(len(entities), kind.singular_word, kind.plural_word)} in the registry.\n",
    ]
    located = [(e, len(linked.by_entity.get(e.id, ()))) for e in ranked if e.coordinates]
    if located:
        maps = archive_maps(linked)
        body.append(
            "Each circle is a place, sized by the articles that name it; it opens the place's page.\n"
        )
        if maps.region is not None:
            body.append(
                place_map(page, maps.region, located, settings, f"Map of the {label.lower()} where most are")
            )
        body.append(
            place_map(
                page,
                WORLD,
                located,
                settings,
                f"Map of all the {label.lower()} with coordinates",
                unnamed=maps.region,
            )
        )
    if rows:
        body += ["| Name | Who or what | Articles |", "| --- | --- | ---: |", *rows, ""]
    return {page: "\n".join(body)}
