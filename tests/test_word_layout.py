"""Word layout every document shares: tables that keep their ends together with a repeated
header, and API names that stay whole (no invisible break characters, columns sized to them)."""

from __future__ import annotations

import io
import shutil
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from client_files import CASES
from conftest import EXAMPLE, ROOT
from docx.oxml.ns import qn
from docx_support import context, docx_text, docx_to_pdf, edited, render

from deliverables.backends.word.kit import WHOLE_FLOOR
from deliverables.backends.word.pages import KEEP_ROWS

SALESFORCE = CASES / "clients" / "salesforce-v3.yaml"


def _spec_document():
    files = render("crm-config", context(SALESFORCE))
    return docx.Document(io.BytesIO(files["crm-config-spec-v3.docx"]))


def _keeps(paragraph_element) -> bool:
    p_pr = paragraph_element.find(qn("w:pPr"))
    return p_pr is not None and p_pr.find(qn("w:keepNext")) is not None


def test_every_table_keeps_its_first_and_last_rows_with_their_neighbours_and_repeats_its_header():
    document = _spec_document()
    tables = list(document.element.body.iterchildren(qn("w:tbl")))
    assert len(tables) > 5
    for tbl in tables:
        rows = tbl.findall(qn("w:tr"))
        kept = [all(_keeps(p) for p in tr.iter(qn("w:p"))) for tr in rows]
        last = len(rows) - 1
        expected = [i <= KEEP_ROWS or last - KEEP_ROWS <= i < last for i in range(len(rows))]
        assert kept == expected
        assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in rows[1:])
        before = tbl.getprevious()
        assert before is None or before.tag != qn("w:p") or _keeps(before)


def _page_breaks_before(document) -> list[str]:
    """The text of each body paragraph that follows a page break."""
    found, pending = [], False
    for p in document.element.body.iterchildren(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if pending and text:
            found.append(text)
            pending = False
        if any(br.get(qn("w:type")) == "page" for br in p.iter(qn("w:br"))):
            pending = True
    return found


def test_crm_spec_breaks_pages_only_after_the_cover_and_between_platforms():
    # A one-platform spec: its part follows the introduction, the common part follows on.
    document = _spec_document()
    assert _page_breaks_before(document) == [_intro(document)]
    text = edited(SALESFORCE, ("crm: salesforce", "crm: other"))
    both = docx.Document(io.BytesIO(render("crm-config", context(SALESFORCE, text))["crm-config-spec-v3.docx"]))
    assert _page_breaks_before(both) == [_intro(both), "For HubSpot"]


def _intro(document) -> str:
    """The first paragraph after the cover."""
    texts = [p.text for p in document.paragraphs if p.text]
    return texts[texts.index("DRAFT") + 1]


def test_a_paragraph_right_below_a_table_has_room_above_it():
    document = _spec_document()
    for tbl in document.element.body.iterchildren(qn("w:tbl")):
        after = tbl.getnext()
        if after is None or after.tag != qn("w:p") or after.pPr is None:
            continue
        style = after.pPr.find(qn("w:pStyle"))
        if style is not None and style.get(qn("w:val")).startswith("Heading"):
            continue  # headings have their own space above
        spacing = after.pPr.find(qn("w:spacing"))
        assert spacing is not None and int(spacing.get(qn("w:before"))) >= 120, "".join(after.itertext())


def _stage_table_fits(data: bytes) -> list[float]:
    """Checks every object, field and value of the spec's stage table fits its column on one
    line at the size it is written in; the sizes used."""
    document = docx.Document(io.BytesIO(data))
    [table] = [
        t for t in document.tables if [c.text for c in t.rows[0].cells][:4] == ["Stage", "Domain", "Object", "Field"]
    ]
    return _fits(table, (2, 3, 4))


def _fits(table, columns: tuple[int, ...]) -> list[float]:
    """Checks every word of the given columns fits its column on one line at the size it is
    written in; the sizes used."""
    from deliverables.backends import text as measure

    widths = [int(g.get(qn("w:w"))) / 20 for g in table._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
    assert sum(widths) <= 9637 / 20
    sizes = []
    for row in table.rows[1:]:
        for column in columns:
            for paragraph in row.cells[column].paragraphs:
                for run in paragraph.runs:
                    size = run.font.size.pt if run.font.size is not None else 8.5
                    sizes.append(size)
                    for word in run.text.split():
                        room = widths[column] - 2 * 4  # the table style's cell margins
                        assert measure.text_width(word, size, False, measure.ARIAL) <= room, (word, size, room)
    return sizes


def test_no_api_name_carries_invisible_characters_and_each_fits_its_column_whole(tmp_path: Path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from clients import enterprise

    spec = render("crm-config", context(SALESFORCE))["crm-config-spec-v3.docx"]
    assert set(_stage_table_fits(spec)) == {8.5}  # the mid-size client's names fit at the table's own size
    assert "Customer_Lifecycle_Stage__c" in docx_text(spec)
    example = render("crm-config", context(EXAMPLE))["crm-config-spec-v1.docx"]
    assert set(_stage_table_fits(example)) == {8.5}
    big = render("crm-config", context(enterprise(150, tmp_path / "meridian.yaml")))["crm-config-spec-v2.docx"]
    sizes = set(_stage_table_fits(big))  # 36-character field names: the columns shrink to fit
    assert sizes == {WHOLE_FLOOR}
    for data in (spec, example, big):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.endswith(".xml"):
                    assert "\u200b" not in archive.read(name).decode("utf-8"), name


def test_the_measurement_frameworks_crm_fields_stay_whole_at_150_stages(tmp_path: Path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from clients import enterprise

    ctx = context(enterprise(150, tmp_path / "meridian.yaml"))
    document = docx.Document(io.BytesIO(render("measurement-framework", ctx)["measurement-framework-v2.docx"]))
    tables = [t for t in document.tables if "CRM field" in [c.text for c in t.rows[0].cells]]
    assert len(tables) > 2
    words = 0
    for table in tables:
        words += len(_fits(table, (2,)))
    assert words > 150  # LEAD_010_MARKETING_QUALIFIED_LEAD and its like, each on one line


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_lays_every_field_name_out_on_one_line(tmp_path: Path):
    from pypdf import PdfReader

    pdf = docx_to_pdf(render("crm-config", context(SALESFORCE))["crm-config-spec-v3.docx"], tmp_path, "spec")
    lines = {line.strip() for page in PdfReader(pdf).pages for line in page.extract_text().splitlines()}
    words = {w for line in lines for w in line.split()}
    for name in (
        "Customer_Lifecycle_Stage__c",
        "Lifecycle_Stage__c",
        "Customer_Stage__c",
        "POC_Stage__c",
        "Opportunity",
    ):
        assert name in words, name
