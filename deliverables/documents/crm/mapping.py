"""Where each stage lives on one CRM platform: object, field, value, pipeline.

A stage's own `crm:` mapping wins; otherwise the platform default for its domain
from `templates/crm/defaults.yaml` is used and the mapping is marked proposed.
Everything here is plain data: no office library, no XML, no JSON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from deliverables.core.model import Project, Stage, slugify

PLATFORMS = ("salesforce", "hubspot")
PLATFORM_TITLES = {"salesforce": "Salesforce", "hubspot": "HubSpot"}


@dataclass(frozen=True)
class StageMap:
    """One stage's home on a platform."""

    stage: Stage
    object: str
    field: str
    value: str
    pipeline: str | None
    proposed: bool


def platforms_for(crm: str) -> tuple[str, ...]:
    """Platforms the spec covers: the client's own, or both for `other`."""
    return (crm,) if crm in PLATFORMS else PLATFORMS


def matches(stage: Stage, words: list[str]) -> bool:
    """True when the stage's abbreviation, name or id equals one of `words` (any case)."""
    names = {stage.name.casefold(), stage.id.casefold().replace("-", " ").replace("_", " ")}
    if stage.abbr:
        names.add(stage.abbr.casefold())
    return any(w.casefold() in names for w in words)


def map_stage(project: Project, stage: Stage, platform: str, defaults: dict[str, Any]) -> StageMap:
    """The stage's mapping on `platform`: its own when given, else the proposed default."""
    if stage.crm is not None:
        aliases = defaults["aliases"][platform]
        obj = aliases["objects"].get(stage.crm.object.casefold(), stage.crm.object)
        field = aliases["fields"].get(stage.crm.field.casefold(), stage.crm.field)
        pipeline = stage.crm.pipeline or _default(stage.domain, platform, defaults).get("pipeline")
        pipeline = pipeline_title(pipeline) if pipeline else None
        return StageMap(stage, obj, field, stage.crm.value, pipeline, False)
    spec = _default(stage.domain, platform, defaults)
    return StageMap(
        stage, spec["object"], spec["field"], default_value(stage, spec, platform, defaults), spec.get("pipeline"), True
    )


def _default(domain: str, platform: str, defaults: dict[str, Any]) -> dict[str, str]:
    table = defaults[platform]
    if domain in table["domains"]:
        return table["domains"][domain]
    token = slugify(domain).replace("-", "_")
    other = table["other_domain"]
    field = other["field"].replace("{domain}", token.title() if platform == "salesforce" else token)
    return {"object": other["object"], "field": field}


def default_value(stage: Stage, spec: dict[str, str], platform: str, defaults: dict[str, Any]) -> str:
    """Proposed internal value: the stage name on Salesforce; on HubSpot a native
    lifecycle value when the stage matches one, else the stage id."""
    if platform == "salesforce":
        return stage.name
    if spec["field"] == "lifecyclestage":
        for value, words in defaults["hubspot"]["native_lifecycle"].items():
            if matches(stage, words):
                return value
    return stage.id.replace("-", "_").replace(".", "_").lower()


def all_maps(project: Project, platform: str, defaults: dict[str, Any]) -> tuple[StageMap, ...]:
    """Every stage's mapping, domains in order, stages in flow order."""
    return tuple(
        map_stage(project, stage, platform, defaults)
        for domain in project.domain_order()
        for stage in project.stages_in(domain)
    )


def find_role(stages: tuple[Stage, ...], role: str, defaults: dict[str, Any]) -> Stage | None:
    """The first stage playing a standard role (sal, sql, won, ...), if any."""
    return next((s for s in stages if matches(s, defaults["roles"][role])), None)


def sql_stage(project: Project, defaults: dict[str, Any]) -> Stage | None:
    """The stage where Sales qualifies: by name (Lead stages first), else the golden Lead stage."""
    leads = project.stages_in("lead")
    return (
        find_role(leads, "sql", defaults)
        or find_role(project.stages, "sql", defaults)
        or next((s for s in leads if s.golden), None)
    )


def pipeline_title(name: str) -> str:
    """A pipeline written as an id (`new-business`) shown as a title (`New Business`)."""
    if re.fullmatch(r"[a-z0-9_-]+", name):
        return name.replace("-", " ").replace("_", " ").title()
    return name


def is_won(stage: Stage, defaults: dict[str, Any]) -> bool:
    """A closed-won stage, by name."""
    return matches(stage, defaults["roles"]["won"])


def is_lost(stage: Stage, defaults: dict[str, Any]) -> bool:
    """A closed-lost (or disqualified) stage, by name."""
    return matches(stage, defaults["roles"]["lost"])


class Flow:
    """Exits and stage look-ups by id, computed once: `Project.exits` and
    `Project.stage` scan the stage list, which is quadratic on large files."""

    def __init__(self, project: Project):
        self.by_id = {s.id: s for s in project.stages}
        self.next: dict[str, Stage] = {}
        for domain in project.domain_order():
            flow = project.stages_in(domain)
            self.next.update({a.id: b for a, b in zip(flow, flow[1:])})

    def exits(self, stage: Stage) -> tuple[tuple[str, str], ...]:
        """(target name, condition) for each way out of the stage."""
        if stage.exit:
            return tuple((self._name(e.to), e.when) for e in stage.exit)
        following = self.next.get(stage.id)
        return ((following.name, ""),) if following else ()

    def _name(self, stage_id: str) -> str:
        target = self.by_id.get(stage_id)
        return target.name if target else stage_id


def exit_lines(flow: Flow, stage: Stage) -> tuple[str, ...]:
    """Each way out of a stage as one readable line, e.g. `To SQL: discovery booked`."""
    return tuple(f"To {name}: {when}" if when else f"To {name}" for name, when in flow.exits(stage))
