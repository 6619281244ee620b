"""Lifecycle Architecture Diagram (.svg, .png, .pdf and its DOT source .gv).

One lane per domain, stacked top to bottom in domain order; stages flow left
to right and long lanes wrap into rows, so the picture suits a landscape page.
Edges come from the exits: the next stage of a domain, hand-offs into another
domain, and back-edges (returns to a stage already passed) drawn dashed.

Other deliverables embed the picture through `diagram_svg` and `diagram_png`.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from .. import marks
from ..context import Context
from ..model import Project, Stage

NAME = "diagram"
SUFFIXES = (".svg", ".png", ".pdf", ".gv")
DESCRIPTION = "Lifecycle Architecture Diagram: every stage in its domain lane, hand-offs, owners, golden and ASSUMED stages (SVG, PNG, PDF, DOT)."

BOX = (190.0, 85.0)
"""Stage box plus spacing in points (measured on rendered diagrams), used to choose the row length."""
LANE_HEADER = 70.0
OVERHEAD = 160.0
"""Title and legend height in points."""
TARGET_ASPECT = 1.45
"""Width over height that fills a landscape Letter or A4 page."""


def view(project: Project, ctx: Context) -> dict[str, Any]:
    """Lanes with their rows of stages, the classified edges, title and legend."""
    index = {stage.id: i for i, stage in enumerate(project.stages)}
    lanes = [_lane(project, domain, index) for domain in project.domain_order()]
    sizes = [len(lane["stages"]) for lane in lanes]
    row_length = choose_row_length(sizes)
    for lane in lanes:
        ids = lane.pop("stages")
        lane["rows"] = [ids[i : i + row_length] for i in range(0, len(ids), row_length)]
    assumed = sum(stage.status == "assumed" for stage in project.stages)
    return {
        "stem": f"lifecycle-architecture-v{project.version}",
        "title": f"{project.client.name} · Lifecycle Architecture v{project.version}",
        "subtitle": _subtitle(project, ctx, assumed),
        "client": project.client.name,
        "author": project.architect,
        "date": ctx.date.isoformat(),
        "nodes": [_node(project, stage, i) for i, stage in enumerate(project.stages)],
        "lanes": lanes,
        "bands": pack_lanes(sizes, row_length),
        "edges": classify_edges(project),
        "legend": _legend(assumed),
    }


def _subtitle(project: Project, ctx: Context, assumed: int) -> str:
    status = f"{assumed} ASSUMED" if assumed else "all CONFIRMED"
    return f"{ctx.date.isoformat()} · {len(project.stages)} stages · {status}"


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
        "path": ["stages", i],
    }


def classify_edges(project: Project) -> list[dict[str, Any]]:
    """Every exit as an edge: `back` when it returns (closes a cycle, or goes to an earlier stage of
    its domain), else `flow` within a domain and `handoff` across domains."""
    index = {stage.id: i for i, stage in enumerate(project.stages)}
    back = back_edges(project)
    edges = []
    for stage in _flow_order(project):
        for exit_ in project.exits(stage):
            target = project.stage(exit_.to)
            if target is None:
                continue
            if (stage.id, target.id) in back or _earlier_in_domain(project, stage, target):
                kind = "back"
            else:
                kind = "flow" if target.domain == stage.domain else "handoff"
            edges.append({"tail": f"n{index[stage.id]}", "head": f"n{index[target.id]}", "kind": kind, "when": exit_.when})
    return edges


def _earlier_in_domain(project: Project, stage: Stage, target: Stage) -> bool:
    """An exit to the same or an earlier stage of its own domain is always a return."""
    if stage.domain != target.domain:
        return False
    flow = project.stages_in(stage.domain)
    return flow.index(target) <= flow.index(stage)


def _flow_order(project: Project) -> list[Stage]:
    """Stages in domain order, then file order within a domain."""
    return [stage for domain in project.domain_order() for stage in project.stages_in(domain)]


def back_edges(project: Project) -> set[tuple[str, str]]:
    """Exits returning to a stage already on the current path of a depth-first walk in flow order.

    These close a cycle (rejected, recycled to nurture, churned and back to
    marketing); every other exit moves the record forward.
    """
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    found: set[tuple[str, str]] = set()
    for root in _flow_order(project):
        if root.id in state:
            continue
        stack = [(root.id, iter(_targets(project, root.id)))]
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
                stack.append((target, iter(_targets(project, target))))
    return found


def _targets(project: Project, stage_id: str) -> list[str]:
    stage = project.stage(stage_id)
    return [e.to for e in project.exits(stage) if project.stage(e.to) is not None] if stage else []


def choose_row_length(lane_sizes: list[int]) -> int:
    """Stages per row so the whole diagram is closest to a landscape page's shape."""
    longest = max(lane_sizes, default=1)

    def distance(per_row: int) -> float:
        bands = pack_lanes(lane_sizes, per_row)
        width = max(sum(min(lane_sizes[i], per_row) for i in band) for band in bands) * BOX[0] if bands else BOX[0]
        depth = sum(max(math.ceil(lane_sizes[i] / per_row) for i in band) for band in bands)
        height = OVERHEAD + len(bands) * LANE_HEADER + depth * BOX[1]
        return abs(math.log(width / height / TARGET_ASPECT))

    return min(range(3, max(4, longest + 1)), key=lambda n: (distance(n), n))


def pack_lanes(lane_sizes: list[int], per_row: int) -> list[list[int]]:
    """Lanes grouped into bands: consecutive one-row lanes share a band while they fit side by side."""
    bands: list[list[int]] = []
    used = per_row + 1  # columns taken in the last band; start a new band at once
    for lane, size in enumerate(lane_sizes):
        if size <= per_row and used + size <= per_row and all(lane_sizes[i] <= per_row for i in bands[-1]):
            bands[-1].append(lane)
            used += size
        else:
            bands.append([lane])
            used = size
    return bands


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
    """The diagram as DOT source, SVG, PNG and a one-page PDF."""
    from .. import diagramart, diagramdot

    source, styles = diagramdot.build(view, ctx)
    svg = diagramart.layout_svg(source, styles)
    stem = view["stem"]
    return {
        f"{stem}.gv": source.encode("utf-8"),
        f"{stem}.svg": svg,
        f"{stem}.png": diagramart.svg_to_png(svg),
        f"{stem}.pdf": diagramart.svg_to_pdf(svg, view),
    }


_CACHE: dict[str, tuple[bytes, list[Any]]] = {}


def diagram_svg(project: Project, ctx: Context) -> bytes:
    """The diagram as SVG bytes, for other deliverables; computed once per project per process."""
    from .. import diagramart, diagramdot

    key = _key(project, ctx, "svg")
    if key not in _CACHE:
        before = len(ctx.warnings)
        data = view(project, ctx)
        svg = diagramart.layout_svg(*diagramdot.build(data, ctx))
        _CACHE[key] = (svg, ctx.warnings[before:])
    svg, warnings = _CACHE[key]
    for warning in warnings:
        if warning not in ctx.warnings:
            ctx.warnings.append(warning)
    return svg


def diagram_png(project: Project, ctx: Context, width_px: int = 2400) -> bytes:
    """The diagram as a PNG `width_px` wide, for decks and the handoff index; cached like `diagram_svg`."""
    from .. import diagramart

    key = _key(project, ctx, f"png{width_px}")
    if key not in _CACHE:
        _CACHE[key] = (diagramart.svg_to_png(diagram_svg(project, ctx), width_px), [])
    return _CACHE[key][0]


def _key(project: Project, ctx: Context, kind: str) -> str:
    data = json.dumps(project.model_dump(mode="json"), sort_keys=True) + ctx.date.isoformat() + kind
    return hashlib.sha256(data.encode("utf-8")).hexdigest()
