"""Feeds: Atom and JSON Feed 1.1 of the newest articles, of each entity's and of each source's,
so that a researcher can follow a person or a publisher. Files of the site (render_site), each
bounded (the newest NEWEST or PER_FEED articles, summaries cut), dated by their newest article
and never by the build's clock, so that two builds are byte-identical. Every text from the archive
is escaped (`_x`, json.dumps) on its way into a feed; each article's entry is made once per feed
folder and shared by the feeds that list it."""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence

from ..cite import clean
from ..folding import page_slug
from ..link.links import LinkedArchive
from ..model import Article, Entity
from ..search.text import plain_text_start
from ..settings import Settings
from .citation import shortened
from .markup import add_pages, article_page, attr, entity_page, front_matter, html_block, source_page

NEWEST = 50  # entries in the feed of the newest articles
PER_FEED = 20  # in an entity's or a source's
SUMMARY_LENGTH = 500
ATOM = "http://www.w3.org/2005/Atom"
JSON_FEED = "https://jsonfeed.org/version/1.1"
_NOT_XML = re.compile("[\ufffe\uffff]")  # no XML 1.0 character (controls go in cite.clean)


def newest_feed(extension: str) -> str:
    return f"feeds/articles.{extension}"


def entity_feed(entity_id: str, extension: str) -> str:
    return entity_page(entity_id).replace("entities/", "feeds/entities/", 1)[: -len("md")] + extension


def source_feed(source: str, extension: str) -> str:
    return f"feeds/sources/{page_slug(source)}.{extension}"


def _text(value: str) -> str:
    return _NOT_XML.sub("", clean(value))


def _moment(article: Article) -> str:
    """RFC 3339: the publication time (UTC when the source gives no zone), else the day."""
    moment = article.published or dt.datetime.combine(article.date, dt.time())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")


def _entry_id(article: Article, settings: Settings) -> str:
    """The article's permalink, or without a site address a name derived from it alone."""
    page = article_page(article)
    return settings.site.absolute(page) or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'archive:' + page)}"


def _address(feed: str, target: str, settings: Settings) -> str:
    """`target` (a page or file) as a feed at `feed` links it: full, or relative to the feed."""
    page = settings.site.page_url(target)
    return settings.site.absolute(target) or settings.site.link(feed, page)


def _x(value: str) -> str:
    """Text for XML: `&`, `<`, `>` and both quotes escaped (so it fits an attribute too)."""
    return html.escape(value, quote=True)


class FeedEntries:
    """Each article's summary, Atom entry and JSON Feed item, made once per feed folder and
    reused: an article appears in the feed of every entity it names, the same each time."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._summaries: dict[str, str] = {}
        self._atom: dict[tuple[str, str], str] = {}
        self._json: dict[tuple[str, str], str] = {}

    def forget_entries(self) -> None:
        """Drop the entries made so far, keep the summaries (the costly part, and the smaller:
        a render worker keeps them for every job it runs, the entries for one job)."""
        self._atom.clear()
        self._json.clear()

    def summary(self, article: Article) -> str:
        found = self._summaries.get(article.path)
        if found is None:
            text = article.summary or plain_text_start(article.body, 4000, SUMMARY_LENGTH + 100)
            found = shortened(_text(text), SUMMARY_LENGTH)
            self._summaries[article.path] = found
        return found

    def atom(self, feed: str, article: Article) -> str:
        key = (posixpath.dirname(feed), article.path)
        found = self._atom.get(key)
        if found is None:
            moment = _moment(article)
            link = _address(feed, article_page(article), self.settings)
            lines = [
                "  <entry>",
                f"    <title>{_x(_text(article.title))}</title>",
                f"    <id>{_x(_entry_id(article, self.settings))}</id>",
                f"    <published>{moment}</published>",
                f"    <updated>{moment}</updated>",
                f'    <link rel="alternate" type="text/html" href="{_x(link)}" />',
            ]
            if article.url:
                lines.append(f'    <link rel="related" href="{_x(_text(article.url))}" />')
            for name in article.authors or (article.source,):
                lines += ["    <author>", f"      <name>{_x(_text(name))}</name>", "    </author>"]
            lines.append(f'    <category term="{_x(_text(article.source))}" />')
            lines.append(f'    <summary type="text">{_x(self.summary(article))}</summary>')
            lines.append("  </entry>")
            found = self._atom[key] = "\n".join(lines)
        return found

    def json(self, feed: str, article: Article) -> str:
        key = (posixpath.dirname(feed), article.path)
        found = self._json.get(key)
        if found is None:
            summary = self.summary(article)
            item = {
                "id": _entry_id(article, self.settings),
                "url": _address(feed, article_page(article), self.settings),
                **({"external_url": _text(article.url)} if article.url else {}),
                "title": _text(article.title),
                "content_text": summary,
                "summary": summary,
                "date_published": _moment(article),
                "authors": [{"name": _text(name)} for name in article.authors or (article.source,)],
                "language": _text(article.language),
                "tags": [_text(article.source), *(_text(tag) for tag in article.tags)],
            }
            found = self._json[key] = json.dumps(item, ensure_ascii=False)
        return found


def atom(feed: str, title: str, page: str, articles: Sequence[Article], entries: FeedEntries) -> str:
    settings = entries.settings
    feed_id = settings.site.absolute(feed) or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'archive:' + feed)}"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM}">',
        f"  <title>{_x(_text(title))}</title>",
        f"  <id>{_x(feed_id)}</id>",
        f"  <updated>{_moment(articles[0])}</updated>",  # the newest: never the clock
        f"  <author>\n    <name>{_x(_text(settings.site.name or settings.title))}</name>\n  </author>",
        f'  <link rel="alternate" type="text/html" href="{_x(_address(feed, page, settings))}" />',
    ]
    if settings.site.url:
        lines.append(f'  <link rel="self" href="{_x(_address(feed, feed, settings))}" />')
    lines += [entries.atom(feed, article) for article in articles]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def json_feed(feed: str, title: str, page: str, articles: Sequence[Article], entries: FeedEntries) -> str:
    settings = entries.settings
    data: dict[str, object] = {"version": JSON_FEED, "title": _text(title)}
    if settings.site.url:
        data["home_page_url"] = _address(feed, page, settings)
        data["feed_url"] = _address(feed, feed, settings)
    data["authors"] = [{"name": _text(settings.site.name or settings.title)}]
    head = json.dumps(data, ensure_ascii=False)
    items = ",\n ".join(entries.json(feed, article) for article in articles)
    return f'{head[:-1]}, "items": [\n {items}\n]}}\n'


def _both(
    files: dict[str, str],
    paths: tuple[str, str],
    title: str,
    page: str,
    articles: Sequence[Article],
    entries: FeedEntries,
) -> None:
    files[paths[0]] = atom(paths[0], title, page, articles, entries)
    files[paths[1]] = json_feed(paths[1], title, page, articles, entries)


def feed_files(linked: LinkedArchive, settings: Settings) -> dict[str, str]:
    """Every feed: {path under the site's root: text}."""
    files = site_feeds(linked, settings)
    add_pages(files, entity_feeds(linked, settings, linked.archive.entities))
    return files


def site_feeds(linked: LinkedArchive, settings: Settings) -> dict[str, str]:
    """The feed of the newest articles and each source's: {path under the site's root: text}."""
    articles = [links.article for links in linked.links]
    files: dict[str, str] = {}
    if not articles:
        return files
    entries = FeedEntries(settings)
    name = settings.site.name or settings.title
    newest = (newest_feed("xml"), newest_feed("json"))
    _both(files, newest, f"{name}: newest articles", "index.md", articles[::-1][:NEWEST], entries)
    by_source: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_source[source_page(article.source)].append(article)
    for page, of_source in by_source.items():
        source = of_source[0].source
        paths = (source_feed(source, "xml"), source_feed(source, "json"))
        _both(files, paths, f"{source}: {name}", page, of_source[::-1][:PER_FEED], entries)
    return files


def entity_feeds(
    linked: LinkedArchive, settings: Settings, entities: Iterable[Entity], entries: FeedEntries | None = None
) -> dict[str, str]:
    """The feeds of `entities` (of those named in an article): {path under the site's root: text}.
    `entries`: the entries made for other feeds, to reuse (made with the same settings)."""
    files: dict[str, str] = {}
    entries = entries or FeedEntries(settings)
    name = settings.site.name or settings.title
    for entity in entities:
        indices = linked.by_entity.get(entity.id, ())
        if indices:
            chosen = [linked.links[i].article for i in reversed(indices[-PER_FEED:])]
            paths = (entity_feed(entity.id, "xml"), entity_feed(entity.id, "json"))
            _both(files, paths, f"{entity.name}: {name}", entity_page(entity.id), chosen, entries)
    return files


def follow(
    here: str, paths: tuple[str, str], what: str, settings: Settings, description: str | None = None
) -> tuple[str, str]:
    """A page's feeds: (front matter naming them, with the page's description, for its head;
    the line that links them)."""
    head = front_matter(
        description=description,
        feeds=[
            {"type": "application/atom+xml", "title": f"{what} (Atom)", "href": paths[0]},
            {"type": "application/feed+json", "title": f"{what} (JSON Feed)", "href": paths[1]},
        ],
    )
    atom_link, json_link = (settings.site.link(here, path) for path in paths)
    line = html_block(
        "ra-feeds",
        [
            f'<p>Follow: <a href="{attr(atom_link)}" type="application/atom+xml">Atom feed</a> · '
            f'<a href="{attr(json_link)}" type="application/feed+json">JSON Feed</a></p>'
        ],
    )
    return head, line
