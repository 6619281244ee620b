"""`deliver check`: validate and lint client files, then report as text, JSON or SARIF.

Text goes where the loader's messages always went: findings to stderr, grouped
by severity, and one summary line per file to stdout.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from deliverables.core import validate
from deliverables.core.errors import InputError, Problem
from deliverables.documents.words.grammar import count
from deliverables.lint import lint
from deliverables.lint.base import FileReport

Echo = Callable[..., None]


def check_file(path: Path, *, final: bool = False, strict: bool = False) -> FileReport:
    """Load, validate and lint one file."""
    try:
        doc, project = validate.load(path)
    except InputError as exc:
        return FileReport(str(path), list(exc.problems))
    assumed = project.assumed_count()
    summary = f"{count(len(project.stages), 'stage')}, {count(assumed, 'item')} assumed"
    problems = validate.unbuildable_problems(doc, project)
    if problems:
        return FileReport(str(path), problems + list(doc.warnings))
    problems = list(doc.warnings) + _layout_problems(doc, project)
    problems += [p for p in _build_warnings(doc, project) if p not in problems]
    return FileReport(str(path), problems, lint(doc, project, final=final, strict=strict), summary)


def _build_warnings(doc: Any, project: Any) -> list[Problem]:
    """What `build` would warn about, found by planning every deliverable's view (nothing is
    rendered or written): characters a font cannot draw, CRM values that will be cut, a
    schedule that cannot be dated, ... A view that cannot be made at all is an error here."""
    from deliverables.core.context import Context
    from deliverables.core.errors import DeliverError
    from deliverables.pipeline import graph, registry

    try:
        nodes = graph.plan(Context(project, doc), registry.names())
    except InputError as exc:  # a file the client file points at (the logo) cannot be used: its own positions
        return list(exc.problems)
    except DeliverError as exc:
        return [doc.problem((), exc.message)]
    found: list[Problem] = []
    for node in nodes:
        found += [w for w in node.ctx.warnings if w not in found and not _about_output(w)]
    return found


def _about_output(problem: Problem) -> bool:
    """A warning about the output folder (no earlier version built there): `check` reads no
    output folder, so only `build` can say it."""
    return problem.where == "version" and problem.message.startswith("no earlier version")


def _layout_problems(doc: Any, project: Any) -> list[Problem]:
    """What cannot be laid out as the file asks (a reference card that must not split but
    cannot fit one page), positioned at the option that asks it."""
    from deliverables.documents.card import fit_problems

    return [doc.problem(path, message) for path, message in fit_problems(project)]


def run(paths: Sequence[Path], *, final: bool, fmt: str, strict: bool, verbose: bool, echo: Echo) -> int:
    """Check every file, print the report in `fmt`, return the exit code."""
    reports = [check_file(path, final=final, strict=strict) for path in paths]
    if fmt == "json":
        echo(json.dumps({"files": [as_json(r, strict) for r in reports]}, indent=2, ensure_ascii=False))
    elif fmt == "sarif":
        from deliverables.lint.sarif import sarif

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
    for severity in ("error", "warning", "note"):
        lines = [str(p) for p in report.problems if p.severity == severity]
        lines += [str(f) for f in report.active() if f.severity == severity]
        if lines:
            echo(f"{report.file}: {count(len(lines), severity)}", err=True)
            echo("\n".join(lines), err=True)
    silenced = [f for f in report.findings if f.ignored is not None]
    if verbose and silenced:
        echo(f"{report.file}: {len(silenced)} silenced by lint_ignore", err=True)
        for item in silenced:
            where = f"{item.where}: " if item.where else ""
            echo(f"{item.file}:{item.line}:{item.column}: {where}{item.rule}: silenced: {item.ignored}", err=True)
    echo(_summary(report, strict))


def _summary(report: FileReport, strict: bool) -> str:
    errors, warnings, notes = report.count("error"), report.count("warning"), report.count("note")
    tail = (f", {count(warnings, 'warning')}" if warnings else "") + (f", {count(notes, 'note')}" if notes else "")
    if errors:
        return f"failed: {report.file} ({count(errors, 'error')}{tail})"
    if report.failed(strict):
        return f"failed: {report.file} ({count(warnings, 'warning')}; --strict fails on warnings)"
    return f"ok: {report.file} ({report.summary}{tail})"
