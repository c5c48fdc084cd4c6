"""The archive as one SQLite file for researchers, with full-text search: `archive search` reads it.

The schema is documented in the docs page "How search works"; SCHEMA_VERSION (PRAGMA
user_version) changes with it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from ..folding import INVISIBLE, visible
from ..link.links import LinkedArchive
from ..settings import DEFAULT, Settings

# 3: no impacts table (archive search ranks with bm25() alone); 4: entity_kinds, groupings and
# article_terms tables; 5: articles.retrieved and archive_url (for `archive export`'s citations)
SCHEMA_VERSION = 6
# Column weights of the full-text ranking (title, body, entity names): bm25() in query.py.
WEIGHTS = (10.0, 1.0, 4.0)
TOKENIZER = "porter unicode61 remove_diacritics 2"
# The full-text ranking: lower is better.
RANK = f"bm25(articles_fts, {', '.join(str(w) for w in WEIGHTS)})"


def _visible(column: str) -> str:
    """SQL for `column` without zero-width characters, which would split a word in two (the
    search page's words drop them too: text.INVISIBLE)."""
    for invisible in INVISIBLE:
        column = f"replace({column}, char({ord(invisible)}), '')"
    return column


SCHEMA = f"""
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,      -- 1 for the oldest article, in (date, slug) order
    slug TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,          -- the archive file, articles/YYYY/MM/<slug>.md
    title TEXT NOT NULL,
    date TEXT NOT NULL,          -- publication day, YYYY-MM-DD
    published TEXT,              -- full timestamp, when the front matter gives one
    source TEXT NOT NULL,
    url TEXT,
    language TEXT NOT NULL,
    summary TEXT,
    body TEXT NOT NULL,          -- Markdown, as archived; mention offsets count in it
    page_url TEXT NOT NULL,      -- the article's page, relative to the site root
    retrieved TEXT,              -- the day the archived copy was made, YYYY-MM-DD
    archive_url TEXT             -- a web-archive snapshot of the original
);
CREATE TABLE entity_kinds (     -- the archive's kinds of entity, as its mkdocs.yml configures them
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,          -- 'Organisation'
    plural TEXT NOT NULL         -- 'Organisations'
);
CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL REFERENCES entity_kinds (id) CHECK ({{kind_check}}),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    wikidata TEXT
);
CREATE TABLE aliases (
    entity_id TEXT NOT NULL REFERENCES entities (id),
    alias TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
);
CREATE TABLE article_entities (
    article_id INTEGER NOT NULL REFERENCES articles (id),
    entity_id TEXT NOT NULL REFERENCES entities (id),
    named INTEGER NOT NULL,      -- 1: the text names it; 0: only listed in the front matter
    PRIMARY KEY (article_id, entity_id)
);
CREATE TABLE mentions (
    article_id INTEGER NOT NULL REFERENCES articles (id),
    entity_id TEXT NOT NULL REFERENCES entities (id),
    field TEXT NOT NULL CHECK (field IN ('title', 'body')),
    start INTEGER NOT NULL,      -- offsets in characters (code points) into the field
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE date_mentions (
    article_id INTEGER NOT NULL REFERENCES articles (id),
    start INTEGER NOT NULL,      -- offsets in characters into the body
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    granularity TEXT NOT NULL CHECK (granularity IN ('day', 'week', 'month', 'year')),
    value TEXT NOT NULL          -- YYYY-MM-DD: the day, or the first day of the week/month/year
);
CREATE TABLE tags (
    article_id INTEGER NOT NULL REFERENCES articles (id),
    tag TEXT NOT NULL,
    PRIMARY KEY (article_id, tag)
);
CREATE TABLE groupings (        -- front-matter keys the archive groups articles by, beyond source and tags
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    plural TEXT NOT NULL
);
CREATE TABLE article_terms (    -- an article's terms of those groupings ('region' -> 'Donbas')
    article_id INTEGER NOT NULL REFERENCES articles (id),
    grouping TEXT NOT NULL REFERENCES groupings (key),
    term TEXT NOT NULL,
    PRIMARY KEY (article_id, grouping, term)
);
CREATE TABLE authors (
    article_id INTEGER NOT NULL REFERENCES articles (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
);
CREATE TABLE quotes (            -- quotations in an article's body (link/quotes.py)
    article_id INTEGER NOT NULL REFERENCES articles (id),
    start INTEGER NOT NULL,      -- offsets in the body, of the words inside the marks
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    speaker TEXT REFERENCES entities (id),  -- a person, only when the text says so beyond doubt
    how TEXT NOT NULL,           -- after_verb, before_colon, according_to, pronoun, continuation, none
    PRIMARY KEY (article_id, start)
);
-- What the full-text index reads: every name and alias of every entity of an article.
CREATE VIEW article_search AS
SELECT a.id AS id, {_visible("a.title")} AS title, {_visible("a.body")} AS body,
       (SELECT group_concat(name, ' ; ') FROM (
            SELECT e.name AS name, ae.entity_id AS entity_id, 0 AS alias_order
              FROM article_entities ae JOIN entities e ON e.id = ae.entity_id
             WHERE ae.article_id = a.id
            UNION ALL
            SELECT al.alias, al.entity_id, 1
              FROM article_entities ae JOIN aliases al ON al.entity_id = ae.entity_id
             WHERE ae.article_id = a.id
            ORDER BY entity_id, alias_order, name)) AS entities
  FROM articles a;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, entities,
    content = 'article_search', content_rowid = 'id',
    tokenize = '{TOKENIZER}'
);
"""

# Made after the rows are in: building an index once costs less than keeping it in order
# through every insert (a tenth of a 10,000-article database's time).
INDEXES = """
CREATE INDEX quotes_speaker ON quotes (speaker);
CREATE INDEX articles_date ON articles (date);
CREATE INDEX articles_source ON articles (source);
CREATE INDEX articles_language ON articles (language);
CREATE INDEX article_entities_entity ON article_entities (entity_id, article_id);
CREATE INDEX mentions_article ON mentions (article_id);
CREATE INDEX mentions_entity ON mentions (entity_id);
CREATE INDEX date_mentions_value ON date_mentions (value);
CREATE INDEX tags_tag ON tags (tag);
CREATE INDEX article_terms_term ON article_terms (grouping, term);
"""


def write_database(
    linked: LinkedArchive, path: Path, page_urls: Sequence[str], settings: Settings = DEFAULT
) -> Path:
    """Write the archive to a new SQLite file at `path` (replacing it whole), byte-identical
    for the same archive. `page_urls[i]` is the page of the i-th article in time order;
    `settings` gives the entity kinds (the `entity_kinds` table, and the CHECK on a type)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    connection = sqlite3.connect(tmp, isolation_level=None)
    try:
        # auto_vacuum: the pages the full-text index's merges free are moved to the end and cut
        # off as the transaction commits, instead of a VACUUM copying the whole file after it (a
        # tenth of the time the database takes); the file is 0.6% larger than VACUUM makes it.
        connection.executescript(
            "PRAGMA page_size = 4096; PRAGMA auto_vacuum = FULL; PRAGMA journal_mode = OFF; "
            "PRAGMA synchronous = OFF;"
        )
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        # Kind ids are [a-z0-9-] (settings.KIND_ID): safe as SQL string literals.
        check = "type IN (" + ", ".join(f"'{k}'" for k in settings.kind_ids) + ")"
        connection.executescript(SCHEMA.replace("{kind_check}", check))  # commits first: schema, then BEGIN
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO entity_kinds VALUES (?, ?, ?)",
            [(k.id, k.name, k.plural) for k in settings.entity_kinds],
        )
        connection.executemany(
            "INSERT INTO groupings VALUES (?, ?, ?)",
            [(g.key, g.name, g.plural) for g in settings.extra_groupings],
        )
        _insert(connection, linked, page_urls)
        for statement in INDEXES.split(";")[:-1]:  # in the transaction: executescript would commit
            connection.execute(statement)
        _index_text(connection, linked)
        connection.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
        connection.execute("COMMIT")
    finally:
        connection.close()
    os.replace(tmp, path)
    return path


def _insert(connection: sqlite3.Connection, linked: LinkedArchive, page_urls: Sequence[str]) -> None:
    entities = linked.archive.entities
    connection.executemany(
        "INSERT INTO entities VALUES (?, ?, ?, ?, ?)",
        [(e.id, e.type, e.name, e.description, e.wikidata) for e in entities],
    )
    connection.executemany(
        "INSERT INTO aliases VALUES (?, ?)",
        [(e.id, alias) for e in entities for alias in dict.fromkeys(e.aliases) if alias != e.name],
    )
    known = {e.id for e in entities}
    # Each table's rows gathered, then inserted in one call per ROWS_AT_ONCE articles (rows in
    # article order all the same): eight calls per article cost a third of the database's time
    # at 10,000 articles; memory holds one batch.
    rows: dict[str, list[tuple[object, ...]]] = {table: [] for table in _ARTICLE_TABLES}
    for number, link in enumerate(linked.links, start=1):
        a = link.article
        rows["articles"].append(
            (
                number,
                a.slug,
                a.path,
                a.title,
                a.date.isoformat(),
                a.published.isoformat() if a.published else None,
                a.source,
                a.url,
                a.language,
                a.summary,
                a.body,
                page_urls[number - 1],
                a.retrieved.isoformat() if a.retrieved else None,
                a.archive_url,
            )
        )
        named = {m.entity_id for m in link.mentions}
        rows["article_entities"] += [(number, e, int(e in named)) for e in link.entity_ids if e in known]
        rows["mentions"] += [(number, m.entity_id, m.field, m.start, m.end, m.text) for m in link.mentions]
        rows["date_mentions"] += [
            (number, d.start, d.end, d.text, d.granularity, d.value.isoformat()) for d in link.date_refs
        ]
        rows["tags"] += [(number, t) for t in dict.fromkeys(a.tags)]
        rows["article_terms"] += [(number, key, term) for key, terms in a.terms for term in terms]
        rows["authors"] += [(number, i, name) for i, name in enumerate(a.authors, start=1)]
        rows["quotes"] += [(number, q.start, q.end, q.text, q.speaker, q.how) for q in link.quotes]
        if number % ROWS_AT_ONCE == 0 or number == len(linked.links):
            for table, columns in _ARTICLE_TABLES.items():
                connection.executemany(
                    f"INSERT INTO {table} VALUES ({', '.join('?' * columns)})", rows[table]
                )
                rows[table] = []


ROWS_AT_ONCE = 1000  # articles whose rows are inserted in one call per table
# The tables of an article's rows, with their number of columns.
_ARTICLE_TABLES = {
    "articles": 14,
    "article_entities": 3,
    "mentions": 6,
    "date_mentions": 6,
    "tags": 2,
    "article_terms": 3,
    "authors": 3,
    "quotes": 6,
}


def _index_text(connection: sqlite3.Connection, linked: LinkedArchive) -> None:
    """Fill the full-text index with what the article_search view gives for each article,
    worked out here from the linked archive: the view's SQL costs SQLite as much as a third of
    indexing the words. The same rows: integrity-check with rank 1 compares them (the tests)."""
    names: dict[str, list[str]] = {
        e.id: [e.name, *sorted(alias for alias in dict.fromkeys(e.aliases) if alias != e.name)]
        for e in linked.archive.entities
    }

    def entities(ids: Sequence[str]) -> str | None:
        # The view's order: by entity id (as SQLite compares text), its name, then its aliases.
        return " ; ".join(name for e in sorted(i for i in ids if i in names) for name in names[e]) or None

    connection.executemany(
        "INSERT INTO articles_fts (rowid, title, body, entities) VALUES (?, ?, ?, ?)",
        (
            (number, visible(link.article.title), visible(link.article.body), entities(link.entity_ids))
            for number, link in enumerate(linked.links, start=1)
        ),
    )
