"""Raw documents -> frozen Articles and Entities, with every content mistake as a Problem.

Per-file rules come from the JSON Schemas in schema/ (which editors can use too); rules that
span the archive (duplicate slugs, URLs, bodies and aliases; unknown entity ids) live here.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
import jsonschema

from ..folding import clean_name, slugify
from ..link.dates import find_dates
from ..model import Archive, Article, Entity
from ..problems import Problem, Source, did_you_mean, error, quote, shorten, warning
from ..read.limits import markdown_problems
from ..read.load import RawArchive, RawDocument
from ..urls import normalize_url

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# Limits on one file, each a problem when broken (docs/schema.md, Limits). A slug or an id
# names files: articles/YYYY/MM/<slug>.md, entities/<id>/<page>.md and the like stay far below
# the 255 bytes a file name may have. Every distinct tag and every day the text names becomes
# a page, so one article may not add thousands; nor list more entities than a reader could use.
MAX_SLUG_LENGTH = 100
# Far more than any article or entity needs, and few enough that a file of a few megabytes of
# fields cannot make the check write a problem for each of them for minutes.
MAX_FIELDS = 100
MAX_TAGS = 100
MAX_LISTED_ENTITIES = 100
MAX_NAMED_DAYS = 1_000

# What `archive new` writes for the contributor to replace: importer.new_template writes it,
# and the check refuses whatever of it is left in.
TEMPLATE_BODY = ("Replace this paragraph with the text of the article ({slug}), one paragraph per "
                 "line with a blank line between, and section headings as `## Heading`.\n")
TEMPLATE_VALUES: dict[str, Any] = {
    "url": "https://www.example.com/news/2022/03/30/article",
    "authors": ["Jane Doe", "John Roe"],
    "summary": "Russia said the Istanbul talks brought no breakthrough; shelling went on.",
    "archive_url": "https://web.archive.org/web/2022/https://www.example.com/news/article",
    "rights": "© 2022 The Publisher. Kept for research.",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    text = resources.files("build_tools.check").joinpath("schema", f"{name}.schema.json").read_text("utf-8")
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

def bounded(doc: RawDocument, schema_name: str) -> tuple[RawDocument, list[Problem]]:
    """The document with at most MAX_FIELDS fields, and the problem of one that has more: the
    fields over the limit are reported once, not each as an unknown field. (Lists are cut to
    MAX_LIST_ITEMS when read.)"""
    if len(doc.data) <= MAX_FIELDS:
        return doc, []
    extra = list(doc.data)[MAX_FIELDS]
    problem = error(Source(doc.source.path, doc.line_of(extra)), "too-many-fields",
                    f"the file has {len(doc.data):,} fields; the limit is {MAX_FIELDS}",
                    "keep only the fields the format knows")
    known = load_schema(schema_name)["properties"]
    return replace(doc, data={k: v for k, v in doc.data.items() if k in known}), [problem]


_TYPE_WORDS = {"string": "text", "array": "a list", "object": "a mapping", "number": "a number",
               "integer": "a whole number", "boolean": "true or false", "null": "empty"}


def _describe(value: Any) -> str:
    """What a YAML value is, in a contributor's words (explicit tags such as `!!binary` or
    `!!timestamp` give values other than text, numbers, lists and mappings)."""
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "empty"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bytes):
        return "binary data (a '!!binary' value)"
    if isinstance(value, dt.datetime):
        return "a timestamp (a '!!timestamp' value)"
    if isinstance(value, dt.date):
        return "a date (a '!!timestamp' value)"
    if isinstance(value, (set, frozenset)):
        return "a set (a '!!set' value)"
    return f"a value of type {type(value).__name__}"


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
        label = f"'{key}'" if item is None else f"item {item + 1} of '{key}'"
        if err.validator in ("minimum", "maximum") and _non_finite(err.instance):
            continue  # said by value_problems, which finds a NaN too (it passes any range)
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
                                        f"unknown field {quote(extra)}", hint))
        elif err.validator in ("type", "anyOf") and key:
            expected = spec.get("type") or "text or a list"
            want = _TYPE_WORDS.get(expected, expected) if isinstance(expected, str) else expected
            if item is not None:
                items = spec.get("items", {})
                # A tuple schema ([latitude, longitude]) gives one spec per position.
                items = (items[item] if item < len(items) else {}) if isinstance(items, list) else items
                want = _TYPE_WORDS.get(items.get("type", ""), "text")
            if isinstance(err.instance, (bytes, dt.date, set, frozenset)):
                hint = "write it without a '!!' tag" + (f"; {hint}" if hint else "")
            problems.append(error(where, "wrong-type",
                                  f"{label} must be {want}, not {_describe(err.instance)}", hint))
        elif err.validator == "enum" and key:
            problems.append(error(where, "bad-value", f"'{key}' cannot be {quote(err.instance)}", hint))
        elif key:
            value = err.instance if isinstance(err.instance, (str, int, float)) else None
            # Quoted as written: repr would double every backslash of a Windows-style path.
            if value == "":
                problems.append(error(where, "bad-value", f"{label} is empty; it needs a value", hint))
            else:
                shown = f" value {quote(value)}" if value is not None else " value"
                problems.append(error(where, "bad-value", f"{label} has an invalid{shown}", hint))
        else:
            problems.append(error(where, "bad-value", shorten(err.message, 160)))
    return problems


def _non_finite(value: Any) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


# --- what the schema cannot say about a value --------------------------------------------

# C0 controls but tab and line feed, DEL, and C1 controls: invisible in an editor, and ESC
# or CSI can rewrite what a terminal shows when a problem or a page quotes the value.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {0x00: "null", 0x07: "bell", 0x08: "backspace", 0x0b: "vertical tab",
                  0x0c: "form feed", 0x0d: "carriage return", 0x1b: "escape", 0x7f: "delete",
                  0x85: "next line", 0x9b: "control sequence introducer"}
# Characters that show nothing: a value made only of them is blank, whatever its length.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
_FILLERS = frozenset("\u115f\u1160\u2800\u3164\uffa0")


def is_blank(text: str) -> bool:
    """Whether `text` shows nothing: only spaces, zero-width and other invisible characters."""
    return all(c.isspace() or c in _FILLERS or unicodedata.category(c) in _INVISIBLE_CATEGORIES
               for c in text)


def value_problems(doc: RawDocument, schema_name: str, failed: set[int]) -> list[Problem]:
    """Problems with the fields' values that JSON Schema cannot express: control characters,
    text that is blank though it looks filled in, numbers that are not finite. Lines in
    `failed` already have a schema error and are left alone."""
    props: dict[str, Any] = load_schema(schema_name)["properties"]
    problems = []
    for key, value in doc.data.items():
        spec = props.get(key)
        if spec is None:
            continue  # an unknown field: warned about, and never used
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for item, part in items:
            line = doc.line_of(key, item)
            if line in failed:
                continue
            where = Source(doc.source.path, line)
            label = f"'{key}'" if item is None else f"item {item + 1} of '{key}'"
            if isinstance(part, str):
                control = _CONTROL.search(part)
                if control:
                    code = ord(control.group())
                    name = _CONTROL_NAMES.get(code)
                    problems.append(error(where, "control-character",
                                          f"{label} holds the control character \\x{code:02x}"
                                          + (f" ({name})" if name else ""),
                                          "remove it: control characters are invisible, and some "
                                          "change what a terminal shows"))
                elif part and _needs_text(spec, item) and is_blank(part):
                    problems.append(error(where, "bad-value",
                                          f"{label} is blank (only spaces or invisible characters); "
                                          "it needs a value"))
            elif _non_finite(part):
                word = "not a number" if math.isnan(part) else "infinite"
                problems.append(error(where, "bad-value",
                                      f"{label} is {word} ({_yaml_float(part)})", spec.get("x-hint")))
    return problems


def _needs_text(spec: dict[str, Any], item: int | None) -> bool:
    """Whether the field (or, for a list item, its items) must hold some text: a minLength of
    1 in the schema (in any branch of an anyOf, as `credits` has)."""
    for branch in spec.get("anyOf", [spec]):
        target = branch.get("items") if item is not None else branch
        if isinstance(target, dict) and target.get("minLength", 0) >= 1:
            return True
    return False


def _yaml_float(value: float) -> str:
    return ".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf"


# --- entities ----------------------------------------------------------------------------

def _entity(doc: RawDocument, problems: list[Problem]) -> Entity | None:
    doc, found = bounded(doc, "entity")
    found += schema_problems(doc, "entity")
    found += value_problems(doc, "entity", {p.source.line for p in found if p.severity == "error"})
    entity_id = doc.rel_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if not SLUG.match(entity_id):
        found.append(error(doc.source, "bad-id",
                           f"entity id {quote(entity_id)} (the file name) must be lower-case words "
                           "joined by hyphens",
                           f"rename the file to {slugify(entity_id, MAX_SLUG_LENGTH)}.yml"))
    elif len(entity_id) > MAX_SLUG_LENGTH:
        found.append(error(doc.source, "id-too-long",
                           f"entity id {quote(entity_id)} (the file name) is {len(entity_id):,} "
                           f"characters long; the limit is {MAX_SLUG_LENGTH}",
                           f"rename the file to {shorten_slug(entity_id)}.yml"))
    problems += found
    if any(p.severity == "error" for p in found):
        return None
    data = doc.data
    aliases = tuple(clean_name(a) for a in data.get("aliases") or ())
    for i, alias in enumerate(aliases):
        if alias in aliases[:i] or alias == clean_name(data["name"]):
            problems.append(warning(Source(doc.source.path, doc.line_of("aliases", i)), "repeated-alias",
                                    f"alias {quote(alias)} is listed twice for '{entity_id}'", "remove one"))
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


def _duplicate_aliases(entities: list[Entity]) -> list[Problem]:
    """A name or alias of more than one entity, reported on every file that claims it: a pull
    request that adds the clash may change either file, and its reviewers see only those."""
    owners: dict[str, list[Entity]] = defaultdict(list)
    for entity in sorted(entities, key=lambda e: e.source.path):
        for name in entity.names:  # each once per entity
            owners[name].append(entity)
    problems = []
    for name, group in owners.items():
        for entity in group if len(group) > 1 else ():
            # The others name the first; the first names the second (and how many more).
            other = group[1] if entity is group[0] else group[0]
            more = f", and {len(group) - 2:,} more" if entity is group[0] and len(group) > 2 else ""
            line = dict(entity.name_lines).get(name, 1)
            problems.append(error(Source(entity.source.path, line), "duplicate-alias",
                                  f"{quote(name)} is also a name of '{other.id}' "
                                  f"({other.source.path}{more})",
                                  "an alias may belong to one entity only; keep it on the right one"))
    return problems


# --- articles ----------------------------------------------------------------------------

def _article(doc: RawDocument, known: set[str], today: dt.date,
             problems: list[Problem]) -> Article | None:
    doc, found = bounded(doc, "article")
    found += schema_problems(doc, "article")
    data = doc.data
    at = lambda key, item=None: Source(doc.source.path, doc.line_of(key, item))  # noqa: E731
    failed = {p.source.line for p in found if p.severity == "error"}
    found += value_problems(doc, "article", failed)

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
                           f"file name {quote(slug + '.md')} must be lower-case words joined by hyphens",
                           f"rename it to {slugify(slug, MAX_SLUG_LENGTH)}.md"))
    else:
        if len(slug) > MAX_SLUG_LENGTH:
            found.append(error(doc.source, "slug-too-long",
                               f"file name {quote(slug + '.md')} is {len(slug):,} characters long "
                               f"without .md; the limit is {MAX_SLUG_LENGTH}",
                               f"rename it to {shorten_slug(slug)}.md"))
        if day is not None:
            expected = f"articles/{day.year:04d}/{day.month:02d}/{slug}.md"
            if doc.rel_path != expected:
                found.append(error(at("date"), "wrong-folder",
                                   f"is dated {day.isoformat()} but is not in "
                                   f"articles/{day.year:04d}/{day.month:02d}/",
                                   f"move it to {expected}"))

    found += _entity_list_problems(doc, known)
    found += _tag_problems(doc)
    found += _placeholder_problems(doc)

    if not doc.body.strip():
        found.append(error(Source(doc.source.path, doc.body_line), "empty-body",
                           "the article has no text after the front matter",
                           "paste the article's text below the closing '---'"))
    body = unicodedata.normalize("NFC", doc.body)
    start = Source(doc.source.path, doc.body_line)
    found += markdown_problems(doc.body, start)
    found += image_problems(doc.body, start)
    if day is not None:
        found += _named_days_problems(body, day, start)

    problems += found
    if any(p.severity == "error" for p in found) or day is None:
        return None
    credits = data.get("credits") or ()
    return Article(
        slug=slug, path=doc.rel_path, source_file=doc.source,
        title=clean_name(data["title"]), date=day, published=published,
        source=clean_name(data["source"]), body=body,
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


def _entity_list_problems(doc: RawDocument, known: set[str]) -> list[Problem]:
    """`entities` and `not_entities`: at most MAX_LISTED_ENTITIES each, every id in the
    registry, none in both. (A list cut short when read has its own problem.)"""
    data = doc.data
    at = lambda key, item=None: Source(doc.source.path, doc.line_of(key, item))  # noqa: E731
    found = []
    for key in ("entities", "not_entities"):
        ids = data.get(key)
        if not isinstance(ids, list) or key in doc.cut:
            continue
        if len(ids) > MAX_LISTED_ENTITIES:
            found.append(error(at(key, MAX_LISTED_ENTITIES), "too-many-entities",
                               f"'{key}' lists {len(ids):,} entities; the limit is "
                               f"{MAX_LISTED_ENTITIES}",
                               "list only the entities the article is about"))
            continue  # not each of thousands of ids, with a suggestion for each
        for i, entity_id in enumerate(ids):
            if isinstance(entity_id, str) and SLUG.match(entity_id) and entity_id not in known:
                found.append(error(at(key, i), "unknown-entity",
                                   f"{quote(entity_id)} is not in the registry",
                                   did_you_mean(entity_id, known) or "add it under archive/entities/ first"))
    if isinstance(data.get("entities"), list) and isinstance(data.get("not_entities"), list):
        both = set(map(str, data["entities"])) & set(map(str, data["not_entities"]))
        for entity_id in sorted(both):
            found.append(error(at("not_entities"), "contradictory-entity",
                               f"{quote(entity_id)} is in both 'entities' and 'not_entities'", "keep one"))
    return found


def _tag_problems(doc: RawDocument) -> list[Problem]:
    """At most MAX_TAGS different tags (each is a page of the site)."""
    tags = doc.data.get("tags")
    if not isinstance(tags, list) or len(tags) <= MAX_TAGS or "tags" in doc.cut:
        return []
    distinct: dict[str, None] = {}
    first_over = 0
    for i, tag in enumerate(tags):
        if isinstance(tag, str):
            distinct.setdefault(clean_name(tag), None)
            if len(distinct) == MAX_TAGS + 1:
                first_over = i
    if len(distinct) <= MAX_TAGS:
        return []
    return [error(Source(doc.source.path, doc.line_of("tags", first_over)), "too-many-tags",
                  f"the article has {len(distinct):,} different tags; the limit is {MAX_TAGS}",
                  "keep the tags that say what the article is about")]


# A day named in the text comes from a number ("24 February", "2022-02-24", "24/02/2022", "3
# days ago"), except those that weekdays and words such as "yesterday" name: fewer than this
# many days around publication. So a text with few numbers cannot name many days, and only a
# text with many is given to the date finder here (the link stage finds its dates anyway).
_WORDS_NAME_AT_MOST = 64
_NUMBER = re.compile(r"\d+")  # as the date finder reads them: any script's digits
_ASCII_DIGITS = b"0123456789"


def _may_name_many_days(body: str) -> bool:
    """Whether `body` has enough numbers to name more than MAX_NAMED_DAYS days. Counting them
    with a regex takes as long as the rest of the check of a file, so first an upper bound
    that costs almost nothing: its ASCII digits plus its characters outside ASCII (where any
    other digits are)."""
    data = body.encode("utf-8")
    bound = len(data) - len(data.translate(None, _ASCII_DIGITS)) + len(data) - len(body)
    if bound + _WORDS_NAME_AT_MOST <= MAX_NAMED_DAYS:
        return False
    return len(_NUMBER.findall(body)) + _WORDS_NAME_AT_MOST > MAX_NAMED_DAYS


def _named_days_problems(body: str, published: dt.date, start: Source) -> list[Problem]:
    """At most MAX_NAMED_DAYS different days named in the text (each is a page of the site)."""
    if not _may_name_many_days(body):
        return []
    days: set[dt.date] = set()
    first_over = None
    for ref in find_dates(body, published):
        if ref.granularity == "day" and ref.value not in days:
            days.add(ref.value)
            if len(days) == MAX_NAMED_DAYS + 1:
                first_over = ref
    if first_over is None:
        return []
    line = start.line + body.count("\n", 0, first_over.start)
    return [error(Source(start.path, line), "too-many-dates",
                  f"the text names {len(days):,} different days; the limit is "
                  f"{MAX_NAMED_DAYS:,}, as each day named gets a page (day {MAX_NAMED_DAYS + 1:,} "
                  f"is {quote(first_over.text)}, here)",
                  "keep only the article's own text, not a table of dates")]


def _placeholder_problems(doc: RawDocument) -> list[Problem]:
    """Text that `archive new` wrote for the contributor to replace, left in."""
    found = []
    for key, example in TEMPLATE_VALUES.items():
        if doc.data.get(key) == example:
            found.append(error(Source(doc.source.path, doc.line_of(key)), "placeholder",
                               f"'{key}' is still the example that `archive new` wrote",
                               "write the article's own, or delete the line"))
    match = _TEMPLATE_BODY.search(doc.body)
    if match:
        line = doc.body_line + doc.body.count("\n", 0, match.start())
        found.append(error(Source(doc.source.path, line), "placeholder",
                           "the text is still the paragraph that `archive new` wrote",
                           "replace it with the article's text"))
    return found


# The template's paragraph up to the slug, however the lines were wrapped since.
_TEMPLATE_BODY = re.compile(r"\s+".join(map(re.escape, TEMPLATE_BODY.split("{slug}")[0].split())))


# --- images ------------------------------------------------------------------------------

# The site shows an image only from a web address (sanitize keeps no other `src`): a file
# beside the article, a data: URL or a path on the site are dropped when the page is made.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)
_INLINE_IMAGE = re.compile(r"!\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\]\(\s*(<[^>\n]*>|[^\s)]+)")
_REFERENCE_IMAGE = re.compile(r"!\[((?:[^\[\]\\]|\\.)*)\](?:\s?\[((?:[^\[\]\\]|\\.)*)\])?")
_DEFINITION = re.compile(r"^ {0,3}\[((?:[^\[\]\\]|\\.)+)\]:[ \t]*\n?[ \t]*(<[^>\n]*>|\S+)", re.M)
# Bounded, so that many '<img' with no '>' cannot make the search quadratic.
_HTML_IMAGE = re.compile(r"<img\b[^>]{0,2000}?\bsrc\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I)


def image_problems(body: str, start: Source) -> list[Problem]:
    """Every image in the text whose source is not an http(s) address, on its line."""
    if "![" not in body and "<img" not in body.lower():
        return []
    # Code is shown as written, never as an image, and comments not at all: fenced blocks and
    # comments are blanked out (keeping every line break); an image after an odd number of
    # backticks on its line is in a code span.
    text = _COMMENT.sub(_blank, _FENCE.sub(_blank, body))
    sources = [(m.start(), m.group(1)) for m in _INLINE_IMAGE.finditer(text)]
    sources += [(m.start(), m.group(1)) for m in _HTML_IMAGE.finditer(text)
                if not _inside_tag(text, m.start())]
    labels = {_label(m.group(2) or m.group(1)) for m in _REFERENCE_IMAGE.finditer(text)}
    sources += [(m.start(2), m.group(2)) for m in _DEFINITION.finditer(text)
                if _label(m.group(1)) in labels]
    problems: dict[tuple[int, str], Problem] = {}  # one per image source on a line
    line, ticks, at = start.line, 0, 0  # the line at `at`, and its backtick runs before `at`
    for offset, written in sorted(sources):
        between = text[at:offset]
        if "\n" in between:
            line += between.count("\n")
            ticks = len(_BACKTICKS.findall(between, between.rfind("\n")))
        else:
            ticks += len(_BACKTICKS.findall(between))
        at = offset
        src = written.strip("<>\"'").strip()
        if (ticks % 2 == 0 and (line, src) not in problems
                and not src.lower().startswith(("http://", "https://"))):
            problems[line, src] = warning(Source(start.path, line), "bad-image",
                                          f"image {quote(src)} is not a web address (http:// or "
                                          "https://); the site leaves it out",
                                          "link the image at its https:// address, or remove it")
    return list(problems.values())


_BACKTICKS = re.compile(r"`+")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)


def _inside_tag(text: str, at: int) -> bool:
    """Whether `at` is inside another tag (`<abbr title="<img src=x>">`): such an '<img' is
    the text of an attribute, not an image."""
    window = max(0, at - 2_000)
    return text.rfind("<", window, at) > text.rfind(">", window, at)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group())


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def shorten_slug(slug: str) -> str:
    """A slug cut to MAX_SLUG_LENGTH characters at a hyphen where one is near."""
    if len(slug) <= MAX_SLUG_LENGTH:
        return slug
    cut = slug[:MAX_SLUG_LENGTH + 1].rsplit("-", 1)[0]
    return cut if len(cut) >= MAX_SLUG_LENGTH // 2 else slug[:MAX_SLUG_LENGTH].rstrip("-")


def parse_date(text: str) -> tuple[dt.date | None, dt.datetime | None, str | None]:
    """'2022-03-30' or an ISO date-time with offset -> (day, timestamp, None), or a reason."""
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text), None, None
        stamp = dt.datetime.fromisoformat(text.replace(" ", "T", 1).replace("Z", "+00:00"))
    except ValueError:
        return None, None, f"'{text}' is not a calendar date"
    return stamp.date(), stamp, None


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
