"""`deliver check`: validate and lint client files, then report as text, JSON or SARIF.

Text goes where the loader's messages always went: findings to stderr, grouped
by severity, and one summary line per file to stdout.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from .. import validate
from . import Finding, lint

Echo = Callable[..., None]


@dataclass
class FileReport:
    """What checking one client file found."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    """Loader and validation problems (errors make the file unusable)."""
    findings: list[Finding] = field(default_factory=list)
    """Lint findings, silenced ones included."""
    summary: str = ""
    """`N stages, M item(s) assumed` for a valid file."""

    @property
    def valid(self) -> bool:
        """True when the file loaded and validated, so lint ran."""
        return not any(p.severity == "error" for p in self.problems)

    def active(self) -> list[Finding]:
        """Findings not silenced by a stage."""
        return [f for f in self.findings if f.ignored is None]

    def count(self, severity: str) -> int:
        """Problems and active findings of one severity."""
        return sum(p.severity == severity for p in self.problems) + sum(
            f.severity == severity for f in self.active()
        )

    def failed(self, strict: bool) -> bool:
        """Errors fail a file; warnings too under `--strict`."""
        return self.count("error") > 0 or (strict and self.count("warning") > 0)


def check_file(path: Path, *, final: bool = False) -> FileReport:
    """Load, validate and lint one file."""
    try:
        doc, project = validate.load(path)
    except InputError as exc:
        return FileReport(str(path), list(exc.problems))
    assumed = project.assumed_count()
    summary = f"{len(project.stages)} stages, {assumed} item(s) assumed"
    return FileReport(str(path), list(doc.warnings), lint(doc, project, final=final), summary)


def run(paths: Sequence[Path], *, final: bool, fmt: str, strict: bool, verbose: bool, echo: Echo) -> int:
    """Check every file, print the report in `fmt`, return the exit code."""
    reports = [check_file(path, final=final) for path in paths]
    if fmt == "json":
        echo(json.dumps({"files": [as_json(r, strict) for r in reports]}, indent=2, ensure_ascii=False))
    elif fmt == "sarif":
        from .sarif import sarif

        echo(json.dumps(sarif(reports), indent=2, ensure_ascii=False))
    else:
        for report in reports:
            show_text(report, strict=strict, verbose=verbose, echo=echo)
    return 1 if any(r.failed(strict) for r in reports) else 0


def as_json(report: FileReport, strict: bool) -> dict[str, Any]:
    """One file's entry in `--format json`."""
    items = [p.as_dict() for p in report.problems] + [f.as_dict() for f in report.active()]
    return {
        "file": report.file,
        "ok": not report.failed(strict),
        "problems": items,
        "ignored": [f.as_dict() for f in report.findings if f.ignored is not None],
    }


def show_text(report: FileReport, *, strict: bool, verbose: bool, echo: Echo) -> None:
    """Human report: errors, then warnings, then (verbose) silenced findings; a summary line."""
    if not report.valid:
        InputError(report.problems).show()
        return
    for severity in ("error", "warning"):
        lines = [str(p) for p in report.problems if p.severity == severity]
        lines += [str(f) for f in report.active() if f.severity == severity]
        if lines:
            echo(f"{report.file}: {len(lines)} {severity}(s)", err=True)
            echo("\n".join(lines), err=True)
    silenced = [f for f in report.findings if f.ignored is not None]
    if verbose and silenced:
        echo(f"{report.file}: {len(silenced)} silenced by lint_ignore", err=True)
        for item in silenced:
            where = f"{item.where}: " if item.where else ""
            echo(f"{item.file}:{item.line}:{item.column}: {where}{item.rule}: silenced: {item.ignored}", err=True)
    echo(_summary(report, strict))


def _summary(report: FileReport, strict: bool) -> str:
    errors, warnings = report.count("error"), report.count("warning")
    tail = f", {warnings} warning(s)" if warnings else ""
    if errors:
        return f"failed: {report.file} ({errors} error(s){tail})"
    if report.failed(strict):
        return f"failed: {report.file} ({warnings} warning(s); --strict fails on warnings)"
    return f"ok: {report.file} ({report.summary}{tail})"
