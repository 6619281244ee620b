"""Ways out of a stage: its own exits, else the next stage and the playbook's hand-offs
between domains, read alike by the diagram, the alignment document, the summary, the
FAQ and the CRM spec."""

from __future__ import annotations

from pathlib import Path

from conftest import write
from docx_support import context, docx_text, find_row, render

from deliverables.core.flow import exits_of
from deliverables.core.source import load_document
from deliverables.core.validate import validate_document
from deliverables.documents.diagram import classify_edges

STAGE = "  - {{id: {id}, name: '{name}', domain: {domain}, entry: [Met]{extra}}}\n"


def client(tmp_path: Path, *stages: tuple[str, str, str, str]) -> Path:
    """A client with these (id, name, domain, extra yaml) stages."""
    body = "".join(STAGE.format(id=i, name=n, domain=d, extra=e) for i, n, d, e in stages)
    return write(tmp_path / "c.yaml", f"client: {{name: Acme, crm: hubspot}}\ndate: 2026-11-20\nstages:\n{body}")


def exits(path: Path) -> dict[str, list[str]]:
    project = validate_document(load_document(path))
    return {s.id: [e.to for e in exits_of(project, s)] for s in project.stages}


FOUR = (
    ("mql", "Marketing Qualified Lead", "lead", ""),
    ("sal", "Sales Accepted Lead", "lead", ""),
    ("sql", "Sales Qualified Lead", "sales", ", golden: true"),
    ("won", "Closed Won", "sales", ", golden: true"),
    ("lost", "Closed Lost", "sales", ""),
    ("onboarding", "Onboarding", "customer", ""),
)


def test_the_end_of_each_domain_hands_off_to_the_next(tmp_path: Path) -> None:
    assert exits(client(tmp_path, *FOUR)) == {
        "mql": ["sal"],
        "sal": ["sql"],  # Lead -> Sales where Sales takes over
        "sql": ["won", "lost"],  # the last open stage also leads to the lost outcome
        "won": ["onboarding"],  # the won stage -> the first Customer stage
        "lost": [],  # no way on from an outcome
        "onboarding": [],
    }


def test_own_exits_are_kept_exactly(tmp_path: Path) -> None:
    stages = list(FOUR)
    stages[1] = ("sal", "Sales Accepted Lead", "lead", ", exit: [{to: mql, when: Rejected}]")
    assert exits(client(tmp_path, *stages))["sal"] == ["mql"]


def test_an_explicit_way_into_a_domain_replaces_the_default_hand_off(tmp_path: Path) -> None:
    stages = list(FOUR)
    stages[0] = ("mql", "Marketing Qualified Lead", "lead", ", exit: [{to: sql, when: Hand-raise}]")
    assert exits(client(tmp_path, *stages))["sal"] == []


def test_renewal_opens_at_adoption_and_returns_to_it(tmp_path: Path) -> None:
    stages = (
        *FOUR[:5],
        ("ea", "Early Adoption", "customer", ""),
        ("ma", "Mature Adoption", "customer", ""),
        ("churned", "Churned", "customer", ""),
        ("open", "Open Renewal", "renewal", ""),
        ("renewed", "Renewed", "renewal", ""),
        ("not", "Not Renewed", "renewal", ""),
    )
    found = exits(client(tmp_path, *stages))
    assert found["ma"] == ["churned", "open"] and found["ea"] == ["ma"]
    assert found["open"] == ["renewed", "not"] and found["renewed"] == ["ma"] and found["not"] == ["churned"]


def test_a_poc_starts_at_evaluation_and_returns_to_sales(tmp_path: Path) -> None:
    stages = (
        *FOUR[:3],
        ("eval", "Evaluation / Use Case", "sales", ""),
        ("proposal", "Proposal Sent", "sales", ""),
        *FOUR[3:],
        ("poc", "POC Entry", "poc", ""),
        ("value", "Value Assessment", "poc", ""),
    )
    found = exits(client(tmp_path, *stages))
    assert found["eval"] == ["proposal", "poc"] and found["value"] == ["proposal"]


def test_company_stages_roll_up_beside_the_flow(tmp_path: Path) -> None:
    stages = (*FOUR, ("target", "Target Account", "company", ""), ("customer", "Customer Account", "company", ""))
    found = exits(client(tmp_path, *stages))
    assert found["target"] == ["customer"] and found["customer"] == []
    assert found["onboarding"] == []


def test_every_document_reads_the_same_hand_off(tmp_path: Path) -> None:
    path = client(tmp_path, *FOUR)
    ctx = context(path)
    project = ctx.project
    # Diagram: the SAL -> SQL and Closed Won -> Onboarding arrows are hand-offs.
    names = {f"n{i}": s.id for i, s in enumerate(project.stages)}
    kinds = {(names[e["tail"]], names[e["head"]]): e["kind"] for e in classify_edges(project)}
    assert kinds[("sal", "sql")] == kinds[("won", "onboarding")] == "handoff"
    # Alignment document: the exit is listed, never "End of flow".
    row = find_row(render("definition-alignment", ctx)["definition-alignment-v0.docx"], "Sales Accepted Lead")
    assert row[3] == "• Sales Qualified Lead (Sales): Hand-off to the Sales stages"
    # Summary: the same exit.
    summary = render("summary", context(path))["stage-summary-v0.md"].decode("utf-8")
    assert "| Sales Accepted Lead | Met | Sales Qualified Lead (hand-off to Sales) |" in summary
    # FAQ: the SAL/SQL answer names the hand-off.
    faq = render("faq", context(path))["faq-v0.md"].decode("utf-8")
    assert "is the hand-off from the Lead stages to the Sales stages" in faq
    # CRM spec: the conversion report counts the hand-offs.
    spec = docx_text(render("crm-config", context(path))["crm-config-spec-v0.docx"])
    assert "Sales Accepted Lead → Sales Qualified Lead" in spec and "Closed Won → Onboarding" in spec


def test_lookups_a_large_client_makes_per_stage_are_worked_out_once_and_agree_with_a_scan(tmp_path: Path) -> None:
    """A 150-stage client asks for each stage's exits, its place in the flow and the stages
    leading into it thousands of times: the answers are kept per project (a scan each time
    made a 2000-stage build take minutes) and equal what a scan of the stages gives."""
    from deliverables.core import teams
    from deliverables.documents.decks.trainingparts import Parts

    domains = ("lead", "sales", "customer")
    stages = [(f"s{i}", f"Stage {i}", domains[i * 3 // 150], "") for i in range(150)]
    stages[40] = ("s40", "Stage 40", "lead", ", exit: [{to: s10, when: Recycled}, {to: s90}]")
    project = validate_document(load_document(client(tmp_path, *stages)))
    flow = tuple(s for d in project.domain_order() for s in project.stages if s.domain == d)
    assert project.flow() == flow and project.flow() is project.flow()
    for domain in (*domains, "renewal"):
        assert project.stages_in(domain) == tuple(s for s in project.stages if s.domain == domain)
    for stage in project.stages:
        assert project.stage(stage.id) is stage
        assert exits_of(project, stage) is exits_of(project, stage)
    assert project.stage("nowhere") is None
    parts = Parts(project, None, None, teams.stage_teams(project))  # type: ignore[arg-type]
    for stage in project.stages:
        scanned = [s for s in flow if any(e.to == stage.id for e in exits_of(project, s))]
        assert parts._incoming(stage) == scanned
    assert [s.id for s in parts._incoming(project.stage("s10"))] == ["s9", "s40"]
    mine = teams.stage_teams(project)
    mine.clear()  # a caller's copy: the kept answer is untouched
    assert teams.stage_teams(project) and teams.handoffs(project) == teams._handoffs(project)
