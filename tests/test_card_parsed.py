"""The card's fitting search parses each text once per style and measures it once per
width; what it measures is what a freshly made paragraph measures."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from deliverables.backends.pdf import blocks
from deliverables.backends.pdf.style import register_fonts, styles

TEXT = "Marketing Qualified Lead: <b>scored</b> above the threshold and asked for a demo or a trial."


def test_one_paragraph_per_text_and_style_and_never_across_styles() -> None:
    register_fonts()
    small, large = styles(7.0).body, styles(9.0).body
    assert blocks.parsed(TEXT, small) is blocks.parsed(TEXT, small)
    assert blocks.parsed(TEXT, small) is not blocks.parsed(TEXT, large)
    assert blocks.parsed(TEXT, small, "▸") is not blocks.parsed(TEXT, small)
    assert blocks.parsed(TEXT, large).style is large


def test_a_kept_measure_equals_a_fresh_wrap_at_every_width() -> None:
    register_fonts()
    style = styles(8.0).body
    shared = blocks.parsed(TEXT, style)
    for width in (300.0, 60.0, 140.0, 60.0, 300.0):
        fresh = Paragraph(TEXT, style)
        height = fresh.wrap(width, 1e6)[1]
        assert blocks.wrapped(shared, width) == (height, len(fresh.blPara.lines))
    assert blocks.wrapped(shared, 60.0)[1] > blocks.wrapped(shared, 300.0)[1]
