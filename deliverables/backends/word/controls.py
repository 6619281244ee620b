"""Word content controls: clickable checkboxes and plain-text boxes, written and read back.

A checkbox is an inline `w:sdt` whose properties carry Word 2010's
`w14:checkbox` (checked flag and the glyphs of both states) and whose content
is the glyph itself, so a reader that knows nothing of controls prints the
same box. A text box is a plain-text control (`w:text`) showing a placeholder
until someone types. Each control has a tag the reader finds it by and an id
derived from the tag, so rebuilding gives the same bytes.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CHECKED, UNCHECKED = "☒", "☐"
_STATE_FONT = "MS Gothic"  # the font Word itself gives the glyphs of a new checkbox


@dataclass(frozen=True)
class Checkbox:
    """A clickable box in a run of text: its state, its tag, and the name Word shows for it."""

    checked: bool
    tag: str
    alias: str
    style: str | None = None
    mark: str | None = None
    """A hidden bookmark around the box: what identifies it once an editor has dropped the tag."""


@dataclass(frozen=True)
class TextBox:
    """A plain-text box showing `placeholder` until someone types in it."""

    tag: str
    alias: str
    placeholder: str
    style: str | None = None
    mark: str | None = None


@dataclass(frozen=True)
class Found:
    """A control read back from a document: kind `checkbox` or `text`."""

    tag: str
    kind: str
    checked: bool = False
    text: str = ""
    mark: str = ""
    """The name of the hidden bookmark at the control, when it kept one."""


def control_id(tag: str) -> str:
    """A stable id for the control tagged `tag` (Word wants a number unique in the document)."""
    return str(zlib.crc32(tag.encode("utf-8")) % 2_000_000_000 + 1)


def add_control(paragraph, control: Checkbox | TextBox, style_id: str | None) -> None:
    """Append the inline content control to a python-docx paragraph."""
    sdt = OxmlElement("w:sdt")
    pr = etree.SubElement(sdt, qn("w:sdtPr"))
    if style_id:
        etree.SubElement(etree.SubElement(pr, qn("w:rPr")), qn("w:rStyle")).set(qn("w:val"), style_id)
    etree.SubElement(pr, qn("w:alias")).set(qn("w:val"), control.alias)
    etree.SubElement(pr, qn("w:tag")).set(qn("w:val"), control.tag)
    etree.SubElement(pr, qn("w:id")).set(qn("w:val"), control_id(control.tag))
    if isinstance(control, Checkbox):
        box = etree.SubElement(pr, f"{{{W14}}}checkbox")
        etree.SubElement(box, f"{{{W14}}}checked").set(f"{{{W14}}}val", "1" if control.checked else "0")
        for name, glyph in (("checkedState", CHECKED), ("uncheckedState", UNCHECKED)):
            state = etree.SubElement(box, f"{{{W14}}}{name}")
            state.set(f"{{{W14}}}val", f"{ord(glyph):04X}")
            state.set(f"{{{W14}}}font", _STATE_FONT)
        text = CHECKED if control.checked else UNCHECKED
    else:
        etree.SubElement(pr, qn("w:showingPlcHdr"))
        etree.SubElement(pr, qn("w:text"))
        text = control.placeholder
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    run = etree.SubElement(content, qn("w:r"))
    if style_id:
        etree.SubElement(etree.SubElement(run, qn("w:rPr")), qn("w:rStyle")).set(qn("w:val"), style_id)
    t = etree.SubElement(run, qn("w:t"))
    t.text = text
    if control.mark is None:
        paragraph._p.append(sdt)
        return
    # LibreOffice before 7.5 drops tags on saving, but keeps bookmarks.
    start = etree.SubElement(paragraph._p, qn("w:bookmarkStart"))
    start.set(qn("w:id"), control_id(control.tag))
    start.set(qn("w:name"), control.mark)
    paragraph._p.append(sdt)
    etree.SubElement(paragraph._p, qn("w:bookmarkEnd")).set(qn("w:id"), control_id(control.tag))


def declare_w14(root) -> None:
    """Make sure the part's root lists w14 as ignorable (a theme's base may not)."""
    ignorable = root.get(f"{{{MC}}}Ignorable", "")
    if "w14" not in ignorable.split() and root.nsmap.get("w14") == W14:
        root.set(f"{{{MC}}}Ignorable", f"{ignorable} w14".strip())


MAX_BODY = 128 * 2**20
"""The largest document text a returned file may unpack to: an alignment document of 2,000
stages holds a few MiB; a file claiming gigabytes is damaged or built to exhaust memory."""


def read_controls(data: bytes) -> list[Found]:
    """Every tagged content control of a .docx's body, in document order.

    Raises ValueError when the file is not a readable Word document."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            size = package.getinfo("word/document.xml").file_size
            if size > MAX_BODY:
                limit = MAX_BODY // 2**20
                raise ValueError(
                    f"its text unpacks to {size / 2**20:,.0f} MiB, past the {limit} MiB a returned document may hold"
                )
            xml = package.read("word/document.xml")
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError) as exc:
        raise ValueError(str(exc)) from None
    found = []
    for sdt in root.iter(f"{{{W}}}sdt"):
        pr = sdt.find(f"{{{W}}}sdtPr")
        if pr is None:
            continue
        tag = pr.find(f"{{{W}}}tag")
        value = tag.get(f"{{{W}}}val", "") if tag is not None else ""
        box = pr.find(f"{{{W14}}}checkbox")
        content = sdt.find(f"{{{W}}}sdtContent")
        text = _text(content) if content is not None else ""
        mark = _mark(sdt, content)
        if box is not None:
            checked = box.find(f"{{{W14}}}checked")
            flag = checked is not None and checked.get(f"{{{W14}}}val", "1") in ("1", "true", "on")
            found.append(Found(value, "checkbox", checked=flag, text=text, mark=mark))
        elif pr.find(f"{{{W}}}text") is not None or value:
            placeholder = pr.find(f"{{{W}}}showingPlcHdr") is not None
            found.append(Found(value, "text", text="" if placeholder else text, mark=mark))
    return found


def _mark(sdt, content) -> str:
    """The bookmark just before the control, or (as LibreOffice moves it) first inside it."""
    before = sdt.getprevious()
    if before is not None and before.tag == f"{{{W}}}bookmarkStart":
        return before.get(f"{{{W}}}name", "")
    first = content[0] if content is not None and len(content) else None
    if first is not None and first.tag == f"{{{W}}}bookmarkStart":
        return first.get(f"{{{W}}}name", "")
    return ""


def _text(element) -> str:
    """The visible text inside an element: text runs, tabs and breaks; deleted text left out."""
    parts = []
    for node in element.iter(f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}br", f"{{{W}}}cr"):
        if node.tag == f"{{{W}}}t":
            parts.append(node.text or "")
        elif node.tag == f"{{{W}}}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)
