"""How the site writes a day and a moment for readers: '30 March 2022', '30 March 2022, 00:29 UTC'.

Shared by the pages (render), the citations (cite) and the feeds; English month names whatever
the machine's locale."""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def long_time(moment: dt.datetime) -> str:
    """'27 July 2022, 00:29 UTC', or with the offset the source gave ('…, 09:15 UTC+03:00'); a
    time without offset is written as given."""
    offset = moment.utcoffset()
    if offset is None:
        zone = ""
    elif not offset:
        zone = " UTC"
    else:
        zone = " UTC" + moment.strftime("%z")[:3] + ":" + moment.strftime("%z")[3:5]
    return f"{long_date(moment.date())}, {moment:%H:%M}{zone}"


def moment_text(day: dt.date, moment: dt.datetime | None) -> str:
    """An article's publication as readers see it: the time too when the source gives one."""
    return long_time(moment) if moment else long_date(day)
