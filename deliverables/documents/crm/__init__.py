"""CRM Configuration Spec (.docx) and the deployable CRM files (crm/ folder):
Salesforce source metadata and HubSpot API bodies, for the client's CRM (both for `other`)."""

from __future__ import annotations

from typing import Any

from deliverables.core.context import Context
from deliverables.core.dates import shown_date, version_line
from deliverables.core.model import Project
from deliverables.documents.crm import config, spec
from deliverables.documents.crm.mapping import platforms_for
from deliverables.documents.crm.salesforce import STANDARD_VALUE_MAX
from deliverables.documents.words import data as tdata
from deliverables.documents.words import templates as wording

NAME = "crm-config"
SUFFIXES = (".docx", ".xml", ".json", ".md")
DESCRIPTION = (
    "CRM configuration: the CRM Configuration Spec for the CRM administrator (Word) and the files"
    " that deploy it (crm/ folder)."
)
CONSUMES = ()
EXTERNAL = ("base.docx",)


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes: the spec and the CRM files, which follow
    the pipelines and picklists of the client file and the built-in CRM defaults."""
    defaults, labels = tdata.load(None, "crm/defaults.yaml"), tdata.load(None, "crm/spec.yaml")["labels"]
    configs = {p: config.build(project, p, defaults) for p in platforms_for(project.client.crm)}
    return (*sorted(_platform_files(project, configs, labels, "")), _spec_file(project))


def _spec_file(project: Project) -> str:
    return f"crm-config-spec-v{project.version}.docx"


def view(project: Project, ctx: Context) -> dict[str, Any]:
    """Everything the spec says, per platform, in the client's stage names."""
    defaults = tdata.load(ctx, "crm/defaults.yaml")
    text = tdata.load(ctx, "crm/spec.yaml")
    configs = {p: config.build(project, p, defaults) for p in platforms_for(project.client.crm)}
    _warn_salesforce(project, ctx, configs)
    titles = " and ".join(spec.platform_title(p) for p in configs)
    state = project.state
    title = text["title"]
    return {
        "file": _spec_file(project),
        "title": title,
        "client": project.client.name,
        "author": project.architect,
        "date": ctx.date,
        "shown_date": shown_date(project),
        "state": state,
        "meta": [
            version_line(project),
            f"CRM: {titles}",
            f"Prepared by {project.architect}" if project.architect else "",
        ],
        "header": f"{project.client.name} · {title}",
        "footer": f"v{project.version} · {state}",
        "purpose": tdata.fill(
            text["purpose"],
            client=project.client.name,
            platforms=titles,
            final=project.is_final(),
            version=project.version,
        ),
        "common_title": text["common_title"],
        "proposed_note": text["proposed_note"],
        "legend": spec.legend(text),
        "platforms": [_platform(project, cfg, text, defaults) for cfg in configs.values()],
        "statuses": [{"name": s.name, "definition": s.definition} for s in project.contact_statuses],
        "drop_offs": _drop_offs(project),
        "build_order": _build_order(project, text),
        "qa": list(text["qa"]),
        "files_intro": text["files_intro"],
        "labels": text["labels"],
        "configs": configs,
    }


def _platform(
    project: Project, cfg: config.PlatformConfig, text: dict[str, Any], defaults: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": cfg.platform,
        "title": spec.platform_title(cfg.platform),
        "intro": text["platform_intro"][cfg.platform],
        "notes": spec.platform_notes(project, cfg, text, defaults),
        "stages": spec.stage_rows(project, cfg, text["outside_crm"]),
        "pipelines": [
            {"name": p.name, "object": p.object, "deal": p.is_deal, "rows": spec.pipeline_rows(p)}
            for p in cfg.pipelines
        ],
        "picklists": [
            {
                "name": f"{p.object}.{p.field}",
                "values": [o.label for o in p.options],
                "proposed": all(o.proposed for o in p.options),
            }
            for p in cfg.picklists
        ],
        "status_field": f"{cfg.statuses.object}.{cfg.statuses.field}",
        "statuses": [o.label for o in cfg.statuses.options],
        "statuses_proposed": all(o.proposed for o in cfg.statuses.options),
        "drop_off_fields": [
            {
                "name": f"{p.object}.{p.field}",
                "values": [o.label for o in p.options],
                "proposed": all(o.proposed for o in p.options),
            }
            for p in cfg.drop_offs
        ],
        "automation": spec.automation(project, cfg, text, defaults),
        "validation": spec.validation(project, cfg, text),
        "validation_standard": spec.standard_validation(project, cfg, text, defaults),
        "validation_how": text["validation"]["how"][cfg.platform],
        "dashboards": spec.dashboards(project, cfg, text),
        "dashboards_how": text["dashboards_how"][cfg.platform],
        "files_note": text["files_notes"][cfg.platform],
    }


def _drop_offs(project: Project) -> list[dict[str, Any]]:
    return [{"stage": s.label, "reasons": list(s.drop_off_reasons)} for s in project.stages if s.drop_off_reasons]


def _build_order(project: Project, text: dict[str, Any]) -> list[str]:
    steps = list(text["build_order"]["common"])
    if "hubspot" in platforms_for(project.client.crm):
        steps.insert(0, text["build_order"]["hubspot_first"])
    return steps


def _warn_salesforce(project: Project, ctx: Context, configs: dict[str, config.PlatformConfig]) -> None:
    """Salesforce keeps 40 characters of a Lead Status or Opportunity Stage value, and
    custom fields end in __c."""
    cfg = configs.get("salesforce")
    if cfg is None:
        return
    position = {s.id: i for i, s in enumerate(project.stages)}
    for m in cfg.maps:
        index = position[m.stage.id]
        own = m.stage.crm is not None and project.client.crm == "salesforce"
        if own and m.field not in ("Status", "StageName") and not m.field.endswith("__c"):
            ctx.warn(
                ("stages", index, "crm", "field"),
                f"'{m.field}' is not a Salesforce custom field name "
                "(those end in __c); no field file is generated for it",
            )
        if m.field in ("Status", "StageName") and len(m.value) > STANDARD_VALUE_MAX:
            where = ("stages", index, "crm", "value") if m.stage.crm else ("stages", index, "name")
            ctx.warn(
                where,
                f"Salesforce keeps {STANDARD_VALUE_MAX} characters of this value; "
                f"the CRM files use '{m.value[:STANDARD_VALUE_MAX].rstrip()}'",
            )


def render(view: dict[str, Any], ctx: Context) -> dict[str, bytes]:
    """The spec document and the crm/ files."""
    from deliverables.documents.crm import word as crm_word

    files = _crm_files(view, ctx)
    files[view["file"]] = crm_word.write(view, sorted(files), ctx)
    return files


def _crm_files(view: dict[str, Any], ctx: Context) -> dict[str, bytes]:
    """The deployable files of every platform in the view."""
    checklist = ""
    if "hubspot" in view["configs"]:
        checklist = wording.render(ctx, "crm/hubspot-checklist.md.j2", **_checklist_data(view))
    return _platform_files(ctx.project, view["configs"], view["labels"], checklist)


def _platform_files(
    project: Project, configs: dict[str, config.PlatformConfig], labels: dict[str, str], checklist: str
) -> dict[str, bytes]:
    from deliverables.documents.crm import hubspot, salesforce

    files: dict[str, bytes] = {}
    if "salesforce" in configs:
        files.update(salesforce.files(project, configs["salesforce"], labels))
    if "hubspot" in configs:
        files.update(hubspot.files(configs["hubspot"], labels, checklist))
    return files


def _checklist_data(view: dict[str, Any]) -> dict[str, Any]:
    from deliverables.documents.crm.hubspot import calls

    hubspot = next(p for p in view["platforms"] if p["id"] == "hubspot")
    return {
        "calls": calls(view["configs"]["hubspot"], view["labels"]),
        "client": view["client"],
        "date": view["shown_date"],
        "notes": hubspot["notes"],
        "automation": hubspot["automation"],
        "validation": hubspot["validation_standard"],
        "pipelines": hubspot["pipelines"],
    }
