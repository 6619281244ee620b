"""Word layout of the Lifecycle Measurement Framework (python-docx lives here, not in the view)."""

from __future__ import annotations

from typing import Any

from deliverables.backends.word import pages
from deliverables.backends.word.kit import Writer, writer
from deliverables.backends.word.parts import COVER_STYLES, cover, legend, marked
from deliverables.core.context import Context

STYLES = (*COVER_STYLES, "Golden Mark")
NEAR_EMPTY = 0.3
"""A last page filled less than this share starts earlier, at a metric's or section's heading."""


def write(view: dict[str, Any], ctx: Context) -> bytes:
    """The framework's bytes, built on the theme's base.docx or the built-in one; its last
    page never holds only the review rhythm's few rows."""
    w = writer(ctx, STYLES, view["title"])
    cover(w, view["title"], view["client"], view["meta"], view["state"])
    w.heading("How this framework works", 1)
    for text in view["intro"]:
        w.para(text)
    for category in view["categories"]:
        _category(w, category, view["golden_legend"])
    if view["business"]:  # a client without the stages they are computed from has none to show
        w.heading("Business metrics", 1)
    for metric in view["business"]:
        w.heading(metric["title"], 2).paragraph_format.keep_with_next = True
        _about(w, metric["about"])
    if view["business"]:  # the short review rhythm never ends the document alone: the last card goes with it
        _keep_together(w.doc.tables[-1], last=True)
    w.heading("Review rhythm", 1)
    w.para(view["rhythm_intro"]).paragraph_format.keep_with_next = True
    table = w.table(["Cadence", "Reports read"], [1.6, 8])
    for cadence, reports in view["rhythm"]:
        w.row(table, [[("Table Text", [(cadence, "Strong")])], [("Table Text", reports)]])
    _keep_together(table)
    headings = [p for p in w.doc.paragraphs if p.style.name.startswith("Heading")]
    pages.no_lonely_last_page(w.doc, headings, NEAR_EMPTY)
    w.header_footer(view["header"], view["footer"])
    return w.save(view["title"], view["client"], view["author"], view["date"])


def _about(w: Writer, rows: list[tuple[str, str]]) -> None:
    """The metric's card: the question it answers as the header row, then how it is measured."""
    (head, question), rest = rows[0], rows[1:]
    table = w.table([head, question], [2, 7.6])
    for label, text in rest:
        w.row(table, [[("Table Text", [(label, "Strong")])], [("Table Text", text)]])
    _keep_together(table)


def _keep_together(table: Any, last: bool = False) -> None:
    """A short table stays on one page: each row keeps with the next (with `last`, the last
    row too: the table keeps with what follows it)."""
    for row in table.rows if last else table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _category(w: Writer, category: dict[str, Any], golden: str) -> None:
    w.heading(category["title"], 1)
    _about(w, category["about"])
    rows = category["rows"]
    if not rows:
        return
    w.para("").paragraph_format.keep_with_next = True
    if category["key"] == "segmentation":
        table = w.table(["Dimension", "How it is used"], [2.4, 7.2])
        for row in rows:
            w.row(table, [[("Table Text", [(row["measure"], "Strong")])], [("Table Text", row["formula"])]])
        return
    if golden and any(r["golden"] for r in rows):
        legend(w, [golden])
    if category["key"] == "drop-off":
        table = w.table(["Stage", "Rate", "Reasons recorded", "Target", "Baseline"], [1.6, 2.8, 3, 1.2, 1.2])
        for row in rows:
            reasons = (
                [("Table Bullet", r) for r in row["reasons"]]
                if isinstance(row["reasons"], list)
                else _cell(row["reasons"])
            )
            w.row(
                table,
                [_strong(row["measure"]), _cell(row["formula"]), reasons, _cell(row["target"]), _cell(row["baseline"])],
            )
        return
    table = w.table(  # the CRM field column holds API names: they never wrap, the column widens to fit
        ["Measure", "Formula", "CRM field", "Owner", "Target", "Baseline"],
        [1.7, 1.6, 3.4, 1.3, 1.05, 1.05],
        {2: [row["field"] for row in rows]},
    )
    for row in rows:
        cells = [_strong(row["measure"]), _cell(row["formula"]), _cell(row["field"]), _cell(row["owner"])]
        w.row(table, cells + [_cell(row["target"]), _cell(row["baseline"])])


def _cell(text: str) -> list[tuple[str, Any]]:
    return [("Table Text", marked(text))]


def _strong(text: str) -> list[tuple[str, Any]]:
    return [("Table Text", [(part, style or "Strong") for part, style in marked(text)])]
