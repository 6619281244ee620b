"""The enablement plan of a client: one training session per audience, and the
weekly office hours of hypercare after launch.

Audiences come from `enablement.audiences` when the file lists them, else one
per team owning stages (`core.teams`): RevOps gets the technical session, the
other teams the end-user session, `leadership` the leadership session on the
golden stages. Lengths follow the playbook (30, 45, 30 minutes) unless
`enablement.sessions` or the audience says otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from deliverables.core.model import SESSION_MINUTES, Project, Stage, department_title, slugify
from deliverables.core.teams import team_split

LEADERSHIP = "leadership"


@dataclass(frozen=True)
class Session:
    """One audience's training session."""

    slug: str
    """File-name part: `training-<slug>-vN.pptx`."""
    team: str
    """Display name of the audience, e.g. `Customer Success`."""
    department: str
    """Department id of the team (or `leadership`)."""
    kind: str
    """leadership, technical or end-user."""
    minutes: int
    date: dt.date | None
    trainer: str
    """How the documents name the trainer: a stakeholder's name and title, or the name as given."""
    stages: tuple[Stage, ...]
    index: int | None = None
    """Position under `enablement.audiences`, when listed there."""


def sessions(project: Project) -> tuple[Session, ...]:
    """Every training session, in the file's order, else in flow order of the teams' first stages."""
    split = team_split(project)
    plan = project.enablement
    if not plan.audiences:
        keys = {department_title(k): k for k in _departments(project)}
        return tuple(
            _session(project, name, keys.get(name, slugify(name)), None, None, None, "", stages)
            for name, stages in split.items()
        )
    found = []
    for i, audience in enumerate(plan.audiences):
        if audience.team == LEADERSHIP:
            stages = tuple(s for s in project.flow() if s.golden)
            name = audience.name or "Leadership"
        else:
            name = audience.name or department_title(audience.team)
            stages = split.get(department_title(audience.team), ())
        found.append(
            _session(
                project,
                name,
                audience.team,
                audience.kind,
                audience.minutes,
                audience.date,
                audience.trainer,
                stages,
                i,
            )
        )
    return tuple(found)


def _departments(project: Project) -> list[str]:
    keys = ["marketing", "sales", "cs", "revops", *project.departments]
    return keys + [p.department for p in project.stakeholders if p.department]


def _session(
    project: Project,
    name: str,
    department: str,
    kind: str | None,
    minutes: int | None,
    date: dt.date | None,
    trainer: str,
    stages: tuple[Stage, ...],
    index: int | None = None,
) -> Session:
    kind = kind or (LEADERSHIP if department == LEADERSHIP else "technical" if department == "revops" else "end-user")
    length = minutes or project.enablement.sessions.get(kind) or SESSION_MINUTES[kind]  # type: ignore[call-overload]
    who = trainer or project.enablement.trainer or project.architect
    person = project.stakeholder(who)
    return Session(slugify(name), name, department, kind, length, date, person.label if person else who, stages, index)


def office_hours(project: Project) -> tuple[dt.date, ...]:
    """One 30-minute office hours slot a week during hypercare, the first three days after launch."""
    launch = project.client.launch_date
    if launch is None:
        return ()
    return tuple(launch + dt.timedelta(days=3 + 7 * week) for week in range(project.enablement.hypercare_weeks))
