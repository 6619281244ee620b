"""The Definition Alignment Document: content, marks, branding, determinism."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from conftest import ARCHITECTURES, EXAMPLE, ROOT, assert_golden
from docx.oxml.ns import qn
from docx_support import big_client, context, docx_text, docx_to_pdf, edited, find_row, open_docx, page_fills, render

from deliverables.backends.word.kit import BASE_STYLES, add_runs
from deliverables.core.errors import TemplateError
from deliverables.core.paths import templates_root

DAD = "definition-alignment"
MINIMAL = Path(__file__).parent / "cases" / "docx" / "minimal.yaml"


def dad(ctx) -> bytes:
    """The rendered document's bytes."""
    files = render(DAD, ctx)
    clean = f"definition-alignment-v{ctx.project.version}.docx"
    redline = [f"definition-alignment-v{ctx.project.version}-redline.docx"] if ctx.project.version else []
    assert sorted(files) == sorted([clean, *redline])
    return files[clean]


@functools.cache
def example() -> bytes:
    """The example client's document, rendered once for the read-only tests."""
    return dad(context(EXAMPLE))


@pytest.mark.parametrize("path", ARCHITECTURES, ids=lambda p: p.stem)
def test_architecture_document_text_matches_golden(path: Path):
    assert_golden(f"definition-alignment/{path.stem}.txt", docx_text(dad(context(path))))


def test_minimal_client_leaves_no_section_empty():
    text = docx_text(dad(context(MINIMAL)))
    assert_golden("definition-alignment/minimal.txt", text)
    assert "| Lead / ASSUMED | Someone who ⏎ asked for a demo | ☐ Yes ⏎ ☐ No |" in text
    assert "| Customer Success | Definitions |  | ______________ |" in text


def test_checkboxes_follow_each_approval():
    data = example()
    # Approver columns: Dana Ortiz (revops), Priya Raman (marketing), Marcus Bell (sales), Elena Kowalski (cs), Jordan Hayes.
    sql = find_row(data, "SQL (Sales Qualified Lead)")
    asked = ["☒ Yes ⏎ ☐ No / Comment", "☐ Yes ⏎ ☐ No ⏎ pending / Comment", "☒ Yes ⏎ ☐ No / Comment"]
    assert sql[2:] == [*asked, "—", "—"]
    mature = find_row(data, "Mature Adoption / ASSUMED")
    assert mature[2:] == ["☐ Yes ⏎ ☐ No ⏎ pending / Comment", "—", "—", "☐ Yes ⏎ ☒ No / Comment", "—"]


def test_rejected_box_uses_its_own_style():
    document = open_docx(example())
    styles = {}
    for paragraph in (p for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs):
        runs = list(paragraph._p.iter(qn("w:r")))
        for box, label in zip(runs, runs[1:]):
            if box.text == "☒" and label.text in (" Yes", " No"):
                styles[f"☒{label.text}"] = {box.style, label.style}
    assert styles == {"☒ No": {"RejectedMark"}, "☒ Yes": {"ConfirmedFlag"}}


def test_assumed_stage_is_flagged_and_listed_with_whom_to_confirm():
    data = example()
    assert find_row(data, "Evaluation / Use Case", "Stage")[5] == "ASSUMED / Confirm with Marcus Bell, VP Sales"
    assert find_row(data, "Marketing Qualified Lead (MQL)", "Stage")[5] == "CONFIRMED"
    text = docx_text(data)
    assert "| Marcus Bell, VP Sales | Evaluation / Use Case | Sales stage | Confirm |\n" in text
    assert "|  | Mature Adoption | Term | Rework: rejected |\n" in text
    # Each person is named once, on the first row of their group.
    assert sum(line.startswith("| Elena Kowalski, VP Customer Success | ") for line in text.splitlines()) == 1


def test_golden_stage_carries_the_mark_and_the_legend_is_present():
    text = docx_text(example())
    assert "| Sales Qualified Lead (SQL) ★ |" in text
    assert "★ Golden stage: a critical transition point tracked closely" in text


def test_cover_says_final_only_when_nothing_is_assumed_and_all_approved():
    text = EXAMPLE.read_text(encoding="utf-8").replace("status: assumed", "status: confirmed")
    for state in ("pending", "rejected"):
        text = text.replace(f": {state}", ": approved")
    assert "TITLE: Definition Alignment Document\nSUBTITLE: Acme Analytics" in docx_text(example())
    assert "\nDRAFT\n" in docx_text(example())
    final = docx_text(dad(context(EXAMPLE, text)))
    assert "\nFINAL\n" in final and "DRAFT" not in final
    assert "Nothing is ASSUMED: every stage and term is confirmed." in final


def test_signoff_table_has_a_row_for_every_stakeholder():
    text = docx_text(example())
    assert (
        "| Dana Ortiz, VP RevOps / dana.ortiz@acmeanalytics.example | Current state audit |  | 13 November 2026 |"
        in text
    )
    assert (
        "| Tom Nguyen, CRM Administrator / tom.nguyen@acmeanalytics.example | Definitions |  | ______________ |" in text
    )
    assert (
        "| Jordan Hayes, SDR Manager / jordan.hayes@acmeanalytics.example | Definitions |  | ______________ |" in text
    )


def test_changes_section_marks_removed_and_added_words():
    old = context(
        EXAMPLE, edited(EXAMPLE, ("version: 1", "version: 0"), ("started the outreach", "began the outreach"))
    )
    document = open_docx(dad(context(EXAMPLE, previous=old.project)))
    runs = [r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert [r.text for r in runs if r.style.name == "Removed Text"] == ["began"]
    assert [r.text for r in runs if r.style.name == "Added Text"] == ["started"]
    assert "# Changes since v0" in docx_text(dad(context(EXAMPLE, previous=old.project)))


def test_without_previous_build_the_changes_section_is_left_out_and_the_build_warns():
    ctx = context(EXAMPLE)
    text = docx_text(dad(ctx))
    assert "Changes since" not in text and "output folder" not in text
    assert [(w.line, w.message) for w in ctx.warnings] == [
        (
            25,
            "no earlier version of this client is built in the output folder, so the documents leave out "
            "the changes since v0; build it into the same --out to list them",
        )
    ]


def test_version_zero_has_no_changes_section():
    text = docx_text(dad(context(EXAMPLE, edited(EXAMPLE, ("version: 1", "version: 0")))))
    assert "Changes since" not in text


def test_template_syntax_in_client_text_prints_literally():
    ctx = context(EXAMPLE, edited(EXAMPLE, ("Someone on acmeanalytics.com", "{{ 7*7 }} {% if x %}")))
    assert "{{ 7*7 }} {% if x %}" in docx_text(dad(ctx))


def test_line_breaks_in_client_text_become_word_line_breaks():
    ctx = context(
        EXAMPLE,
        edited(
            EXAMPLE,
            (
                "definition: A visitor to Acme's websites who has not identified themselves.",
                'definition: "First line\\nSecond line"',
            ),
        ),
    )
    assert "| Anonymous Visitor | First line ⏎ Second line |" in docx_text(dad(ctx))


def test_text_python_docx_would_reject_is_cleaned_not_fatal():
    paragraph = docx.Document().add_paragraph()
    add_runs(paragraph, "a\x00b\ufffec\ud800d\x0be")
    assert paragraph.text == "abcd\ne"


def test_core_properties_and_page_number_fields():
    data = example()
    props = open_docx(data).core_properties
    assert (props.title, props.author, props.subject) == (
        "Definition Alignment Document",
        "Sam Rivera",
        "Acme Analytics",
    )
    assert props.created.date().isoformat() == props.modified.date().isoformat() == "2026-11-20"
    footer = open_docx(data).sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and 'fldCharType="begin"' in footer


def test_rebuild_is_byte_identical():
    assert dad(context(EXAMPLE)) == example()


def test_theme_base_missing_a_style_is_named(tmp_path: Path):
    docx.Document().save(tmp_path / "base.docx")
    with pytest.raises(TemplateError) as caught:
        dad(context(EXAMPLE, theme=tmp_path))
    assert caught.value.message == (  # the theme came from the option, not the client file
        f"--theme: base document '{tmp_path / 'base.docx'}' lacks the style 'Legend' "
        "needed by the Definition Alignment Document"
    )


def test_theme_base_styles_are_used(tmp_path: Path):
    base = docx.Document(str(templates_root() / "base.docx"))
    base.styles["Title"].font.size = docx.shared.Pt(40)
    base.save(tmp_path / "base.docx")
    document = open_docx(dad(context(EXAMPLE, theme=tmp_path)))
    assert document.styles["Title"].font.size == docx.shared.Pt(40)


def test_logo_goes_on_the_cover_and_a_missing_logo_warns(tmp_path: Path):
    from PIL import Image

    Image.new("RGB", (300, 100), "navy").save(tmp_path / "logo.png")
    client = tmp_path / "acme.yaml"
    client.write_text(
        edited(EXAMPLE, ("  slug: acme-analytics", "  slug: acme-analytics\n  logo: logo.png")), encoding="utf-8"
    )
    document = open_docx(dad(context(client)))
    assert document.paragraphs[0].style.name == "Cover Logo" and document.inline_shapes[0].height > 0
    (tmp_path / "logo.png").unlink()
    ctx = context(client)
    dad(ctx)
    assert [w.message for w in ctx.warnings if "logo" in w.message] == [
        f"logo file '{tmp_path / 'logo.png'}' not found; the cover has no logo"
    ]


def test_logo_that_is_not_an_image_warns(tmp_path: Path):
    (tmp_path / "logo.png").write_text("not an image", encoding="utf-8")
    client = tmp_path / "acme.yaml"
    client.write_text(
        edited(EXAMPLE, ("  slug: acme-analytics", "  slug: acme-analytics\n  logo: logo.png")), encoding="utf-8"
    )
    ctx = context(client)
    assert not open_docx(dad(ctx)).inline_shapes
    assert [w.message for w in ctx.warnings if "logo" in w.message] == [
        f"logo file '{tmp_path / 'logo.png'}' is not a PNG or JPEG image; the cover has no logo"
    ]


def test_theme_base_that_is_not_a_docx_is_refused(tmp_path: Path):
    (tmp_path / "base.docx").write_text("plain text", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"base document '.*base\.docx' cannot be opened as \.docx"):
        dad(context(EXAMPLE, theme=tmp_path))


def test_committed_base_is_what_the_script_builds():
    script = Path(__file__).resolve().parent.parent / "templates" / "make_base_docx.py"
    spec = importlib.util.spec_from_file_location("make_base_docx", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build_base() == (templates_root() / "base.docx").read_bytes()
    assert set(BASE_STYLES) <= set(module.STYLES)


def test_sixty_stage_client_tables_fit_the_page(tmp_path: Path):
    client = tmp_path / "big.yaml"
    client.write_text(big_client(60), encoding="utf-8")
    document = open_docx(dad(context(client)))
    sections = document.sections
    widest = max(s.page_width - s.left_margin - s.right_margin for s in sections)
    for table in document.tables:
        assert sum(col.width for col in table.columns) <= widest
    assert sum(len(t.rows) - 1 for t in document.tables[1:9]) == 60


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_document_converts_with_libreoffice(tmp_path: Path):
    source = tmp_path / "dad.docx"
    source.write_bytes(example())
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    from pypdf import PdfReader

    pages = PdfReader(tmp_path / "dad.pdf").pages
    assert len(pages) > 5
    # The instructions share the cover's page: alone they would leave a page two thirds empty.
    first = pages[0].extract_text()
    assert "Definition Alignment Document" in first and "How to use this document" in first
    assert "How to use this document" not in pages[1].extract_text()


def test_open_items_are_due_by_the_next_meeting_date_only_when_the_file_gives_one(tmp_path: Path):
    from ooxml import validate_package

    lead = "Each needs a decision before CRM configuration; they are listed by who confirms them."
    dated = render("definition-alignment", context(EXAMPLE))["definition-alignment-v1.docx"]
    assert f"{lead} Each person named answers by 4 December 2026 (Refinement 2).\n" in docx_text(dated)
    text = edited(EXAMPLE, ("next_meeting: 2026-12-04\n", ""))
    undated = docx_text(render("definition-alignment", context(EXAMPLE, text))["definition-alignment-v1.docx"])
    assert f"{lead}\n" in undated
    assert "4 December 2026" not in undated
    (tmp_path / "dated.docx").write_bytes(dated)
    assert validate_package(tmp_path / "dated.docx") == []


def test_how_to_use_names_the_teams_of_this_client_only():
    path = Path(__file__).parent / "cases" / "clients" / "four-stage-v0.yaml"
    text = docx_text(render("definition-alignment", context(path))["definition-alignment-v0.docx"])
    assert "- Go through every stage definition with the leads of Marketing, Sales and RevOps.\n" in text
    assert "Customer Success" not in text.split("# Stage architecture")[0]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_tall_stage_rows_leave_no_page_nearly_empty_and_no_row_alone(tmp_path: Path):
    # Long definitions make a stage row a third of a landscape page: a chain of the header and
    # three rows (or the last three) did not fit the rest of a page, so the section's heading
    # stood alone on one and a single row on others, each page a seventh to a quarter filled.
    from pypdf import PdfReader

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from clients import enterprise

    pdf = docx_to_pdf(dad(context(enterprise(60, tmp_path / "meridian.yaml"))), tmp_path, "dad")
    fills = page_fills(pdf)
    assert len(fills) > 20
    middle = fills[1:-1]  # the cover and the sign-off page end where their content does
    assert min(middle) > 0.45, [round(f, 2) for f in fills]
    assert "Lead stages" in PdfReader(pdf).pages[1].extract_text()  # with its first rows, after the legend


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_short_table_of_tall_rows_follows_the_legend_instead_of_moving_whole(tmp_path: Path):
    # The plg architecture's 5 lead stages: the two kept ends of the table met, so it moved to
    # the next page as one, and 'Stage architecture' with its legend filled a seventh of a page.
    from pypdf import PdfReader

    from deliverables.commands.new import scaffold

    path = tmp_path / "plg.yaml"
    path.write_text(scaffold("Northwind Data", "plg", None, dt.date(2026, 12, 4)), encoding="utf-8")
    pdf = docx_to_pdf(dad(context(path)), tmp_path, "dad")
    texts = [page.extract_text() for page in PdfReader(pdf).pages]
    [at] = [i for i, text in enumerate(texts) if "Stage architecture" in text]
    assert "Lead stages" in texts[at] and "Anonymous Visitor" in texts[at]
    assert page_fills(pdf)[at] > 0.5


SMALL = """client: {name: Birch Lane Bakery Supply}
version: 1
date: 2026-12-07
stakeholders: [{id: owner, name: Grace Whitfield, title: Managing Director, department: sales}]
stages:
  - {id: enquiry, name: Wholesale Enquiry, domain: lead, owner: owner, entry: [Form sent]}
  - {id: tasting, name: Tasting Booked, domain: sales, owner: owner, entry: [Date agreed]}
  - {id: order, name: First Standing Order Placed, domain: sales, owner: owner, entry: [Order entered]}
  - {id: regular, name: Regular Customer, domain: customer, owner: owner, entry: [Four weeks paid]}
terms:
  - {term: Standing order, definition: A repeating weekly order., approvals: {owner: approved}}
  - {term: Regular Customer, definition: Four paid weeks of deliveries., approvals: {owner: pending}}
"""


def _before_stages(data: bytes) -> tuple[bool, list[bool]]:
    """Whether a page break comes between the terms table and 'Stage architecture', and whether
    each legend line under that heading keeps with the next."""
    body = open_docx(data).element.body
    heading = next(p for p in body.iterchildren(qn("w:p")) if _text(p) == "Stage architecture")
    between = []
    for sibling in heading.itersiblings(preceding=True):
        if sibling.tag == qn("w:tbl"):
            break
        between.append(sibling)
    broken = any(p.xpath(".//w:br[@w:type='page']") for p in between)
    legend, keeps = heading.getnext(), []
    while legend is not None and legend.tag == qn("w:p") and not _text(legend).endswith("stages"):
        keeps.append(legend.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None)
        legend = legend.getnext()
    return broken, keeps


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def test_a_few_terms_share_their_page_with_the_stages(tmp_path: Path):
    """Two terms on a landscape page of their own left it three-quarters empty; they now
    share it, the stages' heading and legend kept with the first stage table."""
    path = tmp_path / "birch.yaml"
    path.write_text(SMALL, encoding="utf-8")
    assert _before_stages(dad(context(path))) == (False, [True, True])


def test_terms_that_fill_pages_leave_the_stages_a_fresh_page():
    broken, keeps = _before_stages(example())
    assert broken and not any(keeps)


def _settled_then_edited(tmp_path: Path) -> tuple[Path, Path]:
    """A standard client signed off at v2, and its v3 after many confirmed edits: half the
    definitions longer, a third of the stages with one more criterion, a quarter renamed,
    every term reworded and every sign-off dated again."""
    from ruamel.yaml import YAML

    from deliverables.commands.new import scaffold

    yaml = YAML()
    data = yaml.load(scaffold("Kairos Health Billing", "standard", None, dt.date(2026, 11, 10)))
    data["version"], data["meeting"] = 2, "final-review"
    for stage in data["stages"]:
        stage["status"] = "confirmed"
        stage.pop("confirm_with", None)
    for term in data["terms"]:
        term["status"] = "confirmed"
        term["approvals"] = dict.fromkeys(term.get("approvals") or {"revops": 0}, "approved")
    for signoff in data["signoffs"]:
        signoff["date"] = dt.date(2026, 11, 12)
    paths = tmp_path / "v2.yaml", tmp_path / "v3.yaml"
    yaml.dump(data, paths[0])
    data["version"], data["meeting"], data["date"] = 3, "handoff", dt.date(2026, 12, 5)
    for index, stage in enumerate(data["stages"]):
        if index % 2 == 0:
            stage["definition"] = (
                f"{stage['definition']} Changed after sign-off: the billing team now records this on the"
                " account as well, and the weekly pipeline review checks it."
            )
        if index % 3 == 0:
            stage["entry"] = [
                *stage["entry"],
                "Verified by the revenue operations analyst in the weekly data-quality review",
            ]
        if index % 4 == 1:
            stage["name"] = f"{stage['name']} (Verified)"
    for term in data["terms"]:
        term["definition"] = f"{term['definition']} Updated at the handoff meeting."
    for signoff in data["signoffs"]:
        signoff["date"] = dt.date(2026, 12, 3)
    yaml.dump(data, paths[1])
    return paths


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_long_list_of_changes_leaves_no_last_rows_alone_before_the_terms(tmp_path: Path):
    """The changes since v2 ran onto a fifth portrait page with only their last four rows
    (the sign-offs), a sixth of it, before the landscape terms."""
    from pypdf import PdfReader

    from deliverables.core.validate import load_project

    before, after = _settled_then_edited(tmp_path)
    previous, _ = load_project(before)
    pdf = docx_to_pdf(dad(context(after, previous=previous)), tmp_path, "dad")
    texts = [page.extract_text() for page in PdfReader(pdf).pages]
    [terms] = [i for i, text in enumerate(texts) if "Terms to align" in text]
    assert terms > 2 and "Sign-off (definitions)" in texts[terms - 1]
    assert page_fills(pdf)[terms - 1] >= 0.25, [round(f, 2) for f in page_fills(pdf)[:terms]]
