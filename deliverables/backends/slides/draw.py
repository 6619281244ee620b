"""Low-level python-pptx drawing shared by the decks: styled runs, paragraphs,
text boxes and table cells written with exactly the sizes, spacing and insets
`slides.fit` measured with. Imported only from `slides.build`, inside render."""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from deliverables.backends import text as measure
from deliverables.backends.slides.fit import BULLET_STEP, CELL_X, CELL_Y, FAMILY, INSET_X, INSET_Y, SPACE_BEFORE
from deliverables.backends.slides.model import Para
from deliverables.backends.text import Run
from deliverables.core import marks

FONT = FAMILY.name
"""The family the text is measured with; named on every run."""
COLOURS: dict[str, str | None] = {
    "title": None,
    "subtitle": None,
    "kicker": marks.ACCENT,
    "assumed": marks.ASSUMED_COLOUR,
    "golden": marks.GOLDEN_LINE,
    "muted": marks.MUTED,
    "heading": "FFFFFF",
    "removed": marks.MUTED,
    "alert": "B91C1C",
    "accent": marks.ACCENT,
    "added": marks.CONFIRMED_COLOUR,
    "": marks.INK,
    "bold": marks.INK,
}
HEADER_FILL, BAND_FILL, ROW_FILL = marks.ACCENT, "F3F4F6", "FFFFFF"
PANEL, RULE = "F3F4F6", "D1D5DB"


def emu(points: float) -> Emu:
    """Points to EMU, rounded up so that a box is never smaller than measured."""
    return Emu(-(-round(points * 12700 * 1000) // 1000))


def points(value: int) -> float:
    """EMU to points."""
    return value / 12700


def prepare(frame, inset_x: float = INSET_X, inset_y: float = INSET_Y) -> None:
    """A text frame that wraps, never auto-fits, with the insets the measure assumes."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = emu(inset_x)
    frame.margin_top = frame.margin_bottom = emu(inset_y)
    frame.vertical_anchor = MSO_ANCHOR.TOP


def write_runs(paragraph, runs: Sequence[Run], size: float) -> None:
    """Styled runs into a paragraph; newlines become line breaks.

    The paragraph's end mark gets the same size: an empty paragraph (a blank
    cell) would otherwise take the base's default size and grow its row."""
    end = paragraph._p.get_or_add_endParaRPr()
    end.set("sz", str(round(size * 100)))
    font_of_end = end.find(qn("a:latin"))
    if font_of_end is None:
        etree.SubElement(end, qn("a:latin")).set("typeface", FONT)
    for text, style in runs:
        for index, piece in enumerate(text.split("\n")):
            if index:
                paragraph.add_line_break()
            if piece:
                _run(paragraph, piece, style, size)


def _run(paragraph, text: str, style: str, size: float) -> None:
    run = paragraph.add_run()
    run.text = text
    font = run.font
    font.name = FONT
    font.size = Pt(size)
    font.bold = style in measure.BOLD_STYLES
    colour = COLOURS.get(style, marks.INK)
    if colour is not None:  # None: the layout's colour (a title on a dark title slide is white)
        font.color.rgb = RGBColor.from_string(colour)
    if style == "removed":
        run._r.get_or_add_rPr().set("strike", "sngStrike")


def spacing(paragraph, size: float, before: float = 0.0) -> None:
    """Exact line spacing and paragraph spacing, as measured."""
    paragraph.line_spacing = Pt(size * measure.LINE)
    paragraph.space_before = Pt(before)
    paragraph.space_after = Pt(0)


def write_text(frame, runs: Sequence[Run], size: float, *, inset_x: float = INSET_X, inset_y: float = INSET_Y) -> None:
    """One unbulleted paragraph filling a text frame."""
    prepare(frame, inset_x, inset_y)
    frame.clear()
    paragraph = frame.paragraphs[0]
    _no_bullet(paragraph)
    spacing(paragraph, size)
    write_runs(paragraph, runs, size)


def write_paras(frame, paras: Sequence[Para], size: float) -> None:
    """Bullet paragraphs filling a text frame, indented per level."""
    prepare(frame)
    frame.clear()
    for index, item in enumerate(paras):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        _bullet(paragraph, item.level)
        spacing(paragraph, size, SPACE_BEFORE * size)
        write_runs(paragraph, item.runs, size)


def write_plain(frame, paras: Sequence[Para], size: float) -> None:
    """Unbulleted paragraphs filling a text frame, spaced as bullet paragraphs are."""
    prepare(frame)
    frame.clear()
    for index, item in enumerate(paras):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        _no_bullet(paragraph)
        spacing(paragraph, size, SPACE_BEFORE * size)
        write_runs(paragraph, item.runs, size)


def _bullet(paragraph, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.set("marL", str(int(emu(BULLET_STEP * (level + 1)))))
    ppr.set("indent", str(-int(emu(BULLET_STEP * 0.8))))
    for tag in ("a:buNone", "a:buChar", "a:buAutoNum"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)
    char = etree.SubElement(ppr, qn("a:buChar"))
    char.set("char", "•" if level == 0 else "–")


def _no_bullet(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.set("marL", "0")
    ppr.set("indent", "0")
    if ppr.find(qn("a:buNone")) is None:
        etree.SubElement(ppr, qn("a:buNone"))


def write_cell(cell, runs: Sequence[Run], size: float, fill: str) -> None:
    """A table cell: margins as measured, a solid fill, styled runs."""
    cell.margin_left = cell.margin_right = emu(CELL_X)
    cell.margin_top = cell.margin_bottom = emu(CELL_Y)
    cell.vertical_anchor = MSO_ANCHOR.TOP
    cell.fill.solid()
    cell.fill.fore_color.rgb = RGBColor.from_string(fill)
    frame = cell.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    _no_bullet(paragraph)
    spacing(paragraph, size)
    write_runs(paragraph, runs, size)
