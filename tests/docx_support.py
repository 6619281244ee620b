"""Helpers for the Word deliverable tests: build a context from a client file,
render one deliverable, and extract a docx's text in reading order."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from deliverables.backends.readers import visible_text
from deliverables.core.context import Context
from deliverables.core.model import Project
from deliverables.core.source import load_document
from deliverables.core.validate import validate_document
from deliverables.pipeline.build import render_files

PREFIX = {
    "Title": "TITLE: ",
    "Subtitle": "SUBTITLE: ",
    "Heading 1": "# ",
    "Heading 2": "## ",
    "List Bullet": "- ",
    "Table Bullet": "• ",
}


def context(path: Path, text: str | None = None, previous: Project | None = None, theme: Path | None = None) -> Context:
    """A build context for a client file (optionally with replaced text)."""
    doc = load_document(path, text)
    return Context(validate_document(doc), doc, previous, theme)


def edited(path: Path, *replacements: tuple[str, str]) -> str:
    """The file's text with each (old, new) replaced once; old must be there."""
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def render(name: str, ctx: Context) -> dict[str, bytes]:
    """One deliverable's files, rendered as the pipeline renders them; its warnings land on `ctx`."""
    files, records, warnings = render_files(ctx, [name])
    ctx.warnings[:] = warnings
    return {file_name: files[file_name] for file_name in records[name]["files"]}


def docx_to_pdf(data: bytes, folder: Path, stem: str) -> Path:
    """The docx laid out by LibreOffice (its own profile in `folder`): the path of the PDF."""
    source = folder / f"{stem}.docx"
    source.write_bytes(data)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(folder), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / f"{stem}.pdf"


MARGIN = 1134 / 20
"""The base's top and bottom margins, in points."""


def page_fills(pdf: Path) -> list[float]:
    """For each page of the PDF, the share of its text area (between the base's top and bottom
    margins) that its body's text and pictures reach down to."""
    from pypdf import PdfReader

    return [_fill(page) for page in PdfReader(pdf).pages]


def _fill(page) -> float:
    height = float(page.mediabox.height)
    lows: list[float] = []
    stack: list[list[float]] = []
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]

    def seen(text, cm, tm, font, size):
        if text.strip() and MARGIN < tm[5] < height - MARGIN:
            lows.append(tm[5])

    def operator(op, args, cm, tm):
        nonlocal ctm
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q" and stack:
            ctm = stack.pop()
        elif op == b"cm":
            a, b, c, d, e, f = (float(x) for x in args)
            m = ctm
            ctm = [a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2], c * m[1] + d * m[3]]
            ctm += [e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5]]
        elif op == b"Do" and MARGIN <= ctm[5] < height - MARGIN:
            lows.append(ctm[5])  # a picture's lower edge

    page.extract_text(visitor_text=seen, visitor_operand_before=operator)
    return (height - MARGIN - min(lows, default=height - MARGIN)) / (height - 2 * MARGIN)


def last_page_fill(data: bytes, tmp_path: Path, stem: str = "document") -> tuple[int, float]:
    """Pages of the docx as LibreOffice lays it out, and the share of the last page's text
    area its body reaches down to."""
    fills = page_fills(docx_to_pdf(data, tmp_path, stem))
    return len(fills), fills[-1]


def open_docx(data: bytes):
    """A python-docx Document from bytes."""
    return docx.Document(io.BytesIO(data))


def paragraph_text(paragraph: Paragraph) -> str:
    """A paragraph's text with line breaks shown as ' ⏎ ' and its list/heading prefix."""
    style = paragraph.style.name if paragraph.style is not None else ""
    return PREFIX.get(style, "") + visible_text(paragraph).replace("\n", " ⏎ ")


def cell_text(cell) -> str:
    """A cell's paragraphs joined with ' / '."""
    return " / ".join(paragraph_text(p) for p in cell.paragraphs)


def docx_text(data: bytes) -> str:
    """Header, body (paragraphs, table rows, section breaks) and footer, one line each."""
    document = open_docx(data)
    section = document.sections[0]
    lines = [f"[header] {p.text}" for p in section.header.paragraphs if p.text]
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document._body)
            if visible_text(paragraph) or paragraph_text(paragraph).strip():
                lines.append(paragraph_text(paragraph))
            if child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                lines.append("[section break]")
        elif child.tag == qn("w:tbl"):
            lines.append("[table]")
            for row in Table(child, document._body).rows:
                lines.append("| " + " | ".join(cell_text(c) for c in row.cells) + " |")
    lines += [f"[footer] {p.text}" for p in section.footer.paragraphs if p.text]
    return "\n".join(lines) + "\n"


def find_row(data: bytes, first_cell: str, header: str | None = None) -> list[str]:
    """Cell texts of the first table row whose first cell starts with `first_cell`,
    in a table whose first header cell is `header` when given."""
    for table in open_docx(data).tables:
        if header is not None and cell_text(table.rows[0].cells[0]) != header:
            continue
        for row in table.rows:
            cells = [cell_text(c) for c in row.cells]
            if cells[0].startswith(first_cell):
                return cells
    raise AssertionError(f"no row starting with {first_cell!r}")


BAKERY = (
    "client: {name: Birch Lane Bakery Supply}\nversion: 1\ndate: 2026-12-07\nstages:\n"
    "  - {id: enquiry, name: Wholesale Enquiry, domain: lead, entry: [Form sent]}\n"
    "  - {id: tasting, name: Tasting Booked, domain: sales, entry: [Date agreed]}\n"
    "  - {id: order, name: First Standing Order Placed, domain: sales, entry: [Order entered]}\n"
    "  - {id: regular, name: Regular Customer, domain: customer, entry: [Four weeks paid]}\n"
)
"""A small client of another trade: four stages, none of them an MQL, SAL, SQL or Closed Won."""


def big_client(stages: int = 60) -> str:
    """A generated client file with many stages, long criteria and mixed scripts."""
    domains = ("lead", "sales", "customer", "company", "poc", "renewal", "expansion", "partner")
    lines = [
        "client: {name: Große Kunde GmbH — 大客户, crm: salesforce}",
        "version: 0",
        "date: 2026-11-20",
        "architect: Sam Rivera",
        "domains: [{id: partner, name: Partner}]",
        "stakeholders:",
    ]
    lines += [f"  - {{id: p{i}, name: Person {i} Ünïcødé, title: VP Team {i}}}" for i in range(9)]
    lines.append("stages:")
    for i in range(stages):
        domain = domains[i % len(domains)]
        lines += [
            f"  - id: s{i}",
            f"    name: Stage {i} with a fairly long name مرحلة",
            f"    abbr: S{i}",
            f"    domain: {domain}",
            f"    golden: {str(i % 7 == 0).lower()}",
            f"    status: {'assumed' if i % 3 else 'confirmed'}",
            "    owner: p1",
            "    confirm_with: p2",
            "    definition: " + "A definition that goes on for a while to test wrapping 🚀. " * 4,
            "    entry:",
        ]
        lines += [
            f"      - Criterion {k} is a long sentence about data quality and ownership, 数据质量" for k in range(4)
        ]
    lines.append("terms:")
    for i in range(20):
        approvals = ", ".join(f"p{k}: {('approved', 'pending', 'rejected')[(i + k) % 3]}" for k in range(9))
        lines += [
            f"  - term: Term {i}",
            "    definition: " + "Words of a definition. " * 6,
            f"    approvals: {{{approvals}}}",
        ]
    return "\n".join(lines) + "\n"
