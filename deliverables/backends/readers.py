"""A normalized, reviewable text form of any deliverable file, chosen by suffix.

Snapshots compare these texts instead of bytes: a reviewer sees that a
definition changed in the docx, not that a zip entry did. Office libraries are
imported inside the function that reads their format.
"""

from __future__ import annotations

import hashlib
import struct
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from io import BytesIO
from typing import Any

TEXT_SUFFIXES = (
    ".md",
    ".json",
    ".xml",
    ".ics",
    ".csv",
    ".txt",
    ".gv",
    ".dot",
    ".html",
    ".htm",
    ".yaml",
    ".yml",
    ".tsv",
)
"""Files whose snapshot is the text itself."""


def text_form(name: str, data: bytes) -> str:
    """The reviewable text of the file `name` with contents `data`, ending in a newline."""
    lower = name.lower()
    for suffix, reader in READERS.items():
        if lower.endswith(suffix):
            lines = list(reader(data))
            break
    else:
        if lower.endswith(TEXT_SUFFIXES):
            lines = [_decode(data)]
        else:
            lines = [f"binary file: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}"]
    # Zero-width spaces only mark where a long API name may wrap: not part of the text.
    text = "\n".join(lines).replace("\r\n", "\n").replace("\r", "\n").replace("\u200b", "")
    return text if text.endswith("\n") else text + "\n"


def _decode(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")


def _flat(text: str) -> str:
    """One line: paragraphs inside a cell or shape joined with ' / '."""
    return " / ".join(part.strip() for part in text.splitlines() if part.strip())


def visible_text(paragraph: Any) -> str:
    """A python-docx paragraph's text including its content controls (checkboxes, text boxes)
    and inserted revisions; deleted revisions are left out, as after Accept All."""
    from docx.oxml.ns import qn

    return "".join(run.text for run in paragraph._p.iter(qn("w:r"))).replace("\u200b", "")


def _cell_text(cell: Any) -> str:
    return "\n".join(visible_text(p) for p in cell.paragraphs)


def docx_lines(data: bytes) -> Iterator[str]:
    """Core properties, then body paragraphs and tables in order with their style names,
    then the distinct header and footer texts."""
    import docx

    document = docx.Document(BytesIO(data))
    core = document.core_properties
    yield f"core: title={core.title!r} author={core.author!r} created={core.created} modified={core.modified}"
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            yield f"[table {_style(block)}]"
            yield from (_row([_cell_text(cell) for cell in row.cells]) for row in block.rows)
        elif visible_text(block).strip():
            yield f"[{_style(block)}] {visible_text(block)}"
    yield from _headers_footers(document)


def _style(block: Any) -> str:
    style = getattr(block, "style", None)
    return style.name if style is not None and style.name else "(no style)"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_flat(c) for c in cells) + " |"


def _headers_footers(document: Any) -> Iterator[str]:
    seen: set[str] = set()
    for section in document.sections:
        for kind, part in (("header", section.header), ("footer", section.footer)):
            text = _flat("\n".join(p.text for p in part.paragraphs)) if not part.is_linked_to_previous else ""
            if text and (kind, text) not in seen:
                seen.add((kind, text))
                yield f"[{kind}] {text}"


def pptx_lines(data: bytes) -> Iterator[str]:
    """Per slide: layout, title, the text and table cells of every shape, and the notes."""
    import pptx

    deck = pptx.Presentation(BytesIO(data))
    for number, slide in enumerate(deck.slides, 1):
        title = slide.shapes.title
        yield f"=== slide {number} ({slide.slide_layout.name}) ==="
        yield f"title: {_flat(title.text_frame.text) if title is not None else ''}"
        for shape in slide.shapes:
            if title is None or shape.shape_id != title.shape_id:
                yield from _shape_lines(shape)
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            notes = _flat(slide.notes_slide.notes_text_frame.text)
            if notes:
                yield f"notes: {notes}"


def _shape_lines(shape: Any) -> Iterator[str]:
    if getattr(shape, "shapes", None) is not None and shape.shape_type == 6:  # a group
        for inner in shape.shapes:
            yield from _shape_lines(inner)
    elif getattr(shape, "has_table", False) and shape.has_table:
        yield f"[table {shape.name}]"
        yield from (_row([cell.text for cell in row.cells]) for row in shape.table.rows)
    elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        for paragraph in shape.text_frame.paragraphs:
            text = _runs_text(paragraph)
            if text:
                yield f"{'  ' * paragraph.level}- {text}"
    elif shape.shape_type == 13:  # a picture
        yield f"[picture {shape.name}]"


def _runs_text(paragraph: Any) -> str:
    """A slide paragraph's runs (fields such as the slide number left out), a line break
    inside it shown as ' / '."""
    parts, current = [], ""
    for child in paragraph._p:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "r":
            current += "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
        elif tag == "br":
            parts.append(current)
            current = ""
    return " / ".join(part.strip() for part in (*parts, current) if part.strip())


def pdf_lines(data: bytes) -> Iterator[str]:
    """Page count, then the text of every page."""
    import pypdf

    reader = pypdf.PdfReader(BytesIO(data))
    yield f"pages: {len(reader.pages)}"
    for number, page in enumerate(reader.pages, 1):
        yield f"--- page {number} ---"
        yield from (line.rstrip() for line in page.extract_text().splitlines() if line.strip())


def png_lines(data: bytes) -> Iterator[str]:
    """Dimensions only: pixels differ with font rasterizers, sizes should not."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        yield f"not a PNG file ({len(data)} bytes)"
        return
    width, height = struct.unpack(">II", data[16:24])
    yield f"PNG image: {width} x {height} pixels"


def svg_lines(data: bytes) -> Iterator[str]:
    """The drawing's size, then every text label in document order."""
    root = ET.fromstring(data)  # our own renderer's output, not client input
    yield f"SVG: width={root.get('width')} height={root.get('height')}"
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "text":
            text = _flat("".join(element.itertext()))
            if text:
                yield f"text: {text}"


READERS: dict[str, Callable[[bytes], Iterator[str]]] = {
    ".docx": docx_lines,
    ".pptx": pptx_lines,
    ".pdf": pdf_lines,
    ".png": png_lines,
    ".svg": svg_lines,
}
"""Suffix -> reader for formats whose bytes are not reviewable as they are."""
