"""Maintenance Schedule (.docx) and its calendar (.ics): monthly and quarterly checks
with red-flag thresholds, first-cycle checks, reviews, triggers, escalation and owner."""

from __future__ import annotations

import datetime as dt
from typing import Any

from deliverables.backends.ical import Event, add_months
from deliverables.core.context import Context
from deliverables.core.model import Project
from deliverables.documents.words import data as tdata

NAME = "maintenance"
SUFFIXES = (".docx", ".ics")
DESCRIPTION = "Maintenance Schedule (.docx) with a calendar of the recurring checks (.ics)."
CONSUMES = ()
EXTERNAL = ("base.docx",)
LISTS = (
    ("monthly", "monthly tasks", ("task", "check", "red_flag")),
    ("quarterly", "quarterly tasks", ("task", "check", "action")),
    ("triggers", "refinement triggers", ("trigger", "threshold", "response")),
)


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes for the project's version."""
    return (f"maintenance-schedule-v{project.version}.docx", f"maintenance-v{project.version}.ics")


def view(project: Project, ctx: Context) -> dict[str, Any]:
    """What the schedule says, dated from the launch (or the document date)."""
    text = tdata.load(ctx, "maintenance/standard.yaml")
    launch = project.client.launch_date or ctx.date
    lists, standard = _lists(project, text)
    client, state = project.client.name, "FINAL" if project.is_final() else "DRAFT"
    note_key = "launch_given" if project.client.launch_date else "launch_missing"
    data = {"client": client, "architect": project.architect or "The architect"}
    return {
        "file": f"maintenance-schedule-v{project.version}.docx",
        "ics": f"maintenance-v{project.version}.ics",
        "title": text["title"],
        "client": client,
        "author": project.architect,
        "date": ctx.date,
        "state": state,
        "header": f"{client} · {text['title']}",
        "footer": f"v{project.version} · {state}",
        "meta": [
            f"Version {project.version} · {ctx.date.isoformat()}",
            f"Prepared by {project.architect}" if project.architect else "",
        ],
        "purpose": text["purpose"],
        "launch_note": tdata.fill(text[note_key], launch=launch.isoformat()),
        "owner": tdata.fill(text["owner"][project.client.engagement], **data),
        "standard_note": tdata.fill(text["standard_note"], lists=_join(standard)) if standard else "",
        **lists,
        "first_cycle": _dated(text["first_cycle"], launch + dt.timedelta(days=30), launch + dt.timedelta(days=60)),
        "review": _dated(text["review"], add_months(launch, 6), add_months(launch, 12)),
        "escalation": list(text["escalation"]),
        "call_back": text["call_back"],
        "checkin": _checkin(project, text, launch),
        "events": (events := _events(project, text, lists, launch)),
        "schedule": [
            {
                "summary": e.summary,
                "first": e.day.isoformat(),
                "repeats": text["calendar"][e.uid.removeprefix(project.slug + "-").split("@")[0]]["repeats"],
            }
            for e in sorted(events, key=lambda e: e.day)
        ],
        "stamp": ctx.date,
        "calendar_name": f"{client} · {text['title']}",
    }


def _lists(project: Project, text: dict[str, Any]) -> tuple[dict[str, list[dict[str, str]]], list[str]]:
    """Each maintenance list from the client file, or the standard one when empty."""
    result, standard = {}, []
    for key, label, fields in LISTS:
        own = getattr(project.maintenance, key)
        if own:
            result[key] = [{f: getattr(item, f) for f in fields} for item in own]
        else:
            result[key] = [{f: item.get(f, "") for f in fields} for item in text[key]]
            standard.append(label)
    return result, standard


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _dated(items: list[dict[str, str]], start: dt.date, end: dt.date) -> dict[str, Any]:
    return {"from": start.isoformat(), "to": end.isoformat(), "items": list(items)}


def _checkin(project: Project, text: dict[str, Any], launch: dt.date) -> dict[str, str] | None:
    """Dedicated engagements only: the check-in a quarter out, prepared two weeks before."""
    if project.client.engagement != "dedicated":
        return None
    day = add_months(launch, 3)
    return {
        "date": day.isoformat(),
        "prep": (day - dt.timedelta(days=14)).isoformat(),
        "text": text["checkin"]["text"],
        "prep_text": text["checkin"]["prep"],
    }


def _events(project: Project, text: dict[str, Any], lists: dict[str, Any], launch: dt.date) -> list[Event]:
    """Calendar events with stable UIDs (client slug + kind). Recurring ones start on
    day 28 at the latest, so no month is skipped."""
    cal, slug, client = text["calendar"], project.slug, project.client.name
    anchor = launch.replace(day=min(launch.day, 28))

    def event(kind: str, day: dt.date, rrule: str | None = None, alarm: int | None = None, **data: str) -> Event:
        return Event(
            f"{slug}-{kind}@deliver",
            day,
            tdata.fill(cal[kind]["summary"], client=client),
            tdata.fill(cal[kind]["description"], **data),
            rrule,
            alarm,
        )

    names = {key: "; ".join(item[LISTS_FIRST[key]] for item in lists[key]) for key in ("monthly", "quarterly")}
    events = [
        event(
            "adoption",
            launch + dt.timedelta(days=30),
            by=(launch + dt.timedelta(days=60)).isoformat(),
            tasks="; ".join(i["name"] for i in text["first_cycle"]),
        ),
        event("monthly", add_months(anchor, 1), "FREQ=MONTHLY", tasks=names["monthly"]),
        event("quarterly", add_months(anchor, 3), "FREQ=MONTHLY;INTERVAL=3", tasks=names["quarterly"]),
        event(
            "review",
            add_months(anchor, 6),
            "FREQ=MONTHLY;INTERVAL=6",
            tasks="; ".join(i["name"] for i in text["review"]),
        ),
    ]
    if project.client.engagement == "dedicated":
        events.append(
            event(
                "checkin", add_months(launch, 3), None, 14, text=text["checkin"]["text"], prep=text["checkin"]["prep"]
            )
        )
    return events


LISTS_FIRST = {key: fields[0] for key, _, fields in LISTS}


def render(view: dict[str, Any], ctx: Context) -> dict[str, bytes]:
    """The schedule document and the calendar file."""
    from deliverables.backends.ical import calendar
    from deliverables.documents.maintenance import word as maintenance_word

    return {
        view["file"]: maintenance_word.write(view, ctx),
        view["ics"]: calendar(view["calendar_name"], view["events"], view["stamp"]),
    }
