"""Maintenance Schedule (.docx) and its calendar (.ics): monthly and quarterly checks
with red-flag thresholds, first-cycle checks, reviews, triggers, escalation and owner."""

from __future__ import annotations

import datetime as dt
from typing import Any

from deliverables.backends.ical import Event, add_months
from deliverables.core import stages
from deliverables.core.context import Context
from deliverables.core.dates import long_date
from deliverables.core.model import Project
from deliverables.documents.words import data as tdata
from deliverables.documents.words import grammar, prose

NAME = "maintenance"
SUFFIXES = (".docx", ".ics")
DESCRIPTION = "Maintenance Schedule (.docx) with a calendar of the recurring checks (.ics)."
CONSUMES = ()
EXTERNAL = ("base.docx", "exports")
LISTS = (
    ("monthly", "monthly tasks", ("task", "check", "red_flag")),
    ("quarterly", "quarterly tasks", ("task", "check", "action")),
    ("triggers", "refinement triggers", ("trigger", "threshold", "response")),
)


REVIEW_MEETINGS = ("final-review", "handoff")
"""Meetings at or after the final review: their date may anchor the calendar."""


def anchor(project: Project) -> tuple[dt.date | None, str]:
    """The day every maintenance date counts from, and which it is: the launch date, else the
    date of a version prepared for the final review or later, else none yet."""
    if project.client.launch_date is not None:
        return project.client.launch_date, "launch_given"
    if project.date is not None and project.meeting in REVIEW_MEETINGS:
        return project.date, "launch_review"
    return None, "launch_open"


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes: the calendar only once its dates are known."""
    names = (f"maintenance-schedule-v{project.version}.docx",)
    return names + ((f"maintenance-v{project.version}.ics",) if anchor(project)[0] else ())


def _handoff_day(project: Project) -> str:
    """The handoff's date when this version prepares the final review and the file dates the next meeting."""
    return long_date(project.next_meeting) if project.meeting == "final-review" and project.next_meeting else ""


def view(project: Project, ctx: Context) -> dict[str, Any]:
    """What the schedule says, dated from the launch, else the final review, else relative to launch."""
    text = tdata.load(ctx, "maintenance/standard.yaml")
    launch, note_key = anchor(project)
    if launch is None and project.meeting in REVIEW_MEETINGS:
        # Before the final review an open launch date is normal, and the schedule says when it is set.
        ctx.warn(
            ("client",),
            "no client.launch_date and no date for this final-review version: the maintenance schedule "
            "times its checks relative to launch and no calendar file is written",
        )
    lists, standard = _lists(project, text)
    _name_reports(lists, text, tdata.load(ctx, "measures/framework.yaml"))
    client = project.client.name
    data = {"client": client, "architect": project.architect or "The architect"}
    events = _events(project, text, lists, launch) if launch else []
    names = files(project)
    return {
        "file": names[0],
        "ics": names[1] if len(names) > 1 else None,
        **prose.cover(project, ctx, text["title"]),
        "purpose": text["purpose"],
        "framework_note": text["framework_note"],
        "launch_note": tdata.fill(text[note_key], launch=long_date(launch) if launch else ""),
        "owner": tdata.fill(text["owner"][project.client.engagement], **data),
        "standard_note": tdata.fill(
            text["standard_note"], lists=grammar.and_list(standard), handoff=_handoff_day(project)
        )
        if standard
        else "",
        **lists,
        "first_cycle": _window(text["first_cycle"], launch, 30, 60),
        "review": _review(text["review"], launch),
        "escalation": list(text["escalation"]),
        "call_back": text["call_back"],
        "checkin": _checkin(project, text, launch),
        "events": events,
        "schedule": _schedule(project, text, events),
        "stamp": ctx.date,
        "calendar_name": f"{client} · {text['title']}",
        "baselines": _baselines(project, ctx),
    }


DROP_POINTS = 5
"""A conversion rate falling by more than this many points from its audit baseline is a red flag."""


def _baselines(project: Project, ctx: Context) -> dict[str, Any] | None:
    """Red-flag thresholds measured from the current-state audit, when there is one."""
    if project.audit is None:
        return None
    from deliverables.backends.data import measure
    from deliverables.documents import measured

    result = measure(project, ctx)
    rows = []
    for move in result.metrics["transitions"]:
        a, b = project.stage(move["from"]), project.stage(move["to"])
        if move["rate"] is None or not measured.forward(project, move):
            continue
        today = measured.pct(move["rate"])
        rows.append(
            {
                "measure": f"{a.short} → {b.short} conversion",
                "today": today,
                "red_flag": f"{a.short} → {b.short} is {today} today: act on a drop of more than {DROP_POINTS} points",
            }
        )
    for row in measured.funnel_rows(project, result.metrics):
        if row["stuck"] and not row["outcome"]:
            stage = row["stage"]
            days = project.audit.stuck_days(stage.id)
            rows.append(
                {
                    "measure": f"Records in {stage.short} for over {days} days",
                    "today": f"{row['stuck']:,}",
                    "red_flag": f"{row['stuck']:,} today: act when the number grows from one month to the next",
                }
            )
    return {"as_of": long_date(result.as_of), "rows": rows} if rows else None


def _schedule(project: Project, text: dict[str, Any], events: list[Event]) -> list[dict[str, str]]:
    """The calendar's events as table rows, first date first."""
    rows = []
    for e in sorted(events, key=lambda e: e.day):
        kind = text["calendar"][e.uid.removeprefix(project.slug + "-").split("@")[0]]
        rows.append({"summary": e.summary, "first": long_date(e.day), "repeats": kind["repeats"]})
    return rows


def _lists(project: Project, text: dict[str, Any]) -> tuple[dict[str, list[dict[str, str]]], list[str]]:
    """Each maintenance list from the client file, or the standard one when empty."""
    result, standard = {}, []
    for key, label, fields in LISTS:
        own = getattr(project.maintenance, key)
        if own:
            result[key] = [{f: getattr(item, f) for f in fields} for item in own]
        else:
            items = [stages.standard_check(project, item) for item in text[key]]
            result[key] = [{f: item.get(f, "") for f in fields} for item in items]
            standard.append(label)
    return result, standard


def _name_reports(lists: dict[str, list[dict[str, str]]], text: dict[str, Any], framework: dict[str, Any]) -> None:
    """Give each monthly and quarterly check the framework report it reads, by words in its name."""
    for key in ("monthly", "quarterly"):
        for item in lists[key]:
            name = item["task"].casefold()
            found = next((c for c, words in text["framework_reports"].items() if any(w in name for w in words)), None)
            title = framework["categories"][found]["title"] if found else ""
            item["report"] = tdata.fill(text["framework_label"], report=title) if title else ""


def _window(items: list[dict[str, str]], launch: dt.date | None, first: int, last: int) -> dict[str, Any]:
    """Checks due between `first` and `last` days after launch, dated when the launch is known."""
    if launch is None:
        when = f"Between {first} and {last} days after launch"
    else:
        start, end = launch + dt.timedelta(days=first), launch + dt.timedelta(days=last)
        when = f"Between {long_date(start)} and {long_date(end)}"
    return {"when": when, "items": list(items)}


def _review(items: list[dict[str, str]], launch: dt.date | None) -> dict[str, Any]:
    """The 6 to 12 month review, dated when the launch is known."""
    if launch is None:
        return {"when": "Between 6 and 12 months after launch", "items": list(items)}
    when = f"Between {long_date(add_months(launch, 6))} and {long_date(add_months(launch, 12))}"
    return {"when": when, "items": list(items)}


def _checkin(project: Project, text: dict[str, Any], launch: dt.date | None) -> dict[str, str] | None:
    """Dedicated engagements only: the check-in a quarter out, prepared two weeks before."""
    if project.client.engagement != "dedicated":
        return None
    day = add_months(launch, 3) if launch else None
    return {
        "date": long_date(day) if day else "About 3 months after launch",
        "prep": long_date(day - dt.timedelta(days=14)) if day else "Two weeks before",
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
            by=long_date(launch + dt.timedelta(days=60)),
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

    files = {view["file"]: maintenance_word.write(view, ctx)}
    if view["ics"]:
        files[view["ics"]] = calendar(view["calendar_name"], view["events"], view["stamp"])
    return files
