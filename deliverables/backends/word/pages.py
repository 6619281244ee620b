"""Where a flowing Word document's pages end, estimated from its own styles.

Word and LibreOffice lay pages out themselves, and LibreOffice does not always honour a
keep-with-next chain at the end of a document; a document that must not leave a few lines
alone on a last page places its own page break, and this module says where the pages would
end without one. Paragraph heights come from the base's styles (size, weight, spacing, line
spacing, indents) and the bundled metric twin of the style's font (text.py); tables are not
measured, so only documents of paragraphs ask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from deliverables.backends import text as measure

LINE_EM = 1.117
"""Single line height of Arial/Liberation Sans as a share of the font size (ascent, descent, gap)."""
BULLET_INDENT = 18.0
"""Points a bulleted paragraph's text is indented by (the base's list numbering)."""


@dataclass(frozen=True)
class _Look:
    size: float
    bold: bool
    before: float
    after: float
    line: float
    indent: float
    font: str | None


def heights(document: Any, paragraphs: Sequence[Paragraph]) -> list[float]:
    """Estimated height in points of each paragraph, spacing included."""
    section = document.sections[-1]
    width = (section.page_width - section.left_margin - section.right_margin) / 12700
    looks: dict[str, _Look] = {}
    out = []
    for paragraph in paragraphs:
        style = paragraph.style
        look = looks.get(style.style_id) or looks.setdefault(style.style_id, _look(document, style))
        runs = [(paragraph.text or " ", "bold" if look.bold else "")]
        family = measure.family_named(look.font)
        lines = measure.line_count(runs, width - look.indent, look.size, family)
        out.append(look.before + look.after + lines * look.size * LINE_EM * look.line)
    return out


def text_font(document: Any, style_name: str) -> tuple[float, measure.Family]:
    """Size (pt) and measured family of a paragraph style's text."""
    look = _look(document, document.styles[style_name])
    return look.size, measure.family_named(look.font)


def page_height(document: Any) -> float:
    """Height in points of the text area of the last section's pages."""
    section = document.sections[-1]
    return (section.page_height - section.top_margin - section.bottom_margin) / 12700


def page_of_each(sizes: Sequence[float], page: float) -> list[int]:
    """The page (from 0) each block of the given heights starts on, blocks never split."""
    pages, used, current = [], 0.0, 0
    for size in sizes:
        if used and used + size > page:
            current, used = current + 1, 0.0
        pages.append(current)
        used += size
    return pages


def no_lonely_last_page(document: Any, headings: Sequence[Paragraph], near_empty: float) -> None:
    """When the document's last page would be filled less than `near_empty` of its height, the
    last of `headings` that starts on an earlier page starts the last page instead (if what
    follows it fits one page): the page break falls between two sections. LibreOffice ignores
    a keep-with-next chain at the end of a document, so the break is explicit."""
    paragraphs = document.paragraphs
    sizes = heights(document, paragraphs)
    page = page_height(document)
    blocks_ = _blocks(paragraphs, sizes)
    starts = page_of_each([size for _, size in blocks_], page)
    last = starts[-1]
    used = sum(size for (_, size), on in zip(blocks_, starts) if on == last)
    if not last or used >= near_empty * page:
        return
    page_of = {first: on for (first, _), on in zip(blocks_, starts)}
    index = {id(p._p): i for i, p in enumerate(paragraphs)}
    for heading in reversed(headings):
        at = index[id(heading._p)]
        if page_of[at] < last:
            if sum(sizes[at:]) <= page:
                heading.paragraph_format.page_break_before = True
            return


def _blocks(paragraphs: list[Paragraph], sizes: list[float]) -> list[tuple[int, float]]:
    """(first paragraph's index, height) of each block that stays on one page: a heading
    travels with the paragraph after it."""
    out: list[tuple[int, float]] = []
    keep = False
    for i, (paragraph, size) in enumerate(zip(paragraphs, sizes)):
        if keep:
            out[-1] = (out[-1][0], out[-1][1] + size)
        else:
            out.append((i, size))
        keep = paragraph.style.name.startswith("Heading")
    return out


def _look(document: Any, style: Any) -> _Look:
    chain = []
    while style is not None:
        chain.append(style)
        style = style.base_style
    defaults = document.styles.element.find(qn("w:docDefaults"))
    size = _first([s.font.size for s in chain], None)
    size_pt = size.pt if size is not None else _default_size(defaults)
    bold = bool(_first([s.font.bold for s in chain], False))
    fmt = [s.paragraph_format for s in chain]
    before = _first([f.space_before for f in fmt], None)
    after = _first([f.space_after for f in fmt], None)
    spacing = _first([f.line_spacing for f in fmt], None)
    line = spacing if isinstance(spacing, float) else _default_line(defaults)
    indent = _first([f.left_indent for f in fmt], None)
    numbered = any(s.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}") is not None for s in chain)
    font = _first([s.font.name for s in chain], None)
    return _Look(
        size=size_pt,
        bold=bold,
        before=before.pt if before is not None else 0.0,
        after=after.pt if after is not None else _default_after(defaults),
        line=line,
        indent=(indent.pt if indent is not None else 0.0) + (BULLET_INDENT if numbered else 0.0),
        font=font,
    )


def _first(values: Sequence[Any], fallback: Any) -> Any:
    return next((v for v in values if v is not None), fallback)


def _default_size(defaults: Any) -> float:
    sz = None if defaults is None else defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
    return int(sz.get(qn("w:val"))) / 2 if sz is not None else 10.0


def _default_spacing(defaults: Any, name: str) -> str | None:
    spacing = None if defaults is None else defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    return None if spacing is None else spacing.get(qn(f"w:{name}"))


def _default_line(defaults: Any) -> float:
    line = _default_spacing(defaults, "line")
    return int(line) / 240 if line else 1.0


def _default_after(defaults: Any) -> float:
    after = _default_spacing(defaults, "after")
    return int(after) / 20 if after else 0.0
