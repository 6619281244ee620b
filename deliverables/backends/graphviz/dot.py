"""DOT source of the Lifecycle Architecture Diagram, built with the `graphviz` package.

Layout scaffold: every row of a lane is one rank (`rank=same`); invisible,
heavy edges stack the rows top to bottom and align columns, so lanes come out
as a grid that reads left to right. Real edges that would bend this grid
(hand-offs, back-edges, the jump from the end of one row to the next) carry
`constraint=false`.

Safety: client text appears only in labels, never in node ids (n0, n1, ...),
and every label is escaped (`\\` doubled, never read as an HTML-like label).
Box sizes are computed from the bundled DejaVu fonts, not Graphviz's estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from deliverables.backends import text as measure
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
    "handoff": {"color": f"#{marks.ACCENT}", "penwidth": "2.4"},
    "back": {"color": f"#{marks.MUTED}", "penwidth": "1.1", "style": "dashed"},
}


def dot_source(view: dict[str, Any]) -> str:
    """The DOT text for a diagram view."""
    return build(view)[0]


@dataclass
class _Parts:
    """What the DOT builder looks up while it writes: boxes, their lines and heights, edges by end points."""

    view: dict[str, Any]
    styles: dict[str, list[str]] = field(default_factory=lambda: {"lifecycle": ["title", "subtitle"]})
    drawn: set[tuple[str, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.nodes = {node["id"]: node for node in self.view["nodes"]}
        self.lines = {node["id"]: _stage_lines(node) for node in self.view["nodes"]}
        self.heights = {n: max(_height(self.lines[m]) for m in line) for line in rank_lines(self.view) for n in line}
        self.edges = {(e["tail"], e["head"]): e for e in self.view["edges"]}


def build(view: dict[str, Any]) -> tuple[str, dict[str, list[str]]]:
    """DOT text and, per node id, the style of each label line (name, owner, tag, note)."""
    import graphviz

    graph = graphviz.Digraph(
        "lifecycle", graph_attr=_graph_attr(view), node_attr=_node_attr(), edge_attr={"arrowsize": "0.7"}
    )
    parts = _Parts(view)
    for number, lane in enumerate(view["lanes"]):
        with graph.subgraph(name=f"cluster_{number}") as cluster:
            _lane_attrs(cluster, lane)
            for row in lane["rows"]:
                _row(cluster, row, parts)
    _scaffold(graph, view)
    for pair, edge in parts.edges.items():
        if pair not in parts.drawn:
            graph.edge(edge["tail"], edge["head"], constraint="false", **_edge_attr(edge))
    _legend(graph, view, min(parts.heights.values(), default=_height([("", "name")] * 3)), parts.styles)
    return graph.source, parts.styles


def rank_lines(view: dict[str, Any]) -> list[list[str]]:
    """Node ids of each horizontal line of boxes, top to bottom: row r of every lane in a band."""
    lines = []
    for band in view["bands"]:
        lanes = [view["lanes"][i]["rows"] for i in band]
        for r in range(max(len(rows) for rows in lanes)):
            lines.append([node for rows in lanes if r < len(rows) for node in rows[r]])
    return lines


def _graph_attr(view: dict[str, Any]) -> dict[str, str]:
    return {
        "label": bold_label([view["title"], view["subtitle"]], 16),
        "labelloc": "t",
        "labeljust": "l",
        "fontname": FONT,
        "fontsize": "16",
        "newrank": "true",
        "nodesep": "0.28",
        "ranksep": "0.42",
        "outputorder": "edgesfirst",
        "pad": "0.2",
        "bgcolor": "white",
    }


def _node_attr() -> dict[str, str]:
    return {
        "fontname": FONT,
        "fontsize": f"{SIZE:g}",
        "shape": "box",
        "fixedsize": "true",
        "fontcolor": f"#{marks.INK}",
    }


def label(lines: list[str]) -> str:
    """A safe DOT label: lines joined by DOT line breaks, never HTML-like.

    Backslashes are doubled (no `\\n`, `\\l`, `\\N` escapes) and `&` becomes `&amp;`
    (Graphviz decodes entities such as `&amp;` in every label); quotes are
    escaped by the `graphviz` package.
    """
    import graphviz

    return graphviz.nohtml("\\n".join(line.replace("\\", "\\\\").replace("&", "&amp;") for line in lines))


def bold_label(lines: list[str], size: float) -> str:
    """A label drawn bold later: padded with trailing spaces so Graphviz reserves the bold width."""
    space = measure.text_width(PAD_CHAR, size)
    padded = [
        line + PAD_CHAR * math.ceil((measure.text_width(line, size, True) - measure.text_width(line, size)) / space)
        for line in lines
    ]
    return label(padded)


def _stage_lines(node: dict[str, Any]) -> list[tuple[str, str]]:
    """(text, style) per line of a stage box: the wrapped name, the owner, the ASSUMED tag."""
    lines = [(text, "name") for text in measure.wrap_words(node["name"], TEXT_WIDTH, SIZE, bold=True, max_lines=4)]
    lines += [
        (text, "owner") for text in measure.wrap_words(node["owner"], TEXT_WIDTH, STYLE_SIZES["owner"], max_lines=2)
    ]
    if node["assumed"]:
        lines.append((marks.ASSUMED, "tag"))
    return lines


def _height(lines: list[tuple[str, str]]) -> float:
    return len(lines) * LINE + 2 * PAD[1]


def _lane_attrs(cluster: Any, lane: dict[str, Any]) -> None:
    cluster.attr(
        label=bold_label([lane["title"]], 14),
        labeljust="l",
        fontsize="14",
        style="filled,rounded",
        fillcolor=f"#{lane['colour']}",
        color=f"#{lane['colour']}",
        margin="12",
    )


def _row(cluster: Any, row: list[str], parts: _Parts) -> None:
    """One rank of stage boxes; consecutive boxes joined by their flow edge, or an invisible one."""
    with cluster.subgraph() as rank:
        rank.attr(rank="same")
        for node_id in row:
            lines = parts.lines[node_id]
            parts.styles[node_id] = [style for _, style in lines]
            rank.node(node_id, label([text for text, _ in lines]), **_box(parts.nodes[node_id], parts.heights[node_id]))
        for tail, head in zip(row, row[1:]):
            edge = parts.edges.get((tail, head))
            if edge is None:
                rank.edge(tail, head, style="invis", weight="5")
            else:
                parts.drawn.add((tail, head))
                rank.edge(tail, head, **_edge_attr(edge))


def _box(node: dict[str, Any], height: float) -> dict[str, str]:
    """Size and look of a stage box: golden colours, dashed amber border when ASSUMED."""
    attrs = {
        "width": _inches(TEXT_WIDTH + 2 * PAD[0]),
        "height": _inches(height),
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


def _inches(points: float) -> str:
    return f"{points / 72:.4f}"


def _edge_attr(edge: dict[str, Any]) -> dict[str, str]:
    attrs = dict(EDGE_STYLES[edge["kind"]])
    if edge.get("when"):
        attrs["tooltip"] = label([edge["when"]])
    return attrs


def _scaffold(graph: Any, view: dict[str, Any]) -> None:
    """Invisible heavy edges stacking every line of boxes under the previous one, columns aligned.

    Lanes sharing a band get their rows put on one rank and ordered left to right.
    """
    lines = rank_lines(view)
    for upper, lower in zip(lines, lines[1:]):
        for column, (top, bottom) in enumerate(zip(upper, lower)):
            graph.edge(top, bottom, style="invis", weight="100" if column == 0 else "10")
    for band in view["bands"][:]:
        lanes = [view["lanes"][i]["rows"][0] for i in band]
        if len(lanes) > 1:
            with graph.subgraph() as rank:
                rank.attr(rank="same")
                for row in lanes:
                    rank.node(row[0])
            for left, right in zip(lanes, lanes[1:]):
                graph.edge(left[-1], right[0], style="invis", weight="10")


def _legend(graph: Any, view: dict[str, Any], height: float, styles: dict[str, list[str]]) -> None:
    """A lane of sample boxes and sample edges explaining every mark, under the last lane."""
    samples = {
        "golden": {"name": f"Golden stage {marks.GOLDEN}", "golden": True, "assumed": False},
        "assumed": {"name": "Assumed stage", "golden": False, "assumed": True},
        "confirmed": {"name": "Confirmed stage", "golden": False, "assumed": False},
    }
    order: list[str] = []
    with graph.subgraph(name="cluster_legend") as legend:
        legend.attr(label="Legend", labeljust="l", fontsize="12", style="rounded", color=f"#{marks.MUTED}", margin="10")
        with legend.subgraph() as rank:
            rank.attr(rank="same")
            for i, item in enumerate(view["legend"]):
                if item["kind"] in samples:
                    order.append(_sample_box(rank, f"legend{i}", samples[item["kind"]], item["text"], height, styles))
                else:
                    order.extend(_sample_edge(rank, f"legend{i}", item, styles))
            for tail, head in zip(order, order[1:]):
                if not (tail.endswith("a") and head == tail[:-1] + "b"):
                    rank.edge(tail, head, style="invis")
    lines = rank_lines(view)
    if lines and order:
        graph.edge(lines[-1][0], order[0], style="invis", weight="100")


def _sample_box(
    rank: Any, node_id: str, sample: dict[str, Any], text: str, height: float, styles: dict[str, list[str]]
) -> str:
    explanation = text.split(": ", 1)[-1]
    lines = [(sample["name"], "name")] + [
        (t, "note") for t in measure.wrap_words(explanation, TEXT_WIDTH, STYLE_SIZES["note"], max_lines=2)
    ]
    if sample["assumed"]:
        lines.append((marks.ASSUMED, "tag"))
    styles[node_id] = [style for _, style in lines]
    rank.node(node_id, label([t for t, _ in lines]), **_box(sample, max(height, _height(lines))))
    return node_id


def _sample_edge(rank: Any, node_id: str, item: dict[str, str], styles: dict[str, list[str]]) -> list[str]:
    width = measure.text_width(item["text"], STYLE_SIZES["note"]) + 6
    rank.node(f"{node_id}a", "", shape="point", width="0.06", color=EDGE_STYLES[item["kind"]]["color"])
    rank.node(f"{node_id}b", label([item["text"]]), shape="plaintext", width=_inches(width), height="0.3")
    styles[f"{node_id}b"] = ["note"]
    rank.edge(f"{node_id}a", f"{node_id}b", minlen="2", **EDGE_STYLES[item["kind"]])
    return [f"{node_id}a", f"{node_id}b"]
