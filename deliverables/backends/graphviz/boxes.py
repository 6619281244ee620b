"""How one box, label, edge and hand-off number of the diagram looks in DOT.

Shared by the swimlanes (`dot.py`) and the legend (`legend.py`): sizes come
from the bundled DejaVu fonts, and every label is escaped (`\\` doubled,
never read as an HTML-like label).
"""

from __future__ import annotations

import math
from typing import Any

from deliverables.backends import text as measure
from deliverables.backends.graphviz import grid as gridlib
from deliverables.core import marks

PAD_CHAR = " "
"""Pads labels drawn bold; Graphviz measures trailing spaces exactly like DejaVu (a no-break space it does not)."""
FONT = "DejaVu Sans"
SIZE = 11.0
"""Font size in points of every label line in the DOT source (styles shrink some lines later)."""
LINE = SIZE * 1.2
TEXT_WIDTH = 150.0
"""Width in points available to a stage name inside its box."""
PAD = (9.0, 7.0)
STYLE_SIZES = {"name": SIZE, "owner": 9.0, "tag": 8.5, "note": 9.0}
EDGE_STYLES = {
    "flow": {"color": f"#{marks.INK}", "penwidth": "1.2"},
    "handoff": {"color": f"#{marks.ACCENT}", "penwidth": "2.2"},
    "back": {"color": f"#{marks.MUTED}", "penwidth": "1.2", "style": "dashed"},
}
BADGE = 13.0
"""Diameter of a hand-off number."""


def stage_lines(node: dict[str, Any]) -> list[tuple[str, str]]:
    """(text, style) per line of a stage box: the wrapped name, the owner, the ASSUMED tag."""
    lines = [(text, "name") for text in measure.wrap_words(node["name"], TEXT_WIDTH, SIZE, bold=True, max_lines=4)]
    lines += [
        (text, "owner") for text in measure.wrap_words(node["owner"], TEXT_WIDTH, STYLE_SIZES["owner"], max_lines=2)
    ]
    if node["assumed"]:
        lines.append((marks.ASSUMED, "tag"))
    return lines


def box_height(lines: list[tuple[str, str]]) -> float:
    """Height in points of a box holding these label lines."""
    return len(lines) * LINE + 2 * PAD[1]


def label(lines: list[str]) -> str:
    """A safe DOT label: lines joined by DOT line breaks, never HTML-like.

    Backslashes are doubled (no `\\n`, `\\l`, `\\N` escapes) and `&` becomes `&amp;`
    (Graphviz decodes entities such as `&amp;` in every label); quotes are
    escaped by the `graphviz` package.
    """
    import graphviz

    return graphviz.nohtml("\\n".join(_escape(line) for line in lines))


def left_label(lines: list[str]) -> str:
    """A safe DOT label whose lines are left-justified in their node."""
    import graphviz

    return graphviz.nohtml("".join(_escape(line) + "\\l" for line in lines))


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("&", "&amp;")


def bold_label(lines: list[str], size: float) -> str:
    """A label drawn bold later: padded with trailing spaces so Graphviz reserves the bold width."""
    return label(padded(lines, size))


def padded(lines: list[str], size: float) -> list[str]:
    """Lines with the trailing spaces that make their regular width as wide as their bold width."""
    space = measure.text_width(PAD_CHAR, size)
    return [
        line + PAD_CHAR * math.ceil((measure.text_width(line, size, True) - measure.text_width(line, size)) / space)
        for line in lines
    ]


def inches(points: float) -> str:
    """Graphviz's node sizes are inches."""
    return f"{points / 72:.4f}"


def box_attrs(node: dict[str, Any], rect: gridlib.Rect, flip: Any) -> dict[str, str]:
    """Size, place and look of a stage box: golden colours, dashed amber border when ASSUMED."""
    attrs = {
        "width": inches(rect.w),
        "height": inches(rect.h),
        "pos": flip.centre(rect),
        "style": "rounded,filled",
        "fillcolor": "#FFFFFF",
        "color": f"#{marks.INK}",
        "penwidth": "1.2",
    }
    if node["assumed"]:
        attrs.update(
            style="rounded,filled,dashed",
            fillcolor=f"#{marks.ASSUMED_FILL}",
            color=f"#{marks.ASSUMED_COLOUR}",
            penwidth="1.6",
        )
    if node["golden"]:
        attrs.update(fillcolor=f"#{marks.GOLDEN_FILL}", penwidth="3")
        if not node["assumed"]:
            attrs["color"] = f"#{marks.GOLDEN_LINE}"
    if node.get("tooltip"):
        attrs["tooltip"] = label([node["tooltip"]])
    return attrs


def badge_attrs(number: int) -> dict[str, str]:
    """Look of a hand-off number (also drawn in the legend)."""
    return {
        "shape": "circle",
        "width": inches(BADGE),
        "height": inches(BADGE),
        "style": "filled",
        "fillcolor": f"#{marks.ACCENT}",
        "color": "#FFFFFF",
        "penwidth": "1",
        "fontcolor": "#FFFFFF",
        "fontsize": "7.5" if number >= 10 else "8",
    }
