"""The teams of a lifecycle: who owns which stages, for training and per-team documents.

A stage belongs to the team that owns entry to it: its owner when that is a
department, the owner's department when it is a person, else the team the
playbook gives its domain. Teams are listed in flow order of their first stage.
"""

from __future__ import annotations

from dataclasses import dataclass

from deliverables.core.model import Project, Stage, department_title

DOMAIN_TEAMS: dict[str, str] = {
    "lead": "marketing",
    "sales": "sales",
    "customer": "cs",
    "company": "revops",
    "poc": "sales",
    "renewal": "cs",
    "expansion": "cs",
}
"""The team owning a domain's stages when a stage names no owner."""


@dataclass(frozen=True)
class Team:
    """A team and the stages it owns, in flow order."""

    id: str
    name: str
    stages: tuple[Stage, ...]


def team_of(project: Project, stage: Stage) -> str:
    """The id of the team owning entry to `stage`."""
    person = project.stakeholder(stage.owner)
    if person is not None:
        return person.department or person.id
    return stage.owner or DOMAIN_TEAMS.get(stage.domain, "revops")


def team_name(project: Project, team: str) -> str:
    """A team's display name: the department's title (`cs` -> `Customer Success`)."""
    return department_title(team)


def teams(project: Project) -> tuple[Team, ...]:
    """Every team owning at least one stage, in flow order of its first stage."""
    owned: dict[str, list[Stage]] = {}
    for stage in project.flow():
        owned.setdefault(team_of(project, stage), []).append(stage)
    return tuple(Team(key, team_name(project, key), tuple(stages)) for key, stages in owned.items())
