"""Slide bodies drawn as shapes on "Title Only" slides: a lead sentence, then
a table page or a picture scaled to fit. Imported only from `deckbuild`."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

from deliverables.backends import text as measure
from deliverables.backends.slides import draw as deckdraw
from deliverables.backends.slides import fit as deckfit
from deliverables.backends.slides.model import IMAGE, Slide, Table
from deliverables.core.errors import BuildError

LEAD_SIZES = (16, 14, 13, 12)
LEAD_GAP = 4.0


@dataclass(frozen=True)
class Rect:
    """A rectangle on the slide in points."""

    left: float
    top: float
    width: float
    height: float

    @property
    def box(self) -> deckfit.Box:
        """Its size as a `deckfit.Box`."""
        return deckfit.Box(self.width, self.height)

    def emu(self) -> tuple[int, int, int, int]:
        """Left, top, width, height in EMU."""
        return tuple(deckdraw.emu(v) for v in (self.left, self.top, self.width, self.height))


def _lead(slide: Slide, content: Rect) -> tuple[float, tuple, float]:
    """Font size, runs and box height of the slide's lead sentence."""
    if not slide.lead:
        return 0.0, (), 0.0
    size, runs = deckfit.fit_text(((slide.lead, ""),), deckfit.Box(content.width, content.height / 3), LEAD_SIZES)
    inner = measure.line_count(runs, content.width - 2 * deckfit.INSET_X, size)
    return size, runs, measure.height(inner, size) + 2 * deckfit.INSET_Y


def below_lead(slide: Slide, content: Rect) -> Rect:
    """The part of the content area left under the lead sentence."""
    used = _lead(slide, content)[2]
    used += LEAD_GAP if used else 0.0
    return Rect(content.left, content.top + used, content.width, content.height - used)


def draw_body(target, page: Slide, size: float, content: Rect, images: Mapping[str, bytes]) -> None:
    """The lead sentence, then the table page, the empty-table sentence or the picture."""
    lead_size, runs, height = _lead(page, content)
    if runs:
        box = target.shapes.add_textbox(*Rect(content.left, content.top, content.width, height).emu())
        box.name = "Lead"
        deckdraw.write_text(box.text_frame, runs, lead_size)
    area = below_lead(page, content)
    if page.kind == IMAGE:
        _picture(target, page.image, images, area)
    elif page.table is not None and page.table.rows:
        _table(target, page.table, size, area)
    elif page.table is not None:
        _sentence(target, page.table.empty, area)


def _sentence(target, text: str, area: Rect) -> None:
    size, runs = deckfit.fit_text(((text, "muted"),), area.box, deckfit.BODY_SIZES)
    box = target.shapes.add_textbox(*area.emu())
    box.name = "Note"
    deckdraw.write_text(box.text_frame, runs, size)


def _table(target, table: Table, size: float, area: Rect) -> None:
    widths = deckfit.column_widths(table, area.width)
    rows = _grouped(table)
    heights = [deckfit.row_height(r, widths, size) for r in (deckfit.header_cells(table), *rows)]
    frame = target.shapes.add_table(
        len(rows) + 1, len(widths), *Rect(area.left, area.top, area.width, sum(heights)).emu()
    )
    frame.name = "Table"
    grid = frame.table
    grid.first_row, grid.horz_banding = True, False
    for column, width in zip(grid.columns, widths):
        column.width = deckdraw.emu(width)
    for index, (row, cells, height) in enumerate(zip(grid.rows, (deckfit.header_cells(table), *rows), heights)):
        row.height = deckdraw.emu(height)
        fill = deckdraw.HEADER_FILL if index == 0 else (deckdraw.BAND_FILL if index % 2 == 0 else deckdraw.ROW_FILL)
        for target_cell, runs in zip(row.cells, cells):
            deckdraw.write_cell(target_cell, runs, size, fill)


def _grouped(table: Table) -> tuple:
    """Rows with a group's name shown only on its first row of the slide."""
    if not table.group:
        return table.rows
    rows, previous = [], None
    for row in table.rows:
        shown = row[0] if row[0] != previous else ()
        previous = row[0] if row[0] else previous
        rows.append((shown, *row[1:]))
    return tuple(rows)


def _picture(target, name: str, images: Mapping[str, bytes], area: Rect) -> None:
    from PIL import Image

    if name not in images:
        raise BuildError(f"the deck needs the image '{name}', which was not rendered")
    data = images[name]
    with Image.open(io.BytesIO(data)) as picture:
        width, height = picture.size
    scale = min(area.width / width, area.height / height)
    w, h = width * scale, height * scale
    placed = Rect(area.left + (area.width - w) / 2, area.top + (area.height - h) / 2, w, h)
    shape = target.shapes.add_picture(io.BytesIO(data), *placed.emu())
    shape.name = "Diagram"
