"""The Current State Audit deliverable: its files, their determinism, rebuilds when an
export changes, and nothing written when an export is bad."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from deliverables.pipeline.build import build_file

CASE = Path(__file__).parent / "cases" / "audit"
NAMES = [
    "audit-funnel-v0.png",
    "audit-funnel-v0.svg",
    "audit-time-in-stage-v0.png",
    "audit-time-in-stage-v0.svg",
    "audit-v0.json",
    "current-state-audit-v0.docx",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("audit")
    shutil.copytree(CASE, root / "case")
    result = build_file(root / "case" / "client.yaml", root / "out", only=["current-state-audit"], jobs=1)
    return root, result.folder


def test_audit_writes_document_metrics_and_charts(built) -> None:
    _, folder = built
    assert sorted(p.name for p in folder.iterdir() if p.name not in ("manifest.json", "model.json")) == NAMES
    metrics = json.loads((folder / "audit-v0.json").read_text())
    assert metrics["stages"]["mql"] == {"current": 2, "entered": 3, "skipped": 1, "stuck": 2}
    assert (folder / "audit-funnel-v0.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (folder / "audit-funnel-v0.svg").read_text()
    assert "<dc:date>" not in svg and "Matplotlib" not in svg


def test_audit_document_shows_funnel_values_and_recommendations(built) -> None:
    from docx import Document

    _, folder = built
    doc = Document(str(folder / "current-state-audit-v0.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Scope and sources",
        "The funnel today",
        "Time in stage",
        "Values in use against the proposed architecture",
        "Lead",
        "Sales",
        "Values no stage maps",
        "Misuse patterns in the CRM's values",
        "Data quality",
        "Recommendations",
    ]
    assert "This audit reads 2 exports of Crafted Co's CRM, taken on 6 November 2026: 13 records in all." in text
    funnel = doc.tables[1]
    assert [c.text for c in funnel.rows[2].cells] == [
        "Marketing Qualified Lead (MQL)",
        "2",
        "3",
        "33% to SAL",
        "10.0",
        "1",
        "2",
    ]
    assert "without passing it: MQL (1) skipped today." in text
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert "=cmd|' /C calc'!A0" in cells
    for word in ("yaml", "deliver ", "rebuild", "audit:"):
        assert word not in text.lower()


def test_same_input_gives_the_same_bytes(built, tmp_path) -> None:
    root, folder = built
    again = build_file(root / "case" / "client.yaml", tmp_path / "out", only=["current-state-audit"], jobs=1).folder
    for name in NAMES:
        assert (again / name).read_bytes() == (folder / name).read_bytes(), name


def test_changing_an_export_rebuilds_the_audit(built, tmp_path) -> None:
    root, _ = built
    case = tmp_path / "case"
    shutil.copytree(root / "case", case)
    out = tmp_path / "out"
    build_file(case / "client.yaml", out, only=["current-state-audit"], jobs=1)
    deals = case / "exports" / "deals.csv"
    deals.write_text(deals.read_text() + "d6,Closed Lost,New Business,,,2026-06-01\n")
    result = build_file(case / "client.yaml", out, only=["current-state-audit"], jobs=1)
    assert not result.up_to_date
    assert json.loads((result.folder / "audit-v0.json").read_text())["stages"]["lost"]["current"] == 2


def test_a_bad_export_fails_the_build_and_writes_nothing(tmp_path) -> None:
    from deliverables.core.errors import InputError

    case = tmp_path / "case"
    shutil.copytree(CASE, case)
    (case / "exports" / "deals.csv").write_text(
        'Record ID,Deal Stage,Date entered "Qualified (New Business)"\nd1,Qualified,tomorrow\n'
    )
    with pytest.raises(InputError) as caught:
        build_file(case / "client.yaml", tmp_path / "out", only=["current-state-audit"], jobs=1)
    assert any("unreadable date 'tomorrow'" in str(p) for p in caught.value.problems)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.docx"))


def _views(client: Path, monkeypatch) -> tuple[dict, list[int]]:
    """The views of the three deliverables that show the audit, planned as one build,
    and how many times the audit ran for them."""
    from deliverables.backends.data import audit
    from deliverables.pipeline import graph
    from deliverables.pipeline.build import context

    runs = []
    real = audit.run

    def counted(*args, **kwargs):
        runs.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(audit, "run", counted)
    nodes = graph.plan(context(client), ["current-state-audit", "kickoff-deck", "maintenance"])
    return {n.name: n.view for n in nodes}, runs


def test_one_build_measures_the_exports_once_for_every_deliverable_showing_them(tmp_path, monkeypatch) -> None:
    shutil.copytree(CASE, tmp_path / "case")
    views, runs = _views(tmp_path / "case" / "client.yaml", monkeypatch)
    assert {"current-state-audit", "kickoff-deck", "maintenance"} <= set(views)
    assert views["current-state-audit"]["metrics"]["stages"]["mql"]["current"] == 2
    assert len(runs) == 1


def test_an_export_changed_in_place_with_the_same_size_and_time_is_measured_again(tmp_path, monkeypatch) -> None:
    import os

    shutil.copytree(CASE, tmp_path / "case")
    client = tmp_path / "case" / "client.yaml"
    contacts = tmp_path / "case" / "exports" / "contacts.csv"
    before, _ = _views(client, monkeypatch)
    stat = contacts.stat()
    text = contacts.read_text()
    assert text.count("\n7,Marketing Qualified Lead,") == 1
    # Same length, same size, same modification time: only the bytes tell.
    contacts.write_text(text.replace("\n7,Marketing Qualified Lead,", "\n7,Marketing Qualified Leed,"))
    os.utime(contacts, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (contacts.stat().st_size, contacts.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    after, runs = _views(client, monkeypatch)
    assert len(runs) == 1
    assert before["current-state-audit"]["metrics"]["stages"]["mql"]["current"] == 2
    assert after["current-state-audit"]["metrics"]["stages"]["mql"]["current"] == 1
    unmapped = after["current-state-audit"]["metrics"]["unmapped"]
    assert {
        "object": "contact",
        "field": "lifecyclestage",
        "value": "Marketing Qualified Leed",
        "records": 1,
    } in unmapped


def test_the_documents_wording_comes_from_its_template(tmp_path) -> None:
    from docx import Document

    from deliverables.core.paths import templates_root

    shutil.copytree(CASE, tmp_path / "case")
    theme = tmp_path / "theme" / "audit"
    theme.mkdir(parents=True)
    wording = templates_root().joinpath("audit", "document.yaml").read_text(encoding="utf-8")
    assert "  heading: Data quality\n" in wording
    (theme / "document.yaml").write_text(wording.replace("  heading: Data quality\n", "  heading: Data hygiene\n"))
    folder = build_file(
        tmp_path / "case" / "client.yaml", tmp_path / "out", only=["current-state-audit"], theme=theme.parent, jobs=1
    ).folder
    doc = Document(str(folder / "current-state-audit-v0.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Data hygiene" in headings and "Data quality" not in headings


def _audit_docx(case: str, root: Path) -> bytes:
    from conftest import EXAMPLE, with_exports

    if case == "example":
        client = with_exports(root) / EXAMPLE.name
        shutil.copy(EXAMPLE, client)
    else:
        client = shutil.copytree(Path(__file__).parent / "cases" / case, root / case) / "client.yaml"
    result = build_file(client, root / "out", only=["current-state-audit"], jobs=1)
    return next(result.folder.glob("current-state-audit-v*.docx")).read_bytes()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("case", ["example", "audit", "audit-salesforce"])
def test_no_audit_page_is_left_half_empty_and_every_chart_fits_its_page(case: str, tmp_path: Path) -> None:
    from docx import Document
    from docx_support import docx_to_pdf, page_fills

    data = _audit_docx(case, tmp_path)
    document = Document(io.BytesIO(data))
    section = document.sections[-1]
    area = (
        section.page_width - section.left_margin - section.right_margin,
        section.page_height - section.top_margin - section.bottom_margin,
    )
    for shape in document.inline_shapes:
        assert shape.width <= area[0] and shape.height <= area[1] * 0.9
    fills = page_fills(docx_to_pdf(data, tmp_path, "audit"))
    # the cover stands alone; every page between it and the last is at least half filled
    assert all(fill >= 0.5 for fill in fills[1:-1]), [f"{fill:.0%}" for fill in fills]
    assert len(fills) == 2 or fills[-1] >= 0.25, [f"{fill:.0%}" for fill in fills]


def test_the_findings_sentences_come_from_their_template_in_the_document_and_the_deck(tmp_path) -> None:
    from docx import Document
    from pptx import Presentation
    from ruamel.yaml import YAML

    from deliverables.core.paths import templates_root

    shutil.copytree(CASE, tmp_path / "case")
    theme = tmp_path / "theme" / "audit"
    theme.mkdir(parents=True)
    wording = YAML(typ="safe").load(templates_root().joinpath("audit", "findings.yaml").read_text(encoding="utf-8"))
    assert wording["recommendations"]["future"] == "Correct the {{ dates }} set after the export date."
    wording["recommendations"]["future"] = "Fix the {{ dates }} dated after the export."
    for key in ("title", "title_low", "title_half", "title_none"):
        wording["funnel_chart"][key] = "Where the funnel loses records"
    (theme / "findings.yaml").write_text(json.dumps(wording))  # JSON is YAML too
    folder = build_file(
        tmp_path / "case" / "client.yaml",
        tmp_path / "out",
        only=["current-state-audit", "kickoff-deck"],
        theme=theme.parent,
        jobs=1,
    ).folder
    texts = [p.text for p in Document(str(folder / "current-state-audit-v0.docx")).paragraphs]
    assert "Fix the 1 entry date dated after the export." in texts
    assert not any(t.startswith("Correct the") for t in texts)
    deck = Presentation(str(folder / "kickoff-deck-v0.pptx"))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert "Where the funnel loses records" in titles


def test_the_examples_counts_agree_with_their_verbs_and_more_has_no_plural() -> None:
    # The example has 1 duplicate row and 13 values no stage maps, 3 of them named:
    # '1 duplicate row repeat a record id' and '... and 10 mores'.
    from conftest import EXAMPLE
    from docx_support import context, docx_text, render

    text = docx_text(render("current-state-audit", context(EXAMPLE))["current-state-audit-v1.docx"])
    assert "1 duplicate row repeats a record id; the last row of each was used." in text
    assert "'Contract Sent' (6) and 10 more." in text
    assert "mores" not in text
    assert "0 records carry no date at all" in text and "5 entry dates lie after the export date." in text


def _export_touching_every_stage(source: Path) -> None:
    """Give an enterprise client an `audit:` with one export per object: a record in every
    stage of each pipeline, having entered each stage before it three days apart."""
    import csv
    import datetime as dt

    from deliverables.core.validate import load_project

    project, _ = load_project(source)
    groups: dict[str, list] = {}
    for stage in project.stages:
        if stage.crm is not None:
            groups.setdefault(stage.crm.object, []).append(stage)
    lines = ["audit:", "  as_of: 2026-11-06", "  exports:"]
    for obj, stages in groups.items():
        rows, header = [], ["Id", "Stage", "Pipeline"] + [f"Entered {s.name}" for s in stages]
        for pipeline in dict.fromkeys(s.crm.pipeline or "" for s in stages):
            flow = [s for s in stages if (s.crm.pipeline or "") == pipeline]
            for j, stage in enumerate(flow):
                row = {"Id": f"{obj}{len(rows)}", "Stage": stage.crm.value, "Pipeline": pipeline}
                for k, earlier in enumerate(flow[: j + 1]):
                    row[f"Entered {earlier.name}"] = (dt.date(2026, 1, 1) + dt.timedelta(days=3 * k)).isoformat()
                rows.append(row)
        with open(source.parent / f"{obj}.csv", "w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, header)
            writer.writeheader()
            writer.writerows(rows)
        dates = ", ".join(f"{s.id}: Entered {s.name}" for s in stages)
        field = stages[0].crm.field
        lines += [
            f"    - path: {obj}.csv",
            f"      object: {obj}",
            f"      columns: {{id: Id, current: Stage, field: {field}, pipeline: Pipeline, dates: {{{dates}}}}}",
        ]
    source.write_text(source.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")


def test_a_funnel_of_many_stages_comes_in_parts_each_as_readable_as_the_examples(tmp_path: Path) -> None:
    # 60 stages entered: one picture of 60 bars was shrunk to the page's height, 5 cm wide
    # with labels a third of their size; in parts of at most 25 bars each keeps its size.
    import sys

    from conftest import ROOT
    from docx import Document

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from clients import enterprise

    source = enterprise(60, tmp_path / "meridian.yaml")
    _export_touching_every_stage(source)
    result = build_file(source, tmp_path / "out", only=["current-state-audit"], jobs=1)
    assert result.failed == {}
    metrics = json.loads(next(result.folder.glob("audit-v*.json")).read_text())
    assert all(s["entered"] for s in metrics["stages"].values()) and len(metrics["stages"]) == 60
    document = Document(str(next(result.folder.glob("current-state-audit-v*.docx"))))
    widths = [shape.width.cm for shape in document.inline_shapes]
    assert len(widths) > 2
    assert min(widths) >= 10, [f"{w:.1f} cm" for w in widths]


def test_a_bars_note_is_never_cut_at_the_charts_right_edge() -> None:
    # Long stage names leave the bars little room: the longest bar's note ran past the edge.
    from PIL import Image

    from deliverables.backends.data.charts import Bar, bars

    names = ["Solution Design North America", "Business Case Public Sector", "Negotiation Strategic Accounts"]
    items = [
        Bar(f"{name} {i}", 44 - i, f"{44 - i} entered · 98% on to {names[(i + 1) % 3]} {i + 1}")
        for i, name in enumerate(names * 3)
    ]
    with Image.open(io.BytesIO(bars("Records reach Solution Design", items)["png"])) as image:
        pixels = image.convert("L")
        edge = [pixels.getpixel((image.width - 1 - x, y)) for x in range(3) for y in range(image.height)]
    assert min(edge) > 240  # background only: no text reaches the edge


def test_a_misuse_pattern_is_one_finding_naming_every_value_that_shows_it() -> None:
    # The example's 'Nurture' and 'Working' are both contact-status words: the table and the
    # recommendations gave the same pattern and advice twice, once a value.
    from conftest import EXAMPLE
    from docx import Document
    from docx_support import context, render

    data = render("current-state-audit", context(EXAMPLE))["current-state-audit-v1.docx"]
    document = Document(io.BytesIO(data))
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:3] == ["Value", "Records", "Pattern"])
    patterns = [row.cells[2].text for row in table.rows[1:]]
    assert len(patterns) == len(set(patterns)) == 4
    assert [c.text for c in table.rows[1].cells[:2]] == ["Nurture (6) and Working (3)", "9"]
    advice = [p.text for p in document.paragraphs if "separate Contact Status field" in p.text]
    assert advice == [
        "'Nurture' and 'Working': Keep working states in a separate Contact Status field and name the stage by "
        "funnel position."
    ]


def test_a_note_pasted_into_the_stage_field_is_cut_on_the_page_and_whole_in_the_metrics(tmp_path: Path) -> None:
    # 10,000 characters of a note held one table cell over thirteen pages, twice.
    from docx_support import docx_text

    case = shutil.copytree(CASE, tmp_path / "case")
    note = "Called twice, left a voicemail " * 330
    with open(case / "exports" / "contacts.csv", "a", encoding="utf-8") as out:
        out.write(f'99,"{note}",2026-01-01,,,Organic\n')
    result = build_file(case / "client.yaml", tmp_path / "out", only=["current-state-audit"], jobs=1)
    text = docx_text((result.folder / "current-state-audit-v0.docx").read_bytes())
    assert "Called twice, left a voicemail Called twice, left a voicemail Called twice,…" in text
    assert max(len(line) for line in text.splitlines()) < 2_000
    metrics = json.loads((result.folder / "audit-v0.json").read_text(encoding="utf-8"))
    assert note.strip() in [u["value"] for u in metrics["unmapped"]]


def test_a_label_the_charts_font_cannot_draw_leaves_no_library_warning_on_the_terminal(tmp_path: Path) -> None:
    # `deliver check` names the characters at their line; matplotlib's own warning (a
    # source line of the chart code, once per glyph) is noise on the terminal.
    import subprocess
    import sys

    program = (
        "from deliverables.backends.data.charts import Bar, bars\n"
        "bars('Records reach 既知のリード', [Bar('既知のリード', 3, '3 entered'), Bar('Known Lead', 2, '2')])\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
