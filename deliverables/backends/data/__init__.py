"""Data work over the client's CRM exports: reading, metrics in ibis, charts.

`measure` runs the audit once per content of the client file and the exports,
so every deliverable that shows the audit (the audit itself, the kickoff deck,
the maintenance baselines) reads the same numbers without computing them again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deliverables.backends.data.audit import Result
    from deliverables.core.model import Project
    from deliverables.core.source import Document

_MEMO: dict[tuple, Result] = {}


def _stamp(path: Path) -> tuple:
    try:
        info = os.stat(path)
    except OSError:
        return (str(path), None)
    return (str(path), info.st_size, info.st_mtime_ns)


def measure(project: Project, doc: Document) -> Result:
    """The audit of the project's exports (InputError on bad input), computed once per content."""
    from deliverables.backends.data.audit import run

    base = Path(doc.path).parent
    stamps = tuple(_stamp(base / e.path) for e in project.audit.exports)
    key = (str(doc.path), project.model_dump_json(), stamps)
    if key not in _MEMO:
        _MEMO.clear()
        _MEMO[key] = run(project, doc)
    return _MEMO[key]
