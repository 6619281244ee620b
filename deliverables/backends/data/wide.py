"""The audit's metrics for the shape most exports have, counted on one wide table
per export instead of long tables of dates and entries.

When every export is a record export alone for its object (one row per record
once de-duplicated), with at most one current-value column the stages map to,
each stage's entry date in at most one of its columns and the standard date
shapes (`fits`), an export becomes one table of one row per record: its number,
segment values, current value and the seconds of each date column. Each metric
is then a conditional count over that table, all of them in one grouped scan
per export, and the medians in one more: the rows are exactly the ones
`metrics.compute` gives (the tests hold both to the same results), so
`report.assemble` turns either into the same audit.

Dates are read as in `metrics.long_dates`: a valid `YYYY-MM-DD HH:MM` in place;
every other non-blank cell, of every row, is gathered into one small table
(`odd_dates`), each distinct text read once by `dates.read`, which also gives
the unreadable dates the audit reports.
"""

from __future__ import annotations

from typing import Any

import ibis

from deliverables.backends.data import dates
from deliverables.backends.data.files import ROW
from deliverables.backends.data.metrics import (
    MAPPING,
    NOT_SET,
    ROWS_PER_EXPORT,
    Slot,
    alone_exports,
    deduplicated,
    mapping_rows,
    norm,
    one_column_a_stage,
    read_cells,
    rollup,
    segment_columns,
    segments_of,
    stages_of_values,
    union,
)
from deliverables.backends.data.plan import ExportPlan, Mapped

MAX_PAIRS = 400
"""Stage pairs (later stages and transitions) of one export above which the long
tables are used: each pair is a term of the one scan, and a scan of thousands of
terms costs more to build and compile than the long tables to count."""


def fits(plans: list[ExportPlan], slots: list[Slot], shapes_of, observed: list[Mapped], later, moves) -> bool:
    """Whether every export has the shape the wide tables count (see the module)."""
    if not plans or len(alone_exports(plans)) != len(plans):
        return False
    if any(len(p.values) > 1 or tuple(shapes_of(p)) != dates.STANDARD for p in plans):
        return False
    if not one_column_a_stage(slots):
        return False
    for p in plans:
        mine = _positions(p, observed)
        pairs = [pair for pair in (*later, *moves) if pair[0] in mine and pair[1] in mine]
        if len(pairs) > MAX_PAIRS:
            return False
    return True


def _positions(plan: ExportPlan, observed: list[Mapped]) -> set[int]:
    """Positions of the stages of the export's object (it alone holds that object)."""
    return {m.pos for m in observed if m.object == plan.object}


def odd_dates(
    plans: list[ExportPlan], tables: dict[int, ibis.Table], slots: list[Slot], cache
) -> tuple[ibis.Table | None, ibis.Table | None]:
    """(export, row, slot, ts, bad) of every non-blank date cell, of every row, that is
    not a valid `YYYY-MM-DD HH:MM`, and the `orders` of the slash dates: what
    `metrics.long_dates` gives for those cells."""
    parts = []
    for slot in slots:
        table = tables[slot.export]
        text = table[slot.column]
        odd = table.filter((text != "") & ~dates.minutes(text))
        parts.append(
            odd.select(
                export=ibis.literal(slot.export, "int64"),
                row=odd[ROW].cast("int64"),
                slot=ibis.literal(slot.number, "int64"),
                text=odd[slot.column],
            )
        )
    cells = union(parts)
    if cells is None:
        return None, None
    read, slashes = read_cells(cache(cells), dates.STANDARD, cache)
    return cache(read), slashes


def _wide(
    plan: ExportPlan, table: ibis.Table, slots: list[Slot], odd: ibis.Table | None, segments: tuple[str, ...]
) -> ibis.Table:
    """One row per record: `rid` (numbered as `metrics` numbers the records of an export
    alone), `raw` and `pk` (the current value and pipeline key, '' when none), the
    segment columns and `t<slot>`, the seconds of each date column (null when blank)."""
    layout = plan.layout
    mine = [s for s in slots if s.export == plan.index]
    rows = deduplicated(plan, table, extra=[s.column for s in mine])
    if odd is not None and mine:
        here = odd.filter(odd.export == plan.index)
        pivot = here.group_by("row").agg(
            **{f"_o{s.number}": here.ts.max(where=here.slot == s.number) for s in mine},
            **{f"_h{s.number}": (here.slot == s.number).any() for s in mine},
        )
        rows = rows.mutate(_r=rows[ROW].cast("int64"))
        rows = rows.left_join(pivot, rows["_r"] == pivot.row)
    row = rows[ROW].cast("int64")
    columns: dict[str, ibis.Value] = {"rid": plan.index * ROWS_PER_EXPORT + row}
    current = [c for c, field_name in layout.current if plan.column_key(field_name) in plan.values]
    columns["raw"] = dates.strip(rows[current[0]]).fill_null("") if current else ibis.literal("")
    columns["pk"] = norm(rows[layout.pipeline]).fill_null("") if layout.pipeline else ibis.literal("")
    columns.update(segments_of(plan, rows, segments))
    for s in mine:
        text = rows[s.column]
        if odd is not None:
            flagged = rows[f"_h{s.number}"].fill_null(False)
            plain = (~flagged & (text != "")).fill_null(False)
            columns[f"t{s.number}"] = plain.ifelse(dates.minute_seconds(text, plain), rows[f"_o{s.number}"])
        else:
            plain = (text != "").fill_null(False)
            columns[f"t{s.number}"] = plain.ifelse(dates.minute_seconds(text, plain), ibis.null("int64"))
    return rows.select(**columns)


class _Terms:
    """The conditional counts of one scan, named `c0`, `c1`... and what each one counts."""

    def __init__(self, table: ibis.Table) -> None:
        self.table = table
        self.aggs: dict[str, ibis.Value] = {}
        self.meaning: list[tuple[str, dict[str, Any]]] = []

    def add(self, metric: str, keys: dict[str, Any], where: ibis.Value | None) -> None:
        name = f"c{len(self.aggs)}"
        self.aggs[name] = self.table.rid.count(where=where) if where is not None else self.table.count()
        self.meaning.append((metric, keys))


def compute(
    plans: list[ExportPlan],
    tables: dict[int, ibis.Table],
    segments: tuple[str, ...],
    slots: list[Slot],
    odd: ibis.Table | None,
    observed: list[Mapped],
    later: list[tuple[int, int]],
    moves: list[tuple[int, int]],
    cutoffs: dict[int, int],
    future: int,
    execute,
    cache,
    table,
) -> dict[str, Any]:
    """Every metric as `metrics.compute` gives it, from one wide table per export."""
    segs = segment_columns(segments)
    mapping = table(mapping_rows(plans), MAPPING)
    found: dict[str, list[dict[str, Any]]] = {
        name: []
        for name in (
            "records",
            "current",
            "entered",
            "skipped",
            "stuck",
            "converted",
            "unmapped",
            "undated",
            "future",
            "disorder",
        )
    }
    values: dict[tuple, int] = {}
    medians: list[dict[str, Any]] = []
    for plan in plans:
        wide = cache(_wide(plan, tables[plan.index], slots, odd, segments))
        col = next(iter(plan.values), "")
        distinct = wide.select(_rk="raw", _pk="pk").distinct().mutate(col=ibis.literal(col))
        known = cache(stages_of_values(distinct, mapping))
        w = wide.left_join(known, [wide.raw == known["_rk"], wide.pk == known["_pk"]]).select(
            "rid", "raw", *segs, *(c for c in wide.columns if c.startswith("t")), pos=known.pos
        )
        mine = _positions(plan, observed)
        named = {pos: f"t{s.number}" for s in slots if s.export == plan.index for pos in s.stages}
        dated = {pos: w[name] for pos, name in named.items()}
        now = {pos: (w.pos == pos).fill_null(False) for pos in sorted(mine)}
        entered = {pos: (dated[pos].notnull() | now[pos]) if pos in dated else now[pos] for pos in sorted(mine)}
        terms = _Terms(w)
        terms.add("records", {"export": plan.index}, None)
        for pos in sorted(mine):
            terms.add("current", {"pos": pos}, now[pos])
            terms.add("entered", {"pos": pos}, entered[pos])
        laters: dict[int, list[int]] = {}
        for a, b in later:
            if a in mine and b in mine:
                laters.setdefault(a, []).append(b)
        for a, bs in sorted(laters.items()):
            reached = ibis.or_(*(entered[b] for b in sorted(set(bs))))
            terms.add("skipped", {"pos": a}, reached & ~entered[a])
        for pos, cutoff in sorted(cutoffs.items()):
            if pos in dated and pos in mine:
                terms.add("stuck", {"pos": pos}, now[pos] & (dated[pos] < cutoff))
        mine_moves = [(a, b) for a, b in moves if a in mine and b in mine]
        for a, b in mine_moves:
            terms.add("converted", {"src": a, "dst": b}, entered[a] & entered[b])
        times = [w[f"t{s.number}"] for s in slots if s.export == plan.index]
        terms.add("undated", {}, ibis.and_(*(t.isnull() for t in times)) if times else None)
        for pos in sorted(dated):
            terms.add("future", {}, dated[pos] >= future)
        disorder = [dated[b] < dated[a] for a, bs in sorted(laters.items()) for b in bs if a in dated and b in dated]
        if disorder:
            terms.add("disorder", {}, ibis.or_(*disorder))
        scan = w.group_by(segs).agg(**terms.aggs) if segs else w.aggregate(**terms.aggs)
        for row in execute(scan):
            kept = {c: row[c] for c in segs}
            for (metric, keys), name in zip(terms.meaning, terms.aggs):
                if row[name]:
                    found[metric].append({**kept, **keys, "n": row[name]})
        used = w.filter(w.raw != "")
        for row in execute(used.group_by([*segs, "raw", "pos"]).agg(n=used.count())):
            at = (col, row["raw"], row["pos"])
            values[at] = values.get(at, 0) + row["n"]
            if row["pos"] is None:
                found["unmapped"].append({**{c: row[c] for c in segs}, "col": col, "raw": row["raw"], "n": row["n"]})
        timed = [(a, b) for a, b in mine_moves if a in dated and b in dated]
        if timed:
            medians += _medians(w, timed, named, segments, execute)
    rows: dict[str, Any] = {name: rollup(items, segments) for name, items in found.items()}
    rows["values"] = [{"col": c, "raw": r, "pos": p, "n": n} for (c, r, p), n in values.items()]
    rows["median"] = medians
    return rows


def _medians(w: ibis.Table, moves, named: dict[int, str], segments: tuple[str, ...], execute) -> list[dict[str, Any]]:
    """Median days of each transition with both entry dates (`named`: the date column of
    each stage), over the whole audit and per segment value (medians do not add up: one
    grouping each)."""

    def days(table: ibis.Table) -> dict[str, ibis.Value]:
        # Null unless both dates are known: the median leaves it out.
        return {f"m{i}": ((table[named[b]] - table[named[a]]) / 86400.0).median() for i, (a, b) in enumerate(moves)}

    parts = [w.aggregate(**days(w)).mutate(sname=ibis.literal(""), sval=ibis.literal(""))]
    for name, column in zip(segments, segment_columns(segments)):
        part = w.filter(w[column].notnull())
        part = part.mutate(sval=part[column].nullif("").coalesce(NOT_SET))
        part = part.group_by("sval").agg(**days(part))
        parts.append(part.mutate(sname=ibis.literal(name)))
    found = []
    for row in execute(union([p.select("sname", "sval", *(f"m{i}" for i in range(len(moves)))) for p in parts])):
        for i, (a, b) in enumerate(moves):
            if row[f"m{i}"] is not None:
                found.append({"sname": row["sname"], "sval": row["sval"], "src": a, "dst": b, "days": row[f"m{i}"]})
    return found
