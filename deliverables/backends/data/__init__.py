"""Data work over the client's CRM exports: reading, metrics in ibis, charts.

`measure` runs the audit once per build: every deliverable that shows it (the
audit itself, the kickoff deck, the maintenance baselines) reads the same
numbers, held by the build's context under the fingerprint of the exports'
bytes and of what the audit reads of the client file, so an export changed in
place (same size, same time) is measured again. A session of builds (`deliver
watch`) shares that memory: a save that changes only prose reuses the audit. With worker processes, `start` has one of them
measure while the others render what does not need the audit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Future

    from deliverables.backends.data.result import Result
    from deliverables.core.context import Context
    from deliverables.core.model import Project
    from deliverables.core.source import Document


def measure(project: Project, ctx: Context) -> Result:
    """The audit of the project's exports (InputError on bad input), computed once per build
    (once per session of builds, while neither the exports nor what it reads change)."""
    key = _key(project, ctx)
    found = ctx.measured.get(key)
    if isinstance(found, Early):
        found = found.wait()
    if found is None:
        from deliverables.backends.data.audit import run  # ibis and DuckDB: only where it is measured

        found = run(project, ctx.document)
    ctx.measured[key] = found
    for older in list(ctx.measured)[:-KEPT]:
        del ctx.measured[older]
    return found  # type: ignore[return-value]


KEPT = 4
"""Audits a session of builds remembers (one per build; earlier ones serve an edit undone)."""
PROSE = ("definition", "entry", "drop_off_reasons", "notes", "confirm_with", "lint_ignore")
"""Fields of a stage the audit never reads: editing them reuses the session's audit."""


def _key(project: Project, ctx: Context) -> bytes:
    """The exports' fingerprint and everything of the project the audit reads: its
    section, the date, the domains and the stages without their prose; and the
    client file's path, so a batch of clients never shares one, however alike."""
    fingerprint = project.derived.get("audit-reads")
    if not isinstance(fingerprint, bytes):  # once per project: every view that shows the audit asks
        import hashlib
        import json

        read = project.model_dump(mode="json", include={"audit", "date", "domains", "stages"})
        for stage in read.get("stages", []):
            for name in PROSE:
                stage.pop(name, None)
            for way_out in stage.get("exit", []):
                way_out.pop("when", None)
        text = json.dumps(read, sort_keys=True, ensure_ascii=False).encode("utf-8")
        fingerprint = hashlib.sha256(text).hexdigest().encode()
        project.derived["audit-reads"] = fingerprint
    return (ctx.input("exports") or b"") + b"\nproject " + fingerprint + b"\nfile " + str(ctx.document.path).encode()


def start(ctx: Context, submit: Callable[..., Future]) -> None:
    """Begin the audit of the exports in a worker process (`submit(function, *args)`), so
    that it runs beside the other deliverables' rendering; the first view that needs
    it waits for it instead of measuring. `ctx.inputs` holds the exports' fingerprint."""
    if ctx.input("exports") is None or ctx.project.audit is None:
        return
    key = _key(ctx.project, ctx)
    if key in ctx.measured:
        return
    try:
        ctx.measured[key] = Early(submit(_measured, ctx.project, ctx.document))
    except RuntimeError:  # the pool is broken or shut down: the view measures itself
        return


class Early:
    """An audit being measured in a worker."""

    def __init__(self, future: Future) -> None:
        self.future = future

    def wait(self) -> Result | None:
        """The worker's result; None when it failed in any way: the view then measures
        again itself, so a bad export's positioned error is raised as it always is."""
        try:
            return self.future.result()
        except Exception:  # the worker died, or its result could not be carried back
            return None


def _measured(project: Project, document: Document) -> Result | None:
    """In a worker: the audit, or None when it fails (the view measures again and raises)."""
    from deliverables.backends.data.audit import run

    try:
        return run(project, document)
    except Exception:
        return None
