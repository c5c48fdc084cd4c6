"""Importing: a saved copy (HTML or plain text) into an archive file, page furniture stripped,
names found, the file written atomically; and the template `archive new` writes."""

from __future__ import annotations

from .extracted import Block, BlockKind, Extracted, blocks_to_markdown, find_credits, normalize_date
from .furniture import FURNITURE_RULES, FurnitureRule, furniture_rule, is_furniture, split_furniture
from .html import extract_html
from .names import find_candidates, find_entities
from .sniff import extract, html_charset, looks_like_html
from .text import extract_text
from .writing import (
    FIELD_ORDER,
    TEMPLATE_EXAMPLES,
    article_rel_path,
    build_article,
    find_duplicate,
    new_template,
    render_article,
    write_article,
)

__all__ = [
    "FIELD_ORDER",
    "FURNITURE_RULES",
    "TEMPLATE_EXAMPLES",
    "Block",
    "BlockKind",
    "Extracted",
    "FurnitureRule",
    "article_rel_path",
    "blocks_to_markdown",
    "build_article",
    "extract",
    "extract_html",
    "extract_text",
    "find_candidates",
    "find_credits",
    "find_duplicate",
    "find_entities",
    "furniture_rule",
    "html_charset",
    "is_furniture",
    "looks_like_html",
    "new_template",
    "normalize_date",
    "render_article",
    "split_furniture",
    "write_article",
]
