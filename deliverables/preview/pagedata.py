"""What the preview page shows besides the files themselves, as plain JSON data:
the stages and their exits, the open (ASSUMED) items, the lint findings and the
changes since the previous version. Pure functions of the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from deliverables.core.changes import Change, changelog
from deliverables.core.flow import exits_of

if TYPE_CHECKING:
    from deliverables.core.errors import Problem
    from deliverables.core.model import Project, Stage
    from deliverables.lint.base import Finding

TITLES = {
    "summary": "stage summary",
    "definition-alignment": "alignment document",
    "diagram": "diagram",
    "reference-card": "reference card",
    "faq": "FAQ",
    "crm-config": "CRM spec",
    "maintenance": "maintenance schedule",
    "kickoff-deck": "kickoff deck",
    "refinement-deck": "refinement deck",
    "handoff-deck": "handoff deck",
}
"""How the page names each deliverable when it says what was updated."""

DECKS = ("kickoff-deck", "refinement-deck", "handoff-deck")
DOCUMENTS = {"alignment": "definition-alignment", "faq": "faq", "crm": "crm-config"}
"""Page tab -> the deliverable whose Word document the tab shows."""


def page(project: Project, previous: Project | None, findings: Sequence[Finding], warnings: Sequence[Problem]):
    """Everything the page lists, for one good build of `project`."""
    return {
        "client": project.client.name,
        "version": project.version,
        "meeting": project.meeting.replace("-", " ").capitalize(),
        "date": project.date.isoformat() if project.date else "",
        "stages": [_stage(project, i, stage) for i, stage in enumerate(project.stages)],
        "open": open_items(project),
        "findings": [_finding(f) for f in findings if f.ignored is None] + [_note(w) for w in warnings],
        "changes": since_previous(project, previous),
    }


def _stage(project: Project, index: int, stage: Stage) -> dict[str, Any]:
    exits = []
    for exit_ in exits_of(project, stage):
        target = project.stage(exit_.to)
        exits.append({"to": exit_.to, "name": target.label if target else exit_.to, "when": exit_.when})
    return {
        "node": f"n{index}",  # the diagram's node id for this stage
        "id": stage.id,
        "name": stage.name,
        "label": stage.label,
        "domain": project.domain_title(stage.domain),
        "status": stage.status,
        "golden": stage.golden,
        "owner": project.owner_name(stage.owner),
        "exits": exits,
    }


def open_items(project: Project) -> list[dict[str, Any]]:
    """Every stage and term still ASSUMED, in the documents' order, with what to look for."""
    items = []
    for domain in project.domain_order():
        for stage in project.stages_in(domain):
            if stage.status == "assumed":
                looks = _unique([stage.label, stage.name, stage.abbr or ""])
                who = project.owner_name(stage.confirm_with) if stage.confirm_with else ""
                where = project.domain_title(domain)
                items.append({"kind": "stage", "id": stage.id, "name": stage.label, "where": where, "who": who})
                items[-1].update(stages=[stage.id], find=looks)
    for term in project.terms:
        if term.status == "assumed":
            stages = [s.id for s in project.stages if term.term in (s.name, s.abbr, s.label)]
            item = {"kind": "term", "id": term.key, "name": term.term, "where": "Term", "who": ""}
            items.append({**item, "stages": stages, "find": [term.term]})
    return items


def _unique(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(t for t in texts if t))


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "severity": finding.severity,
        "rule": finding.rule,
        "message": finding.message,
        "fix": finding.fix,
        "stage": finding.stage,
        "at": f"{finding.file}:{finding.line}:{finding.column}",
    }


def _note(problem: Problem) -> dict[str, Any]:
    return {
        "severity": problem.severity,
        "rule": "",
        "message": problem.message,
        "fix": "",
        "stage": None,
        "at": f"{problem.file}:{problem.line}:{problem.column}",
    }


def since_previous(project: Project, previous: Project | None) -> dict[str, Any]:
    """The changelog against the newest earlier version built, or why there is none."""
    if previous is None:
        first = project.version == 0
        note = "This is the first version." if first else "There is no earlier version to compare with yet."
        return {"since": None, "note": note, "items": []}
    items = [change_data(c) for c in changelog(previous, project)]
    note = "" if items else f"Nothing changed since v{previous.version}."
    return {"since": previous.version, "note": note, "items": items}


def change_data(change: Change) -> dict[str, Any]:
    """One change as JSON, word differences as [op, text] pairs."""
    return {
        "kind": change.kind,
        "subject": change.subject,
        "summary": change.summary,
        "detail": [list(s) for s in change.detail],
    }


def what_changed(before: Project | None, after: Project, limit: int = 5) -> list[str]:
    """The changes of one save, one line each, for the page's update notice."""
    if before is None:
        return []
    lines = [f"{c.subject}: {c.summary}" for c in changelog(before, after)]
    if before.version != after.version:
        lines.insert(0, f"Version v{before.version} → v{after.version}")
    if len(lines) > limit:
        lines = [*lines[: limit - 1], f"and {len(lines) - limit + 1} more changes"]
    return lines


def updated_names(rebuilt: Sequence[str]) -> list[str]:
    """The deliverables one rebuild renewed, as the page names them."""
    return [TITLES.get(name, name) for name in rebuilt]
