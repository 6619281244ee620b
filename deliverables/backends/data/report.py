"""Turn the metric rows into the audit's JSON contract: records, stages,
transitions, unmapped, quality, and the same per segment value."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from deliverables.backends.data.formats import key
from deliverables.backends.data.plan import ExportPlan, Mapped
from deliverables.core.model import Project


def _by_segment(rows: list[dict[str, Any]], *fields: str) -> dict[tuple[str, str], dict[Any, Any]]:
    out: dict[tuple[str, str], dict[Any, Any]] = defaultdict(dict)
    for row in rows:
        ident = tuple(row[f] for f in fields) if len(fields) > 1 else (row[fields[0]] if fields else None)
        out[(row["sname"], row["sval"])][ident] = row.get("n", row.get("days"))
    return out


def _fields(plans: list[ExportPlan], stages: list[Mapped]) -> dict[str, tuple[str, str]]:
    """Column key -> (object, field) as the client file names them."""
    names = {}
    for p in plans:
        for _, field_name in p.layout.current:
            names[p.column_key(field_name)] = (p.export.object, field_name)
        for m in stages:
            if m.object == p.object and p.layout.history is not None:
                names[p.column_key(m.stage.crm.field)] = (p.export.object, m.stage.crm.field)
    return names


def assemble(
    project: Project,
    plans: list[ExportPlan],
    observed: list[Mapped],
    moves: list[tuple[int, int]],
    rows: dict[str, list[dict[str, Any]]],
    segments: tuple[str, ...],
) -> dict[str, Any]:
    """The metrics as `deliver audit --format json` prints them."""
    tables = {
        name: _by_segment(rows[name], *fields)
        for name, fields in (
            ("records", ("export",)),
            ("current", ("pos",)),
            ("entered", ("pos",)),
            ("skipped", ("pos",)),
            ("stuck", ("pos",)),
            ("converted", ("src", "dst")),
            ("median", ("src", "dst")),
            ("unmapped", ("col", "raw")),
            ("undated", ()),
            ("future", ()),
            ("disorder", ()),
        )
    }
    names = _fields(plans, observed)

    def block(seg: tuple[str, str]) -> dict[str, Any]:
        get = {name: table.get(seg, {}) for name, table in tables.items()}
        records = {p.export.path: get["records"].get(p.index, 0) for p in plans}
        stages = {
            m.stage.id: {k: get[k].get(m.pos, 0) for k in ("current", "entered", "skipped", "stuck")} for m in observed
        }
        by_pos = {m.pos: m.stage.id for m in observed}
        transitions = []
        for src, dst in moves:
            entered = get["entered"].get(src, 0)
            converted = get["converted"].get((src, dst), 0)
            median = get["median"].get((src, dst))
            transitions.append(
                {
                    "from": by_pos[src],
                    "to": by_pos[dst],
                    "entered_from": entered,
                    "converted": converted,
                    "rate": round(converted / entered, 4) if entered else None,
                    "median_days": round(median, 1) if median is not None else None,
                }
            )
        return {
            "records": records,
            "stages": stages,
            "transitions": transitions,
            "unmapped": _unmapped(get["unmapped"], names),
            "quality": {
                "records_without_dates": get["undated"].get(None, 0),
                "future_dates": get["future"].get(None, 0),
                "out_of_order": get["disorder"].get(None, 0),
            },
        }

    result = block(("", ""))
    if segments:
        result["segments"] = {}
        for name in segments:
            values = sorted({sval for (sname, sval) in tables["records"] if sname == name})
            result["segments"][name] = {value: block((name, value)) for value in values}
    return result


_SPACES = re.compile(r"\s+")


def spaced(value: str) -> str:
    """A value as the tables show it, each run of white space inside it one plain space:
    'Closed\u00a0Won' (a no-break space pasted from a web page) and 'Closed  Won' are the
    'Closed Won' they look like, one row of it, not rows no one can tell apart. They map
    to stages alike already: matching keeps only letters and digits."""
    return _SPACES.sub(" ", value)


def _unmapped(found: dict[tuple[str, str], int], names: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    for (col, raw), n in found.items():
        if col in names:
            obj, field_name = names[col]
            totals[(obj, field_name, spaced(raw))] += n
    rows = [{"object": o, "field": f, "value": v, "records": n} for (o, f, v), n in totals.items()]
    return sorted(rows, key=lambda r: (-r["records"], r["object"], r["field"], key(r["value"]), r["value"]))


def values_in_use(plans: list[ExportPlan], observed: list[Mapped], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every current value found, with its records and the stage it maps to (None when none), most records first."""
    names = _fields(plans, observed)
    by_pos = {m.pos: m.stage.id for m in observed}
    totals: dict[tuple[str, str, str, str | None], int] = defaultdict(int)
    for row in rows:
        if row["col"] in names:
            obj, field_name = names[row["col"]]
            totals[(obj, field_name, spaced(row["raw"]), by_pos.get(row["pos"]))] += row["n"]
    found = [{"object": o, "field": f, "value": v, "stage": s, "records": n} for (o, f, v, s), n in totals.items()]
    return sorted(found, key=lambda r: (-r["records"], r["object"], r["field"], r["value"]))
