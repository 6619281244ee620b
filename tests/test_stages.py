"""One recognizer of the playbook's well-known stages, and its three readers: the FAQ,
lint and the CRM spec agree on which of the client's stages is the SAL, the SQL, the
Closed Won, ..."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write
from docx_support import context, docx_text, render

from deliverables.core import stages as known
from deliverables.core.flow import exits_of
from deliverables.core.source import load_document
from deliverables.core.validate import validate_document
from deliverables.documents.crm import config, mapping
from deliverables.documents.words import data as tdata
from deliverables.lint import lint

STAGE = "  - {{id: {id}, name: '{name}', domain: {domain}, entry: [Met]{extra}}}\n"


def client(tmp_path: Path, *stages: tuple[str, str, str], extra: dict[str, str] | None = None) -> Path:
    """A HubSpot client with these (id, name, domain) stages."""
    extra = extra or {}
    body = "".join(STAGE.format(id=i, name=n, domain=d, extra=extra.get(i, "")) for i, n, d in stages)
    return write(tmp_path / "c.yaml", f"client: {{name: Acme, crm: hubspot}}\ndate: 2026-11-20\nstages:\n{body}")


def project(path: Path):
    return validate_document(load_document(path))


def rules(path: Path) -> set[str]:
    doc = load_document(path)
    return {f.rule for f in lint(doc, validate_document(doc))}


def faq_questions(path: Path) -> list[str]:
    markdown = render("faq", context(path))["faq-v0.md"].decode("utf-8")
    return [line[3:] for line in markdown.splitlines() if line.startswith("## ")]


def spec_text(path: Path) -> str:
    return docx_text(render("crm-config", context(path))["crm-config-spec-v0.docx"])


LEAD = (("mql", "Marketing Qualified Lead", "lead"),)
SALES = (("sql", "Sales Qualified Lead", "sales"), ("won", "Closed Won", "sales"))
CUSTOMER = (("ea", "Early Adoption", "customer"),)
GOLDEN = {"sql": ", golden: true", "won": ", golden: true", "ea": ", golden: true"}


@pytest.mark.parametrize(
    ("ident", "name", "abbr", "expected"),
    [
        ("sal", "Anything", None, "sal"),  # by id
        ("x1", "Anything", "SAL", "x1"),  # by abbreviation
        ("x2", "SALES-ACCEPTED LEAD", None, "x2"),  # by whole name, as words
        ("x3", "Lead Accepted By Sales", None, None),  # no phrase of the pattern
        ("x4", "Sales Accepted (SDR)", None, "x4"),  # by phrase
        ("x5", "Sales Accepted Opportunity", None, None),  # excluded word
    ],
)
def test_stages_are_recognised_by_id_abbreviation_name_then_phrase(
    tmp_path: Path, ident: str, name: str, abbr: str | None, expected: str | None
) -> None:
    extra = {ident: f", abbr: {abbr}"} if abbr else {}
    found = known.stage(project(client(tmp_path, (ident, name, "lead"), extra=extra)), "sal")
    assert (found.id if found else None) == expected


def test_the_more_trusted_pass_wins_over_file_order(tmp_path: Path) -> None:
    path = client(tmp_path, ("first", "Sales Accepted (SDR)", "lead"), ("sal", "Handover", "lead"))
    assert known.stage(project(path), "sal").id == "sal"


def test_won_and_lost_outcomes_are_told_apart(tmp_path: Path) -> None:
    names = ["Closed Won", "Renewal Won", "Renewed", "Closed Lost", "Not Renewed", "Won Back", "Disqualified"]
    stages = [(f"s{i}", n, "sales") for i, n in enumerate(names)]
    found = project(client(tmp_path, *stages))
    assert [known.plays(s, "won") for s in found.stages] == [True, True, True, False, False, False, False]
    assert [known.closes_lost(s) for s in found.stages] == [False, False, False, True, True, False, True]


def test_a_renamed_sal_is_the_sal_for_faq_lint_and_crm_spec(tmp_path: Path) -> None:
    stages = (
        ("mql", "Marketing Qualified Lead", "lead"),
        ("accepted", "Sales Accepted", "lead"),
        *SALES,
        *CUSTOMER,
    )
    path = client(tmp_path, *stages, extra=GOLDEN)
    assert "missing-sal" not in rules(path)
    assert "What is the difference between Sales Accepted and Sales Qualified Lead?" in faq_questions(path)
    assert "When a meeting is booked with a contact, set its lifecycle to Sales Accepted" in spec_text(path)


def test_an_accepted_opportunity_is_no_sal_for_faq_lint_and_crm_spec(tmp_path: Path) -> None:
    stages = (*LEAD, ("sao", "Sales Accepted Opportunity", "lead"), *SALES, *CUSTOMER)
    path = client(tmp_path, *stages, extra=GOLDEN)
    assert "missing-sal" in rules(path)
    assert not any("Sales Accepted" in q for q in faq_questions(path))
    assert "No Lead stage plays the Sales Accepted role" in spec_text(path)


def test_a_won_stage_by_any_name_is_won_for_lint_crm_and_hand_off(tmp_path: Path) -> None:
    stages = (*LEAD, ("sql", "Sales Qualified Lead", "sales"), ("deal-won", "Deal Won", "sales"), *CUSTOMER)
    path = client(tmp_path, *stages, extra={"sql": ", golden: true", "ea": ", golden: true"})
    found = project(path)
    assert "golden-stage-not-marked" in rules(path)  # lint: Deal Won is the Closed Won golden stage
    defaults = tdata.load(None, "crm/defaults.yaml")
    pipeline = config.build(found, "hubspot", defaults).pipelines[0]
    assert [(s.label, s.won, s.probability) for s in pipeline.stages if s.closed] == [
        ("Deal Won", True, 100),
        ("Closed Lost", False, 0),
    ]
    won = found.stage("deal-won")
    assert [e.to for e in exits_of(found, won)] == ["ea"]  # the hand-off to the first Customer stage


def test_the_crm_sql_stage_and_the_faq_use_the_same_stage(tmp_path: Path) -> None:
    stages = (*LEAD, ("sal", "Sales Accepted Lead", "lead"), ("q", "Sales Qualified", "sales"), *CUSTOMER)
    found = project(client(tmp_path, *stages))
    assert mapping.sql_stage(found).id == known.stage(found, "sql").id == "q"


def test_hubspot_native_values_come_from_the_recognizer(tmp_path: Path) -> None:
    stages = (("sub", "Subscriber", "lead"), ("k", "Known Lead", "lead"), ("m", "MQL Reached", "lead"))
    found = project(client(tmp_path, *stages, extra={"m": ", abbr: MQL"}))
    defaults = tdata.load(None, "crm/defaults.yaml")
    values = [m.value for m in mapping.all_maps(found, "hubspot", defaults)]
    assert values == ["subscriber", "lead", "marketingqualifiedlead"]
