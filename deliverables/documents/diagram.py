"""Lifecycle Architecture Diagram (.svg, .png, .pdf and its DOT source .gv).

One lane per domain, stacked top to bottom in the one domain order of every
document, all lanes the same width; stages flow left to right and long lanes
wrap into rows, so the picture suits a landscape page. Edges come from the
exits: the next stage of a domain, hand-offs into another domain (numbered,
their conditions listed in the legend), and returns to a stage already passed,
drawn dashed. The layout itself is `backends/graphviz/grid.py`.

The decks embed the diagram's own PNG: they declare it in their `CONSUMES`.
"""

from __future__ import annotations

import math
from typing import Any

from deliverables.core import marks
from deliverables.core.context import Context
from deliverables.core.dates import shown_date
from deliverables.core.flow import routes_of
from deliverables.core.model import Exit, Project, Stage
from deliverables.documents.words import grammar

NAME = "diagram"
SUFFIXES = (".svg", ".png", ".pdf", ".gv")
CONSUMES = ()
EXTERNAL = ()
DESCRIPTION = "Lifecycle Architecture Diagram: every stage in its domain lane, hand-offs, owners, golden and ASSUMED stages (SVG, PNG, PDF, DOT)."

BOX = (208.0, 95.0)
"""Stage box plus spacing in points (measured on rendered diagrams), used to choose the row length."""
LANE_HEADER = 126.0
"""Width of a lane's title cell and margins."""
LANE_GAP = 30.0
"""Height a lane adds besides its rows (margins, gutter)."""
OVERHEAD = 200.0
"""Title and legend height in points."""
PAGE = (736.0, 556.0)
"""Printable area of a landscape Letter page in points (A4 is wider: it fits too)."""


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes for the project's version."""
    stem = f"lifecycle-architecture-v{project.version}"
    return tuple(f"{stem}{suffix}" for suffix in (".gv", ".pdf", ".png", ".svg"))


def view(project: Project, ctx: Context) -> dict[str, Any]:
    """Lanes with their rows of stages, the classified and numbered edges, title and legend."""
    index = {stage.id: i for i, stage in enumerate(project.stages)}
    lanes = [_lane(project, domain, index) for domain in project.domain_order()]
    row_length = choose_row_length([len(lane["stages"]) for lane in lanes])
    for lane in lanes:
        ids = lane.pop("stages")
        lane["rows"] = [ids[i : i + row_length] for i in range(0, len(ids), row_length)]
    assumed = sum(stage.status == "assumed" for stage in project.stages)
    _font_warnings(project, ctx)
    edges = classify_edges(project)
    return {
        "stem": f"lifecycle-architecture-v{project.version}",
        "title": f"{project.client.name} · Lifecycle Architecture v{project.version}",
        "subtitle": _subtitle(project, ctx, assumed),
        "client": project.client.name,
        "author": project.architect,
        "date": shown_date(project),
        "nodes": [_node(project, stage, i) for i, stage in enumerate(project.stages)],
        "lanes": lanes,
        "edges": edges,
        "conditions": number_handoffs(project, edges),
        "legend": _legend(assumed),
        "page": project.diagram.page,
    }


def _font_warnings(project: Project, ctx: Context) -> None:
    """Warn, at the field, about characters the bundled font cannot draw: never silent empty boxes."""
    from deliverables.backends import text as measure

    texts: list[tuple[tuple[str | int, ...], str]] = [(("client", "name"), project.client.name)]
    texts += [(("domains", k, "name"), decl.name) for k, decl in enumerate(project.domains)]
    for i, stage in enumerate(project.stages):
        texts += [(("stages", i, "name"), stage.name), (("stages", i, "abbr"), stage.abbr or "")]
        texts.append((("stages", i, "owner"), project.owner_name(stage.owner)))
    for path, text in texts:
        lacking = measure.missing(text, bold=True) or measure.missing(text)
        if lacking:
            ctx.warn(
                path, f"the diagram's font cannot draw {lacking!r}; these characters will be missing from the picture"
            )


def _subtitle(project: Project, ctx: Context, assumed: int) -> str:
    status = f"{assumed} ASSUMED" if assumed else "all CONFIRMED"
    return f"{shown_date(project)} · {grammar.count(len(project.stages), 'stage')} · {status}"


def _lane(project: Project, domain: str, index: dict[str, int]) -> dict[str, Any]:
    order = project.domain_order()
    return {
        "domain": domain,
        "title": project.domain_title(domain),
        "colour": marks.domain_colour(domain, order),
        "stages": [f"n{index[stage.id]}" for stage in project.stages_in(domain)],
    }


def _node(project: Project, stage: Stage, i: int) -> dict[str, Any]:
    name = f"{stage.label} {marks.GOLDEN}" if stage.golden else stage.label
    return {
        "id": f"n{i}",
        "stage": stage.id,
        "name": name,
        "owner": project.owner_name(stage.owner) or "owner not set",
        "golden": stage.golden,
        "assumed": stage.status == "assumed",
    }


def classify_edges(project: Project) -> list[dict[str, Any]]:
    """Every exit as an edge: `back` when it returns (closes a cycle, or goes to an earlier stage of
    its domain), else `flow` within a domain and `handoff` across domains."""
    index = {stage.id: i for i, stage in enumerate(project.stages)}
    place = {s.id: (s.domain, k) for d in project.domain_order() for k, s in enumerate(project.stages_in(d))}
    exits = exit_map(project)
    back = back_edges(project, exits)
    edges = []
    for stage in project.flow():
        for exit_ in exits[stage.id]:
            (domain, at), (target_domain, target_at) = place[stage.id], place[exit_.to]
            if (stage.id, exit_.to) in back or (domain == target_domain and target_at <= at):
                kind = "back"
            else:
                kind = "flow" if target_domain == domain else "handoff"
            pair = (f"n{index[stage.id]}", f"n{index[exit_.to]}")
            if all((e["tail"], e["head"]) != pair for e in edges):
                edges.append({"tail": pair[0], "head": pair[1], "kind": kind, "when": exit_.when})
    return edges


def exit_map(project: Project) -> dict[str, tuple[Exit, ...]]:
    """Each stage's exits to existing stages, own or default (`core.flow`)."""
    routes = routes_of(project)
    return {s.id: tuple(e for e in routes.exits(s) if e.to in routes.by_id) for s in project.stages}


def back_edges(project: Project, exits: dict[str, tuple[Exit, ...]]) -> set[tuple[str, str]]:
    """Exits returning to a stage already on the current path of a depth-first walk in flow order.

    These close a cycle (rejected, recycled to nurture, churned and back to
    marketing); every other exit moves the record forward.
    """
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    found: set[tuple[str, str]] = set()
    for root in project.flow():
        if root.id in state:
            continue
        stack = [(root.id, iter([e.to for e in exits[root.id]]))]
        state[root.id] = 1
        while stack:
            current, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                state[current] = 2
                stack.pop()
            elif state.get(target) == 1:
                found.add((current, target))
            elif target not in state:
                state[target] = 1
                stack.append((target, iter([e.to for e in exits[target]])))
    return found


def choose_row_length(lane_sizes: list[int]) -> int:
    """Stages per row that let the stacked lanes be printed largest on a landscape page."""
    longest = max(lane_sizes, default=1)

    def distance(per_row: int) -> tuple[float, float]:
        width = min(longest, per_row) * BOX[0] + LANE_HEADER
        rows = sum(math.ceil(size / per_row) for size in lane_sizes)
        height = OVERHEAD + len(lane_sizes) * LANE_GAP + rows * BOX[1]
        # Largest print scale first; among equals, the shape closest to the page's.
        return round(-min(PAGE[0] / width, PAGE[1] / height), 4), abs(math.log(width * PAGE[1] / height / PAGE[0]))

    return min(range(2, max(3, longest + 1)), key=lambda n: (distance(n), n))


def number_handoffs(project: Project, edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Number every edge between two lanes, in flow order, and list its condition for the legend.

    The condition is the exit's `when`, else the target's first entry criterion;
    the legend shows it shortened, the tooltip in full.
    """
    stages = project.stages
    conditions = []
    for edge in edges:
        tail, head = stages[int(edge["tail"][1:])], stages[int(edge["head"][1:])]
        if tail.domain == head.domain:
            continue
        edge["number"] = len(conditions) + 1
        condition = edge["when"] or (head.entry[0] if head.entry else "")
        text = f"{tail.short} → {head.short}" + (f": {condition}" if condition else "")
        edge["tooltip"] = text
        conditions.append({"number": edge["number"], "text": text, "full": text})
    return conditions


def _legend(assumed: int) -> list[dict[str, str]]:
    return [
        {"kind": "golden", "text": marks.GOLDEN_LEGEND},
        {"kind": "assumed", "text": marks.ASSUMED_LEGEND},
        {"kind": "confirmed", "text": "Confirmed stage: name, then owner"},
        {"kind": "flow", "text": "next stage"},
        {"kind": "handoff", "text": "hand-off to another domain"},
        {"kind": "back", "text": "back to an earlier stage"},
    ]


def render(view: dict[str, Any], ctx: Context) -> dict[str, bytes]:
    """The diagram as DOT source, SVG, PNG and a one-page PDF, all from one layout."""
    from deliverables.backends.graphviz import art, dot

    source, styles = dot.build(view)
    svg = art.layout_svg(source, styles)
    stem = view["stem"]
    return {
        f"{stem}.gv": source.encode("utf-8"),
        f"{stem}.svg": svg,
        f"{stem}.png": art.svg_to_png(svg),
        f"{stem}.pdf": _pdf(svg, view),
    }


def _pdf(svg: bytes, view: dict[str, Any]) -> bytes:
    """One page of the whole picture, or (beyond 30 stages) an overview and a page per domain."""
    from deliverables.backends.graphviz import art, dot, pages
    from deliverables.documents import diagram_pages

    if not diagram_pages.paged(view):
        return art.svg_to_pdf(svg, view) if view.get("page", "letter") == "letter" else pages.single_pdf(svg, view)
    domain_svgs = [art.layout_svg(*dot.build(sub)) for sub in diagram_pages.domain_views(view, choose_row_length)]
    return pages.paged_pdf(view, diagram_pages.overview(view), domain_svgs, view.get("page", "letter"))
