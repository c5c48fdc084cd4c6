"""`archive export`: citations of the whole archive, or of what an `archive search` selects."""

from __future__ import annotations

from pathlib import Path

import click

from ..cite import FORMATS
from ..files import write_atomic
from ..search.export import Export, export_archive
from ..search.query import QueryError
from ..search.quote_export import QUOTE_FORMATS, export_quotes
from ..settings import read_site
from .building import site_address
from .searching import DEFAULT_DB, filter_options, parse_terms, shown


@click.command("export")
@click.argument("query", nargs=-1)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(sorted({*FORMATS, *QUOTE_FORMATS})),
    help="BibTeX (the default), RIS, CSL-JSON (for Zotero, Pandoc, citeproc) or CSV (for a "
    "spreadsheet); with --quotes, CSV (the default) or JSON.",
)
@click.option(
    "--quotes",
    is_flag=True,
    help="Export who said what instead: the quotations attributed to registry people (--entity: "
    "said by them; words: in the quotation).",
)
@filter_options
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to FILE (whole or not at all) instead of standard output.",
)
@click.option(
    "--site-url",
    metavar="URL",
    callback=lambda ctx, param, value: site_address(value),
    help="The site's address, for each article's permalink (default: site_url in --config).",
)
@click.option(
    "--config",
    "config_file",
    default=Path("mkdocs.yml"),
    show_default=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The mkdocs.yml whose site_name and site_url the citations name.",
)
@click.option(
    "--db",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The database `archive build` writes into the site.",
)
def export_command(
    query: tuple[str, ...],
    format_name: str | None,
    quotes: bool,
    entities: tuple[str, ...],
    source: str | None,
    tag: str | None,
    terms: tuple[str, ...],
    lang: str | None,
    date_from: str | None,
    date_to: str | None,
    output: Path | None,
    site_url: str | None,
    config_file: Path,
    db: Path,
) -> None:
    """Write citations of the archive's articles: all of them, or those a query selects.

    The query and the filters are `archive search`'s (words, "phrases", OR, -word, prefix*;
    --entity, --source, --tag, --term, --lang, --from, --to); articles come oldest first. Each
    citation names the publisher, title, date, the original's address, the archived copy, the
    article's page in the archive (a full address with --site-url or site_url) and the day
    the copy was made. The count goes to stderr. Exits 0, or 2 when the database is missing
    or an option is wrong.

    \b
    Example:
      archive export --format bibtex --entity dmitry-peskov --from 2022-03
      archive export --quotes --entity dmitry-peskov talks -o peskov.csv
      archive export "peace talks" --format csl-json -o talks.json
    """
    site = read_site(config_file)
    if quotes:
        try:
            exported = export_quotes(
                db,
                format_name or "csv",
                " ".join(query),
                speakers=entities,
                source=source,
                date_from=date_from,
                date_to=date_to,
                site_url=site_url or site.url,
            )
        except QueryError as exc:
            raise click.UsageError(shown(str(exc))) from None
        _write(exported, output, "quotation")
        return
    if format_name == "json":
        raise click.UsageError("json is a format of --quotes; articles are exported as csl-json")
    try:
        exported = export_archive(
            db,
            format_name or "bibtex",
            " ".join(query),
            entities=entities,
            source=source,
            tag=tag,
            terms=parse_terms(terms),
            language=lang,
            date_from=date_from,
            date_to=date_to,
            archive_name=site.name,
            site_url=site_url or site.url,
        )
    except QueryError as exc:
        raise click.UsageError(shown(str(exc))) from None
    _write(exported, output, "article")


def _write(exported: Export, output: Path | None, noun: str) -> None:
    """The export to stdout or whole to `output`; how many `noun`s, to stderr."""
    if output is None:
        click.echo(exported.text, nl=False)
    else:
        write_atomic(output, exported.text)
    where = f" to {shown(str(output))}" if output else ""
    click.echo(f"{exported.count:,} {noun}{'' if exported.count == 1 else 's'} exported{where}", err=True)
