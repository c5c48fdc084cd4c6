"""Home page, sources and tags: their indexes and one paginated page each."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from ..link.links import LinkedArchive
from ..settings import Settings
from .markup import (
    article_line,
    article_list,
    link,
    long_date,
    pager,
    pages_of,
    plural,
    rel,
    source_page,
    tag_page,
    text,
)

LATEST = 20


def render_home(linked: LinkedArchive, settings: Settings) -> dict[str, str]:
    articles = [links.article for links in linked.links]
    here = "index.md"
    parts = [f"# {text(settings.title)}\n", f"{text(settings.description)}\n"]
    if articles:
        sources = {a.source for a in articles}
        days = {a.date for a in articles}
        named = sum(1 for ids in linked.by_entity.values() if ids)
        parts.append('<div class="ra-figures" markdown>\n')
        parts.append(f"- **{len(articles):,}** {'article' if len(articles) == 1 else 'articles'}\n"
                     f"- **{len(sources):,}** {'source' if len(sources) == 1 else 'sources'}\n"
                     f"- **{named:,}** of {len(linked.archive.entities):,} registry entries named\n"
                     f"- **{len(days):,}** {'day' if len(days) == 1 else 'days'}, "
                     f"{long_date(min(days))} to {long_date(max(days))}\n")
        parts.append("</div>\n")
    parts.append("Browse by " + ", ".join(
        link(label.lower(), page) for page, label in
        [("dates.md", "Date"), ("timeline.md", "Timeline"),
         *[(kind.page, kind.title) for kind in settings.entity_kinds],
         ("sources.md", "Source"), ("tags.md", "Tag")]) + ".\n")
    parts.append("## Latest articles\n")
    parts.append(article_list([article_line(here, a) for a in reversed(articles[-LATEST:])]))
    return {here: "\n".join(parts)}


def _grouped_pages(linked: LinkedArchive, key: Callable[[int], list[str]], title: str,
                   index_page: str, page_of: Callable[[str, int], str], what: str) -> dict[str, str]:
    groups: dict[str, list[int]] = defaultdict(list)
    names: dict[str, str] = {}
    for i in range(len(linked.links)):
        for name in key(i):
            slug_path = page_of(name, 1)
            names.setdefault(slug_path, name)
            groups[slug_path].append(i)
    out = {}
    for first_path, indices in groups.items():
        name = names[first_path]
        chunks = pages_of(list(reversed(indices)))

        def path_of(n: int, name: str = name) -> str:
            return page_of(name, n)

        for number, chunk in enumerate(chunks, 1):
            here = path_of(number)
            out[here] = "\n".join([
                f"# {text(name)}\n", f"{plural(len(indices), 'article')} {what}.\n",
                link(f"All {title.lower()}", rel(here, index_page)) + "\n",
                pager(here, number, len(chunks), path_of),
                article_list([article_line(here, linked.links[i].article) for i in chunk])])
    rows = sorted(groups.items(), key=lambda kv: (-len(kv[1]), names[kv[0]].casefold()))
    out[index_page] = "\n".join(
        [f"# {title}\n", f"{plural(len(rows), title.lower()[:-1])}.\n"]
        + [f"- {link(names[p], rel(index_page, p))}: {plural(len(ids), 'article')}" for p, ids in rows]
    ) + "\n"
    return out


def render_sources(linked: LinkedArchive) -> dict[str, str]:
    return _grouped_pages(linked, lambda i: [linked.links[i].article.source], "Sources",
                          "sources.md", source_page, "from this source")


def render_tags(linked: LinkedArchive) -> dict[str, str]:
    return _grouped_pages(linked, lambda i: list(linked.links[i].article.tags), "Tags",
                          "tags.md", tag_page, "with this tag")
