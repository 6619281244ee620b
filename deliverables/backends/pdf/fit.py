"""The Stage Reference Card's layout search: the largest legible type and the
least shortening that put every stage on one page.

Order of preference (documented in the README):
1. whole definitions, body type from 11.5 pt down to 8 pt;
2. definitions cut to their first sentence, 11.5 pt down to 8 pt;
3. that sentence cut to the words that fit one line, with an ellipsis,
   11.5 pt down to the 6.5 pt floor;
4. definitions left out (names, criteria and owners are what the card is
   for; the Definition Alignment Document has the definitions), 8 pt down to
   the floor.
Within a level the largest size that fits is found by bisection (smaller type
never needs more room). At that size the fewest columns that fit are used
(longer lines), up to the most that keep a line at least 19 ems long. Stage
names and entry criteria are never shortened. Nothing fitting at the floor is an
error, never a second page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Paragraph

from deliverables.backends.pdf.blocks import ONE_LINE, Block
from deliverables.backends.pdf.columns import Spacing, Unit, excess, pack
from deliverables.backends.pdf.markup import markup
from deliverables.backends.pdf.rtl import make_paragraph
from deliverables.backends.pdf.style import Geometry, Styles, styles
from deliverables.core import marks
from deliverables.core.errors import BuildError

MAX_SIZE = 11.5
COMFORT_SIZE = 8.0
FLOOR_SIZE = 6.5
STEP = 0.25
PLAN = (
    (0, COMFORT_SIZE, MAX_SIZE),
    (1, COMFORT_SIZE, MAX_SIZE),
    (2, FLOOR_SIZE, MAX_SIZE),
    (3, FLOOR_SIZE, COMFORT_SIZE),
)
"""(definition level, smallest and largest body size tried at that level), in order of preference."""


@dataclass
class Layout:
    """A layout that fits: the blocks, the column width and the stages of each column."""

    style: Styles
    level: int
    width: float
    blocks: list[Block]
    spacing: Spacing
    columns: list[list[int]]


def header_paragraph(title: str, style: Styles, continued: bool = False) -> Paragraph:
    """A domain's header text; `continued` when it heads a later column."""
    suffix = f' <font color="#{marks.MUTED}">(continued)</font>' if continued else ""
    return make_paragraph(markup(title) + suffix, style.header)


class Candidate:
    """The card's stages at one definition level and body size, measurable at any column count."""

    def __init__(self, view: dict[str, Any], level: int, size: float):
        self.level, self.style = level, styles(size)
        self.domains = [n for n, d in enumerate(view["domains"]) for _ in d["stages"]]
        self.blocks = [Block(s, self.style, level) for d in view["domains"] for s in d["stages"]]
        self.headers = [header_paragraph(d["title"], self.style, continued=True) for d in view["domains"]]
        self.compact = bool(view.get("compact"))
        """Blocks one under the other without a gap: the overview's list of names."""

    def units(self, width: float) -> list[Unit]:
        """Every stage's block height at this column width."""
        return [Unit(d, b.height(width)) for d, b in zip(self.domains, self.blocks)]

    def spacing(self, width: float) -> Spacing:
        """Header heights (measured with the longer "continued" text) and gaps."""
        pad = self.style.header_pad
        heights = tuple(h.wrap(width - 2 * self.style.indent, 1e6)[1] + 2 * pad for h in self.headers)
        return Spacing(heights, 0.0 if self.compact else self.style.gap, self.style.domain_gap)

    def fit(self, geometry: Geometry, height: float, count: int) -> Layout | None:
        """The layout in `count` columns, or None when the stages do not fit."""
        width = geometry.column_width(count)
        spacing = self.spacing(width)
        columns = pack(self.units(width), spacing, height, count)
        if columns is None:
            return None
        return Layout(self.style, self.level, width, self.blocks, spacing, columns)

    def fits(self, geometry: Geometry, height: float) -> bool:
        """True when the stages fit in the most columns this size allows."""
        most = geometry.max_columns(self.style.size)
        width = geometry.column_width(most)
        # Wrapping is the costly part: skip it when the text alone cannot fit.
        if sum(block.least_height(width) for block in self.blocks) > most * height:
            return False
        return self.fit(geometry, height, most) is not None

    def best(self, geometry: Geometry, height: float) -> Layout | None:
        """The fewest columns that fit; None when even the most do not."""
        if not self.fits(geometry, height):
            return None
        most = geometry.max_columns(self.style.size)
        for count in range(geometry.min_columns, most + 1):
            layout = self.fit(geometry, height, count)
            if layout is not None:
                return layout
        return None


def sizes(smallest: float, largest: float = MAX_SIZE) -> list[float]:
    """Body sizes from `largest` down to `smallest`, by STEP."""
    count = round((largest - smallest) / STEP)
    return [largest - STEP * i for i in range(count + 1)]


def choose(view: dict[str, Any], geometry: Geometry, height: float, floor: float = FLOOR_SIZE) -> Layout:
    """The preferred layout that fits `height` points of body with type no smaller than
    `floor`; BuildError when none does. A card with nothing to shorten (names only)
    goes down to the floor with whole text."""
    level, size = choice(view, geometry, height, floor)
    layout = Candidate(view, level, size).best(geometry, height)
    assert layout is not None, "a size that fits has a layout"
    return layout


def choice(view: dict[str, Any], geometry: Geometry, height: float, floor: float = FLOOR_SIZE) -> tuple[int, float]:
    """The definition level and body size `choose` lays the card out at, found without
    counting columns (only whether the most columns hold the stages); BuildError when
    nothing fits."""
    plan = [(level, smallest, largest) for level, smallest, largest in PLAN if not level or _shortens(view, level)]
    if len(plan) == 1:
        plan = [(0, floor, MAX_SIZE)]
    for level, smallest, largest in plan:
        if max(smallest, floor) > largest:
            continue
        size = _largest(view, level, sizes(max(smallest, floor), largest), geometry, height)
        if size is not None:
            return level, size
    raise _overflow(view, geometry, height, floor)


def _largest(view: dict[str, Any], level: int, options: list[float], geometry: Geometry, height: float) -> float | None:
    """Bisect `options` (largest first) for the largest size that fits; None when none does."""
    if not Candidate(view, level, options[-1]).fits(geometry, height):
        return None
    low, high = 0, len(options) - 1  # options[high] fits; find the first index that does
    while low < high:
        middle = (low + high) // 2
        if Candidate(view, level, options[middle]).fits(geometry, height):
            high = middle
        else:
            low = middle + 1
    return options[high]


def _shortens(view: dict[str, Any], level: int) -> bool:
    """True when `level` may change some definition compared with the level before."""
    if level >= ONE_LINE:
        return any(s["definitions"][1] for d in view["domains"] for s in d["stages"])
    return any(s["definitions"][level] != s["definitions"][level - 1] for d in view["domains"] for s in d["stages"])


NAME_SHOWN = 40
"""Longest stage name an overflow message quotes whole; longer ones are cut with an ellipsis."""


def _shown(label: str) -> str:
    """The label, or its words that fit NAME_SHOWN characters with an ellipsis."""
    if len(label) <= NAME_SHOWN:
        return label
    cut = label[: NAME_SHOWN - 1]
    return (cut[: cut.rfind(" ")] if " " in cut else cut).rstrip() + "…"


def _overflow(view: dict[str, Any], geometry: Geometry, height: float, floor: float = FLOOR_SIZE) -> BuildError:
    """The error for content that does not fit even at the floor: by how much, and the longest stages."""
    candidate = Candidate(view, PLAN[-1][0], floor)
    count = geometry.max_columns(floor)
    width = geometry.column_width(count)
    units = candidate.units(width)
    over = excess(units, candidate.spacing(width), height, count)
    longest = sorted(range(len(units)), key=lambda i: (-units[i].height, i))[:3]
    leading = candidate.style.body.leading
    named = ", ".join(
        f"{_shown(candidate.blocks[i].stage['label'])} ({round(units[i].height / leading)} lines)" for i in longest
    )
    if over is None:
        amount = f"a column taller than the {view['page']} page for one stage"
    else:
        amount = f"about {max(round(over * 100), 1)}% more room than one {view['page']} page holds"
    return BuildError(
        f"reference-card: the stages need {amount}, even at the "
        f"{floor:g} pt floor in {count} columns with definitions left out. "
        f"Longest stages: {named}. Shorten their entry criteria, or split the card by team; "
        "the card never runs onto a second page."
    )
