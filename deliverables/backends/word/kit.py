"""The python-docx layer shared by the Word deliverables.

Only renderers' `render()` import this module, so listing and hashing views
never loads python-docx. Everything here styles through named styles of the
base document (built-in `templates/base.docx` or a theme's copy) and checks
up front that the base defines them. Text is made safe for XML on the way in,
and every line break in client text becomes a real Word line break.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import docx
import docx.oxml.ns
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from deliverables.backends import qnames
from deliverables.backends import text as measure
from deliverables.backends.archive import core_text, drop_dates, normalize_zip
from deliverables.backends.word import pages
from deliverables.backends.word.controls import Checkbox, TextBox, add_control, declare_w14
from deliverables.core.dates import FALLBACK_DATE
from deliverables.core.errors import BuildError, TemplateError

qnames.install(docx.oxml.ns)

Run = tuple[str, str | None] | Checkbox | TextBox
"""A piece of text and its character style (None: the paragraph's own), or a content control."""
Rich = str | Sequence[Run]

# XML 1.0 cannot carry these at all; python-docx raises on them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BREAK = re.compile("\r\n|[\r\n\v\f\x85\u2028\u2029]")
WHOLE_FLOOR = 6.5
"""Smallest font size (pt) a column of whole API names shrinks to so that its longest name fits."""

BASE_STYLES: tuple[str, ...] = (
    "Normal",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "List Bullet",
    "Legend",
    "Table Text",
    "Table Bullet",
    "Table Header",
    "Header",
    "Footer",
    "Strong",
    "Muted",
    "Assumed Flag",
    "Deliver Table",
)
"""Styles every Word deliverable uses; renderers add their own to this list."""


def clean(text: object) -> str:
    """Text python-docx accepts: characters XML cannot carry are dropped."""
    return _NOT_XML.sub("", str(text))


def add_runs(paragraph: Paragraph, rich: Rich, ids: dict[str, str] | None = None) -> Paragraph:
    """Append text to a paragraph; each line break in it becomes a Word line break.

    `ids` maps style names to ids: python-docx's own lookup by name scans every
    style on each call, which dominates the time of a large document."""
    runs: Sequence[Run] = [(rich, None)] if isinstance(rich, str) else rich
    for item in runs:
        if isinstance(item, (Checkbox, TextBox)):
            add_control(paragraph, item, (ids or {}).get(item.style or ""))
            continue
        text, style = item
        for index, line in enumerate(clean(part) for part in _BREAK.split(str(text))):
            if ids is None:
                run = paragraph.add_run(style=style)
            else:
                run = paragraph.add_run()
                if style:
                    run._r.style = ids[style]
            if index:
                run.add_break()
            if line:
                run.add_text(line)
    return paragraph


def space_before(paragraph: Paragraph, points: float) -> Paragraph:
    """The paragraph with `points` of space above it (e.g. right below a table)."""
    paragraph.paragraph_format.space_before = Emu(int(points * 12700))
    return paragraph


def writer(ctx: Any, styles: Iterable[str], what: str) -> Writer:
    """A `Writer` on the deliverable's declared `base.docx` (the theme's copy or the built-in one)."""
    return Writer(ctx.input("base.docx"), styles, what, str(ctx.template("base.docx")))


class Writer:
    """A Word document being written on top of a branded base."""

    def __init__(self, base: bytes | None, styles: Iterable[str], what: str, label: str = "base.docx"):
        try:
            self.doc: Document = docx.Document(io.BytesIO(base or b""))
        except Exception as exc:  # python-docx raises several unrelated types for a bad package
            raise TemplateError(
                f"base document '{label}' cannot be opened as .docx: {exc}, expected a Word document", label
            ) from None
        self.ids = {style.name: style.style_id for style in self.doc.styles}
        for name in dict.fromkeys((*BASE_STYLES, *styles)):
            if name not in self.ids:
                raise TemplateError(f"base document '{label}' lacks the style '{name}' needed by the {what}", label)
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        _valid_zoom(self.doc)
        self._sizes: dict[int, dict[int, float]] = {}
        """Font size (pt) of the columns of whole API names that had to shrink, by table."""

    # ------------------------------------------------------------- text

    def para(self, rich: Rich = "", style: str = "Normal") -> Paragraph:
        """A paragraph in the given style."""
        paragraph = self.doc.add_paragraph()
        paragraph._p.style = self.ids[style]
        return add_runs(paragraph, rich, self.ids)

    def picture(self, paragraph: Paragraph, data: bytes, name: str, height_cm: float, max_width_cm: float) -> None:
        """An image at `height_cm` (less when it would be wider than `max_width_cm`)."""
        from docx.shared import Cm
        from PIL import Image

        try:
            with Image.open(io.BytesIO(data)) as image:
                ratio = image.width / max(image.height, 1)
                image.verify()
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            raise BuildError(f"image '{name}' cannot be read: {exc}") from None
        stream = io.BytesIO(data)
        stream.name = name
        paragraph.add_run().add_picture(stream, height=Cm(min(height_cm, max_width_cm / ratio)))

    def heading(self, text: str, level: int = 1) -> Paragraph:
        """A heading (level 1 or 2)."""
        return self.para(text, f"Heading {level}")

    def bullets(self, items: Iterable[Rich], style: str = "List Bullet") -> None:
        """One bulleted paragraph per item."""
        for item in items:
            self.para(item, style)

    # ------------------------------------------------------------ tables

    def table(
        self, headers: Sequence[str], weights: Sequence[float], whole: dict[int, Iterable[str]] | None = None
    ) -> Table:
        """A fixed-layout table spanning the text width, columns sized by weight,
        with a header row repeated on every page.

        `whole` maps a column to the texts it will hold whose words must never wrap (API
        names such as `Account.Customer_Lifecycle_Stage__c`): the column widens, taken from
        the others (each keeps room for its header), until its longest word fits on one line;
        when the others cannot give enough, its text shrinks too, down to WHOLE_FLOOR."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.doc.styles["Deliver Table"]
        table.autofit = False
        widths = _split(self.text_width(), weights)
        if whole:
            widths, sizes = _fit_whole(self.doc, headers, widths, whole)
            self._sizes[id(table._tbl)] = sizes
        _fix_layout(table, widths)
        for cell, header in zip(table.rows[0].cells, headers):
            fill(cell, [("Table Header", header)], self.ids)
        _repeat_header(table.rows[0])
        return table

    def row(self, table: Table, cells: Sequence[Sequence[tuple[str, Rich]]]) -> list[_Cell]:
        """Add a row kept on one page; each cell is a list of (paragraph style, text) pairs."""
        added = table.add_row()
        # Word and LibreOffice still break a row taller than a page, so nothing is clipped.
        added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        new = added.cells
        for cell, paragraphs in zip(new, cells):
            fill(cell, paragraphs, self.ids)
        for column, size in self._sizes.get(id(table._tbl), {}).items():
            for paragraph in new[column].paragraphs:
                for run in paragraph.runs:
                    run.font.size = Emu(int(size * 12700))
        return list(new)

    # ---------------------------------------------------------- sections

    def text_width(self) -> int:
        """Usable width of the current section in EMU."""
        section = self.doc.sections[-1]
        return int(section.page_width - section.left_margin - section.right_margin)

    def new_section(self, landscape: bool) -> None:
        """Start a new page in portrait or landscape; margins carry over."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        wide = section.page_width > section.page_height
        if wide != landscape:
            section.page_width, section.page_height = section.page_height, section.page_width
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT

    def header_footer(self, header: str, footer: str) -> None:
        """Header text on every page; footer text followed by `Page N of M` fields."""
        section = self.doc.sections[0]
        add_runs(_free_paragraph(section.header, self.ids["Header"]), header)
        paragraph = _free_paragraph(section.footer, self.ids["Footer"])
        add_runs(paragraph, f"{footer}  ·  Page ")
        _field(paragraph, "PAGE")
        add_runs(paragraph, " of ")
        _field(paragraph, "NUMPAGES")

    # -------------------------------------------------------------- save

    def save(self, title: str, subject: str, author: str, date: dt.date) -> bytes:
        """The document's bytes with core properties from the input and fixed zip dates."""
        props = self.doc.core_properties
        stamp = dt.datetime(date.year, date.month, date.day)
        props.title, props.subject = core_text(clean(title)), core_text(clean(subject))
        props.author = props.last_modified_by = core_text(clean(author))
        props.created = props.modified = stamp
        if date == FALLBACK_DATE:
            drop_dates(props._element)
        props.revision = 1
        props.comments = props.keywords = props.category = ""
        declare_w14(self.doc.element)
        pages.keep_tables_together(self.doc)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return normalize_zip(buffer.getvalue(), (max(date.year, 1980), date.month, date.day, 0, 0, 0))


def _valid_zoom(doc: Document) -> None:
    """A branded base saved by python-docx has `<w:zoom w:val="bestFit"/>`; the schema
    requires w:percent, without which Word offers to repair the file."""
    zoom = doc.settings.element.find(qn("w:zoom"))
    if zoom is not None and zoom.get(qn("w:percent")) is None:
        zoom.set(qn("w:percent"), "100")


def fill(cell: _Cell, paragraphs: Sequence[tuple[str, Rich]], ids: dict[str, str]) -> None:
    """Write paragraphs into a cell, reusing its first, empty paragraph."""
    first = cell.paragraphs[0]
    for index, (style, rich) in enumerate(paragraphs or [("Table Text", "")]):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph._p.style = ids[style]
        add_runs(paragraph, rich, ids)


def shade_cell(cell: _Cell, colour: str) -> None:
    """Fill a cell with a solid colour (RGB hex)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shd)


def _split(total: int, weights: Sequence[float]) -> list[int]:
    """Column widths in EMU, rounded to whole twips, summing to at most `total`."""
    twip = 635
    whole = sum(weights)
    return [int(total * w / whole) // twip * twip for w in weights]


def _fit_whole(
    doc: Document, headers: Sequence[str], widths: list[int], whole: dict[int, Iterable[str]]
) -> tuple[list[int], dict[int, float]]:
    """Column widths (EMU) in which every word of the `whole` columns fits one line, and the
    smaller font size of those columns where that needs one. The other columns give width in
    proportion to what they can spare: each keeps room for its header's longest word (bold)
    and for half its width."""
    size, family = pages.text_font(doc, "Table Text")
    pt = 12700
    padding = (pages.cell_padding(doc) + 1.0) * pt  # both margins, and a point for the borders

    def widest(texts: Iterable[str], bold: bool = False) -> float:
        found = (measure.text_width(w, size, bold, family) for t in texts for w in t.split())
        return max(found, default=0.0) * pt / measure.SAFETY

    words = {c: widest(texts) for c, texts in whole.items()}
    floors = {
        i: min(widths[i], max(widths[i] // 2, int(widest([headers[i]], True) + padding)))
        for i in range(len(widths))
        if i not in whole
    }
    spare = sum(widths[i] - floor for i, floor in floors.items())
    scale = 1.0
    if sum(max(0.0, words[c] + padding - widths[c]) for c in whole) > spare:
        room = sum(widths[c] for c in whole) + spare - len(whole) * padding
        scale = max(WHOLE_FLOOR / size, min(1.0, room / max(sum(words.values()), 1.0)))
    grow = {c: max(0, int(max(words[c] * scale, widest([headers[c]], True)) + padding) - widths[c]) for c in whole}
    share = min(1.0, spare / sum(grow.values())) if sum(grow.values()) else 0.0
    taken = sum(int(g * share) for g in grow.values())
    out = [
        w + int(grow[i] * share) if i in whole else w - (int(taken * (w - floors[i]) / spare) if spare else 0)
        for i, w in enumerate(widths)
    ]
    twip = 635
    sizes = {c: math.floor(size * scale * 2) / 2 for c in whole} if scale < 1.0 else {}
    return [w // twip * twip for w in out], sizes


def _fix_layout(table: Table, widths: list[int]) -> None:
    """Fixed layout with explicit grid and cell widths: Word and LibreOffice both honour them."""
    tbl_pr = table._tbl.tblPr
    # autofit = False has already added the one w:tblLayout the schema allows, in its place
    tbl_pr.get_or_add_tblLayout().set(qn("w:type"), "fixed")
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(sum(widths) // 635))
    tbl_w.set(qn("w:type"), "dxa")
    for column, width in zip(table.columns, widths):
        column.width = Emu(width)
    for cell, width in zip(table.rows[0].cells, widths):
        cell.width = Emu(width)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    tr_pr.append(flag)


def _free_paragraph(part, style_id: str) -> Paragraph:
    """The header/footer's empty last paragraph, or a new one after the base's own content."""
    paragraphs = part.paragraphs
    if paragraphs and not paragraphs[-1].text and not paragraphs[-1]._p.xpath(".//w:drawing"):
        paragraph = paragraphs[-1]
    else:
        paragraph = part.add_paragraph()
    paragraph._p.style = style_id
    return paragraph


def _field(paragraph: Paragraph, code: str) -> None:
    """A real Word field (PAGE, NUMPAGES) that the reader updates when laying out pages."""
    for kind, text in (("begin", None), ("instr", f" {code} "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.add_text(text)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
