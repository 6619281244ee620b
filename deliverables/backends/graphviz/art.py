"""From DOT to finished pictures: styled SVG, PNG (resvg) and a one-page PDF (svglib + reportlab).

Graphviz draws every label line in one font; the line styles decided in
`diagramdot` (bold name, small muted owner, amber ASSUMED tag) are applied
here to the SVG text elements, in order. PNG and PDF are drawn from that SVG
with the bundled DejaVu fonts only (no system fonts), so every machine
produces the same bytes and every box fits its text.
"""

from __future__ import annotations

import functools
import html
import io
import re
from typing import Any

from deliverables.backends import text as measure
from deliverables.backends.graphviz import engine as gvengine
from deliverables.backends.graphviz.boxes import STYLE_SIZES
from deliverables.core import marks

FAMILY = "DejaVu Sans"
LINE_STYLES: dict[str, dict[str, str]] = {
    "name": {"font-weight": "bold"},
    "owner": {"font-size": f"{STYLE_SIZES['owner']:.2f}", "fill": f"#{marks.MUTED}"},
    "note": {"font-size": f"{STYLE_SIZES['note']:.2f}", "fill": f"#{marks.MUTED}"},
    "tag": {"font-size": f"{STYLE_SIZES['tag']:.2f}", "font-weight": "bold", "fill": f"#{marks.ASSUMED_COLOUR}"},
    "title": {"font-weight": "bold", "fill": f"#{marks.ACCENT}"},
    "subtitle": {"font-size": "11.00", "fill": f"#{marks.MUTED}"},
    "lane": {"font-weight": "bold", "fill": f"#{marks.INK}"},
    "head": {"font-weight": "bold", "fill": f"#{marks.INK}"},
    "legendhead": {"font-weight": "bold", "fill": f"#{marks.INK}"},
}
PAGE = (792.0, 612.0)
"""Landscape US Letter in points; the drawing is scaled to fit inside the margins (fits A4 too)."""
MARGIN = 28.0
MAX_PIXELS = 24_000_000

_SIZE = re.compile(rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
_TOKEN = re.compile(r"<title>(.*?)</title>|(<text\b[^>]*>)(.*?)</text>", re.S)
_PADDING = re.compile(r"(?: |&#160;)+$")
"""The padding of a bold label as Graphviz writes it (runs of spaces become no-break spaces)."""
LEFT_ALIGNED = ("title", "subtitle", "lane", "legendhead")
"""Labels Graphviz centres on its own width estimate; restyled, they must keep their left edge."""


def layout_svg(source: str, styles: dict[str, list[str]]) -> bytes:
    """Lay out the DOT source in-process and apply the per-line text styles."""
    svg = gvengine.render(source, "svg", layout="nop2").decode("utf-8")
    return style_svg(svg, styles).encode("utf-8")


def style_svg(svg: str, styles: dict[str, list[str]]) -> str:
    """Restyle each `<text>` by its position within the node, cluster or graph it belongs to."""
    lines: list[tuple[str, re.Match[str]]] = []
    owner, count = "", 0
    for match in _TOKEN.finditer(svg):
        if match.group(1) is not None:
            owner, count = match.group(1), 0
            continue
        current = ["lane"] if owner.startswith("cluster_") else styles.get(owner, [])
        lines.append((owner, current[count] if count < len(current) else ""))
        count += 1
    half = _half_widths(svg, lines)
    styled = iter(lines)

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(0)
        owner, style = next(styled)
        if style not in LEFT_ALIGNED:
            return _restyle(match.group(2), LINE_STYLES.get(style, {})) + match.group(3) + "</text>"
        tag = _anchor_left(match.group(2), half[owner])
        return _restyle(tag, LINE_STYLES.get(style, {})) + _PADDING.sub("", match.group(3)) + "</text>"

    return _TOKEN.sub(replace, svg)


def _half_widths(svg: str, lines: list[tuple[str, str]]) -> dict[str, float]:
    """Half the widest line of each left-aligned label, as Graphviz measured it (regular DejaVu)."""
    half: dict[str, float] = {}
    texts = (m for m in _TOKEN.finditer(svg) if m.group(1) is None)
    for (owner, style), match in zip(lines, texts):
        size = re.search(r' font-size="([\d.]+)"', match.group(2))
        if style in LEFT_ALIGNED and size:
            width = measure.text_width(html.unescape(match.group(3)), float(size.group(1)))
            half[owner] = max(half.get(owner, 0.0), width / 2)
    return half


def _anchor_left(tag: str, half: float) -> str:
    """Turn a centred label into a left-aligned one starting where Graphviz's label box starts."""
    found = re.search(r' x="([-\d.]+)"', tag)
    if ' text-anchor="middle"' not in tag or not found:
        return tag
    left = float(found.group(1)) - half
    return tag.replace(' text-anchor="middle"', ' text-anchor="start"').replace(found.group(0), f' x="{left:.2f}"')


def _restyle(tag: str, attrs: dict[str, str]) -> str:
    for name, value in attrs.items():
        pattern = re.compile(rf'\s{name}="[^"]*"')
        if pattern.search(tag):
            tag = pattern.sub(f' {name}="{value}"', tag)
        else:
            tag = tag[:-1] + f' {name}="{value}">'
    return tag


def font_files() -> list[str]:
    """The bundled DejaVu TrueType files used to draw text."""
    return [str(marks.font_path()), str(marks.font_path(bold=True))]


def svg_to_png(svg: bytes, width_px: int | None = None) -> bytes:
    """Rasterize the SVG with resvg and the bundled fonts (no system fonts: same pixels everywhere)."""
    from deliverables.backends import images

    if width_px is None:
        width, height = natural_size(svg)
        # Twice the natural size, at least 2400 px wide, at most 8000 px and 24 megapixels.
        width_px = round(min(8000, max(2400, width * 2), (MAX_PIXELS * width / height) ** 0.5))
    return images.png(svg, width_px, font_files(), FAMILY)


def natural_size(svg: bytes) -> tuple[float, float]:
    """Width and height in points declared by a Graphviz SVG."""
    found = _SIZE.search(svg)
    return (float(found.group(1)), float(found.group(2))) if found else (PAGE[0], PAGE[1])


def svg_to_pdf(svg: bytes, view: dict[str, Any]) -> bytes:
    """A one-page landscape PDF with the diagram scaled to fit, text in the bundled DejaVu fonts."""
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen import canvas
    from svglib.svglib import svg2rlg

    _register_fonts()
    drawing = svg2rlg(io.BytesIO(svg))
    if drawing is None:  # pragma: no cover - our own SVG always parses
        raise ValueError("svglib could not read the diagram SVG")
    scale = min((PAGE[0] - 2 * MARGIN) / drawing.width, (PAGE[1] - 2 * MARGIN) / drawing.height)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=PAGE, invariant=1, pageCompression=1, initialFontName="DejaVuSans")
    pdf.setTitle(view["title"])
    pdf.setAuthor(view["author"])
    pdf.setSubject(f"Lifecycle Architecture Diagram, {view['date']}")
    pdf.setCreator("deliver")
    pdf.translate((PAGE[0] - drawing.width * scale) / 2, (PAGE[1] - drawing.height * scale) / 2)
    pdf.scale(scale, scale)
    renderPDF.draw(drawing, pdf, 0, 0)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@functools.cache
def _register_fonts() -> None:
    """Map the SVG family to the bundled TTFs in reportlab (same files as the PNG), once a
    process: reading a TrueType file takes longer than drawing the diagram."""
    from svglib.fonts import register_font

    register_font(FAMILY, str(marks.font_path()), rlgFontName="DejaVuSans")
    register_font(FAMILY, str(marks.font_path(bold=True)), weight="bold", rlgFontName="DejaVuSans-Bold")
