"""`archive search QUERY`: full-text search of the built archive's SQLite database."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import click

from ..problems import one_line
from ..search.query import QueryError, SearchResult, search_archive

DEFAULT_DB = Path("site/archive.sqlite")


def filter_options(command: Callable[..., None]) -> Callable[..., None]:
    """The filters of `archive search`, for every command that selects articles as it does
    (`archive export`): --entity, --source, --tag, --term, --lang, --from, --to."""
    options = [
        click.option(
            "--entity",
            "entities",
            multiple=True,
            metavar="ID",
            help="Only articles that name this entity (repeat for several: all of them).",
        ),
        click.option("--source", metavar="NAME", help="Only articles from this source."),
        click.option("--tag", metavar="T", help="Only articles with this tag."),
        click.option(
            "--term",
            "terms",
            multiple=True,
            metavar="KEY=TERM",
            help="Only articles with this term of one of the archive's own groupings, as "
            "`region=Donbas` (repeat for more).",
        ),
        click.option("--lang", metavar="CODE", help="Only articles in this language (en, uk, …)."),
        click.option(
            "--from",
            "date_from",
            metavar="DATE",
            help="Published on or after DATE (YYYY-MM-DD, YYYY-MM or YYYY).",
        ),
        click.option("--to", "date_to", metavar="DATE", help="Published on or before DATE."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def parse_terms(terms: tuple[str, ...]) -> list[tuple[str, str]]:
    """--term KEY=TERM values as (key, term); a usage error for one without '='."""
    pairs = [term.split("=", 1) for term in terms]
    if any(len(pair) != 2 or not pair[0] or not pair[1] for pair in pairs):
        raise click.UsageError("give --term as KEY=TERM, such as --term region=Donbas")
    return [(key, value) for key, value in pairs]


@click.command("search")
@click.argument("query", nargs=-1)
@filter_options
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    metavar="N",
    help="Show at most N results.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as a JSON list.")
@click.option(
    "--db",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The database `archive build` writes into the site.",
)
def search_command(
    query: tuple[str, ...],
    entities: tuple[str, ...],
    source: str | None,
    tag: str | None,
    terms: tuple[str, ...],
    lang: str | None,
    date_from: str | None,
    date_to: str | None,
    limit: int,
    as_json: bool,
    db: Path,
) -> None:
    """Search the archive's text: words (all of them), "exact phrases", OR, -word, prefix*.

    The syntax is the search page's: `grain OR wheat` (either), `azovstal -mariupol` and
    `-"peace talks"` (not), `negotiat*` (a prefix). Prints the best matches first (newest
    first when only filters are given): rank, title, date, source, the article's page in the
    site, and a snippet with the matched words in [brackets]. The count goes to stderr, with
    the archive's spelling when nothing matched ("Did you mean: Mariupol") and the entity
    filter when the query is a registry name. Exits 0 whether or not anything matched, 2
    when the database is missing or an option is wrong.

    \b
    Example:
      archive search "peace talks" --entity dmitry-peskov --from 2022-03
    """
    try:
        result = search_archive(
            db,
            " ".join(query),
            entities=entities,
            source=source,
            tag=tag,
            terms=parse_terms(terms),
            language=lang,
            date_from=date_from,
            date_to=date_to,
            limit=limit,
        )
    except QueryError as exc:  # the message may quote a source or tag name from the archive
        raise click.UsageError(shown(str(exc))) from None
    if as_json:
        click.echo(
            json.dumps([asdict(hit) for hit in result.hits], ensure_ascii=False, indent=2).translate(
                _JSON_ESCAPES
            )
        )
    else:
        for hit in result.hits:
            click.echo(format_hit(hit.rank, hit.title, hit.date, hit.source, hit.page_url, hit.snippet))
    click.echo(count_line(result), err=True)
    if result.suggestion:
        click.echo(f"Did you mean: {shown(result.suggestion)}", err=True)
    if result.entity:
        entity_id, name = map(shown, result.entity)
        click.echo(f"{name} is in the registry: --entity {entity_id} lists the articles naming it.", err=True)


# Text from the archive reaches a terminal here, and a terminal obeys the control characters
# in it: ESC starts sequences that set the clipboard (OSC 52), show a link to another address
# than the text says (OSC 8), retitle the window or rewrite what was printed. Every C0 and C1
# control and DEL is shown escaped (problems.one_line: '\x1b'), and so are the bidirectional
# overrides and isolates, which make a line read other than it is.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_SHOWN = str.maketrans({char: f"\\u{ord(char):04x}" for char in _BIDI})
# JSON escapes C0 controls already; C1 controls (U+009B is CSI to many terminals), DEL and the
# overrides become \u escapes too, which read back as the same text.
_JSON_ESCAPES = str.maketrans(
    {code: f"\\u{code:04x}" for code in [0x7F, *range(0x80, 0xA0), *map(ord, _BIDI)]}
)


def shown(text: str) -> str:
    """Archive text as a terminal may print it: control characters and overrides escaped."""
    return one_line(text).translate(_SHOWN)


def format_hit(rank: int, title: str, date: str, source: str, page_url: str, snippet: str) -> str:
    indent = " " * (len(str(rank)) + 2)
    title, date, source, page_url, snippet = map(shown, (title, date, source, page_url, snippet))
    return f"{rank}. {title}\n{indent}{date} · {source} · {page_url}\n{indent}{snippet}\n"


def count_line(result: SearchResult) -> str:
    if not result.total:
        return "No results."
    noun = "result" if result.total == 1 else "results"
    if len(result.hits) < result.total:
        return f"{result.total:,} {noun}; showing the first {len(result.hits):,} (--limit N for more)"
    return f"{result.total:,} {noun}"
