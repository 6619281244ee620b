"""What frames every content slide: the topic kicker above the title, the
section tracker beside it, the legend of the marks a slide shows, and the
footer (client · deck · version, and the page number).

Everything is measured with `slides.fit` before it is written; a strip with
no room for its text is left out rather than overflowing. Imported only from
`slides.build`, inside render.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lxml import etree
from pptx.oxml.ns import qn

from deliverables.backends import text as measure
from deliverables.backends.slides import draw, fit
from deliverables.backends.slides.model import Slide
from deliverables.backends.slides.shapes import Rect
from deliverables.backends.text import Run
from deliverables.core import marks

KICKER_SIZE, TRACKER_SIZE, FOOTER_SIZE, LEGEND_SIZE = 12.0, 10.0, 10.0, 12.0
KICKER_HEIGHT = KICKER_SIZE * measure.LINE + 2 * fit.INSET_Y
TRACKER_GAP = 14.0
LEGEND_GAP = 6.0
MARK_STYLES = frozenset({"golden", "assumed"})
MARK_TEXT = {"golden": marks.GOLDEN, "assumed": marks.ASSUMED}
"""A run in a mark's style shows the mark when it holds this text."""
_PAGE_FIELD = "{5E9F1D2C-7A43-4B8E-9C61-2F0A8D3B4E17}"
"""Fixed id of the page-number field: the same bytes on every build."""


def kicker_strip(title: Rect, content: Rect) -> Rect:
    """The strip above a title for the kicker and the tracker: from the title's left edge to the
    content area's right edge (a side-panel title leaves the tracker room above the picture)."""
    top = max(title.top - KICKER_HEIGHT, 0.0)
    right = max(title.left + title.width, content.left + content.width)
    return Rect(title.left, top, right - title.left, KICKER_HEIGHT)


def textbox(target, area: Rect, runs: Sequence[Run], size: float, name: str, align: str = ""):
    """A one-paragraph text box exactly where measured."""
    box = target.shapes.add_textbox(*area.emu())
    box.name = name
    draw.write_text(box.text_frame, runs, size)
    if align:
        box.text_frame.paragraphs[0]._p.get_or_add_pPr().set("algn", align)
    return box


def draw_kicker(target, slide: Slide, sections: Sequence[str], strip: Rect) -> None:
    """The topic in small capitals at the left; the tracker at the right when there is room."""
    used = 0.0
    if slide.topic:
        runs = ((slide.topic.upper(), "kicker"),)
        width = min(_one_line(runs, KICKER_SIZE), strip.width)
        size, runs = fit.fit_text(runs, fit.Box(width, strip.height), (KICKER_SIZE, 11, 10))
        textbox(target, Rect(strip.left, strip.top, width, strip.height), runs, size, "Kicker")
        used = width
    if slide.section in sections:
        _tracker(target, sections, sections.index(slide.section), strip, used)


def _one_line(runs: Sequence[Run], size: float) -> float:
    """Width of a box that holds the runs on one line, insets and the measure's margin included."""
    text = sum(fit.width(t, size, s in measure.BOLD_STYLES) for t, s in runs)
    return text / measure.SAFETY + 2 * fit.INSET_X + 1.0


def _tracker(target, sections: Sequence[str], current: int, strip: Rect, used: float) -> None:
    """Every section named, the current one in the accent colour and underlined; numbers when names do not fit."""
    room = strip.width - used - 2 * TRACKER_GAP
    for labels in (tuple(sections), tuple(str(i + 1) for i in range(len(sections)))):
        widths = [_one_line(((label, "kicker"),), TRACKER_SIZE) for label in labels]
        if sum(widths) + TRACKER_GAP * (len(widths) - 1) <= room:
            break
    else:
        return
    left = strip.left + strip.width - sum(widths) - TRACKER_GAP * (len(widths) - 1)
    for index, (label, width) in enumerate(zip(labels, widths)):
        style = "kicker" if index == current else "muted"
        area = Rect(left, strip.top + 1.0, width, strip.height - 2.0)
        textbox(target, area, ((label, style),), TRACKER_SIZE, f"Tracker {index + 1}", "ctr")
        if index == current:
            bar = Rect(left + fit.INSET_X, strip.top + strip.height - 2.0, width - 2 * fit.INSET_X, 2.0)
            _bar(target, bar, marks.ACCENT, "Tracker mark")
        left += width + TRACKER_GAP


def _bar(target, area: Rect, colour: str, name: str) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE

    shape = target.shapes.add_shape(MSO_SHAPE.RECTANGLE, *area.emu())
    shape.name = name
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(colour)
    shape.line.fill.background()
    shape.shadow.inherit = False


# ------------------------------------------------------------------ legend


def legend_runs(styles: Iterable[str]) -> tuple[Run, ...]:
    """The legend of the marks among `styles` (golden, assumed), in a fixed order; empty when none."""
    present = set(styles) & MARK_STYLES
    runs: list[Run] = []
    for style, text in (("golden", marks.GOLDEN_LEGEND), ("assumed", marks.ASSUMED_LEGEND)):
        if style in present:
            mark, _, meaning = text.partition(" ")
            runs += [("   " if runs else "", ""), (mark.rstrip(":"), style), (f" {meaning.lstrip(': ')}", "muted")]
    return tuple(r for r in runs if r[0])


def legend_height(runs: Sequence[Run], width: float) -> float:
    """Height the legend takes at the bottom of the content area, its gap included (0 without marks)."""
    if not runs:
        return 0.0
    return (
        measure.height(fit.count(runs, width - 2 * fit.INSET_X, LEGEND_SIZE), LEGEND_SIZE)
        + 2 * fit.INSET_Y
        + LEGEND_GAP
    )


def draw_legend(target, runs: Sequence[Run], content: Rect) -> None:
    """The legend along the bottom of the content area."""
    if not runs:
        return
    height = legend_height(runs, content.width) - LEGEND_GAP
    area = Rect(content.left, content.top + content.height - height, content.width, height)
    textbox(target, area, runs, LEGEND_SIZE, "Legend")


# ------------------------------------------------------------------ footer


def draw_footer(target, layout, text: str, number: int, fallback: Rect) -> None:
    """The footer text and the page number, in the layout's footer placeholders when it has them."""
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    from deliverables.backends.slides.base import placeholder, rect

    footer, page = placeholder(layout, (PH.FOOTER,)), placeholder(layout, (PH.SLIDE_NUMBER,))
    area = rect(footer) if footer is not None else fallback
    size, runs = fit.fit_text(((text, "muted"),), area.box, (FOOTER_SIZE, 9, 8))
    if footer is None:
        textbox(target, area, runs, size, "Footer")
    else:
        draw.write_text(_clone(target, footer, "Footer").text_frame, runs, size)
    if page is not None:
        _page_number(_clone(target, page, "Page number").text_frame, number)


def _clone(target, placeholder, name: str):
    """The slide's copy of a layout placeholder python-pptx does not copy itself (footer, page number)."""
    target.shapes.clone_placeholder(placeholder)
    shape = target.placeholders[placeholder.placeholder_format.idx]
    shape.name = name
    return shape


def _page_number(frame, number: int) -> None:
    """A page-number field, so the number follows when slides are moved or removed."""
    draw.prepare(frame)
    frame.clear()
    paragraph = frame.paragraphs[0]._p
    field = etree.Element(qn("a:fld"), id=_PAGE_FIELD, type="slidenum")
    rpr = etree.SubElement(field, qn("a:rPr"), lang="en-US", sz=str(round(FOOTER_SIZE * 100)))
    etree.SubElement(rpr, qn("a:latin"), typeface=draw.FONT)
    etree.SubElement(field, qn("a:t")).text = str(number)
    end = paragraph.find(qn("a:endParaRPr"))
    if end is None:
        end = etree.SubElement(paragraph, qn("a:endParaRPr"), lang="en-US")
    end.set("sz", str(round(FOOTER_SIZE * 100)))
    end.addprevious(field)
