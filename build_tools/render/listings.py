"""Home page, sources and tags: their indexes and one paginated page each."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

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


# The articles of each term of a grouping, by the term's first page: (the term as first
# written, the articles' indices in time order).
Terms = dict[str, tuple[str, list[int]]]


def term_groups(linked: LinkedArchive, grouping: Grouping) -> Terms:
    """The terms of a grouping and their articles (terms that differ only in ways their page's
    address does not show share a page, named as the first article writes it)."""
    groups: Terms = {}
    for i, links in enumerate(linked.links):
        for name in dict.fromkeys(links.article.terms_of(grouping.key)):
            path = term_page(grouping.folder, name, 1)
            if path not in groups:
                groups[path] = (name, [])
            groups[path][1].append(i)
    return groups


def _grouped_pages(
    linked: LinkedArchive,
    groups: Terms,
    title: str,
    singular: str,
    index_page: str,
    page_of: Callable[[str, int], str],
    what: str,
    param: str,
    follow_term: Callable[[str, str], tuple[str, str]] | None,
    only: Collection[str] | None,
    index: bool,
) -> dict[str, str]:
    out = {}
    for first_path, (name, indices) in groups.items():
        if only is not None and first_path not in only:
            continue
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
    if not index:
        return out
    rows = sorted(groups.items(), key=lambda kv: (-len(kv[1][1]), kv[1][0].casefold()))
    out[index_page] = (
        "\n".join(
            [f"# {text(title)}\n", f"{plural(len(rows), singular)}.\n"]
            + [
                f"- {link(name, rel(index_page, p))}: {plural(len(ids), 'article')}"
                for p, (name, ids) in rows
            ]
        )
        + "\n"
    )
    return out


# How a term page says what its articles share, for the built-in groupings.
_WHAT = {"source": "from this source", "tags": "with this tag"}
# The search page's filter for each built-in grouping; the archive's own use their key.
_SEARCH_PARAM = {"source": "source", "tags": "tag"}


def render_groupings(
    linked: LinkedArchive,
    settings: Settings,
    only: Collection[str] | None = None,
    groups: Mapping[str, Terms] | None = None,
    index: bool = True,
) -> dict[str, str]:
    """For each grouping (source, tags, the archive's own): its index page and one page per
    term, listing the articles with that term, newest first. only: the pages of the terms whose
    first pages these are, no others; index=False: no index pages. groups: term_groups of each
    grouping, by key."""
    pages: dict[str, str] = {}
    for grouping in settings.groupings:
        found = groups[grouping.key] if groups is not None else term_groups(linked, grouping)
        pages.update(_grouping_pages(linked, grouping, settings, found, only, index))
    return pages


def _grouping_pages(
    linked: LinkedArchive,
    grouping: Grouping,
    settings: Settings,
    groups: Terms,
    only: Collection[str] | None,
    index: bool,
) -> dict[str, str]:
    def page_of(term: str, page: int) -> str:
        return term_page(grouping.folder, term, page)

    what = _WHAT.get(grouping.key, f"with this {grouping.name.lower()}")
    param = _SEARCH_PARAM.get(grouping.key, grouping.key)

    def follow_source(here: str, source: str) -> tuple[str, str]:
        return follow(here, (source_feed(source, "xml"), source_feed(source, "json")), source, settings)

    return _grouped_pages(
        linked,
        groups,
        grouping.plural,
        grouping.name.lower(),
        grouping.page,
        page_of,
        what,
        param,
        follow_source if grouping.key == "source" else None,
        only,
        index,
    )
