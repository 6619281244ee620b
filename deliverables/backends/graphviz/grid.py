"""The swimlane grid of the diagram: box positions and orthogonal edge routes, computed here, pinned in DOT.

Lanes are stacked top to bottom, all the same width; each lane is a header
cell on the left and rows of equal columns. Between rows and between lanes run
horizontal channels, between columns and right of every lane vertical ones
(the spines, right and left of all lanes, carry edges between lanes that are
not neighbours, so no edge ever enters a third lane). Every edge is a polyline
through channels: a hand-off leaves the bottom (or top) of its source, runs
through the gutter between the lanes and enters the top (or bottom) of its
target; a return to an earlier stage of the same lane stays inside the lane.
Each segment gets its own track in its channel, so parallel edges never
overlap, and each box side spreads its edge ends apart.

Coordinates are points, y growing downwards; `dot.py` flips them for Graphviz.
The function `lay_out` takes any lanes and edges, so a page of a larger
diagram can be laid out alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BOX_WIDTH = 168.0
HEADER_WIDTH = 86.0
"""Narrowest lane title cell, at the left of every lane."""
MIN_GAP = 40.0
"""Narrowest space between two columns (and between the title cell and the first column)."""
TRACK = 8.0
"""Distance between two parallel edges in one channel."""
CLEAR = 20.0
"""Distance from a box to the nearest track: room for an arrowhead or a hand-off number."""
GUTTER_CLEAR = 9.0
"""Distance from a lane's edge to the nearest track of the gutter beside it."""
PORT = 16.0
"""Distance between two edge ends on one side of a box."""
ARROW = 7.0
"""Length of an arrowhead (Graphviz arrowsize 0.7)."""


@dataclass(frozen=True)
class Rect:
    """A rectangle: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass
class Route:
    """An edge's polyline from the source box's side to the target box's side (the arrow's tip)."""

    tail: str
    head: str
    points: list[tuple[float, float]]
    between_lanes: bool


@dataclass
class Grid:
    """Where everything goes: boxes by node id, lanes in order, routes in edge order."""

    width: float
    height: float
    boxes: dict[str, Rect]
    lanes: list[Rect]
    headers: list[Rect]
    routes: list[Route]
    gap: float


@dataclass(frozen=True)
class _Place:
    lane: int
    row: int
    col: int


@dataclass
class _Leg:
    """One straight run of a route: horizontal in a channel (`h`) or vertical in a gap or the spine (`v`)."""

    kind: str
    channel: tuple
    track: int = 0


@dataclass
class _Path:
    tail: str
    head: str
    start: str  # side of the source box: top, bottom, right
    end: str  # side of the target box: top, bottom, left
    legs: list[_Leg] = field(default_factory=list)
    between_lanes: bool = False


def lay_out(
    lanes: list[list[list[str]]],
    heights: dict[str, float],
    edges: list[tuple[str, str]],
    top: float = 0.0,
    min_width: float = 0.0,
    header_width: float = HEADER_WIDTH,
) -> Grid:
    """The grid for lanes (rows of node ids), box heights and edges, lanes at least `min_width` wide."""
    place = {
        n: _Place(a, r, c) for a, rows in enumerate(lanes) for r, row in enumerate(rows) for c, n in enumerate(row)
    }
    columns = max((len(row) for rows in lanes for row in rows), default=1)
    paths = [_path(tail, head, place, lanes, columns) for tail, head in edges if tail in place and head in place]
    ports = _ports(paths, place)
    _assign_tracks(paths, place, ports, columns, lanes)
    vertical = _count(paths, "v")
    gap = max(MIN_GAP, 2 * GUTTER_CLEAR + max([vertical.get(("gap", g), 0) for g in range(columns + 1)] + [1]) * TRACK)
    natural = header_width + columns * BOX_WIDTH + (columns + 1) * gap
    if min_width > natural:
        gap += (min_width - natural) / (columns + 1)
    geometry = _Geometry(lanes, heights, paths, columns, gap, top, header_width, vertical.get(("spine", "left"), 0))
    return Grid(
        width=geometry.spine_x + vertical.get(("spine", "right"), 0) * TRACK + GUTTER_CLEAR,
        height=geometry.bottom,
        boxes=geometry.boxes,
        lanes=geometry.lanes,
        headers=geometry.headers,
        routes=[geometry.route(p, k, ports) for k, p in enumerate(paths)],
        gap=gap,
    )


def _path(tail: str, head: str, place: dict[str, _Place], lanes: list[list[list[str]]], columns: int) -> _Path:
    """The channels an edge runs through, by the rules in the module docstring."""
    src, dst = place[tail], place[head]
    # Between lanes that are not neighbours: down the margin nearer both ends (the title cells count as a column).
    side = "left" if src.col + dst.col + 1 < 2 * (columns - 1) - src.col - dst.col else "right"
    last = [len(rows) - 1 for rows in lanes]
    if src.lane == dst.lane:
        return _within_lane(tail, head, src, dst)
    path = _Path(tail, head, "bottom" if src.lane < dst.lane else "top", "", between_lanes=True)
    legs = path.legs
    if src.lane < dst.lane:
        if src.row < last[src.lane]:
            legs += [_Leg("h", ("lane", src.lane, src.row + 1)), _Leg("v", ("gap", "from"))]
        legs.append(_Leg("h", ("gutter", src.lane + 1)))
        if dst.lane > src.lane + 1:
            legs += [_Leg("v", ("spine", side)), _Leg("h", ("gutter", dst.lane))]
        if dst.row > 0:
            legs += [_Leg("v", ("gap", "to")), _Leg("h", ("lane", dst.lane, dst.row))]
        path.end = "top"
    else:
        if src.row > 0:
            legs += [_Leg("h", ("lane", src.lane, src.row)), _Leg("v", ("gap", "from"))]
        legs.append(_Leg("h", ("gutter", src.lane)))
        if dst.lane < src.lane - 1:
            legs += [_Leg("v", ("spine", side)), _Leg("h", ("gutter", dst.lane + 1))]
        if dst.row < last[dst.lane]:
            legs += [_Leg("v", ("gap", "to")), _Leg("h", ("lane", dst.lane, dst.row + 1))]
        path.end = "bottom"
    return path


def _within_lane(tail: str, head: str, src: _Place, dst: _Place) -> _Path:
    """Next box in the row: straight across; later: over or under the rows; earlier: under the target's row."""
    lane = src.lane
    if (dst.row, dst.col) == (src.row, src.col + 1):
        return _Path(tail, head, "right", "left")
    if (dst.row, dst.col) > (src.row, src.col):
        if dst.row == src.row:
            return _Path(tail, head, "top", "top", [_Leg("h", ("lane", lane, src.row))])
        legs = [_Leg("h", ("lane", lane, src.row + 1))]
        if dst.row > src.row + 1:
            legs += [_Leg("v", ("gap", "to")), _Leg("h", ("lane", lane, dst.row))]
        return _Path(tail, head, "bottom", "top", legs)
    if dst.row == src.row:
        return _Path(tail, head, "bottom", "bottom", [_Leg("h", ("lane", lane, src.row + 1))])
    legs = [_Leg("h", ("lane", lane, src.row))]
    if dst.row < src.row - 1:
        legs += [_Leg("v", ("gap", "to")), _Leg("h", ("lane", lane, dst.row + 1))]
    return _Path(tail, head, "top", "bottom", legs)


def _ports(paths: list[_Path], place: dict[str, _Place]) -> dict[tuple[int, str], float]:
    """Offset from the box centre of each edge end on a top or bottom side, ordered by where the edge goes."""
    sides: dict[tuple[str, str], list[tuple[float, int, str]]] = {}
    for k, path in enumerate(paths):
        for node, side, other in ((path.tail, path.start, path.head), (path.head, path.end, path.tail)):
            if side in ("top", "bottom"):
                spine = next((leg.channel[1] for leg in path.legs if leg.channel[0] == "spine"), "")
                toward = {"left": -1000, "right": 1000}.get(spine, place[other].col - place[node].col)
                sides.setdefault((node, side), []).append((toward, k, "tail" if node == path.tail else "head"))
    offsets: dict[tuple[int, str], float] = {}
    for (_, side), ends in sides.items():
        ends.sort()
        shift = PORT / 4 if side == "bottom" else 0.0  # top and bottom ends never share an x
        spacing = min(PORT, (BOX_WIDTH - 2 * PORT) / max(1, len(ends) - 1))
        for i, (_, k, end) in enumerate(ends):
            offsets[(k, end)] = (i - (len(ends) - 1) / 2) * spacing + shift
    return offsets


def _count(paths: list[_Path], kind: str) -> dict[tuple, int]:
    """Tracks used per channel."""
    used: dict[tuple, int] = {}
    for path in paths:
        for leg in path.legs:
            if leg.kind == kind:
                used[leg.channel] = max(used.get(leg.channel, 0), leg.track + 1)
    return used


def _assign_tracks(
    paths: list[_Path],
    place: dict[str, _Place],
    ports: dict[tuple[int, str], float],
    columns: int,
    lanes: list[list[list[str]]],
) -> None:
    """Resolve each gap to a column gap, then give every leg the lowest track free over its whole extent.

    Extents are measured on an ordinal scale (column k at 2k+1, gap g at 2g, the
    spine beyond the last gap; channels numbered top to bottom), with a leg
    that ends in a channel taking the whole channel: conservative, never overlapping.
    """
    levels = _levels(lanes)
    spans: dict[tuple, list[tuple[float, float, _Leg]]] = {}
    for k, path in enumerate(paths):
        xs = _ordinal_xs(path, k, place, ports, columns)
        for i, leg in enumerate(path.legs):
            if leg.kind == "h":
                j = i // 2  # legs alternate h, v, h, ...: h leg j runs between turning points j and j + 1
                low, high = min(xs[j][0], xs[j + 1][0]), max(xs[j][1], xs[j + 1][1])
            else:
                a, b = levels[path.legs[i - 1].channel], levels[path.legs[i + 1].channel]
                low, high = min(a, b) - 0.5, max(a, b) + 0.5
            spans.setdefault(leg.channel, []).append((low, high, leg))
    for items in spans.values():
        ends: list[float] = []
        for low, high, leg in sorted(items, key=lambda item: (item[0], item[1])):
            free = next((t for t, end in enumerate(ends) if end < low), None)
            if free is None:
                free = len(ends)
                ends.append(high)
            ends[free] = high
            leg.track = free


def _levels(lanes: list[list[list[str]]]) -> dict[tuple, int]:
    """Horizontal channels numbered top to bottom (rows of boxes sit between them)."""
    levels: dict[tuple, int] = {}
    for a, rows in enumerate(lanes):
        levels[("gutter", a)] = len(levels) * 2
        for r in range(len(rows) + 1):
            levels[("lane", a, r)] = len(levels) * 2
    levels[("gutter", len(lanes))] = len(levels) * 2
    return levels


def _ordinal_xs(
    path: _Path, k: int, place: dict[str, _Place], ports: dict[tuple[int, str], float], columns: int
) -> list[tuple[float, float]]:
    """Ordinal x extent of each turning point: source port, each vertical leg, target port.

    Resolves each ("gap", "from"/"to") leg into the column gap beside the source or target,
    on the side facing the rest of the route.
    """
    src, dst = place[path.tail], place[path.head]
    start = 2 * src.col + 1 + ports.get((k, "tail"), 0.0) / BOX_WIDTH
    end = 2 * dst.col + 1 + ports.get((k, "head"), 0.0) / BOX_WIDTH
    side = next((leg.channel[1] for leg in path.legs if leg.channel[0] == "spine"), "")
    spine = 2 * columns + 2 if side == "right" else -2
    uses_spine = bool(side)
    xs = [(start, start)]
    for leg in path.legs:
        if leg.kind != "v":
            continue
        if leg.channel[0] == "spine":
            xs.append((spine - 0.5, spine + 0.5))
            continue
        if leg.channel[1] == "from":
            goal = spine if uses_spine else end
            gap = src.col + 1 if goal > start else src.col
        else:
            came = spine if uses_spine else start
            gap = dst.col if came < end else dst.col + 1
        leg.channel = ("gap", gap)
        xs.append((2 * gap - 0.5, 2 * gap + 0.5))
    xs.append((end, end))
    return xs


class _Geometry:
    """Real coordinates from channel track counts: rows, lanes, gutters, then each route's points."""

    def __init__(
        self,
        lanes: list[list[list[str]]],
        heights: dict[str, float],
        paths: list[_Path],
        columns: int,
        gap: float,
        top: float,
        header_width: float,
        left_tracks: int = 0,
    ):
        horizontal = _count(paths, "h")
        self.header_width = header_width
        self.gap, self.columns = gap, columns
        self.left = GUTTER_CLEAR + (left_tracks * TRACK + GUTTER_CLEAR if left_tracks else 0.0)
        self.lane_width = header_width + columns * BOX_WIDTH + (columns + 1) * gap
        self.spine_x = self.left + self.lane_width + GUTTER_CLEAR + TRACK
        self.channel_top: dict[tuple, float] = {}
        self.boxes: dict[str, Rect] = {}
        self.lanes: list[Rect] = []
        self.headers: list[Rect] = []
        y = top
        for a, rows in enumerate(lanes):
            y = self._channel(("gutter", a), y, horizontal.get(("gutter", a), 0), GUTTER_CLEAR, a == 0)
            lane_top = y
            for r, row in enumerate(rows):
                y = self._channel(("lane", a, r), y, horizontal.get(("lane", a, r), 0), CLEAR)
                height = max(heights[n] for n in row)
                for c, node in enumerate(row):
                    self.boxes[node] = Rect(self.column_x(c), y, BOX_WIDTH, height)
                y += height
            y = self._channel(("lane", a, len(rows)), y, horizontal.get(("lane", a, len(rows)), 0), CLEAR)
            self.lanes.append(Rect(self.left, lane_top, self.lane_width, y - lane_top))
            self.headers.append(Rect(self.left, lane_top, header_width, y - lane_top))
        last = ("gutter", len(lanes))
        self.bottom = self._channel(last, y, horizontal.get(last, 0), GUTTER_CLEAR, True)

    def _channel(self, key: tuple, y: float, tracks: int, clear: float, edge: bool = False) -> float:
        """Record a channel's top; return its bottom (an unused outer gutter stays thin)."""
        self.channel_top[key] = y
        if tracks == 0:
            return y + (GUTTER_CLEAR if edge else clear)
        return y + 2 * clear + (tracks - 1) * TRACK

    def column_x(self, col: int) -> float:
        return self.left + self.header_width + self.gap + col * (BOX_WIDTH + self.gap)

    def track_y(self, channel: tuple, track: int) -> float:
        clear = GUTTER_CLEAR if channel[0] == "gutter" else CLEAR
        return self.channel_top[channel] + clear + track * TRACK

    def track_x(self, channel: tuple, track: int) -> float:
        if channel == ("spine", "right"):
            return self.spine_x + track * TRACK
        if channel == ("spine", "left"):
            return self.left - GUTTER_CLEAR - track * TRACK
        gap_left = self.left + self.header_width + channel[1] * (BOX_WIDTH + self.gap)
        return gap_left + GUTTER_CLEAR + track * TRACK

    def route(self, path: _Path, k: int, ports: dict[tuple[int, str], float]) -> Route:
        """The polyline of one path: from the source side through its legs' tracks to the target side."""
        src, dst = self.boxes[path.tail], self.boxes[path.head]
        if path.start == "right":
            y = src.y + src.h / 2
            return Route(path.tail, path.head, [(src.right, y), (dst.x, dst.y + dst.h / 2)], False)
        x = src.x + src.w / 2 + ports.get((k, "tail"), 0.0)
        points = [(x, src.y if path.start == "top" else src.bottom)]
        for leg in path.legs:
            if leg.kind == "h":
                points.append((x, self.track_y(leg.channel, leg.track)))
            else:
                x = self.track_x(leg.channel, leg.track)
                points.append((x, points[-1][1]))
        x_end = dst.x + dst.w / 2 + ports.get((k, "head"), 0.0)
        points.append((x_end, points[-1][1]))
        points.append((x_end, dst.y if path.end == "top" else dst.bottom))
        return Route(path.tail, path.head, _simplify(points), path.between_lanes)


def _simplify(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop repeated points and points in the middle of a straight run."""
    out: list[tuple[float, float]] = []
    for p in points:
        if out and abs(out[-1][0] - p[0]) < 1e-6 and abs(out[-1][1] - p[1]) < 1e-6:
            continue
        if len(out) >= 2:
            a, b = out[-2], out[-1]
            if (abs(a[0] - b[0]) < 1e-6 and abs(b[0] - p[0]) < 1e-6) or (
                abs(a[1] - b[1]) < 1e-6 and abs(b[1] - p[1]) < 1e-6
            ):
                out[-1] = p
                continue
        out.append(p)
    return out
