"""Raw documents -> frozen Articles and Entities, with every content mistake as a Problem.

Per-file rules come from the JSON Schemas in schema/ (which editors can use too); rules that
span the archive live here (unknown entity ids) and in duplicates.py (duplicate slugs, URLs,
bodies and aliases).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ..folding import clean_name, slugify
from ..memo import Memo
from ..model import Archive, Article, Entity
from ..problems import Problem, Source, did_you_mean, error, quote, warning
from ..read.load import RawArchive, RawDocument
from ..settings import DEFAULT, Settings
from .content import markup_problems_ahead, placeholder_problems, text_problems
from .duplicates import duplicate_aliases, duplicate_articles
from .fields import article_schema, bounded, entity_schema, schema_problems, value_problems

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# Limits on one file, each a problem when broken (docs/schema.md, Limits). A slug or an id
# names files: articles/YYYY/MM/<slug>.md, entities/<id>/<page>.md and the like stay far below
# the 255 bytes a file name may have. Every distinct tag and every day the text names becomes
# a page, so one article may not add thousands; nor list more entities than a reader could use.
MAX_SLUG_LENGTH = 100
MAX_TAGS = 100
MAX_LISTED_ENTITIES = 100


def validate(
    raw: RawArchive, today: dt.date | None = None, settings: Settings = DEFAULT, memo: Memo | None = None
) -> tuple[Archive, list[Problem]]:
    """The archive's articles and entities from their parsed files, and every problem found;
    with a memo, the problems of an article's text are kept between builds (see content.text_problems)."""
    today = today or dt.date.today()
    problems: list[Problem] = []
    schema = entity_schema(settings.kind_ids)
    terms = tuple(g.key for g in settings.extra_groupings)
    entities = _unique_ids(
        [e for doc in raw.entities if (e := _entity(doc, schema, problems)) is not None], problems
    )
    problems += duplicate_aliases(entities)
    known = {e.id for e in entities}
    # A first build (nothing kept) works out the articles' markup problems on every core.
    first = memo is None or memo.empty()
    fingerprints: dict[str, str] = {}
    with markup_problems_ahead(raw.articles if first else ()) as ahead:
        articles = [
            a
            for number, doc in enumerate(raw.articles)
            if (
                a := _article(
                    doc, known, today, terms, problems, fingerprints, memo, ahead(number) if ahead else None
                )
            )
            is not None
        ]
    problems += duplicate_articles(articles, fingerprints)
    articles.sort(key=lambda a: (a.published or _midnight(a.date), a.date, a.slug))
    entities.sort(key=lambda e: e.id)
    return Archive(tuple(articles), tuple(entities)), problems


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


# --- entities ----------------------------------------------------------------------------


def _entity(doc: RawDocument, schema: str, problems: list[Problem]) -> Entity | None:
    doc, found = bounded(doc, schema)
    found += schema_problems(doc, schema)
    found += value_problems(doc, schema, {p.source.line for p in found if p.severity == "error"})
    entity_id = doc.rel_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if not SLUG.match(entity_id):
        found.append(
            error(
                doc.source,
                "bad-id",
                f"entity id {quote(entity_id)} (the file name) must be lower-case words joined by hyphens",
                f"rename the file to {slugify(entity_id, MAX_SLUG_LENGTH)}.yml",
            )
        )
    elif len(entity_id) > MAX_SLUG_LENGTH:
        found.append(
            error(
                doc.source,
                "id-too-long",
                f"entity id {quote(entity_id)} (the file name) is {len(entity_id):,} "
                f"characters long; the limit is {MAX_SLUG_LENGTH}",
                f"rename the file to {shorten_slug(entity_id)}.yml",
            )
        )
    problems += found
    if any(p.severity == "error" for p in found):
        return None
    data = doc.data
    aliases = tuple(clean_name(a) for a in data.get("aliases") or ())
    for i, alias in enumerate(aliases):
        if alias in aliases[:i] or alias == clean_name(data["name"]):
            problems.append(
                warning(
                    Source(doc.source.path, doc.line_of("aliases", i)),
                    "repeated-alias",
                    f"alias {quote(alias)} is listed twice for '{entity_id}'",
                    "remove one",
                )
            )
    coords = data.get("coordinates")
    period = _period(doc, problems)
    return Entity(
        id=entity_id,
        type=data["type"],
        name=clean_name(data["name"]),
        aliases=aliases,
        description=data["description"].strip(),
        source=doc.source,
        wikidata=data.get("wikidata"),
        name_lines=tuple(
            [(clean_name(data["name"]), doc.line_of("name"))]
            + [(a, doc.line_of("aliases", i)) for i, a in reversed(list(enumerate(aliases)))]
        ),
        coordinates=(float(coords[0]), float(coords[1])) if coords else None,
        period=period,
    )


def _period(doc: RawDocument, problems: list[Problem]) -> tuple[dt.date, dt.date] | None:
    """An entity's `start` and `end` days (end defaults to start), or None with the problem."""
    data = doc.data
    days: dict[str, dt.date] = {}
    for key in ("start", "end"):
        if isinstance(data.get(key), str):
            day, _, why = parse_date(data[key])
            if why or day is None:
                problems.append(
                    error(
                        Source(doc.source.path, doc.line_of(key)),
                        "bad-date",
                        why or f"'{data[key]}' is not a calendar date",
                        "use a real calendar date, YYYY-MM-DD",
                    )
                )
                return None
            days[key] = day
    if "start" not in days:
        if "end" in days:
            problems.append(
                error(
                    Source(doc.source.path, doc.line_of("end")),
                    "end-without-start",
                    "'end' is given without 'start'",
                    "add the first day as start: YYYY-MM-DD",
                )
            )
        return None
    start, end = days["start"], days.get("end", days["start"])
    if end < start:
        problems.append(
            error(
                Source(doc.source.path, doc.line_of("end")),
                "end-before-start",
                f"end {end.isoformat()} is before start {start.isoformat()}",
                "swap the two days",
            )
        )
        return None
    return start, end


def _unique_ids(entities: list[Entity], problems: list[Problem]) -> list[Entity]:
    """The first entity (by path) of each id: two files of one name in different folders of
    archive/entities/ would otherwise both become that id's page."""
    first: dict[str, Entity] = {}
    for entity in sorted(entities, key=lambda e: e.source.path):
        other = first.setdefault(entity.id, entity)
        if other is not entity:
            problems.append(
                error(
                    entity.source,
                    "duplicate-id",
                    f"entity id '{entity.id}' (the file name) is also used by {other.source.path}",
                    "give one of the files another name",
                )
            )
    return list(first.values())


# --- articles ----------------------------------------------------------------------------


def _article(
    doc: RawDocument,
    known: set[str],
    today: dt.date,
    groupings: tuple[str, ...],
    problems: list[Problem],
    fingerprints: dict[str, str],
    memo: Memo | None = None,
    markup: list[Problem] | None = None,
) -> Article | None:
    """The article of `doc`, or None when it has an error; its problems are added to `problems`
    and its body's fingerprint to `fingerprints`, by its path."""
    schema = article_schema(groupings)
    doc, found = bounded(doc, schema)
    found += schema_problems(doc, schema)
    data = doc.data
    at = lambda key, item=None: Source(doc.source.path, doc.line_of(key, item))  # noqa: E731
    failed = {p.source.line for p in found if p.severity == "error"}
    found += value_problems(doc, schema, failed)

    day = published = None
    if isinstance(data.get("date"), str) and doc.line_of("date") not in failed:
        day, published, why = parse_date(data["date"])
        if why:
            found.append(error(at("date"), "bad-date", why, "use a real calendar date, YYYY-MM-DD"))
        elif day is not None and day > today:
            found.append(
                error(
                    at("date"),
                    "future-date",
                    f"date {day.isoformat()} is in the future",
                    "check the year and month",
                )
            )

    retrieved = None
    if isinstance(data.get("retrieved"), str) and doc.line_of("retrieved") not in failed:
        retrieved, _, why = parse_date(data["retrieved"])
        if why:
            found.append(error(at("retrieved"), "bad-date", why, "use a real calendar date, YYYY-MM-DD"))
        elif retrieved and retrieved > today:
            found.append(
                error(
                    at("retrieved"), "future-date", f"retrieved date {retrieved.isoformat()} is in the future"
                )
            )
        elif retrieved and day and retrieved < day:
            found.append(
                warning(
                    at("retrieved"),
                    "retrieved-before-published",
                    f"retrieved {retrieved.isoformat()} is before the publication date {day.isoformat()}",
                )
            )

    slug = doc.rel_path.rsplit("/", 1)[-1][: -len(".md")]
    if not SLUG.match(slug):
        found.append(
            error(
                doc.source,
                "bad-slug",
                f"file name {quote(slug + '.md')} must be lower-case words joined by hyphens",
                f"rename it to {slugify(slug, MAX_SLUG_LENGTH)}.md",
            )
        )
    else:
        if len(slug) > MAX_SLUG_LENGTH:
            found.append(
                error(
                    doc.source,
                    "slug-too-long",
                    f"file name {quote(slug + '.md')} is {len(slug):,} characters long "
                    f"without .md; the limit is {MAX_SLUG_LENGTH}",
                    f"rename it to {shorten_slug(slug)}.md",
                )
            )
        if day is not None:
            expected = f"articles/{day.year:04d}/{day.month:02d}/{slug}.md"
            if doc.rel_path != expected:
                found.append(
                    error(
                        at("date"),
                        "wrong-folder",
                        f"is dated {day.isoformat()} but is not in articles/{day.year:04d}/{day.month:02d}/",
                        f"move it to {expected}",
                    )
                )

    found += _entity_list_problems(doc, known)
    for key in ("tags", *groupings):
        found += _term_problems(doc, key)
    found += placeholder_problems(doc)

    if not doc.body.strip():
        found.append(
            error(
                Source(doc.source.path, doc.body_line),
                "empty-body",
                "the article has no text after the front matter",
                "paste the article's text below the closing '---'",
            )
        )
    body = unicodedata.normalize("NFC", doc.body)
    text_found, fingerprints[doc.rel_path] = text_problems(doc, body, day, memo, markup)
    found += text_found

    problems += found
    if any(p.severity == "error" for p in found) or day is None:
        return None
    credits = data.get("credits") or ()
    return Article(
        slug=slug,
        path=doc.rel_path,
        source_file=doc.source,
        title=clean_name(data["title"]),
        date=day,
        published=published,
        source=clean_name(data["source"]),
        body=body,
        body_line=doc.body_line,
        url=data.get("url"),
        authors=tuple(clean_name(a) for a in data.get("authors") or ()),
        language=data.get("language") or "en",
        summary=data.get("summary"),
        tags=tuple(clean_name(t) for t in data.get("tags") or ()),
        entities=tuple(data.get("entities") or ()),
        not_entities=tuple(data.get("not_entities") or ()),
        retrieved=retrieved,
        archive_url=data.get("archive_url"),
        rights=data.get("rights"),
        credits=(clean_name(credits),) if isinstance(credits, str) else tuple(map(clean_name, credits)),
        dateline=data.get("dateline"),
        paragraphs=data.get("paragraphs"),
        terms=tuple((key, _terms(data[key])) for key in groupings if data.get(key)),
        field_lines=tuple(doc.key_lines.items()),
        read_from=doc.digest,
    )


def _terms(value: str | list[str]) -> tuple[str, ...]:
    """A grouping's terms as written, each once: one text or a list of them."""
    return tuple(dict.fromkeys(clean_name(v) for v in ([value] if isinstance(value, str) else value)))


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
            found.append(
                error(
                    at(key, MAX_LISTED_ENTITIES),
                    "too-many-entities",
                    f"'{key}' lists {len(ids):,} entities; the limit is {MAX_LISTED_ENTITIES}",
                    "list only the entities the article is about",
                )
            )
            continue  # not each of thousands of ids, with a suggestion for each
        for i, entity_id in enumerate(ids):
            if isinstance(entity_id, str) and SLUG.match(entity_id) and entity_id not in known:
                found.append(
                    error(
                        at(key, i),
                        "unknown-entity",
                        f"{quote(entity_id)} is not in the registry",
                        did_you_mean(entity_id, known) or "add it under archive/entities/ first",
                    )
                )
    if isinstance(data.get("entities"), list) and isinstance(data.get("not_entities"), list):
        both = set(map(str, data["entities"])) & set(map(str, data["not_entities"]))
        for entity_id in sorted(both):
            found.append(
                error(
                    at("not_entities"),
                    "contradictory-entity",
                    f"{quote(entity_id)} is in both 'entities' and 'not_entities'",
                    "keep one",
                )
            )
    return found


def _term_problems(doc: RawDocument, key: str) -> list[Problem]:
    """At most MAX_TAGS different tags, or terms of another grouping (each is a page)."""
    tags = doc.data.get(key)
    if not isinstance(tags, list) or len(tags) <= MAX_TAGS or key in doc.cut:
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
    if key == "tags":
        return [
            error(
                Source(doc.source.path, doc.line_of("tags", first_over)),
                "too-many-tags",
                f"the article has {len(distinct):,} different tags; the limit is {MAX_TAGS}",
                "keep the tags that say what the article is about",
            )
        ]
    return [
        error(
            Source(doc.source.path, doc.line_of(key, first_over)),
            "too-many-terms",
            f"'{key}' lists {len(distinct):,} different terms; the limit is {MAX_TAGS}",
            "keep the terms that say what the article is about",
        )
    ]


def shorten_slug(slug: str) -> str:
    """A slug cut to MAX_SLUG_LENGTH characters at a hyphen where one is near."""
    if len(slug) <= MAX_SLUG_LENGTH:
        return slug
    cut = slug[: MAX_SLUG_LENGTH + 1].rsplit("-", 1)[0]
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
