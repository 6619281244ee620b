"""Fit slide content into boxes: size text down to a floor, then split.

Pure geometry in points on top of `backends.text`: the deck builder asks how
big a font may be and what goes on each continuation slide, then writes
exactly that, with the line spacing and insets assumed here. Every run the
decks write names `FAMILY`, so what is measured here is what PowerPoint lays out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from deliverables.backends import text as measure
from deliverables.backends.slides.model import Para, Table
from deliverables.backends.text import Run

FAMILY = measure.CALIBRI
"""The family of every run on a slide: Office has it, and Carlito measures it."""
INSET_X, INSET_Y = 7.2, 3.6
"""Text-box insets in points, set explicitly on every box the decks fill."""
CELL_X, CELL_Y = 5.0, 3.0
"""Table-cell margins in points."""
BULLET_STEP = 20.0
"""Left margin per bullet level in points (the bullet hangs in it)."""
SPACE_BEFORE = 0.35
"""Space above a bullet paragraph, as a share of the font size."""

BODY_SIZES = (20, 18, 16, 14, 13, 12)
TABLE_SIZES = (16, 14, 13, 12)
"""Never below 12 pt: a longer table continues on "(cont.)" slides instead."""
TITLE_SIZES = (26, 24, 22, 20)


def count(runs: Sequence[Run], width: float, size: float) -> int:
    """Lines the runs take in `FAMILY` at `width` points and `size`."""
    return measure.line_count(runs, width, size, FAMILY)


def wrap(runs: Sequence[Run], width: float, size: float) -> list[list[Run]]:
    """The runs wrapped into lines in `FAMILY`."""
    return measure.wrap(runs, width, size, FAMILY)


def width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of one line of text in `FAMILY`."""
    return measure.text_width(text, size, bold, FAMILY)


@dataclass(frozen=True)
class Box:
    """A text box's outer size in points."""

    width: float
    height: float


@dataclass(frozen=True)
class TablePage:
    """The rows of one slide of a table, at one font size, with row heights."""

    size: float
    widths: tuple[float, ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    heights: tuple[float, ...]
    """Header first, then one per row, in points."""


def para_width(box: Box, level: int) -> float:
    """Width available to the text of a bullet paragraph at `level`."""
    return box.width - 2 * INSET_X - BULLET_STEP * (level + 1)


def para_height(p: Para, box: Box, size: float) -> float:
    """Height of one bullet paragraph, its space above included."""
    lines = count(p.runs, para_width(box, p.level), size)
    return SPACE_BEFORE * size + measure.height(lines, size)


def paras_height(paras: Sequence[Para], box: Box, size: float) -> float:
    """Height of a list of paragraphs plus the box's insets."""
    return 2 * INSET_Y + sum(para_height(p, box, size) for p in paras)


def fit_paras(paras: Sequence[Para], box: Box, sizes: Sequence[float] = BODY_SIZES) -> list[tuple[float, list[Para]]]:
    """Pages of paragraphs at the largest size that needs no more slides than the floor size does."""
    for size in sizes:
        if paras_height(paras, box, size) <= box.height:
            return [(size, list(paras))]
    size, pages = largest_with_fewest(sizes, lambda size: _pack_paras(paras, box, size))
    return [(size, page) for page in pages]


def largest_with_fewest(sizes: Sequence[float], paginate: Callable[[float], list]) -> tuple[float, list]:
    """The largest size whose pagination needs no more pages than the floor size's.

    Smaller text never needs more pages, so walk up from the floor and stop at
    the first size that would add a slide."""
    best = (sizes[-1], paginate(sizes[-1]))
    for size in reversed(sizes[:-1]):
        pages = paginate(size)
        if len(pages) > len(best[1]):
            break
        best = (size, pages)
    return best


def _pack_paras(paras: Sequence[Para], box: Box, size: float) -> list[list[Para]]:
    pieces = [chunk for p in paras for chunk in _split_para(p, box, size)]
    heights = [para_height(p, box, size) for p in pieces]
    return [pieces[i:j] for i, j in balanced(heights, box.height - 2 * INSET_Y)]


def balanced(heights: Sequence[float], room: float) -> list[tuple[int, int]]:
    """Split items into the fewest pages of at most `room`, as evenly filled as possible.

    Greedy packing fixes the number of pages; the smallest capacity that still
    needs no more pages then spreads items evenly instead of leaving a lone
    row on the last slide."""

    def pack(capacity: float) -> list[tuple[int, int]]:
        bounds, start, used = [], 0, 0.0
        for index, h in enumerate(heights):
            if index > start and used + h > capacity:
                bounds.append((start, index))
                start, used = index, 0.0
            used += h
        return bounds + [(start, len(heights))] if heights else []

    pages = len(pack(room))
    low, high = max(heights, default=0.0), room
    for _ in range(30):
        middle = (low + high) / 2
        low, high = (low, middle) if len(pack(middle)) <= pages else (middle, high)
    return pack(high)


def _split_para(p: Para, box: Box, size: float) -> list[Para]:
    """A paragraph too tall for an empty box, cut into pieces that each fit."""
    room = int((box.height - 2 * INSET_Y - SPACE_BEFORE * size) // measure.height(1, size))
    lines = wrap(p.runs, para_width(box, p.level), size)
    if len(lines) <= room:
        return [p]
    room = max(room, 1)
    return [Para(measure.join(lines[i : i + room]), p.level) for i in range(0, len(lines), room)]


def fit_text(runs: Sequence[Run], box: Box, sizes: Sequence[float]) -> tuple[float, tuple[Run, ...]]:
    """The largest size at which runs fit a box unsplit; at the floor, cut with an ellipsis."""
    inner_w, inner_h = box.width - 2 * INSET_X, box.height - 2 * INSET_Y
    for size in sizes:
        if measure.height(count(runs, inner_w, size), size) <= inner_h:
            return size, tuple(runs)
    size = sizes[-1]
    room = max(int(inner_h // measure.height(1, size)), 1)
    lines = wrap(runs, inner_w, size)[:room]
    kept = list(lines)
    while lines and count(measure.join(lines) + (("…", ""),), inner_w, size) > room:
        lines[-1] = lines[-1][:-1] or []
        if not lines[-1]:
            lines.pop()
    if not lines and kept and kept[0]:
        # One word wider than every line the box holds (a long name without spaces): keep
        # as many of its first characters as fit, rather than a lone ellipsis.
        return size, _cut_word(kept[0][0], inner_w, size, room)
    return size, measure.join(lines) + (("…", ""),)


def _cut_word(token: Run, width: float, size: float, room: int) -> tuple[Run, ...]:
    """The start of one token, cut character by character until it and an ellipsis fit `room` lines."""
    text, style = token
    while text and count(((text + "…", style),), width, size) > room:
        text = text[:-1]
    return ((text, style), ("…", "")) if text else (("…", ""),)


def column_widths(table: Table, width: float) -> tuple[float, ...]:
    """Absolute column widths in points from the table's relative weights."""
    total = sum(table.widths)
    return tuple(width * w / total for w in table.widths)


def cell_lines(runs: Sequence[Run], width: float, size: float) -> int:
    """Lines a cell's text takes in a column `width` points wide."""
    return count(runs, width - 2 * CELL_X, size)


def row_height(cells: Sequence[Sequence[Run]], widths: Sequence[float], size: float) -> float:
    """Height of a table row: its tallest cell plus the cell margins."""
    lines = max((cell_lines(c, w, size) for c, w in zip(cells, widths)), default=1)
    return measure.height(max(lines, 1), size) + 2 * CELL_Y


def header_cells(table: Table) -> tuple[tuple[Run, ...], ...]:
    """The header row as bold runs."""
    return tuple(((name, "heading"),) for name in table.columns)


def fit_table(table: Table, box: Box, sizes: Sequence[float] = TABLE_SIZES) -> list[TablePage]:
    """Pages of a table at the largest size that needs no more slides than the floor size does."""
    widths = column_widths(table, box.width)
    for size in sizes:
        heights = _heights(table.rows, table, widths, size)
        if sum(heights) <= box.height:
            return [TablePage(size, widths, table.rows, tuple(heights))]
    return largest_with_fewest(sizes, lambda size: _paginate(table, box, widths, size))[1]


def _heights(rows, table: Table, widths, size: float) -> list[float]:
    return [row_height(r, widths, size) for r in (header_cells(table), *rows)]


def _paginate(table: Table, box: Box, widths: tuple[float, ...], size: float) -> list[TablePage]:
    room = box.height - row_height(header_cells(table), widths, size)
    rows = [piece for r in table.rows for piece in _split_row(r, widths, size, room)]
    heights = [row_height(r, widths, size) for r in rows]
    return [
        TablePage(size, widths, tuple(rows[i:j]), tuple(_heights(rows[i:j], table, widths, size)))
        for i, j in balanced(heights, room)
    ]


def _split_row(row, widths: Sequence[float], size: float, room: float) -> list[tuple]:
    """A row too tall for an empty slide, cut line-wise into rows that each fit."""
    if row_height(row, widths, size) <= room:
        return [row]
    per = max(int((room - 2 * CELL_Y) // measure.height(1, size)), 1)
    wrapped = [wrap(c, w - 2 * CELL_X, size) for c, w in zip(row, widths)]
    longest = max(len(lines) for lines in wrapped)
    return [tuple(measure.join(lines[i : i + per]) for lines in wrapped) for i in range(0, longest, per)]
