"""A small RFC 5545 writer for all-day, possibly recurring events.

Written by hand rather than through a library so the bytes are fully
determined by the input: CRLF line endings, folding at 75 octets without
splitting a UTF-8 character, TEXT escaping of backslash, semicolon, comma and
newlines, and a DTSTAMP the caller fixes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

LIMIT = 75


@dataclass(frozen=True)
class Event:
    """An all-day event; `rrule` is an RRULE value such as `FREQ=MONTHLY`."""

    uid: str
    day: dt.date
    summary: str
    description: str = ""
    rrule: str | None = None
    alarm_days_before: int | None = None


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, continuation lines
    starting with one space; never inside a multi-byte character."""
    chunks, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LIMIT if not chunks else LIMIT - 1
        if size + width > limit:
            chunks.append(current)
            current, size = "", 0
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def event_lines(event: Event, stamp: dt.date) -> list[str]:
    """The content lines of one VEVENT."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape(event.uid)}",
        f"DTSTAMP:{_date(stamp)}T000000Z",
        f"DTSTART;VALUE=DATE:{_date(event.day)}",
        f"DTEND;VALUE=DATE:{_date(event.day + dt.timedelta(days=1))}",
        f"SUMMARY:{escape(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.rrule:
        lines.append(f"RRULE:{event.rrule}")
    lines.append("TRANSP:TRANSPARENT")
    if event.alarm_days_before is not None:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape(event.summary)}",
            f"TRIGGER:-P{event.alarm_days_before}D",
            "END:VALARM",
        ]
    return lines + ["END:VEVENT"]


def calendar(name: str, events: list[Event], stamp: dt.date) -> bytes:
    """A whole VCALENDAR as bytes."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//deliver//Maintenance Schedule//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines += event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return ("".join(fold(line) + "\r\n" for line in lines)).encode("utf-8")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))
