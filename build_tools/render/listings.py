"""Home page, sources and tags: their indexes and one paginated page each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from ..link.links import LinkedArchive
from ..settings import Grouping, Settings
from .feeds import follow, newest_feed, source_feed
from .markup import (
    article_line,
    article_list,
    link,
    long_date,
    pager,
    pages_of,
    plural,
    rel,
    search_within,
    term_page,
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
        parts.append(
            f"- **{len(articles):,}** {'article' if len(articles) == 1 else 'articles'}\n"
            f"- **{len(sources):,}** {'source' if len(sources) == 1 else 'sources'}\n"
            f"- **{named:,}** of {len(linked.archive.entities):,} registry entries named\n"
            f"- **{len(days):,}** {'day' if len(days) == 1 else 'days'}, "
            f"{long_date(min(days))} to {long_date(max(days))}\n"
        )
        parts.append("</div>\n")
    parts.append(
        "Browse by "
        + ", ".join(
            link(label.lower(), page)
            for page, label in [
                ("dates.md", "Date"),
                ("timeline.md", "Timeline"),
                ("quotes.md", "Quotes"),
                *[(kind.page, kind.title) for kind in settings.entity_kinds],
                *[(grouping.page, grouping.name) for grouping in settings.groupings],
            ]
        )
        + ".\n"
    )
    parts.append("## Latest articles\n")
    if articles:
        name = settings.site.name or settings.title
        parts.append(follow(here, (newest_feed("xml"), newest_feed("json")), name, settings)[1])
    parts.append(article_list([article_line(here, a) for a in reversed(articles[-LATEST:])]))
    return {here: "\n".join(parts)}


def _grouped_pages(
    linked: LinkedArchive,
    key: Callable[[int], list[str]],
    title: str,
    singular: str,
    index_page: str,
    page_of: Callable[[str, int], str],
    what: str,
    param: str,
    follow_term: Callable[[str, str], tuple[str, str]] | None = None,
) -> dict[str, str]:
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
            head, feeds = follow_term(here, name) if follow_term else ("", "")
            out[here] = "\n".join(
                [
                    head,
                    f"# {text(name)}\n",
                    f"{plural(len(indices), 'article')} {what}.\n",
                    link(f"All {title.lower()}", rel(here, index_page)) + "\n",
                    search_within(here, [(param, name)], len(indices)),
                    feeds,
                    pager(here, number, len(chunks), path_of),
                    article_list([article_line(here, linked.links[i].article) for i in chunk]),
                ]
            )
    rows = sorted(groups.items(), key=lambda kv: (-len(kv[1]), names[kv[0]].casefold()))
    out[index_page] = (
        "\n".join(
            [f"# {text(title)}\n", f"{plural(len(rows), singular)}.\n"]
            + [f"- {link(names[p], rel(index_page, p))}: {plural(len(ids), 'article')}" for p, ids in rows]
        )
        + "\n"
    )
    return out


# How a term page says what its articles share, for the built-in groupings.
_WHAT = {"source": "from this source", "tags": "with this tag"}
# The search page's filter for each built-in grouping; the archive's own use their key.
_SEARCH_PARAM = {"source": "source", "tags": "tag"}


def render_groupings(linked: LinkedArchive, settings: Settings) -> dict[str, str]:
    """For each grouping (source, tags, the archive's own): its index page and one page per
    term, listing the articles with that term, newest first."""
    pages: dict[str, str] = {}
    for grouping in settings.groupings:
        pages.update(_grouping_pages(linked, grouping, settings))
    return pages


def _grouping_pages(linked: LinkedArchive, grouping: Grouping, settings: Settings) -> dict[str, str]:
    def terms(i: int) -> list[str]:
        return list(dict.fromkeys(linked.links[i].article.terms_of(grouping.key)))

    def page_of(term: str, page: int) -> str:
        return term_page(grouping.folder, term, page)

    what = _WHAT.get(grouping.key, f"with this {grouping.name.lower()}")
    param = _SEARCH_PARAM.get(grouping.key, grouping.key)

    def follow_source(here: str, source: str) -> tuple[str, str]:
        return follow(here, (source_feed(source, "xml"), source_feed(source, "json")), source, settings)

    return _grouped_pages(
        linked,
        terms,
        grouping.plural,
        grouping.name.lower(),
        grouping.page,
        page_of,
        what,
        param,
        follow_source if grouping.key == "source" else None,
    )
