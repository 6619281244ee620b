"""Word layout of the Hypercare Plan (python-docx lives here, not in the view)."""

from __future__ import annotations

from typing import Any

from deliverables.backends.word.kit import Writer, writer
from deliverables.backends.word.parts import COVER_STYLES, cover
from deliverables.core.context import Context


def write(view: dict[str, Any], ctx: Context) -> bytes:
    """The plan's bytes, built on the theme's base.docx or the built-in one."""
    w = writer(ctx, COVER_STYLES, view["title"])
    cover(w, view["title"], view["client"], view["meta"], view["state"])
    w.heading("How hypercare works", 1)
    for text in view["intro"]:
        w.para(text)
    w.heading("Office hours", 1)
    _intro(w, view["hours_intro"])
    _table(w, ["Week", "Date", "Focus"], [2, 2.6, 5], [[r["week"], r["date"], r["focus"]] for r in view["hours"]])
    w.heading("What is watched each week", 1)
    _intro(w, view["watch_intro"])
    rows = [[r["week"], r["check"], r["look"], r["flag"]] for r in view["watch"]]
    _table(w, ["Week", "Check", "What to look at", "Red flag"], [1.3, 1.8, 4.2, 2.4], rows)
    w.heading("Who answers what", 1)
    _intro(w, view["escalation_intro"])
    rows = [[r["issue"], r["who"], r["why"]] for r in view["escalation"]]
    _table(w, ["Question or issue", "Who answers", "How"], [3.6, 2.4, 3.6], rows)
    if view["training"]:
        w.heading("Training sessions", 1)
        _intro(w, view["training_intro"])
        rows = [[r["team"], r["kind"], r["minutes"], r["date"], r["trainer"]] for r in view["training"]]
        _table(w, ["Team", "Session", "Length", "Date", "Trainer"], [2.2, 1.6, 1.4, 2.2, 2.4], rows)
    w.heading("Enablement sign-off", 1)
    _intro(w, view["signoff_intro"])
    checklist = _table(w, ["Item", "Done"], [8.4, 1.2], [[item, "☐"] for item in view["checklist"]])
    # The signatures confirm the checklist: its last row keeps with them, so they never stand alone on a page.
    for cell in checklist.rows[-1].cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
    w.para("").paragraph_format.keep_with_next = True
    _table(w, ["Signed by", "Date", "Signature"], [4, 2.4, 3.2], [[s["name"], s["date"], ""] for s in view["signers"]])
    w.header_footer(view["header"], view["footer"])
    return w.save(view["title"], view["client"], view["author"], view["date"])


def _intro(w: Writer, text: str) -> None:
    w.para(text).paragraph_format.keep_with_next = True


def _table(w: Writer, headers: list[str], weights: list[float], rows: list[list[str]]) -> Any:
    table = w.table(headers, weights)
    for row in rows:
        w.row(table, [[("Table Text", [(row[0], "Strong")])]] + [[("Table Text", cell)] for cell in row[1:]])
    if len(rows) <= 8:  # a short table stays on one page
        for added in table.rows[:-1]:
            for cell in added.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    return table
