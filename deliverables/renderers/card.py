"""Stage Reference Card (PDF): every stage, its entry criteria and the owner of
the transition, on exactly one printed page.

The view decides the wording, the order and the page size; the layout (columns,
type size, how far definitions are shortened) is searched in `_card_pdf`, which
fails with a clear error rather than spill onto a second page.
"""

from __future__ import annotations

from typing import Any

from .. import marks
from ..context import Context
from ..model import Project, Stage
from ._card_text import definition_levels, long_date

NAME = "reference-card"
SUFFIXES = (".pdf",)
DESCRIPTION = "Stage Reference Card: every stage with entry criteria and owner on exactly one page (PDF)."

NO_ENTRY = "No entry criteria defined yet"
UNASSIGNED = "Unassigned"


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes for the project's version."""
    return (f"stage-reference-card-v{project.version}.pdf",)


def view(project: Project, ctx: Context) -> dict[str, Any]:
    """Title, domains with their stages in flow order, legend and footer."""
    draft = not project.is_final()
    order = project.domain_order()
    domains = [
        {
            "title": project.domain_title(domain),
            "colour": marks.domain_colour(domain, order),
            "stages": [_stage(project, s, draft) for s in project.stages_in(domain)],
        }
        for domain in order
    ]
    return {
        "file": f"stage-reference-card-v{project.version}.pdf",
        "page": page_size(project),
        "client": project.client.name,
        "title": "Stage Reference Card",
        "version": f"v{project.version}",
        "date": long_date(ctx.date),
        "status": "Draft" if draft else "Final",
        "architect": project.architect,
        "domains": domains,
        "legend": _legend(draft),
        "footer": _footer(project),
        "checks": _checks(project),
    }


def _stage(project: Project, stage: Stage, draft: bool) -> dict[str, Any]:
    """One stage as the card prints it."""
    return {
        "label": stage.label,
        "golden": stage.golden,
        "assumed": draft and stage.status == "assumed",
        "definitions": definition_levels(stage.definition),
        "entry": list(stage.entry),
        "no_entry": NO_ENTRY,
        "owner": project.owner_name(stage.owner) or UNASSIGNED,
    }


def _legend(draft: bool) -> list[dict[str, str]]:
    """Legend entries: the golden mark always, the ASSUMED flag while a draft."""
    items = [{"mark": marks.GOLDEN, "text": marks.GOLDEN_LEGEND.removeprefix(marks.GOLDEN).strip()}]
    if draft:
        items.append({"mark": marks.ASSUMED, "text": marks.ASSUMED_LEGEND.removeprefix(marks.ASSUMED + ":").strip()})
    items.append({"mark": "Owner:", "text": "who moves a record into the stage"})
    return items


def _footer(project: Project) -> str:
    """Version, what is still assumed, and whom to ask."""
    count = project.assumed_count()
    if count:
        status = f"{count} item{'s' if count != 1 else ''} (stages and terms) still ASSUMED"
    else:
        status = "every stage and term CONFIRMED"
    ask = f"Questions about a stage: {project.architect}, lifecycle architect" if project.architect else ""
    parts = [f"{project.client.name} · v{project.version}", status, ask]
    return " · ".join(p for p in parts if p)


def _checks(project: Project) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Every client text the card prints, with its path and a name, for the font coverage check."""
    checks: list[tuple[tuple[str | int, ...], str, str]] = [
        (("client", "name"), "client name", project.client.name),
        (("architect",), "architect", project.architect),
    ]
    for i, stage in enumerate(project.stages):
        checks.append((("stages", i, "name"), "stage name", stage.label))
        checks.append((("stages", i, "definition"), "definition", stage.definition))
        for j, criterion in enumerate(stage.entry):
            checks.append((("stages", i, "entry", j), "entry criterion", criterion))
        checks.append((("stages", i, "owner"), "owner", project.owner_name(stage.owner)))
    for k, decl in enumerate(project.domains):
        checks.append((("domains", k, "name"), "domain name", project.domain_title(decl.id)))
    return [c for c in checks if c[2]]


def page_size(project: Project) -> str:
    """letter or a4, from the client file's `card.page` (validated by the model)."""
    return project.card.page


def render(view: dict[str, Any], ctx: Context) -> dict[str, bytes]:
    """The one-page PDF."""
    from ._card_pdf import render_card

    return {view["file"]: render_card(view, ctx)}
