"""`archive entities suggest`: what the archive names that the registry lacks, to grow it."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from ..check import validate
from ..importing.suggest import Suggestions, suggest
from ..read.load import load_archive
from .check import ARCHIVE_OPTION, DEFAULT_CONFIG, archive_settings


@click.group("entities")
def entities_command() -> None:
    """Work with the registry of people, places, organisations and events.

    \b
    Example:
      archive entities suggest --min-items 5
    """


@entities_command.command("suggest")
@ARCHIVE_OPTION
@click.option(
    "--min-items",
    default=3,
    show_default=True,
    type=click.IntRange(min=1),
    metavar="N",
    help="List a new name only when at least N articles use it.",
)
@click.option(
    "--limit",
    default=40,
    show_default=True,
    type=click.IntRange(min=1),
    metavar="N",
    help="List at most N new names.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON.")
def suggest_command(archive: Path, min_items: int, limit: int, as_json: bool) -> None:
    """List the names the archive's articles use most that no registry entity claims, with
    how many articles use each and the sentence of its first use; then the spellings that
    look like an entity's name ('Zelesnky -> volodymyr-zelenskyy?'), which are either
    misspellings in an article or aliases the entity lacks. Nothing is written.

    \b
    Example:
      archive entities suggest --min-items 5
    """
    if not archive.is_dir():
        raise click.UsageError(f"there is no archive folder at {archive}; pass --archive")
    raw, _ = load_archive(archive)
    registry, _ = validate(raw, settings=archive_settings(DEFAULT_CONFIG))
    texts = ((a.source_file.path, f"{a.title}\n\n{a.body}") for a in registry.articles)
    found = suggest(texts, registry.entities, min_items=min_items, limit=limit)
    if as_json:
        click.echo(json.dumps(asdict(found), ensure_ascii=False, indent=2))
        return
    print_suggestions(found, f"in at least {min_items} articles")


def print_suggestions(found: Suggestions, scope: str, err: bool = False) -> None:
    """The two lists as `archive entities suggest` and `archive import` print them (the import
    on standard error: its standard output lists the files it wrote)."""
    if found.new_names:
        click.echo(f"Names not in the registry, used {scope} (articles, first use):", err=err)
    else:
        click.echo(f"No name outside the registry is used {scope}.", err=err)
    for name in found.new_names:
        click.echo(f"{name.items:6,}  {name.name}", err=err)
        click.echo(f"        {name.where}: {name.example}", err=err)
    if found.look_alikes:
        click.echo("Spellings that look like a registry entity (a misspelling, or an alias to add):", err=err)
    for look in found.look_alikes:
        click.echo(f"{look.items:6,}  {look.spelling} -> {look.entity_id}? ({look.entity_name})", err=err)
        click.echo(f"        {look.where}: {look.example}", err=err)
