"""The parts every lint rule is made of: the rule, what a check yields, the finding.

A rule is a small check function registered with `@rule(...)`: it gets the
validated project and yields `Hit`s (a path into the client file and a
message). The engine turns hits into positioned `Finding`s using the parsed
document, so rules never deal with line numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from deliverables.core.errors import Problem, position_dict
from deliverables.core.model import Project, Stage

Severity = Literal["error", "warning", "note"]
"""error: a `--final` gate; warning: a playbook recommendation, an error under `--final` or
`--strict`; note: something to look at that never fails a check."""
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Hit:
    """What a check found: where (a path into the client file), what, and which stage."""

    path: Path_
    message: str
    stage: str | None = None


Check = Callable[[Project], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """One playbook check: id, severity, what it catches and the recommended fix."""

    id: str
    severity: Severity
    summary: str
    fix: str
    check: Check = field(repr=False, compare=False)
    final: bool = False
    """Only run by `deliver check --final`; such gates cannot be silenced."""
    draft: bool = False
    """Not run by `deliver check --final`, where a gate finds the same thing."""


@dataclass(frozen=True, order=True)
class Finding:
    """A positioned rule violation, printed like the loader's problems."""

    file: str
    line: int
    column: int
    where: str
    rule: str
    message: str
    severity: Severity = "error"
    fix: str = ""
    stage: str | None = None
    ignored: str | None = None
    """The `lint_ignore` reason when a stage silenced this finding."""

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        where = f"{self.where}: " if self.where else ""
        fix = f" (fix: {self.fix})" if self.fix else ""
        return f"{self.file}:{self.line}:{self.column}: {where}{prefix}{self.rule}: {self.message}{fix}"

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `--format json` (the loader's keys plus rule, fix, ignored)."""
        data: dict[str, Any] = {**position_dict(self), "rule": self.rule, "fix": self.fix}
        if self.ignored is not None:
            data["ignored"] = self.ignored
        return data


def rule(
    id: str, severity: Severity, summary: str, fix: str, *, final: bool = False, draft: bool = False
) -> Callable[[Check], Rule]:
    """Make the decorated check function a rule; `lint.RULES` lists which rules run."""

    def make(check: Check) -> Rule:
        return Rule(id, severity, summary, fix, check, final, draft)

    return make


# ------------------------------------------------------------------ helpers


def at(project: Project, stage: Stage, message: str, *field_path: str | int) -> Hit:
    """A hit on `stage` (optionally on one of its fields)."""
    return Hit(("stages", project.stages.index(stage), *field_path), message, stage.id)


LIFECYCLE_DOMAINS = ("lead", "customer", "company")
"""Domains that track forward progression of a person or account, not deals."""
PIPELINE_DOMAINS = ("sales", "renewal", "expansion")
"""Domains that are deal pipelines in the CRM."""
DEAL_OBJECTS = ("deal", "opportunity")


def is_pipeline(stage: Stage) -> bool:
    """True for a deal-pipeline stage: a pipeline domain, or mapped to a deal object."""
    mapped = stage.crm is not None and stage.crm.object.lower() in DEAL_OBJECTS
    return stage.domain in PIPELINE_DOMAINS or mapped


@dataclass
class FileReport:
    """What checking one client file found."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    """Loader and validation problems (errors make the file unusable)."""
    findings: list[Finding] = field(default_factory=list)
    """Lint findings, silenced ones included."""
    summary: str = ""
    """`N stages, M items assumed` for a valid file."""

    @property
    def valid(self) -> bool:
        """True when the file loaded and validated, so lint ran."""
        return not any(p.severity == "error" for p in self.problems)

    def active(self) -> list[Finding]:
        """Findings not silenced by a stage."""
        return [f for f in self.findings if f.ignored is None]

    def count(self, severity: str) -> int:
        """Problems and active findings of one severity."""
        return sum(p.severity == severity for p in self.problems) + sum(f.severity == severity for f in self.active())

    def failed(self, strict: bool) -> bool:
        """Errors fail a file; warnings too under `--strict`; notes never do."""
        return self.count("error") > 0 or (strict and self.count("warning") > 0)
