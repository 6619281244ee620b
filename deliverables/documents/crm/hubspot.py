"""HubSpot API request bodies for one project's configuration.

Pipelines follow the CRM pipelines API (stage `metadata.probability` is a string
between 0.0 and 1.0, `metadata.isClosed` "true"/"false"; ticket stages carry
`metadata.ticketState`); properties follow the CRM properties API.
"""

from __future__ import annotations

import json
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
    """HubSpot's stage probability: a decimal string, 25 -> "0.25", 100 -> "1.0"."""
    return str(round((percent or 0) / 100, 2))


def pipeline_body(pipeline: Pipeline, order: int) -> dict[str, Any]:
    """Create-pipeline body with its stages in flow order."""
    stages = []
    for index, stage in enumerate(pipeline.stages):
        if pipeline.is_deal:
            metadata = {"probability": probability(stage.probability), "isClosed": "true" if stage.closed else "false"}
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


def files(cfg: PlatformConfig, texts: dict[str, str], checklist: str) -> dict[str, bytes]:
    """Every HubSpot body, named under `crm/hubspot/`, plus the hand-set checklist."""
    out: dict[str, Any] = {}
    for index, pipeline in enumerate(cfg.pipelines):
        kind = "deals" if pipeline.is_deal else "tickets"
        name = f"pipelines/{kind}-{_slug(pipeline.name, f'pipeline-{index + 1}')}"
        if f"{name}.json" in out:  # two names with the same slug, e.g. "New Business" and "new-business"
            name += f"-{index + 1}"
        out[f"{name}.json"] = pipeline_body(pipeline, index)
    for picklist in cfg.picklists:
        name = f"properties/{picklist.object}-{picklist.field}.json"
        if picklist.field in NATIVE:
            # Built-in properties keep their type: only the options are updated.
            out[name] = {"options": options(picklist)}
        else:
            out[name] = property_body(
                picklist, picklist.field.replace("_", " ").capitalize(), texts["lifecycle_description"]
            )
    out[f"properties/{cfg.statuses.object}-{cfg.statuses.field}.json"] = property_body(
        cfg.statuses, texts["status_label"], texts["status_description"]
    )
    for picklist in cfg.drop_offs:
        out[f"properties/{picklist.object}-{picklist.field}.json"] = property_body(
            picklist, texts["drop_off_label"], texts["drop_off_description"]
        )
    result = {ROOT + name: dump(body) for name, body in sorted(out.items())}
    result[ROOT + "CHECKLIST.md"] = checklist.encode("utf-8")
    return result
