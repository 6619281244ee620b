"""Slide bodies drawn as shapes: a lead sentence, a table page, a picture
scaled to fill its area. Imported only from `slides.build`."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

from deliverables.backends import text as measure
from deliverables.backends.slides import draw as deckdraw
from deliverables.backends.slides import fit as deckfit
from deliverables.backends.slides.model import Slide, Table

LEAD_SIZES = (16, 14, 13, 12)
LEAD_GAP = 6.0


@dataclass(frozen=True)
class Rect:
    """A rectangle on the slide in points."""

    left: float
    top: float
    width: float
    height: float

    @property
    def box(self) -> deckfit.Box:
        """Its size as a `fit.Box`."""
        return deckfit.Box(self.width, self.height)

    def emu(self) -> tuple[int, int, int, int]:
        """Left, top, width, height in EMU."""
        return tuple(deckdraw.emu(v) for v in (self.left, self.top, self.width, self.height))

    def shrink(self, bottom: float) -> Rect:
        """The same rectangle with `bottom` points taken off its foot."""
        return Rect(self.left, self.top, self.width, self.height - bottom)


def _lead(slide: Slide, content: Rect) -> tuple[float, tuple, float]:
    """Font size, runs and box height of the slide's lead sentence."""
    if not slide.lead:
        return 0.0, (), 0.0
    size, runs = deckfit.fit_text(((slide.lead, ""),), deckfit.Box(content.width, content.height / 3), LEAD_SIZES)
    inner = deckfit.count(runs, content.width - 2 * deckfit.INSET_X, size)
    return size, runs, measure.height(inner, size) + 2 * deckfit.INSET_Y


def below_lead(slide: Slide, content: Rect) -> Rect:
    """The part of the content area left under the lead sentence."""
    used = _lead(slide, content)[2]
    used += LEAD_GAP if used else 0.0
    return Rect(content.left, content.top + used, content.width, content.height - used)


def draw_lead(target, page: Slide, content: Rect) -> None:
    """The slide's lead sentence at the top of the content area."""
    size, runs, height = _lead(page, content)
    if runs:
        box = target.shapes.add_textbox(*Rect(content.left, content.top, content.width, height).emu())
        box.name = "Lead"
        deckdraw.write_text(box.text_frame, runs, size)


def draw_table(target, table: Table, size: float, area: Rect) -> None:
    """A table page: accent header row, zebra rows, every row as tall as measured."""
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


@functools.lru_cache(maxsize=8)
def content_box(data: bytes) -> tuple[int, int, tuple[float, float, float, float]]:
    """A picture's pixel size and the share cut off each side (left, top, right, bottom) to drop
    margins of its background colour, so the drawing itself fills the slide.

    A pure function of the bytes, remembered so a deck that places one picture on
    several slides decodes it once."""
    from PIL import Image, ImageChops

    with Image.open(io.BytesIO(data)) as picture:
        rgb = picture.convert("RGB")
        width, height = rgb.size
        background = Image.new("RGB", rgb.size, rgb.getpixel((0, 0)))
        bbox = ImageChops.difference(rgb, background).getbbox() or (0, 0, width, height)
    pad = max(width, height) // 100  # keep a little air around the drawing
    left, top = max(bbox[0] - pad, 0), max(bbox[1] - pad, 0)
    right, bottom = min(bbox[2] + pad, width), min(bbox[3] + pad, height)
    crop = (left / width, top / height, 1 - right / width, 1 - bottom / height)
    return right - left, bottom - top, crop


def placed(size: tuple[int, int], area: Rect) -> Rect:
    """A picture of `size` scaled to fit `area`, centred."""
    width, height = size
    scale = min(area.width / width, area.height / height)
    w, h = width * scale, height * scale
    return Rect(area.left + (area.width - w) / 2, area.top + (area.height - h) / 2, w, h)


def draw_picture(target, data: bytes, area: Rect) -> None:
    """The picture, its background margins cropped, as large as `area` allows."""
    width, height, crop = content_box(data)
    where = placed((width, height), area)
    shape = target.shapes.add_picture(io.BytesIO(data), *where.emu())
    shape.name = "Diagram"
    shape.crop_left, shape.crop_top, shape.crop_right, shape.crop_bottom = crop
