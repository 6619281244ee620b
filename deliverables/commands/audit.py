"""`deliver audit`: compute the current-state audit of a client file's CRM exports
and print it, as a funnel table (text) or as the metrics' JSON contract."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from deliverables.core import validate
from deliverables.core.errors import InputError

Echo = Callable[..., None]


def run_audit(path: Path, fmt: str, echo: Echo, progress: Callable[[int, int], None] | None = None) -> None:
    """Audit the exports named by the client file at `path` and print the result."""
    from deliverables.backends.data.audit import run

    doc, project = validate.load(path)
    if project.audit is None:
        raise InputError([doc.problem((), "no `audit:` section: name the CRM exports to audit under `audit.exports`")])
    result = run(project, doc, progress)
    for where, message in result.warnings:
        echo(str(doc.problem(where, message, severity="warning")), err=True)
    if fmt == "json":
        echo(json.dumps(result.metrics, indent=2, ensure_ascii=False))
        return
    for line in text_report(project, result):
        echo(line)


def _table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    cells = [tuple(str(c) for c in header)] + [tuple("—" if c is None else str(c) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()

    return [line(cells[0]), "  ".join("-" * w for w in widths)] + [line(r) for r in cells[1:]]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def text_report(project, result) -> list[str]:
    """The audit as terminal lines: sources, the funnel, transitions, unmapped values, quality."""
    metrics = result.metrics
    lines = [f"Current-state audit of {project.client.name}, exports of {result.as_of.isoformat()}", ""]
    for source in result.sources:
        dup = f", {_plural(source.duplicates, 'duplicate')}" if source.duplicates else ""
        lines.append(
            f"  {source.path} ({source.format}, {source.object}): {_plural(source.rows, 'row')}, {_plural(source.records, 'record')}{dup}"
        )
    names = {s.id: s.short for s in project.stages}
    rows = [(names[i], v["current"], v["entered"], v["skipped"], v["stuck"]) for i, v in metrics["stages"].items()]
    lines += ["", *_table(("stage", "current", "entered", "skipped", "stuck"), rows)]
    moves = [
        (
            f"{names[t['from']]} -> {names[t['to']]}",
            t["entered_from"],
            t["converted"],
            None if t["rate"] is None else f"{t['rate'] * 100:.1f}%",
            t["median_days"],
        )
        for t in metrics["transitions"]
    ]
    if moves:
        lines += ["", *_table(("transition", "entered", "converted", "rate", "median days"), moves)]
    if metrics["unmapped"]:
        from deliverables.backends.data.audit import quoted  # a pasted note is cut, as in messages

        lines += ["", "values no stage maps:"]
        lines += [
            f"  {u['object']}.{u['field']} {quoted(u['value'])}: {_plural(u['records'], 'record')}"
            for u in metrics["unmapped"]
        ]
    q = metrics["quality"]
    lines += [
        "",
        f"quality: {_plural(q['records_without_dates'], 'record')} without any date, "
        f"{_plural(q['future_dates'], 'entry date')} after {result.as_of.isoformat()}, "
        f"{_plural(q['out_of_order'], 'record')} with entry dates out of flow order",
    ]
    return lines
