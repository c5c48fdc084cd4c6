"""Raw documents -> frozen Articles and Entities, with every content mistake as a Problem.

Per-file rules come from the JSON Schemas in schema/ (which editors can use too); rules that
span the archive (duplicate slugs, URLs, bodies and aliases; unknown entity ids) live here.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
import jsonschema

from .limits import markdown_problems
from .load import RawArchive, RawDocument
from .model import Archive, Article, Entity
from .problems import Problem, Source, did_you_mean, error, warning
from .sanitize import sanitize_html
from .urls import normalize_url

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


@cache
def load_schema(name: str) -> dict[str, Any]:
    text = resources.files("build_tools").joinpath("schema", f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def _quick_check(name: str) -> Callable[[Any], Any]:
    """The schema compiled to Python by fastjsonschema: a yes/no answer ~50 times faster than
    jsonschema, which is asked for the detailed problems only when this says no."""
    return fastjsonschema.compile(load_schema(name))


def _passes(name: str, data: Any) -> bool:
    try:
        _quick_check(name)(data)
    except Exception:  # any doubt (odd YAML types included): let jsonschema explain
        return False
    return True


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def validate(raw: RawArchive, today: dt.date | None = None) -> tuple[Archive, list[Problem]]:
    today = today or dt.date.today()
    problems: list[Problem] = []
    entities = _unique_ids([e for doc in raw.entities if (e := _entity(doc, problems)) is not None],
                           problems)
    problems += _duplicate_aliases(entities)
    known = {e.id for e in entities}
    articles = [a for doc in raw.articles if (a := _article(doc, known, today, problems)) is not None]
    problems += _duplicates(articles)
    articles.sort(key=lambda a: (a.published or _midnight(a.date), a.date, a.slug))
    entities.sort(key=lambda e: e.id)
    return Archive(tuple(articles), tuple(entities)), problems


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


# --- schema ------------------------------------------------------------------------------

_TYPE_WORDS = {"string": "text", "array": "a list", "object": "a mapping", "number": "a number",
               "integer": "a whole number", "boolean": "true or false", "null": "empty"}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "empty"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


def schema_problems(doc: RawDocument, schema_name: str) -> list[Problem]:
    """Every way `doc.data` breaks its schema, as Problems on the right lines."""
    if _passes(schema_name, doc.data):
        return []
    schema = load_schema(schema_name)
    props: dict[str, Any] = schema["properties"]
    problems = []
    for err in _validator(schema_name).iter_errors(doc.data):
        path = list(err.absolute_path)
        key = str(path[0]) if path else None
        item = path[1] if len(path) > 1 and isinstance(path[1], int) else None
        line = doc.line_of(key, item) if key else doc.source.line
        where = Source(doc.source.path, line)
        spec = props.get(key or "", {})
        hint = spec.get("x-hint")
        if err.validator == "required":
            missing = re.findall(r"'([^']+)' is a required property", err.message)
            name = missing[0] if missing else err.message
            described = props.get(name, {}).get("description")
            problems.append(error(where, "missing-field", f"required field '{name}' is missing",
                                  f"add a line '{name}: …'"
                                  + (f" ({described.rstrip('.')})" if described else "")))
        elif err.validator == "additionalProperties" and not path:
            for extra in sorted(set(doc.data) - set(props)):
                hint = did_you_mean(extra, props) or f"known fields: {', '.join(props)}"
                problems.append(warning(Source(doc.source.path, doc.line_of(extra)), "unknown-key",
                                        f"unknown field '{extra}'", hint))
        elif err.validator in ("type", "anyOf") and key:
            expected = spec.get("type") or "text or a list"
            want = _TYPE_WORDS.get(expected, expected) if isinstance(expected, str) else expected
            label = f"'{key}'" if item is None else f"item {item + 1} of '{key}'"
            if item is not None:
                items = spec.get("items", {})
                # A tuple schema ([latitude, longitude]) gives one spec per position.
                items = (items[item] if item < len(items) else {}) if isinstance(items, list) else items
                want = _TYPE_WORDS.get(items.get("type", ""), "text")
            problems.append(error(where, "wrong-type",
                                  f"{label} must be {want}, not {_describe(err.instance)}", hint))
        elif err.validator == "enum" and key:
            problems.append(error(where, "bad-value", f"'{key}' cannot be {err.instance!r}", hint))
        elif key:
            label = f"'{key}'" if item is None else f"item {item + 1} of '{key}'"
            value = err.instance if isinstance(err.instance, (str, int, float)) else None
            # Quoted as written: repr would double every backslash of a Windows-style path.
            shown = (f" value '{value}'" if isinstance(value, str) else f" value {value!r}"
                     ) if value is not None and value != "" else " value"
            if value == "":
                shown = " is empty;"
                problems.append(error(where, "bad-value", f"{label}{shown} it needs a value", hint))
            else:
                problems.append(error(where, "bad-value", f"{label} has an invalid{shown}", hint))
        else:
            problems.append(error(where, "bad-value", err.message))
    return problems


# --- entities ----------------------------------------------------------------------------

def _entity(doc: RawDocument, problems: list[Problem]) -> Entity | None:
    found = schema_problems(doc, "entity")
    entity_id = doc.rel_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if not SLUG.match(entity_id):
        found.append(error(doc.source, "bad-id",
                           f"entity id '{entity_id}' (the file name) must be lower-case words "
                           "joined by hyphens",
                           f"rename the file to {_slugify(entity_id)}.yml"))
    problems += found
    if any(p.severity == "error" for p in found):
        return None
    data = doc.data
    aliases = tuple(clean_name(a) for a in data.get("aliases") or ())
    for i, alias in enumerate(aliases):
        if alias in aliases[:i] or alias == clean_name(data["name"]):
            problems.append(warning(Source(doc.source.path, doc.line_of("aliases", i)), "repeated-alias",
                                    f"alias '{alias}' is listed twice for '{entity_id}'", "remove one"))
    coords = data.get("coordinates")
    return Entity(
        id=entity_id, type=data["type"], name=clean_name(data["name"]), aliases=aliases,
        description=data["description"].strip(), source=doc.source,
        wikidata=data.get("wikidata"),
        name_lines=tuple([(clean_name(data["name"]), doc.line_of("name"))]
                         + [(a, doc.line_of("aliases", i)) for i, a in reversed(list(enumerate(aliases)))]),
        coordinates=(float(coords[0]), float(coords[1])) if coords else None,
    )


def _unique_ids(entities: list[Entity], problems: list[Problem]) -> list[Entity]:
    """The first entity (by path) of each id: two files of one name in different folders of
    archive/entities/ would otherwise both become that id's page."""
    first: dict[str, Entity] = {}
    for entity in sorted(entities, key=lambda e: e.source.path):
        other = first.setdefault(entity.id, entity)
        if other is not entity:
            problems.append(error(entity.source, "duplicate-id",
                                  f"entity id '{entity.id}' (the file name) is also used by "
                                  f"{other.source.path}", "give one of the files another name"))
    return list(first.values())


def clean_name(text: str) -> str:
    """Names compare equal whatever their Unicode form or invisible characters."""
    return unicodedata.normalize("NFC", text.translate(ZERO_WIDTH)).strip()


def _duplicate_aliases(entities: list[Entity]) -> list[Problem]:
    owners: dict[str, Entity] = {}
    problems = []
    for entity in sorted(entities, key=lambda e: e.source.path):
        lines = dict(entity.name_lines)
        for name in entity.names:
            other = owners.setdefault(name, entity)
            if other.id != entity.id:
                problems.append(error(Source(entity.source.path, lines.get(name, 1)), "duplicate-alias",
                                      f"'{name}' is also a name of '{other.id}' ({other.source.path})",
                                      "an alias may belong to one entity only; keep it on the right one"))
    return problems


# --- articles ----------------------------------------------------------------------------

def _article(doc: RawDocument, known: set[str], today: dt.date,
             problems: list[Problem]) -> Article | None:
    found = schema_problems(doc, "article")
    data = doc.data
    at = lambda key, item=None: Source(doc.source.path, doc.line_of(key, item))  # noqa: E731
    failed = {p.source.line for p in found if p.severity == "error"}

    day = published = None
    if isinstance(data.get("date"), str) and doc.line_of("date") not in failed:
        day, published, why = parse_date(data["date"])
        if why:
            found.append(error(at("date"), "bad-date", why, "use a real calendar date, YYYY-MM-DD"))
        elif day is not None and day > today:
            found.append(error(at("date"), "future-date",
                               f"date {day.isoformat()} is in the future", "check the year and month"))

    retrieved = None
    if isinstance(data.get("retrieved"), str) and doc.line_of("retrieved") not in failed:
        retrieved, _, why = parse_date(data["retrieved"])
        if why:
            found.append(error(at("retrieved"), "bad-date", why, "use a real calendar date, YYYY-MM-DD"))
        elif retrieved and retrieved > today:
            found.append(error(at("retrieved"), "future-date",
                               f"retrieved date {retrieved.isoformat()} is in the future"))
        elif retrieved and day and retrieved < day:
            found.append(warning(at("retrieved"), "retrieved-before-published",
                                 f"retrieved {retrieved.isoformat()} is before the publication "
                                 f"date {day.isoformat()}"))

    slug = doc.rel_path.rsplit("/", 1)[-1][: -len(".md")]
    if not SLUG.match(slug):
        found.append(error(doc.source, "bad-slug",
                           f"file name '{slug}.md' must be lower-case words joined by hyphens",
                           f"rename it to {_slugify(slug)}.md"))
    elif day is not None:
        expected = f"articles/{day.year:04d}/{day.month:02d}/{slug}.md"
        if doc.rel_path != expected:
            found.append(error(at("date"), "wrong-folder",
                               f"is dated {day.isoformat()} but is not in "
                               f"articles/{day.year:04d}/{day.month:02d}/",
                               f"move it to {expected}"))

    for key in ("entities", "not_entities"):
        ids = data.get(key)
        if not isinstance(ids, list):
            continue
        for i, entity_id in enumerate(ids):
            if isinstance(entity_id, str) and SLUG.match(entity_id) and entity_id not in known:
                found.append(error(at(key, i), "unknown-entity",
                                   f"'{entity_id}' is not in the registry",
                                   did_you_mean(entity_id, known) or "add it under archive/entities/ first"))
    if isinstance(data.get("entities"), list) and isinstance(data.get("not_entities"), list):
        both = set(map(str, data["entities"])) & set(map(str, data["not_entities"]))
        for entity_id in sorted(both):
            found.append(error(at("not_entities"), "contradictory-entity",
                               f"'{entity_id}' is in both 'entities' and 'not_entities'", "keep one"))

    if not doc.body.strip():
        found.append(error(Source(doc.source.path, doc.body_line), "empty-body",
                           "the article has no text after the front matter",
                           "paste the article's text below the closing '---'"))
    found += markdown_problems(doc.body, Source(doc.source.path, doc.body_line))

    problems += found
    if any(p.severity == "error" for p in found) or day is None:
        return None
    credits = data.get("credits") or ()
    return Article(
        slug=slug, path=doc.rel_path, source_file=doc.source,
        title=clean_name(data["title"]), date=day, published=published,
        # Raw HTML is cut down to the safe subset here, so that every later stage (mentions,
        # snippets, pages, search) sees only what a reader may see.
        source=clean_name(data["source"]), body=sanitize_html(unicodedata.normalize("NFC", doc.body)),
        body_line=doc.body_line, url=data.get("url"),
        authors=tuple(clean_name(a) for a in data.get("authors") or ()),
        language=data.get("language") or "en", summary=data.get("summary"),
        tags=tuple(clean_name(t) for t in data.get("tags") or ()),
        entities=tuple(data.get("entities") or ()),
        not_entities=tuple(data.get("not_entities") or ()),
        retrieved=retrieved, archive_url=data.get("archive_url"), rights=data.get("rights"),
        credits=(clean_name(credits),) if isinstance(credits, str) else tuple(map(clean_name, credits)),
        field_lines=tuple(doc.key_lines.items()),
    )


def parse_date(text: str) -> tuple[dt.date | None, dt.datetime | None, str | None]:
    """'2022-03-30' or an ISO date-time with offset -> (day, timestamp, None), or a reason."""
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text), None, None
        stamp = dt.datetime.fromisoformat(text.replace(" ", "T", 1).replace("Z", "+00:00"))
    except ValueError:
        return None, None, f"'{text}' is not a calendar date"
    return stamp.date(), stamp, None


def _slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "untitled"


def _duplicates(articles: list[Article]) -> list[Problem]:
    problems: list[Problem] = []
    rules: list[tuple[str, Callable[[Article], str | None], str, Callable[[Article], int]]] = [
        ("duplicate-slug", lambda a: a.slug, "slug '{}' is also used by {}",
         lambda a: a.source_file.line),
        ("duplicate-url", lambda a: normalize_url(a.url) if a.url else None,
         "has the same url as {1}", lambda a: a.line_of("url")),
        ("duplicate-body", lambda a: body_fingerprint(a.body), "has the same text as {1}",
         lambda a: a.body_line),
    ]
    for code, key_of, template, line_of in rules:
        groups: dict[str, list[Article]] = defaultdict(list)
        for article in articles:
            key = key_of(article)
            if key:
                groups[key].append(article)
        for key, group in groups.items():
            if len(group) < 2:
                continue
            group.sort(key=lambda a: a.source_file.path)
            first = group[0]
            for article in group[1:]:
                problems.append(error(Source(article.source_file.path, line_of(article)), code,
                                      template.format(key, first.source_file.path),
                                      "keep one copy" if code != "duplicate-slug"
                                      else "give one of the files another name"))
    return problems


def body_fingerprint(body: str) -> str:
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()


def problems_in(problems: Iterable[Problem], paths: set[str]) -> list[Problem]:
    return [p for p in problems if p.source.path in paths]
