"""Feeds: Atom and JSON Feed 1.1 of the newest articles, of each entity's and of each source's,
so that a researcher can follow a person or a publisher. Files of the site (render_files), each
bounded (the newest NEWEST or PER_FEED articles, summaries cut), dated by their newest article
and never by the build's clock, so that two builds are byte-identical. Atom is built with
ElementTree, which escapes every text; no text from the archive is pasted into markup."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence

from ..cite import clean
from ..folding import page_slug
from ..link.links import LinkedArchive
from ..model import Article
from ..search.text import plain_text
from ..settings import Settings
from .citation import shortened
from .markup import article_page, attr, entity_page, front_matter, html_block, source_page

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


def _summary(article: Article) -> str:
    return shortened(_text(article.summary or plain_text(article.body[:4000])), SUMMARY_LENGTH)


def atom(feed: str, title: str, page: str, articles: Sequence[Article], settings: Settings) -> str:
    root = ET.Element("feed", {"xmlns": ATOM})
    ET.SubElement(root, "title").text = _text(title)
    ET.SubElement(root, "id").text = (
        settings.site.absolute(feed) or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'archive:' + feed)}"
    )
    ET.SubElement(root, "updated").text = _moment(articles[0])  # the newest: never the clock
    ET.SubElement(ET.SubElement(root, "author"), "name").text = _text(settings.site.name or settings.title)
    ET.SubElement(
        root, "link", {"rel": "alternate", "type": "text/html", "href": _address(feed, page, settings)}
    )
    if settings.site.url:
        ET.SubElement(root, "link", {"rel": "self", "href": _address(feed, feed, settings)})
    for article in articles:
        entry = ET.SubElement(root, "entry")
        ET.SubElement(entry, "title").text = _text(article.title)
        ET.SubElement(entry, "id").text = _entry_id(article, settings)
        ET.SubElement(entry, "published").text = _moment(article)
        ET.SubElement(entry, "updated").text = _moment(article)
        link = _address(feed, article_page(article), settings)
        ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": link})
        if article.url:
            ET.SubElement(entry, "link", {"rel": "related", "href": _text(article.url)})
        for name in article.authors or (article.source,):
            ET.SubElement(ET.SubElement(entry, "author"), "name").text = _text(name)
        ET.SubElement(entry, "category", {"term": _text(article.source)})
        ET.SubElement(entry, "summary", {"type": "text"}).text = _summary(article)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def json_feed(feed: str, title: str, page: str, articles: Sequence[Article], settings: Settings) -> str:
    data: dict[str, object] = {"version": JSON_FEED, "title": _text(title)}
    if settings.site.url:
        data["home_page_url"] = _address(feed, page, settings)
        data["feed_url"] = _address(feed, feed, settings)
    data["authors"] = [{"name": _text(settings.site.name or settings.title)}]
    data["items"] = [
        {
            "id": _entry_id(article, settings),
            "url": _address(feed, article_page(article), settings),
            **({"external_url": _text(article.url)} if article.url else {}),
            "title": _text(article.title),
            "content_text": _summary(article),
            "summary": _summary(article),
            "date_published": _moment(article),
            "authors": [{"name": _text(name)} for name in article.authors or (article.source,)],
            "language": _text(article.language),
            "tags": [_text(article.source), *(_text(tag) for tag in article.tags)],
        }
        for article in articles
    ]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _both(
    files: dict[str, str],
    paths: tuple[str, str],
    title: str,
    page: str,
    articles: Sequence[Article],
    settings: Settings,
) -> None:
    files[paths[0]] = atom(paths[0], title, page, articles, settings)
    files[paths[1]] = json_feed(paths[1], title, page, articles, settings)


def feed_files(linked: LinkedArchive, settings: Settings) -> dict[str, str]:
    """Every feed: {path under the site's root: text}."""
    articles = [links.article for links in linked.links]
    files: dict[str, str] = {}
    if not articles:
        return files
    name = settings.site.name or settings.title
    newest = (newest_feed("xml"), newest_feed("json"))
    _both(files, newest, f"{name}: newest articles", "index.md", articles[::-1][:NEWEST], settings)
    for entity in linked.archive.entities:
        indices = linked.by_entity.get(entity.id, ())
        if indices:
            chosen = [articles[i] for i in reversed(indices[-PER_FEED:])]
            paths = (entity_feed(entity.id, "xml"), entity_feed(entity.id, "json"))
            _both(files, paths, f"{entity.name}: {name}", entity_page(entity.id), chosen, settings)
    by_source: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_source[source_page(article.source)].append(article)
    for page, of_source in by_source.items():
        source = of_source[0].source
        paths = (source_feed(source, "xml"), source_feed(source, "json"))
        _both(files, paths, f"{source}: {name}", page, of_source[::-1][:PER_FEED], settings)
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
