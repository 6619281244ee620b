"""The audit's metrics, written once as ibis expressions: the same code runs on the
embedded DuckDB and on a database where the exports already live.

Each export is first reduced to three tidy tables: records (one row per record,
with its pipeline and segment values), current values (record, column, raw
value, stage) and stage entries (record, stage, first and last entry, in
seconds since 1970). Every metric is then a grouped count over them, grouped by
segment: the whole audit is segment '' = ''.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis

from deliverables.backends.data import dates
from deliverables.backends.data.files import ROW
from deliverables.backends.data.formats import history_field, key
from deliverables.backends.data.plan import ANY, ExportPlan

SEGMENT_KEYS = ("sname", "sval")
NOT_SET = "(not set)"


def norm(value: ibis.Value) -> ibis.Value:
    """The matching form of a value in the database: lower case, letters and digits only."""
    return value.lower().re_replace(r"[^a-z0-9]", "")


@dataclass
class Tidy:
    """The three tidy tables of an audit, plus the records of each export."""

    records: ibis.Table
    exports: ibis.Table
    current: ibis.Table
    entries: ibis.Table
    dated: ibis.Table


def _rid(plan: ExportPlan, table: ibis.Table) -> ibis.Value:
    return ibis.literal(plan.object + ":") + table[plan.layout.id].strip()


def dedupe(plan: ExportPlan, table: ibis.Table) -> ibis.Table:
    """One row per id, the last one winning; rows without an id are dropped."""
    ident = table[plan.layout.id].strip()
    kept = table.filter(ident.nullif("").notnull())
    if plan.layout.history is not None:
        return kept
    rank = ibis.row_number().over(group_by=kept[plan.layout.id].strip(), order_by=ibis.desc(kept[ROW]))
    return kept.mutate(_rank=rank).filter(ibis._["_rank"] == 0).drop("_rank")


def _segments(plan: ExportPlan, table: ibis.Table, names: tuple[str, ...]) -> dict[str, ibis.Value]:
    out = {}
    for i, name in enumerate(names):
        column = plan.segments.get(name)
        out[f"seg{i}"] = table[column].strip().coalesce("") if column else ibis.null("string")
    return out


def tidy_export(plan: ExportPlan, table: ibis.Table, segments: tuple[str, ...], shapes) -> dict[str, list[ibis.Table]]:
    """The tidy parts of one export (lists to be unioned across exports)."""
    layout = plan.layout
    rows = dedupe(plan, table)
    rid = _rid(plan, rows)
    pipe = norm(rows[layout.pipeline]).nullif("") if layout.pipeline else ibis.null("string")
    parts: dict[str, list[ibis.Table]] = {"records": [], "current": [], "changes": [], "entries": [], "dated": []}
    parts["records"].append(
        rows.select(rid=rid, export=ibis.literal(plan.index), pipe=pipe, **_segments(plan, rows, segments))
    )
    for column, field_name in layout.current:
        if plan.column_key(field_name) not in plan.values:
            continue
        value = rows[column].strip()
        col = ibis.literal(plan.column_key(field_name))
        parts["current"].append(rows.select(rid=rid, col=col, raw=value, norm=norm(value), pipe=pipe))
    for column, pos in plan.dates:
        seconds, _ = dates.read(rows[column], shapes)
        entry = rows.select(rid=rid, pos=ibis.literal(pos), ts=seconds)
        parts["entries"].append(entry.filter(entry.ts.notnull()))
    if layout.created:
        seconds, _ = dates.read(rows[layout.created], shapes)
        dated = rows.select(rid=rid, ts=seconds)
        parts["dated"].append(dated.filter(dated.ts.notnull()).select("rid"))
        if plan.created_stage is not None:
            entry = rows.select(rid=rid, pos=ibis.literal(plan.created_stage), ts=seconds)
            parts["entries"].append(entry.filter(entry.ts.notnull()))
    if layout.history is not None:
        parts["changes"].append(_changes(plan, rows, rid, shapes))
    return parts


def _changes(plan: ExportPlan, rows: ibis.Table, rid: ibis.Value, shapes) -> ibis.Table:
    field_column, new, changed = plan.layout.history
    if field_column:
        raw_field = norm(rows[field_column])
        aliases = {key(a): key(history_field(a)) for a in ("Stage", "Lead Status", "Status", "StageName")}
        field_key = ibis.cases(*((raw_field == a, b) for a, b in aliases.items()), else_=raw_field)
    else:
        fields = [c.split(":", 1)[1] for c in plan.values]
        field_key = ibis.literal(key(plan.layout.history_field or "") or (fields[0] if fields else ""))
    rows = rows.mutate(_col=ibis.literal(f"{plan.index}:") + field_key).filter(
        ibis._["_col"].isin(list(plan.values) or [""])
    )
    return rows.select(
        rid=rid,
        col=rows["_col"],
        raw=rows[new].strip(),
        norm=norm(rows[new].strip()),
        pipe=ibis.null("string"),
        ts=dates.read(rows[changed], shapes)[0],
        row=rows[ROW],
    )


def mapping_table(plans: list[ExportPlan]) -> ibis.Table:
    """(column key, value key, pipeline key, stage position) of every stage a value may map to."""
    rows = {"mcol": [], "mnorm": [], "mpipe": [], "mpos": []}
    for plan in plans:
        for col, candidates in plan.values.items():
            for m in candidates:
                for value_key in sorted(m.keys):
                    for name, item in zip(rows, (col, value_key, m.pipeline, m.pos)):
                        rows[name].append(item)
    schema = {"mcol": "string", "mnorm": "string", "mpipe": "string", "mpos": "int64"}
    return ibis.memtable(rows, schema=schema)


def map_values(values: ibis.Table, mapping: ibis.Table) -> ibis.Table:
    """Each value with the first stage (file order) it maps to, null when none."""
    joined = values.inner_join(mapping, [values.col == mapping.mcol, values.norm == mapping.mnorm])
    joined = joined.filter((joined.mpipe == ANY) | joined["pipe"].isnull() | (joined.mpipe == joined["pipe"]))
    best = joined.group_by(["rid", "col", "raw"]).agg(pos=joined.mpos.min())
    return values.left_join(best, ["rid", "col", "raw"]).select(values.rid, values.col, values.raw, best.pos)


def union(tables: list[ibis.Table]) -> ibis.Table | None:
    """All tables one after the other (None for none)."""
    if not tables:
        return None
    return ibis.union(*tables, distinct=False) if len(tables) > 1 else tables[0]


def tidy(plans: list[ExportPlan], tables: dict[int, ibis.Table], segments: tuple[str, ...], shapes_of, cache) -> Tidy:
    """The tidy tables of every export, materialised once with `cache`."""
    parts: dict[str, list[ibis.Table]] = {"records": [], "current": [], "changes": [], "entries": [], "dated": []}
    with_records = {p.object for p in plans if p.layout.history is None}
    for plan in plans:
        for name, items in tidy_export(plan, tables[plan.index], segments, shapes_of(plan)).items():
            parts[name] += items
    mapping = mapping_table(plans)
    exports = cache(union(parts["records"]))
    seg_cols = [f"seg{i}" for i in range(len(segments))]
    records = exports.group_by("rid").agg(pipe=exports["pipe"].max(), **{c: exports[c].max() for c in seg_cols})
    current_parts = list(parts["current"])
    entries_parts = list(parts["entries"])
    changes = union(parts["changes"])
    if changes is not None:
        changes = cache(changes)
        mapped = map_values(changes.select("rid", "col", "raw", "norm", "pipe"), mapping)
        timed = changes.select("rid", "col", "raw", "ts", "row")
        hist = mapped.inner_join(timed, ["rid", "col", "raw"]).filter(ibis._["pos"].notnull())
        entries_parts.append(hist.select("rid", "pos", "ts").filter(ibis._["ts"].notnull()))
        objects = tuple(sorted(with_records))
        latest = changes.filter(~changes.rid.re_search("^(" + "|".join(objects) + "):")) if objects else changes
        rank = ibis.row_number().over(
            group_by=["rid", "col"], order_by=[ibis.desc(latest.ts), ibis.desc(latest["row"])]
        )
        last = latest.mutate(_rank=rank).filter(ibis._["_rank"] == 0)
        current_parts.append(last.select("rid", "col", "raw", "norm", "pipe"))
    empty_values = ibis.memtable(
        {"rid": [], "col": [], "raw": [], "norm": [], "pipe": []},
        schema={"rid": "string", "col": "string", "raw": "string", "norm": "string", "pipe": "string"},
    )
    values = union(current_parts) if current_parts else empty_values
    current = cache(map_values(values, mapping))
    empty_entries = ibis.memtable(
        {"rid": [], "pos": [], "ts": []}, schema={"rid": "string", "pos": "int64", "ts": "int64"}
    )
    typed = [e.select("rid", pos=e.pos.cast("int64"), ts=e.ts.cast("int64")) for e in entries_parts]
    raw_entries = union(typed) if typed else empty_entries
    entries = cache(raw_entries.group_by(["rid", "pos"]).agg(first=raw_entries.ts.min(), last=raw_entries.ts.max()))
    dated_parts = [entries.select("rid"), *parts["dated"]]
    dated = union(dated_parts).distinct()
    return Tidy(cache(records), exports, current, entries, dated)


def segment_rows(records: ibis.Table, segments: tuple[str, ...]) -> ibis.Table:
    """(record, segment name, segment value) rows: everything under ('', ''), then each segment."""
    parts = [records.select("rid", sname=ibis.literal(""), sval=ibis.literal(""))]
    for i, name in enumerate(segments):
        column = records[f"seg{i}"]
        value = column.nullif("").coalesce(NOT_SET)
        parts.append(records.filter(column.notnull()).select("rid", sname=ibis.literal(name), sval=value))
    return union(parts)


def pairs_table(pairs: list[tuple[int, int]], names: tuple[str, str]) -> ibis.Table:
    """A memtable of stage-position pairs."""
    a, b = names
    return ibis.memtable({a: [p[0] for p in pairs], b: [p[1] for p in pairs]}, schema={a: "int64", b: "int64"})


def compute(
    t: Tidy,
    segments: tuple[str, ...],
    later: list[tuple[int, int]],
    moves: list[tuple[int, int]],
    cutoffs: dict[int, int],
    future: int,
    execute,
) -> dict[str, Any]:
    """Every metric as plain rows keyed by segment: {(sname, sval): {metric: ...}}."""
    seg = segment_rows(t.records, segments)
    keys = list(SEGMENT_KEYS)
    current = t.current.filter(t.current.pos.notnull())
    entered = ibis.union(t.entries.select("rid", "pos"), current.select("rid", "pos"), distinct=True)
    out: dict[str, Any] = {}

    def counted(table: ibis.Table, by: list[str], name: str = "n") -> ibis.Table:
        joined = table.inner_join(seg, "rid")
        return joined.group_by(keys + by).agg(**{name: joined.rid.nunique()})

    ex = t.exports.select("rid", "export").distinct()
    out["records"] = execute(counted(ex, ["export"]))
    out["current"] = execute(counted(current.select("rid", "pos"), ["pos"]))
    out["entered"] = execute(counted(entered, ["pos"]))
    later_t = pairs_table(later, ("pos", "later"))
    reached = entered.inner_join(later_t, entered.pos == later_t.later).select("rid", pos=later_t.pos).distinct()
    skipped = reached.anti_join(entered, ["rid", "pos"])
    out["skipped"] = execute(counted(skipped, ["pos"]))
    cut = ibis.memtable(
        {"pos": list(cutoffs), "cutoff": list(cutoffs.values())}, schema={"pos": "int64", "cutoff": "int64"}
    )
    stuck = current.select("rid", "pos").inner_join(t.entries, ["rid", "pos"]).inner_join(cut, "pos")
    stuck = stuck.filter(stuck["last"] < stuck.cutoff).select("rid", "pos")
    out["stuck"] = execute(counted(stuck, ["pos"]))
    out.update(_transitions(t, entered, seg, keys, moves, execute))
    unmapped = t.current.filter(t.current.pos.isnull() & t.current.raw.nullif("").notnull())
    out["unmapped"] = execute(counted(unmapped.select("rid", "col", "raw"), ["col", "raw"]))
    used = t.current.filter(t.current.raw.nullif("").notnull())
    out["values"] = execute(used.group_by(["col", "raw", "pos"]).agg(n=used.rid.nunique()))
    undated = seg.anti_join(t.dated, "rid")
    out["undated"] = execute(undated.group_by(keys).agg(n=undated.rid.nunique()))
    ahead = t.entries.filter(t.entries["last"] >= future).select("rid", "pos")
    out["future"] = execute(ahead.inner_join(seg, "rid").group_by(keys).agg(n=ibis._.rid.count()))
    a = t.entries.select(rid="rid", apos="pos", afirst="first")
    b = t.entries.select(bid="rid", bpos="pos", bfirst="first")
    order = a.inner_join(b, a.rid == b.bid).inner_join(
        later_t, [ibis._.apos == later_t.pos, ibis._.bpos == later_t.later]
    )
    order = order.filter(order.bfirst < order.afirst).select("rid").distinct()
    out["disorder"] = execute(counted(order, []))
    return out


def _transitions(t: Tidy, entered: ibis.Table, seg: ibis.Table, keys: list[str], moves, execute) -> dict[str, Any]:
    moves_t = pairs_table(moves, ("src", "dst"))
    a = entered.select(rid="rid", apos="pos")
    b = entered.select(bid="rid", bpos="pos")
    both = a.inner_join(b, a.rid == b.bid).inner_join(moves_t, [ibis._.apos == moves_t.src, ibis._.bpos == moves_t.dst])
    both = both.select("rid", "src", "dst").inner_join(seg, "rid")
    converted = both.group_by(keys + ["src", "dst"]).agg(n=both.rid.nunique())
    ea = t.entries.select(rid="rid", apos="pos", afirst="first")
    eb = t.entries.select(bid="rid", bpos="pos", bfirst="first")
    timed = ea.inner_join(eb, ea.rid == eb.bid).inner_join(
        moves_t, [ibis._.apos == moves_t.src, ibis._.bpos == moves_t.dst]
    )
    timed = timed.select("rid", "src", "dst", days=(timed.bfirst - timed.afirst) / 86400.0).inner_join(seg, "rid")
    median = timed.group_by(keys + ["src", "dst"]).agg(days=timed.days.median())
    return {"converted": execute(converted), "median": execute(median)}
