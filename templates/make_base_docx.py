"""Build templates/base.docx, the branded base of every Word deliverable.

Run from a source checkout to regenerate it after changing a style:

    python templates/make_base_docx.py

The base carries only styles and page setup; renderers fill the body and use
nothing but the named styles listed in STYLES, so a user's own branded base
works as long as it defines the same style names. The output is deterministic:
running the script twice gives the same bytes (a test checks the committed
file against it).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deliverables.backends.archive import normalize_zip  # noqa: E402
from deliverables.core import marks  # noqa: E402

FONT = "Arial"  # Word has it everywhere; LibreOffice maps it to the metric-compatible Liberation Sans.
REJECTED = "B91C1C"
WHITE = "FFFFFF"

# name -> (kind, base style, size pt, bold, colour, extras)
PARAGRAPHS: dict[str, tuple[str | None, float, bool, str, dict]] = {
    "Normal": (None, 10, False, marks.INK, {"after": 4}),
    "Title": ("Normal", 28, True, marks.ACCENT, {"after": 6, "before": 60}),
    "Subtitle": ("Normal", 15, False, marks.MUTED, {"after": 24}),
    "Heading 1": ("Normal", 16, True, marks.ACCENT, {"before": 18, "after": 6, "keep": True}),
    "Heading 2": ("Normal", 12.5, True, marks.ACCENT, {"before": 12, "after": 4, "keep": True}),
    "List Bullet": ("Normal", 10, False, marks.INK, {"after": 2}),
    "Cover Logo": ("Normal", 10, False, marks.INK, {"after": 12, "align": "right"}),
    "Cover Meta": ("Normal", 11, False, marks.INK, {"after": 3}),
    "Cover Stamp": ("Normal", 20, True, marks.ASSUMED_COLOUR, {"before": 24, "after": 6}),
    "Legend": ("Normal", 8.5, False, marks.MUTED, {"after": 2}),
    "Table Text": ("Normal", 8.5, False, marks.INK, {"after": 2}),
    "Table Bullet": ("Normal", 8.5, False, marks.INK, {"after": 1, "bullet": True}),
    "Table Header": ("Normal", 8.5, True, WHITE, {"after": 0}),
    "Header": ("Normal", 8, False, marks.MUTED, {"after": 0}),
    "Footer": ("Normal", 8, False, marks.MUTED, {"after": 0, "align": "center"}),
}

# name -> (bold, colour, underline, strike)
CHARACTERS: dict[str, tuple[bool, str, bool, bool]] = {
    "Golden Mark": (True, marks.GOLDEN_LINE, False, False),
    "Assumed Flag": (True, marks.ASSUMED_COLOUR, False, False),
    "Confirmed Flag": (True, marks.CONFIRMED_COLOUR, False, False),
    "Rejected Mark": (True, REJECTED, False, False),
    "Muted": (False, marks.MUTED, False, False),
    "Strong": (True, marks.INK, False, False),
    "Added Text": (False, marks.CONFIRMED_COLOUR, True, False),
    "Removed Text": (False, REJECTED, False, True),
}

TABLE_STYLE = "Deliver Table"

STYLES: tuple[str, ...] = (*PARAGRAPHS, *CHARACTERS, TABLE_STYLE)
"""Every style name the Word renderers use; a branded base must define them all."""


def build_base() -> bytes:
    """The base document's bytes: A4 portrait, 2 cm margins, the named styles, empty body."""
    import docx
    from docx.shared import Cm

    document = docx.Document()
    for name, spec in PARAGRAPHS.items():
        _paragraph_style(document, name, *spec)
    for name, spec in CHARACTERS.items():
        _character_style(document, name, *spec)
    _table_style(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    section.header_distance = section.footer_distance = Cm(1)
    for paragraph in list(document.paragraphs):
        paragraph._element.getparent().remove(paragraph._element)
    _zoom(document)
    _core(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())


def _style(document, name: str, kind):
    try:
        return document.styles[name]
    except KeyError:
        return document.styles.add_style(name, kind)


def _paragraph_style(document, name, base, size, bold, colour, extras) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    style = _style(document, name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = document.styles[base]
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor.from_string(colour)
    fmt = style.paragraph_format
    fmt.space_before = Pt(extras.get("before", 0))
    fmt.space_after = Pt(extras.get("after", 0))
    fmt.keep_with_next = extras.get("keep", False)
    if "align" in extras:
        fmt.alignment = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}[extras["align"]]
    if extras.get("bullet"):
        _link_bullets(document, style)
    _all_scripts(style)


TABLE_BULLETS = 90  # numbering id of the compact bullet list used inside table cells


def _link_bullets(document, style) -> None:
    """A compact bullet list (small indent for narrow cells), linked to the style."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{TABLE_BULLETS}"><w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="200" w:hanging="170"/></w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}"/></w:rPr></w:lvl></w:abstractNum>'
    )
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="{TABLE_BULLETS}"><w:abstractNumId w:val="{TABLE_BULLETS}"/></w:num>')
    )
    # get_or_add keeps w:pPr's schema order (w:numPr before w:spacing)
    style.element.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = TABLE_BULLETS


def _all_scripts(style) -> None:
    """Set the font for complex scripts too, so Arabic or Hebrew text keeps the house font."""
    from docx.oxml.ns import qn

    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:cs"), FONT)


def _character_style(document, name, bold, colour, underline, strike) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import RGBColor

    style = _style(document, name, WD_STYLE_TYPE.CHARACTER)
    style.font.bold = bold
    style.font.color.rgb = RGBColor.from_string(colour)
    style.font.underline = underline or None
    style.font.strike = strike or None


def _table_style(document) -> None:
    """Thin grid borders, a shaded header row in the accent colour, cell padding."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    style = _style(document, TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    style.base_style = document.styles["Normal Table"]
    border = f'w:val="single" w:sz="4" w:space="0" w:color="{marks.MUTED}"'
    sides = "".join(f"<w:{side} {border}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    style.element.append(
        parse_xml(
            f"<w:tblPr {nsdecls('w')}><w:tblBorders>{sides}</w:tblBorders>"
            '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/>'
            '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        )
    )
    style.element.append(
        parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"><w:rPr><w:b/><w:color w:val="{WHITE}"/></w:rPr>'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{marks.ACCENT}"/></w:tcPr></w:tblStylePr>'
        )
    )


def _zoom(document) -> None:
    """Open at 100 %: the schema requires w:percent, which the stock template leaves out."""
    from docx.oxml.ns import qn

    zoom = document.settings.element.find(qn("w:zoom"))
    if zoom is not None:
        zoom.attrib.pop(qn("w:val"), None)
        zoom.set(qn("w:percent"), "100")


def _core(document) -> None:
    import datetime as dt

    props = document.core_properties
    props.title = "deliver base document"
    props.author = props.last_modified_by = "deliver"
    props.created = props.modified = dt.datetime(2000, 1, 1)
    props.revision = 1
    props.comments = props.keywords = props.subject = props.category = ""


def main() -> None:
    """Write templates/base.docx next to this script."""
    target = Path(__file__).resolve().parent / "base.docx"
    target.write_bytes(build_base())
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
