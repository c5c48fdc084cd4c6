"""The search files of the static site: an inverted index in shards, document stores and facets,
each a small JavaScript file that registers its data with the search page (page.py); the
docs page "How search works" describes them.

Every file is `window.__raSearch.add("<name>", <JSON>);`, so the page loads them with <script>
tags, which browsers allow from file:// where they block fetch(). Documents are numbered in the
archive's time order, so a date range is a range of document numbers.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import stat
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..link.links import LinkedArchive
from ..memo import Memo
from ..memo import key as memo_key
from ..model import Entity
from ..settings import DEFAULT, Settings
from .codec import encode_ids, encode_numbers
from .database import write_database
from .postings import (
    IMPACT_LEVELS,
    Document,
    Encoded,
    Postings,
    encoded,
    kept_encoding,
    read_snapshot,
    updated,
    write_snapshot,
)
from .text import MAX_TOKEN, STOP_WORDS, plain_text, term_counts, terms, words

# What a memo of the search index keeps (Memo(path, *TEXT_MEMO)): its table, and the code whose
# results it holds.
TEXT_MEMO = (("text",), ("search/*.py", "*.py"))

FORMAT = 2  # 2: the manifest lists the archive's own groupings and their terms
SHARD_TARGET = 64_000  # gzip bytes of one shard of the inverted index, at most (one term aside)
BUNDLE_TARGET = 32_000  # raw bytes of one file of facet lists
DOC_CHUNK = 4  # documents per file of titles, links and plain text (snippets, phrase checks)
FOLDERS = ("t", "d", "f", "n")  # term shards, documents, facets, entity names
DATABASE = "archive.sqlite"


@dataclass(frozen=True)
class SearchStats:
    """What write_search_index wrote: counts and sizes, for the build log and the benchmarks."""

    documents: int
    terms: int
    postings: int
    shards: int
    files: int  # JavaScript files under out_dir
    bytes: int  # their size on disk
    sqlite_path: Path
    sqlite_bytes: int
    largest_shard_gzip: int = 0  # the largest shard as a web server would send it (gzip -6)
    folders: dict[str, tuple[int, int]] = field(default_factory=dict)  # t, d, f, n -> files, bytes


def write_search_index(
    linked: LinkedArchive,
    out_dir: Path,
    page_url: Callable[[str], str],
    settings: Settings = DEFAULT,
    memo: Memo | None = None,
    database: bool = True,
    reuse: Path | None = None,
) -> SearchStats:
    """Write the search files and the SQLite database for `linked` under `out_dir`.

    `page_url("articles/2022/03/x.md")` is that article page's URL relative to the site root.
    The same archive always gives byte-identical files. memo: a Memo with a table "text" (see
    TEXT_MEMO), to keep each article's plain text and terms between builds. database=False
    writes no database (sqlite_bytes 0): the caller writes it (search.database.write_database).
    reuse: the search folder of an earlier build (the site's): a file of it that holds exactly
    the bytes to write is linked into `out_dir` instead (on the same file system).
    """
    writer = _Writer(Path(out_dir), reuse)
    urls = [page_url(link.article.path) for link in linked.links]
    extra = {f"G{n}": grouping.key for n, grouping in enumerate(settings.extra_groupings)}
    facets = _facets(linked, extra)
    bundle_of = _bundles(facets, writer)
    lists = _facet_lists(facets, bundle_of)
    index, encoding = _index_documents(linked, urls, lists, writer, memo)
    shard_starts, largest_shard = _shards(encoding.entries, writer)
    buckets = _entity_buckets(linked, bundle_of, writer)
    first_day, days = _days(linked)
    manifest = {
        "format": FORMAT,
        "version": writer.version(),
        "documents": len(linked.links),
        "firstDay": first_day,
        "days": days,
        "shards": shard_starts,
        "docChunk": DOC_CHUNK,
        "impactLevels": IMPACT_LEVELS,
        "sources": lists["s"],
        "tags": lists["g"],
        "languages": lists["l"],
        "groupings": [{"key": key, "kind": kind, "rows": lists[kind]} for kind, key in extra.items()],
        "entityBuckets": buckets,
        "stopWords": sorted(STOP_WORDS),
        "maxToken": MAX_TOKEN,
    }
    writer.write("manifest", manifest)
    sqlite_path = writer.out_dir / DATABASE
    if database:
        write_database(linked, sqlite_path, urls, settings)
    return SearchStats(
        documents=len(linked.links),
        terms=index.term_count,
        postings=index.posting_count,
        shards=len(shard_starts),
        files=sum(f for f, _ in writer.folders.values()),
        bytes=sum(b for _, b in writer.folders.values()),
        sqlite_path=sqlite_path,
        sqlite_bytes=sqlite_path.stat().st_size if database else 0,
        largest_shard_gzip=largest_shard,
        folders={k: (v[0], v[1]) for k, v in sorted(writer.folders.items())},
    )


class _Writer:
    """Writes each file as soon as it is made (the site folder is fresh, so plain writes), and
    keeps counts and a hash of everything written: the manifest's version.

    A file that `reuse` (an earlier build's folder) holds with exactly the same bytes is linked
    from there, not written: one article changed leaves all but a few of 2,500 files at
    10,000 articles as they were, and writing them again while the build writes pages cost
    two seconds."""

    def __init__(self, out_dir: Path, reuse: Path | None = None) -> None:
        self.out_dir = out_dir
        self.reuse = reuse
        out_dir.mkdir(parents=True, exist_ok=True)
        for folder in FOLDERS:
            shutil.rmtree(out_dir / folder, ignore_errors=True)
            (out_dir / folder).mkdir()
        self.folders: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self._hash = hashlib.sha256()

    def write(self, key: str, data: object, *, raw_json: str | None = None) -> int:
        """Write `key`.js registering `data` (or the JSON text `raw_json`); return its size."""
        payload = raw_json if raw_json is not None else _json(data)
        content = f'window.__raSearch.add("{key}",{payload});\n'.encode()
        target = self.out_dir / f"{key}.js"
        if self.reuse is None or not _link_same(self.reuse / f"{key}.js", content, target):
            target.write_bytes(content)
        self._hash.update(key.encode() + b"\0" + content)
        totals = self.folders[key.split("/")[0]]
        totals[0] += 1
        totals[1] += len(content)
        return len(content)

    def version(self) -> str:
        """A short hash of every file written so far; the page adds it to each file's URL, so
        that a browser never mixes files of two builds from its cache."""
        return self._hash.hexdigest()[:12]


def _link_same(earlier: Path, content: bytes, target: Path) -> bool:
    """Link `earlier` at `target` when it is a plain file holding exactly `content`; False
    when it is not (missing, changed, a link, another file system) and nothing was done."""
    try:
        handle = os.open(earlier, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(content):
            return False
        with os.fdopen(os.dup(handle), "rb") as stream:
            if stream.read(len(content) + 1) != content:
                return False
        os.link(earlier, target, follow_symlinks=False)
    except OSError:
        return False
    finally:
        os.close(handle)
    return True


def _json(data: object) -> str:
    """JSON as the search files hold it: compact, not ASCII-escaped."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def gzip_size(data: bytes) -> int:
    """Bytes on the wire when a web server compresses the file (gzip level 6)."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def entity_terms(entity: Entity) -> set[str]:
    """The index terms of every name of an entity: a match on them ranks the article higher."""
    return {t for name in entity.names for t in terms(name)}


# --- the inverted index --------------------------------------------------------------------------


def _index_documents(
    linked: LinkedArchive,
    urls: Sequence[str],
    lists: dict[str, list[list[object]]],
    writer: _Writer,
    memo: Memo | None = None,
) -> tuple[Postings, Encoded]:
    """One pass over the articles: their terms into the postings, and their titles, links and
    plain text into document files of DOC_CHUNK documents each, [title, page URL, source
    number, language number, [tag numbers], text] per document. With a memo, an article's text
    (as JSON) and terms are kept between builds, by its file's digest (or else its text), and
    the postings too: only the articles that changed are indexed again (search/postings.py)."""
    entities = linked.archive.entity_index()
    names_key, name_terms = _name_terms(linked, memo)
    number = {kind: {row[0]: i for i, row in enumerate(rows)} for kind, rows in lists.items()}
    index = Postings()
    documents: list[Document] = []
    rows: list[str] = []
    for doc, link in enumerate(linked.links):
        article = link.article
        # By the digest of the article's file (its title and text follow from it) when it was
        # read from one: cheaper than hashing its text again.
        key = (
            (memo_key(article.read_from) if article.read_from else memo_key(article.title, article.body))
            if memo
            else ""
        )
        kept = memo.get("text", key) if memo else None
        if kept is None:
            text = plain_text(article.body)
            # The text as JSON already: encoding every article's text again is a tenth of the work.
            kept = _json(text), term_counts(text), set(terms(article.title))
            if memo:
                memo.put("text", key, kept)
        text_json, counts, title_terms = kept
        named = [entity_id for entity_id in link.entity_ids if entity_id in entities]
        names: set[str] = set()
        for entity_id in named:
            names |= name_terms[entity_id]
        if memo:  # each held by the memo already: the list holds no more than references
            documents.append(Document("\0".join((key, names_key, *named)), counts, title_terms, names))
        else:
            index.add(Document("", counts, title_terms, names))
        head = [
            article.title,
            urls[doc],
            number["s"][article.source],
            number["l"][article.language],
            [number["g"][t] for t in dict.fromkeys(article.tags)],
        ]
        rows.append(_json(head)[:-1] + "," + text_json + "]")  # [title, …, tags, text]
        if len(rows) == DOC_CHUNK or doc == len(linked.links) - 1:
            writer.write(f"d/{doc // DOC_CHUNK}", None, raw_json="[" + ",".join(rows) + "]")
            rows = []
    if not memo:
        return index, encoded(index)
    # Beside the memo's file, in a file of its own (postings.write_snapshot).
    kept_file = memo.path.with_name(memo.path.stem + "-postings.pickle") if memo.path else None
    previous = read_snapshot(kept_file, memo.version) if kept_file else None
    index, touched = updated(previous, documents)
    encoding = encoded(index, kept_encoding(previous) if touched is not None else None, touched)
    if kept_file and (touched is None or touched):
        write_snapshot(kept_file, memo.version, index, encoding)
    return index, encoding


def _name_terms(linked: LinkedArchive, memo: Memo | None) -> tuple[str, dict[str, set[str]]]:
    """entity_terms of every entity, by id, with the key they are kept by; with a memo, kept
    between builds by the registry's names (stemming them all is a tenth of an index written
    from the memo)."""
    entities = linked.archive.entities
    key = memo_key("names", *(e.id + "\0" + "\0".join(e.names) for e in entities)) if memo else ""
    kept = memo.get("text", key) if memo else None
    if kept is None:
        kept = {e.id: entity_terms(e) for e in entities}
        if memo:
            memo.put("text", key, kept)
    return key, kept


def term_order(term: str) -> bytes:
    """Terms sorted as JavaScript compares strings (UTF-16 code units), for the shard search."""
    return term.encode("utf-16-be")


def _shards(entries_of: dict[str, str], writer: _Writer) -> tuple[list[str], int]:
    """Cut the sorted terms (`entries_of`: each term's entry, '"term":"postings"') into runs of at
    most SHARD_TARGET gzip bytes (a lone term may be more) and write them; return the first term
    of each and the largest shard's gzip size.

    Runs of sorted terms rather than fixed prefixes: shards come out even in size, and the
    page finds a term's shard by binary search over the first term of each.
    """
    ordered = sorted(entries_of, key=term_order)
    if not ordered:
        return [], 0
    entries = [entries_of[t] for t in ordered]
    sample = ",".join(entries).encode()
    budget = SHARD_TARGET / max(gzip_size(sample) / len(sample), 0.05) * 0.9
    runs: list[tuple[int, int]] = []
    start = size = 0
    for i, entry in enumerate(entries):
        length = len(entry.encode()) + 1
        if i > start and size + length > budget:
            runs.append((start, i))
            start, size = i, 0
        size += length
    runs.append((start, len(entries)))

    def fitted(lo: int, hi: int) -> Iterator[tuple[int, int, str, int]]:
        body = "{" + ",".join(entries[lo:hi]) + "}"
        packed = gzip_size(body.encode())
        if hi - lo == 1 or packed <= SHARD_TARGET:
            yield lo, hi, body, packed
            return
        mid = (lo + hi) // 2
        yield from fitted(lo, mid)
        yield from fitted(mid, hi)

    starts: list[str] = []
    largest = 0
    for lo, _, body, packed in (piece for run in runs for piece in fitted(*run)):
        writer.write(f"t/{len(starts)}", None, raw_json=body)
        starts.append(ordered[lo])
        largest = max(largest, packed)
    return starts, largest


# --- documents -----------------------------------------------------------------------------------


def _days(linked: LinkedArchive) -> tuple[str | None, str]:
    """The first publication day, then (days since the previous day, articles that day) pairs."""
    counts = Counter(link.article.date for link in linked.links)
    days = sorted(counts)
    if not days:
        return None, ""
    numbers: list[int] = []
    previous = days[0]
    for day in days:
        numbers += [(day - previous).days, counts[day]]
        previous = day
    return days[0].isoformat(), encode_numbers(numbers)


# --- facets --------------------------------------------------------------------------------------


def _facets(linked: LinkedArchive, extra: dict[str, str]) -> dict[str, dict[str, list[int]]]:
    """kind -> value -> sorted document numbers; kinds: e(ntity), s(ource), g (tag), l(anguage),
    and G0, G1… for the archive's own groupings (`extra`: kind -> front-matter key)."""
    facets: dict[str, dict[str, list[int]]] = {
        "e": {},
        "s": defaultdict(list),
        "g": defaultdict(list),
        "l": defaultdict(list),
    }
    facets.update({kind: defaultdict(list) for kind in extra})
    for entity_id, docs in sorted(linked.by_entity.items()):
        if docs:
            facets["e"][entity_id] = sorted(docs)
    for doc, link in enumerate(linked.links):
        a = link.article
        facets["s"][a.source].append(doc)
        facets["l"][a.language].append(doc)
        for tag in dict.fromkeys(a.tags):
            facets["g"][tag].append(doc)
        for kind, key in extra.items():
            for term in a.terms_of(key):
                facets[kind][term].append(doc)
    return facets


def _bundles(facets: dict[str, dict[str, list[int]]], writer: _Writer) -> dict[str, int]:
    """Write the facet lists, packed into files of about BUNDLE_TARGET bytes, one kind per
    file; return the file number of each "kind:value"."""
    bundle_of: dict[str, int] = {}
    files = 0
    for kind in facets:
        batch: dict[str, str] = {}
        size = 0
        values = sorted(facets[kind])
        for i, value in enumerate(values):
            key = f"{kind}:{value}"
            batch[key] = encode_ids(facets[kind][value])
            size += len(key) + len(batch[key])
            if size >= BUNDLE_TARGET or i == len(values) - 1:
                writer.write(f"f/{files}", batch)
                bundle_of.update(dict.fromkeys(batch, files))
                files += 1
                batch, size = {}, 0
    return bundle_of


def _facet_lists(
    facets: dict[str, dict[str, list[int]]], bundle_of: dict[str, int]
) -> dict[str, list[list[object]]]:
    """For the page's menus: [value, articles, facet file] per source, tag, language and term."""
    return {
        kind: [
            [value, len(facets[kind][value]), bundle_of[f"{kind}:{value}"]]
            for value in sorted(facets[kind], key=lambda v: (v.casefold(), v))
        ]
        for kind in facets
        if kind != "e"
    }


def _entity_buckets(linked: LinkedArchive, bundle_of: dict[str, int], writer: _Writer) -> dict[str, int]:
    """Write the entity list for type-ahead, [id, name, type, [aliases], articles, facet file]
    per entity, most named first, in one file per first letter of any word of any name (or of
    the id); return letter -> file number."""
    groups: dict[str, list[tuple[int, str, list[object]]]] = defaultdict(list)
    for entity in linked.archive.entities:
        key = f"e:{entity.id}"
        if key not in bundle_of:
            continue  # named in no article: nothing to filter by
        count = len(linked.by_entity.get(entity.id, ()))
        row: list[object] = [entity.id, entity.name, entity.type, list(entity.aliases), count, bundle_of[key]]
        for letter in _initials([entity.id, *entity.names]):
            groups[letter].append((-count, entity.id, row))
    letters = sorted(groups, key=term_order)
    for i, letter in enumerate(letters):
        writer.write(f"n/{i}", [row for _, _, row in sorted(groups[letter])])
    return {letter: i for i, letter in enumerate(letters)}


def _initials(names: Iterable[str]) -> set[str]:
    """The first character of every folded word of the names (of the id too, to find it by id)."""
    return {word[0] for name in names for word in words(name)}
