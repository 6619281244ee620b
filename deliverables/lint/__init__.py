"""Lint a validated client file against the playbook's gotchas.

`lint(doc, project)` runs every rule on the typed project and positions each
finding with the parsed document. A stage silences a rule with
`lint_ignore: [{rule: ID, reason: ...}]`; silenced findings are kept (marked
with the reason) so `check --verbose` and SARIF can show them. The `--final`
gates are never silenced.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Project
from ..source import Document
from ..validate import did_you_mean
from . import final, naming, structure, terms  # noqa: F401  (importing registers the rules)
from .base import RULES, Finding, Hit, Rule, at, rule

__all__ = ["RULES", "Finding", "Rule", "lint", "rule_table"]


@rule(
    "unknown-lint-ignore",
    "warning",
    "A `lint_ignore` entry naming a rule that does not exist or cannot be silenced.",
    "use a rule id from `deliver check --list-rules`",
)
def unknown_ignore(project: Project) -> Iterator[Hit]:
    """lint_ignore entries whose rule is unknown or a --final gate."""
    for stage in project.stages:
        for k, ignore in enumerate(stage.lint_ignore):
            known = RULES.get(ignore.rule)
            if known is None:
                message = f"unknown rule '{ignore.rule}'{did_you_mean(ignore.rule, RULES)}"
            elif known.final:
                message = f"rule '{ignore.rule}' is a --final gate and cannot be silenced"
            else:
                continue
            yield at(project, stage, message, "lint_ignore", k, "rule")


def lint(doc: Document, project: Project, *, final: bool = False) -> list[Finding]:
    """Every finding about `project`, positioned in `doc`, silenced ones included."""
    findings = []
    for item in RULES.values():
        if item.final and not final:
            continue
        for hit in item.check(project):
            findings.append(_finding(doc, item, hit, _reason(project, item, hit.stage)))
    return sorted(set(findings), key=lambda f: (f.file, f.line, f.column, f.rule, f.message))


def _finding(doc: Document, item: Rule, hit: Hit, reason: str | None) -> Finding:
    problem = doc.problem(hit.path, hit.message)
    return Finding(
        problem.file,
        problem.line,
        problem.column,
        problem.where,
        item.id,
        hit.message,
        item.severity,
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


def rule_table() -> str:
    """The rule table as Markdown (README and `deliver check --list-rules`)."""
    lines = [
        "| rule | severity | runs | what it catches | fix |",
        "|---|---|---|---|---|",
    ]
    for item in RULES.values():
        runs = "`--final`" if item.final else "always"
        cells = (f"`{item.id}`", item.severity, runs, item.summary, item.fix[0].upper() + item.fix[1:] + ".")
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
