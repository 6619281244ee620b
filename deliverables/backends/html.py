"""Web forms of generated office files, for the live preview: Word documents as HTML
(mammoth, with the house styles mapped to classes) and the text of each slide.

Both read the files this tool wrote, never client uploads; the preview page
shows them as they are.
"""

from __future__ import annotations

from io import BytesIO

from deliverables.backends.readers import _flat

STYLE_MAP = """
p[style-name='Title'] => h1.doc-title:fresh
p[style-name='Subtitle'] => p.doc-subtitle:fresh
p[style-name='Cover Meta'] => p.cover-meta:fresh
p[style-name='Cover Stamp'] => p.cover-stamp:fresh
p[style-name='Cover Logo'] => p.cover-logo:fresh
p[style-name='Legend'] => p.legend:fresh
p[style-name='Table Header'] => p:fresh
p[style-name='Table Text'] => p:fresh
p[style-name='Table Bullet'] => ul.cell > li:fresh
p[style-name='List Bullet'] => ul > li:fresh
p[style-name='Header'] => !
p[style-name='Footer'] => !
r[style-name='Assumed Flag'] => span.flag-assumed
r[style-name='Confirmed Flag'] => span.flag-confirmed
r[style-name='Golden Mark'] => span.golden
r[style-name='Rejected Mark'] => span.rejected
r[style-name='Muted'] => span.muted
r[style-name='Strong'] => strong
r[style-name='Added Text'] => ins
r[style-name='Removed Text'] => del
"""
"""The house's named Word styles (see README, Branding) as HTML elements and classes."""


def docx_html(data: bytes) -> str:
    """The body of a generated Word document as an HTML fragment."""
    import mammoth

    result = mammoth.convert_to_html(BytesIO(data), style_map=STYLE_MAP)
    return result.value


def slide_texts(data: bytes) -> list[str]:
    """Per slide of a deck, its title and visible text on one line (notes left out)."""
    import pptx

    deck = pptx.Presentation(BytesIO(data))
    return [" / ".join(part for part in _slide_parts(slide) if part) for slide in deck.slides]


def _slide_parts(slide) -> list[str]:
    parts = []
    for shape in slide.shapes:
        if getattr(shape, "has_table", False) and shape.has_table:
            parts += [_flat(cell.text) for row in shape.table.rows for cell in row.cells]
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            parts.append(_flat(shape.text_frame.text))
        elif getattr(shape, "shapes", None) is not None:
            parts += [_flat(inner.text_frame.text) for inner in shape.shapes if getattr(inner, "has_text_frame", False)]
    return parts
