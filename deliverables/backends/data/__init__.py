"""Data work over the client's CRM exports: reading, metrics in ibis, charts.

`measure` runs the audit once per build: every deliverable that shows it (the
audit itself, the kickoff deck, the maintenance baselines) reads the same
numbers, held by the build's context under the fingerprint of the exports'
bytes, so nothing outlives the build and an export changed in place (same size,
same time) is measured again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deliverables.backends.data.audit import Result
    from deliverables.core.context import Context
    from deliverables.core.model import Project


def measure(project: Project, ctx: Context) -> Result:
    """The audit of the project's exports (InputError on bad input), computed once per build."""
    from deliverables.backends.data.audit import run

    key = ctx.input("exports") or b""
    if key not in ctx.measured:
        ctx.measured[key] = run(project, ctx.document)
    return ctx.measured[key]  # type: ignore[return-value]
