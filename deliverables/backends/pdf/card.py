"""Drawing the Stage Reference Card with reportlab: header, columns of stage
blocks under domain bars, legend and footer, on exactly one page."""

from __future__ import annotations

import io
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from deliverables.backends.pdf.blocks import ENTRY_MARK, LEFT_OUT
from deliverables.backends.pdf.fit import FLOOR_SIZE, Candidate, Layout, choice, choose, header_paragraph
from deliverables.backends.pdf.markup import markup
from deliverables.backends.pdf.rtl import make_paragraph
from deliverables.backends.pdf.style import COLUMN_GAP, MARGIN, Geometry, chrome_styles, ink, register_fonts
from deliverables.core import marks
from deliverables.core.context import Context
from deliverables.core.errors import BuildError

RULE_GAP = 6.0
"""Space between the header rule or the footer rule and the columns."""
SHORTENED_NOTE = "Definitions are shortened to fit this page; the Definition Alignment Document has them in full."
LEFT_OUT_NOTE = "Definitions are left out to fit this page; the Definition Alignment Document has them in full."


def _room(view: dict[str, Any]) -> tuple[Geometry, dict, list[tuple[Paragraph, float]], float, float]:
    """The page, the chrome styles, the header, its height and the height left for the body."""
    register_fonts()
    geometry = Geometry.of(view["page"])
    chrome = chrome_styles()
    head = _header(view, chrome, geometry)
    head_height = max(p.wrap(w, 1e6)[1] for p, w in head)
    probe = _bottom(view, chrome, SHORTENED_NOTE)
    bottom_height = sum(p.wrap(geometry.inner_width, 1e6)[1] for p in probe) + 2
    body = geometry.height - 2 * MARGIN - head_height - bottom_height - 4 * RULE_GAP
    return geometry, chrome, head, head_height, body


def fits(view: dict[str, Any], floor: float) -> bool:
    """True when the card's stages fit its one page with body type of at least `floor` pt."""
    return fitting(view, floor) is not None


def fitting(view: dict[str, Any], floor: float) -> list[float] | None:
    """The definition level and body size that fit the card's stages on its page at body type
    of at least `floor` pt, None when nothing does."""
    geometry, _, _, _, body = _room(view)
    try:
        level, size = choice(view, geometry, body, floor)
    except BuildError:
        return None
    return [level, size]


def overflow(view: dict[str, Any], floor: float) -> str | None:
    """Why the card cannot fit its page at `floor` pt (by how much, the longest stages);
    None when it fits."""
    geometry, _, _, _, body = _room(view)
    try:
        choose(view, geometry, body, floor)
    except BuildError as exc:
        return exc.format_message()
    return None


def render_card(view: dict[str, Any], ctx: Context, floor: float = FLOOR_SIZE) -> bytes:
    """The card's PDF bytes; BuildError when the stages cannot fit one page at `floor` pt."""
    geometry, chrome, head, head_height, body = _room(view)
    known = view.get("fit")
    layout = Candidate(view, int(known[0]), float(known[1])).best(geometry, body) if known else None
    if layout is None:
        layout = choose(view, geometry, body, floor)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(geometry.width, geometry.height), invariant=1, pageCompression=1)
    _metadata(canvas, view)
    top = geometry.height - MARGIN
    _draw_header(canvas, head, geometry, top, head_height)
    _draw_columns(canvas, view, layout, top - head_height - 2 * RULE_GAP)
    _draw_bottom(canvas, _bottom(view, chrome, _note(layout) or view.get("note", "")), geometry)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _metadata(canvas: Canvas, view: dict[str, Any]) -> None:
    """Document properties from the input only, so rebuilding gives the same bytes."""
    canvas.setTitle(f"{view['client']} · {view['title']} {view['version']}")
    canvas.setAuthor(view["architect"] or view["client"])
    canvas.setSubject(f"{view['title']} {view['version']}, {view['date']}")
    canvas.setCreator("deliver")


def _header(view: dict[str, Any], chrome: dict, geometry: Geometry) -> list[tuple[Paragraph, float]]:
    """Title on the left, version, date and status on the right, with their widths."""
    title = f"{markup(view['client'])} · {markup(view['title'])}"
    status = view["status"]
    if status == "Draft":
        status = f'<font color="#{marks.ASSUMED_COLOUR}">Draft</font>'
    meta = f"{markup(view['version'])} · {markup(view['date'])} · {status}"
    right = min(geometry.inner_width * 0.3, 190.0)
    left = geometry.inner_width - right - COLUMN_GAP
    return [
        (make_paragraph(title, chrome["title"], ltr=True), left),
        (make_paragraph(meta, chrome["meta"], ltr=True), right),
    ]


def _draw_header(
    canvas: Canvas, head: list[tuple[Paragraph, float]], geometry: Geometry, top: float, height: float
) -> None:
    (title, left), (meta, right) = head
    title.wrap(left, 1e6)
    title.drawOn(canvas, MARGIN, top - title.height)
    meta.wrap(right, 1e6)
    meta.drawOn(canvas, geometry.width - MARGIN - right, top - height)
    canvas.setStrokeColor(ink(marks.ACCENT))
    canvas.setLineWidth(1.2)
    y = top - height - RULE_GAP
    canvas.line(MARGIN, y, geometry.width - MARGIN, y)


def _bottom(view: dict[str, Any], chrome: dict, note: str) -> list[Paragraph]:
    """Legend line (with `note` under it when definitions were cut) and footer line."""
    parts = []
    for item in view["legend"]:
        mark = markup(item["mark"])
        colour = marks.ASSUMED_COLOUR if item["mark"] == marks.ASSUMED else marks.GOLDEN_LINE
        if item["mark"] == marks.ASSUMED or item["mark"] == marks.GOLDEN:
            mark = f'<font color="#{colour}"><b>{mark}</b></font>'
        else:
            mark = f"<b>{mark}</b>"
        parts.append(f"{mark} {markup(item['text'])}")
    parts.append(f'<font color="#{marks.ACCENT}">{ENTRY_MARK}</font> entry criterion')
    legend = "&nbsp;&nbsp;&nbsp;&nbsp; ".join(parts)
    if note:
        legend += f"<br/>{markup(note)}"
    return [
        make_paragraph(legend, chrome["legend"], ltr=True),
        make_paragraph(markup(view["footer"]), chrome["footer"], ltr=True),
    ]


def _draw_bottom(canvas: Canvas, bottom: list[Paragraph], geometry: Geometry) -> None:
    y = MARGIN
    for paragraph in reversed(bottom):
        paragraph.wrap(geometry.inner_width, 1e6)
        paragraph.drawOn(canvas, MARGIN, y)
        y += paragraph.height + 2
    canvas.setStrokeColor(ink(marks.MUTED))
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y + RULE_GAP - 2, geometry.width - MARGIN, y + RULE_GAP - 2)


def _draw_columns(canvas: Canvas, view: dict[str, Any], layout: Layout, top: float) -> None:
    """Each column top-down: domain bars where a domain starts or continues, then stage blocks."""
    domains = view["domains"]
    domain_of = [n for n, d in enumerate(domains) for _ in d["stages"]]
    for number, column in enumerate(layout.columns):
        x = MARGIN + number * (layout.width + COLUMN_GAP)
        y = top
        previous = None
        for index in column:
            domain = domain_of[index]
            if domain != previous:
                if previous is not None:
                    y -= layout.spacing.domain_gap
                continued = index > 0 and domain_of[index - 1] == domain
                y -= _draw_domain_bar(canvas, domains[domain], layout, x, y, domain, continued)
            else:
                y -= layout.spacing.gap
            y -= _draw_block(canvas, layout, index, x, y)
            previous = domain


def _draw_domain_bar(
    canvas: Canvas, domain: dict, layout: Layout, x: float, y: float, number: int, continued: bool
) -> float:
    """A filled bar with the domain's title; returns its height."""
    height = layout.spacing.headers[number]
    canvas.setFillColor(ink(domain["colour"]))
    canvas.rect(x, y - height, layout.width, height, stroke=0, fill=1)
    text = header_paragraph(domain["title"], layout.style, continued)
    text.wrap(layout.width - 2 * layout.style.indent, 1e6)
    text.drawOn(canvas, x + layout.style.indent, y - height + layout.style.header_pad)
    return height


def _draw_block(canvas: Canvas, layout: Layout, index: int, x: float, y: float) -> float:
    """One stage block, golden ones on a tinted ground with a gold edge; returns its height."""
    block = layout.blocks[index]
    placed = block.place(layout.width)
    if block.stage["golden"]:
        canvas.setFillColor(ink(marks.GOLDEN_FILL))
        canvas.rect(x, y - placed.height, layout.width, placed.height, stroke=0, fill=1)
        canvas.setFillColor(ink(marks.GOLDEN_LINE))
        canvas.rect(x, y - placed.height, 1.8, placed.height, stroke=0, fill=1)
    for paragraph, left, top, width in placed.paragraphs:
        paragraph.wrap(width, 1e6)
        paragraph.drawOn(canvas, x + left, y - top - paragraph.height)
    return placed.height


def _note(layout: Layout) -> str:
    """Why definitions look shorter than written, if they do."""
    if layout.level == LEFT_OUT:
        return LEFT_OUT_NOTE
    inner = layout.width - 2 * layout.style.indent
    shortened = any(b.definition(inner) != b.stage["definitions"][0] for b in layout.blocks if not b.stage.get("brief"))
    return SHORTENED_NOTE if shortened else ""
