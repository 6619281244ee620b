"""The Lifecycle Architecture Diagram's printed pages for a large architecture.

Up to `ONE_PAGE` stages the PDF is the one landscape page of the whole picture.
Beyond, the PDF has an overview page (each domain a lane listing its stage
names, set no smaller than 6 pt) and then one page per domain: its stages with
owners and every edge among them, and each hand-off to or from another domain
drawn as a labelled stub in a lane of its own. The SVG and PNG stay one
picture. These are views for the same layout as the whole diagram: plain data
built from the whole diagram's view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from deliverables.core import marks

ONE_PAGE = 30
"""Most stages the diagram prints on one page."""
STUB_LANE = "Other domains"
STUB_COLOUR = "EEF0F3"


def paged(view: dict[str, Any]) -> bool:
    """True when the diagram has too many stages for one printed page."""
    return len(view["nodes"]) > ONE_PAGE


def overview(view: dict[str, Any]) -> dict[str, Any]:
    """The overview page: per domain, its colour, title and stage names in flow order."""
    nodes = {node["id"]: node for node in view["nodes"]}
    lanes = [
        {
            "title": lane["title"],
            "colour": lane["colour"],
            "stages": [
                {"name": nodes[n]["name"], "golden": nodes[n]["golden"], "assumed": nodes[n]["assumed"]}
                for row in lane["rows"]
                for n in row
            ],
        }
        for lane in view["lanes"]
    ]
    return {"title": f"{view['title']} · Overview", "subtitle": view["subtitle"], "lanes": lanes}


def domain_views(view: dict[str, Any], row_length: Callable[[list[int]], int]) -> list[dict[str, Any]]:
    """One diagram view per domain: its lane, its edges, and stubs for the other domains;
    `row_length` chooses the stages per row for the page from the lanes' sizes."""
    return [_domain_view(view, number, row_length) for number in range(len(view["lanes"]))]


def _domain_view(view: dict[str, Any], number: int, row_length: Callable[[list[int]], int]) -> dict[str, Any]:
    lane = view["lanes"][number]
    own = {n for row in lane["rows"] for n in row}
    nodes = {node["id"]: node for node in view["nodes"]}
    domain_of = {n: other["title"] for other in view["lanes"] for row in other["rows"] for n in row}
    stubs: dict[str, dict[str, Any]] = {}
    edges = []
    for edge in view["edges"]:
        tail, head = edge["tail"], edge["head"]
        if tail in own and head in own:
            edges.append({k: v for k, v in edge.items() if k != "number"})
        elif tail in own or head in own:
            outside = head if tail in own else tail
            stub = stubs.setdefault(outside, _stub(nodes[outside], domain_of[outside], len(stubs)))
            moved = {"tail": stub["id"] if tail == outside else tail, "head": stub["id"] if head == outside else head}
            edges.append({**{k: v for k, v in edge.items() if k != "number"}, **moved, "kind": "handoff"})
    ids = [n for row in lane["rows"] for n in row]
    stub_ids = [stub["id"] for stub in stubs.values()]
    width = row_length([len(ids), len(stub_ids)] if stub_ids else [len(ids)])
    lanes = [{**lane, "rows": [ids[i : i + width] for i in range(0, len(ids), width)]}]
    if stub_ids:
        rows = [stub_ids[i : i + width] for i in range(0, len(stub_ids), width)]
        lanes.append({"domain": "other", "title": STUB_LANE, "colour": STUB_COLOUR, "rows": rows})
    by_id = {**nodes, **{stub["id"]: stub for stub in stubs.values()}}
    conditions = []
    for edge in edges:
        if edge["kind"] == "handoff":
            edge["number"] = len(conditions) + 1
            tail_name, head_name = _short(by_id[edge["tail"]]), _short(by_id[edge["head"]])
            text = f"{tail_name} → {head_name}" + (f": {edge['when']}" if edge.get("when") else "")
            conditions.append({"number": edge["number"], "text": text, "full": text})
    members = [nodes[n] for n in sorted(own, key=lambda n: int(n[1:]))]
    return {
        **view,
        "title": f"{view['title']} · {lane['title']}",
        "subtitle": f"{view['date']} · {len(own)} of {len(view['nodes'])} stages · hand-offs end in the last lane",
        "nodes": members + list(stubs.values()),
        "lanes": lanes,
        "edges": edges,
        "conditions": conditions,
    }


def _stub(node: dict[str, Any], domain: str, number: int) -> dict[str, Any]:
    """A stage of another domain, as the end of a hand-off: its name, and the domain as its note."""
    return {
        "id": f"x{number}",
        "stage": node["stage"],
        "name": node["name"],
        "owner": f"{domain} domain",
        "golden": False,
        "assumed": False,
        "stub": True,
    }


def _short(node: dict[str, Any]) -> str:
    return node["name"].removesuffix(f" {marks.GOLDEN}")
