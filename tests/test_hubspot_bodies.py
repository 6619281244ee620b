"""HubSpot request bodies: each is valid against the v3 request schema of the call the
checklist lists for it; probabilities in HubSpot's 10% steps; built-in properties updated."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from conftest import EXAMPLE
from docx_support import context, edited, render
from hubspot_schemas import DEAL_METADATA as DEAL
from hubspot_schemas import PROPERTY_CREATE, PROPERTY_UPDATE, for_call, pipeline_input

HUBSPOT = Path(__file__).parent / "cases" / "crm" / "hubspot.yaml"
CALL = re.compile(r"^- \[ \] (POST|PATCH) (\S+) with (\S+)$", re.M)


def unescape(text: str) -> str:
    return text.replace("\\_", "_")


def bodies(path: Path, text: str | None = None) -> tuple[dict[str, bytes], list[tuple[str, str, str]]]:
    out = render("crm-config", context(path, text))
    checklist = out["crm/hubspot/CHECKLIST.md"].decode()
    calls = [tuple(unescape(part) for part in found) for found in CALL.findall(checklist)]
    return out, calls


@pytest.mark.parametrize("client", [HUBSPOT, EXAMPLE], ids=lambda p: p.stem)
def test_every_body_is_valid_for_the_call_the_checklist_lists(client: Path) -> None:
    out, calls = bodies(client)
    listed = sorted(f"crm/hubspot/{file}" for _, _, file in calls)
    assert listed == sorted(n for n in out if n.startswith("crm/hubspot/") and n.endswith(".json"))
    for method, path, file in calls:
        jsonschema.validate(json.loads(out[f"crm/hubspot/{file}"]), for_call(method, path))


def test_calls_create_pipelines_and_custom_properties_and_update_built_in_ones() -> None:
    _, calls = bodies(HUBSPOT)
    assert calls == [
        ("POST", "/crm/v3/pipelines/deals", "pipelines/deals-new-business.json"),
        ("POST", "/crm/v3/pipelines/tickets", "pipelines/tickets-customer-lifecycle.json"),
        ("PATCH", "/crm/v3/properties/contacts/lifecyclestage", "properties/contacts-lifecyclestage.json"),
        ("PATCH", "/crm/v3/properties/companies/lifecyclestage", "properties/companies-lifecyclestage.json"),
        ("PATCH", "/crm/v3/properties/contacts/hs_lead_status", "properties/contacts-hs_lead_status.json"),
        ("POST", "/crm/v3/properties/contacts", "properties/contacts-drop_off_reason.json"),
        ("POST", "/crm/v3/properties/deals", "properties/deals-drop_off_reason.json"),
        ("POST", "/crm/v3/properties/tickets", "properties/tickets-drop_off_reason.json"),
    ]


def test_built_in_properties_get_options_only() -> None:
    out, _ = bodies(HUBSPOT)
    for name in ("contacts-hs_lead_status", "contacts-lifecyclestage", "companies-lifecyclestage"):
        assert list(json.loads(out[f"crm/hubspot/properties/{name}.json"])) == ["options"]
    status = json.loads(out["crm/hubspot/properties/contacts-hs_lead_status.json"])
    assert [o["value"] for o in status["options"]] == ["NEW", "WORKING", "ENGAGED", "NURTURE"]


def probabilities(out: dict[str, bytes]) -> list[tuple[str, str]]:
    body = json.loads(out["crm/hubspot/pipelines/deals-new-business.json"])
    return [(s["label"], s["metadata"]["probability"]) for s in body["stages"]]


def test_probabilities_are_rounded_to_tenths_halves_up() -> None:
    out, _ = bodies(HUBSPOT)
    assert probabilities(out) == [
        ("Sales Accepted Opportunity", "0.3"),  # 25 in the client file
        ("Evaluation", "0.5"),  # proposed
        ("Proposal / Negotiation", "0.8"),  # 75
        ("Closed Won", "1.0"),
        ("Closed Lost", "0.0"),
    ]
    text = edited(HUBSPOT, ("probability: 25", "probability: 3"), ("probability: 75", "probability: 97"))
    out, _ = bodies(HUBSPOT, text)
    assert [p for _, p in probabilities(out)][:3] == ["0.1", "0.8", "0.9"]  # an open stage never closes


def test_checklist_shows_the_rounded_probabilities() -> None:
    out, _ = bodies(HUBSPOT)
    checklist = out["crm/hubspot/CHECKLIST.md"].decode()
    assert (
        "- [ ] New Business: Sales Accepted Opportunity 30%, Evaluation 50%, Proposal / Negotiation 80%,"
        " Closed Won 100%, Closed Lost 0%\n"
    ) in checklist
    assert "HubSpot holds deal stage probabilities in steps of 10% and treats a stage at 100% as\nclosed won" in (
        checklist
    )


@pytest.mark.parametrize(
    ("schema", "body", "why"),
    [
        (pipeline_input(DEAL), {"label": "P", "displayOrder": 0, "stages": []}, "should be non-empty"),
        (
            pipeline_input(DEAL),
            {"label": "P", "displayOrder": 0, "stages": [{"label": "S", "displayOrder": 0, "metadata": {}}]},
            "'probability' is a required property",
        ),
        (
            pipeline_input(DEAL),
            {
                "label": "P",
                "displayOrder": 0,
                "stages": [{"label": "S", "displayOrder": 0, "metadata": {"probability": "0.25"}}],
            },
            "'0.25' does not match",
        ),
        (
            pipeline_input(DEAL),
            {
                "label": "P",
                "displayOrder": 0,
                "stages": [{"label": "S", "displayOrder": 0, "metadata": {"probability": "1.0", "isClosed": "true"}}],
            },
            "Additional properties are not allowed ('isClosed' was unexpected)",
        ),
        (PROPERTY_UPDATE, {"name": "hs_lead_status", "options": []}, "Additional properties are not allowed"),
        (PROPERTY_CREATE, {"label": "Reason", "type": "enumeration"}, "'name' is a required property"),
    ],
)
def test_schemas_reject_what_hubspot_does_not_take(schema: dict, body: dict, why: str) -> None:
    with pytest.raises(jsonschema.ValidationError, match=re.escape(why)):
        jsonschema.validate(body, schema)
