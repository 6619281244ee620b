"""DOT source of the Lifecycle Architecture Diagram: every position pinned, drawn by Graphviz's `nop2`.

The swimlane grid (`grid.py`) places lanes, stage boxes and edge routes; this
module adds the title, the lane title cells, the hand-off numbers and the
legend, and writes it all as DOT with `pos` on every node and edge. Graphviz
then only draws: shapes, text, arrowheads, tooltips. The DOT is the reviewable
snapshot of the layout.

Safety: client text appears only in labels and tooltips, never in node ids
(n0, n1, ...), and every label is escaped (`\\` doubled, never read as an
HTML-like label). Box sizes are computed from the bundled DejaVu fonts, not
Graphviz's estimate.
"""

from __future__ import annotations

import math
from typing import Any

from deliverables.backends import text as measure
from deliverables.backends.graphviz import grid as gridlib
from deliverables.backends.graphviz import legend as legendlib
from deliverables.backends.graphviz.boxes import (
    EDGE_STYLES,
    FONT,
    SIZE,
    badge_attrs,
    bold_label,
    box_attrs,
    box_height,
    inches,
    label,
    padded,
    stage_lines,
)
from deliverables.core import marks

MARGIN = 14.0
TITLE_HEIGHT = 52.0
PAGE_SHAPE = 736.0 / 556.0
"""Width over height of the printable landscape page: small diagrams are widened to it."""
MAX_GAP = 150.0
"""Widest space between columns when a small diagram is widened to the page's shape."""
LANE_SIZE = 13.0
"""Font size of lane titles."""
HEADER_PAD = 8.0
MAX_HEADER = 140.0


def dot_source(view: dict[str, Any]) -> str:
    """The DOT text for a diagram view."""
    return build(view)[0]


def layout(view: dict[str, Any]) -> tuple[gridlib.Grid, legendlib.Legend]:
    """The grid and the legend of a view, the grid widened until the whole picture has the page's shape."""
    lines = {node["id"]: stage_lines(node) for node in view["nodes"]}
    heights = {n: box_height(found) for n, found in lines.items()}
    rows = [lane["rows"] for lane in view["lanes"]]
    pairs = [(e["tail"], e["head"]) for e in view["edges"]]
    narrowest = legendlib.natural_width(view)
    header = header_width(view)
    grid = gridlib.lay_out(rows, heights, pairs, top=TITLE_HEIGHT, min_width=narrowest, header_width=header)
    legend = legendlib.lay_out(view, grid.lanes[0].w if grid.lanes else narrowest, grid.height, _left(grid))
    wanted = (legend.bottom + MARGIN) * PAGE_SHAPE - (grid.width - grid.lanes[0].w if grid.lanes else 0)
    if grid.lanes and wanted > grid.lanes[0].w:
        columns = max(len(row) for lane in rows for row in lane)
        widest = grid.lanes[0].w + (MAX_GAP - grid.gap) * (columns + 1)
        grid = gridlib.lay_out(
            rows, heights, pairs, top=TITLE_HEIGHT, min_width=max(narrowest, min(wanted, widest)), header_width=header
        )
        legend = legendlib.lay_out(view, grid.lanes[0].w, grid.height, _left(grid))
    return grid, legend


def header_width(view: dict[str, Any]) -> float:
    """Lane title cells wide enough for the longest title on one line, within limits (longer ones wrap)."""
    widest = max((measure.text_width(lane["title"], LANE_SIZE, bold=True) for lane in view["lanes"]), default=0.0)
    return min(MAX_HEADER, max(gridlib.HEADER_WIDTH, widest + 2 * HEADER_PAD))


def build(view: dict[str, Any]) -> tuple[str, dict[str, list[str]]]:
    """DOT text and, per node id, the style of each label line (name, owner, tag, note).

    Any subset of the view's lanes can be drawn alone (a page of a long
    diagram): edges leaving the lanes drawn are left out.
    """
    import graphviz

    grid, legend = layout(view)
    width = max(grid.width, legend.width) + 2 * MARGIN
    height = legend.bottom + 2 * MARGIN
    flip = _Flip(height)
    graph = graphviz.Digraph("lifecycle", graph_attr=_graph_attr(width, height), node_attr=_node_attr())
    styles: dict[str, list[str]] = {}
    # Graphviz fits the picture to what it draws: an invisible canvas keeps the margins.
    graph.node("canvas", "", style="invis", width=inches(width), height=inches(height), pos=flip.canvas(width, height))
    _title(graph, view, flip, styles, _left(grid), width - 2 * MARGIN - _left(grid))
    nodes = {node["id"]: node for node in view["nodes"]}
    for number, (lane, rect, header) in enumerate(zip(view["lanes"], grid.lanes, grid.headers)):
        members = [nodes[n] for row in lane["rows"] for n in row]
        drawn = {**lane, "nodes": members, "boxes": grid.boxes}
        _lane(graph, number, drawn, rect, header, flip, styles)
    # Routes exist only for edges with both ends in the view's lanes (a page of a larger diagram).
    edges = {(e["tail"], e["head"]): e for e in view["edges"]}
    drawn = [(edges[(route.tail, route.head)], route) for route in grid.routes]
    for edge, route in drawn:
        graph.edge(edge["tail"], edge["head"], pos=flip.spline(route.points), **_edge_attr(edge))
    for edge, route in drawn:
        if edge.get("number"):
            _badge(graph, f"badge{edge['number']}", edge["number"], route, flip, edge)
    legendlib.draw(graph, legend, flip, styles)
    return graph.source, styles


class _Flip:
    """Top-down points to Graphviz's bottom-up coordinates."""

    def __init__(self, height: float):
        self.height = height - MARGIN

    def pos(self, x: float, y: float) -> str:
        return f"{x + MARGIN:.1f},{self.height - y:.1f}!"

    def centre(self, rect: gridlib.Rect) -> str:
        return self.pos(rect.x + rect.w / 2, rect.y + rect.h / 2)

    def box(self, rect: gridlib.Rect) -> str:
        """A rectangle as a Graphviz `bb`: lower left and upper right corners."""
        return f"{rect.x + MARGIN:.1f},{self.height - rect.bottom:.1f},{rect.right + MARGIN:.1f},{self.height - rect.y:.1f}"

    def canvas(self, width: float, height: float) -> str:
        return f"{width / 2:.1f},{height / 2:.1f}!"

    def spline(self, points: list[tuple[float, float]]) -> str:
        """A straight-segment B-spline ending short of the last point, which the arrowhead reaches."""
        *body, (tip_x, tip_y) = points
        (x, y) = body[-1]
        length = math.hypot(tip_x - x, tip_y - y) or 1.0
        shorten = min(gridlib.ARROW, length / 2)
        end = (tip_x - (tip_x - x) * shorten / length, tip_y - (tip_y - y) * shorten / length)
        path = [*body, end]
        spline = [path[0]]
        for a, b in zip(path, path[1:]):
            spline += [a, b, b]
        coords = " ".join(f"{px + MARGIN:.1f},{self.height - py:.1f}" for px, py in spline)
        return f"e,{tip_x + MARGIN:.1f},{self.height - tip_y:.1f} {coords}"


def _graph_attr(width: float, height: float) -> dict[str, str]:
    return {
        "bb": f"0,0,{width:.1f},{height:.1f}",
        "notranslate": "true",
        "outputorder": "edgesfirst",
        "pad": "0",
        "bgcolor": "white",
        "splines": "true",
    }


def _node_attr() -> dict[str, str]:
    return {
        "fontname": FONT,
        "fontsize": f"{SIZE:g}",
        "shape": "box",
        "fixedsize": "true",
        "fontcolor": f"#{marks.INK}",
    }


def _left(grid: gridlib.Grid) -> float:
    """Where the lanes start: the title and the legend line up with them."""
    return grid.lanes[0].x if grid.lanes else gridlib.GUTTER_CLEAR


def _title(
    graph: Any, view: dict[str, Any], flip: _Flip, styles: dict[str, list[str]], left: float, room: float
) -> None:
    """Title and subtitle, left-aligned at the top left, each cut to one line of the picture's width."""
    lines = [_one_line(view["title"], room, 16, True), _one_line(view["subtitle"], room, 11, False)]
    text = bold_label(lines, 16)
    # Graphviz centres each line on the node; the styling step moves it left by half its regular width.
    width = max(measure.text_width(line, 16) for line in padded(lines, 16))
    styles["title"] = ["title", "subtitle"]
    graph.node(
        "title",
        text,
        shape="plaintext",
        fontsize="16",
        width=inches(width),
        height=inches(42),
        pos=flip.pos(left + width / 2, 26),
    )


def _one_line(text: str, room: float, size: float, bold: bool) -> str:
    """The text, or as much of it as fits one line of `room` points with an ellipsis (a very long client name).

    A title `client · what it is` is shortened in the client's name, word by word, so that
    what the picture is stays whole ('Weiß & Großmann … · Lifecycle Architecture v1')."""
    if measure.text_width(text, size, bold) <= room:
        return text
    head, sep, rest = text.partition(" · ")
    words = head.split()[:-1]
    while sep and words:
        shortened = f"{' '.join(words).rstrip(',;:–—- ')} … · {rest}"
        if measure.text_width(shortened, size, bold) <= room:
            return shortened
        words.pop()
    return measure.wrap_words(text, room, size, bold, max_lines=1)[0]


def _lane(
    graph: Any,
    number: int,
    lane: dict[str, Any],
    rect: gridlib.Rect,
    header: gridlib.Rect,
    flip: _Flip,
    styles: dict[str, list[str]],
) -> Any:
    """The lane as a pinned cluster (its background) holding its title cell; returns the cluster to fill."""
    colour = f"#{lane['colour']}"
    cluster = graph.subgraph(name=f"cluster_{number}")
    with cluster as inner:
        inner.attr(bb=flip.box(rect), style="filled", fillcolor=colour, color=colour, label="")
        lines = measure.wrap_words(lane["title"], header.w - 2 * HEADER_PAD, LANE_SIZE, bold=True, max_lines=3)
        styles[f"head{number}"] = ["head"] * len(lines)
        inner.node(
            f"head{number}",
            bold_label(lines, LANE_SIZE),
            style="filled",
            fillcolor=f"#{_darker(lane['colour'])}",
            color=f"#{_darker(lane['colour'])}",
            fontsize=f"{LANE_SIZE:g}",
            width=inches(header.w),
            height=inches(header.h),
            pos=flip.centre(header),
        )
        for node in lane["nodes"]:
            lines = stage_lines(node)
            styles[node["id"]] = [style for _, style in lines]
            inner.node(
                node["id"], label([text for text, _ in lines]), **box_attrs(node, lane["boxes"][node["id"]], flip)
            )


def _edge_attr(edge: dict[str, Any]) -> dict[str, str]:
    attrs = dict(EDGE_STYLES[edge["kind"]], arrowsize="0.7")
    if edge.get("tooltip") or edge.get("when"):
        attrs["tooltip"] = label([edge.get("tooltip") or edge["when"]])
    return attrs


def _badge(graph: Any, node_id: str, number: int, route: gridlib.Route, flip: _Flip, edge: dict[str, Any]) -> None:
    """The hand-off's number on its first run, just outside the source box."""
    (x0, y0), (_, y1) = route.points[0], route.points[1]
    step = gridlib.CLEAR / 2 + 1
    y = y0 + step if y1 > y0 else y0 - step
    attrs = badge_attrs(number)
    if edge.get("tooltip") or edge.get("when"):
        attrs["tooltip"] = label([edge.get("tooltip") or edge["when"]])
    graph.node(node_id, str(number), pos=flip.pos(x0, y), **attrs)


def _darker(colour: str, amount: float = 0.08) -> str:
    """A lane colour a little darker, for its title cell."""
    channels = [int(colour[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c * (1 - amount)):02X}" for c in channels)
