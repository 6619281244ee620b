"""What the CRM Configuration Spec says: plain data built from the project, the
platform configurations and the wording in `templates/crm/spec.yaml`."""

from __future__ import annotations

from typing import Any

from deliverables.core import marks
from deliverables.core import stages as known
from deliverables.core.model import Project
from deliverables.documents.crm import mapping
from deliverables.documents.crm.config import Pipeline, PlatformConfig
from deliverables.documents.crm.mapping import PLATFORM_TITLES
from deliverables.documents.words.data import fill


def roles(project: Project, cfg: PlatformConfig, defaults: dict[str, Any]) -> dict[str, str]:
    """The client's names for the stages the standard automation rules use."""
    leads = project.stages_in("lead")
    sal, sql = known.find(leads, "sal"), mapping.sql_stage(project)
    labels = [o.label for o in cfg.ladder.options]
    names = {r: (s.name if (s := known.find(leads, r)) else defaults["ladder"][r]) for r in ("opportunity", "customer")}
    if sql and sql.name in labels:
        higher = labels[labels.index(sql.name) :]
    else:  # SQL lives in the deal pipeline: anything past the accepted stage counts
        higher = labels[labels.index(sal.name) + 1 :] if sal and sal.name in labels else []
    won = [f"{s.label} ({p.name})" for p in cfg.pipelines if p.is_deal for s in p.stages if s.won]
    return {
        "sal": sal.name if sal else "",
        "sql": sql.name if sql else "",
        "higher": _or(higher),
        "won": _or(won),
        "ladder": " < ".join(labels),
        **names,
    }


def _or(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def automation(
    project: Project, cfg: PlatformConfig, text: dict[str, Any], defaults: dict[str, Any]
) -> list[dict[str, str]]:
    """The four standard automation rules in this client's stage names."""
    r = roles(project, cfg, defaults)
    deal = "a deal" if cfg.platform == "hubspot" else "an opportunity"
    t = text["rules"]
    won = fill(t["won"], deal=deal, **r) if r["won"] else fill(t["won_missing"], **r)
    meeting = fill(t["meeting"], **r) if r["sal"] else fill(t["meeting_missing"], **r)
    how = text["rule_how"][cfg.platform]
    return [
        {"name": "Closed won sets the customer stage", "rule": won, "how": how["won"]},
        {"name": "A booked meeting sets the accepted stage", "rule": meeting, "how": how["meeting"]},
        {
            "name": "A new deal sets the opportunity stage",
            "rule": fill(t["created"], deal=deal, **r),
            "how": how["created"],
        },
        {"name": "The company rolls up from its contacts", "rule": fill(t["rollup"], **r), "how": how["rollup"]},
    ]


def stage_rows(project: Project, cfg: PlatformConfig) -> list[dict[str, Any]]:
    """One row per stage: where it lives and whether that is our proposal."""
    return [
        {
            "domain": project.domain_title(m.stage.domain),
            "domain_id": m.stage.domain,
            "label": m.stage.label,
            "golden": m.stage.golden,
            "assumed": m.stage.status == "assumed",
            "object": m.object,
            "field": m.field,
            "value": m.value,
            "pipeline": m.pipeline or "",
            "proposed": m.proposed,
        }
        for m in cfg.maps
    ]


def pipeline_rows(pipeline: Pipeline) -> list[dict[str, Any]]:
    """A pipeline's stages with probability and closed/won flags."""
    rows = []
    for s in pipeline.stages:
        kind = "closed won" if s.won else "closed lost" if s.closed else "open"
        probability = "" if s.probability is None else f"{s.probability}%"
        rows.append(
            {
                "label": s.label,
                "probability": probability,
                "kind": kind,
                "proposed": s.stage is None or s.probability_proposed,
                "golden": bool(s.stage and s.stage.golden),
            }
        )
    return rows


def validation(project: Project, cfg: PlatformConfig, text: dict[str, Any]) -> list[dict[str, str]]:
    """One entry-criteria rule per stage, in this platform's field and value."""
    rows = []
    for m in cfg.maps:
        target = f"{m.object}.{m.field} = {m.value}"
        if m.stage.entry:
            rule = fill(
                text["validation"]["entry"], stage=m.stage.name, target=target, criteria="; ".join(m.stage.entry)
            )
        else:
            rule = fill(text["validation"]["no_entry"], stage=m.stage.name)
        rows.append({"stage": m.stage.label, "golden": m.stage.golden, "rule": rule})
    return rows


def standard_validation(
    project: Project, cfg: PlatformConfig, text: dict[str, Any], defaults: dict[str, Any]
) -> list[str]:
    """The rules every configuration gets, with the client's SQL stage named."""
    sql = mapping.sql_stage(project)
    deal = "deal" if cfg.platform == "hubspot" else "opportunity"
    lines = [fill(t, sql=sql.name if sql else "", deal_word=deal) for t in text["validation"]["standard"]]
    return [line for line in lines if line]


def platform_notes(project: Project, cfg: PlatformConfig, text: dict[str, Any], defaults: dict[str, Any]) -> list[str]:
    """The platform's configuration notes, filled with this client's fields and values."""
    native = set(defaults["hubspot"]["native_lifecycle"]) | {"other"}
    custom = [o.label for o in cfg.ladder.options if o.value not in native]
    converted = next((o.label for o in _lead_status(cfg) if o.converted), "")
    company = defaults[cfg.platform]["company_lifecycle"]
    data = {
        "custom": ", ".join(custom),
        "converted": converted,
        "ladder_field": f"{cfg.ladder.object}.{cfg.ladder.field}",
        "status_field": f"{cfg.statuses.object}.{cfg.statuses.field}",
        "company_field": f"{company['object']}.{company['field']}",
    }
    return [fill(t, **data) for t in text["platform_notes"][cfg.platform]]


def _lead_status(cfg: PlatformConfig) -> tuple:  # type: ignore[type-arg]
    found = next((p for p in cfg.picklists if (p.object, p.field) == ("Lead", "Status")), None)
    return found.options if found else ()


def dashboards(project: Project, cfg: PlatformConfig, text: dict[str, Any]) -> list[dict[str, str]]:
    """The five lifecycle reports, naming this client's stages and fields."""
    routes = project.routes
    transitions = [f"{stage.name} → {target.name}" for stage in project.flow() for target in routes.targets(stage)]
    golden = [s.name for s in project.stages if s.golden] or [s.name for s in project.stages[:3]]
    data = {
        "stages": ", ".join(s.name for s in project.flow()),
        "transitions": ", ".join(transitions) or "none defined",
        "fields": ", ".join(f"{p.object}.{p.field}" for p in cfg.drop_offs),
        "golden": _or(golden),
    }
    return [{"name": d["name"], "what": fill(d["what"], **data)} for d in text["dashboards"]]


def legend(text: dict[str, Any]) -> list[str]:
    """Legend lines with the shared marks."""
    return [fill(line, golden=marks.GOLDEN, assumed=marks.ASSUMED) for line in text["legend"]]


def platform_title(platform: str) -> str:
    """Salesforce or HubSpot."""
    return PLATFORM_TITLES[platform]
