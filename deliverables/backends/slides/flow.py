"""One domain's stages as a flow of boxes, drawn natively on the slide.

For architectures too large for one legible picture, each domain gets its
own slide: boxes in reading order on a band of the domain's colour, arrows
between neighbours, golden and ASSUMED stages styled as in the diagram, and
text measured so that stage names stay at 12 pt or more. A domain with more
stages than fit continues on "(cont.)" slides. Imported only from `slides.build`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from deliverables.backends import text as measure
from deliverables.backends.slides import fit
from deliverables.backends.slides.model import Flow, Step
from deliverables.backends.slides.shapes import Rect
from deliverables.backends.text import Run
from deliverables.core import marks

SIZES = (16, 14, 13, 12)
"""Stage names never go below 12 pt: more slides instead."""
PAD, GAP, ROW_GAP = 12.0, 28.0, 16.0
"""Band padding, room for an arrow between boxes, space between rows (points)."""
MAX_COLUMNS, MIN_BOX = 5, 150.0
HANDOFF_SIZE = 12.0


@dataclass(frozen=True)
class FlowPage:
    """The steps of one slide of a flow, with the grid they are drawn on."""

    size: float
    columns: int
    box: tuple[float, float]
    steps: tuple[tuple[int, Step], ...]
    """Each step with its number in the whole flow (1-based)."""


def step_runs(number: int, step: Step) -> tuple[Run, ...]:
    """A box's text: number and name, owner, and the step's marks."""
    runs: list[Run] = [(f"{number}  ", "muted"), (step.name, "bold")]
    if step.golden:
        runs.append((f" {marks.GOLDEN}", "golden"))
    runs.append((f"\n{step.owner}", "muted"))
    if step.assumed:
        runs.append((f"\n{marks.ASSUMED}", "assumed"))
    return tuple(runs)


def handoff_runs(flow: Flow, label: str) -> tuple[Run, ...]:
    """The hand-off line under the boxes (empty when the domain hands off nowhere)."""
    return ((f"{label} ", "bold"), (flow.handoffs, "")) if flow.handoffs else ()


def handoff_height(runs: Sequence[Run], width: float) -> float:
    """Height of the hand-off line with its gap (0 without one)."""
    if not runs:
        return 0.0
    lines = fit.count(runs, width - 2 * fit.INSET_X, HANDOFF_SIZE)
    return measure.height(lines, HANDOFF_SIZE) + 2 * fit.INSET_Y + fit.INSET_Y


def columns_for(count: int, width: float) -> int:
    """As many columns as keep boxes at least MIN_BOX wide, at most MAX_COLUMNS."""
    for columns in range(min(count, MAX_COLUMNS), 1, -1):
        if box_width(columns, width) >= MIN_BOX:
            return columns
    return 1


def box_width(columns: int, width: float) -> float:
    """Width of one box when `columns` share the band."""
    return (width - 2 * PAD - (columns - 1) * GAP) / columns


def _box_height(steps: Sequence[tuple[int, Step]], width: float, size: float) -> float:
    inner = width - 2 * fit.INSET_X
    tallest = max(fit.count(step_runs(n, s), inner, size) for n, s in steps)
    return measure.height(tallest, size) + 2 * fit.INSET_Y


def paginate(flow: Flow, area: Rect) -> list[FlowPage]:
    """Pages of the flow at the largest size that needs no more slides than 12 pt does."""
    numbered = tuple(enumerate(flow.steps, 1))
    columns = columns_for(len(numbered), area.width)
    width = box_width(columns, area.width)
    return fit.largest_with_fewest(SIZES, lambda size: _pages(numbered, columns, width, area, size))[1]


def _pages(numbered, columns: int, width: float, area: Rect, size: float) -> list[FlowPage]:
    height = _box_height(numbered, width, size)
    rows = max(int((area.height - 2 * PAD + ROW_GAP) // (height + ROW_GAP)), 1)
    pages = math.ceil(len(numbered) / (columns * rows))
    per = math.ceil(len(numbered) / pages)  # even pages: no lone box on the last slide
    return [FlowPage(size, columns, (width, height), numbered[i : i + per]) for i in range(0, len(numbered), per)]


def draw_flow(target, flow: Flow, page: FlowPage, area: Rect) -> None:
    """The band, the boxes and the arrows of one page."""
    from pptx.enum.text import MSO_ANCHOR

    from deliverables.backends.slides.draw import write_text

    rows = math.ceil(len(page.steps) / page.columns)
    width, height = page.box
    band = Rect(area.left, area.top, area.width, 2 * PAD + rows * height + (rows - 1) * ROW_GAP)
    _shape(target, "ROUNDED_RECTANGLE", band, "Domain band", fill=flow.colour)
    for index, (number, step) in enumerate(page.steps):
        row, column = divmod(index, page.columns)
        left = area.left + PAD + column * (width + GAP)
        top = area.top + PAD + row * (height + ROW_GAP)
        box = _shape(target, "ROUNDED_RECTANGLE", Rect(left, top, width, height), f"Stage {number}", **_look(step))
        write_text(box.text_frame, step_runs(number, step), page.size)
        box.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        if column and index:
            arrow = Rect(left - GAP + 5, top + min(height / 2, 24.0) - 6, GAP - 10, 12)
            _shape(target, "RIGHT_ARROW", arrow, f"Arrow {number}", fill=marks.MUTED)


def _look(step: Step) -> dict:
    """Fill and outline of a stage box, as the diagram draws it."""
    if step.golden:
        return {"fill": marks.GOLDEN_FILL, "line": marks.GOLDEN_LINE, "weight": 2.25, "dashed": step.assumed}
    if step.assumed:
        return {"fill": marks.ASSUMED_FILL, "line": marks.ASSUMED_COLOUR, "weight": 1.25, "dashed": True}
    return {"fill": "FFFFFF", "line": marks.INK, "weight": 1.0, "dashed": False}


def _shape(target, kind: str, area: Rect, name: str, fill: str, line: str = "", weight: float = 0.0, dashed=False):
    from pptx.dml.color import RGBColor
    from pptx.enum.dml import MSO_LINE
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Pt

    shape = target.shapes.add_shape(getattr(MSO_SHAPE, kind), *area.emu())
    shape.name = name
    shape.shadow.inherit = False
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(fill)
    if line:
        shape.line.color.rgb = RGBColor.from_string(line)
        shape.line.width = Pt(weight)
        if dashed:
            shape.line.dash_style = MSO_LINE.DASH
    else:
        shape.line.fill.background()
    if kind == "ROUNDED_RECTANGLE":
        shape.adjustments[0] = 0.08 if name != "Domain band" else 0.03
    return shape
