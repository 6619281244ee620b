"""Hypercare Plan (.docx): the weeks of support after go-live, with weekly 30-minute office
hours dated from the launch, what is watched each week, who answers what, the training
sessions, and the enablement sign-off."""

from __future__ import annotations

import datetime as dt
from typing import Any

from deliverables.core import enablement
from deliverables.core import stages as known
from deliverables.core.context import Context
from deliverables.core.dates import long_date
from deliverables.core.model import Project
from deliverables.core.teams import handoffs
from deliverables.documents.words import data as tdata
from deliverables.documents.words import grammar, prose

NAME = "hypercare"
SUFFIXES = (".docx",)
DESCRIPTION = (
    "Hypercare Plan: weekly office hours after go-live, what is watched each week, who answers what,"
    " the training sessions and the enablement sign-off (Word)."
)
CONSUMES = ()
EXTERNAL = ("base.docx",)
KINDS = {"leadership": "Leadership", "technical": "Technical", "end-user": "End user"}


def files(project: Project) -> tuple[str, ...]:
    """The one file this deliverable writes."""
    return (f"hypercare-plan-v{project.version}.docx",)


def view(project: Project, ctx: Context) -> dict[str, Any]:
    """What the plan says, dated from the launch when it is known."""
    text = tdata.load(ctx, "hypercare/plan.yaml")
    plan = project.enablement
    weeks = plan.hypercare_weeks
    architect = project.architect or "The architect"
    launch = project.client.launch_date
    sessions = enablement.sessions(project)
    intro = [tdata.fill(text["purpose"], weeks=grammar.count(weeks, "week"), architect=architect)]
    if launch:
        end = launch + dt.timedelta(days=7 * weeks - 1)
        intro.append(tdata.fill(text["launch_given"], launch=long_date(launch), end=long_date(end)))
    else:
        intro.append(text["launch_open"])
    if plan.help:
        intro.append(tdata.fill(text["help"], help=plan.help))
    return {
        "file": files(project)[0],
        **prose.cover(project, ctx, text["title"]),
        "intro": intro,
        "hours_intro": text["hours_intro"],
        "hours": _hours(project, text),
        "watch_intro": text["watch_intro"],
        "watch": _watch(project, text),
        "escalation_intro": text["escalation_intro"],
        "escalation": _escalation(project, text, architect),
        "training_intro": text["training_intro"],
        "training": [
            {
                "team": s.team,
                "kind": KINDS[s.kind],
                "minutes": f"{s.minutes} minutes",
                "date": long_date(s.date) if s.date else "To be scheduled",
                "trainer": s.trainer,
            }
            for s in sessions
            if s.stages
        ],
        "signoff_intro": text["signoff_intro"],
        "checklist": [
            tdata.fill(item, sessions=grammar.count(sum(1 for s in sessions if s.stages), "session"))
            for item in text["checklist"]
        ],
        "signers": _signers(project),
    }


def _hours(project: Project, text: dict[str, Any]) -> list[dict[str, str]]:
    """One office hours slot a week, dated when the launch is known, with its focus."""
    dates = enablement.office_hours(project)
    focus = text["focus"]
    rows = []
    for week in range(project.enablement.hypercare_weeks):
        when = long_date(dates[week]) if dates else tdata.fill(text["after_launch"], days=3 + 7 * week)
        rows.append(
            {
                "week": tdata.fill(text["week"], number=week + 1),
                "date": when,
                "focus": focus[min(week, len(focus) - 1)].strip(),
            }
        )
    return rows


def _watch(project: Project, text: dict[str, Any]) -> list[dict[str, str]]:
    """The weekly checks, with the hand-offs to test and the conversions to record in this client's names."""
    order = {stage.id: i for i, stage in enumerate(project.flow())}
    forward = [
        h for h in handoffs(project) if order[h.target.id] > order[h.source.id] and not known.closes_lost(h.target)
    ]
    ways = [f"{h.source.short} → {h.target.short}" for h in forward]
    automation = (
        tdata.fill(text["automation_rules"], rules=grammar.and_list(ways)) if ways else text["automation_default"]
    )
    conversions = grammar.and_list(ways[:4]) if ways else "Every stage transition"
    last = project.enablement.hypercare_weeks
    rows = []
    for item in text["watch"]:
        look = tdata.fill(item["look"], automation=automation, conversions=conversions)
        week = tdata.fill(text["week"], number=min(item["week"], last))
        rows.append(
            {"week": week, "check": item["check"], "look": look, "flag": item["flag"], "metric": item["metric"]}
        )
    return rows


def _escalation(project: Project, text: dict[str, Any], architect: str) -> list[dict[str, str]]:
    """Who answers what, named with this client's people."""
    revops = [p for p in project.stakeholders if p.department == "revops"]
    lead = "The team's lead, then " + architect
    admin = next((p.label for p in revops if p.id != (revops[0].id if revops else None)), None)
    owner = revops[0].label if revops else "RevOps"
    names = {"lead": lead, "admin": admin or owner, "owner": owner, "architect": architect}
    return [{k: tdata.fill(v, **names) for k, v in row.items()} for row in text["escalation"]]


def _signers(project: Project) -> list[dict[str, str]]:
    """The RevOps lead and the architect sign enablement off; a dated `enablement` sign-off fills its date."""
    revops = next((p for p in project.stakeholders if p.department == "revops"), None)
    rows = []
    people = [(revops.id, revops.label) if revops else ("revops", project.owner_name("revops"))]
    if project.architect:
        people.append(("", project.architect))
    for key, label in people:
        signed = next((s for s in project.signoffs if s.by == key and s.scope == "enablement" and s.date), None)
        rows.append({"name": label, "date": long_date(signed.date) if signed and signed.date else ""})
    return rows


def render(view: dict[str, Any], ctx: Context) -> dict[str, bytes]:
    """The plan document."""
    from deliverables.documents.hypercare import word

    return {view["file"]: word.write(view, ctx)}
