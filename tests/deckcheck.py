"""Reading built decks back for tests: per-slide text outlines and an
independent overflow check that re-measures every shape from the saved XML."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from pptx import Presentation
from pptx.oxml.ns import qn

from deliverables.backends import text as measure
from deliverables.core.context import Context
from deliverables.core.source import load_document
from deliverables.core.validate import validate_document

EMU_PER_PT = 12700
TOLERANCE = 0.5
"""Points of rounding slack allowed between a measure and a box."""


def context(path: Path, text: str | None = None, previous=None, theme: Path | None = None) -> Context:
    """A build context for a client file (or text), as the pipeline makes it."""
    doc = load_document(path, text)
    return Context(validate_document(doc), doc, previous, theme)


def open_deck(data: bytes):
    """The presentation in `data`."""
    return Presentation(io.BytesIO(data))


def _shape_text(shape) -> list[str]:
    if shape.has_table if hasattr(shape, "has_table") else False:
        return [
            " | ".join(c.text.replace("\x0b", " / ").replace("\n", " / ") for c in row.cells)
            for row in shape.table.rows
        ]
    if shape.has_text_frame:
        return [p.text.replace("\x0b", " / ").replace("\n", " / ") for p in shape.text_frame.paragraphs]
    return [f"<{shape.shape_type}: {shape.name}>"]


def outline(data: bytes) -> str:
    """Every slide's layout, shapes' text (tables row by row) and notes, as plain text."""
    lines = []
    for number, slide in enumerate(open_deck(data).slides, 1):
        lines.append(f"=== slide {number} [{slide.slide_layout.name}]")
        for shape in slide.shapes:
            lines.append(f"-- {shape.name}")
            lines.extend(f"   {text}" for text in _shape_text(shape))
        lines.append("-- notes")
        lines.extend(f"   {t}" for t in slide.notes_slide.notes_text_frame.text.splitlines())
    return "\n".join(lines) + "\n"


def titles(data: bytes) -> list[str]:
    """Slide titles in order."""
    return [slide.shapes.title.text_frame.text for slide in open_deck(data).slides]


def named(slide, name: str):
    """The slide's shapes called `name` (or starting with it, for numbered ones like "Stage 3")."""
    return [s for s in slide.shapes if s.name == name or s.name.startswith(f"{name} ")]


def kickers(data: bytes) -> list[str]:
    """Each slide's kicker (its topic above the title), "" for none."""
    return [next((s.text_frame.text for s in named(slide, "Kicker")), "") for slide in open_deck(data).slides]


def agenda(data: bytes) -> tuple[str, list[tuple[str, str]]]:
    """The agenda slide's title and its (time, topic) rows."""
    for slide in open_deck(data).slides:
        if any(s.text_frame.text == "AGENDA" for s in named(slide, "Kicker")):
            table = named(slide, "Table")[0].table
            rows = [(row.cells[0].text, row.cells[1].text) for row in list(table.rows)[1:]]
            return slide.shapes.title.text_frame.text, rows
    raise AssertionError("no agenda slide")


def tracker(slide) -> tuple[list[str], str]:
    """The tracker's labels on a slide and the one marked current ("" when none)."""
    labels = [s for s in named(slide, "Tracker") if s.name.split()[-1].isdigit()]
    current = [s.text_frame.text for s in labels if s.text_frame.paragraphs[0].runs[0].font.bold]
    return [s.text_frame.text for s in labels], current[0] if current else ""


def _pt(value) -> float:
    return (value or 0) / EMU_PER_PT


def _paragraph_height(p, width: float) -> float:
    ppr = p._p.pPr
    runs = [(r.text, "bold" if r.font.bold else "") for r in p.runs]
    breaks = len(p._p.findall(qn("a:br")))
    sizes = [r.font.size.pt for r in p.runs if r.font.size] or [_end_size(p)]
    size = max(sizes)
    indent = int(ppr.get("marL", "0")) / EMU_PER_PT if ppr is not None else 0.0
    text_runs = runs if not breaks else _with_breaks(p)
    # Measured with the family each run names, as PowerPoint would lay it out (Calibri: its twin Carlito).
    family = measure.family_named(next((r.font.name for r in p.runs if r.font.name), None))
    lines = measure.line_count(text_runs, width - indent, size, family)
    spacing = p.line_spacing.pt if p.line_spacing is not None and hasattr(p.line_spacing, "pt") else size * 1.2
    before = p.space_before.pt if p.space_before is not None else 0.0
    return before + lines * spacing


def _end_size(p) -> float:
    end = p._p.find(qn("a:endParaRPr"))
    return int(end.get("sz")) / 100 if end is not None and end.get("sz") else 18.0


def _with_breaks(p) -> list[tuple[str, str]]:
    runs = []
    for child in p._p:
        if child.tag == qn("a:r"):
            bold = child.find(qn("a:rPr")) is not None and child.find(qn("a:rPr")).get("b") == "1"
            runs.append((child.findtext(qn("a:t")) or "", "bold" if bold else ""))
        elif child.tag == qn("a:br"):
            runs.append(("\n", ""))
    return runs


def frame_height(frame, width: float) -> float:
    """Measured height of a text frame's paragraphs within `width` points (insets excluded)."""
    inner = width - _pt(frame.margin_left) - _pt(frame.margin_right)
    return sum(_paragraph_height(p, inner) for p in frame.paragraphs) + _pt(frame.margin_top) + _pt(frame.margin_bottom)


def overflows(data: bytes) -> Iterator[str]:
    """Every shape whose measured text is taller than its box, or that leaves the slide."""
    prs = open_deck(data)
    slide_w, slide_h = _pt(prs.slide_width), _pt(prs.slide_height)
    for number, slide in enumerate(prs.slides, 1):
        footer_top = min((_pt(s.top) for s in slide.shapes if s.name == "Footer"), default=slide_h)
        for shape in slide.shapes:
            where = f"slide {number} {shape.name!r}"
            left, top, width, height = (_pt(v) for v in (shape.left, shape.top, shape.width, shape.height))
            if left < 0 or top < 0 or left + width > slide_w + TOLERANCE or top + height > slide_h + TOLERANCE:
                yield f"{where}: outside the slide"
            if getattr(shape, "has_table", False) and shape.has_table:
                yield from _table_overflows(shape, where, top, footer_top)
            elif shape.has_text_frame and shape.text_frame.text:
                need = frame_height(shape.text_frame, width)
                if need > height + TOLERANCE:
                    yield f"{where}: text needs {need:.1f}pt, box is {height:.1f}pt"


def _table_overflows(shape, where: str, top: float, limit: float) -> Iterator[str]:
    table = shape.table
    widths = [_pt(c.width) for c in table.columns]
    bottom = top + sum(_pt(r.height) for r in table.rows)
    if bottom > limit + TOLERANCE:
        yield f"{where}: table ends at {bottom:.1f}pt, below {limit:.1f}pt"
    for index, row in enumerate(table.rows):
        for cell, width in zip(row.cells, widths):
            inner = width - _pt(cell.margin_left) - _pt(cell.margin_right)
            need = sum(_paragraph_height(p, inner) for p in cell.text_frame.paragraphs)
            need += _pt(cell.margin_top) + _pt(cell.margin_bottom)
            if need > _pt(row.height) + TOLERANCE:
                yield f"{where} row {index}: cell needs {need:.1f}pt, row is {_pt(row.height):.1f}pt"
