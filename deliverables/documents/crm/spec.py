"""What the CRM Configuration Spec says: plain data built from the project, the
platform configurations and the wording in `templates/crm/spec.yaml`."""

from __future__ import annotations

import functools
import re
from typing import Any

from deliverables.core import marks
from deliverables.core import stages as known
from deliverables.core.flow import routes_of
from deliverables.core.model import Project, Stage
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
    conflict = known.meeting_conflict(project)
    meeting_how = how["meeting"]
    if conflict:  # flagged, not copied: the client's SQL entry is met by the booked meeting
        meeting = fill(t["meeting_conflict"], sal=conflict[0].name, sql=conflict[1].name, criterion=conflict[2])
        meeting_how = t["meeting_conflict_how"]
    return [
        {"name": "Closed won sets the customer stage", "rule": won, "how": how["won"]},
        {
            "name": "A booked meeting sets the accepted stage",
            "rule": meeting,
            "how": meeting_how,
            "decision": bool(conflict),
        },
        {
            "name": "A new deal sets the opportunity stage",
            "rule": fill(t["created"], deal=deal, **r),
            "how": how["created"],
        },
        {"name": "The company rolls up from its contacts", "rule": fill(t["rollup"], **r), "how": how["rollup"]},
    ]


def stage_rows(project: Project, cfg: PlatformConfig, outside: str = "") -> list[dict[str, Any]]:
    """One row per stage: where it lives and whether that is our proposal; a stage measured
    outside the CRM says so (`outside`) and gets no object, field or value."""
    rows = {
        m.stage.id: {
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
    }
    for stage in project.flow():
        if stage.id not in rows and known.outside_crm(stage):
            rows[stage.id] = {
                "domain": project.domain_title(stage.domain),
                "domain_id": stage.domain,
                "label": stage.label,
                "golden": stage.golden,
                "assumed": stage.status == "assumed",
                "object": "—",
                "field": "—",
                "value": outside,
                "pipeline": "",
                "proposed": False,
            }
    order = {stage.id: index for index, stage in enumerate(project.flow())}
    return [rows[key] for key in sorted(rows, key=order.__getitem__)]


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


_MOVE = r"\b(moves?|moved|set|sets|changed?|changes|marked|reach(?:es|ed)?|enters?|entered|is in|goes|went)\b"
_FILLED = re.compile(
    r"^(?P<what>.+?) (?:is |are )?(?:entered|filled in|filled|captured|recorded|selected|attached|logged)\b(?P<rest>.*)$",
    re.I,
)


def circular(criterion: str, stage: Stage) -> bool:
    """True when a criterion only restates the move ("Deal moved to Closed Lost")."""
    names = [n for n in (stage.name, stage.abbr or "", stage.label) if n]
    text = known.norm(criterion)
    return any(_moved_to(known.norm(name)).search(text) for name in names) or known.norm(criterion) in {
        known.norm(n) for n in names
    }


@functools.lru_cache(maxsize=4096)
def _moved_to(name: str) -> re.Pattern[str]:
    """The pattern of a criterion that moves the record to the stage `name` (normalized),
    compiled once: a large client has more names than `re` keeps compiled."""
    return re.compile(_MOVE + r".*\b" + re.escape(name) + r"\b")


def validation(project: Project, cfg: PlatformConfig, text: dict[str, Any]) -> list[dict[str, str]]:
    """Per stage: the CRM conditions its entry criteria allow, and the rest enforced by
    process, naming who; criteria that only restate the move are left out."""
    t = text["validation"]
    sql = mapping.sql_stage(project)
    deal = "deal" if cfg.platform == "hubspot" else "opportunity"
    drop_off = {p.object: f"{p.object}.{p.field}" for p in cfg.drop_offs}
    rows = []
    for m in cfg.maps:
        stage = m.stage
        rules, process = [], []
        if sql is not None and stage.id == sql.id:
            rules.append(fill(t["sql_record"], stage=stage.name, deal_word=deal))
        if known.closes_lost(stage):
            rules.append(fill(t["lost_reason"], stage=stage.name, field=drop_off.get(m.object, "")))
        for criterion in stage.entry:
            if circular(criterion, stage) or (known.closes_lost(stage) and "reason" in known.words(criterion)):
                continue  # restates the move, or is the drop-off reason rule above
            filled = _FILLED.match(criterion.strip())
            if filled and not re.sub(r"\(.*?\)", "", filled["rest"]).strip(" ."):
                rules.append(fill(t["required"], stage=stage.name, what=filled["what"]))
            else:
                process.append(criterion)
        if process:
            owner = project.owner_name(stage.owner) if stage.owner else t["no_owner"]
            rules.append(fill(t["process"], owner=owner, criteria="; ".join(process)))
        if not rules:
            rules.append(fill(t["no_entry"] if not stage.entry else t["circular"], stage=stage.name))
        rows.append({"stage": stage.label, "golden": stage.golden, "rule": " ".join(rules)})
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
    routes = routes_of(project)
    # a stage measured outside the CRM has no records there to report on
    flow = [stage for stage in project.flow() if not known.outside_crm(stage)]
    transitions = [
        f"{stage.name} → {target.name}"
        for stage in flow
        for target in routes.targets(stage)
        if not known.outside_crm(target)
    ]
    golden = [s.name for s in project.stages if s.golden] or [s.name for s in project.stages[:3]]
    data = {
        "stages": ", ".join(s.name for s in flow),
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
