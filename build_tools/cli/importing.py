"""`archive import FILE` and `archive new`: a saved article, or a blank one, into the archive."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import click
import frontmatter
import yaml

from .. import importing
from ..check import MAX_SLUG_LENGTH, SLUG, shorten_slug, validate
from ..check.run import check_archive
from ..folding import slugify
from ..importing.suggest import suggest
from ..model import Archive
from ..problems import summary_line
from ..read.load import display_path, load_archive
from .check import ARCHIVE_OPTION, DEFAULT_CONFIG, archive_settings
from .entities import print_suggestions


def stdin_is_terminal() -> bool:
    """Whether a person can answer a question (a function so that tests can pretend)."""
    return sys.stdin.isatty()


def _date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    day = importing.normalize_date(value)
    if day is None:
        raise click.BadParameter(f"'{value}' is not a date; write it as YYYY-MM-DD")
    return day


def _slug_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not SLUG.match(value):
        raise click.BadParameter(
            f"'{value}' is not a slug; use lower-case words joined by hyphens, e.g. {slugify(value)}"
        )
    if value is not None and len(value) > MAX_SLUG_LENGTH:
        raise click.BadParameter(
            f"the slug is {len(value):,} characters long; the limit is "
            f"{MAX_SLUG_LENGTH}, e.g. {shorten_slug(value)}"
        )
    return value


def _require_root(root: Path) -> None:
    if not root.is_dir():
        raise click.UsageError(f"no archive at {display_path(root)}; pass --archive DIR")


def _ask(
    value: str | None,
    what: str,
    option: str,
    why: str,
    convert: Callable[[str], str | None] = lambda s: s.strip() or None,
) -> str:
    """The value given, else an answer from the person at the terminal, else a usage error."""
    if value:
        return value
    if not stdin_is_terminal():
        raise click.UsageError(f"{why}; pass {option}")

    def check(answer: str) -> str:
        converted = convert(answer)
        if not converted:
            raise click.BadParameter(f"'{answer}' will not do")
        return converted

    return str(click.prompt(what, value_proc=check))


def _import_data_set(
    archive: Path,
    data: Path,
    kind: str,
    columns: str | None,
    constants: tuple[str, ...],
    fixed: dict[str, str],
    missing: frozenset[str],
    dry_run: bool,
    rebuild_paragraphs: bool,
) -> None:
    from ..importing import bulk

    if dry_run:
        raise click.UsageError("--dry-run imports one FILE; a data set is checked row by row anyway")
    if not columns:
        raise click.UsageError(
            "with --csv or --jsonl, say which column fills which field with "
            "--columns, such as title=headline,date=date,body=body"
        )
    settings = archive_settings(DEFAULT_CONFIG)
    try:
        mapping = bulk.parse_columns(columns)
        pairs = dict(_pair(constant) for constant in constants)
        bulk.check_fields([*mapping, *pairs], settings)
        header, rows = bulk.read_rows(data, kind)
    except (bulk.BulkError, UnicodeDecodeError, OSError) as exc:
        raise click.UsageError(f"{display_path(data)}: {exc}") from None
    absent = [column for column in mapping.values() if column not in header]
    if absent and kind == "csv":
        raise click.UsageError(
            f"{display_path(data)} has no column '{absent[0]}'; it has {', '.join(header)}"
        )
    on_terminal = sys.stderr.isatty()

    def progress(count: int) -> None:
        if on_terminal and count % 50 == 0:
            click.echo(f"\rread {count:,} rows…", err=True, nl=False)

    report = bulk.import_rows(
        archive,
        rows,
        mapping,
        {**pairs, **fixed},
        settings,
        missing,
        rebuild_paragraphs=rebuild_paragraphs,
        progress=progress,
    )
    if on_terminal:
        click.echo("\r", err=True, nl=False)
    for path in report.written:
        click.echo(display_path(path))
    if report.written:  # before the summary, which stays the last line
        raw, _ = load_archive(archive)
        registry, _ = validate(raw, settings=settings)
        _suggest_for(report.written, registry)
    shown = display_path(data)
    for problem in sorted(report.refused, key=lambda p: p.number):
        click.echo(f"{shown}:{problem.number}: error: row {problem.number} {problem.message}", err=True)
    click.echo(
        f"Imported {len(report.written):,} articles from {shown}; skipped "
        f"{report.skipped:,} already archived; refused {len(report.refused):,} rows",
        err=True,
    )
    if report.refused:
        raise SystemExit(1)


def _pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise click.UsageError(f"'{text}' in --set is not FIELD=VALUE, such as language=en")
    return key.strip(), value.strip()


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(1)


@click.command("import")
@click.argument("file", required=False, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="A data set: a CSV file whose first row names the columns.",
)
@click.option(
    "--jsonl",
    "jsonl_file",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="A data set: a JSON Lines file, one object a line.",
)
@click.option(
    "--columns",
    metavar="FIELD=COLUMN,…",
    help="With --csv or --jsonl: which column fills which field, such as "
    "title=headline,date=date,url=link,body=body (body is the article's text).",
)
@click.option(
    "--set",
    "constants",
    multiple=True,
    metavar="FIELD=VALUE",
    help="With --csv or --jsonl: a field every row gets, such as language=en.",
)
@click.option(
    "--missing",
    multiple=True,
    metavar="TEXT",
    help="With --csv or --jsonl: a cell value that means 'no value', such as NA.",
)
@click.option(
    "--rebuild-paragraphs",
    is_flag=True,
    help="With --csv or --jsonl: the text is plain text whose paragraph breaks were lost; rebuild "
    "them (speaker labels, ' * * * ' breaks, a few sentences each) and say so in the front matter.",
)
@click.option("--title", help="The headline (required; an HTML page usually gives it).")
@click.option("--source", help="The publisher (required; an HTML page usually gives it).")
@click.option("--url", help="Address of the original article.")
@click.option(
    "--date", callback=_date_option, help="Publication date, YYYY-MM-DD (default: the date the copy gives)."
)
@click.option("--summary", help="One or two sentences on what the article reports.")
@click.option("--rights", help="Copyright or licence note for the text.")
@ARCHIVE_OPTION
@click.option("--dry-run", is_flag=True, help="Print the file it would write; write nothing.")
def import_command(
    file: Path | None,
    csv_file: Path | None,
    jsonl_file: Path | None,
    columns: str | None,
    constants: tuple[str, ...],
    missing: tuple[str, ...],
    rebuild_paragraphs: bool,
    title: str | None,
    source: str | None,
    url: str | None,
    date: str | None,
    summary: str | None,
    rights: str | None,
    archive: Path,
    dry_run: bool,
) -> None:
    """Turn a saved copy of an article (plain text or an HTML page) into an archive file.

    Plain text may start with a line `date YYYY-MM-DD`; paragraphs are separated by blank lines
    and short unpunctuated lines become `## ` section headings. From an HTML page the title,
    date, address, authors, publisher and the story's paragraphs and headings are taken.
    Publisher page furniture (share prompts, ad breaks, image-viewer labels, video titles,
    newsletter prompts) is dropped and listed on stderr; photo captions are kept, marked as
    captions; a closing 'with files from …' line is kept and its agencies go into `credits`.
    Options override what the copy says; a missing title, publisher or date is asked for on a
    terminal, and is a usage error otherwise.

    Writes archive/articles/YYYY/MM/<slug>.md (never over an existing file), prints its path,
    then the registry entities the text names and capitalised names that are not in the
    registry yet. Exits 1 when the file exists, the article is already archived, or the new
    file has a problem `archive check` reports.

    With --csv or --jsonl instead of FILE, imports a data set: --columns maps its columns to
    fields, --source, --rights and --set give fields every row gets. Rows already archived
    (the same address or text) are skipped; a row with a problem is reported with its number
    and the others are imported; a slug another article has gets -2, -3…. Prints each file
    written, then a summary; exits 1 when a row was refused.

    \b
    Example:
      archive import saved/peace-talks.txt --title "Russia says no breakthrough" --source Reuters
      archive import --csv kremlin.csv --columns title=headline,date=date,url=link,body=body \\
        --source "President of Russia" --rights "CC BY 4.0"
    """
    _require_root(archive)
    data = csv_file or jsonl_file
    if data is not None:
        if file is not None or (csv_file and jsonl_file):
            raise click.UsageError("give one FILE, --csv or --jsonl")
        fixed = {
            "source": source,
            "rights": rights,
            "title": title,
            "url": url,
            "date": date,
            "summary": summary,
        }
        _import_data_set(
            archive,
            data,
            "csv" if csv_file else "jsonl",
            columns,
            constants,
            {k: v for k, v in fixed.items() if v},
            frozenset(missing),
            dry_run,
            rebuild_paragraphs,
        )
        return
    if file is None:
        raise click.UsageError("give a FILE to import, or a data set with --csv or --jsonl")
    shown = file.as_posix()
    copy = importing.extract(_decode(file.read_bytes(), shown), file.name)
    if not copy.blocks:
        _fail(f"found no article text in {shown}")
    title = _ask(title or copy.title, "Title", "--title", f"{shown} has no title")
    source = _ask(source or copy.source, "Publisher", "--source", f"{shown} does not name its publisher")
    date = _ask(
        date or copy.date,
        "Publication date (YYYY-MM-DD)",
        "--date",
        f"{shown} has no date",
        convert=importing.normalize_date,
    )
    if dt.date.fromisoformat(date[:10]) > dt.date.today():
        _fail(f"the date {date[:10]} is in the future; pass --date YYYY-MM-DD")
    rel_path, text = importing.build_article(
        copy, title=title, date=date, source=source, url=url, summary=summary, rights=rights
    )
    target = archive / rel_path
    exists = f"{display_path(target)} already exists; pass another --title, or remove the file"
    if target.exists():
        _fail(exists)
    raw, _ = load_archive(archive)
    registry, _ = validate(raw, settings=archive_settings(DEFAULT_CONFIG))
    if duplicate := importing.find_duplicate(registry, url or copy.url, copy.markdown()):
        other, what = duplicate
        _fail(f"this article is already in the archive: {other.source_file.path} has the same {what}")
    _report_dropped(copy.dropped)
    if dry_run:
        click.echo(text, nl=False)
        click.echo(f"would write {display_path(target)} (dry run: nothing written)", err=True)
        return
    try:
        written = importing.write_article(archive, rel_path, text)
    except FileExistsError:
        _fail(exists)
    except OSError as exc:
        _fail(f"cannot write {display_path(target)}: {exc.strerror or exc}")
    click.echo(display_path(written))
    _report_names("\n".join([title, *(block.text for block in copy.blocks)]), registry)
    report = check_archive(archive, [written])
    for problem in report.problems:
        click.echo(problem.format(), err=True)
    if report.problems:
        click.echo(summary_line(report.problems, report.files), err=True)
    raise SystemExit(1 if report.errors else 0)


def _decode(data: bytes, shown: str) -> str:
    """UTF-8, else the charset an HTML page declares; anything else is the user's to fix."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    charset = importing.html_charset(data)
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    _fail(f"{shown} is not UTF-8; save it as UTF-8 and import it again")


def _report_dropped(lines: tuple[str, ...]) -> None:
    if lines:
        click.echo(f"dropped {len(lines)} lines of page furniture:", err=True)
    for line in lines:
        click.echo(f"  {line[:77] + '...' if len(line) > 80 else line}", err=True)


def _report_names(text: str, registry: Archive) -> None:
    found = importing.find_entities(text, registry.entities)
    click.echo(f"registry entities named in the text ({len(found)}):")
    for entity in found:
        click.echo(f"  {entity.id}")
    candidates = importing.find_candidates(text, registry.entities)
    click.echo(f"candidates for new entities ({len(candidates)}):")
    for name in candidates:
        click.echo(f"  {name}")
    looks = suggest([("", text)], registry.entities, min_items=1).look_alikes
    if looks:
        click.echo("spellings that look like a registry entity:")
    for look in looks:
        click.echo(f"  {look.spelling} -> {look.entity_id}? ({look.entity_name})")


def _suggest_for(written: list[Path], registry: Archive) -> None:
    """After a data set: the names its new articles use that the registry lacks."""
    texts = []
    for path in written:
        try:
            post = frontmatter.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, yaml.YAMLError):
            continue
        texts.append((display_path(path), f"{post.get('title', '')}\n\n{post.content}"))
    found = suggest(texts, registry.entities, min_items=2, limit=20)
    if found.new_names or found.look_alikes:
        print_suggestions(found, "in at least 2 new articles", err=True)


@click.command("new")
@ARCHIVE_OPTION
@click.option(
    "--slug",
    callback=_slug_option,
    help="File name without .md (default: from --title, else new-article, new-article-2, …).",
)
@click.option("--date", callback=_date_option, help="Publication date, YYYY-MM-DD (default: today).")
@click.option("--title", default="", help="The headline.")
@click.option("--source", default="", help="The publisher.")
def new_command(archive: Path, slug: str | None, date: str | None, title: str, source: str) -> None:
    """Write a blank article for you to fill in, and print its path.

    The file has the required fields (title, date, source), every optional field commented
    out with a line saying what it is for, and a placeholder paragraph. Until you fill in the
    title and source and replace the paragraph with the article's text, `archive check`
    reports them (as do example values left in). Never overwrites: an explicit --slug that
    is taken is an error (exit 1); a default one gets the next free number.

    \b
    Example:
      archive new --date 2022-03-30 --title "Russia says no breakthrough" --source Reuters
    """
    _require_root(archive)
    day = date or dt.date.today().isoformat()
    articles = archive / "articles"
    taken = {p.stem for p in articles.rglob("*.md")} if articles.is_dir() else set()
    if slug and slug in taken:
        _fail(f"the slug '{slug}' is already used by an article; pass another --slug")
    if not slug:
        base = slugify(title) if title.strip() else "new-article"
        slug = next(
            s for n in range(1, len(taken) + 2) if (s := base if n == 1 else f"{base}-{n}") not in taken
        )
    rel_path = importing.article_rel_path(day, slug)
    text = importing.new_template(day, slug, title, source)
    try:
        written = importing.write_article(archive, rel_path, text)
    except FileExistsError:
        _fail(f"{display_path(archive / rel_path)} already exists; pass another --slug")
    except OSError as exc:
        _fail(f"cannot write {display_path(archive / rel_path)}: {exc.strerror or exc}")
    click.echo(display_path(written))
    click.echo(f"edit it, then run `archive check {display_path(written)}`", err=True)
