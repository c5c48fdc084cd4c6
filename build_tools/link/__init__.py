"""Stage 3, link: who and what each article mentions, the days it names, related articles."""

from __future__ import annotations

from .dates import DateRef, find_dates
from .links import ArticleLinks, LinkedArchive, link
from .mentions import EntityMatcher, Mention

__all__ = ["ArticleLinks", "DateRef", "EntityMatcher", "LinkedArchive", "Mention", "find_dates", "link"]
