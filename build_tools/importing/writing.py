"""The archive file an import or `archive new` writes: its path, front matter in a fixed order,
the template, duplicate detection, and the one atomic write to the disk."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import frontmatter

from ..check import TEMPLATE_BODY, TEMPLATE_VALUES, body_fingerprint, load_schema
from ..files import write_atomic
from ..folding import slugify
from ..model import Archive, Article
from ..urls import normalize_url
from .extracted import Extracted


def article_rel_path(day: str, slug: str) -> str:
    """articles/YYYY/MM/<slug>.md for a date value such as '2022-03-30' or a date-time."""
    return f"articles/{day[:4]}/{day[5:7]}/{slug}.md"


# --- the file ----------------------------------------------------------------------------

FIELD_ORDER = tuple(load_schema("article")["properties"])  # the schema's order


def render_article(fields: dict[str, Any], body: str, extra: tuple[str, ...] = ()) -> str:
    """Front matter (fields in FIELD_ORDER, then the `extra` keys of the archive's own groupings,
    empty ones left out, dates quoted) and the body."""
    order = (*FIELD_ORDER, *extra)
    unknown = set(fields) - set(order)
    if unknown:
        raise ValueError(f"not article fields: {', '.join(sorted(unknown))}")
    ordered = {
        k: list(fields[k]) if isinstance(fields[k], tuple) else fields[k]
        for k in order
        if fields.get(k) not in (None, "", (), [])
    }
    # python-frontmatter writes the file (safe YAML between '---' lines, then the text). One
    # line per value (no folding): easier to edit, and each key keeps one line number.
    post = frontmatter.Post(body.strip())
    post.metadata.update(ordered)
    return frontmatter.dumps(post, sort_keys=False, width=1_000_000) + "\n"


def build_article(
    copy: Extracted,
    *,
    title: str,
    date: str,
    source: str,
    url: str | None = None,
    summary: str | None = None,
    rights: str | None = None,
) -> tuple[str, str]:
    """The archive path (relative to the root) and the text of the file for a saved copy; the
    keyword values win over what the copy says."""
    fields = {
        "title": title,
        "date": date,
        "source": source,
        "url": url or copy.url,
        "authors": copy.authors,
        "language": copy.language or "en",
        "summary": summary,
        "rights": rights,
        "credits": copy.credits,
        "dateline": copy.dateline,
    }
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
    **{
        key: json.dumps(value, ensure_ascii=False)
        for key, value in TEMPLATE_VALUES.items()
        if isinstance(value, str)
    },
    "authors": f"[{', '.join(TEMPLATE_VALUES['authors'])}]",
    "language": "en",
    "tags": "[peace talks, diplomacy]",
    "entities": "[kremlin]",
    "not_entities": "[turkey]",
    "retrieved": '"{today}"',
    "dateline": '"MINSK, 21 July (BelTA)"',
    "credits": "[The Associated Press, Reuters]",
    "paragraphs": "reconstructed",
}


def new_template(day: str, slug: str, title: str = "", source: str = "", today: dt.date | None = None) -> str:
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
