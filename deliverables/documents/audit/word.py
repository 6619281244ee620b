"""Word layout of the Current State Audit (python-docx lives in the backend, not here)."""

from __future__ import annotations

from typing import Any

from deliverables.backends.word import pages
from deliverables.backends.word.kit import Writer, writer
from deliverables.backends.word.parts import COVER_STYLES as STYLES
from deliverables.backends.word.parts import cover, stage_name
from deliverables.core.context import Context
from deliverables.documents.measured import by_rule, days, pct
from deliverables.documents.words.data import fill
from deliverables.documents.words.grammar import and_list, capital, count, possessive, verb

CHART_WIDTH_CM = 16.0
SHRINK = 0.75
"""A chart shrinks to this share of its height to stay on the page of its heading, rather
than leave the rest of that page empty."""
NEAR_EMPTY = 0.3
"""A last page filled less than this share starts earlier, at a section's heading."""
MISUSE_VALUES = 5
"""Values a misuse pattern's row names before counting the rest."""
CM = 28.35
"""Points in a centimetre."""


def _height(bars: int) -> float:
    """Chart height on the page: enough for every bar's label to stay readable."""
    return min(19.0, 3.0 + 0.62 * bars)


def _chart(w: Writer, parts: list[tuple[bytes, int]], name: str) -> None:
    """A chart right below the paragraph before it, sized to the room left on the page when
    shrinking it by up to SHRINK fits it there; else at its own height on the next page, the
    paragraph before it (its heading or introduction) going with it. A chart of many bars
    comes in parts (`charts.pictures`), each a picture with its number of bars."""
    for i, (data, bars) in enumerate(parts):
        wanted = _height(bars)
        room = (pages.room_left(w.doc) - ROOM_SLACK) / CM
        height = wanted if room >= wanted or room < wanted * SHRINK else room
        if not i:
            w.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        w.picture(w.para(""), data, name if not i else name.replace(".", f"-{i + 1}.", 1), height, CHART_WIDTH_CM)


ROOM_SLACK = 24.0
"""Points kept free below a chart sized to the room left: the estimate of the text above it
is a few lines off either way."""


def write(
    view: dict[str, Any], ctx: Context, funnel_png: list[tuple[bytes, int]], time_png: list[tuple[bytes, int]]
) -> bytes:
    """The audit's bytes, built on the theme's base.docx or the built-in one."""
    w = writer(ctx, STYLES, view["title"])
    note = fill(view["words"]["cover_note"], as_of=view["as_of"])
    cover(w, view["title"], view["client"], view["meta"], view["state"], note)
    _scope(w, view)
    _funnel(w, view, funnel_png, time_png)
    _values(w, view)
    _misuse(w, view)
    _quality(w, view)
    _recommendations(w, view)
    headings = [p for p in w.doc.paragraphs if p.style.name.startswith("Heading")]
    pages.no_lonely_last_page(w.doc, headings, NEAR_EMPTY)
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
    words = view["words"]["scope"]
    w.heading(words["heading"], 1)
    sources = view["sources"]
    exports, records = count(len(sources), "export"), count(view["records_total"], "record")
    w.para(
        fill(words["lead"], exports=exports, client=possessive(view["client"]), as_of=view["as_of"], records=records)
    )
    table = w.table(words["columns"], [4, 1.6, 2.6, 1.2, 1.4])
    for s in sources:
        records = f"{s['records']:,}"
        if s["duplicates"]:
            records = fill(words["removed"], records=records, duplicates=count(s["duplicates"], "duplicate"))
        _cells(w, table, [s["path"], s["object"], s["format"], f"{s['rows']:,}", records])


def _funnel(
    w: Writer, view: dict[str, Any], funnel_png: list[tuple[bytes, int]], time_png: list[tuple[bytes, int]]
) -> None:
    words = view["words"]["funnel"]
    w.heading(words["heading"], 1)
    w.para(fill(words["lead"]))
    _chart(w, funnel_png, "funnel.png")
    table = w.table(words["columns"], [3.4, 1.2, 1.2, 2.2, 1.3, 1.2, 1.1])
    for row in view["funnel"]:
        stage = row["stage"]
        onward = fill(words["onward"], rate=pct(row["rate"]), next=row["next"]) if row["next"] else "—"
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
    w.para([(fill(words["outcomes"]), "Muted")])
    w.heading(words["time_heading"], 2)
    _chart(w, time_png, "time-in-stage.png")


def _values(w: Writer, view: dict[str, Any]) -> None:
    words = view["words"]["values"]
    w.heading(words["heading"], 1)
    w.para(fill(words["lead"]))
    for block in view["domains"]:
        w.heading(block["domain"], 2)
        table = w.table(words["columns"], [3.6, 4.6, 1.6])
        for row in block["rows"]:
            stage = row["stage"]
            values = [fill(words["found"], value=v["value"], records=f"{v['records']:,}") for v in row["values"]]
            found = "; ".join(values) or words["none_found"]
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
                    [("Table Text", [(words["no_stage"], "Muted")])],
                    [("Table Text", [(value["value"], "Strong")])],
                    [("Table Text", f"{value['records']:,}")],
                ],
            )
    if view["unmapped"]:
        w.heading(words["unmapped_heading"], 2)
        held = count(sum(u["records"] for u in view["unmapped"]), "record")
        w.para(fill(words["unmapped_lead"], records=held))
        fields = {1: [u["object"] for u in view["unmapped"]], 2: [u["field"] for u in view["unmapped"]]}
        table = w.table(words["unmapped_columns"], [4, 2, 2.6, 1.4], fields)
        for u in view["unmapped"]:
            _cells(w, table, [u["value"], u["object"], u["field"], f"{u['records']:,}"])


def _misuse(w: Writer, view: dict[str, Any]) -> None:
    words = view["words"]["misuse"]
    w.heading(words["heading"], 1)
    if not view["misuse"]:
        w.para(fill(words["none"]))
        return
    w.para(fill(words["lead"]))
    table = w.table(words["columns"], [2.4, 1.2, 3.4, 3.4])
    for group in by_rule(view["misuse"]):
        values = [
            v["value"] if len(group["values"]) == 1 else f"{v['value']} ({v['records']:,})" for v in group["values"]
        ]
        if len(values) > MISUSE_VALUES:
            values = values[:MISUSE_VALUES] + [count(len(values) - MISUSE_VALUES, "more", "more")]
        _cells(w, table, [and_list(values), f"{group['records']:,}", group["rule"], capital(group["fix"])])


def _quality(w: Writer, view: dict[str, Any]) -> None:
    words = view["words"]["quality"]
    w.heading(words["heading"], 1)
    q = view["quality"]
    undated, future = q["records_without_dates"], q["future_dates"]
    items = [
        fill(words["undated"], records=count(undated, "record"), carry=verb(undated, "carries", "carry")),
        fill(words["future"], dates=count(future, "entry date"), lie=verb(future, "lies", "lie")),
        fill(words["disorder"], records=count(q["out_of_order"], "record")),
    ]
    duplicates = sum(s["duplicates"] for s in view["sources"])
    if duplicates:
        repeat = verb(duplicates, "repeats", "repeat")
        items.append(fill(words["duplicates"], rows=count(duplicates, "duplicate row"), repeat=repeat))
    w.bullets(items)


def _recommendations(w: Writer, view: dict[str, Any]) -> None:
    words = view["words"]["recommendations"]
    w.heading(words["heading"], 1)
    if not view["recommendations"]:
        w.para(fill(words["none"]))
        return
    w.bullets(view["recommendations"])
