"""A `columns:` mapping proposed from an export's values, for a header no known format
matches (another CRM, or HubSpot in another language): the column whose values are
the stages' CRM values or names holds the current stage, a column of unique
values in every row the id, and a column of dates whose name mentions a stage
the date it was entered. Pure Python over the first rows of the export.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from deliverables.backends.data import dates
from deliverables.backends.data.formats import key
from deliverables.backends.data.plan import Mapped

SAMPLE = 2000
"""Rows of the export the proposal looks at: the first ones."""
PLAIN = re.compile(r"[A-Za-z\u00c0-\uffff][\w .\-/()'\u00c0-\uffff]*")
"""A column name YAML reads as itself, plain, in a flow mapping too."""
NOT_PLAIN = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}


def propose(header: tuple[str, ...], rows: list[dict[str, str | None]], stages: list[Mapped]) -> str | None:
    """The `columns:` mapping the values of `rows` suggest for the stages of the export's
    object (`stages`), as one line of YAML; None unless a column holds stage values and
    another an id (without both it is no export of those records, and naming its
    columns would only quote the file)."""
    values = {c: [(r.get(c) or "").strip() for r in rows] for c in header}
    current, field_name = _current(values, stages)
    if current is None:
        return None
    ident = _ident(values, exclude={current})
    if ident is None:
        return None
    mapping: dict[str, object] = {"id": ident, "current": current, "field": field_name}
    found = _dates(values, stages, exclude={current, ident})
    if found:
        mapping["dates"] = found
    return "columns: " + _flow(mapping)


def _current(values: dict[str, list[str]], stages: list[Mapped]) -> tuple[str | None, str]:
    """The column whose distinct values match the most stages, and the CRM field of those stages."""
    best, best_hits, fields = None, 0, Counter()
    for column, cells in values.items():
        seen = {key(c) for c in cells if c}
        hits = [m for m in stages if m.keys & seen]
        if len({m.pos for m in hits}) > best_hits:
            best, best_hits = column, len({m.pos for m in hits})
            fields = Counter(m.stage.crm.field for m in hits)
    return best, (fields.most_common(1)[0][0] if fields else "")


def _ident(values: dict[str, list[str]], exclude: set[str]) -> str | None:
    """The column filled in every row with the most distinct values (nine in ten at least:
    an export may repeat a record), one whose name says id first."""
    found = []
    for i, (column, cells) in enumerate(values.items()):
        if column in exclude or not cells or not all(cells) or _dated(cells):
            continue
        ratio = len(set(cells)) / len(cells)
        if ratio >= 0.9:
            named = bool(re.search(r"(^|[^a-z])id($|[^a-z])", column.lower()))
            found.append((not named, -ratio, i, column))
    return min(found)[3] if found else None


def _dated(cells: list[str]) -> bool:
    """Whether every non-blank cell (at least one) reads as a date, in a standard shape or a guessed one."""
    filled = [c for c in cells if c]
    if not filled:
        return False
    standard = [re.compile(s.pattern) for s in dates.STANDARD]
    odd = [c for c in filled if not any(p.match(c) for p in standard)]
    return not odd or dates.guess(sorted(set(odd))[:50]) is not None


def _dates(values: dict[str, list[str]], stages: list[Mapped], exclude: set[str]) -> dict[str, str]:
    """Stage id -> the date column whose name holds the stage's longest name, value or label."""
    found: dict[str, str] = {}
    for column, cells in values.items():
        if column in exclude or not _dated(cells):
            continue
        name = key(column)
        named = [(len(k), m.stage.id) for m in stages for k in m.keys | {key(m.stage.abbr or "")} if k and k in name]
        if named:
            stage = max(named)[1]
            found.setdefault(stage, column)
    return found


def _flow(mapping: dict[str, object]) -> str:
    parts = []
    for name, value in mapping.items():
        shown = _flow(value) if isinstance(value, dict) else _scalar(str(value))
        parts.append(f"{name}: {shown}")
    return "{" + ", ".join(parts) + "}"


def _scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when it reads as itself, else double-quoted."""
    if PLAIN.fullmatch(text) and text.lower() not in NOT_PLAIN and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)
