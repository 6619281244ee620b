"""Salesforce source-format metadata (sfdx) for one project's configuration.

Element names and their order follow the Metadata API types StandardValueSet,
BusinessProcess, RecordType, PathAssistant and CustomField. Client text goes in
as element text, so ElementTree escapes it; path guidance is HTML, escaped first.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from deliverables.core.flow import Routes, routes_of
from deliverables.core.model import Project
from deliverables.documents.crm.config import Option, Picklist, Pipeline, PlatformConfig
from deliverables.documents.crm.mapping import exit_lines

NS = "http://soap.sforce.com/2006/04/metadata"
API_VERSION = "60.0"
ROOT = "crm/salesforce/"
STANDARD_VALUE_MAX = 40  # Lead Status and Opportunity Stage values are text(40) fields
GUIDANCE_MAX = 1000  # Path guidance holds up to 1,000 characters


def api_name(text: str, fallback: str) -> str:
    """A developer name: letters, digits and single underscores, starting with a letter."""
    name = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")
    name = re.sub(r"^[^A-Za-z]+", "", name)[:40].rstrip("_")
    return name or fallback


def unique_api_names(texts: list[str], fallback: str) -> list[str]:
    """One developer name per text, unique case-insensitively (Salesforce compares them
    so): a name already taken gets `_2`, `_3`, ... within the 40 characters."""
    taken: set[str] = set()
    names = []
    for index, text in enumerate(texts, start=1):
        base = api_name(text, f"{fallback}_{index}")
        name, counter = base, 1
        while name.lower() in taken:
            counter += 1
            suffix = f"_{counter}"
            name = base[: 40 - len(suffix)].rstrip("_") + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def _el(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    child = ET.SubElement(parent, tag)
    if text is not None:
        child.text = text
    return child


def _bool(value: bool) -> str:
    return "true" if value else "false"


def serialize(root: ET.Element) -> bytes:
    """UTF-8 XML with declaration and four-space indentation, like sfdx writes it."""
    root.set("xmlns", NS)
    ET.indent(root, space="    ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def short(value: str) -> str:
    """A standard picklist value cut to the 40 characters Salesforce stores."""
    return value[:STANDARD_VALUE_MAX].rstrip()


def lead_status(picklist: Picklist) -> ET.Element:
    """LeadStatus standard value set; `converted` marks the statuses a lead converts at."""
    root = ET.Element("StandardValueSet")
    _el(root, "sorted", "false")
    for index, option in enumerate(picklist.options):
        value = _el(root, "standardValue")
        _el(value, "fullName", short(option.value))
        _el(value, "default", _bool(index == 0))
        _el(value, "label", short(option.label))
        _el(value, "converted", _bool(option.converted))
    return root


def forecast_category(probability: int, closed: bool, won: bool) -> str:
    """Forecast category a stage rolls into."""
    if closed:
        return "Closed" if won else "Omitted"
    if probability >= 90:
        return "Forecast"
    return "BestCase" if probability >= 50 else "Pipeline"


def opportunity_stage(pipelines: tuple[Pipeline, ...]) -> ET.Element:
    """OpportunityStage standard value set: every stage of every opportunity pipeline."""
    root = ET.Element("StandardValueSet")
    _el(root, "sorted", "false")
    seen: set[str] = set()
    for stage in (s for p in pipelines for s in p.stages):
        if short(stage.value) in seen:
            continue
        seen.add(short(stage.value))
        value = _el(root, "standardValue")
        _el(value, "fullName", short(stage.value))
        _el(value, "default", "false")
        _el(value, "label", short(stage.label))
        _el(value, "closed", _bool(stage.closed))
        _el(value, "forecastCategory", forecast_category(stage.probability or 0, stage.closed, stage.won))
        _el(value, "probability", str(stage.probability or 0))
        _el(value, "won", _bool(stage.won))
    return root


def business_process(pipeline: Pipeline, name: str) -> ET.Element:
    """The sales process: which stages the pipeline's opportunities may use."""
    root = ET.Element("BusinessProcess")
    _el(root, "fullName", name)
    _el(root, "description", pipeline.name[:255])
    _el(root, "isActive", "true")
    for index, stage in enumerate(pipeline.stages):
        value = _el(root, "values")
        _el(value, "fullName", short(stage.value))
        _el(value, "default", _bool(index == 0))
    return root


def record_type(pipeline: Pipeline, name: str) -> ET.Element:
    """The Opportunity record type that selects the sales process."""
    root = ET.Element("RecordType")
    _el(root, "fullName", name)
    _el(root, "active", "true")
    _el(root, "businessProcess", name)
    _el(root, "label", pipeline.name[:80])
    return root


def guidance(flow: Routes, stage_id: str | None, added: str = "") -> str:
    """Path step guidance (HTML): the stage's entry and exit criteria; for a stage the
    spec adds (no stage of the client file), `added`, the guidance of its own kind."""
    stage = flow.by_id.get(stage_id) if stage_id else None
    if stage is None:
        return f"<p>{html.escape(added)}</p>"
    parts = [("Entry criteria", stage.entry), ("Exit criteria", exit_lines(flow, stage))]
    text = ""
    for title, lines in parts:
        block = f"<p><b>{title}</b></p><ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in lines) + "</ul>"
        if not lines:
            block = f"<p><b>{title}</b>: none defined</p>"
        if len(text) + len(block) > GUIDANCE_MAX:
            return text + "<p>(shortened: see the CRM Configuration Spec)</p>"
        text += block
    return text


def path_assistant(
    flow: Routes, entity: str, field: str, record: str, label: str, steps: list[tuple[str, str | None, str]]
) -> ET.Element:
    """A Path on `entity.field` whose steps (value, stage id, guidance of an added stage)
    carry each stage's criteria."""
    root = ET.Element("PathAssistant")
    _el(root, "active", "true")
    _el(root, "entityName", entity)
    _el(root, "fieldName", field)
    _el(root, "masterLabel", label[:80])
    for value, stage_id, added in steps:
        step = _el(root, "pathAssistantSteps")
        _el(step, "info", guidance(flow, stage_id, added))
        _el(step, "picklistValueName", short(value))
    _el(root, "recordTypeName", record)
    return root


def picklist_field(picklist: Picklist, label: str, description: str, object_name: str = "") -> ET.Element:
    """A custom picklist field with its own restricted value set."""
    root = ET.Element("CustomField")
    _el(root, "fullName", picklist.field)
    _el(root, "description", description[:1000])
    _el(root, "externalId", "false")
    _el(root, "label", label[:40])
    _el(root, "required", "false")
    _el(root, "trackHistory", "false")
    _el(root, "trackTrending", "false")
    _el(root, "type", "Picklist")
    value_set = _el(root, "valueSet")
    _el(value_set, "restricted", "true")
    definition = _el(value_set, "valueSetDefinition")
    _el(definition, "sorted", "false")
    for option in picklist.options:
        _option(definition, option)
    return root


def _option(parent: ET.Element, option: Option) -> None:
    value = _el(parent, "value")
    _el(value, "fullName", option.value[:255])
    _el(value, "default", "false")
    _el(value, "label", option.label[:255])


def files(project: Project, cfg: PlatformConfig, texts: dict[str, str]) -> dict[str, bytes]:
    """Every Salesforce source file, named under `crm/salesforce/`, plus package.xml."""
    out: dict[str, ET.Element] = {}
    members: dict[str, list[str]] = {}

    def add(kind: str, member: str, path: str, root: ET.Element) -> None:
        members.setdefault(kind, []).append(member)
        out[path] = root

    lead = next((p for p in cfg.picklists if (p.object, p.field) == ("Lead", "Status")), None)
    if lead is not None:
        add(
            "StandardValueSet",
            "LeadStatus",
            "standardValueSets/LeadStatus.standardValueSet-meta.xml",
            lead_status(lead),
        )
        # Salesforce shows the converted statuses as one "Converted" step of its own.
        steps = [(o.value, o.stages[0] if o.stages else None, "") for o in lead.options if not o.converted]
        add(
            "PathAssistant",
            "Lead_Lifecycle",
            "pathAssistants/Lead_Lifecycle.pathAssistant-meta.xml",
            path_assistant(routes_of(project), "Lead", "Status", "__MASTER__", texts["lead_path"], steps),
        )
    deals = tuple(p for p in cfg.pipelines if p.object == "Opportunity")
    if deals:
        add(
            "StandardValueSet",
            "OpportunityStage",
            "standardValueSets/OpportunityStage.standardValueSet-meta.xml",
            opportunity_stage(deals),
        )
    for pipeline, name in zip(deals, unique_api_names([p.name for p in deals], "Pipeline"), strict=True):
        _pipeline_files(project, pipeline, name, add, texts)
    for picklist, label, description in _custom_fields(cfg, texts):
        member = f"{picklist.object}.{picklist.field}"
        add(
            "CustomField",
            member,
            f"objects/{picklist.object}/fields/{picklist.field}.field-meta.xml",
            picklist_field(picklist, label, description),
        )
    result = {ROOT + path: serialize(root) for path, root in sorted(out.items())}
    result[ROOT + "package.xml"] = serialize(package(members))
    return result


def _pipeline_files(  # type: ignore[no-untyped-def]
    project: Project, pipeline: Pipeline, name: str, add, texts: dict[str, str]
) -> None:
    add(
        "BusinessProcess",
        f"Opportunity.{name}",
        f"objects/Opportunity/businessProcesses/{name}.businessProcess-meta.xml",
        business_process(pipeline, name),
    )
    add(
        "RecordType",
        f"Opportunity.{name}",
        f"objects/Opportunity/recordTypes/{name}.recordType-meta.xml",
        record_type(pipeline, name),
    )
    steps = [
        (s.value, s.stage.id if s.stage else None, texts["path_won" if s.won else "path_lost"]) for s in pipeline.stages
    ]
    add(
        "PathAssistant",
        f"{name}_Path",
        f"pathAssistants/{name}_Path.pathAssistant-meta.xml",
        path_assistant(routes_of(project), "Opportunity", "StageName", name, pipeline.name, steps),
    )


def _custom_fields(cfg: PlatformConfig, texts: dict[str, str]) -> list[tuple[Picklist, str, str]]:
    """Custom picklists: lifecycle fields, the contact status on Lead and Contact,
    and one drop-off reason field per object."""
    fields = [
        (p, field_label(p.field), texts["lifecycle_description"]) for p in cfg.picklists if p.field.endswith("__c")
    ]
    for obj in ("Lead", "Contact"):
        status = Picklist(obj, cfg.statuses.field, cfg.statuses.options)
        fields.append((status, texts["status_label"], texts["status_description"]))
    fields += [(p, texts["drop_off_label"], texts["drop_off_description"]) for p in cfg.drop_offs]
    return fields


def field_label(field: str) -> str:
    """`Customer_Stage__c` -> `Customer Stage`."""
    return field.removesuffix("__c").replace("_", " ").strip() or field


def package(members: dict[str, list[str]]) -> ET.Element:
    """package.xml listing every component, types and members sorted as sfdx does."""
    root = ET.Element("Package")
    for kind in sorted(members):
        types = _el(root, "types")
        for member in sorted(set(members[kind])):
            _el(types, "members", member)
        _el(types, "name", kind)
    _el(root, "version", API_VERSION)
    return root
