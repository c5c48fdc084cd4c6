"""The date of a build: its newest article's day, so that two builds of an archive are
byte-identical (MkDocs takes SOURCE_DATE_EPOCH for the sitemap's dates and the gzip header's
mtime)."""

from __future__ import annotations

import calendar
import datetime as dt
import os

from ..model import Archive

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


def newest_article_day(archive: Archive) -> dt.date | None:
    """The publication day of the newest article, if there is one."""
    return max((article.date for article in archive.articles), default=None)


def pin_build_date(archive: Archive) -> bool:
    """Date the build by its newest article; whether it did (a value the caller set wins, and an
    archive without articles is not dated). An archive whose newest article predates 1970 is
    dated 1970-01-01: a gzip header holds no earlier time, and MkDocs cannot read back a date
    before the year 1000 (it writes year 1 as '1-01-01'). Undo with unpin_build_date."""
    newest = newest_article_day(archive)
    if os.environ.get(EPOCH_VARIABLE) or newest is None:
        return False
    os.environ[EPOCH_VARIABLE] = str(max(0, calendar.timegm(newest.timetuple())))
    return True


def unpin_build_date() -> None:
    os.environ.pop(EPOCH_VARIABLE, None)
