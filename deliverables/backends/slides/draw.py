"""Low-level python-pptx drawing shared by the decks: styled runs, paragraphs,
text boxes and table cells written with exactly the sizes, spacing and insets
`slides.fit` measured with. Imported only from `slides.build`, inside render."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn
from pptx.util import Emu

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

_A_PPR, _A_R, _A_RPR, _A_T, _A_BR = (qn(f"a:{t}") for t in ("pPr", "r", "rPr", "t", "br"))
_A_END, _A_LATIN, _A_FILL, _A_RGB = (qn(f"a:{t}") for t in ("endParaRPr", "latin", "solidFill", "srgbClr"))
_A_LNSPC, _A_SPCBEF, _A_SPCAFT, _A_SPCPTS = (qn(f"a:{t}") for t in ("lnSpc", "spcBef", "spcAft", "spcPts"))
_PPR_ORDER = tuple(
    qn(f"a:{t}")
    for t in (
        "lnSpc",
        "spcBef",
        "spcAft",
        "buClrTx",
        "buClr",
        "buSzTx",
        "buSzPct",
        "buSzPts",
        "buFontTx",
        "buFont",
        "buNone",
        "buAutoNum",
        "buChar",
        "buBlip",
        "tabLst",
        "defRPr",
        "extLst",
    )
)
"""The children of `a:pPr` in schema order."""
_A_NOAUTOFIT = qn("a:noAutofit")
_AUTOFIT = frozenset(qn(f"a:{t}") for t in ("noAutofit", "normAutofit", "spAutoFit"))
_BODY_AFTER_AUTOFIT = tuple(qn(f"a:{t}") for t in ("scene3d", "sp3d", "flatTx", "extLst"))
_P_AFTER_PPR = tuple(qn(f"a:{t}") for t in ("r", "br", "fld", "endParaRPr"))
_CONTROL = re.compile(r"([\x00-\x08\x0B-\x1F])")
"""Control characters DrawingML text cannot hold: written as `_xHHHH_`, as python-pptx does."""


def emu(points: float) -> Emu:
    """Points to EMU, rounded up so that a box is never smaller than measured."""
    return Emu(-(-round(points * 12700 * 1000) // 1000))


def points(value: int) -> float:
    """EMU to points."""
    return value / 12700


def prepare(frame, inset_x: float = INSET_X, inset_y: float = INSET_Y) -> None:
    """A text frame that wraps, never auto-fits, with the insets the measure assumes.

    Written as python-pptx's setters write it: an inset equal to the default is
    left out, the autofit choice sits at its place in the schema."""
    body = frame._bodyPr
    body.set("wrap", "square")
    for old in body:
        if old.tag in _AUTOFIT:
            body.remove(old)
    _insert(body, etree.Element(_A_NOAUTOFIT), _BODY_AFTER_AUTOFIT)
    x, y = int(emu(inset_x)), int(emu(inset_y))
    for name, value, default in (("lIns", x, 91440), ("rIns", x, 91440), ("tIns", y, 45720), ("bIns", y, 45720)):
        if value == default:
            body.attrib.pop(name, None)
        else:
            body.set(name, str(value))
    body.set("anchor", "t")


def write_runs(paragraph, runs: Sequence[Run], size: float) -> None:
    """Styled runs into a paragraph; newlines become line breaks.

    The paragraph's end mark gets the same size: an empty paragraph (a blank
    cell) would otherwise take the base's default size and grow its row.
    Written straight into the XML, element for element what python-pptx's
    setters write, at a fraction of their cost (a deck writes thousands)."""
    p = paragraph._p
    end = p.find(_A_END)
    if end is None:
        end = etree.SubElement(p, _A_END)
    end.set("sz", _centipoints(size))
    if end.find(_A_LATIN) is None:
        etree.SubElement(end, _A_LATIN).set("typeface", FONT)
    for text, style in runs:
        for index, piece in enumerate(text.split("\n")):
            if index:
                end.addprevious(etree.Element(_A_BR))
            if piece:
                end.addprevious(_run(piece, style, size))


def _run(text: str, style: str, size: float) -> etree._Element:
    """One `a:r`: size, weight, colour (None: the layout's, e.g. a white title), strike-through."""
    run = etree.Element(_A_R)
    rpr = etree.SubElement(run, _A_RPR)
    rpr.set("sz", _centipoints(size))
    rpr.set("b", "1" if style in measure.BOLD_STYLES else "0")
    if style == "removed":
        rpr.set("strike", "sngStrike")
    colour = COLOURS.get(style, marks.INK)
    if colour is not None:
        etree.SubElement(etree.SubElement(rpr, _A_FILL), _A_RGB).set("val", colour.upper())
    etree.SubElement(rpr, _A_LATIN).set("typeface", FONT)
    etree.SubElement(run, _A_T).text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    return run


def spacing(paragraph, size: float, before: float = 0.0) -> None:
    """Exact line spacing and paragraph spacing, as measured."""
    ppr = _ppr(paragraph)
    for tag, points in ((_A_LNSPC, size * measure.LINE), (_A_SPCBEF, before), (_A_SPCAFT, 0.0)):
        for old in ppr.findall(tag):
            ppr.remove(old)
        spacer = etree.Element(tag)
        etree.SubElement(spacer, _A_SPCPTS).set("val", _centipoints(points))
        _insert(ppr, spacer, _PPR_ORDER[_PPR_ORDER.index(tag) + 1 :])


def _ppr(paragraph) -> etree._Element:
    """The paragraph's `a:pPr`, added before its runs when it has none."""
    p = paragraph._p
    ppr = p.find(_A_PPR)
    if ppr is None:
        ppr = etree.Element(_A_PPR)
        _insert(p, ppr, _P_AFTER_PPR)
    return ppr


def _insert(parent: etree._Element, child: etree._Element, successors: Sequence[str]) -> None:
    """`child` before the first of `parent`'s children that the schema puts after it."""
    for existing in parent:
        if existing.tag in successors:
            existing.addprevious(child)
            return
    parent.append(child)


def _centipoints(points: float) -> str:
    """Points as the hundredths of a point DrawingML stores, rounded as python-pptx's `Pt` does."""
    return str(int(points * 12700) // 127)


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
    ppr = _ppr(paragraph)
    ppr.set("marL", str(int(emu(BULLET_STEP * (level + 1)))))
    ppr.set("indent", str(-int(emu(BULLET_STEP * 0.8))))
    for tag in ("a:buNone", "a:buChar", "a:buAutoNum"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)
    char = etree.SubElement(ppr, qn("a:buChar"))
    char.set("char", "•" if level == 0 else "–")


def _no_bullet(paragraph) -> None:
    ppr = _ppr(paragraph)
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
