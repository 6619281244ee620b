"""The reference card splits by team when the architecture does not fit one legible
page: one one-page card per team with its stages and hand-offs, and a one-page
overview; `card.split: never` makes an unfittable card a positioned check error."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from card_fixtures import client_yaml
from conftest import ROOT, write
from pypdf import PdfReader

from deliverables.cli import cli
from deliverables.core.model import slugify
from deliverables.core.teams import team_split
from deliverables.core.validate import load_project
from deliverables.documents import card
from deliverables.pipeline.build import build_file

sys.path.insert(0, str(ROOT / "benchmarks"))
from clients import enterprise

HUGE = client_yaml(120, criteria=3, name="Huge Co")


def squeeze(text: str) -> str:
    return re.sub(r"[\s\-‐]+", "", text)


def pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_never_split_card_that_cannot_fit_is_a_positioned_check_error(runner, tmp_path: Path) -> None:
    source = write(tmp_path / "huge.yaml", client_yaml(120, criteria=3, name="Huge Co", split="never"))
    result = runner.invoke(cli, ["check", str(source)])
    assert result.exit_code == 1
    assert (
        f"{source}:5:15: card.split: the reference card does not fit one page: the stages need about 177% more "
        "room than one letter page holds, even at the 6.5 pt floor in 6 columns with definitions left out. "
        "Longest stages: Stage 20 Reached After Qualification… (16 lines), Stage 80 Reached After "
        "Qualification… (16 lines), Stage 40 Reached After Qualification… (16 lines). Shorten their entry "
        "criteria, or set card.split to auto; the card never runs onto a second page."
    ) in result.stderr.splitlines()


def test_the_same_client_with_split_auto_checks_clean_of_card_errors(runner, tmp_path: Path) -> None:
    source = write(tmp_path / "huge.yaml", HUGE)
    result = runner.invoke(cli, ["check", str(source)])
    assert result.exit_code == 0
    assert "card.split" not in result.stderr


def test_a_card_too_large_for_one_page_splits_into_one_page_cards_per_team(tmp_path: Path) -> None:
    source = write(tmp_path / "huge.yaml", HUGE)
    project, _ = load_project(source)
    result = build_file(source, tmp_path / "out", only=["reference-card"], jobs=1)
    assert result.failed == {}
    made = {p.name: p.read_bytes() for p in result.folder.glob("*.pdf")}
    assert sorted(made) == sorted(card.files(project))
    assert "stage-reference-card-v3.pdf" in made
    texts = {name: pages(data) for name, data in made.items()}
    assert all(len(found) == 1 for found in texts.values()), {n: len(t) for n, t in texts.items()}
    overview = squeeze(texts.pop("stage-reference-card-v3.pdf")[0])
    assert "StageReferenceCard·Overview" in overview
    for stage in project.stages:
        assert squeeze(stage.label) in overview, stage.label
    split = team_split(project)
    assert list(split) == ["Sales", "Customer Success", "RevOps", "Marketing"]
    for team, stages in split.items():
        own = [squeeze(t[0]) for n, t in texts.items() if n.startswith(f"stage-reference-card-v3-{slugify(team)}")]
        assert own, team
        assert all(f"StageReferenceCard·{squeeze(team)}" in text for text in own)
        joined = "".join(own)
        for stage in stages:
            assert squeeze(stage.label) in joined, (team, stage.label)
            for criterion in stage.entry:
                assert squeeze(criterion) in joined, (team, criterion)
    assert any("Handoffsin" in squeeze(t[0]) and "fromSales" in squeeze(t[0]) for t in texts.values())


def test_split_teams_splits_a_card_that_would_fit(tmp_path: Path) -> None:
    small = client_yaml(8, long_every=0, token_every=0, name="Small Co", split="teams")
    project, _ = load_project(write(tmp_path / "small.yaml", small))
    assert card.files(project) == (
        "stage-reference-card-v3.pdf",
        "stage-reference-card-v3-sales.pdf",
        "stage-reference-card-v3-customer-success.pdf",
        "stage-reference-card-v3-revops.pdf",
        "stage-reference-card-v3-marketing.pdf",
    )
    auto, _ = load_project(write(tmp_path / "auto.yaml", small.replace("card: {split: teams}\n", "")))
    assert card.files(auto) == ("stage-reference-card-v3.pdf",)


@pytest.mark.slow
def test_a_150_stage_client_builds_every_deliverable_with_one_page_cards(tmp_path: Path) -> None:
    source = enterprise(150, tmp_path / "meridian.yaml")
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("crm: salesforce}", "crm: salesforce, launch_date: 2027-02-01}", 1), encoding="utf-8"
    )
    project, _ = load_project(source)
    assert len(project.stages) == 150 and project.client.launch_date is not None
    result = build_file(source, tmp_path / "out")
    assert result.failed == {}
    cards = sorted(result.folder.glob("stage-reference-card-*.pdf"))
    assert len(cards) > 2
    for path in cards:
        assert len(PdfReader(path).pages) == 1, path.name
    suffixes = {p.suffix for p in result.folder.rglob("*") if p.is_file()}
    assert {".pdf", ".docx", ".pptx", ".svg", ".png", ".md", ".gv", ".ics", ".xml"} <= suffixes
    _diagram_picture_is_drawn(result.folder / "lifecycle-architecture-v2.png")
    _summary_lists_every_stage(project, (result.folder / "stage-summary-v2.md").read_text(encoding="utf-8"))
    _graph_has_every_stage_once(project, (result.folder / "lifecycle-architecture-v2.gv").read_text(encoding="utf-8"))
    _calendar_is_valid(project, (result.folder / "maintenance-v2.ics").read_bytes())
    _crm_picklists_list_every_stage_once(project, result.folder / "crm" / "salesforce")


def _diagram_picture_is_drawn(path: Path) -> None:
    """A PNG of sane size with a drawing on it, not a blank canvas."""
    from PIL import Image

    with Image.open(path) as image:
        assert image.format == "PNG"
        width, height = image.size
        assert 1000 <= width <= 20000 and 500 <= height <= 20000, image.size
        grey = image.convert("L")
        histogram = grey.histogram()
        inked = sum(histogram[:200]) / (width * height)
        assert 0.01 < inked < 0.6, inked


def _summary_lists_every_stage(project, markdown: str) -> None:
    """Every stage is a row of the summary, once, in the file's order within its domain."""
    rows = [
        line.split(" | ")[0].lstrip("| ").removesuffix(" ★") for line in markdown.splitlines() if line.startswith("| ")
    ]
    labels = [stage.label for stage in project.stages]
    named = [row for row in rows if row in set(labels)]
    assert sorted(named) == sorted(labels)
    assert len(set(named)) == 150


def _graph_has_every_stage_once(project, source: str) -> None:
    """The Graphviz file parses (the engine reads it back) and draws every stage in exactly one
    node, each with an edge in or out."""
    import json

    from deliverables.backends.graphviz import engine

    graph = json.loads(engine.render(source, "json", layout="nop"))
    nodes = [o for o in graph["objects"] if "nodes" not in o and o.get("name", "").startswith("n")]
    labels = [squeeze(o.get("label", "").replace("\\n", " ")) for o in nodes]  # "\n": a line break in the label
    for stage in project.stages:
        assert sum(label.startswith(squeeze(stage.label)) for label in labels) == 1, stage.label
    touched = {end for edge in graph["edges"] for end in (edge["tail"], edge["head"])}
    assert all(node["_gvid"] in touched for node in nodes)  # no stage drawn without a way in or out


def _calendar_is_valid(project, data: bytes) -> None:
    """Every event has a unique id, a summary and a start on or after the launch; recurrences parse."""
    import datetime as dt

    import icalendar
    from dateutil.rrule import rrulestr

    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert events
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    launch = project.client.launch_date
    for event in events:
        assert str(event["SUMMARY"]).strip()
        start = event.decoded("DTSTART")
        start = start.date() if isinstance(start, dt.datetime) else start
        assert start >= launch, (event["SUMMARY"], start)
        if "RRULE" in event:
            rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=dt.datetime.combine(start, dt.time()))
            assert rule[0].date() == start


def _crm_picklists_list_every_stage_once(project, folder: Path) -> None:
    """The stage picklists of the Salesforce metadata hold every stage's value exactly once, labelled with its name."""
    from xml.etree import ElementTree

    ns = {"m": "http://soap.sforce.com/2006/04/metadata"}
    values: list[tuple[str, str]] = []
    for path in sorted(folder.glob("objects/*/fields/Lifecycle_Stage_Enterprise_Region__c.field-meta.xml")):
        root = ElementTree.parse(path).getroot()
        values += [
            (v.findtext("m:fullName", namespaces=ns), v.findtext("m:label", namespaces=ns))
            for v in root.iterfind(".//m:valueSetDefinition/m:value", ns)
        ]
    expected = sorted((stage.crm.value, stage.label) for stage in project.stages)
    assert sorted(values) == expected
    package = (folder / "package.xml").read_text(encoding="utf-8")
    for obj in ("Lead", "Opportunity", "Account"):
        assert package.count(f"<members>{obj}.Lifecycle_Stage_Enterprise_Region__c</members>") == 1


def test_each_trained_team_gets_its_own_one_page_card_beside_the_whole_card(tmp_path: Path) -> None:
    from conftest import EXAMPLE
    from pypdf import PdfReader

    result = build_file(EXAMPLE, tmp_path / "out", only=["reference-card"])
    made = sorted(p.name for p in result.folder.glob("stage-reference-card-*.pdf"))
    teams = ("customer-success", "marketing", "revops", "sales", "sdr-team")
    assert made == sorted(["stage-reference-card-v1.pdf", *(f"stage-reference-card-v1-{t}.pdf" for t in teams)])
    for name in made:
        assert len(PdfReader(result.folder / name).pages) == 1, name


@pytest.mark.slow
def test_300_stage_names_split_the_overview_into_one_page_parts(tmp_path: Path) -> None:
    from deliverables.backends.pdf.card import render_card

    project, _ = load_project(enterprise(300, tmp_path / "meridian.yaml"))
    overviews = [c for c in card.cards(project) if "Overview" in c["title"]]
    assert [c["file"] for c in overviews] == ["stage-reference-card-v2.pdf", "stage-reference-card-v2-overview-2.pdf"]
    text = ""
    for found in overviews:
        [page] = pages(render_card(found, None, found["floor"]))
        text += squeeze(page)
    for stage in project.stages:
        assert squeeze(stage.label) in text, stage.label


def test_check_reports_a_stage_too_long_for_a_page_of_its_own(tmp_path: Path) -> None:
    """No split helps a stage whose criteria fill more than a page: check says so, as the build fails."""
    from deliverables.commands.check import check_file

    entry = ", ".join(f"'Criterion {k} with a fair amount of wording to wrap around the cell'" for k in range(40))
    path = tmp_path / "c.yaml"
    path.write_text(
        "client: {name: Acme}\ndate: 2026-11-20\nstages:\n"
        f"  - {{id: mql, name: Marketing Qualified Lead, domain: lead, entry: [{entry}]}}\n"
        "  - {id: sql, name: Sales Qualified Lead, domain: sales, entry: [Meeting booked]}\n",
        encoding="utf-8",
    )
    errors = [str(p) for p in check_file(path).problems if p.severity == "error"]
    assert errors == [
        f"{path}:4:68: stages[id=mql].entry: 'Marketing Qualified Lead' does not fit a page of the reference card"
        " even alone, at the smallest type; shorten or merge its entry criteria (the card is not written)"
    ]


def test_a_teams_cards_per_domain_name_the_domains_stages_without_repeating_the_team(tmp_path: Path) -> None:
    # The 60-stage client's Sales team has Sales, POC and Expansion stages: its Sales card was
    # titled 'Stage Reference Card · Sales, Sales'.
    project, _ = load_project(enterprise(60, tmp_path / "meridian.yaml"))
    titles = [c["title"] for c in card.cards(project)]
    assert "Stage Reference Card · Sales: Sales stages" in titles
    assert "Stage Reference Card · Customer Success: Customer stages" in titles
    assert not any(re.search(r"· (.+), \1\b", title) for title in titles), titles
