"""The diagram's PDF for a large architecture: an overview page drawn here (each
domain a lane of stage names, no smaller than 6 pt printed), then one page per
domain, each a diagram SVG scaled to the page."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A2, A3, A4, landscape, letter
from reportlab.pdfbase.pdfmetrics import stringWidth

from deliverables.backends.graphviz import art
from deliverables.core import marks

PAGES = {"letter": landscape(letter), "a4": landscape(A4), "a3": landscape(A3), "a2": landscape(A2)}
MARGIN = 28.0
SMALLEST = 6.0
"""Smallest type on the overview page, in printed points."""
LARGEST = 11.0
LANE_TITLE = 92.0
"""Width of a lane's title column on the overview page."""
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"


def paged_pdf(view: dict[str, Any], overview: dict[str, Any], pages: list[bytes], page: str) -> bytes:
    """The overview page, then each SVG in `pages` scaled to one page of the `page` size."""
    return _pdf(view, overview, pages, page)


def _pdf(view: dict[str, Any], overview: dict[str, Any] | None, pages: list[bytes], page: str) -> bytes:
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen import canvas
    from svglib.svglib import svg2rlg

    art._register_fonts()
    size = PAGES[page]
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=size, invariant=1, pageCompression=1, initialFontName=REGULAR)
    pdf.setTitle(view["title"])
    pdf.setAuthor(view["author"])
    pdf.setSubject(f"Lifecycle Architecture Diagram, {view['date']}")
    pdf.setCreator("deliver")
    if overview is not None:
        _overview(pdf, overview, size)
        pdf.showPage()
    for svg in pages:
        drawing = svg2rlg(io.BytesIO(svg))
        if drawing is None:  # pragma: no cover - our own SVG always parses
            raise ValueError("svglib could not read a diagram page")
        scale = min((size[0] - 2 * MARGIN) / drawing.width, (size[1] - 2 * MARGIN) / drawing.height)
        pdf.saveState()
        pdf.translate((size[0] - drawing.width * scale) / 2, (size[1] - drawing.height * scale) / 2)
        pdf.scale(scale, scale)
        renderPDF.draw(drawing, pdf, 0, 0)
        pdf.restoreState()
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def single_pdf(svg: bytes, view: dict[str, Any]) -> bytes:
    """The whole picture on one page of the view's paper size, with no overview."""
    return _pdf(view, None, [svg], view["page"])


def _overview(pdf: Any, overview: dict[str, Any], size: tuple[float, float]) -> None:
    """Lanes top to bottom, names flowing left to right in boxes, at the largest size that fits."""
    width, height = size
    pdf.setFillColor(_ink(marks.ACCENT))
    pdf.setFont(BOLD, 16)
    pdf.drawString(MARGIN, height - MARGIN - 16, _cut(overview["title"], BOLD, 16, width - 2 * MARGIN))
    pdf.setFillColor(_ink(marks.MUTED))
    pdf.setFont(REGULAR, 9)
    subtitle = overview["subtitle"] + " · each domain has a page of its own"
    pdf.drawString(MARGIN, height - MARGIN - 30, _cut(subtitle, REGULAR, 9, width - 2 * MARGIN))
    top, bottom = height - MARGIN - 42, MARGIN
    chosen = SMALLEST
    for tenth in range(int(LARGEST * 4), int(SMALLEST * 4) - 1, -1):
        chosen = tenth / 4
        if _layout(overview, chosen, width)[1] <= top - bottom:
            break
    lanes, _ = _layout(overview, chosen, width)
    y = top
    for lane, (boxes, lane_height) in zip(overview["lanes"], lanes):
        pdf.setFillColor(_ink(lane["colour"]))
        pdf.rect(MARGIN, y - lane_height, width - 2 * MARGIN, lane_height, stroke=0, fill=1)
        pdf.setFillColor(_ink(marks.INK))
        pdf.setFont(BOLD, chosen * 1.15)
        pdf.drawString(MARGIN + 6, y - chosen * 1.9, _cut(lane["title"], BOLD, chosen * 1.15, LANE_TITLE - 8))
        for stage, (x, top_offset, box_width, lines) in zip(lane["stages"], boxes):
            line_height = chosen * 1.2
            box_height = len(lines) * line_height + chosen * 0.6
            box_top = y - top_offset
            pdf.setFillColor(_ink(marks.GOLDEN_FILL if stage["golden"] else "FFFFFF"))
            pdf.setStrokeColor(_ink(marks.ASSUMED_COLOUR if stage["assumed"] else marks.MUTED))
            pdf.setLineWidth(0.6)
            pdf.setDash(2, 1.5) if stage["assumed"] else pdf.setDash()
            pdf.roundRect(x, box_top - box_height, box_width, box_height, 2, stroke=1, fill=1)
            pdf.setDash()
            pdf.setFillColor(_ink(marks.INK))
            pdf.setFont(BOLD, chosen)
            for number, line in enumerate(lines):
                pdf.drawString(x + chosen * 0.4, box_top - chosen * 0.3 - chosen - number * line_height, line)
        y -= lane_height + chosen * 0.6


def _cut(text: str, font: str, size: float, room: float) -> str:
    """The text, or its start with an ellipsis when it is wider than `room` points (a very long name)."""
    if stringWidth(text, font, size) <= room:
        return text
    head, sep, rest = text.partition(" · ")
    words = head.split()[:-1]
    while sep and words:  # `client · what it is`: the client's name gives way, word by word
        shortened = f"{' '.join(words).rstrip(',;:–—- ')} … · {rest}"
        if stringWidth(shortened, font, size) <= room:
            return shortened
        words.pop()
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _layout(overview: dict[str, Any], size: float, width: float) -> tuple[list, float]:
    """Per lane the boxes (x, top offset, width, lines) and its height; and the total height."""
    inner_left, right = MARGIN + LANE_TITLE, width - MARGIN - 4
    box_width = max(size * 11, (right - inner_left) / max(1, int((right - inner_left) // (size * 15))) - 4)
    per_row = max(1, int((right - inner_left + 4) // (box_width + 4)))
    lanes, total = [], 0.0
    for lane in overview["lanes"]:
        boxes, rows = [], []
        for number, stage in enumerate(lane["stages"]):
            lines = _wrap(stage["name"], box_width - size * 0.8, size)
            boxes.append([inner_left + (number % per_row) * (box_width + 4), 0.0, box_width, lines])
            if number % per_row == 0:
                rows.append(0.0)
            rows[-1] = max(rows[-1], len(lines) * size * 1.2 + size * 0.6)
        offset = size * 0.5
        for number, box in enumerate(boxes):
            row = number // per_row
            box[1] = offset + sum(rows[:row]) + row * size * 0.4
        lane_height = max(size * 2.6, offset * 2 + sum(rows) + max(0, len(rows) - 1) * size * 0.4)
        lanes.append(([tuple(b) for b in boxes], lane_height))
        total += lane_height + size * 0.6
    return lanes, total


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and stringWidth(f"{lines[-1]} {word}", BOLD, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _ink(hex_code: str) -> Any:
    from reportlab.lib.colors import HexColor

    return HexColor("#" + hex_code)
