"""Build a .pptx from a `slides.Deck` on the base presentation's layouts.

Shared by every deck renderer and imported only inside `render()`. Layouts
are taken by name from `base.pptx` (a client theme's copy first), so a
branded base restyles every deck. Each slide is expanded into pages first:
long tables, lists and flows continue on "(cont.)" slides, and every size
comes from `slides.fit`, never from a viewer's autofit. Then each page is
drawn: title and kicker, tracker, body, the legend of its marks, footer and
speaker notes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from deliverables.backends.archive import core_text, drop_dates, normalize_zip
from deliverables.backends.slides import chrome, shapes
from deliverables.backends.slides import draw as deckdraw
from deliverables.backends.slides import fit as deckfit
from deliverables.backends.slides import flow as deckflow
from deliverables.backends.slides.base import (
    BODIES,
    EXHIBIT,
    LAYOUTS,
    SUBTITLES,
    TITLES,
    Base,
    open_base,
    placeholder,
    rect,
)
from deliverables.backends.slides.model import BULLETS, FLOW, IMAGE, TABLE, TITLE, Deck, Slide
from deliverables.backends.slides.shapes import Rect
from deliverables.core.context import Context
from deliverables.core.dates import FALLBACK_DATE
from deliverables.core.errors import BuildError

CONT = " (cont.)"
COVER_SIZES = (40, 36, 32, 28, 24)
SUBTITLE_SIZES = (20, 18, 16, 14)
FACT_SIZES = (16, 14, 13, 12)
EXHIBIT_TITLE_SIZES = (22, 20, 18)
"""The side panel is narrow: a smaller title keeps it to a few lines."""
WIDE_SHARE = 0.9
"""A picture narrower than this share of the wide content area goes on the side-panel layout."""
HANDOFF_LABEL = "Hands off to:"


@dataclass(frozen=True)
class Page:
    """One slide as drawn: the (continued) slide, its layout, its body size and flow page."""

    slide: Slide
    layout: str
    size: float = 0.0
    flow: deckflow.FlowPage | None = None


def build(deck: Deck, ctx: Context, images: Mapping[str, bytes]) -> bytes:
    """The deck's .pptx bytes: deterministic for the same deck and date."""
    base = open_base(ctx.input("base.pptx"), str(ctx.template("base.pptx")))
    _clear_slides(base.prs)
    pages = [page for slide in deck.slides for page in expand(slide, base, images)]
    for number, page in enumerate(pages, 1):
        _draw(base, deck, page, number, images)
    _properties(base.prs, deck, ctx.date)
    out = io.BytesIO()
    base.prs.save(out)
    return normalize_zip(out.getvalue())


def _clear_slides(prs) -> None:
    """Drop any sample slides a branded base carries; only its layouts and theme are wanted."""
    id_list = prs.slides._sldIdLst
    for entry in list(id_list):
        prs.part.drop_rel(entry.rId)
        id_list.remove(entry)


# ------------------------------------------------------------------ pages


def marks_of(slide: Slide) -> set[str]:
    """The marks (golden, assumed) the slide's body shows, each needing its legend on the slide."""
    runs = [run for p in slide.paras for run in p.runs]
    if slide.table is not None:
        runs += [run for row in slide.table.rows for cell in row for run in cell]
    found = {style for text, style in runs if chrome.MARK_TEXT.get(style, "\0") in text}
    if slide.flow is not None:
        found |= {"golden" for s in slide.flow.steps if s.golden} | {"assumed" for s in slide.flow.steps if s.assumed}
    return found


def body_area(slide: Slide, content: Rect) -> Rect:
    """The content area less the legend strip its marks need."""
    return content.shrink(chrome.legend_height(chrome.legend_runs(marks_of(slide)), content.width))


def expand(slide: Slide, base: Base, images: Mapping[str, bytes]) -> Iterator[Page]:
    """The slide's pages: itself, or itself and its "(cont.)" slides; nothing for an empty table."""
    area = body_area(slide, base.content)
    if slide.kind == BULLETS:
        for index, (size, paras) in enumerate(deckfit.fit_paras(slide.paras, area.box)):
            yield Page(_continued(slide, index, paras=tuple(paras)), LAYOUTS[BULLETS], size)
    elif slide.kind == TABLE and slide.table is not None and slide.table.rows:
        for index, page in enumerate(deckfit.fit_table(slide.table, shapes.below_lead(slide, area).box)):
            yield Page(_continued(slide, index, table=replace(slide.table, rows=page.rows)), LAYOUTS[TABLE], page.size)
    elif slide.kind == FLOW and slide.flow is not None and slide.flow.steps:
        for index, page in enumerate(deckflow.paginate(slide.flow, _flow_area(slide, area))):
            yield Page(_continued(slide, index), LAYOUTS[FLOW], page.size, page)
    elif slide.kind == IMAGE:
        yield Page(slide, _image_layout(slide, base, images))
    elif slide.kind == TITLE:
        yield Page(slide, LAYOUTS[TITLE])


def _continued(slide: Slide, index: int, **changes) -> Slide:
    title = slide.title + (CONT if index else "")
    notes = slide.notes if not index else f"(Continued.) {slide.notes}"
    return replace(slide, title=title, notes=notes, **changes)


def _flow_area(slide: Slide, area: Rect) -> Rect:
    runs = deckflow.handoff_runs(slide.flow, HANDOFF_LABEL)
    return area.shrink(deckflow.handoff_height(runs, area.width))


def _image_layout(slide: Slide, base: Base, images: Mapping[str, bytes]) -> str:
    """The wide layout when the picture fills most of its width, else the side panel (when the base has it)."""
    width, height, _ = shapes.content_box(_image(slide, images))
    share = shapes.placed((width, height), base.content).width / base.content.width
    return EXHIBIT if share < WIDE_SHARE and base.has_exhibit() else LAYOUTS[IMAGE]


def _image(slide: Slide, images: Mapping[str, bytes]) -> bytes:
    if slide.image not in images:
        raise BuildError(f"the deck needs the image '{slide.image}', which was not rendered")
    return images[slide.image]


# ------------------------------------------------------------------ drawing


def _draw(base: Base, deck: Deck, page: Page, number: int, images: Mapping[str, bytes]) -> None:
    layout = base.layout(page.layout)
    target = base.prs.slides.add_slide(layout)
    slide = page.slide
    title = placeholder(target, TITLES)
    if slide.kind == TITLE:
        _text(title, ((slide.title, "title"),), COVER_SIZES)
        _text(placeholder(target, SUBTITLES), ((slide.subtitle, "subtitle"),), SUBTITLE_SIZES)
    else:
        strip = chrome.kicker_strip(_room_for_kicker(title), base.content)
        _text(title, ((slide.title, "title"),), EXHIBIT_TITLE_SIZES if page.layout == EXHIBIT else deckfit.TITLE_SIZES)
        chrome.draw_kicker(target, slide, deck.sections, strip)
        _body(target, base, page, images)
        fallback = Rect(base.content.left, base.content.top + base.content.height + 4, base.content.width, 22)
        chrome.draw_footer(target, layout, deck.footer, number, fallback)
    _drop_empty_placeholders(target)
    target.notes_slide.notes_text_frame.text = slide.notes


def _room_for_kicker(title) -> Rect:
    """The title placeholder's rectangle, moved down when the kicker has no room above it."""
    where = rect(title)
    short = chrome.KICKER_HEIGHT - where.top
    if short > 0:
        title.top, title.height = deckdraw.emu(where.top + short), deckdraw.emu(max(where.height - short, 24.0))
        where = rect(title)
    return where


def _text(shape, runs, sizes) -> None:
    size, fitted = deckfit.fit_text(runs, rect(shape).box, sizes)
    deckdraw.write_text(shape.text_frame, fitted, size)


def _body(target, base: Base, page: Page, images: Mapping[str, bytes]) -> None:
    slide, content = page.slide, base.content
    area = body_area(slide, content)
    if slide.kind == BULLETS:
        deckdraw.write_paras(placeholder(target, BODIES).text_frame, slide.paras, page.size)
    elif slide.kind == TABLE:
        shapes.draw_lead(target, slide, area)
        shapes.draw_table(target, slide.table, page.size, shapes.below_lead(slide, area))
    elif slide.kind == FLOW:
        _flow(target, slide, page, area)
    elif page.layout == EXHIBIT:
        _exhibit(target, slide, images)
    else:
        shapes.draw_picture(target, _image(slide, images), content)
    chrome.draw_legend(target, chrome.legend_runs(marks_of(slide)), content)


def _flow(target, slide: Slide, page: Page, area: Rect) -> None:
    runs = deckflow.handoff_runs(slide.flow, HANDOFF_LABEL)
    grid = area.shrink(deckflow.handoff_height(runs, area.width))
    deckflow.draw_flow(target, slide.flow, page.flow, grid)
    if runs:
        height = deckflow.handoff_height(runs, area.width) - deckfit.INSET_Y
        chrome.textbox(target, Rect(area.left, grid.top + grid.height, area.width, height), runs, 12.0, "Hand-offs")


def _exhibit(target, slide: Slide, images: Mapping[str, bytes]) -> None:
    """The picture in the layout's picture area, key facts in its side panel."""
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    picture = placeholder(target, (PH.PICTURE,))
    shapes.draw_picture(target, _image(slide, images), rect(picture))
    picture._element.getparent().remove(picture._element)
    facts = placeholder(target, (PH.BODY,))
    facts.name = "Facts"
    if slide.facts:
        size, paras = deckfit.fit_paras(slide.facts, rect(facts).box, FACT_SIZES)[0]
        deckdraw.write_plain(facts.text_frame, paras, size)


def _drop_empty_placeholders(target) -> None:
    """Placeholders the page left empty would show "Click to add text" in PowerPoint."""
    for shape in list(target.placeholders):
        if shape.has_text_frame and not shape.text_frame.text.strip() and not _is_field(shape):
            shape._element.getparent().remove(shape._element)


def _is_field(shape) -> bool:
    return bool(shape._element.xpath(".//a:fld"))


def _properties(prs, deck: Deck, date: dt.date) -> None:
    props = prs.core_properties
    props.title = core_text(deck.title)
    props.author = props.last_modified_by = core_text(deck.author)
    props.revision = 1
    props.created = props.modified = dt.datetime(date.year, date.month, date.day)
    props.last_printed = dt.datetime(date.year, date.month, date.day)
    if date == FALLBACK_DATE:
        drop_dates(props._element)
