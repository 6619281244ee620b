"""Where each stage lives on one CRM platform: object, field, value, pipeline.

A stage's own `crm:` mapping wins; otherwise the platform default for its domain
from `templates/crm/defaults.yaml` is used and the mapping is marked proposed.
Everything here is plain data: no office library, no XML, no JSON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from deliverables.core import stages as known
from deliverables.core.flow import Routes
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
        for value, role in defaults["hubspot"]["native_lifecycle"].items():
            if known.plays(stage, role):
                return value
    return stage.id.replace("-", "_").replace(".", "_").lower()


def all_maps(project: Project, platform: str, defaults: dict[str, Any]) -> tuple[StageMap, ...]:
    """Every stage's mapping, domains in order, stages in flow order; a stage the client
    measures outside the CRM gets none (no value, no picklist option, no rule)."""
    return tuple(
        map_stage(project, stage, platform, defaults) for stage in project.flow() if not known.outside_crm(stage)
    )


def sql_stage(project: Project) -> Stage | None:
    """The stage where Sales qualifies: the SQL among the Lead stages, else anywhere, else the golden Lead stage."""
    leads = project.stages_in("lead")
    return known.find(leads, "sql") or known.stage(project, "sql") or next((s for s in leads if s.golden), None)


def pipeline_title(name: str) -> str:
    """A pipeline written as an id (`new-business`) shown as a title (`New Business`)."""
    if re.fullmatch(r"[a-z0-9_-]+", name):
        return name.replace("-", " ").replace("_", " ").title()
    return name


def exit_lines(routes: Routes, stage: Stage) -> tuple[str, ...]:
    """Each way out of a stage as one readable line, e.g. `To Sales Qualified Lead: discovery booked`."""
    lines = []
    for exit_ in routes.exits(stage):
        target = routes.by_id.get(exit_.to)
        name = target.name if target else exit_.to
        lines.append(f"To {name}: {exit_.when}" if exit_.when else f"To {name}")
    return tuple(lines)
