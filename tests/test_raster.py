"""The one SVG-to-PNG path (`backends.images.png`) of the diagram and the audit's charts."""

from __future__ import annotations

import io

from PIL import Image

from deliverables.backends import images
from deliverables.backends.graphviz import art

BOX = b'<rect x="10" y="10" width="80" height="30" fill="#1f4e79"/>'
GRAPHVIZ = (
    b'<svg width="100pt" height="50pt" viewBox="0 0 100 50" xmlns="http://www.w3.org/2000/svg">' + BOX + b"</svg>"
)
MATPLOTLIB = (
    b'<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="100pt" height="50pt" viewBox="0 0 100 50" '
    b'xmlns="http://www.w3.org/2000/svg" version="1.1">' + BOX + b"</svg>"
)


def _pixels(png: bytes) -> tuple[tuple[int, int], tuple[int, ...], tuple[int, ...]]:
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        return rgb.size, rgb.getpixel((5, 5)), rgb.getpixel((100, 50))


def test_sizes_in_points_are_read_wherever_the_root_element_puts_them() -> None:
    for svg in (GRAPHVIZ, MATPLOTLIB):
        size, corner, inside = _pixels(images.png(svg, 200))
        assert size == (200, 100)  # 100 x 50 pt drawn at 200 px wide: the aspect is kept
        assert corner == (255, 255, 255)  # on white
        assert inside == (0x1F, 0x4E, 0x79)  # the box, scaled with the picture


def test_the_diagram_is_drawn_with_the_bundled_fonts_only_and_the_same_every_time() -> None:
    text = GRAPHVIZ.replace(BOX, b'<text x="10" y="30" font-size="12">Known Lead</text>')
    first = art.svg_to_png(text, 300)
    assert first == art.svg_to_png(text, 300) == images.png(text, 300, art.font_files(), art.FAMILY)
    assert first != images.png(text.replace(b"Known Lead", b""), 300, art.font_files(), art.FAMILY)
