"""A test-only renderer writing every office format the snapshot text forms read.

Registered by tests/test_snapshot.py through monkeypatch, so the snapshot code
is exercised on docx, pptx, pdf, png and svg before the real renderers land.
"""

from __future__ import annotations

import struct
import zlib
from io import BytesIO
from typing import Any

NAME = "probe"
SUFFIXES = (".docx", ".pptx", ".pdf", ".png", ".svg", ".csv")
DESCRIPTION = "Probe files in every format (tests only)."
CONSUMES = ()
EXTERNAL = ()


def files(project: Any) -> tuple[str, ...]:
    """One small file per format."""
    return tuple(f"probe{suffix}" for suffix in SUFFIXES)


def view(project: Any, ctx: Any) -> dict[str, Any]:
    """Stage labels and definitions."""
    return {"title": project.client.name, "stages": [(s.label, s.definition) for s in project.stages]}


def render(view: dict[str, Any], ctx: Any) -> dict[str, bytes]:
    """One small file per format."""
    return {
        "probe.docx": _docx(view),
        "probe.pptx": _pptx(view),
        "probe.pdf": _pdf(view),
        "probe.png": _png(4, 2),
        "probe.svg": _svg(view),
        "probe.csv": "".join(f"{label},{len(text)}\n" for label, text in view["stages"]).encode(),
    }


def _docx(view: dict[str, Any]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(view["title"], level=1)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, text in view["stages"]:
        document.add_paragraph(f"{label}: {text}", style="List Bullet")
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, text
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _pptx(view: dict[str, Any]) -> bytes:
    import pptx
    from pptx.util import Inches

    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = view["title"]
    rows = len(view["stages"])
    table = slide.shapes.add_table(rows, 2, Inches(0.5), Inches(1.5), Inches(9), Inches(0.4 * rows)).table
    for row, (label, text) in enumerate(view["stages"]):
        table.cell(row, 0).text, table.cell(row, 1).text = label, text
    slide.notes_slide.notes_text_frame.text = "Speaker notes"
    out = BytesIO()
    deck.save(out)
    return out.getvalue()


def _pdf(view: dict[str, Any]) -> bytes:
    from reportlab.pdfgen import canvas

    out = BytesIO()
    page = canvas.Canvas(out, invariant=1)
    y = 800
    for label, text in view["stages"]:
        page.drawString(40, y, f"{label}: {text}"[:110])
        y -= 16
    page.save()
    return out.getvalue()


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _svg(view: dict[str, Any]) -> bytes:
    from xml.sax.saxutils import escape

    texts = "".join(
        f'<text x="0" y="{20 * i}">{escape(label)}</text>' for i, (label, _) in enumerate(view["stages"], 1)
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="100pt"><g>{texts}</g></svg>'.encode()


def light_registry(monkeypatch: Any, *extra: str) -> None:
    """Limit the registry to the Markdown summary (plus `extra` names; "probe" is
    this module): tests of mechanisms need not render every office document."""
    from deliverables.pipeline import registry

    modules = {"summary": "deliverables.documents.summary", "probe": "snapshot_probe"}
    monkeypatch.setattr(registry, "REGISTRY", {name: modules[name] for name in ("summary", *extra)})
