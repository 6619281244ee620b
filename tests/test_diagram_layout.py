"""The diagram's swimlane layout, measured on the rendered SVG: lanes, boxes and every edge's path."""

from __future__ import annotations

import html
import io
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ARCHITECTURES, EXAMPLE, ROOT

from deliverables.core.context import Context
from deliverables.core.source import load_document
from deliverables.core.validate import validate_document
from deliverables.documents import diagram

SVG = "{http://www.w3.org/2000/svg}"
CLIENTS = ROOT / "tests" / "cases" / "clients"
POC_AND_RENEWAL = CLIENTS / "salesforce-v3.yaml"
FOUR_STAGES = CLIENTS / "four-stage-v0.yaml"
FIXTURES = [
    EXAMPLE,
    *ARCHITECTURES,
    POC_AND_RENEWAL,
    FOUR_STAGES,
    ROOT / "tests" / "cases" / "diagram" / "escaping.yaml",
]
EPSILON = 0.6
"""Points of tolerance: a line touching a box's border (an arrow tip) does not pass through it."""

Rect = tuple[float, float, float, float]  # left, top, right, bottom
Segment = tuple[tuple[float, float], tuple[float, float]]


def render(path: Path) -> tuple:
    doc = load_document(path)
    project = validate_document(doc)
    ctx = Context(project, doc)
    files = diagram.render(diagram.view(project, ctx), ctx)
    return project, {name.rsplit(".", 1)[1]: data for name, data in files.items()}


@pytest.fixture(scope="module", params=FIXTURES, ids=lambda p: p.stem)
def drawn(request: pytest.FixtureRequest) -> tuple:
    """Project, parsed picture and raw files of one fixture, rendered once."""
    project, files = render(request.param)
    return project, Picture(files["svg"]), files


class Picture:
    """Boxes, lanes and edge polylines read back from a Graphviz SVG."""

    def __init__(self, svg: bytes):
        self.boxes: dict[str, Rect] = {}
        self.lanes: list[Rect] = []
        self.edges: list[tuple[str, str, list[Segment]]] = []
        for group in ET.fromstring(svg).iter(f"{SVG}g"):
            title = group.find(f"{SVG}title")
            name = html.unescape(title.text or "") if title is not None else ""
            if group.get("class") == "node" and re.fullmatch(r"n\d+", name):
                self.boxes[name] = bounds(group)
            elif group.get("class") == "cluster" and re.fullmatch(r"cluster_\d+", name):
                self.lanes.append(bounds(group))
            elif group.get("class") == "edge" and re.fullmatch(r"n\d+->n\d+", name):
                tail, head = name.split("->")
                self.edges.append((tail, head, segments(group)))

    def lane_of(self, node: str) -> int:
        x0, y0, x1, y1 = self.boxes[node]
        return next(k for k, (a, b, c, d) in enumerate(self.lanes) if a <= x0 and x1 <= c and b <= y0 and y1 <= d)


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]


def bounds(group: ET.Element) -> Rect:
    """Bounding box of a group's first polygon or path."""
    shape = next(e for e in group.iter() if e.tag in (f"{SVG}polygon", f"{SVG}path"))
    values = numbers(shape.get("points") or shape.get("d") or "")
    xs, ys = values[0::2], values[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def segments(group: ET.Element) -> list[Segment]:
    """The straight runs of an edge: its path's points in order, then on to the arrowhead's tip."""
    path = group.find(f".//{SVG}path")
    values = numbers(path.get("d"))
    points = list(dict.fromkeys(zip(values[0::2], values[1::2])))
    arrow = group.find(f".//{SVG}polygon")
    if arrow is not None:
        corners = list(zip(numbers(arrow.get("points"))[0::2], numbers(arrow.get("points"))[1::2]))
        (ax, ay), (bx, by) = points[-2], points[-1]
        tip = max(corners, key=lambda p: (p[0] - bx) * (bx - ax) + (p[1] - by) * (by - ay))
        points.append((bx, tip[1]) if ax == bx else (tip[0], by))  # the tip, on the line of the last run
    return list(zip(points, points[1:]))


def crosses(segment: Segment, rect: Rect) -> bool:
    """True when an axis-parallel segment enters the inside of a rectangle (shrunk by EPSILON)."""
    (x0, y0), (x1, y1) = segment
    left, top, right, bottom = rect[0] + EPSILON, rect[1] + EPSILON, rect[2] - EPSILON, rect[3] - EPSILON
    return max(x0, x1) > left and min(x0, x1) < right and max(y0, y1) > top and min(y0, y1) < bottom


def test_every_segment_is_horizontal_or_vertical(drawn: tuple) -> None:
    _, picture, _ = drawn
    slanted = [
        (t, h, s)
        for t, h, runs in picture.edges
        for s in runs
        if abs(s[0][0] - s[1][0]) > 0.2 and abs(s[0][1] - s[1][1]) > 0.2
    ]
    assert slanted == []


def test_no_edge_passes_through_a_stage_box_other_than_its_ends(drawn: tuple) -> None:
    _, picture, _ = drawn
    hits = [
        (tail, head, node)
        for tail, head, runs in picture.edges
        for node, box in picture.boxes.items()
        if node not in (tail, head) and any(crosses(s, box) for s in runs)
    ]
    assert hits == []


def test_no_edge_runs_back_through_its_own_ends(drawn: tuple) -> None:
    _, picture, _ = drawn
    # Only the first and the last run touch the end boxes, and only at their border.
    hits = [
        (tail, head)
        for tail, head, runs in picture.edges
        if any(crosses(s, picture.boxes[n]) for s in runs for n in (tail, head))
    ]
    assert hits == []


def test_hand_offs_never_enter_a_third_lane_and_returns_stay_in_their_lane(drawn: tuple) -> None:
    _, picture, _ = drawn
    assert picture.edges
    for tail, head, runs in picture.edges:
        own = {picture.lane_of(tail), picture.lane_of(head)}
        others = [k for k in range(len(picture.lanes)) if k not in own]
        assert [k for k in others if any(crosses(s, picture.lanes[k]) for s in runs)] == [], (tail, head)
        if len(own) == 1:
            left, top, right, bottom = picture.lanes[own.pop()]
            assert all(left <= x <= right and top <= y <= bottom for s in runs for x, y in s), (tail, head)


def test_parallel_edges_never_share_a_line(drawn: tuple) -> None:
    _, picture, _ = drawn
    runs = [(k, s) for k, (_, _, found) in enumerate(picture.edges) for s in found]
    shared = []
    for i, (k, ((ax0, ay0), (ax1, ay1))) in enumerate(runs):
        for m, ((bx0, by0), (bx1, by1)) in runs[i + 1 :]:
            if m == k:
                continue
            if ax0 == ax1 == bx0 == bx1 and min(max(ay0, ay1), max(by0, by1)) - max(min(ay0, ay1), min(by0, by1)) > 0.5:
                shared.append((picture.edges[k][:2], picture.edges[m][:2]))
            if ay0 == ay1 == by0 == by1 and min(max(ax0, ax1), max(bx0, bx1)) - max(min(ax0, ax1), min(bx0, bx1)) > 0.5:
                shared.append((picture.edges[k][:2], picture.edges[m][:2]))
    assert shared == []


def test_lanes_stack_in_domain_order_with_equal_widths(drawn: tuple) -> None:
    project, picture, _ = drawn
    ids = {f"n{i}": stage for i, stage in enumerate(project.stages)}
    order = [
        sorted({ids[n].domain for n in picture.boxes if picture.lane_of(n) == k}) for k in range(len(picture.lanes))
    ]
    assert order == [[d] for d in project.domain_order()]
    tops = [lane[1] for lane in picture.lanes]
    assert tops == sorted(tops)
    assert len({(lane[0], lane[2]) for lane in picture.lanes}) == 1
    assert all(lower[1] > upper[3] for upper, lower in zip(picture.lanes, picture.lanes[1:]))


def test_stages_read_left_to_right_then_row_by_row(drawn: tuple) -> None:
    project, picture, _ = drawn
    index = {stage.id: i for i, stage in enumerate(project.stages)}
    for domain in project.domain_order():
        boxes = [picture.boxes[f"n{index[s.id]}"] for s in project.stages_in(domain)]
        assert boxes == sorted(boxes, key=lambda b: (round(b[1]), b[0]))


def test_every_lane_crossing_edge_is_numbered_with_its_condition_in_the_legend(drawn: tuple) -> None:
    project, _, files = drawn
    svg = files["svg"].decode("utf-8")
    edges = diagram.classify_edges(project)
    conditions = diagram.number_handoffs(project, edges)
    crossing = [
        e for e in edges if project.stages[int(e["tail"][1:])].domain != project.stages[int(e["head"][1:])].domain
    ]
    assert [e["number"] for e in crossing] == [c["number"] for c in conditions] == list(range(1, len(crossing) + 1))
    for number in range(1, len(crossing) + 1):
        assert f"<title>badge{number}</title>" in svg
        assert f"<title>condition{number}</title>" in svg


def page_fill(pdf: bytes, tmp_path: Path) -> float:
    """Share of the PDF page's width that the drawing covers, measured on the rendered page."""
    from PIL import Image

    (tmp_path / "d.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(tmp_path / "d.pdf"), str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    box = image.point(lambda v: 255 if v < 250 else 0).getbbox()
    return (box[2] - box[0]) / image.width


def test_a_four_stage_client_spans_most_of_the_page_width(tmp_path: Path) -> None:
    _, files = render(FOUR_STAGES)
    assert page_fill(files["pdf"], tmp_path) >= 0.8


def test_the_png_is_drawn_from_the_same_layout_as_the_svg() -> None:
    from PIL import Image

    from deliverables.backends.graphviz import art

    _, files = render(FOUR_STAGES)
    width, height = art.natural_size(files["svg"])
    image = Image.open(io.BytesIO(files["png"]))
    assert abs(image.width / image.height - width / height) < 0.01


def test_one_lane_can_be_laid_out_alone_without_the_edges_leaving_it() -> None:
    from deliverables.backends.graphviz import dot

    doc = load_document(POC_AND_RENEWAL)
    project = validate_document(doc)
    view = diagram.view(project, Context(project, doc))
    view["lanes"] = view["lanes"][1:2]
    members = {n for row in view["lanes"][0]["rows"] for n in row}
    source, _ = dot.build(view)
    drawn = re.findall(r"^\s+(n\d+) -> (n\d+) ", source, re.M)
    inside = [(e["tail"], e["head"]) for e in view["edges"] if {e["tail"], e["head"]} <= members]
    assert drawn == inside and len(inside) >= 6


def test_each_numbered_hand_off_and_its_number_show_the_full_condition_on_hover(drawn: tuple) -> None:
    project, _, files = drawn
    conditions = diagram.number_handoffs(project, diagram.classify_edges(project))
    link = "{http://www.w3.org/1999/xlink}title"
    hovers: dict[str, str] = {}
    for group in ET.fromstring(files["svg"]).iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        anchor = group.find(f".//{SVG}a")
        if title is not None and anchor is not None and re.fullmatch(r"badge\d+", title.text or ""):
            hovers[title.text] = anchor.get(link)
    assert hovers == {f"badge{c['number']}": c["full"] for c in conditions}
