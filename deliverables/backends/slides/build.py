"""Build a .pptx from a `slides.Deck` on the base presentation's layouts.

Shared by every deck renderer and imported only inside `render()`. Layouts
are taken by name from `base.pptx` (a client theme's copy first), so a
branded base restyles every deck; a missing layout is a TemplateError naming
it. Long tables and lists continue on "(cont.)" slides; text sizes come from
`deckfit`, never from a viewer's autofit.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping
from dataclasses import replace

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from deliverables.backends.archive import normalize_zip
from deliverables.backends.slides import draw as deckdraw
from deliverables.backends.slides import fit as deckfit
from deliverables.backends.slides.model import BULLETS, IMAGE, TABLE, TITLE, Deck, Slide
from deliverables.backends.slides.shapes import Rect, below_lead, draw_body
from deliverables.core.context import Context
from deliverables.core.errors import TemplateError

LAYOUTS = {TITLE: "Title Slide", BULLETS: "Title and Content", TABLE: "Title Only", IMAGE: "Title Only"}
CONT = " (cont.)"
SUBTITLE_SIZES = (22, 20, 18, 16, 14)
FOOTER_SIZE = 10
_TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


def build(deck: Deck, ctx: Context, images: Mapping[str, bytes]) -> bytes:
    """The deck's .pptx bytes: deterministic for the same deck and date."""
    base = ctx.template("base.pptx")
    try:
        prs = Presentation(io.BytesIO(ctx.input("base.pptx") or b""))
    except Exception as exc:  # python-pptx raises several unrelated types for a bad package
        raise TemplateError(f"base presentation '{base}' cannot be opened as .pptx: {exc}") from None
    _clear_slides(prs)
    layouts = _layouts(prs, str(base))
    content = _content_rect(layouts[LAYOUTS[BULLETS]], str(base))
    pages = [page for slide in deck.slides for page in expand(slide, content)]
    for number, (page, size) in enumerate(pages, 1):
        target = prs.slides.add_slide(layouts[LAYOUTS[page.kind]])
        _fill(target, page, size, content, images, str(base))
        _footer(target, prs, content, f"{deck.footer}  ·  {number}/{len(pages)}")
        target.notes_slide.notes_text_frame.text = page.notes
    _properties(prs, deck, ctx.date)
    out = io.BytesIO()
    prs.save(out)
    return normalize_zip(out.getvalue())


def _clear_slides(prs) -> None:
    """Drop any sample slides a branded base carries; only its layouts and theme are wanted."""
    id_list = prs.slides._sldIdLst
    for entry in list(id_list):
        prs.part.drop_rel(entry.rId)
        id_list.remove(entry)


def _layouts(prs, base: str) -> dict:
    found = {layout.name: layout for layout in prs.slide_layouts}
    for name in dict.fromkeys(LAYOUTS.values()):
        if name not in found:
            have = ", ".join(f"'{n}'" for n in found) or "none"
            raise TemplateError(f"{base}: the base presentation has no slide layout named '{name}' (it has {have})")
    return found


def _placeholder(owner, types, base: str, layout: str):
    for shape in owner.placeholders:
        if shape.placeholder_format.type in types:
            return shape
    names = "/".join(t.name.lower() for t in types)
    raise TemplateError(f"{base}: slide layout '{layout}' has no {names} placeholder")


def _rect(shape) -> Rect:
    return Rect(*(deckdraw.points(v) for v in (shape.left, shape.top, shape.width, shape.height)))


def _content_rect(layout, base: str) -> Rect:
    body = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
    return _rect(_placeholder(layout, body, base, layout.name))


def expand(slide: Slide, content: Rect) -> Iterator[tuple[Slide, float]]:
    """The slide and its "(cont.)" slides when its content is too long, each with its body font size."""
    if slide.kind == BULLETS:
        for index, (size, paras) in enumerate(deckfit.fit_paras(slide.paras, content.box)):
            yield _page(slide, index, paras=tuple(paras)), size
    elif slide.kind == TABLE and slide.table is not None and slide.table.rows:
        area = below_lead(slide, content)
        for index, page in enumerate(deckfit.fit_table(slide.table, area.box)):
            yield _page(slide, index, table=replace(slide.table, rows=page.rows)), page.size
    else:
        yield slide, 0.0


def _page(slide: Slide, index: int, **changes) -> Slide:
    title = slide.title + (CONT if index else "")
    notes = slide.notes if not index else f"(Continued.) {slide.notes}"
    return replace(slide, title=title, notes=notes, **changes)


def _fill(target, page: Slide, body_size: float, content: Rect, images: Mapping[str, bytes], base: str) -> None:
    title = _placeholder(target, _TITLES, base, target.slide_layout.name)
    sizes = deckfit.TITLE_SIZES if page.kind != TITLE else (40, 36, 32, *deckfit.TITLE_SIZES)
    size, runs = deckfit.fit_text(((page.title, ""),), _rect(title).box, sizes)
    deckdraw.write_text(title.text_frame, runs, size)
    if page.kind == TITLE:
        _subtitle(target, page, base)
    elif page.kind == BULLETS:
        body = _placeholder(target, (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT), base, target.slide_layout.name)
        deckdraw.write_paras(body.text_frame, page.paras, body_size)
    else:
        draw_body(target, page, body_size, content, images)


def _subtitle(target, page: Slide, base: str) -> None:
    shape = _placeholder(target, (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY), base, target.slide_layout.name)
    size, runs = deckfit.fit_text(((page.subtitle, "muted"),), _rect(shape).box, SUBTITLE_SIZES)
    deckdraw.write_text(shape.text_frame, runs, size)


def _footer(target, prs, content: Rect, text: str) -> None:
    """A one-line footer under the content area, when the base leaves room for it."""
    bottom = deckdraw.points(prs.slide_height)
    top = max(content.top + content.height + 2, bottom - 30)
    height = deckfit.INSET_Y * 2 + FOOTER_SIZE * 1.2 + 1
    if top + height > bottom:
        return
    rect = Rect(content.left, top, content.width, height)
    size, runs = deckfit.fit_text(((text, "muted"),), rect.box, (FOOTER_SIZE, 9, 8))
    box = target.shapes.add_textbox(*(deckdraw.emu(v) for v in (rect.left, rect.top, rect.width, rect.height)))
    box.name = "Footer"
    deckdraw.write_text(box.text_frame, runs, size)


def _properties(prs, deck: Deck, date: dt.date) -> None:
    props = prs.core_properties
    props.title = deck.title[:250]
    props.author = props.last_modified_by = deck.author[:250]
    props.revision = 1
    props.created = props.modified = dt.datetime(date.year, date.month, date.day)
    props.last_printed = dt.datetime(date.year, date.month, date.day)
