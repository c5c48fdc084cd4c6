"""The nav's section of the archive's index pages (dates, timeline, quotes, each entity kind,
each grouping), which the plugin fills from the content model."""

from __future__ import annotations

from typing import Any

from ..settings import Settings


def browse_nav(nav: list[Any], title: str, settings: Settings) -> list[Any]:
    """`nav` with its section `title` listing the archive's index pages: dates, timeline, one
    page per entity kind, and one per grouping (sources, tags and the archive's own). Without
    such a section, one is added after the first entry."""
    entries = [
        {"Dates": "dates.md"},
        {"Timeline": "timeline.md"},
        {"Quotes": "quotes.md"},
        *[{kind.title: kind.page} for kind in settings.entity_kinds],
        *[{grouping.plural: grouping.page} for grouping in settings.groupings],
    ]
    section = {title: entries}
    for number, item in enumerate(nav):
        if isinstance(item, dict) and title in item:
            return [*nav[:number], section, *nav[number + 1 :]]
    return [*nav[:1], section, *nav[1:]]
