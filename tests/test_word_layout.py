"""Word layout every document shares: tables that keep their ends together with a repeated
header, and long API names that wrap at `_` or `.`, never mid-token."""

from __future__ import annotations

import io

import docx
from client_files import CASES
from docx.oxml.ns import qn
from docx_support import context, edited, render

from deliverables.backends.word.kit import BREAK_OPPORTUNITY, KEEP_ROWS, breakable

SALESFORCE = CASES / "clients" / "salesforce-v3.yaml"


def test_long_api_names_get_break_opportunities_at_their_boundaries_only():
    zw = BREAK_OPPORTUNITY
    assert breakable("Account.Customer_Lifecycle_Stage__c") == f"Account.{zw}Customer_{zw}Lifecycle_{zw}Stage__c"
    # A short name, ordinary words and a final part under three characters are left alone.
    assert breakable("POC_Stage__c and e.g. a lead") == "POC_Stage__c and e.g. a lead"
    assert breakable("contacts.hs_lead_status") == f"contacts.hs_{zw}lead_{zw}status"


def _spec_document():
    files = render("crm-config", context(SALESFORCE))
    return docx.Document(io.BytesIO(files["crm-config-spec-v3.docx"]))


def _keeps(paragraph_element) -> bool:
    p_pr = paragraph_element.find(qn("w:pPr"))
    return p_pr is not None and p_pr.find(qn("w:keepNext")) is not None


def test_crm_spec_breaks_field_names_at_underscores_and_dots():
    xml = _spec_document().element.xml
    assert f"Account.{BREAK_OPPORTUNITY}Customer_{BREAK_OPPORTUNITY}Lifecycle_{BREAK_OPPORTUNITY}Stage__c" in xml
    assert "Customer_Lifecycle_Stage__c" not in xml


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
