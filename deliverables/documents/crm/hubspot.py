"""HubSpot API request bodies for one project's configuration.

Pipelines follow the CRM pipelines API v3 (`POST /crm/v3/pipelines/{objectType}`): a deal
stage's `metadata.probability` is a string between 0.0 and 1.0 in steps of 0.1 (the config
has rounded it); HubSpot derives whether a stage is closed from it (1.0 won, 0.0 lost), so no
`isClosed` is sent. Ticket stages carry `metadata.ticketState` (OPEN or CLOSED). Properties
follow the CRM properties API v3: a new property is created (`POST
/crm/v3/properties/{objectType}`, with `name`); a built-in one (lifecyclestage,
hs_lead_status) exists already and is updated (`PATCH
/crm/v3/properties/{objectType}/{propertyName}`, without `name`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from deliverables.core.model import slugify
from deliverables.documents.crm.config import Picklist, Pipeline, PlatformConfig

ROOT = "crm/hubspot/"
NATIVE = {"lifecyclestage", "hs_lead_status", "dealstage", "hs_pipeline_stage"}
GROUPS = {
    "contacts": "contactinformation",
    "companies": "companyinformation",
    "deals": "dealinformation",
    "tickets": "ticketinformation",
}


def dump(data: Any) -> bytes:
    """Indented UTF-8 JSON with a final newline; key order as built, for readability."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def probability(percent: int | None) -> str:
    """HubSpot's stage probability: a decimal string in tenths, 30 -> "0.3", 100 -> "1.0"."""
    return f"{(percent or 0) // 10 / 10:.1f}"


def pipeline_body(pipeline: Pipeline, order: int) -> dict[str, Any]:
    """Create-pipeline body with its stages in flow order."""
    stages = []
    for index, stage in enumerate(pipeline.stages):
        if pipeline.is_deal:
            metadata = {"probability": probability(stage.probability)}
        else:
            metadata = {"ticketState": "CLOSED" if stage.closed else "OPEN"}
        stages.append({"label": stage.label[:100], "displayOrder": index, "metadata": metadata})
    return {"label": pipeline.name[:100], "displayOrder": order, "stages": stages}


def options(picklist: Picklist) -> list[dict[str, Any]]:
    """Enumeration options with label, value and display order."""
    return [
        {"label": o.label, "value": o.value, "displayOrder": i, "hidden": False} for i, o in enumerate(picklist.options)
    ]


def property_body(picklist: Picklist, label: str, description: str) -> dict[str, Any]:
    """Create-property body for a single-select enumeration."""
    return {
        "name": picklist.field,
        "label": label,
        "description": description,
        "groupName": GROUPS.get(picklist.object, "contactinformation"),
        "type": "enumeration",
        "fieldType": "select",
        "options": options(picklist),
    }


def _slug(text: str, fallback: str) -> str:
    return slugify(text) or fallback


@dataclass(frozen=True)
class Call:
    """One API request: its method, path and the body file (under `crm/hubspot/`)."""

    method: str
    path: str
    file: str
    body: dict[str, Any]


def calls(cfg: PlatformConfig, texts: dict[str, str]) -> list[Call]:
    """Every request that deploys the configuration, in the order to make them
    (pipelines, then properties), each with its body; a later body for the same field wins."""
    out: dict[str, Call] = {}
    for index, pipeline in enumerate(cfg.pipelines):
        kind = "deals" if pipeline.is_deal else "tickets"
        name = f"pipelines/{kind}-{_slug(pipeline.name, f'pipeline-{index + 1}')}"
        if f"{name}.json" in out:  # two names with the same slug, e.g. "New Business" and "new-business"
            name += f"-{index + 1}"
        out[f"{name}.json"] = Call("POST", f"/crm/v3/pipelines/{kind}", f"{name}.json", pipeline_body(pipeline, index))
    lifecycle = texts["lifecycle_description"]
    fields = [(p, p.field.replace("_", " ").capitalize(), lifecycle) for p in cfg.picklists]
    fields.append((cfg.statuses, texts["status_label"], texts["status_description"]))
    fields += [(p, texts["drop_off_label"], texts["drop_off_description"]) for p in cfg.drop_offs]
    for picklist, label, description in fields:
        name = f"properties/{picklist.object}-{picklist.field}.json"
        if picklist.field in NATIVE:
            # Built-in properties exist and keep their name and type: only the options change.
            path = f"/crm/v3/properties/{picklist.object}/{picklist.field}"
            out[name] = Call("PATCH", path, name, {"options": options(picklist)})
        else:
            body = property_body(picklist, label, description)
            out[name] = Call("POST", f"/crm/v3/properties/{picklist.object}", name, body)
    return list(out.values())


def files(cfg: PlatformConfig, texts: dict[str, str], checklist: str) -> dict[str, bytes]:
    """Every HubSpot body, named under `crm/hubspot/`, plus the hand-set checklist."""
    result = {ROOT + call.file: dump(call.body) for call in calls(cfg, texts)}
    result[ROOT + "CHECKLIST.md"] = checklist.encode("utf-8")
    return dict(sorted(result.items()))
