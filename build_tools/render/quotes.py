"""Who said what: each person's attributed quotations, newest first, as a section of their
entity page and as pages of their own with a filter box; and the page of everyone quoted. A
quotation links to its passage: the article page opens there with the words marked
(assets/highlight.js)."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Sequence

from ..folding import fold
from ..link.links import LinkedArchive
from ..link.quotes import Quote
from ..model import Entity
from .markup import (
    article_page,
    esc,
    hlink,
    html_block,
    link,
    pager,
    pages_of,
    plural,
    quote_page,
    rel,
    short_date,
    text,
)

QUOTES_PAGE = "quotes.md"
ON_ENTITY_PAGE = 5  # the newest quotations shown on a person's page
PER_PAGE = 200  # on a person's quotes pages (a few hundred kB at most)
_WORD = re.compile(r"[^\W\d_]{4,}")

Said = tuple[int, Quote]  # the article's index in LinkedArchive.links, the quotation


def passage_target(here: str, linked: LinkedArchive, index: int, quote: Quote) -> str:
    """The article's page, opening at the quotation with its words marked."""
    words = list(dict.fromkeys(_WORD.findall(fold(quote.text))))[:12]
    target = rel(here, article_page(linked.links[index].article))
    return target + ("?" + urllib.parse.urlencode({"h": " ".join(words)}) if words else "")


def quote_item(here: str, linked: LinkedArchive, said: Said) -> str:
    index, quote = said
    article = linked.links[index].article
    where = hlink(article.title, passage_target(here, linked, index, quote))
    source = esc(article.source)
    return (
        f'<li class="ra-quote"><q>{esc(quote.text)}</q>'
        f'<span class="ra-quote__where">{where} · {short_date(article.date)} · {source}</span></li>'
    )


def _quote_list(here: str, linked: LinkedArchive, items: Sequence[Said]) -> str:
    return html_block("ra-quotes", ["<ol>", *(quote_item(here, linked, said) for said in items), "</ol>"])


def quote_section(here: str, linked: LinkedArchive, entity: Entity) -> list[str]:
    """The newest quotations of a person, for their entity page, and the way to the rest."""
    said = newest_first(linked.by_speaker.get(entity.id, ()))
    if not said:
        return []
    parts = [f"## Quotes ({len(said):,})\n", _quote_list(here, linked, said[:ON_ENTITY_PAGE])]
    parts.append(
        link(f"All {plural(len(said), 'quote')}, with a filter", rel(here, quote_page(entity.id))) + "\n"
    )
    return parts


def newest_first(said: Sequence[Said]) -> list[Said]:
    return sorted(said, key=lambda s: (-s[0], s[1].start))


def render_quotes(linked: LinkedArchive) -> dict[str, str]:
    """A page (or pages) of each quoted person's quotations, and the index of them all."""
    entities = linked.archive.entity_index()
    out: dict[str, str] = {}
    rows = []
    for entity_id, said in linked.by_speaker.items():
        entity = entities[entity_id]
        ordered = newest_first(said)
        rows.append((len(ordered), entity))
        chunks = pages_of(ordered, PER_PAGE)

        def path_of(n: int, entity_id: str = entity_id) -> str:
            return quote_page(entity_id, n)

        for number, chunk in enumerate(chunks, 1):
            here = path_of(number)
            out[here] = "\n".join(
                [
                    f"# Quotes of {text(entity.name)}\n",
                    f"{plural(len(ordered), 'quotation')} the archive's articles attribute to "
                    + link(entity.name, rel(here, f"entities/{entity.id}.md"))
                    + ", newest first. Each opens its article at the passage.\n",
                    html_block(
                        "ra-quote-filter",
                        [
                            '<label for="ra-quote-filter">Filter the quotes on this page</label>',
                            '<input id="ra-quote-filter" type="search" autocomplete="off" '
                            'placeholder="Words in the quote, a title, a source">',
                        ],
                    ),
                    pager(here, number, len(chunks), path_of),
                    _quote_list(here, linked, chunk),
                    pager(here, number, len(chunks), path_of),
                ]
            )
    rows.sort(key=lambda row: (-row[0], row[1].name.casefold()))
    lines = [
        "# Quotes\n",
        "Who said what: the people of the registry whom the articles quote, with how many of their "
        "quotations the archive holds. A quotation is listed under a person only when the text "
        'says beyond doubt that they said it ("…," Peskov said; Bogner told Reuters: "…"; "…," '
        "he said, where he can only be the person just named).\n",
    ]
    lines += [
        f"- {link(entity.name, rel(QUOTES_PAGE, quote_page(entity.id)))}: {count:,}" for count, entity in rows
    ]
    if not rows:
        lines.append("No article quotes a person of the registry yet.")
    out[QUOTES_PAGE] = "\n".join(lines) + "\n"
    return out
