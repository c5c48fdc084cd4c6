"""Rendering: a linked archive -> {page path: Markdown}. Pure: no I/O, no MkDocs."""
from __future__ import annotations

from ..link import LinkedArchive
from .articles import render_article
from .dates import render_dates
from .entities import render_entity, render_type_index
from .listings import render_home, render_sources, render_tags
from .markup import TYPE_PAGES
from .timeline import render_timeline

__all__ = ["render"]


def render(linked: LinkedArchive) -> dict[str, str]:
    entities = linked.archive.entity_index()
    pages: dict[str, str] = {}
    for index in range(len(linked.links)):
        path, markdown = render_article(linked, index, entities)
        pages[path] = markdown
    for entity in linked.archive.entities:
        pages.update(render_entity(linked, entity, entities))
    for kind in TYPE_PAGES:
        pages.update(render_type_index(linked, kind, [e for e in linked.archive.entities if e.type == kind]))
    pages.update(render_dates(linked))
    pages.update(render_sources(linked))
    pages.update(render_tags(linked))
    pages.update(render_timeline(linked))
    pages.update(render_home(linked))
    return dict(sorted(pages.items()))
