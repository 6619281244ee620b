"""Run the current-state audit: open every export, recognise it, check its dates,
and compute the metrics (see `metrics`) on DuckDB or on the `source` database.

`run` returns the metrics exactly as `deliver audit --format json` prints them,
plus what the documents say about the sources; every problem with the input is
an `InputError` naming the client file's line, and for data the export's row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deliverables.backends.data import dates, formats
from deliverables.backends.data import plan as planning
from deliverables.backends.data.plan import ExportPlan
from deliverables.backends.data.result import Result, Source
from deliverables.core.errors import InputError, Problem, RowProblem
from deliverables.core.model import Project
from deliverables.core.paths import kind
from deliverables.core.source import Document
from deliverables.core.suggest import did_you_mean

if TYPE_CHECKING:
    from deliverables.backends.data import files

SHOWN = 20
"""Data problems listed one by one; the rest are counted."""
LARGE = 100_000
"""Exports above this many rows get a progress bar."""
MEMORY_LIMIT = "768MiB"
"""Memory the embedded DuckDB may hold before it spills to disk: with Python, ibis and
the expressions around it, bigger exports stay under 1.5 GiB (1M contacts and 300k
deals: about 1.1 GiB at peak)."""
Progress = Callable[[int, int], None]


def _connect(project: Project, doc: Document):
    import ibis

    audit = project.audit
    if not audit.source:
        return ibis.duckdb.connect()
    try:
        return ibis.connect(audit.source)
    except Exception as exc:  # each backend raises its own connection errors
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise InputError([doc.problem(("audit", "source"), f"cannot connect to the audit source: {reason}")]) from None


def _open(
    project: Project, doc: Document, con, folder: str
) -> tuple[dict[int, Any], dict[int, str], list[Problem | RowProblem]]:
    """Every export as a table, what opening it found (`files.Read`), and the problems."""
    from deliverables.backends.data import files

    tables, sheets, problems = {}, {}, []
    base = Path(doc.path).parent
    for i, export in enumerate(project.audit.exports):
        where = ("audit", "exports", i, "path")
        path = base / export.path
        try:
            if project.audit.source:
                table = project.audit.tables.get(export.path)
                if table is None:
                    problems.append(doc.problem(where, f"no table for '{export.path}' under `audit.tables`"))
                    continue
                tables[i] = files.load_table(con, table)
                continue
            if not path.is_file():
                what = (
                    f"is {kind(path.stat().st_mode)}, expected a CSV or XLSX export file"
                    if path.exists()
                    else "not found"
                )
                problems.append(doc.problem(where, f"export file '{path}' {what}"))
                continue
            tables[i], sheets[i] = files.load_file(
                con, path, f"export_{i}", folder, export.sheet, _reads(project, doc, i)
            )
        except files.NoSheet as exc:
            problems.append(doc.problem(("audit", "exports", i, "sheet"), f"export '{export.path}' {exc}"))
        except files.Unreadable as exc:
            problems.append(doc.problem(where, f"export '{export.path}' {exc}"))
            if exc.row is not None:
                problems.append(RowProblem(str(path), exc.row, 0, "", exc.detail))
        except OSError as exc:  # a file that vanished or cannot be read meanwhile
            problems.append(doc.problem(where, f"export file '{path}' cannot be read ({exc.strerror or exc})"))
    return tables, sheets, problems


def _reads(project: Project, doc: Document, i: int) -> files.Keep:
    """Of the header of export `i`, the columns the audit reads (None when its layout is
    not known: it is then loaded whole, and `_run` says why)."""

    def columns(header: tuple[str, ...]) -> set[str] | None:
        layout, _ = _layout(project, doc, i, header)
        if layout is None:
            return None
        stages = planning.mapped_stages(project)
        plan = planning.plan_export(i, project.audit.exports[i], layout, stages, header, project.audit.segments)
        return _used(layout) | set(plan.segments.values())

    return columns


def _used(layout: formats.Layout) -> set[str]:
    """Every column a layout reads."""
    used = {layout.id, layout.pipeline, layout.created, *(c for c, _ in layout.current)}
    used |= {d.column for d in layout.dates} | set(layout.history or ())
    return {c for c in used if c}


def _layout(
    project: Project,
    doc: Document,
    i: int,
    header: tuple[str, ...],
    sheet: str = "",
    propose: Callable[[], str | None] | None = None,
) -> tuple[formats.Layout | None, list[Problem]]:
    export = project.audit.exports[i]
    here = ("audit", "exports", i)
    if export.columns is None:
        try:
            layout = formats.recognise(header, export.kind)
        except formats.UnknownFormat as exc:
            read = f" ({sheet})" if sheet else ""
            # The header itself is not quoted, unless its values are the stages' own (see
            # `proposal`): a path naming some other file (a hostile client file's
            # `../../.env`) would print that file's first line.
            other = ", or name the worksheet holding the records under `sheet:`" if sheet and not export.sheet else ""
            message = f"export '{export.path}'{read}: {exc}; map its columns under `columns:`{other}"
            proposed = propose() if propose is not None and export.kind == "records" else None
            if proposed:
                message += f"; its values suggest, for this export's entry:\n    {proposed}"
            return None, [doc.problem(here, message)]
        return _unique(doc, i, export.path, layout, header)
    problems = []
    named = [(k, getattr(export.columns, k)) for k in formats.COLUMN_KEYS]
    named += [(("dates", stage), column) for stage, column in export.columns.dates.items()]
    for name, column in named:
        if column and column not in header:
            path = here + ("columns",) + (name if isinstance(name, tuple) else (name,))
            hint = did_you_mean(column, header) or f"; its columns: {_listed(header)}"
            problems.append(doc.problem(path, f"unknown column '{column}' in '{export.path}'{hint}"))
    if not export.columns.id:
        problems.append(doc.problem(here + ("columns",), "the columns need 'id': the column with the record id"))
    if problems:
        return None, problems
    return _unique(doc, i, export.path, formats.explicit(export.columns, export.kind), header)


def _proposer(project: Project, i: int, header: tuple[str, ...], table, execute) -> Callable[[], str | None]:
    """What proposes a `columns:` mapping for export `i` from its first rows (`proposal`),
    read only when its header is unknown."""

    def propose() -> str | None:
        from deliverables.backends.data import proposal

        named = [c for c in header if c in table.columns]
        rows = execute(table.order_by(files_row()).select(*named).limit(proposal.SAMPLE)) if named else []
        obj = formats.key(project.audit.exports[i].object)
        stages = [m for m in planning.mapped_stages(project) if m.object == obj]
        return proposal.propose(tuple(named), rows, stages)

    return propose


LISTED = 12
"""Header names an error message lists before counting the rest."""


def _listed(header: tuple[str, ...]) -> str:
    """The header's names for a message: each cut to 40 characters, the first LISTED of them."""
    names = [h if len(h) <= 40 else h[:39] + "…" for h in header[:LISTED]]
    more = f" and {len(header) - LISTED} more" if len(header) > LISTED else ""
    return (", ".join(names) or "(none)") + more


def _unique(
    doc: Document, i: int, path: str, layout: formats.Layout, header: tuple[str, ...]
) -> tuple[formats.Layout | None, list[Problem]]:
    """The layout, unless a column it reads appears twice in the header (DuckDB reads the
    second `X` as `X_1`): which of the two holds the value is anyone's guess."""
    twice = sorted(c for c in _used(layout) if any(h.startswith(c + "_") and h[len(c) + 1 :].isdigit() for h in header))
    if not twice:
        return layout, []
    return None, [
        doc.problem(
            ("audit", "exports", i),
            f"export '{path}' has more than one column named '{c}'; expected each column once: keep the one to read",
        )
        for c in twice
    ]


def _shapes(project: Project, doc: Document) -> tuple[dict[int, tuple[dates.Shape, ...]], list[Problem]]:
    shapes, problems = {}, []
    for i, export in enumerate(project.audit.exports):
        try:
            shapes[i] = dates.shapes(export.date_format)
        except dates.BadFormat as exc:
            problems.append(doc.problem(("audit", "exports", i, "date_format"), f"unusable date format: {exc}"))
    return shapes, problems


def _bad_dates(doc: Document, plans: list[ExportPlan], slots, parsed, execute, labels: dict[int, str]) -> list[Any]:
    """The unreadable dates of every export, from the one parsed long table of dates:
    a summary per export and its first rows, in (row, column) order."""
    import ibis

    if parsed is None:
        return []
    bad = parsed.filter(parsed.bad.notnull())
    listed = bad.mutate(
        total=bad.slot.count().over(ibis.window(group_by="export")),
        rank=ibis.row_number().over(ibis.window(group_by="export", order_by=["row", "slot"])),
    )
    found = execute(listed.filter(listed["rank"] < SHOWN).order_by(["export", "rank"]))
    columns = {s.number: s.column for s in slots}
    by_export: dict[int, list[dict[str, Any]]] = {}
    for r in found:
        by_export.setdefault(r["export"], []).append(r)
    problems: list[Any] = []
    for p in plans:
        rows = by_export.get(p.index)
        if not rows:
            continue
        total = rows[0]["total"]
        listed_note = f" (the first {SHOWN} listed)" if total > SHOWN else ""
        noun = "an unreadable date" if total == 1 else f"{total} unreadable dates"
        guessed = dates.guess([r["bad"] for r in rows])
        advice = f"`date_format: '{guessed}'`, which reads {_them(total)}" if guessed else "`date_format`"
        if guessed and guessed.startswith("%d/%m/"):
            # Those dates are day first: so are the export's others, read month first unless told.
            advice += " and reads the export's other slash dates day first too (month first without it)"
        problems.append(
            doc.problem(
                ("audit", "exports", p.index),
                f"export '{p.export.path}' has {noun}{listed_note}; expected {dates.EXPECTED}, or set {advice}",
            )
        )
        problems += [
            RowProblem(
                labels[p.index],
                r["row"],
                0,
                "",
                f"column '{columns[r['slot']]}': unreadable date {quoted(r['bad'])}; expected {dates.EXPECTED}"
                + dates.serial_hint(r["bad"])
                + dates.day_first_hint(r["bad"]),
            )
            for r in rows
        ]
    return problems


def _either_way(project: Project, slashes, execute) -> list[tuple[tuple[str | int, ...], str]]:
    """A warning for each export whose slash dates all read both ways (`03/04/2026`, no
    number above 12 before the year): they were read month first, as the audit reads
    `MM/DD/YYYY`, and nothing in the file says that is right. One slash date that only
    month first reads (`03/25/2026`), in any export without a `date_format` of its own,
    settles it for all: the exports of one audit come from one CRM, in its user's
    locale. One that only day first reads is an unreadable date (`_bad_dates`)."""
    if slashes is None:
        return []
    found = sorted(execute(slashes), key=lambda r: r["export"])
    if any(r["month_first"] for r in found):
        return []
    warnings = []
    for row in found:
        if row["either"] is None:
            continue
        text = row["either"].strip()
        month_first, day_first, date_format = dates.either_way(text)
        stated = date_format.replace("%d/%m/", "%m/%d/", 1)
        warnings.append(
            (
                ("audit", "exports", row["export"]),
                f"export '{project.audit.exports[row['export']].path}' writes its dates with slashes, none with "
                f"a number above 12 before the year, so each reads either way: they were read month first, "
                f"{quoted(text)} as {month_first} (day first: {day_first}); set `date_format: '{date_format}'` "
                f"on the export if its dates are day first, or `date_format: '{stated}'` to say they are month first",
            )
        )
    return warnings


def _them(total: int) -> str:
    if total == 1:
        return "it"
    return "those listed" if total > SHOWN else "them"


SHOWN_CHARACTERS = 60
"""Characters of a cell an error message quotes: a 10,000-character cell is cut."""


def quoted(text: str) -> str:
    """A cell quoted for a message (`repr`, so control characters show), cut to SHOWN_CHARACTERS."""
    if len(text) <= SHOWN_CHARACTERS:
        return repr(text)
    return repr(text[:SHOWN_CHARACTERS]) + f"… ({len(text):,} characters)"


def run(project: Project, doc: Document, progress: Progress | None = None) -> Result:
    """The audit of the project's exports (InputError on any problem with them)."""
    audit = project.audit
    as_of = audit.as_of or project.date
    if as_of is None:
        raise InputError(
            [doc.problem(("audit",), "no `as_of` and no `date`: the audit needs the day the exports were taken")]
        )
    from deliverables.backends.data import files

    with files.workspace() as folder:
        db = Database(_connect(project, doc), os.path.join(folder, "spill"))
        try:
            return _run(project, doc, db, folder, as_of, progress)
        finally:
            db.close()


def _literal(value: str | int) -> str:
    """A SQL literal of a string or an integer."""
    if isinstance(value, int):
        return str(int(value))
    return "'" + str(value).replace("'", "''") + "'"


class Database:
    """Runs the audit's ibis expressions. On the embedded DuckDB they run as the SQL ibis
    compiles, rows fetched as plain tuples and tidy tables kept as temporary tables (no
    detour through Arrow, whose import alone outweighs a small audit); elsewhere through
    ibis itself (`to_pyarrow`, `cache`)."""

    def __init__(self, con, spill: str) -> None:
        self.con = con
        self.direct = con.name == "duckdb"
        self.cached: list[Any] = []
        self.paused = False
        if self.direct:
            # Bounded memory: what does not fit goes to `spill`, in the audit's private
            # folder, removed with it.
            self.con.raw_sql(f"SET memory_limit = '{MEMORY_LIMIT}'")
            self.con.raw_sql(f"SET temp_directory = {_literal(spill)}")

    def sql(self, expr) -> str:
        """The DuckDB SQL of an expression (compiled once per distinct tree: `compiled`)."""
        from deliverables.backends.data import compiled

        return compiled.sql(expr, self.con.compile, self.con.name)

    def execute(self, expr) -> list[dict[str, Any]]:
        """The rows of a table expression, as dicts."""
        if self.direct:
            cursor = self.con.raw_sql(self.sql(expr))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
        return self.con.to_pyarrow(expr).to_pylist()

    def cache(self, expr):
        """The expression materialised once, as a table the next expressions read."""
        if not self.direct:
            table = expr.cache()
            self.cached.append(table)
            return table
        import ibis

        name = f"audit_{len(self.cached)}"
        self.con.raw_sql(f'CREATE TEMP TABLE "{name}" AS {self.sql(expr)}')
        self.cached.append(name)
        return ibis.table(expr.schema(), name=name)

    def table(self, rows: list[tuple], schema: dict[str, str]):
        """A small table of `rows`: on DuckDB a temporary table filled with parameters
        (an in-memory table would need pandas and Arrow), elsewhere an ibis memtable."""
        import ibis

        if not self.direct:
            return ibis.memtable({c: [r[i] for r in rows] for i, c in enumerate(schema)}, schema=schema)
        name = f"audit_{len(self.cached)}"
        types = {"string": "VARCHAR", "int64": "BIGINT"}
        columns = ", ".join(f'"{c}" {types[t]}' for c, t in schema.items())
        self.con.raw_sql(f'CREATE TEMP TABLE "{name}" ({columns})')
        if rows:
            # Literals, escaped: binding parameters would load pandas just to check their types.
            values = ", ".join("(" + ", ".join(_literal(v) for v in r) + ")" for r in rows)
            self.con.raw_sql(f'INSERT INTO "{name}" VALUES {values}')
        self.cached.append(name)
        return ibis.table(schema, name=name)

    def numbered(self) -> None:
        """The exports are loaded and their rows numbered (`files.ROW`): from here on no
        result depends on the order rows are stored in (every ranking orders by row
        number), so DuckDB may store what it materialises in any order, as its threads
        finish, rather than keeping the order it read."""
        if self.direct:
            self.con.raw_sql("SET preserve_insertion_order = false")

    def small(self) -> None:
        """Few rows: on DuckDB one thread, as starting more costs more than they save; and
        no cyclic garbage collection until `close`. Building and compiling the expressions
        makes many short-lived objects, freed as they go, and the collector would only
        walk the whole process heap again and again meanwhile."""
        if self.direct:
            self.con.raw_sql("SET threads = 1")
        self.paused = gc.isenabled()
        gc.disable()

    def close(self) -> None:
        if self.paused:
            gc.enable()
        if not self.direct:
            for table in self.cached:
                with contextlib.suppress(Exception):  # the connection closes next anyway
                    table.release()
        self.con.disconnect()


def _run(
    project: Project, doc: Document, db: Database, folder: str, as_of: dt.date, progress: Progress | None
) -> Result:
    from deliverables.backends.data import metrics, wide

    audit = project.audit
    execute = db.execute
    tables, sheets, problems = _open(project, doc, db.con, folder)
    db.numbered()
    shapes, shape_problems = _shapes(project, doc)
    problems += shape_problems
    stages = planning.mapped_stages(project)
    plans: list[ExportPlan] = []
    headers = {i: _header(table, sheets.get(i)) for i, table in tables.items()}
    for i, header in sorted(headers.items()):
        propose = _proposer(project, i, header, tables[i], execute)
        layout, found = _layout(project, doc, i, header, sheets[i].sheet if i in sheets else "", propose)
        problems += found
        if layout is not None:
            plans.append(planning.plan_export(i, audit.exports[i], layout, stages, header, audit.segments))
    problems += _segment_problems(project, doc, headers)
    if problems:
        raise InputError(problems)
    base = Path(doc.path).parent
    stats = _stats(plans, tables, execute)
    large = sum(s["rows"] for s in stats.values()) > LARGE
    if not large:
        db.small()
    total_steps = 14
    tick = _ticker(progress if large else None, total_steps)
    labels = {
        p.index: str(base / p.export.path) if not audit.source else f"{audit.tables[p.export.path]}" for p in plans
    }
    slots = metrics.date_slots(plans)
    cache = db.cache
    observed = [m for m in stages if m.object in {p.object for p in plans}]
    later = list(planning.later_pairs(project, observed))
    moves = planning.transitions(project, observed)
    start = dates.epoch(as_of)
    from deliverables.core import stages as known

    # An outcome (won, lost, churned) ends the flow: a record there is done, never stuck.
    cutoffs = {m.pos: start - audit.stuck_days(m.stage.id) * 86400 for m in observed if not known.outcome(m.stage)}

    def shapes_of(plan: ExportPlan) -> tuple[dates.Shape, ...]:
        return shapes[plan.index]

    shaped = wide.fits(plans, slots, shapes_of, observed, later, moves)
    if shaped:
        parsed, slashes = wide.odd_dates(plans, tables, slots, cache)
    else:
        parsed, slashes = metrics.long_dates(plans, tables, slots, shapes_of, cache)
    tick()
    problems += _bad_dates(doc, plans, slots, parsed, execute, labels)
    tick()
    if problems:
        raise InputError(problems)
    result = Result({}, as_of)
    counting = _counting(execute, tick)
    if shaped:
        rows = wide.compute(
            plans,
            tables,
            audit.segments,
            slots,
            parsed,
            observed,
            later,
            moves,
            cutoffs,
            start + 86400,
            counting,
            cache,
            db.table,
        )
    else:
        tidy = metrics.tidy(plans, tables, audit.segments, slots, parsed, cache, db.table)
        rows = metrics.compute(tidy, audit.segments, later, moves, cutoffs, start + 86400, counting, cache)
    from deliverables.backends.data.report import assemble, values_in_use

    if progress is not None and large:
        progress(total_steps, total_steps)
    # Records per export: the whole audit's count of them, no second count of distinct ids.
    ids = {r["export"]: r["n"] for r in rows["records"] if r["sname"] == ""}
    result.sources, result.warnings = _sources(plans, stats, ids)
    result.warnings += _footers(project, sheets)
    result.warnings += _either_way(project, slashes, execute)
    result.warnings += _other_pipelines(plans, tables, execute)
    result.metrics = assemble(project, plans, observed, moves, rows, audit.segments)
    result.values = values_in_use(plans, observed, rows["values"])
    return result


def files_row() -> str:
    """Name of the row-number column every opened export carries."""
    from deliverables.backends.data.files import ROW

    return ROW


def _ticker(progress: Progress | None, total: int) -> Callable[[], None]:
    done = [0]

    def tick() -> None:
        done[0] += 1
        if progress is not None:
            progress(min(done[0], total), total)

    return tick


def _counting(execute, tick):
    def run(expr):
        found = execute(expr)
        tick()
        return found

    return run


def _header(table: Any, read: Any) -> tuple[str, ...]:
    """An opened export's whole header: what opening the file read (`files.Read`), which
    the table may hold only some of, or a database table's columns."""
    if read is not None and read.columns:
        return read.columns
    return tuple(c for c in table.columns if c != files_row())


def _segment_problems(project: Project, doc: Document, headers: dict[int, tuple[str, ...]]) -> list[Problem]:
    found = {formats.key(c) for header in headers.values() for c in header}
    return [
        doc.problem(("audit", "segments", i), f"no export has a column '{name}'")
        for i, name in enumerate(project.audit.segments)
        if formats.key(name) not in found and headers
    ]


def _stats(plans: list[ExportPlan], tables, execute) -> dict[int, dict[str, int]]:
    """Rows, rows with an id and, of a field history, rows changing a stage's field, of every
    export in one query (records are counted with the metrics)."""
    import ibis

    from deliverables.backends.data import metrics

    parts = []
    for p in plans:
        table = tables[p.index]
        ident = dates.strip(table[p.layout.id]).nullif("")
        changes = ibis.literal(0, "int64")
        if p.layout.history is not None:  # rows changing a field the stages are stored in
            changes = metrics.changed_column(p, table).isin(list(p.values) or [""]).cast("int64").sum()
        counted = table.aggregate(rows=table.count(), with_id=ident.count(), changes=changes)
        parts.append(counted.mutate(export=ibis.literal(p.index, "int64")))
    if not parts:
        return {}
    found = execute(ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0])
    return {r["export"]: r for r in found}


def _sources(
    plans: list[ExportPlan], stats: dict[int, dict[str, int]], ids: dict[int, int]
) -> tuple[list[Source], list]:
    sources, warnings = [], []
    for p in plans:
        found = stats[p.index]
        rows, records = found["rows"], ids.get(p.index, 0)
        history = p.layout.history is not None
        duplicates = 0 if history else found["with_id"] - records
        sources.append(Source(p.export.path, p.export.object, p.layout.format, rows, records, duplicates))
        where = ("audit", "exports", p.index, "path")
        if duplicates:
            warnings.append(
                (
                    where,
                    f"export '{p.export.path}' has {_rows(duplicates, 'duplicate row')} by '{p.layout.id}': "
                    "the last row of each id is used",
                )
            )
        if not rows:
            warnings.append((where, f"export '{p.export.path}' has a header row and no records below it"))
        elif rows - found["with_id"]:
            warnings.append(
                (
                    where,
                    f"export '{p.export.path}' has {_rows(rows - found['with_id'], 'row')} without '{p.layout.id}', "
                    "left out",
                )
            )
        if not p.dates and not history and not p.layout.current:
            warnings.append((where, f"export '{p.export.path}' has no column the stages map to"))
        if history and rows and not found["changes"]:
            named = p.export.columns is not None and p.export.columns.field
            warnings.append((where[:3] + ("columns", "field") if named else where, _no_changes(p)))
    return sources, warnings


PIPELINES_NAMED = 3
"""Pipelines a warning names before counting the rest."""


def _other_pipelines(plans: list[ExportPlan], tables, execute) -> list[tuple[tuple[str | int, ...], str]]:
    """A warning for each record export with rows in a pipeline no stage of its object names:
    their values map to no stage, and the values no stage maps would list a stage's own
    value ('Closed Won') without saying why (a pipeline labelled 'Sales Pipeline' where
    the stages name 'new-business')."""
    import ibis

    from deliverables.backends.data import metrics
    from deliverables.backends.data.plan import ANY

    parts, known = [], {}
    for p in plans:
        named = {m.pipeline for candidates in p.values.values() for m in candidates}
        if not p.layout.pipeline or not p.layout.current or not named or ANY in named:
            continue
        known[p.index] = named
        table = tables[p.index]
        # The few distinct cells first, each read once, then their pipelines.
        cells = table.group_by(raw=table[p.layout.pipeline]).aggregate(n=table.count())
        cells = cells.mutate(pk=metrics.norm(dates.strip(cells.raw)), shown=dates.strip(cells.raw))
        cells = cells.filter((cells.pk != "") & ~cells.pk.isin(sorted(named)))
        found = cells.group_by("pk").aggregate(n=cells.n.sum(), shown=cells.shown.min())
        parts.append(found.mutate(export=ibis.literal(p.index, "int64")))
    if not parts:
        return []
    found = execute(ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0])
    warnings = []
    for p in plans:
        mine = sorted((r for r in found if r["export"] == p.index), key=lambda r: (-r["n"], r["shown"]))
        if not mine:
            continue
        listed = ", ".join(f"'{r['shown']}' ({r['n']:,})" for r in mine[:PIPELINES_NAMED])
        more = f" and {len(mine) - PIPELINES_NAMED:,} more" if len(mine) > PIPELINES_NAMED else ""
        stages = sorted({m.stage.crm.pipeline for c in p.values.values() for m in c if m.stage.crm.pipeline})
        total = sum(r["n"] for r in mine)
        message = (
            f"export '{p.export.path}' has {_rows(total, 'row')} in a pipeline no {p.export.object} stage names: "
            f"{listed}{more}; the stages name {', '.join(map(repr, stages))}, so "
            + ("its value maps" if total == 1 else "those rows' values map")
            + " to no stage"
        )
        warnings.append((("audit", "exports", p.index, "path"), message))
    return warnings


def _no_changes(p: ExportPlan) -> str:
    """What a field history export none of whose rows changes a stage's field should say."""
    fields = sorted({m.stage.crm.field for candidates in p.values.values() for m in candidates})
    named = " or ".join(f"'{f}'" for f in fields) or "any field"
    field_column = p.layout.history[0]
    hint = (
        f"; under `columns:`, `field` says how its '{field_column}' column names that field (e.g. Phase)"
        if field_column and p.layout.format == "columns"
        else ""
    )
    return f"export '{p.export.path}' has no row changing {named}, the field the stages are stored in{hint}"


def _footers(project: Project, read: dict[int, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """A warning for each export that ended with a report's footer or repeated its header row, left out."""
    return [
        (
            ("audit", "exports", i, "path"),
            f"export '{project.audit.exports[i].path}' ends with a report's footer (an empty row and "
            f"{found.footer - 1:,} more with a value in the first column only), left out",
        )
        for i, found in sorted(read.items())
        if found.footer
    ] + [
        (
            ("audit", "exports", i, "path"),
            f"export '{project.audit.exports[i].path}' repeats its header row at {_numbers('row', found.headers)} "
            "(exports pasted one below another?), left out",
        )
        for i, found in sorted(read.items())
        if found.headers
    ]


def _numbers(noun: str, numbers: tuple[int, ...], shown: int = 5) -> str:
    """`row 6`, `rows 6 and 12`, `rows 6, 12, 18, 24, 30 and 2 more`."""
    if len(numbers) == 1:
        return f"{noun} {numbers[0]:,}"
    listed = [f"{n:,}" for n in numbers[:shown]]
    more = len(numbers) - len(listed)
    if more:
        return f"{noun}s {', '.join(listed)} and {more:,} more"
    return f"{noun}s {', '.join(listed[:-1])} and {listed[-1]}"


def _rows(count: int, noun: str) -> str:
    """`1 duplicate row`, `3 duplicate rows`."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
