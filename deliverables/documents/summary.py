"""Stage summary (Markdown): every stage by domain, for a quick review in any editor."""

from __future__ import annotations

from typing import Any

from deliverables.core.context import Context
from deliverables.core.dates import shown_date
from deliverables.core.flow import exits_of, routes_of
from deliverables.core.model import Project, Stage
from deliverables.documents.words import grammar
from deliverables.documents.words import templates as wording

NAME = "summary"
SUFFIXES = (".md",)
DESCRIPTION = "Stage summary: every stage by domain with entry criteria, exits, owner and status (Markdown)."
CONSUMES = ()
EXTERNAL = ()


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes for the project's version."""
    return (f"stage-summary-v{project.version}.md",)


def view(project: Project, ctx: Context) -> dict[str, Any]:
    """Domains in order, each with its stages in flow order."""
    domains = []
    for domain in project.domain_order():
        stages = []
        for stage in project.stages_in(domain):
            stages.append(
                {
                    "label": stage.label,
                    "golden": stage.golden,
                    "entry": list(stage.entry) or ["none written yet"],
                    "exits": [_exit_text(project, stage, e.to, e.when) for e in exits_of(project, stage)]
                    or ["end of the flow"],
                    "owner": project.owner_name(stage.owner) or "owner to be named",
                    "status": stage.status.upper(),
                }
            )
        domains.append({"title": project.domain_title(domain), "stages": stages})
    assumed = project.assumed_count()
    total = len(project.stages) + len(project.terms)
    status_line = (
        f"{grammar.capital(grammar.of(assumed, total, 'item'))} still ASSUMED."
        if assumed
        else "Every item is CONFIRMED."
    )
    return {
        "client": project.client.name,
        "version": project.version,
        "date": grammar.capital(shown_date(project)),
        "status_line": status_line,
        "domains": domains,
        "file": f"stage-summary-v{project.version}.md",
    }


def _exit_text(project: Project, stage: Stage, to: str, when: str) -> str:
    """`Sales Qualified Lead (discovery booked)`, or for a default hand-off `... (hand-off to Sales)`."""
    target = routes_of(project).by_id.get(to)
    name = target.name if target else to
    if not when and target is not None and target.domain != stage.domain and not stage.exit:
        when = f"hand-off to {project.domain_title(target.domain)}"
    return f"{name} ({when})" if when else name


def render(view: dict[str, Any], ctx: Context) -> dict[str, bytes]:
    """The Markdown file."""
    text = wording.render(ctx, "stage-summary.md.j2", **view)
    return {view["file"]: text.encode("utf-8")}
