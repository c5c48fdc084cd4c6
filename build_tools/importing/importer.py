"""Turning a saved copy of an article (plain text or an HTML page) into an archive file, and the
template `archive new` writes. Everything here is a pure function of its inputs except
`write_article`, the one place that touches the disk."""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal

import yaml

from ..check.validate import TEMPLATE_BODY, TEMPLATE_VALUES, body_fingerprint, load_schema
from ..files import write_atomic
from ..folding import slugify, visible
from ..model import Archive, Article, Entity
from ..urls import normalize_url

# --- page furniture ----------------------------------------------------------------------


@dataclass(frozen=True)
class FurnitureRule:
    """A kind of line a publisher's page adds around the story. `pattern` must match the whole
    line (whitespace collapsed); `example` is a real line it removes (the tests check each)."""

    name: str
    pattern: re.Pattern[str]
    example: str
    # A photo caption is part of the report (who, where, when): it is kept, marked as a
    # caption, and only the viewer's label (the `label` group) is dropped.
    caption: bool = False


def _rule(name: str, pattern: str, example: str, caption: bool = False) -> FurnitureRule:
    return FurnitureRule(name, re.compile(pattern), example, caption)


# Each rule is narrow on purpose: a story paragraph ends with punctuation and is never only a
# share prompt, so anchoring every pattern to the whole line keeps the story intact.
FURNITURE_RULES: tuple[FurnitureRule, ...] = (
    _rule("email-share", r"Send this (?:page|article|story) to someone via email",
          "Send this page to someone via email"),
    _rule("share",
          r"(?:Share|Share this(?: article| story| page)?|Copy link|Click to share on .{1,40}|"
          r"Share (?:on|via) (?:Facebook|Twitter|X|WhatsApp|LinkedIn|Reddit|Email|Telegram))[.:]?",
          "Share this article"),
    _rule("ad-break",
          r"(?:Story|Article) continues (?:below|after)(?: (?:this|the))? (?:advertisement|ad)",
          "Story continues below advertisement"),
    _rule("advertisement",
          r"(?:Advertisement|ADVERTISEMENT|Sponsored content)"
          r"(?: ?[-–—:] ?(?:[Ss]croll|[Cc]ontinue)[^.]{0,40})?",
          "Advertisement"),
    # Global News puts every photo caption after this label of its image viewer.
    _rule("image-viewer", r"(?P<label>View image in full screen)\b\s*(?P<caption>.*)",
          "View image in full screen A map posted by the British Ministry of Defence on March 30 "
          "shows the Russian attack and troop locations in Ukraine. "
          "U.K. Ministry of Defence on Twitter", caption=True),
    # An embedded video: its duration, then its title twice (the player's and the link's).
    _rule("video", r"\d{1,2}:\d{2}(?::\d{2})? (?P<title>.{5,200}?) (?P=title)",
          "2:41 U.S. skeptical over Russia’s promises to scale back military operations near Kyiv "
          "U.S. skeptical over Russia’s promises to scale back military operations near Kyiv"),
    # A caption whose last part, after a dash, is a © credit; or a bare © line.
    _rule("copyright-caption", r"(?:.{0,600}\s)?[-–—] [^–—]{0,80}©[^–—]{0,80}|©.{0,120}",
          "Maxar satellite imagery shows before and after photos published on March 29 of a "
          "residential area in Mariupol damaged in ongoing fighting. "
          "– Satellite image ©2022 Maxar Technologies", caption=True),
    # A caption ending in 'Photographer/Agency' with no full stop: a story paragraph has one.
    _rule("agency-caption",
          r".{0,600}\S/(?:Getty Images|AFP|AP|AP Photo|Reuters|EPA|EPA-EFE|Anadolu Agency|"
          r"Bloomberg|Sipa USA)(?: via Getty Images)?",
          "Ukrainian servicemen walk past a destroyed tank in Lukianivka. "
          "Sergei Supinsky/AFP via Getty Images", caption=True),
    _rule("photo-credit",
          r"(?:.{0,600}\s)?\((?:AP Photo|AFP Photo|Photo|Photo by|Photograph|Image|Credit)"
          r"[/:\s][^()]{1,80}\)\.?|(?:Photo|Image|Photograph|Illustration)(?: credit)?: .{1,150}",
          "A woman walks past a damaged building in Kyiv on March 30. (AP Photo/Felipe Dana)",
          caption=True),
    _rule("newsletter",
          r"(?:Sign up|Subscribe)(?: now)? (?:for|to) .{0,120}"
          r"(?:newsletter|updates|alerts|briefing|digest|email)s?\b.{0,80}",
          "Sign up for our weekly Ukraine newsletter"),
    _rule("read-more", r"(?:READ MORE|Read more|RELATED|Related|MORE|WATCH|LISTEN) ?: .{1,200}",
          "READ MORE: Russia’s war in Ukraine"),
    _rule("follow",
          r"Follow (?:us|\w+(?: \w+)?) on "
          r"(?:Twitter|Facebook|Instagram|Telegram|X|TikTok|YouTube)\.?",
          "Follow us on Twitter"),
    _rule("page-controls",
          r"(?:Comments|Print|Close|Skip to (?:main )?content|Listen to this article(?: \d+ min)?|"
          r"Text size|Trending Now|Most Read|Play Video)",
          "Skip to content"),
)


def furniture_rule(line: str) -> FurnitureRule | None:
    """The rule that marks `line` as page furniture, or None for a line of the story."""
    text = " ".join(line.split())
    return next((r for r in FURNITURE_RULES if r.pattern.fullmatch(text)), None)


def is_furniture(line: str) -> bool:
    return furniture_rule(line) is not None


def split_furniture(line: str) -> tuple[str | None, str | None]:
    """(caption to keep, furniture to drop) for a line; (None, None) for a story line."""
    text = " ".join(line.split())
    rule = furniture_rule(text)
    if rule is None:
        return None, None
    if not rule.caption:
        return None, text
    m = rule.pattern.fullmatch(text)
    groups = m.groupdict() if m else {}
    caption = groups.get("caption") or text
    return (caption or None), groups.get("label")


# --- what a copy holds -------------------------------------------------------------------

BlockKind = Literal["p", "h2", "h3", "li", "quote", "caption"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str


@dataclass(frozen=True)
class Extracted:
    """What a saved copy says about itself: the story's blocks and whatever metadata it carries."""

    blocks: tuple[Block, ...]
    title: str | None = None
    date: str | None = None  # normalised: YYYY-MM-DD or an ISO date-time with offset
    url: str | None = None
    authors: tuple[str, ...] = ()
    source: str | None = None
    language: str | None = None  # BCP 47, from an HTML page's lang attribute
    dropped: tuple[str, ...] = field(default=(), compare=False)  # furniture lines removed

    @property
    def credits(self) -> tuple[str, ...]:
        return find_credits(self.blocks)

    def markdown(self) -> str:
        return blocks_to_markdown(self.blocks)


def looks_like_html(text: str, name: str = "") -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    return re.match(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|\?xml)\b",
                    text[:2000], re.IGNORECASE | re.DOTALL) is not None


def html_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (<meta charset> or http-equiv), if any."""
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", data[:4096],
                  re.IGNORECASE)
    return m.group(1).decode("ascii") if m else None


def extract(text: str, name: str = "") -> Extracted:
    """Read a saved copy: HTML when it looks like a page, plain text otherwise."""
    return extract_html(text) if looks_like_html(text, name) else extract_text(text)


def _clean(text: str) -> str:
    """NFC, invisible characters gone, every run of whitespace (including no-break) one space."""
    return " ".join(visible(unicodedata.normalize("NFC", text)).split())


_DATE_LINE = re.compile(r"\s*date:?\s+(\S+)\s*(.*)", re.IGNORECASE)


def extract_text(text: str) -> Extracted:
    """Plain text: an optional first line `date YYYY-MM-DD` (page furniture may follow on the
    same line), then paragraphs separated by blank lines. Short unpunctuated single-line
    paragraphs between other paragraphs become section headings."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    date = None
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    m = _DATE_LINE.fullmatch(lines[first]) if first is not None else None
    if m and first is not None and (date := normalize_date(m.group(1))) is not None:
        lines[first] = m.group(2)
    dropped: list[str] = []
    paragraphs: list[tuple[BlockKind, str]] = []
    current: list[str] = []
    for line in lines + [""]:
        cleaned = _clean(line)
        caption, furniture = split_furniture(cleaned) if cleaned else (None, None)
        if furniture:
            dropped.append(furniture)
        if caption or furniture or not cleaned:
            if current:
                paragraphs.append(("p", " ".join(current)))
                current = []
            if caption:
                paragraphs.append(("caption", caption))
        else:
            current.append(cleaned)
    story = [i for i, (kind, _) in enumerate(paragraphs) if kind == "p"]
    last = story[-1] if story else -1
    blocks = [Block("h2" if kind == "p" and _looks_like_heading(p, i == last) else kind, p)
              for i, (kind, p) in enumerate(paragraphs)]
    return Extracted(tuple(blocks), date=date, dropped=tuple(dropped))


_HEADING_END = tuple(".!?:;,…\"”’'»)")
_HEADING_START = tuple("“\"‘'«—–-([")


def _looks_like_heading(paragraph: str, is_last: bool) -> bool:
    """A section heading in a plain-text copy: one short line, no closing punctuation, not a
    quote or byline, and something after it."""
    return (not is_last and len(paragraph) <= 90 and len(paragraph.split()) <= 15
            and not paragraph.endswith(_HEADING_END) and not paragraph.startswith(_HEADING_START)
            and paragraph[0].isupper() and not paragraph.startswith("By "))


_CREDIT_LINES = (
    re.compile(r"[—–-]*\s*[Ww]ith files from (?P<names>.+?)\.?"),
    re.compile(r"[—–-]*\s*(?P<names>[A-Z].{0,80}?) contributed to this "
               r"(?:report|story|article)\.?"),
)
_REPORTING = re.compile(r"(?:[Aa]dditional )?(?:[Rr]eporting|[Ww]riting|[Ee]diting) by "
                        r"(?P<names>.+)")


def find_credits(blocks: Sequence[Block]) -> tuple[str, ...]:
    """Agencies and people a closing credit line names: '— with files from The Associated Press
    and Reuters.', 'Reuters contributed to this report.', 'Reporting by A in Kyiv; Editing by B'."""
    found: list[str] = []
    for block in blocks[-3:]:
        if block.kind != "p":
            continue
        text = block.text
        for pattern in _CREDIT_LINES:
            if m := pattern.fullmatch(text):
                found += _split_names(m.group("names"))
        for part in re.split(r"\s*;\s*", text.rstrip(".")):
            if m := _REPORTING.fullmatch(part.strip("()[] ")):
                names = _split_names(m.group("names"))
                found += [re.sub(r"\s+in\s+[A-Z].*$", "", n) for n in names]  # 'A in Kyiv'
    return tuple(dict.fromkeys(n for n in found if n))


def _split_names(text: str) -> list[str]:
    return [n.strip(" .") for n in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text)]


def blocks_to_markdown(blocks: Iterable[Block]) -> str:
    prefix = {"p": "", "h2": "## ", "h3": "### ", "li": "- ", "quote": "> ", "caption": "*Image:* "}
    out: list[str] = []
    for block in blocks:
        line = prefix[block.kind] + escape_markdown(block.text, block.kind == "p")
        if block.kind == "caption":
            line += "\n{: .ra-caption }"
        if out and block.kind in ("li", "quote") and out[-1].startswith(prefix[block.kind]):
            out[-1] += ("\n" if block.kind == "li" else "\n>\n") + line
        else:
            out.append(line)
    return "\n\n".join(out) + "\n"


def escape_markdown(text: str, at_line_start: bool = True) -> str:
    """Keep copy text literal: no accidental emphasis, code, HTML, headings, lists or quotes."""
    text = re.sub(r"([\\`*_]|<(?=[A-Za-z/!?]))", r"\\\1", text)
    if at_line_start:
        text = re.sub(r"^(#|>|[-+*](?=\s)|\d+(?=[.)]\s))", r"\\\1", text)
    return text


# --- dates and slugs ---------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*"
                  r"(Z|[+-]\d{2}:?\d{2})?)?")


def normalize_date(text: str) -> str | None:
    """'2022-03-30', '2022-03-30T14:05:00+0300' or '…Z' -> a value the schema accepts, or None.
    A time without an offset keeps only the day: its time zone is unknown."""
    m = _ISO.match(text.strip())
    if not m:
        return None
    year, month, day, hour, minute, second, offset = m.groups()
    try:
        day_value = dt.date(int(year), int(month), int(day))
        if hour is None or offset is None:
            return day_value.isoformat()
        shift = dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[-2:])) if offset != "Z" \
            else dt.timedelta()
        zone = dt.timezone(-shift if offset.startswith("-") else shift)
        stamp = dt.datetime(int(year), int(month), int(day), int(hour), int(minute),
                            int(second or 0), tzinfo=zone)
    except ValueError:
        return None
    return stamp.isoformat()


def article_rel_path(day: str, slug: str) -> str:
    """articles/YYYY/MM/<slug>.md for a date value such as '2022-03-30' or a date-time."""
    return f"articles/{day[:4]}/{day[5:7]}/{slug}.md"


# --- the file ----------------------------------------------------------------------------

FIELD_ORDER = ("title", "date", "source", "url", "authors", "language", "summary", "tags",
               "entities", "not_entities", "retrieved", "archive_url", "rights", "credits")


def render_article(fields: dict[str, Any], body: str) -> str:
    """Front matter (fields in FIELD_ORDER, empty ones left out, dates quoted) and the body."""
    unknown = set(fields) - set(FIELD_ORDER)
    if unknown:
        raise ValueError(f"not article fields: {', '.join(sorted(unknown))}")
    ordered = {k: list(fields[k]) if isinstance(fields[k], tuple) else fields[k]
               for k in FIELD_ORDER if fields.get(k) not in (None, "", (), [])}
    # One line per value (no folding): easier to edit, and each key keeps one line number.
    front = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=1_000_000,
                           default_flow_style=False)
    return f"---\n{front}---\n\n{body.strip()}\n"


def build_article(copy: Extracted, *, title: str, date: str, source: str, url: str | None = None,
                  summary: str | None = None, rights: str | None = None) -> tuple[str, str]:
    """The archive path (relative to the root) and the text of the file for a saved copy; the
    keyword values win over what the copy says."""
    fields = {"title": title, "date": date, "source": source, "url": url or copy.url,
              "authors": copy.authors, "language": copy.language or "en", "summary": summary,
              "rights": rights,
              "credits": copy.credits}
    return article_rel_path(date, slugify(title)), render_article(fields, copy.markdown())


def find_duplicate(archive: Archive, url: str | None, body: str) -> tuple[Article, str] | None:
    """An archived article with the same address or the same text, and which of the two."""
    fingerprint = body_fingerprint(body)
    for article in archive.articles:
        if url and article.url and normalize_url(article.url) == normalize_url(url):
            return article, "url"
        if body_fingerprint(article.body) == fingerprint:
            return article, "text"
    return None


def write_article(root: Path, rel_path: str, text: str) -> Path:
    """Write a new file under the archive; FileExistsError if it exists, ValueError if
    `rel_path` would land outside `root/articles`."""
    articles = (Path(root) / "articles").resolve()
    target = (Path(root) / rel_path).resolve()
    if articles not in target.parents:
        raise ValueError(f"{rel_path} is outside the archive's articles folder")
    write_atomic(Path(root) / rel_path, text, overwrite=False)
    return Path(root) / rel_path


# Example values for the commented-out optional fields of the `archive new` template.
TEMPLATE_EXAMPLES: dict[str, str] = {
    # The examples `archive check` refuses when left in (validate.TEMPLATE_VALUES), and others.
    **{key: json.dumps(value, ensure_ascii=False) for key, value in TEMPLATE_VALUES.items()
       if isinstance(value, str)},
    "authors": f"[{', '.join(TEMPLATE_VALUES['authors'])}]",
    "language": "en",
    "tags": "[peace talks, diplomacy]",
    "entities": "[kremlin]",
    "not_entities": "[turkey]",
    "retrieved": '"{today}"',
    "credits": "[The Associated Press, Reuters]",
}


def new_template(day: str, slug: str, title: str = "", source: str = "",
                 today: dt.date | None = None) -> str:
    """A blank article: the required fields (empty unless given, so `archive check` fails until
    they are filled in), every optional field commented out with its meaning, a placeholder body."""
    props = load_schema("article")["properties"]
    required = {"title": title, "date": day, "source": source}
    today_text = (today or dt.date.today()).isoformat()
    lines = ["---"]
    for key in FIELD_ORDER:
        meaning = props[key]["description"]
        if key in required:
            value = json.dumps(required[key], ensure_ascii=False)
            lines += [f"# Required. {meaning}", f"{key}: {value}"]
        else:
            example = TEMPLATE_EXAMPLES[key].format(today=today_text)
            lines += [f"# Optional. {meaning}", f"# {key}: {example}"]
    lines += ["---", "", TEMPLATE_BODY.format(slug=slug)]
    return "\n".join(lines)


# --- names in the text -------------------------------------------------------------------

def find_entities(text: str, entities: Iterable[Entity]) -> list[Entity]:
    """Registry entities one of whose names occurs in `text` as whole words, in order of first
    mention. (A simple stand-in for the linker's matcher, good enough for an import report.)"""
    firsts: list[tuple[int, str, Entity]] = []
    for entity in entities:
        spans = [m.start() for name in entity.names for m in _name_pattern(name).finditer(text)]
        if spans:
            firsts.append((min(spans), entity.id, entity))
    return [e for _, _, e in sorted(firsts, key=lambda t: (t[0], t[1]))]


def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


_COMMON_WORDS = frozenset("""
a about according after against all almost already also although among an and another any as asked
at because before both but by despite during each earlier even every few for from he her here his
however i if in into it its last later many may meanwhile might more most much my next no not now of
often on once only or other our over people perhaps several she since so some still such than that
the their then there these they this those though to today tomorrow under until we what when where
whether which while who why with yet yesterday you your
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
""".split())

_TITLE_WORDS = frozenset("""
president prime minister foreign defence defense mayor governor gov general gen chancellor secretary
state spokesman spokeswoman spokesperson chief deputy vice head ambassador commander colonel col lt
capt adm admiral sen senator rep mr mrs ms dr prof sir lord lady king queen prince princess pope
premier leader judge justice
""".split())

_SPLITTING_TITLES = frozenset("""
president prime minister mayor governor chancellor secretary spokesman spokeswoman spokesperson
mr mrs ms dr gen general sen senator pope king queen
""".split())

_CONNECTORS = frozenset("of the de del da van von der al bin la le".split())
_WORD = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_][\w'’-]*")


def find_candidates(text: str, entities: Iterable[Entity]) -> list[str]:
    """Capitalised names in `text` that are no registry entity's name or alias ('Matilda Bogner'),
    in order of first appearance. Sentence-initial ordinary words, days, months, titles
    ('President') and nationality words are left out, and so is a surname ('Bogner') when
    the full name is a registry name or another candidate."""
    entities = list(entities)
    masked = text
    for name in sorted({n for e in entities for n in e.names}, key=len, reverse=True):
        masked = _name_pattern(name).sub(lambda m: "\x00" * len(m.group()), masked)
    lower_words = set(re.findall(r"\b[a-z][a-z'’-]*\b", text))
    sequences = list(_capitalised_sequences(masked))
    seen_mid = {w for words, initial in sequences for i, w in enumerate(words) if i or not initial}
    found: list[str] = []
    for words, initial in sequences:
        for piece in _split_at_titles(words):
            if piece != words[:len(piece)]:
                initial = False
            if candidate := _candidate(list(piece), initial, lower_words, seen_mid):
                found.append(candidate)
            initial = False
    unique = list(dict.fromkeys(found))
    full_names = [tuple(n.split()) for e in entities for n in e.names]
    full_names += [tuple(c.split()) for c in unique]
    return [c for c in unique if not any(_ends_with(full, tuple(c.split())) for full in full_names)]


def _ends_with(full: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """'Matilda Bogner' ends with 'Bogner': a surname on its own is not a new name."""
    return len(full) > len(part) and full[-len(part):] == part


def _split_at_titles(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """'Ukraine President Volodymyr Zelenskyy' -> ('Ukraine',), ('Volodymyr', 'Zelenskyy')."""
    pieces: list[tuple[str, ...]] = []
    current: list[str] = []
    for word in words:
        if word.lower().rstrip(".") in _SPLITTING_TITLES:
            pieces.append(tuple(current))
            current = []
        else:
            current.append(word)
    return [p for p in pieces + [tuple(current)] if p]


def _candidate(words: list[str], initial: bool, lower_words: set[str],
               seen_mid: set[str]) -> str | None:
    """Trim titles and ordinary words off a run of capitalised words; None if nothing is left
    that looks like a name."""
    while words and (words[0].lower().rstrip(".") in _COMMON_WORDS | _TITLE_WORDS | _CONNECTORS
                     or (initial and words[0].lower() in lower_words)):
        words.pop(0)
        initial = False
    while words and words[-1].lower().rstrip(".") in _COMMON_WORDS | _CONNECTORS:
        words.pop()
    if not words:
        return None
    if len(words) == 1:
        word = words[0]
        demonym = re.search(r"(?:ian|ians|ese|ish)$", word)  # Ukrainian, Japanese, British
        if len(word) < 2 or demonym or (initial and word not in seen_mid):
            return None
    return " ".join(words)


def _capitalised_sequences(text: str) -> Iterator[tuple[tuple[str, ...], bool]]:
    """Runs of capitalised words (with 'of', 'de' … between them), and whether each run starts
    a sentence. A possessive or a lower-case hyphen part ('Moscow-backed') ends a run."""
    run: list[str] = []
    pending: list[str] = []  # connectors waiting for the next capitalised word
    initial = False
    end = 0
    for m in _WORD.finditer(text):
        word = m.group()
        gap = text[end:m.start()]
        joined = bool(run) and gap == " " and not run[-1].endswith(("’s", "'s", "-"))
        if run and not joined:
            yield _finish(run), initial
            run, pending = [], []
        end = m.end()
        if word[0].isupper():
            if not run:
                before = text[:m.start()].rstrip(" “\"‘'([")
                initial = not before or before.endswith((".", "!", "?", "\n", ":", "—", "–"))
            run += pending + [word]
            pending = []
        elif run and word in _CONNECTORS and len(pending) < 2:
            pending.append(word)
        elif run:
            yield _finish(run), initial
            run, pending = [], []
        cut = re.search(r"-(?=[a-z])", word)
        if run and (word.endswith(("’s", "'s")) or cut):
            yield _finish(run), initial
            run, pending = [], []
    if run:
        yield _finish(run), initial


def _finish(run: list[str]) -> tuple[str, ...]:
    words = [re.sub(r"(?:’s|'s|’|')$", "", w) for w in run]
    words = [re.split(r"-(?=[a-z])", w)[0] for w in words]
    return tuple(w for w in words if w)


# --- HTML --------------------------------------------------------------------------------

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_INLINE = frozenset("a abbr b bdi bdo cite code data dfn em font i kbd mark q s samp small span "
                    "strong sub sup time u var wbr br img".split())
_DROP_TAGS = frozenset("nav aside footer header script style noscript template figure figcaption "
                       "form button svg iframe select textarea dialog".split())
_DROP_ROLES = frozenset({"navigation", "complementary", "banner", "contentinfo", "dialog"})
_AD_LIKE = re.compile(r"(?:^|[-_])(?:ad|ads|advert|advertisement|adslot|share|sharing|social|"
                      r"newsletter|promo|related|subscribe|sponsored|outbrain|taboola|paywall)"
                      r"(?:$|[-_])", re.IGNORECASE)


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
        return _clean("".join(parts))

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
    source = (meta.get("og:site_name") or _ld_name(ld.get("publisher"))
              or meta.get("application-name"))
    title = (meta.get("og:title") or _text_or_none(ld.get("headline")) or h1
             or _strip_site(page_title, source) or meta.get("twitter:title"))
    date_candidates = [meta.get("article:published_time"), _text_or_none(ld.get("datePublished")),
                       meta.get("datepublished"), meta.get("date"), meta.get("pubdate"),
                       meta.get("dc.date"), meta.get("dcterms.created")]
    date_candidates += [n.attrs.get("datetime") for n in container.iter() if n.tag == "time"]
    date_candidates += [n.attrs.get("datetime") for n in root.iter() if n.tag == "time"]
    date = next((d for c in date_candidates if c and (d := normalize_date(c))), None)
    canonical = next((n.attrs.get("href") for n in root.iter() if n.tag == "link"
                      and "canonical" in n.attrs.get("rel", "").lower().split()), None)
    ld_url = _text_or_none(ld.get("url")) or _ld_name(ld.get("mainEntityOfPage"), key="@id")
    url = next((u for u in (canonical, meta.get("og:url"), ld_url)
                if u and re.match(r"https?://\S+$", u)), None)
    authors = _ld_people(ld.get("author")) or _split_authors(meta.get("author", ""))
    lang = next((n.attrs.get("lang", "") for n in root.iter() if n.tag == "html"), "")
    language = lang if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", lang) else None
    return Extracted(tuple(blocks), title=_clean(title) if title else None, date=date, url=url,
                     authors=tuple(authors), source=_clean(source) if source else None,
                     language=language, dropped=tuple(dropped))


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
        content = _clean(node.attrs.get("content", ""))
        if key and content:
            found.setdefault(key.lower(), content)
    return found


_ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNews", "AnalysisNewsArticle", "BlogPosting",
                  "LiveBlogPosting", "OpinionNewsArticle", "BackgroundNewsArticle", "WebPage"}


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
    names = [_clean(n) for item in items if (n := _ld_name(item))]
    return list(dict.fromkeys(n for n in names if not re.match(r"https?://", n)))


def _split_authors(text: str) -> list[str]:
    if not text or re.match(r"https?://", text):
        return []
    return [n for n in _split_names(re.sub(r"^By\s+", "", _clean(text))) if n]


def _strip_site(title: str | None, site: str | None) -> str | None:
    """'Headline | Site' or 'Headline - Site' -> 'Headline'."""
    if not title:
        return None
    parts = re.split(r"\s+[|–—-]\s+", title)
    if len(parts) > 1 and (site is None or _clean(parts[-1]).lower() == _clean(site).lower()
                           or len(parts[-1]) < 30):
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
    mains = [n for n in root.iter()
             if (n.tag == "main" or n.attrs.get("role") == "main") and body_text(n) > 0]
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
            text = _clean(piece.replace("\x00", " "))
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
