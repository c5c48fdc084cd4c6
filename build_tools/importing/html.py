"""An HTML copy: the story's container found and its blocks read in order, page furniture and
navigation dropped; title, date, authors and source from meta tags and JSON-LD."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from .extracted import Block, BlockKind, Extracted, clean_text, normalize_date, split_names
from .furniture import split_furniture

# --- HTML --------------------------------------------------------------------------------

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


_INLINE = frozenset(
    "a abbr b bdi bdo cite code data dfn em font i kbd mark q s samp small span "
    "strong sub sup time u var wbr br img".split()
)


_DROP_TAGS = frozenset(
    "nav aside footer header script style noscript template figure figcaption "
    "form button svg iframe select textarea dialog".split()
)


_DROP_ROLES = frozenset({"navigation", "complementary", "banner", "contentinfo", "dialog"})


_AD_LIKE = re.compile(
    r"(?:^|[-_])(?:ad|ads|advert|advertisement|adslot|share|sharing|social|"
    r"newsletter|promo|related|subscribe|sponsored|outbrain|taboola|paywall)"
    r"(?:$|[-_])",
    re.IGNORECASE,
)


class _Node:
    __slots__ = ("attrs", "children", "parent", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], parent: _Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []
        self.parent = parent

    def iter(self) -> Iterator[_Node]:
        yield self
        for child in self.children:
            if isinstance(child, _Node):
                yield from child.iter()

    def text(self) -> str:
        parts: list[str] = []
        self._collect(parts)
        return clean_text("".join(parts))

    def _collect(self, parts: list[str]) -> None:
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append(" ")
            elif not _dropped(child) and child.tag not in _DROP_TAGS:
                child._collect(parts)


class _TreeBuilder(HTMLParser):
    """A forgiving tree: unclosed <p> and <li> close the way browsers close them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _INLINE:
            self._close_open("p", stop_at_block=True)
        if tag == "li":
            self._close_open("li", stop_at_block=False, barrier=("ul", "ol"))
        node = _Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(_Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: _Node | None = self.current
        while node is not None and node is not self.root and node.tag != tag:
            node = node.parent
        if node is not None and node is not self.root and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)

    def _close_open(self, tag: str, stop_at_block: bool, barrier: tuple[str, ...] = ()) -> None:
        node: _Node | None = self.current
        while node is not None and node is not self.root:
            if node.tag == tag:
                assert node.parent is not None
                self.current = node.parent
                return
            if node.tag in barrier or (stop_at_block and node.tag not in _INLINE):
                return
            node = node.parent


def _dropped(node: _Node) -> bool:
    if node.tag in _DROP_TAGS or "hidden" in node.attrs or node.attrs.get("aria-hidden") == "true":
        return True
    if node.attrs.get("role") in _DROP_ROLES:
        return True
    tokens = node.attrs.get("class", "").split() + node.attrs.get("id", "").split()
    # A container that merely mentions ads in a class name may hold the whole story; only short
    # blocks (share bars, ad slots, newsletter boxes) are dropped by name.
    return any(_AD_LIKE.search(t) for t in tokens) and _short(node)


def _short(node: _Node) -> bool:
    total = 0
    for child in node.iter():
        for piece in child.children:
            if isinstance(piece, str):
                total += len(piece.strip())
                if total >= 500:
                    return False
    return True


def extract_html(html: str) -> Extracted:
    """A saved web page: metadata from meta tags, JSON-LD and <title>/<h1>; the story from
    <article> (else <main>, else the element with the most paragraph text), without nav, aside,
    footer, header, figures, scripts, share bars, ad slots or furniture lines."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    root = builder.root
    meta = _meta(root)
    ld = _json_ld(root)
    container = _story_container(root)
    raw_blocks: list[Block] = []
    _collect_blocks(container, raw_blocks, quoted=False)
    blocks: list[Block] = []
    dropped: list[str] = []
    for block in raw_blocks:
        caption, furniture = split_furniture(block.text)
        if furniture:
            dropped.append(furniture)
        if caption:
            blocks.append(Block("caption", caption))
        elif not furniture:
            blocks.append(block)
    h1 = next((n.text() for n in root.iter() if n.tag == "h1" and n.text()), None)
    page_title = next((n.text() for n in root.iter() if n.tag == "title"), None)
    source = meta.get("og:site_name") or _ld_name(ld.get("publisher")) or meta.get("application-name")
    title = (
        meta.get("og:title")
        or _text_or_none(ld.get("headline"))
        or h1
        or _strip_site(page_title, source)
        or meta.get("twitter:title")
    )
    date_candidates = [
        meta.get("article:published_time"),
        _text_or_none(ld.get("datePublished")),
        meta.get("datepublished"),
        meta.get("date"),
        meta.get("pubdate"),
        meta.get("dc.date"),
        meta.get("dcterms.created"),
    ]
    date_candidates += [n.attrs.get("datetime") for n in container.iter() if n.tag == "time"]
    date_candidates += [n.attrs.get("datetime") for n in root.iter() if n.tag == "time"]
    date = next((d for c in date_candidates if c and (d := normalize_date(c))), None)
    canonical = next(
        (
            n.attrs.get("href")
            for n in root.iter()
            if n.tag == "link" and "canonical" in n.attrs.get("rel", "").lower().split()
        ),
        None,
    )
    ld_url = _text_or_none(ld.get("url")) or _ld_name(ld.get("mainEntityOfPage"), key="@id")
    url = next(
        (u for u in (canonical, meta.get("og:url"), ld_url) if u and re.match(r"https?://\S+$", u)), None
    )
    authors = _ld_people(ld.get("author")) or _split_authors(meta.get("author", ""))
    lang = next((n.attrs.get("lang", "") for n in root.iter() if n.tag == "html"), "")
    language = lang if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", lang) else None
    return Extracted(
        tuple(blocks),
        title=clean_text(title) if title else None,
        date=date,
        url=url,
        authors=tuple(authors),
        source=clean_text(source) if source else None,
        language=language,
        dropped=tuple(dropped),
    )


def _text_or_none(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _meta(root: _Node) -> dict[str, str]:
    """<meta property|name|itemprop=… content=…>, keys lower-cased; the first of each wins."""
    found: dict[str, str] = {}
    for node in root.iter():
        if node.tag != "meta":
            continue
        attrs = node.attrs
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or ""
        content = clean_text(node.attrs.get("content", ""))
        if key and content:
            found.setdefault(key.lower(), content)
    return found


_ARTICLE_TYPES = {
    "NewsArticle",
    "Article",
    "ReportageNews",
    "AnalysisNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "WebPage",
}


def _json_ld(root: _Node) -> dict[str, Any]:
    """The page's JSON-LD article object (NewsArticle, Article, …), or {}. Broken JSON is ignored:
    the other sources of metadata still apply."""
    objects: list[dict[str, Any]] = []
    for node in root.iter():
        if node.tag == "script" and node.attrs.get("type", "").lower() == "application/ld+json":
            try:
                data = json.loads("".join(c for c in node.children if isinstance(c, str)))
            except ValueError:
                continue
            stack = data if isinstance(data, list) else [data]
            while stack:
                item = stack.pop(0)
                if isinstance(item, dict):
                    objects.append(item)
                    stack += item.get("@graph", []) if isinstance(item.get("@graph"), list) else []
                elif isinstance(item, list):
                    stack += item

    def rank(obj: dict[str, Any]) -> int:
        types = obj.get("@type")
        types = set(types) if isinstance(types, list) else {types}
        return 0 if types & (_ARTICLE_TYPES - {"WebPage"}) else 1 if "WebPage" in types else 2

    candidates = sorted((o for o in objects if rank(o) < 2), key=rank)
    return candidates[0] if candidates else {}


def _ld_name(value: Any, key: str = "name") -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return _text_or_none(value.get(key))
    return _text_or_none(value) if key == "name" else None


def _ld_people(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    names = [clean_text(n) for item in items if (n := _ld_name(item))]
    return list(dict.fromkeys(n for n in names if not re.match(r"https?://", n)))


def _split_authors(text: str) -> list[str]:
    if not text or re.match(r"https?://", text):
        return []
    return [n for n in split_names(re.sub(r"^By\s+", "", clean_text(text))) if n]


def _strip_site(title: str | None, site: str | None) -> str | None:
    """'Headline | Site' or 'Headline - Site' -> 'Headline'."""
    if not title:
        return None
    parts = re.split(r"\s+[|–—-]\s+", title)
    if len(parts) > 1 and (
        site is None or clean_text(parts[-1]).lower() == clean_text(site).lower() or len(parts[-1]) < 30
    ):
        return " - ".join(parts[:-1])
    return title


def _paragraph_text(node: _Node) -> int:
    return sum(len(c.text()) for c in node.children if isinstance(c, _Node) and c.tag == "p")


def _story_container(root: _Node) -> _Node:
    """<article> with the most paragraph text, else <main>, else the element whose own <p>
    children hold the most text, else the whole page."""

    def body_text(node: _Node) -> int:
        return sum(len(n.text()) for n in node.iter() if n.tag == "p")

    articles = [n for n in root.iter() if n.tag == "article" and body_text(n) > 0]
    if articles:
        return max(articles, key=body_text)
    mains = [
        n for n in root.iter() if (n.tag == "main" or n.attrs.get("role") == "main") and body_text(n) > 0
    ]
    if mains:
        return mains[0]
    best = max(root.iter(), key=_paragraph_text)
    return best if _paragraph_text(best) > 0 else root


_HEADING_KINDS: dict[str, BlockKind] = {"h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}


def _collect_blocks(node: _Node, out: list[Block], quoted: bool) -> None:
    """Walk the story container in order: paragraphs, h2-h6, list items and quotes become
    blocks; loose text between block elements is a paragraph too; h1 is the title, not body."""
    inline: list[str] = []

    def flush() -> None:
        for piece in re.split(r"\x00(?:\s*\x00)+", "".join(inline)):  # <br><br> ends a paragraph
            text = clean_text(piece.replace("\x00", " "))
            if text:
                out.append(Block("quote" if quoted else "p", text))
        inline.clear()

    for child in node.children:
        if isinstance(child, str):
            inline.append(child)
            continue
        if _dropped(child):
            continue
        if child.tag == "br":
            inline.append("\x00")
        elif child.tag in _INLINE:
            child._collect(inline)
        else:
            flush()
            if child.tag == "p":
                if text := child.text():
                    out.append(Block("quote" if quoted else "p", text))
            elif child.tag in _HEADING_KINDS:
                if text := child.text():
                    out.append(Block(_HEADING_KINDS[child.tag], text))
            elif child.tag == "li" and not quoted:
                if text := child.text():
                    out.append(Block("li", text))
            elif child.tag == "h1":
                continue
            else:
                _collect_blocks(child, out, quoted or child.tag == "blockquote")
    flush()
