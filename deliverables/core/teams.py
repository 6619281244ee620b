"""Which team uses which stages: the split of an architecture into teams, from the
stages' owners and domains.

A stage belongs to the team of its owner: the department a department id
names, or the department of the stakeholder it names. A stage without an owner
(or owned by a stakeholder without a department) belongs to the team owning
most of its domain's other stages, else to the domain's usual team (Lead:
Marketing; Sales and POC: Sales; Customer, Renewal and Expansion: Customer
Success), else to a team named after the domain. Every per-team document (the
split reference card, the enablement kit's cards) reads the split from here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deliverables.core.flow import exits_of
from deliverables.core.model import department_title

if TYPE_CHECKING:
    from deliverables.core.model import Project, Stage

DOMAIN_TEAMS: dict[str, str] = {
    "lead": "marketing",
    "sales": "sales",
    "poc": "sales",
    "company": "sales",
    "customer": "cs",
    "renewal": "cs",
    "expansion": "cs",
}
"""The team that usually runs a built-in domain's stages, by department id."""


@dataclass(frozen=True)
class Handoff:
    """A way from one team's stage to another team's stage."""

    source: Stage
    target: Stage
    when: str
    source_team: str
    target_team: str


def team_key(project: Project, stage: Stage) -> str | None:
    """The department id of the stage's owner, None when the owner names none."""
    if not stage.owner:
        return None
    person = project.stakeholder(stage.owner)
    if person is None:
        return stage.owner
    return person.department or None


def stage_teams(project: Project) -> dict[str, str]:
    """Stage id -> the name of the team it belongs to (`Customer Success`): worked out once
    per project, each caller given its own copy."""
    found = project.derived.get("stage-teams")
    if not isinstance(found, dict):
        found = project.derived["stage-teams"] = _stage_teams(project)
    return dict(found)


def _stage_teams(project: Project) -> dict[str, str]:
    owned: dict[str, Counter[str]] = {}
    for stage in project.stages:
        key = team_key(project, stage)
        if key is not None:
            owned.setdefault(stage.domain, Counter())[key] += 1
    found = {}
    for stage in project.stages:
        key = team_key(project, stage)
        if key is None:
            counts = owned.get(stage.domain)
            if counts:
                key = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]
            else:
                key = DOMAIN_TEAMS.get(stage.domain)
        found[stage.id] = department_title(key) if key else project.domain_title(stage.domain)
    return found


def team_split(project: Project) -> dict[str, tuple[Stage, ...]]:
    """Team name -> its stages in presentation order (domains in order, flow within
    each); teams in the order their first stage appears."""
    teams = stage_teams(project)
    split: dict[str, list[Stage]] = {}
    for stage in project.flow():
        split.setdefault(teams[stage.id], []).append(stage)
    return {team: tuple(stages) for team, stages in split.items()}


def handoffs(project: Project) -> list[Handoff]:
    """Every way out of a stage into a stage of another team, in flow order (worked out once
    per project, each caller given its own list)."""
    found = project.derived.get("handoffs")
    if not isinstance(found, list):
        found = project.derived["handoffs"] = _handoffs(project)
    return list(found)


def _handoffs(project: Project) -> list[Handoff]:
    teams = stage_teams(project)
    found = []
    for stage in project.flow():
        for way in exits_of(project, stage):
            target = project.stage(way.to)
            if target is not None and teams[target.id] != teams[stage.id]:
                found.append(Handoff(stage, target, way.when, teams[stage.id], teams[target.id]))
    return found
