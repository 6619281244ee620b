"""Lint a validated client file against the playbook's gotchas.

`lint(doc, project)` runs every rule on the typed project and positions each
finding with the parsed document. A stage silences a rule with
`lint_ignore: [{rule: ID, reason: ...}]`; silenced findings are kept (marked
with the reason) so `check --verbose` and SARIF can show them. The `--final`
gates are never silenced.
"""

from __future__ import annotations

from deliverables.core.model import Project
from deliverables.core.source import Document
from deliverables.lint import connections, ignores, naming, structure, terms
from deliverables.lint import final as gates
from deliverables.lint.base import Finding, Hit, Rule, Severity


def _by_id(rules: tuple[Rule, ...]) -> dict[str, Rule]:
    found: dict[str, Rule] = {}
    for item in rules:
        if item.id in found:
            raise ValueError(f"duplicate lint rule id {item.id!r}")
        found[item.id] = item
    return found


RULES: dict[str, Rule] = _by_id(
    (
        naming.activity_name,
        naming.deal_outcome,
        naming.status_as_stage,
        naming.cs_in_sales,
        naming.time_based,
        naming.internal_signal,
        naming.task_level,
        naming.company_type,
        structure.missing_sal,
        structure.missing_entry,
        structure.golden_missing,
        structure.golden_not_marked,
        structure.too_many_pipelines,
        structure.crm_value_shared,
        structure.stage_name_shared,
        structure.abbr_shared,
        structure.exit_to_itself,
        structure.probability_decreasing,
        structure.closed_won_not_100,
        structure.hubspot_probability_step,
        structure.automation_contradicts_criteria,
        structure.ends_at_closed_won,
        connections.unconnected,
        terms.undefined_term,
        terms.confirmed_term_rejected,
        ignores.unknown_ignore,
        # The --final gates come last in the rule table.
        gates.final_assumed,
        gates.final_unapproved,
        gates.final_exit_without_when,
        gates.final_signoff,
        gates.final_measurement,
        gates.final_edge_cases,
        gates.final_status,
    )
)
"""Every rule by id, in the order they are listed and run."""

__all__ = ["RULES", "Finding", "Rule", "final_ready", "lint", "rule_table"]


def lint(doc: Document, project: Project, *, final: bool = False, strict: bool = False) -> list[Finding]:
    """Every finding about `project`, positioned in `doc`, silenced ones included.

    Playbook recommendations are warnings on a draft; at sign-off (`final`) or with
    `strict` they are errors."""
    findings = []
    for item in RULES.values():
        if (item.final and not final) or (item.draft and final):
            continue
        severity = "error" if item.severity == "warning" and (final or strict) else item.severity
        for hit in item.check(project):
            findings.append(_finding(doc, item, hit, _reason(project, item, hit.stage), severity))
    return sorted(set(findings), key=lambda f: (f.file, f.line, f.column, f.rule, f.message))


def final_ready(project: Project) -> bool:
    """True when `deliver check --final` would pass: no rule that is an error at sign-off
    finds anything (findings a stage silences aside). Only then may a page say the project
    is complete."""
    for item in RULES.values():
        if item.severity == "note":
            continue
        for hit in item.check(project):
            if _reason(project, item, hit.stage) is None:
                return False
    return True


def _finding(doc: Document, item: Rule, hit: Hit, reason: str | None, severity: Severity) -> Finding:
    problem = doc.problem(hit.path, hit.message)
    return Finding(
        problem.file,
        problem.line,
        problem.column,
        problem.where,
        item.id,
        hit.message,
        severity,
        item.fix,
        hit.stage,
        reason,
    )


def _reason(project: Project, item: Rule, stage_id: str | None) -> str | None:
    """The stage's reason for silencing this rule, if it does (never for --final gates)."""
    stage = project.stage(stage_id) if stage_id and not item.final else None
    for ignore in stage.lint_ignore if stage else ():
        if ignore.rule == item.id:
            return ignore.reason
    return None


SEVERITY_TEXT = {
    "error": "error",
    "warning": "warning; error with `--final` or `--strict`",
    "note": "note (never fails)",
}
"""How the rule table states each severity."""


def rule_table() -> str:
    """The rule table as Markdown (README and `deliver check --list-rules`)."""
    lines = [
        "| rule | severity | runs | what it catches | fix |",
        "|---|---|---|---|---|",
    ]
    for item in RULES.values():
        runs = "`--final`" if item.final else "without `--final`" if item.draft else "always"
        cells = (
            f"`{item.id}`",
            SEVERITY_TEXT[item.severity],
            runs,
            item.summary,
            item.fix[0].upper() + item.fix[1:] + ".",
        )
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
