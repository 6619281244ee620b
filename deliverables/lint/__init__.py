"""Lint a validated client file against the playbook's gotchas.

`lint(doc, project)` runs every rule on the typed project and positions each
finding with the parsed document. A stage silences a rule with
`lint_ignore: [{rule: ID, reason: ...}]`; silenced findings are kept (marked
with the reason) so `check --verbose` and SARIF can show them. The `--final`
gates are never silenced.
"""

from __future__ import annotations

from ..model import Project
from ..source import Document
# Importing a rule module registers its rules; import order is the order of the
# rule table, so the --final gates come last.
from . import naming  # noqa: F401  isort: skip
from . import structure  # noqa: F401  isort: skip
from . import terms  # noqa: F401  isort: skip
from . import ignores  # noqa: F401  isort: skip
from . import final  # noqa: F401  isort: skip
from .base import RULES, Finding, Hit, Rule

__all__ = ["RULES", "Finding", "Rule", "lint", "rule_table"]


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
