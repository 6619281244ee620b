"""The diagram's legend: sample boxes and lines for every mark, then the numbered hand-off conditions.

It sits under the last lane, as wide as the lanes. Conditions are listed in
columns, each under its number as drawn on the hand-off, shortened to two
lines with the full text in the tooltip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from deliverables.backends import text as measure
from deliverables.backends.graphviz import boxes
from deliverables.backends.graphviz import grid as gridlib
from deliverables.core import marks

NOTE = 9.0
"""Font size of legend text."""
NOTE_LINE = NOTE * 1.25
HEADING = 12.0
COLUMN = 330.0
"""Width of one column of hand-off conditions."""
NUMBER_TEXT = "hand-off number: its condition is listed below"
SAMPLES = {
    "golden": {"name": f"Golden stage {marks.GOLDEN}", "golden": True, "assumed": False},
    "assumed": {"name": "Assumed stage", "golden": False, "assumed": True},
    "confirmed": {"name": "Confirmed stage", "golden": False, "assumed": False},
}


@dataclass
class Legend:
    """Positions of everything in the legend (top-down points)."""

    frame: gridlib.Rect
    boxes: list[tuple[str, dict[str, Any], list[tuple[str, str]], gridlib.Rect]] = field(default_factory=list)
    lines: list[tuple[str, str, gridlib.Rect]] = field(default_factory=list)
    texts: list[tuple[str, list[str], str, gridlib.Rect]] = field(default_factory=list)
    badges: list[tuple[int, float, float, str]] = field(default_factory=list)

    @property
    def bottom(self) -> float:
        return self.frame.bottom

    @property
    def width(self) -> float:
        return self.frame.right


def natural_width(view: dict[str, Any]) -> float:
    """The narrowest the legend can be: its sample boxes and sample lines side by side."""
    boxes = sum(item["kind"] in SAMPLES for item in view["legend"]) * (gridlib.BOX_WIDTH + 14)
    texts = [item["text"] for item in view["legend"] if item["kind"] not in SAMPLES] + [NUMBER_TEXT]
    return 24 + boxes + 44 + max(measure.text_width(text, NOTE) for text in texts) + 8


def lay_out(view: dict[str, Any], width: float, top: float, left: float = gridlib.GUTTER_CLEAR) -> Legend:
    """Where the legend's parts go, for lanes `width` wide from `left`, ending at `top`."""
    x, y = left + 12, top + 26
    legend = Legend(gridlib.Rect(left, top + 4, width, 0))
    legend.texts.append(("legend_title", ["Legend"], "legendhead", _heading(x, top + 8, "Legend")))
    tallest = 0.0
    for i, item in enumerate(view["legend"]):
        if item["kind"] not in SAMPLES:
            continue
        sample = SAMPLES[item["kind"]]
        lines = [(sample["name"], "name")] + [
            (t, "note")
            for t in measure.wrap_words(item["text"].split(": ", 1)[-1], boxes.TEXT_WIDTH, NOTE, max_lines=2)
        ]
        if sample["assumed"]:
            lines.append((marks.ASSUMED, "tag"))
        rect = gridlib.Rect(x, y, gridlib.BOX_WIDTH, boxes.box_height(lines))
        legend.boxes.append((f"legend{i}", sample, lines, rect))
        x += gridlib.BOX_WIDTH + 14
        tallest = max(tallest, rect.h)
    kinds = [item for item in view["legend"] if item["kind"] not in SAMPLES]
    if view.get("conditions"):
        kinds.append({"kind": "number", "text": NUMBER_TEXT})
    row = y + max(0.0, (tallest - len(kinds) * 16) / 2)
    for item in kinds:
        text_width = measure.text_width(item["text"], NOTE) + 8
        if item["kind"] == "number":
            legend.badges.append((1, x + 18, row + 8, ""))
        else:
            legend.lines.append((f"legend_{item['kind']}", item["kind"], gridlib.Rect(x, row + 8, 36, 0)))
        legend.texts.append(
            (f"legend_{item['kind']}_text", [item["text"]], "note", gridlib.Rect(x + 44, row, text_width, 16))
        )
        row += 16
    bottom = max(y + tallest, row) + 10
    bottom = _conditions(view.get("conditions", []), legend, left + 12, bottom, width - 24)
    legend.frame = gridlib.Rect(left, top + 4, width, bottom - top - 4)
    return legend


def _conditions(conditions: list[dict[str, Any]], legend: Legend, left: float, top: float, width: float) -> float:
    """Numbered conditions in columns filled top to bottom; returns the bottom of the list."""
    if not conditions:
        return top
    legend.texts.append(
        ("legend_conditions", ["Hand-off conditions"], "legendhead", _heading(left, top, "Hand-off conditions"))
    )
    top += 20
    columns = max(1, int(width // COLUMN))
    column_width = width / columns
    per_column = -(-len(conditions) // columns)
    bottom = top
    for k, item in enumerate(conditions):
        column, place = divmod(k, per_column)
        if place == 0:
            y = top
        x = left + column * column_width
        lines = measure.wrap_words(item["text"], column_width - 30, NOTE, max_lines=2)
        height = len(lines) * NOTE_LINE + 4
        legend.badges.append((item["number"], x + 7, y + 7, item.get("full", "")))
        legend.texts.append(
            (f"condition{item['number']}", lines, "note", gridlib.Rect(x + 18, y, column_width - 24, height))
        )
        y += height + 4
        bottom = max(bottom, y)
    return bottom + 6


def _heading(x: float, y: float, text: str) -> gridlib.Rect:
    """A heading's box exactly as wide as its text: the styling step left-aligns it on that width."""

    return gridlib.Rect(x, y, measure.text_width(boxes.padded([text], HEADING)[0], HEADING), 16)


def draw(graph: Any, legend: Legend, flip: Any, styles: dict[str, list[str]]) -> None:
    """Add the legend's nodes and sample edges to the DOT graph."""
    with graph.subgraph(name="cluster_legend") as inner:
        inner.attr(bb=flip.box(legend.frame), style="rounded", color=f"#{marks.MUTED}", label="")
        _draw_parts(inner, legend, flip, styles)


def _draw_parts(graph: Any, legend: Legend, flip: Any, styles: dict[str, list[str]]) -> None:

    for node_id, sample, lines, rect in legend.boxes:
        styles[node_id] = [style for _, style in lines]
        graph.node(node_id, boxes.label([t for t, _ in lines]), **boxes.box_attrs(sample, rect, flip))
    for node_id, kind, rect in legend.lines:
        for end, x in (("a", rect.x), ("b", rect.right)):
            graph.node(f"{node_id}{end}", "", shape="point", width="0.01", style="invis", pos=flip.pos(x, rect.y))
        points = [(rect.x, rect.y), (rect.right, rect.y)]
        graph.edge(f"{node_id}a", f"{node_id}b", pos=flip.spline(points), arrowsize="0.7", **boxes.EDGE_STYLES[kind])
    for node_id, lines, style, rect in legend.texts:
        styles[node_id] = [style] * len(lines)
        size = f"{HEADING:g}" if style == "legendhead" else f"{NOTE:g}"
        text = boxes.bold_label(lines, HEADING) if style == "legendhead" else boxes.left_label(lines)
        graph.node(
            node_id,
            text,
            shape="plaintext",
            fontsize=size,
            width=boxes.inches(rect.w),
            height=boxes.inches(rect.h),
            pos=flip.centre(rect),
            margin="0",
        )
    for k, (number, x, y, full) in enumerate(legend.badges):
        attrs = boxes.badge_attrs(number)
        if full:
            attrs["tooltip"] = boxes.label([full])
        graph.node(f"legend_badge{k}", str(number), pos=flip.pos(x, y), **attrs)
