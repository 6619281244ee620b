"""The dates documents print: which date a version carries, and how it is written."""

from __future__ import annotations

import datetime as dt
import os

from deliverables.core.model import Project

FALLBACK_DATE = dt.date(2000, 1, 1)
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


def document_date(project: Project) -> dt.date:
    """The date printed on documents: the file's `date`, else SOURCE_DATE_EPOCH, else 2000-01-01."""
    if project.date is not None:
        return project.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        try:
            day = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            day = dt.date.max
        if not 1980 <= day.year <= 2099:
            from deliverables.core.errors import DeliverError

            raise DeliverError(
                f"SOURCE_DATE_EPOCH={epoch} is outside the years 1980 to 2099; unset it or give the client file a date"
            )
        return day
    return FALLBACK_DATE


def shown_date(project: Project) -> str:
    """The version's date as documents print it, or `undated draft` when the file gives none:
    a date the client never chose is never printed."""
    return long_date(project.date) if project.date is not None else UNDATED


UNDATED = "undated draft"


def version_line(project: Project) -> str:
    """The version line of every cover and title slide: `Version v1 · 20 November 2026`."""
    return f"Version v{project.version} · {shown_date(project)}"


def long_date(day: dt.date) -> str:
    """`20 November 2026`, independent of the machine's locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
