"""Where a flowing Word document's pages end, estimated from its own styles.

Word and LibreOffice lay pages out themselves, and LibreOffice does not always honour a
keep-with-next chain at the end of a document; a document that must not leave a few lines
alone on a last page places its own page break, and this module says where the pages would
end without one. Paragraph heights come from the base's styles (size, weight, spacing, line
spacing, indents) and the bundled metric twin of the style's font (text.py); a table row is as
tall as its tallest cell, measured at the cell's width.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from deliverables.backends import text as measure

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
LINE_EM = 1.117
"""Single line height of Arial/Liberation Sans as a share of the font size (ascent, descent, gap)."""
KEEP_ROWS = 2
"""Rows at each end of a table that never stand alone on a page."""
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


class _Styles:
    """The paragraph styles one estimate reads, each looked up once: python-docx finds a style
    by id with an XPath search of the whole styles part, and an estimate asks for the style of
    every paragraph and its flags through the style chain. Styles do not change while pages
    are estimated (only paragraphs are given keeps and breaks)."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self._styles: dict[str | None, Any] = {}
        self._looks: dict[str | None, _Look] = {}
        self._flags: dict[tuple[str | None, str], Any] = {}

    @functools.cached_property
    def vertical(self) -> float:
        """Top plus bottom cell margins (pt) of the Deliver Table style, which every row has."""
        return _margins(self.document, "top") + _margins(self.document, "bottom")

    def style(self, paragraph: Paragraph) -> Any:
        key = paragraph._p.style
        if key not in self._styles:
            self._styles[key] = paragraph.style
        return self._styles[key]

    def look(self, paragraph: Paragraph) -> _Look:
        key = paragraph._p.style
        if key not in self._looks:
            self._looks[key] = _look(self.document, self.style(paragraph))
        return self._looks[key]

    def effective(self, paragraph: Paragraph, name: str) -> Any:
        """A paragraph format flag as set on the paragraph or, failing that, its style chain."""
        value = getattr(paragraph.paragraph_format, name)
        if value is not None:
            return value
        key = (paragraph._p.style, name)
        if key not in self._flags:
            style = self.style(paragraph)
            while value is None and style is not None:
                value = getattr(style.paragraph_format, name)
                style = style.base_style
            self._flags[key] = value
        return self._flags[key]


def heights(document: Any, paragraphs: Sequence[Paragraph]) -> list[float]:
    """Estimated height in points of each paragraph, spacing included."""
    width = _text_width(document)
    styles = _Styles(document)
    return [_height(styles, paragraph, width) for paragraph in paragraphs]


def text_font(document: Any, style_name: str) -> tuple[float, measure.Family]:
    """Size (pt) and measured family of a paragraph style's text."""
    look = _look(document, document.styles[style_name])
    return look.size, measure.family_named(look.font)


def page_height(document: Any) -> float:
    """Height in points of the text area of the last section's pages."""
    section = document.sections[-1]
    return (section.page_height - section.top_margin - section.bottom_margin) / 12700


LEFT = 0.5
"""The page a section leaves for the next is filled to at least this share of `near_empty`:
it still holds whole sections, not a heading or a sentence."""
SCALES = (0.96, 1.0, 1.04)
"""How far the estimate may be off either way: a page end is trusted only when it holds in all."""


def no_lonely_last_page(document: Any, headings: Sequence[Paragraph], near_empty: float) -> None:
    """When the document's last page might be filled less than `near_empty` of its height,
    start that page earlier: before the last of `headings` whose section and what follows fit
    one page and fill it to `near_empty`, when the page it leaves stays filled to LEFT of that
    (the break falls between two sections, a part's title moving with its first section); else, when the last page continues a table,
    with as many more of its last rows as fill the page to `near_empty`, kept together.

    Estimates are a few percent off, and a chain kept together flips to the next page on such
    a difference, so every test holds for heights SCALES apart. LibreOffice ignores a
    keep-with-next chain of paragraphs at the end of a document, so a heading's break is
    explicit; rows it keeps together. The tables' own keeps (keep_tables_together) are set
    first, as the estimate reads the keeps that are in the document."""
    keep_tables_together(document)
    items = _items(document)
    page = page_height(document)
    target = near_empty * page
    layouts = [(scaled, _layout(scaled, page)) for scaled in (_scaled(items, s) for s in SCALES)]
    if all(not starts[-1] or _fill(scaled, starts, starts[-1]) >= target for scaled, starts in layouts):
        return
    at_of = {id(item.paragraph._p): i for i, item in enumerate(items) if item.paragraph is not None}
    for heading in reversed(headings):
        at = at_of[id(heading._p)]
        while at and items[at - 1].keep and items[at - 1].paragraph is not None:
            at -= 1  # a heading kept with this one (a part's title) moves with it
        tail = sum(item.height for item in items[at:])
        if tail * SCALES[-1] > page:
            break  # an earlier heading's section is longer still
        fills = [_above(scaled, starts, at) for scaled, starts in layouts]
        if tail * SCALES[0] >= target and all(not above or above >= target * LEFT for above in fills):
            items[at].paragraph.paragraph_format.page_break_before = True
            return
    starts = _layout(items, page)
    if starts[-1] and _fill(items, starts, starts[-1]) < target * SCALES[-1]:
        _more_rows(items, starts, starts[-1], target * SCALES[-1], page)


def keep_tables_together(document: Any) -> None:
    """No table row stranded on a page: the paragraph before each table (unless it holds a
    picture), its header and first
    rows, and the rows before its last ones keep with the next, so a table that must break
    leaves at least KEEP_ROWS rows on each page (a short table moves whole). Each end keeps
    one row more than that, unless those rows would fill more than CHAIN_SHARE of the page
    and KEEP_ROWS of them would not: a chain of tall rows (a few a page) that does not fit the
    rest of a page moves whole and leaves that page mostly empty, or the row before it alone
    on one. A table whose two chains join (one row between them) is one chain, and its whole
    height counts. A chain taller than a page is left as it was: it cannot move whole."""
    body = document.element.body
    styles, padding = _Styles(document), cell_padding(document)
    for tbl in body.iterchildren(qn("w:tbl")):
        rows = tbl.findall(qn("w:tr"))
        last = len(rows) - 1
        first_keep, last_keep = KEEP_ROWS + 1, KEEP_ROWS + 1
        if last > 2 * KEEP_ROWS:
            page = _section_height(tbl)
            limit = CHAIN_SHARE * page
            # One row between the two ends: the chains join and the whole table moves as one.
            joined = last <= 2 * KEEP_ROWS + 1
            ends = range(last + 1) if joined else [*range(KEEP_ROWS + 2), *range(last - KEEP_ROWS, last + 1)]
            grid = _grid(tbl)
            height = {i: _row_height(document, styles, grid, padding, rows[i]) for i in ends}  # each row once
            shorter_head = sum(height[i] for i in range(KEEP_ROWS + 1))
            shorter_tail = sum(height[i] for i in range(last - KEEP_ROWS + 1, last + 1))
            if joined:
                head = tail = sum(height[i] for i in range(last + 1))
            else:
                head = sum(height[i] for i in range(KEEP_ROWS + 2))
                tail = sum(height[i] for i in range(last - KEEP_ROWS, last + 1))
            if page >= head > limit >= shorter_head:
                first_keep = KEEP_ROWS
            if page >= tail > limit >= shorter_tail:
                last_keep = KEEP_ROWS
        for index, tr in enumerate(rows[:last]):
            if index < first_keep or index > last - last_keep:
                for p in tr.iter(qn("w:p")):
                    _keep_with_next(p)
        before = tbl.getprevious()
        # a heading or introduction stays with its table; a chart above one is an exhibit of its own
        if before is not None and before.tag == qn("w:p") and not before.xpath(".//w:drawing"):
            _keep_with_next(before)


CHAIN_SHARE = 0.7
"""Share of its page a table's end rows kept together may fill before they keep one row fewer."""


def _section_height(tbl: Any) -> float:
    """Height in points of the text area of the pages the table is laid out on: its section's
    properties are in the first paragraph after it that ends a section, or the body's own."""
    sect = next(
        (
            p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
            for p in tbl.itersiblings(qn("w:p"))
            if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
        ),
        None,
    )
    if sect is None:
        sect = tbl.getparent().find(qn("w:sectPr"))
    size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    return (int(size.get(qn("w:h"))) - int(margins.get(qn("w:top"))) - int(margins.get(qn("w:bottom")))) / 20


def _keep_with_next(p: Any) -> None:
    p_pr = p.get_or_add_pPr()
    if p_pr.find(_KEEP_NEXT) is not None:
        return
    # before the first child the schema places after w:keepNext (a valid pPr keeps schema order)
    after = next((child for child in p_pr.iterchildren() if child.tag in _AFTER_KEEP_NEXT), None)
    if after is None:
        p_pr.append(OxmlElement("w:keepNext"))
    else:
        after.addprevious(OxmlElement("w:keepNext"))


# CT_PPr children that follow w:keepNext in the schema's sequence.
_KEEP_NEXT = qn("w:keepNext")
_AFTER_KEEP_NEXT = frozenset(
    qn(f"w:{name}")
    for name in (
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    )
)


def room_left(document: Any, style: str = "Normal") -> float:
    """Points tall an inline picture in a new paragraph of `style` can be and still fit the
    page the document's body now ends on (estimated; the tables so far keep their rows as
    they will)."""
    keep_tables_together(document)
    items = _items(document)
    page = page_height(document)
    starts = _layout(items, page)
    room = page - _fill(items, starts, starts[-1]) if items else page
    look = _look(document, document.styles[style])
    return room - look.before - look.after


def section_pages(document: Any) -> int:
    """Pages (estimated) the body fills since its last page or section break: 1 while all
    written after it fits one page. The tables so far keep their rows as they will."""
    keep_tables_together(document)
    items = _items(document)
    if not items:
        return 0
    starts = _layout(items, page_height(document))
    first = max((i for i, item in enumerate(items) if item.fresh), default=0)
    return starts[-1] - starts[first] + 1


def _scaled(items: Sequence[_Item], scale: float) -> list[_Item]:
    return [replace(item, height=item.height * scale, header=item.header * scale) for item in items]


def _above(items: Sequence[_Item], starts: Sequence[int], at: int) -> float:
    """Height of what precedes item `at` on its page."""
    return sum(item.height for item, on in zip(items[:at], starts) if on == starts[at])


@dataclass(frozen=True)
class _Item:
    """One unbreakable piece of the body: a paragraph, or a table row."""

    height: float
    keep: bool
    """Stays on the page of the item after it (keep with next)."""
    fresh: bool
    """Starts a page (a page break before it)."""
    paragraph: Paragraph | None = None
    """The body paragraph; None for a table row."""
    row: Any = None
    """The table row (w:tr); None for a paragraph."""
    table: int = -1
    """Which table of the body the row belongs to."""
    header: float = 0.0
    """Height of the table's repeated header row, drawn again above a row that starts a page."""


def _items(document: Any) -> list[_Item]:
    """The body's paragraphs and table rows, in order, with their estimated heights."""
    body = document.element.body
    width = _text_width(document)
    styles = _Styles(document)
    padding = cell_padding(document)
    out: list[_Item] = []
    broken = False
    for child in body.iterchildren(qn("w:p"), qn("w:tbl")):
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document._body)
            height = _height(styles, paragraph, width)
            fresh = broken or bool(styles.effective(paragraph, "page_break_before"))
            out.append(_Item(height, bool(styles.effective(paragraph, "keep_with_next")), fresh, paragraph))
            broken = (
                bool(child.xpath(".//w:br[@w:type='page']"))
                or child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
            )
            continue
        out += _rows(document, styles, child, padding, len({i.table for i in out if i.table >= 0}), broken)
        broken = False
    return out


def _rows(document: Any, styles: _Styles, tbl: Any, padding: float, number: int, fresh: bool) -> list[_Item]:
    grid = _grid(tbl)
    heights, keeps, headers = [], [], []
    for tr in tbl.iterchildren(qn("w:tr")):
        heights.append(_row_height(document, styles, grid, padding, tr))
        keeps.append(
            any(styles.effective(Paragraph(p, document._body), "keep_with_next") for p in _cell_paragraphs(tr))
        )
        headers.append(tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None)
    header = heights[0] if headers and headers[0] else 0.0
    rows = list(tbl.iterchildren(qn("w:tr")))
    return [
        _Item(h, k, fresh and i == 0, row=tr, table=number, header=0.0 if i == 0 else header)
        for i, (h, k, tr) in enumerate(zip(heights, keeps, rows))
    ]


def _grid(tbl: Any) -> list[float]:
    """Width in points of each column of the table's grid."""
    return [int(col.get(qn("w:w"))) / 20 for col in tbl.iterchildren(qn("w:tblGrid")) for col in col]


def _cell_paragraphs(tr: Any) -> list[Any]:
    return [p for tc in tr.iterchildren(qn("w:tc")) for p in tc.iterchildren(qn("w:p"))]


def _row_height(document: Any, styles: _Styles, grid: Sequence[float], padding: float, tr: Any) -> float:
    """A row is as tall as its tallest cell, measured at the cell's width, with its margins and rule."""
    tallest, column = 0.0, 0
    for tc in tr.iterchildren(qn("w:tc")):
        span_el = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
        span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
        cell_width = sum(grid[column : column + span]) - padding
        column += span
        paragraphs = [Paragraph(p, document._body) for p in tc.iterchildren(qn("w:p"))]
        tallest = max(tallest, sum(_height(styles, p, cell_width) for p in paragraphs))
    return tallest + styles.vertical + ROW_RULE


ROW_RULE = 1.0
"""Points a table row adds to its tallest cell: the rule between rows."""


def _layout(items: Sequence[_Item], page: float) -> list[int]:
    """The page (from 0) each item starts on: a chain of items kept with the next moves to a
    new page whole when it does not fit the rest of the page (and fits a page)."""
    starts: list[int] = []
    current, used, i = 0, 0.0, 0
    while i < len(items):
        j = i
        while j + 1 < len(items) and items[j].keep and not items[j + 1].fresh:
            j += 1
        chain = items[i : j + 1]
        size = sum(item.height for item in chain)
        if items[i].fresh and i:
            current, used = current + 1, 0.0
        elif used and used + size > page and size <= page:
            current, used = current + 1, items[i].header
        for item in chain:
            if used and used + item.height > page:
                current, used = current + 1, item.header
            starts.append(current)
            used += item.height
        i = j + 1
    return starts


def _fill(items: Sequence[_Item], starts: Sequence[int], page: int) -> float:
    on = [item for item, at in zip(items, starts) if at == page]
    return on[0].header + sum(item.height for item in on)


def _more_rows(items: Sequence[_Item], starts: Sequence[int], last: int, target: float, page: float) -> None:
    """Keep the last rows of the table the last page continues together, from the row at which
    the last page is filled to `target`, when those rows fit a page."""
    first = starts.index(last)
    table = items[first].table
    if table < 0 or first == 0 or items[first - 1].table != table:
        return
    fill = _fill(items, starts, last)
    start = first
    while fill < target and start - 1 >= 0 and items[start - 1].table == table and items[start - 1].header:
        start -= 1
        fill += items[start].height
    end = max(i for i, item in enumerate(items) if item.table == table)
    if fill < target or fill > page or start == first:
        return
    for item in items[start:end]:
        for p in item.row.iter(qn("w:p")):
            _keep_with_next(p)


def _height(styles: _Styles, paragraph: Paragraph, width: float) -> float:
    look = styles.look(paragraph)
    pictures = [int(e.get("cy")) / 12700 for e in paragraph._p.iter(f"{{{WP}}}extent")]
    if pictures:  # an inline picture is its line: line spacing does not scale it
        return look.before + look.after + sum(pictures)
    runs = [(paragraph.text or " ", "bold" if look.bold else "")]
    lines = measure.line_count(runs, width - look.indent, look.size, measure.family_named(look.font))
    return look.before + look.after + lines * look.size * LINE_EM * look.line


def _text_width(document: Any) -> float:
    section = document.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / 12700


def cell_padding(document: Any) -> float:
    """Left plus right cell margins (pt) of the Deliver Table style (Word's default: 0.19 cm each)."""
    return _margins(document, "left") + _margins(document, "right")


def _margins(document: Any, side: str) -> float:
    margins = document.styles["Deliver Table"].element.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    found = None if margins is None else margins.find(qn(f"w:{side}"))
    if found is None:
        return 5.4 if side in ("left", "right") else 0.0
    return int(found.get(qn("w:w"))) / 20


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
