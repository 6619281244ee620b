"""The audit's charts with matplotlib (Agg), byte-identical for the same input:
fixed SVG hash salt, no dates or software names in the files, text as paths.

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


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    for bold in (False, True):
        font_manager.fontManager.addfont(str(marks.font_path(bold=bold)))
    plt.rcParams.update(
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
    return plt


def bars(title: str, items: Sequence[Bar], unit: str = "") -> dict[str, bytes]:
    """A horizontal bar chart, first item on top, as {'svg': ..., 'png': ...}."""
    import textwrap

    plt = _pyplot()
    title = "\n".join(textwrap.wrap(title, 72)) or " "
    height = 1.2 + 0.42 * max(len(items), 1) + 0.25 * title.count("\n")
    figure, axes = plt.subplots(figsize=(7.5, height), dpi=150)
    labels = [b.label for b in items]
    values = [max(b.value, 0) for b in items]
    colours = ["#" + (marks.GOLDEN_LINE if b.golden else marks.ACCENT) for b in items]
    positions = list(range(len(items)))[::-1]
    axes.barh(positions, values, color=colours, height=0.62)
    top = max(values, default=0) or 1
    for y, bar, value in zip(positions, items, values):
        axes.text(value + top * 0.01, y, bar.note, va="center", ha="left", fontsize=9, color="#" + marks.INK)
    axes.set_yticks(positions, labels, fontsize=9, color="#" + marks.INK)
    axes.set_xlim(0, top * 1.45)
    axes.xaxis.set_visible(False)
    axes.spines["bottom"].set_visible(False)
    axes.spines["left"].set_color("#" + marks.MUTED)
    axes.tick_params(axis="y", length=0)
    figure.suptitle(title, x=0.02, ha="left", fontsize=12, fontweight="bold", color="#" + marks.INK)
    figure.tight_layout(rect=(0, 0.03, 1, 0.97 - 0.04 * title.count("\n")))
    if unit:
        figure.text(0.02, 0.01, unit, fontsize=8, color="#" + marks.MUTED)
    out = {}
    for kind in ("svg", "png"):
        buffer = io.BytesIO()
        meta = {"Date": None, "Creator": None} if kind == "svg" else {"Software": None}
        figure.savefig(buffer, format=kind, metadata=meta)
        out[kind] = buffer.getvalue()
    plt.close(figure)
    return out
