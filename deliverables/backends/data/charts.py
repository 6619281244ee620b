"""The audit's charts, byte-identical for the same input: drawn once with matplotlib
as SVG (fixed hash salt, no dates or software names, text as paths), then
rasterized by resvg from that SVG, so the PNG shows exactly the same picture.

Data is labelled directly on the bars; no legend, no grid, no 3-D. Colours are
the ones every deliverable uses (`core.marks`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from deliverables.core import marks


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value, the text written beside it, and whether it is a golden stage."""

    label: str
    value: float
    note: str
    golden: bool = False


WIDTH = 7.5
"""Width of a chart in inches."""
DPI = 150
"""Pixels per inch of the PNG."""


def _figure():
    """matplotlib's Figure class, set up for the charts (no pyplot: no global figure state)."""
    import warnings

    import matplotlib
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    # A label the bundled font cannot draw is reported where it is written (`deliver check`:
    # the diagram's font), not as matplotlib's own warning on the terminal, once per glyph.
    warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)

    for bold in (False, True):
        font_manager.fontManager.addfont(str(marks.font_path(bold=bold)))
    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "deliver-audit",
            "svg.fonttype": "path",
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "path.simplify": False,
        }
    )
    return Figure


def _pointed(label: str) -> str:
    """The label with its arrows pointing the way it reads: matplotlib lays a label whose
    first letter is right-to-left out from the right, so 'ליד → MQL' must say ←."""
    from deliverables.backends import direction

    return label.replace("→", "←") if direction.rtl_paragraph(label) else label


def warm() -> None:
    """Load and set up matplotlib now (a session's workers do, before any chart is asked for)."""
    _figure()


def bars(title: str, items: Sequence[Bar], unit: str = "", top: float = 0) -> dict[str, bytes]:
    """A horizontal bar chart, first item on top, as {'svg': ..., 'png': ...}; `top`, the
    value the longest bar's room is measured against (default: its own largest)."""
    import textwrap

    title = "\n".join(textwrap.wrap(title, 72)) or " "
    height = 1.2 + 0.42 * max(len(items), 1) + 0.25 * title.count("\n")
    figure = _figure()(figsize=(WIDTH, height), dpi=DPI)
    axes = figure.subplots()
    labels = [_pointed(b.label) for b in items]
    values = [max(b.value, 0) for b in items]
    colours = ["#" + (marks.GOLDEN_LINE if b.golden else marks.ACCENT) for b in items]
    positions = list(range(len(items)))[::-1]
    axes.barh(positions, values, color=colours, height=0.62)
    top = top or max(values, default=0) or 1
    notes = [
        axes.text(value + top * 0.01, y, bar.note, va="center", ha="left", fontsize=9, color="#" + marks.INK)
        for y, bar, value in zip(positions, items, values)
    ]
    axes.set_yticks(positions, labels, fontsize=9, color="#" + marks.INK)
    axes.set_xlim(0, top * 1.45)
    axes.xaxis.set_visible(False)
    axes.spines["bottom"].set_visible(False)
    axes.spines["left"].set_color("#" + marks.MUTED)
    axes.tick_params(axis="y", length=0)
    figure.suptitle(title, x=0.02, ha="left", fontsize=12, fontweight="bold", color="#" + marks.INK)
    figure.tight_layout(rect=(0, 0.03, 1, 0.97 - 0.04 * title.count("\n")))
    _room_for_notes(figure, axes, notes)
    if unit:
        figure.text(0.02, 0.01, unit, fontsize=8, color="#" + marks.MUTED)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    return {"svg": svg, "png": _png(svg, round(WIDTH * DPI))}


def _room_for_notes(figure, axes, notes) -> None:
    """Widen the value axis when a bar's note would run past the picture's right edge (long
    stage names leave the bars little room): a note starting x px right of the axis and n px
    long ends within the edge, r px right of the axis, once the axis reaches x / (r - n)
    times its present end."""
    figure.draw_without_rendering()
    left, room = axes.get_window_extent().x0, figure.bbox.x1 - 4 - axes.get_window_extent().x0
    start, end = axes.get_xlim()
    needed = end
    for note in notes:
        extent = note.get_window_extent()
        if extent.x1 > left + room and extent.width < room * 0.9:
            needed = max(needed, start + (end - start) * (extent.x0 - left) / (room - extent.width))
    if needed > end:
        axes.set_xlim(start, needed)


PER_PICTURE = 25
"""Bars a document shows in one picture: the page holds 25 at a readable size, and more
would shrink every label with them (150 bars to a sixth of their size)."""


def pictures(title: str, items: Sequence[Bar], unit: str = "") -> list[tuple[bytes, int]]:
    """A chart of more than PER_PICTURE bars as PNGs of about equal parts, each at most
    PER_PICTURE bars, all on one scale: the title above the first, the unit below the last;
    each with its number of bars."""
    parts = -(-len(items) // PER_PICTURE)
    size = -(-len(items) // parts)
    top = max((max(b.value, 0) for b in items), default=0) or 1
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    last = len(chunks) - 1
    drawn = [bars(title if not i else "", c, unit if i == last else "", top)["png"] for i, c in enumerate(chunks)]
    return list(zip(drawn, map(len, chunks)))


def _png(svg: bytes, width_px: int) -> bytes:
    """The chart's pixels, drawn by resvg from its SVG (its text is paths: no fonts involved)."""
    from deliverables.backends import images

    return images.png(svg, width_px)
