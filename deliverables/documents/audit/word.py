"""Word layout of the Current State Audit (python-docx lives in the backend, not here)."""

from __future__ import annotations

from typing import Any

from deliverables.backends.word.kit import Writer, writer
from deliverables.backends.word.parts import COVER_STYLES as STYLES
from deliverables.backends.word.parts import cover, stage_name
from deliverables.core.context import Context
from deliverables.documents.measured import days, pct
from deliverables.documents.words.grammar import count, possessive

CHART_WIDTH_CM = 16.0


def _height(bars: int) -> float:
    """Chart height on the page: enough for every bar's label to stay readable."""
    return min(19.0, 3.0 + 0.62 * bars)


def write(view: dict[str, Any], ctx: Context, funnel_png: bytes, time_png: bytes) -> bytes:
    """The audit's bytes, built on the theme's base.docx or the built-in one."""
    w = writer(ctx, STYLES, view["title"])
    cover(w, view["title"], view["client"], view["meta"], view["state"], f"CRM exports of {view['as_of']}")
    _scope(w, view)
    _funnel(w, view, funnel_png, time_png)
    _values(w, view)
    _misuse(w, view)
    _quality(w, view)
    _recommendations(w, view)
    w.header_footer(view["header"], view["footer"])
    return w.save(view["title"], view["client"], view["author"], view["date"])


def _cells(w: Writer, table, values: list[Any], bold_first: bool = True) -> None:
    cells = []
    for i, value in enumerate(values):
        if isinstance(value, list):
            cells.append([("Table Text", value)])
        elif i == 0 and bold_first:
            cells.append([("Table Text", [(str(value), "Strong")])])
        else:
            cells.append([("Table Text", str(value))])
    w.row(table, cells)


def _scope(w: Writer, view: dict[str, Any]) -> None:
    w.heading("Scope and sources", 1)
    sources = view["sources"]
    w.para(
        f"This audit reads {count(len(sources), 'export')} of {possessive(view['client'])} CRM, taken on {view['as_of']}: "
        f"{count(view['records_total'], 'record')} in all. Every figure below is counted from these files, "
        "matched to the proposed stages through the CRM field and value each stage is stored in."
    )
    table = w.table(["File", "Object", "Format", "Rows", "Records"], [4, 1.6, 2.6, 1.2, 1.4])
    for s in sources:
        records = f"{s['records']:,}" + (f" ({count(s['duplicates'], 'duplicate')} removed)" if s["duplicates"] else "")
        _cells(w, table, [s["path"], s["object"], s["format"], f"{s['rows']:,}", records])


def _funnel(w: Writer, view: dict[str, Any], funnel_png: bytes, time_png: bytes) -> None:
    w.heading("The funnel today", 1)
    w.para(
        "Entered counts every record that ever reached a stage (an entry date, or the stage it is in now). "
        "Conversion is the share of those that also reached the next stage; the median is the time between "
        "the two entry dates. Skipped records reached a later stage without this one; stuck records have "
        "been in the stage longer than the agreed time."
    )
    w.picture(w.para(""), funnel_png, "funnel.png", _height(len(view["funnel_chart"]["bars"])), CHART_WIDTH_CM)
    headers = ["Stage", "In it now", "Entered", "On to next", "Median days", "Skipped", "Stuck"]
    table = w.table(headers, [3.4, 1.2, 1.2, 2.2, 1.3, 1.2, 1.1])
    for row in view["funnel"]:
        stage = row["stage"]
        onward = f"{pct(row['rate'])} to {row['next']}" if row["next"] else "—"
        stuck = "—" if row["outcome"] else f"{row['stuck']:,}"
        name = [("Table Text", stage_name(stage.label, stage.golden))]
        w.row(
            table,
            [name]
            + [
                [("Table Text", text)]
                for text in (
                    f"{row['current']:,}",
                    f"{row['entered']:,}",
                    onward,
                    days(row["median_days"]),
                    f"{row['skipped']:,}",
                    stuck,
                )
            ],
        )
    w.para([("Closed outcomes are not counted as stuck: a record rests there by design.", "Muted")])
    w.heading("Time in stage", 2)
    w.picture(w.para(""), time_png, "time-in-stage.png", _height(len(view["time_chart"]["bars"])), CHART_WIDTH_CM)


def _values(w: Writer, view: dict[str, Any]) -> None:
    w.heading("Values in use against the proposed architecture", 1)
    w.para(
        "For each domain, the proposed stages with the CRM values found for them and how many records hold "
        "each value today, then the values that match no proposed stage."
    )
    for block in view["domains"]:
        w.heading(block["domain"], 2)
        table = w.table(["Proposed stage", "Values found in the CRM", "Records now"], [3.6, 4.6, 1.6])
        for row in block["rows"]:
            stage = row["stage"]
            found = "; ".join(f"{v['value']} ({v['records']:,})" for v in row["values"]) or "none found"
            w.row(
                table,
                [
                    [("Table Text", stage_name(stage.label, stage.golden))],
                    [("Table Text", found)],
                    [("Table Text", f"{row['records']:,}")],
                ],
            )
        for value in block["unmapped"]:
            w.row(
                table,
                [
                    [("Table Text", [("No proposed stage", "Muted")])],
                    [("Table Text", [(value["value"], "Strong")])],
                    [("Table Text", f"{value['records']:,}")],
                ],
            )
    if view["unmapped"]:
        w.heading("Values no stage maps", 2)
        w.para(
            f"{count(sum(u['records'] for u in view['unmapped']), 'record')} hold a value that matches none of the "
            "proposed stages. Each needs a home in the new architecture, or retiring."
        )
        fields = {1: [u["object"] for u in view["unmapped"]], 2: [u["field"] for u in view["unmapped"]]}
        table = w.table(["Value", "Object", "Field", "Records"], [4, 2, 2.6, 1.4], fields)
        for u in view["unmapped"]:
            _cells(w, table, [u["value"], u["object"], u["field"], f"{u['records']:,}"])


def _misuse(w: Writer, view: dict[str, Any]) -> None:
    w.heading("Misuse patterns in the CRM's values", 1)
    if not view["misuse"]:
        w.para("None of the values found reads as one of the playbook's misuse patterns.")
        return
    w.para(
        "The playbook names the ways lifecycle fields go wrong: deal outcomes in a lead field, working statuses "
        "used as stages, activities instead of milestones. These values show them:"
    )
    table = w.table(["Value", "Records", "Pattern", "What to do"], [2.4, 1.2, 3.4, 3.4])
    for item in view["misuse"]:
        _cells(
            w, table, [item["value"], f"{item['records']:,}", item["rule"], item["fix"][0].upper() + item["fix"][1:]]
        )


def _quality(w: Writer, view: dict[str, Any]) -> None:
    w.heading("Data quality", 1)
    q = view["quality"]
    items = [
        f"{count(q['records_without_dates'], 'record')} carry no date at all: no creation date and no stage entry date.",
        f"{count(q['future_dates'], 'entry date')} lie after the export date.",
        f"{count(q['out_of_order'], 'record')} entered a later stage before an earlier one.",
    ]
    duplicates = sum(s["duplicates"] for s in view["sources"])
    if duplicates:
        items.append(f"{count(duplicates, 'duplicate row')} repeat a record id; the last row of each was used.")
    w.bullets(items)


def _recommendations(w: Writer, view: dict[str, Any]) -> None:
    w.heading("Recommendations", 1)
    if not view["recommendations"]:
        w.para("The CRM's values already line up with the proposed stages; keep entry dates recorded for every stage.")
        return
    w.bullets(view["recommendations"])
