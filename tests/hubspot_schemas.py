"""JSON Schemas of the HubSpot v3 request bodies the CRM files are sent as, written from
HubSpot's published CRM API v3 specs (pipelines and properties). Each field cites the spec.

They are strict on purpose (`additionalProperties: false`): a field the API does not take as
input (such as a deal stage's `metadata.isClosed`, which HubSpot derives from the probability,
or a property's `name` in an update) fails the test instead of being ignored by HubSpot.
"""

from __future__ import annotations

from typing import Any

# Pipelines API v3, POST /crm/v3/pipelines/{objectType}, body PipelineInput:
#   label (string, required): the pipeline's name as shown in HubSpot;
#   displayOrder (integer, required): order among the object's pipelines;
#   stages (array of PipelineStageInput, required, at least one).
# PipelineStageInput: label (string, required), displayOrder (integer, required),
#   metadata (object of string values, required). For deals, metadata.probability is
#   required: "a number between 0.0 and 1.0 in increments of 0.1" sent as a string; for
#   tickets, metadata.ticketState is OPEN or CLOSED.
DEAL_METADATA: dict[str, Any] = {
    "type": "object",
    "required": ["probability"],
    "properties": {"probability": {"type": "string", "pattern": r"^(0\.[0-9]|1\.0)$"}},
    "additionalProperties": False,
}
TICKET_METADATA: dict[str, Any] = {
    "type": "object",
    "required": ["ticketState"],
    "properties": {"ticketState": {"enum": ["OPEN", "CLOSED"]}},
    "additionalProperties": False,
}


def pipeline_input(metadata: dict[str, Any]) -> dict[str, Any]:
    """PipelineInput with the stage metadata of one object type."""
    stage = {
        "type": "object",
        "required": ["label", "displayOrder", "metadata"],
        "properties": {
            "label": {"type": "string", "minLength": 1, "maxLength": 100},
            "displayOrder": {"type": "integer"},
            "metadata": metadata,
        },
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["label", "displayOrder", "stages"],
        "properties": {
            "label": {"type": "string", "minLength": 1, "maxLength": 100},
            "displayOrder": {"type": "integer"},
            "stages": {"type": "array", "minItems": 1, "items": stage},
        },
        "additionalProperties": False,
    }


# Properties API v3, OptionInput: label (string, required), value (string, required; the
#   internal value), displayOrder (integer), hidden (boolean, required), description (string).
OPTION_INPUT: dict[str, Any] = {
    "type": "object",
    "required": ["label", "value", "hidden"],
    "properties": {
        "label": {"type": "string", "minLength": 1},
        "value": {"type": "string", "minLength": 1},
        "displayOrder": {"type": "integer"},
        "hidden": {"type": "boolean"},
        "description": {"type": "string"},
    },
    "additionalProperties": False,
}
# PropertyCreate / PropertyUpdate fields besides `name`: label, description, groupName (the
#   property group), type (string, number, date, datetime, enumeration, bool), fieldType
#   (how it shows in forms: select, radio, checkbox, text, ...), options (OptionInput[] for
#   enumerations), displayOrder, hidden, formField.
COMMON: dict[str, Any] = {
    "label": {"type": "string", "minLength": 1},
    "description": {"type": "string"},
    "groupName": {"type": "string", "minLength": 1},
    "type": {"enum": ["string", "number", "date", "datetime", "enumeration", "bool"]},
    "fieldType": {
        "enum": [
            "textarea",
            "text",
            "date",
            "file",
            "number",
            "select",
            "radio",
            "checkbox",
            "booleancheckbox",
            "calculation_equation",
            "html",
            "phonenumber",
        ]
    },
    "options": {"type": "array", "minItems": 1, "items": OPTION_INPUT},
    "displayOrder": {"type": "integer"},
    "hidden": {"type": "boolean"},
    "formField": {"type": "boolean"},
}

# POST /crm/v3/properties/{objectType}, body PropertyCreate: name (internal name: lower case
#   letters, digits and underscores, starting with a letter), label, type, fieldType and
#   groupName are required.
PROPERTY_CREATE: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["name", "label", "type", "fieldType", "groupName"],
    "properties": {"name": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"}, **COMMON},
    "additionalProperties": False,
}

# PATCH /crm/v3/properties/{objectType}/{propertyName}, body PropertyUpdate: every field is
#   optional and the name is in the path, not the body (a property is never renamed).
PROPERTY_UPDATE: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "minProperties": 1,
    "properties": COMMON,
    "additionalProperties": False,
}


def for_call(method: str, path: str) -> dict[str, Any]:
    """The request schema of one API call, by method and path."""
    parts = path.strip("/").split("/")
    if method == "POST" and parts[:3] == ["crm", "v3", "pipelines"] and len(parts) == 4:
        return pipeline_input(DEAL_METADATA if parts[3] == "deals" else TICKET_METADATA)
    if method == "POST" and parts[:3] == ["crm", "v3", "properties"] and len(parts) == 4:
        return PROPERTY_CREATE
    if method == "PATCH" and parts[:3] == ["crm", "v3", "properties"] and len(parts) == 5:
        return PROPERTY_UPDATE
    raise AssertionError(f"no request schema for {method} {path}")
