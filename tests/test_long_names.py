"""Names far longer than any layout expects (200 characters without a space) never break a page.

A client, stage or person name pasted as one long token is cut with an ellipsis where a
line must stay one line (a footer, the diagram's title), and never widens a picture.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from deliverables.backends.slides import fit
from deliverables.core.context import Context
from deliverables.core.source import load_document
from deliverables.core.validate import validate_document
from deliverables.documents import diagram

LONG = "X" * 200
CLIENT = """\
client: {{name: {name}, crm: hubspot}}
version: 1
date: 2026-11-20
stages:
  - {{id: mql, name: Marketing Qualified Lead, domain: lead, owner: marketing}}
  - {{id: sql, name: Sales Qualified Lead, domain: sales, owner: sales, golden: true}}
"""


def _svg(tmp_path: Path, name: str, stages: int = 0) -> tuple[bytes, dict]:
    text = CLIENT.format(name=name)
    text += "".join(f"  - {{id: s{k}, name: Stage {k}, domain: customer}}\n" for k in range(stages))
    path = tmp_path / f"{len(name)}-{stages}.yaml"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path)
    project = validate_document(doc)
    ctx = Context(project, doc)
    files = diagram.render(diagram.view(project, ctx), ctx)
    return next(data for file, data in files.items() if file.endswith(".svg")), files


def _width(svg: bytes) -> float:
    return float(re.search(rb'<svg width="([\d.]+)pt"', svg).group(1))


def test_a_footer_of_one_word_wider_than_the_box_keeps_its_start() -> None:
    size, runs = fit.fit_text(((LONG + " · Kickoff deck · v1", "muted"),), fit.Box(300, 20), (10, 9, 8))
    text = "".join(t for t, _ in runs)
    assert size == 8
    assert text.startswith("XXXXXXXXXX") and text.endswith("…")
    assert fit.count(runs, 300 - 2 * fit.INSET_X, size) == 1


def test_a_footer_that_fits_is_left_whole() -> None:
    assert fit.fit_text((("Acme · Kickoff deck · v1", "muted"),), fit.Box(300, 20), (10, 9, 8)) == (
        10,
        (("Acme · Kickoff deck · v1", "muted"),),
    )


def test_a_200_character_client_name_never_widens_the_diagram(tmp_path: Path) -> None:
    short, _ = _svg(tmp_path, "Acme")
    long, _ = _svg(tmp_path, LONG)
    assert _width(long) == _width(short)
    title = re.search(rb">(X+[^<]*)</text>", long).group(1).decode()
    assert title.endswith("…")


def test_the_overview_page_of_a_large_diagram_cuts_a_200_character_title(tmp_path: Path) -> None:
    from pypdf import PdfReader

    _, files = _svg(tmp_path, LONG, stages=40)
    pdf = next(data for file, data in files.items() if file.endswith(".pdf"))
    title = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()[0]
    assert title.startswith("XXXXXXXXXX") and title.endswith("…")
    assert len(title) < 100


LONG_WORDS = "Weiß & Großmann Überseehandelsgesellschaft mbH – Niederlassung Zürich und Umgebung"


def test_a_long_client_name_of_words_gives_way_to_what_the_picture_is(tmp_path: Path) -> None:
    """'… Zürich · Lifecycle Architectu…' cut the document's own name mid-word."""
    from pypdf import PdfReader

    svg, _ = _svg(tmp_path, LONG_WORDS)
    title = re.search(rb">(Wei[^<]*)</text>", svg).group(1).decode().replace("&amp;", "&")
    assert title.startswith("Weiß & Großmann") and title.endswith(" … · Lifecycle Architecture v1")
    _, files = _svg(tmp_path, LONG_WORDS, stages=40)
    pdf = next(data for file, data in files.items() if file.endswith(".pdf"))
    first = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()[0]
    assert first.startswith("Weiß & Großmann") and first.endswith(" … · Lifecycle Architecture v1 · Overview")


def test_a_stage_name_too_long_for_its_box_gives_way_by_whole_words() -> None:
    """A cut name ended 'After The Joint Weekl…'; the words that fit stay whole."""
    from deliverables.backends import text as measure

    name = "Qualified And Accepted By Both Marketing And Sales Development After The Joint Weekly Pipeline Review"
    lines = measure.wrap_words(name, 160, 11, bold=True, max_lines=4)
    assert len(lines) == 4 and lines[-1].endswith(" …")
    shown = " ".join(lines).removesuffix(" …").split()
    assert shown == name.split()[: len(shown)]
    assert all(measure.text_width(line, 11, True) <= 160 for line in lines)
    assert measure.wrap_words(LONG, 160, 11, bold=True, max_lines=1)[0].startswith("XXXX")
