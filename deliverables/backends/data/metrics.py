"""The audit's metrics, written once as ibis expressions: the same code runs on the
embedded DuckDB and on a database where the exports already live.

Every date cell of every export is first put in one long table (export, row,
date column, text): a valid `YYYY-MM-DD HH:MM` is read in place, each distinct
other text once by one expression (`dates.read`), so the bad dates and the entry
dates come from the same parsed column. Each export is then deduplicated once and reduced to tidy tables,
materialised once: records (one row per record, with a record number, its
pipeline and segment values), current values (record, column, raw value,
stage) and stage entries (record, stage, first and last entry, in seconds since
1970). Every metric is a small grouped count over them by all segment columns
at once, summed per segment in Python (`rollup`): the whole audit is segment
'' = ''.

The exports of the most common shape are counted on one wide table each instead
(`wide`), to the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis

from deliverables.backends.data import dates
from deliverables.backends.data.files import ROW
from deliverables.backends.data.formats import FIELD_ALIASES, NOT_KEPT, key
from deliverables.backends.data.plan import ANY, ExportPlan

SEGMENT_KEYS = ("sname", "sval")
NOT_SET = "(not set)"


def norm(value: ibis.Value) -> ibis.Value:
    """The matching form of a value in the database: lower case, letters and digits only."""
    return value.lower().re_replace(NOT_KEPT, "")


@dataclass
class Tidy:
    """The three tidy tables of an audit, plus the records of each export."""

    records: ibis.Table
    exports: ibis.Table
    current: ibis.Table
    entries: ibis.Table
    dated: list[ibis.Table]
    """Record numbers with some date, in parts (a record is undated when in none): a
    part may also hold numbers no record has, which never match."""
    one_row_a_record: bool = False
    """Every record is one row of `exports`, with its segment values, and `current`
    carries them too."""
    one_value_a_record: bool = False
    """`current` holds at most one value per record (one stage column per object)."""


def _rid(plan: ExportPlan, table: ibis.Table) -> ibis.Value:
    return ibis.literal(plan.object + ":") + table["_id"]


def _int(value: int) -> ibis.Value:
    return ibis.literal(value, "int64")


GUID = r"^(\{[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\}|[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12})$"
"""A GUID, bare or in braces, as Dynamics 365 and other Microsoft tools write record ids."""


def record_id(value: ibis.Value) -> ibis.Value:
    """The id of a record as the audit matches it: the text without white space at its
    ends, and a GUID in lower case without braces, as the same GUID is the same record
    however a tool wrote it (`{6F9619FF-...}`, `6f9619ff-...`). Any other id keeps its
    case: Salesforce's 15-character ids differ by case alone. Only a text of a GUID's
    length is matched against it, and only one in braces loses them."""
    text = dates.strip(value)
    braced = text.left(1) == "{"
    guid = text.re_search(GUID).ifelse(braced.ifelse(text.substr(1, 36), text).lower(), text)
    return text.length().isin([36, 38]).ifelse(guid, text)


def dedupe(plan: ExportPlan, table: ibis.Table) -> ibis.Table:
    """One row per id (`_id`, `record_id`, worked out once), the last one winning; rows
    without an id are dropped. History exports keep every row with an id."""
    stripped = table.mutate(_id=record_id(table[plan.layout.id]))
    kept = stripped.filter(stripped["_id"] != "")
    if plan.layout.history is not None:
        return kept
    # The last row of each id by a grouping and a semi-join on the row number (unique in
    # an export): a window ranking the rows would sort every row with all its columns.
    last = kept.group_by("_id").agg(_last=kept[ROW].max())
    return kept.semi_join(last, kept[ROW] == last["_last"])


def segments_of(plan: ExportPlan, table: ibis.Table, names: tuple[str, ...]) -> dict[str, ibis.Value]:
    """`seg0`, `seg1`... of each segment name: the export's stripped value ('' when blank), null where it lacks the column."""
    out = {}
    for i, name in enumerate(names):
        column = plan.segments.get(name)
        out[f"seg{i}"] = dates.strip(table[column]).coalesce("") if column else ibis.null("string")
    return out


@dataclass(frozen=True)
class Slot:
    """One date column of one export, numbered across the audit: the long table of
    dates holds (export, row, slot, text), so every date is parsed by one expression."""

    number: int
    export: int
    column: str
    stages: tuple[int, ...]
    """Positions of the stages this column gives the entry date of."""
    created: bool
    changed: bool


def date_slots(plans: list[ExportPlan]) -> list[Slot]:
    """Every date column read, numbered in (export, column name) order so the row and
    slot order is the order problems are listed in."""
    found = []
    for p in plans:
        stages: dict[str, list[int]] = {}
        for column, pos in p.dates:
            stages.setdefault(column, []).append(pos)
        if p.layout.created:
            stages.setdefault(p.layout.created, [])
            if p.created_stage is not None:
                stages[p.layout.created].append(p.created_stage)
        changed = p.layout.history[2] if p.layout.history is not None else None
        if changed:
            stages.setdefault(changed, [])
        for column in sorted(stages):
            found.append(
                Slot(len(found), p.index, column, tuple(stages[column]), column == p.layout.created, column == changed)
            )
    return found


def long_dates(
    plans: list[ExportPlan], tables: dict[int, ibis.Table], slots: list[Slot], shapes_of, cache
) -> tuple[ibis.Table | None, ibis.Table | None]:
    """(export, row, slot, ts, bad) of every non-blank date cell of every row: ts in seconds
    since 1970 (null when unreadable), bad the text of an unreadable one (else null); and
    the `orders` of the slash dates of the exports without a `date_format`.

    Nearly every cell is a valid `YYYY-MM-DD HH:MM`: those are read in place (`dates.
    read_minutes`), far cheaper than finding each distinct text and joining it back, in
    one table of every cell materialised with `cache`. The other cells are read by
    `dates.read` once per distinct text, into a second, small one. An export's own
    `date_format` is tried first and may read the same text otherwise, so its cells all
    go to `dates.read`."""
    groups: dict[tuple, list[int]] = {}
    for p in plans:
        groups.setdefault(tuple(shapes_of(p)), []).append(p.index)
    standard = set(groups.get(dates.STANDARD, ()))
    parts = []
    for slot in slots:
        table = tables[slot.export]
        text = table[slot.column]
        parts.append(
            table.select(
                export=_int(slot.export),
                row=table[ROW].cast("int64"),
                slot=_int(slot.number),
                text=text,
                fixed=dates.minutes(text) if slot.export in standard else ibis.literal(False),
            )
        )
    long = union(parts)
    if long is None:
        return None, None
    long = long.filter(long.text != "")  # blank after stripping is no date either: `dates.read` says so
    # Every cell once, with the seconds of the fixed ones and the text of the others.
    other = long.fixed.ifelse(ibis.null("string"), long.text)
    cells = cache(
        dates.read_minutes(long.mutate(other=other), "text", "fixed", ("export", "row", "slot", "fixed", "other"))
    )
    parsed = [cells.filter(cells.fixed).select("export", "row", "slot", "ts", bad=ibis.null("string"))]
    rest = cells.filter(~cells.fixed).select("export", "row", "slot", text="other")
    found, slashes = [], []
    for shapes, exports in groups.items():
        part = rest if len(groups) == 1 else rest.filter(rest.export.isin(exports))
        # Only an export without a `date_format` of its own reads a slash date month first unasked.
        read, seen = read_cells(part, shapes, cache if shapes == dates.STANDARD else None)
        found.append(read)
        slashes += [seen] if seen is not None else []
    parsed.append(cache(union(found)))
    return union(parsed), union(slashes)


def read_cells(cells: ibis.Table, shapes: tuple[dates.Shape, ...], cache=None) -> tuple[ibis.Table, ibis.Table | None]:
    """(export, row, slot, ts, bad) of date cells (export, row, slot, text) read in `shapes`:
    each distinct text once (exports repeat the same dates many times over), joined back
    to its cells; `bad` is the text of an unreadable one, else null. With `cache`, each
    distinct text of each export, read once and materialised, also gives `orders`."""
    by = ["export", "text"] if cache is not None else ["text"]
    texts = dates.read(cells.select(*by).distinct(), "text", shapes, tuple(by), order=cache is not None)
    found = None
    if cache is not None:
        texts = cache(texts)
        found = orders(texts)
    texts = texts.select(*by, "ts", bad=texts.ok.ifelse(ibis.null("string"), texts.text))
    return cells.inner_join(texts, by).select("export", "row", "slot", "ts", "bad"), found


def orders(texts: ibis.Table) -> ibis.Table:
    """(export, either, month_first) of the distinct date texts of each export read with
    their `order` (`dates.read`): the first slash date that reads both ways, if any, and
    whether some slash date reads only month first."""
    slashed = texts.filter(texts.order.notnull())
    return slashed.group_by("export").agg(
        either=slashed.text.min(where=slashed.order == dates.EITHER),
        month_first=(slashed.order == dates.MONTH_FIRST).any(),
    )


def deduplicated(plan: ExportPlan, table: ibis.Table, extra: list[str] | tuple[str, ...] = ()) -> ibis.Table:
    """The export's deduplicated rows (`dedupe`) with only the columns the tidy tables read
    and the `extra` ones, so the rows are ranked and kept without the date columns
    (read through `long_dates`) unless asked for."""
    layout = plan.layout
    needed = {ROW, layout.id, *(column for column, _ in layout.current), *plan.segments.values(), *extra}
    if layout.pipeline:
        needed.add(layout.pipeline)
    if layout.history is not None:
        needed.update(c for c in layout.history[:2] if c)
    return dedupe(plan, table.select(*(c for c in table.columns if c in needed)))


def tidy_export(plan: ExportPlan, rows: ibis.Table, segments: tuple[str, ...]) -> dict[str, list[ibis.Table]]:
    """The tidy parts of one export's deduplicated rows (`deduplicated`, materialised once):
    lists to be unioned across exports."""
    layout = plan.layout
    rid = _rid(plan, rows)
    pipe = norm(rows[layout.pipeline]).nullif("") if layout.pipeline else ibis.null("string")
    parts: dict[str, list[ibis.Table]] = {"records": [], "current": [], "changes": []}
    row = rows[ROW].cast("int64")
    parts["records"].append(
        rows.select(sid=rid, export=_int(plan.index), row=row, pipe=pipe, **segments_of(plan, rows, segments))
    )
    for column, field_name in layout.current:
        if plan.column_key(field_name) not in plan.values:
            continue
        col = ibis.literal(plan.column_key(field_name))
        parts["current"].append(
            rows.select(
                export=_int(plan.index),
                row=row,
                col=col,
                raw=dates.strip(rows[column]),
                pipe=pipe,
                **segments_of(plan, rows, segments),
            )
        )
    if layout.history is not None:
        parts["changes"].append(_changes(plan, rows))
    return parts


def _changes(plan: ExportPlan, rows: ibis.Table) -> ibis.Table:
    new = plan.layout.history[1]
    rows = rows.mutate(_col=changed_column(plan, rows)).filter(ibis._["_col"].isin(list(plan.values) or [""]))
    return rows.select(
        col=rows["_col"],
        raw=dates.strip(rows[new]),
        pipe=ibis.null("string"),
        export=_int(plan.index),
        row=rows[ROW].cast("int64"),
    )


def changed_column(plan: ExportPlan, rows: ibis.Table) -> ibis.Value:
    """The column key (`ExportPlan.column_key`) of the field each history row changes: a
    row is a stage's change when it is one of `plan.values`."""
    field_column = plan.layout.history[0]
    if field_column:
        raw_field = norm(rows[field_column])
        aliases = {a: key(b) for a, b in FIELD_ALIASES.items()}
        named, fields = key(plan.layout.history_field or ""), sorted({c.split(":", 1)[1] for c in plan.values})
        if named and named not in fields and len(fields) == 1:
            aliases[named] = fields[0]  # the export's own name of the stage field: 'Phase', 'Étape'
        field_key = ibis.cases(*((raw_field == a, b) for a, b in aliases.items()), else_=raw_field)
    else:
        fields = [c.split(":", 1)[1] for c in plan.values]
        field_key = ibis.literal(key(plan.layout.history_field or "") or (fields[0] if fields else ""))
    return ibis.literal(f"{plan.index}:") + field_key


MAPPING = {"mcol": "string", "mnorm": "string", "mpipe": "string", "mpos": "int64"}


def mapping_rows(plans: list[ExportPlan]) -> list[tuple[str, str, str, int]]:
    """(column key, value key, pipeline key, stage position) of every stage a value may map to."""
    return [
        (col, value_key, m.pipeline, m.pos)
        for plan in plans
        for col, candidates in plan.values.items()
        for m in candidates
        for value_key in sorted(m.keys)
    ]


def stages_of_values(distinct: ibis.Table, mapping: ibis.Table) -> ibis.Table:
    """(col, _rk, _pk, pos) of distinct (column key, value, pipeline key) rows, '' for none:
    the first stage (file order) the value maps to against the `mapping` table
    (`mapping_rows`), null when none."""
    distinct = distinct.mutate(_norm=norm(distinct["_rk"]), _pipe=distinct["_pk"].nullif(""))
    joined = distinct.inner_join(mapping, [distinct.col == mapping.mcol, distinct["_norm"] == mapping.mnorm])
    joined = joined.filter((joined.mpipe == ANY) | joined["_pipe"].isnull() | (joined.mpipe == joined["_pipe"]))
    best = joined.group_by(["col", "_rk", "_pk"]).agg(pos=joined.mpos.min())
    return distinct.left_join(best, ["col", "_rk", "_pk"]).select(
        distinct.col, distinct["_rk"], distinct["_pk"], best.pos
    )


def map_values(values: ibis.Table, mapping: ibis.Table, carried: tuple[str, ...] = ()) -> ibis.Table:
    """Each value with the first stage (file order) it maps to, null when none, worked
    out once per distinct (column, value, pipeline) (`stages_of_values`) and joined
    back to the records."""
    keyed = values.mutate(_rk=values.raw.fill_null(""), _pk=values["pipe"].fill_null(""))
    mapped = stages_of_values(keyed.select("col", "_rk", "_pk").distinct(), mapping)
    joined = keyed.inner_join(mapped, ["col", "_rk", "_pk"])
    return joined.select("rid", "col", "raw", "pos", *carried)


PAIR_SPAN = 1 << 20
"""Stage positions are below this: a pair (a, b) is the one number a * PAIR_SPAN + b."""


def pairs(first: ibis.Value, second: ibis.Value, found: list[tuple[int, int]]) -> ibis.Value:
    """Whether (first, second) is one of the stage-position pairs `found`: one membership
    test of the pair's number, however many pairs."""
    if not found:
        return ibis.literal(False)
    return (first * PAIR_SPAN + second).isin(sorted({a * PAIR_SPAN + b for a, b in found}))


def nothing(table: ibis.Table) -> ibis.Table:
    """The table with no rows (its columns kept)."""
    return table.filter(ibis.literal(False))


def union(tables: list[ibis.Table]) -> ibis.Table | None:
    """All tables one after the other (None for none)."""
    if not tables:
        return None
    return ibis.union(*tables, distinct=False) if len(tables) > 1 else tables[0]


ROWS_PER_EXPORT = 1 << 40
"""Record numbers of an object kept in one record export: export * this + row."""


def alone_exports(plans: list[ExportPlan]) -> set[int]:
    """The record exports that alone hold their object: numbered by export and row (see `_numbered`)."""
    exports_of: dict[str, list[ExportPlan]] = {}
    for plan in plans:
        exports_of.setdefault(plan.object, []).append(plan)
    return {ps[0].index for ps in exports_of.values() if len(ps) == 1 and ps[0].layout.history is None}


def _numbered(plans: list[ExportPlan], parts: list[ibis.Table]) -> ibis.Table:
    """The records of every export with `rid`, a number per record: joins and distinct
    counts then run on integers, not on ids. An object kept in one record export only
    (deduplicated, so one row per record) is numbered by its export and row; the
    records of an object spread over several exports (records and their history) are
    matched by id and numbered from -1 down, in no particular order (the number is
    only ever joined and counted)."""
    single = alone_exports(plans)
    direct = [t for p, t in zip(plans, parts) if p.index in single]
    shared = [t for p, t in zip(plans, parts) if p.index not in single]
    numbered = [t.mutate(rid=t.export * ROWS_PER_EXPORT + t.row).drop("sid") for t in direct]
    if shared:
        named = union(shared)
        numbers = named.select("sid").distinct()
        numbers = numbers.mutate(rid=-1 - ibis.row_number().cast("int64"))
        numbered.append(named.inner_join(numbers, "sid").drop("sid"))
    return union(numbered)


def tidy(
    plans: list[ExportPlan],
    tables: dict[int, ibis.Table],
    segments: tuple[str, ...],
    slots: list[Slot],
    parsed: ibis.Table | None,
    cache,
    table,
) -> Tidy:
    """The tidy tables of every export, each materialised once with `cache`; `parsed` is
    the (cached) long table of dates from `long_dates`; `table` makes a small table of
    rows (the value-to-stage mapping)."""
    parts: dict[str, list[ibis.Table]] = {"records": [], "current": [], "changes": []}
    with_records = {p.object for p in plans if p.layout.history is None}
    single = alone_exports(plans)
    numbered_current = []
    for plan in plans:
        rows = cache(deduplicated(plan, tables[plan.index]))
        for name, items in tidy_export(plan, rows, segments).items():
            if name == "current" and plan.index in single:
                # The export's own deduplicated rows: each is a record, numbered as `_numbered` does.
                numbered_current += [t.mutate(rid=t.export * ROWS_PER_EXPORT + t.row) for t in items]
            else:
                parts[name] += items
    exports = cache(_numbered(plans, parts["records"]))
    mapping = table(mapping_rows(plans), MAPPING)
    seg_cols = [f"seg{i}" for i in range(len(segments))]
    whole = len(single) == len(plans)
    # With every record one row, the current values carry its segment values along.
    carried = tuple(seg_cols) if whole else ()
    if whole:  # one row per record already
        records = exports.select("rid", "pipe", *seg_cols)
    else:
        records = exports.group_by("rid").agg(pipe=exports["pipe"].max(), **{c: exports[c].max() for c in seg_cols})
        records = cache(records)
    keyed = exports.select("export", "row", "rid")
    current_parts = [t.select("rid", "col", "raw", "pipe", *carried) for t in numbered_current]
    if parts["current"]:
        values = union(parts["current"]).inner_join(keyed, ["export", "row"])
        current_parts.append(values.select("rid", "col", "raw", "pipe"))
    entries_parts = []
    known = parsed.filter(parsed.ts.notnull()).select("export", "row", "slot", "ts") if parsed is not None else None
    entry = [s for s in slots if s.stages]
    if known is not None and entry:
        first = known.filter(known.slot.isin([s.number for s in entry]))
        staged = [
            first.select("export", "row", "ts", pos=ibis.cases(*((first.slot == s.number, s.stages[0]) for s in entry)))
        ]
        for s in entry:
            more = known.filter(known.slot == s.number)
            staged += [more.select("export", "row", "ts", pos=_int(pos)) for pos in s.stages[1:]]
        found = union(staged).inner_join(keyed, ["export", "row"])
        entries_parts.append(found.select("rid", "pos", "ts"))
    changes = union(parts["changes"])
    if changes is not None:
        changed = [s.number for s in slots if s.changed]
        times = known.filter(known.slot.isin(changed)).select("export", "row", "ts")
        changes = changes.inner_join(keyed, ["export", "row"])
        changes = cache(
            changes.left_join(times, ["export", "row"]).select("rid", "export", "row", "col", "raw", "pipe", "ts")
        )
        mapped = map_values(changes.select("rid", "col", "raw", "pipe"), mapping).distinct()
        timed = changes.select("rid", "col", "raw", "ts", "row")
        hist = mapped.inner_join(timed, ["rid", "col", "raw"]).filter(ibis._["pos"].notnull())
        entries_parts.append(hist.select("rid", "pos", "ts").filter(ibis._["ts"].notnull()))
        # A record's current value comes from its record export when there is one,
        # else from the last change its history records.
        alone = [p.index for p in plans if p.layout.history is not None and p.object not in with_records]
        latest = changes.filter(changes.export.isin(alone or [-1]))
        rank = ibis.row_number().over(
            group_by=["rid", "col"], order_by=[ibis.desc(latest.ts), ibis.desc(latest["row"])]
        )
        last = latest.mutate(_rank=rank).filter(ibis._["_rank"] == 0)
        current_parts.append(last.select("rid", "col", "raw", "pipe"))
    text = ibis.null("string")
    empty_values = nothing(exports.select("rid", *carried, col=text, raw=text, pipe=text))
    values = union(current_parts) if current_parts else empty_values
    current = cache(map_values(values, mapping, carried))
    empty_entries = nothing(exports.select("rid", pos=exports.export, ts=exports.export))
    typed = [e.select("rid", pos=e.pos.cast("int64"), ts=e.ts.cast("int64")) for e in entries_parts]
    raw_entries = union(typed) if typed else empty_entries
    if changes is None and len(single) == len(plans) and one_column_a_stage(slots):
        # Each record is one row and each stage one date column of it: one entry per
        # record and stage already, nothing to group.
        entries = cache(raw_entries.select("rid", "pos", first=raw_entries.ts, last=raw_entries.ts))
    else:
        grouped = raw_entries.group_by(["rid", "pos"])
        entries = cache(grouped.agg(first=raw_entries.ts.min(), last=raw_entries.ts.max()))
    dated = [entries.select("rid")]
    created = [s.number for s in slots if s.created]
    if known is not None and created:
        made = known.filter(known.slot.isin(created))
        direct = made.filter(made.export.isin(sorted(single) or [-1]))
        # A row of an export alone is numbered by its export and row: a duplicate row the
        # last one replaced gets a number no record has, so no join to the records.
        dated.append(direct.select(rid=direct.export * ROWS_PER_EXPORT + direct.row))
        if len(single) < len(plans):
            others = made.filter(~made.export.isin(sorted(single) or [-1])).inner_join(keyed, ["export", "row"])
            dated.append(others.select("rid"))
    single_column = all(len(p.values) <= 1 for p in plans)
    return Tidy(records, exports, current, entries, dated, whole, whole and single_column)


def one_column_a_stage(slots: list[Slot]) -> bool:
    """Whether no stage takes its entry date from two date columns of one export."""
    seen = [(s.export, pos) for s in slots for pos in s.stages]
    return len(seen) == len(set(seen))


def segment_columns(segments: tuple[str, ...]) -> list[str]:
    """The record columns holding each segment's value (null where the export lacks it)."""
    return [f"seg{i}" for i in range(len(segments))]


def rollup(rows: list[dict[str, Any]], segments: tuple[str, ...]) -> list[dict[str, Any]]:
    """Counts grouped by every segment column at once, summed into the whole audit
    (segment '' = '') and each segment's values. A record has one value per segment
    column, so counts of distinct records add up across the finer groups."""
    columns = segment_columns(segments)
    totals: dict[tuple, int] = {}
    for row in rows:
        rest = tuple((k, v) for k, v in row.items() if k != "n" and k not in columns)
        keys = [("", "")]
        for name, column in zip(segments, columns):
            value = row[column]
            if value is not None:
                keys.append((name, value or NOT_SET))
        for sname, sval in keys:
            at = (sname, sval, rest)
            totals[at] = totals.get(at, 0) + row["n"]
    return [{"sname": s, "sval": v, **dict(rest), "n": n} for (s, v, rest), n in totals.items()]


def grouped(table: ibis.Table, by: list[str], **metrics: ibis.Value) -> ibis.Table:
    """The metrics per group of `by`, or over the whole table when `by` is empty."""
    return table.group_by(by).agg(**metrics) if by else table.aggregate(**metrics)


def compute(
    t: Tidy,
    segments: tuple[str, ...],
    later: list[tuple[int, int]],
    moves: list[tuple[int, int]],
    cutoffs: dict[int, int],
    future: int,
    execute,
    cache,
) -> dict[str, Any]:
    """Every metric as plain rows keyed by segment: {(sname, sval): {metric: ...}}. The
    current values and the stages entered are materialised first with each record's
    segment values, so every count is one grouped scan by all segment columns at once
    (no join per metric), summed per segment afterwards (`rollup`)."""
    segs = segment_columns(segments)
    keyed = t.records.select("rid", *segs)

    def with_segments(table: ibis.Table) -> ibis.Table:
        return table.inner_join(keyed, "rid") if segs else table

    if t.one_row_a_record:  # the segment values are there already
        current = t.current
    else:
        current = cache(with_segments(t.current.select("rid", "col", "raw", "pos")))
    mapped = current.filter(current.pos.notnull())
    # Entries are one row per record and stage: add the current stages they lack, rather
    # than a distinct union of both (a grouping over every entry).
    dated = t.entries.select("rid", "pos")
    now = mapped.select("rid", "pos")
    if not t.one_value_a_record:
        now = now.distinct()
    now = now.anti_join(dated, ["rid", "pos"])
    entered = cache(with_segments(ibis.union(dated, now, distinct=False)))
    out: dict[str, ibis.Table] = {}

    def counted(table: ibis.Table, by: list[str], unique: bool = False) -> ibis.Table:
        """Records per segment values and `by`; `unique`: the table has one row per record
        and `by` already, so rows are counted (far cheaper than distinct records)."""
        return grouped(table, segs + by, n=table.count() if unique else table.rid.nunique())

    if t.one_row_a_record:
        ex = t.exports.select("rid", "export", *segs)
    else:
        ex = with_segments(t.exports.select("rid", "export").distinct())
    out["records"] = counted(ex, ["export"], unique=True)
    # One value a record: a record is in one stage now, a row of its own.
    single = t.one_value_a_record
    out["current"] = counted(mapped.select("rid", "pos", *segs), ["pos"], unique=single)
    out["entered"] = counted(entered, ["pos"], unique=True)
    laters: dict[int, list[int]] = {}
    for a, b in later:
        laters.setdefault(a, []).append(b)
    reached = [
        entered.filter(entered.pos.isin(sorted(set(bs)))).select("rid", *segs, pos=_int(a))
        for a, bs in sorted(laters.items())
    ]
    skipped = union(reached).distinct().anti_join(entered, ["rid", "pos"]) if reached else nothing(entered)
    out["skipped"] = counted(skipped, ["pos"], unique=True)
    stuck = mapped.select("rid", "pos", *segs).inner_join(t.entries, ["rid", "pos"])
    if cutoffs:
        cutoff = ibis.cases(*((stuck.pos == pos, at) for pos, at in sorted(cutoffs.items())), else_=ibis.null("int64"))
        stuck = stuck.filter(stuck["last"] < cutoff).select("rid", "pos", *segs)
    else:
        stuck = nothing(stuck.select("rid", "pos", *segs))
    out["stuck"] = counted(stuck, ["pos"], unique=single)
    converted = _both(entered, moves, kept=tuple(segs))
    out["converted"] = grouped(converted, [*segs, "src", "dst"], n=converted.count())
    unmapped = current.filter(current.pos.isnull() & current.raw.nullif("").notnull())
    out["unmapped"] = counted(unmapped.select("rid", "col", "raw", *segs).distinct(), ["col", "raw"], unique=True)
    used = current.filter(current.raw.nullif("").notnull())
    # One current value per record and column: rows are records here.
    out["values"] = used.group_by(["col", "raw", "pos"]).agg(n=used.count())
    undated = keyed
    for part in t.dated:
        undated = undated.anti_join(part, "rid")
    out["undated"] = counted(undated, [], unique=True)
    ahead = with_segments(t.entries.filter(t.entries["last"] >= future).select("rid"))
    out["future"] = grouped(ahead, segs, n=ahead.rid.count())
    order = _both(t.entries, later, "first").filter(ibis._["bfirst"] < ibis._["afirst"]).select("rid").distinct()
    out["disorder"] = counted(with_segments(order), [], unique=True)
    rows = {name: execute(query) for name, query in out.items()}
    found = {name: rollup(found, segments) for name, found in rows.items() if name != "values"}
    found["values"] = rows["values"]
    found["median"] = execute(_medians(t.entries, moves, keyed, segments))
    return found


def _medians(entries: ibis.Table, moves, keyed: ibis.Table, segments: tuple[str, ...]) -> ibis.Table:
    """Median days between the two entry dates of each transition, over the whole audit
    and per segment value (medians do not add up: one grouping each)."""
    timed = _both(entries, moves, "first")
    timed = timed.select("rid", "src", "dst", days=(timed.bfirst - timed.afirst) / 86400.0)
    parts = [
        timed.group_by(["src", "dst"])
        .agg(days=timed.days.median())
        .mutate(sname=ibis.literal(""), sval=ibis.literal(""))
    ]
    if segments:
        timed = timed.inner_join(keyed, "rid")
    for name, column in zip(segments, segment_columns(segments)):
        value = timed[column].nullif("").coalesce(NOT_SET)
        part = timed.filter(timed[column].notnull()).mutate(sval=value)
        part = part.group_by(["sval", "src", "dst"]).agg(days=part.days.median())
        parts.append(part.mutate(sname=ibis.literal(name)))
    return union([p.select("sname", "sval", "src", "dst", "days") for p in parts])


def _both(table: ibis.Table, found: list[tuple[int, int]], *carried: str, kept: tuple[str, ...] = ()) -> ibis.Table:
    """(rid, src, dst, a<carried>, b<carried>, kept) for each record in both stages of a
    pair; `kept` columns (the record's own, the same on both sides) come from the first."""
    a = table.filter(table.pos.isin(sorted({x for x, _ in found}) or [-1]))
    a = a.select("rid", *kept, src="pos", **{f"a{c}": c for c in carried})
    b = table.filter(table.pos.isin(sorted({y for _, y in found}) or [-1]))
    b = b.select(bid="rid", dst="pos", **{f"b{c}": c for c in carried})
    both = a.inner_join(b, a.rid == b.bid)
    return both.filter(pairs(both.src, both.dst, found)).drop("bid")
