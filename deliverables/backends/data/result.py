"""What an audit run returns, in a module of its own that imports no data library: a
result measured in a worker process is unpickled in the build's without loading
ibis or DuckDB there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Source:
    """What the documents say about one export."""

    path: str
    object: str
    format: str
    rows: int
    records: int
    duplicates: int


@dataclass
class Result:
    """The metrics, the sources they come from, and warnings positioned in the client file."""

    metrics: dict[str, Any]
    as_of: dt.date
    sources: list[Source] = field(default_factory=list)
    warnings: list[tuple[tuple[str | int, ...], str]] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)
    """Every current value found: object, field, value, stage (or None), records."""
