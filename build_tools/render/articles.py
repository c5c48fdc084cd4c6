"""The article page: text with first mentions linked, metadata panel, entities, related, neighbours."""

from __future__ import annotations

from ..days import long_time
from ..link.links import ArticleLinks, LinkedArchive
from ..model import Entity
from ..search.text import plain_text_start
from ..settings import Settings
from .body import SLOT, BodyLink, Span, article_text
from .citation import DESCRIPTION_LENGTH, article_head, citation_block, print_line
from .maps import archive_maps, place_map
from .markup import (
    MONTHS,
    anchor,
    article_line,
    article_list,
    article_page,
    attr,
    chips,
    day_page,
    definitions,
    entity_page,
    esc,
    hlink,
    html_block,
    long_date,
    month_page,
    rel,
    source_page,
    tag_page,
    term_page,
    text,
    year_page,
)


def mention_spans(here: str, links: ArticleLinks, entities: dict[str, Entity]) -> list[Span]:
    """Every mention in the body that may become a link; the first of each entity that lands
    in the page's text is linked (render.body.link_marks)."""
    spans = []
    for m in links.mentions:
        if m.field != "body":
            continue
        entity = entities[m.entity_id]
        target = rel(here, entity_page(entity.id))
        start_tag = anchor("", target, "ra-entity", title=entity.name)[: -len("</a>")]
        spans.append((m.start, m.end, BodyLink(start_tag, entity.id)))
    return spans


def date_spans(here: str, links: ArticleLinks) -> list[Span]:
    """A link on every resolved date expression, to its date page, the resolution as tooltip."""
    spans = []
    for ref in links.date_refs:
        day = ref.value
        if ref.granularity == "day":
            target, label = day_page(day), long_date(day)
        elif ref.granularity == "week":
            target, label = month_page(day.year, day.month), f"week of {long_date(day)}"
        elif ref.granularity == "month":
            target, label = month_page(day.year, day.month), f"{MONTHS[day.month - 1]} {day.year}"
        else:
            target, label = year_page(day.year), str(day.year)
        start_tag = anchor("", rel(here, target), "ra-date", title=label)[: -len("</a>")]
        spans.append((ref.start, ref.end, BodyLink(start_tag)))
    return spans


def render_article(
    linked: LinkedArchive, index: int, entities: dict[str, Entity], settings: Settings
) -> tuple[str, str]:
    links = linked.links[index]
    a = links.article
    here = article_page(a)
    spans = [*mention_spans(here, links, entities), *date_spans(here, links)]

    meta = [
        (
            "Published",
            hlink(long_date(a.date), rel(here, day_page(a.date)))
            + (f", {esc(long_time(a.published).partition(', ')[2])}" if a.published else ""),
        ),
        ("Source", hlink(a.source, rel(here, source_page(a.source)))),
    ]
    if a.authors:
        meta.append(("By", ", ".join(esc(x) for x in a.authors)))
    if a.url:
        meta.append(("Original", f'<a href="{attr(a.url)}" rel="nofollow noopener">{esc(a.url)}</a>'))
    if a.archive_url:
        meta.append(
            (
                "Archived copy",
                f'<a href="{attr(a.archive_url)}" rel="nofollow noopener">{esc(a.archive_url)}</a>',
            )
        )
    if a.retrieved:
        meta.append(("Retrieved", long_date(a.retrieved)))
    if a.dateline:
        meta.append(("Dateline", esc(a.dateline)))
    if a.credits:
        meta.append(("Credits", ", ".join(esc(x) for x in a.credits)))
    if a.rights:
        meta.append(("Rights", esc(a.rights)))
    if a.paragraphs == "reconstructed":
        meta.append(
            ("Paragraphs", "rebuilt by the archive: the copy had lost its breaks; the words are as published")
        )
    if a.tags:
        meta.append(("Tags", ", ".join(hlink(t, rel(here, tag_page(t))) for t in a.tags)))
    for grouping in settings.extra_groupings:
        terms = a.terms_of(grouping.key)
        if terms:
            meta.append(
                (
                    grouping.name if len(terms) == 1 else grouping.plural,
                    ", ".join(hlink(term, rel(here, term_page(grouping.folder, term))) for term in terms),
                )
            )
    if a.language != "en":
        meta.append(("Language", esc(a.language)))

    description = a.summary or plain_text_start(a.body, 2000, DESCRIPTION_LENGTH + 20)
    parts = [article_head(a, settings, description), print_line(a, settings)]
    parts.append(f"# {text(a.title)}\n")
    if a.summary:
        parts.append(f"{text(a.summary)}\n{{: .ra-summary }}\n")
    parts.append(definitions("ra-meta", meta))
    parts.append(html_block("ra-body", [SLOT], lang=a.language))

    parts.append(citation_block(here, a, settings))

    if links.entity_ids:
        parts.append("## Who and what it mentions\n")
        groups = []
        by_type: dict[str, list[Entity]] = {}
        for entity_id in links.entity_ids:
            by_type.setdefault(entities[entity_id].type, []).append(entities[entity_id])
        for kind in settings.entity_kinds:
            if kind.id in by_type:
                group = sorted(by_type[kind.id], key=lambda e: e.name)
                groups.append(f"<p><strong>{esc(kind.title)}:</strong> {chips(here, group, settings)}</p>")
        parts.append(html_block("ra-chips", groups))
        named = [entities[i] for i in links.entity_ids if entities[i].coordinates]
        if named:
            maps = archive_maps(linked)
            counts = [(e, maps.count(e)) for e in named]
            parts.append(
                place_map(
                    here,
                    maps.view_for(named),
                    counts,
                    settings,
                    "Map of the places this article names",
                    size="small",
                )
            )

    if links.related:
        parts.append("## Read next\n")
        parts.append(
            article_list(
                [article_line(here, linked.links[i].article) for i in links.related], "ra-related ra-list"
            )
        )

    if links.previous is not None or links.next is not None:
        nav = []
        if links.previous is not None:
            prev = linked.links[links.previous].article
            nav.append("← Earlier: " + hlink(prev.title, rel(here, article_page(prev))))
        if links.next is not None:
            nxt = linked.links[links.next].article
            nav.append("Later: " + hlink(nxt.title, rel(here, article_page(nxt))) + " →")
        parts.append(html_block("ra-prevnext", ["<p>" + "<br>\n".join(nav) + "</p>"]))
    return here, article_text("\n".join(parts), a.body, spans)
