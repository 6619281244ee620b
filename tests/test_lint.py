"""`deliver check` lints a valid client file against the playbook's gotchas.

Each rule has a pair of cases in tests/cases/lint: RULE.fires.yaml with
RULE.fires.expected (the exact stderr of `deliver check`, with `--final` for
the final gates) and RULE.passes.yaml, a near miss on which nothing fires.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ARCHITECTURES, EXAMPLE, assert_golden, write

from deliverables.cli import cli
from deliverables.core.validate import load, load_project
from deliverables.lint import RULES, lint, rule_table

CASES = Path(__file__).parent / "cases" / "lint"


def _args(rule_id: str, name: str, *extra: str) -> list[str]:
    final = ["--final"] if RULES[rule_id].final else []
    return ["check", *final, *extra, name]


@pytest.mark.parametrize("rule_id", list(RULES))
def test_rule_fires_with_exact_positioned_message(rule_id: str, runner, monkeypatch) -> None:
    monkeypatch.chdir(CASES)
    result = runner.invoke(cli, _args(rule_id, f"{rule_id}.fires.yaml"))
    expected = (CASES / f"{rule_id}.fires.expected").read_text(encoding="utf-8")
    assert result.stderr == expected
    assert f": {rule_id}: " in expected
    assert result.exit_code == (1 if RULES[rule_id].severity == "error" else 0)


@pytest.mark.parametrize("rule_id", list(RULES))
def test_rule_does_not_fire_on_its_near_miss(rule_id: str, runner, monkeypatch) -> None:
    monkeypatch.chdir(CASES)
    result = runner.invoke(cli, _args(rule_id, f"{rule_id}.passes.yaml", "--format", "json"))
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["files"][0]["problems"] == []


def test_every_case_file_belongs_to_a_rule() -> None:
    stems = {p.name.split(".")[0] for p in CASES.glob("*.yaml")}
    assert stems == set(RULES)


@pytest.mark.parametrize("path", ARCHITECTURES + [EXAMPLE], ids=lambda p: p.stem)
def test_shipped_files_have_no_lint_findings(path: Path) -> None:
    """Besides one decision they all carry on purpose: the playbook's own SQL entry (a
    discovery call scheduled) meets its own meeting-booked automation, which the architect
    settles with Sales."""
    doc, project = load(path)
    findings = [f for f in lint(doc, project) if f.rule != "automation-contradicts-criteria"]
    assert [str(f) for f in findings] == []
    decision = [f.message for f in lint(doc, project) if f.rule == "automation-contradicts-criteria"]
    sql = next(s for s in project.stages if s.id == "sql")
    assert decision == [
        f"the CRM automation would set 'Sales Accepted Lead' when a meeting is booked, but '{sql.entry[0]}'"
        " is an entry criterion of 'Sales Qualified Lead'"
    ]


def test_final_refuses_the_example_until_everything_is_confirmed_and_signed(runner) -> None:
    result = runner.invoke(cli, ["check", "--final", str(EXAMPLE)])
    assert result.exit_code == 1
    assert "final-assumed" in result.stderr and "final-signoff-missing" in result.stderr


def test_load_returns_document_and_project_and_load_project_still_works() -> None:
    doc, project = load(EXAMPLE)
    assert doc.position(("stages", 0))[0] > 1
    assert load_project(EXAMPLE)[0] == project


STAGE = "  - {{id: {id}, name: {name}, domain: {domain}, entry: [Met]{extra}}}\n"


def _client(tmp_path: Path, *stages: tuple[str, str, str, str], tail: str = "") -> Path:
    body = "".join(STAGE.format(id=i, name=n, domain=d, extra=e) for i, n, d, e in stages)
    return write(tmp_path / "c.yaml", f"client: {{name: Acme}}\nstages:\n{body}{tail}date: 2026-11-20\n")


IGNORED = ", lint_ignore: [{rule: activity-name, reason: Client keeps the HubSpot default name}]"


def test_lint_ignore_silences_a_rule_and_verbose_shows_the_reason(runner, tmp_path: Path) -> None:
    path = _client(tmp_path, ("demo", "Demo", "poc", IGNORED))
    quiet = runner.invoke(cli, ["check", "--strict", str(path)])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    verbose = runner.invoke(cli, ["check", "--verbose", str(path)])
    assert verbose.stderr == (
        f"{path}: 1 silenced by lint_ignore\n"
        f"{path}:3:22: stages[id=demo].name: activity-name: silenced: Client keeps the HubSpot default name\n"
    )


def test_final_gates_cannot_be_silenced(runner, tmp_path: Path) -> None:
    extra = ", lint_ignore: [{rule: final-assumed, reason: trust me}]"
    path = _client(tmp_path, ("mql", "Marketing Qualified Lead", "lead", extra))
    result = runner.invoke(cli, ["check", "--final", str(path)])
    assert result.exit_code == 1
    assert "final-assumed: stage 'Marketing Qualified Lead' is still ASSUMED" in result.stderr
    assert "unknown-lint-ignore: rule 'final-assumed' is a --final gate and cannot be silenced" in result.stderr


def test_warnings_exit_0_unless_strict(runner, tmp_path: Path) -> None:
    path = _client(tmp_path, ("demo", "Demo", "poc", ""))
    assert runner.invoke(cli, ["check", str(path)]).exit_code == 0
    strict = runner.invoke(cli, ["check", "--strict", str(path)])
    assert strict.exit_code == 1
    assert strict.stdout == f"failed: {path} (1 error)\n"
    assert ": error: activity-name: " not in strict.stderr and ": activity-name: 'Demo'" in strict.stderr


def test_recommendations_are_errors_at_sign_off_only(runner, tmp_path: Path) -> None:
    path = _client(tmp_path, ("working", "Working", "lead", ""))
    draft = runner.invoke(cli, ["check", "--format", "json", str(path)])
    final = runner.invoke(cli, ["check", "--final", "--format", "json", str(path)])
    severity = {
        r: {p["rule"]: p["severity"] for p in json.loads(r.stdout)["files"][0]["problems"]} for r in (draft, final)
    }
    assert draft.exit_code == 0 and severity[draft]["status-as-stage"] == "warning"
    assert final.exit_code == 1 and severity[final]["status-as-stage"] == "error"


def test_text_groups_warnings_before_notes(runner, tmp_path: Path) -> None:
    path = _client(tmp_path, ("demo", "Demo", "poc", ""), ("working", "Working", "lead", ""))
    result = runner.invoke(cli, ["check", str(path)])
    lines = result.stderr.splitlines()
    assert [lines[0], lines[3]] == [f"{path}: 2 warnings", f"{path}: 2 notes"]
    assert "activity-name" in lines[1] and "status-as-stage" in lines[2] and "domain-unconnected" in lines[4]
    assert "no stage of another domain leads into the POC / POV stages" in lines[5]
    assert "no POC / POV stage leads on to another domain" in lines[4]
    assert result.exit_code == 0
    assert result.stdout == f"ok: {path} (2 stages, 2 items assumed, 2 warnings, 2 notes)\n"


def test_json_carries_rule_fix_and_ignored(runner, tmp_path: Path) -> None:
    path = _client(tmp_path, ("working", "Working", "lead", ""), ("demo", "Demo", "poc", IGNORED))
    report = json.loads(runner.invoke(cli, ["check", "--strict", "--format", "json", str(path)]).stdout)["files"][0]
    assert report["ok"] is False
    problems = [(p["rule"], p["line"], p["severity"]) for p in report["problems"]]
    assert problems == [
        ("status-as-stage", 3, "error"),
        ("domain-unconnected", 4, "note"),
        ("domain-unconnected", 4, "note"),
    ]
    assert report["problems"][0]["fix"].startswith("keep working states")
    assert [(p["rule"], p["ignored"]) for p in report["ignored"]] == [
        ("activity-name", "Client keeps the HubSpot default name")
    ]


def test_sarif_has_the_required_shape(runner, tmp_path: Path) -> None:
    path = _client(tmp_path, ("working", "Working", "lead", ""), ("demo", "Demo", "poc", IGNORED))
    bad = write(tmp_path / "bad.yaml", "client: {name: Acme}\nversion: -1\n")
    result = runner.invoke(cli, ["check", "--format", "sarif", str(path), str(bad)])
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    driver = log["runs"][0]["tool"]["driver"]
    ids = [r["id"] for r in driver["rules"]]
    assert driver["name"] == "deliver" and ids == ["input", *RULES]
    results = log["runs"][0]["results"]
    for item in results:
        assert ids[item["ruleIndex"]] == item["ruleId"] and item["level"] in ("error", "warning", "note")
        assert item["message"]["text"]
        location = item["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].endswith(".yaml")
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
    by_rule = {r["ruleId"]: r for r in results}
    assert set(by_rule) == {"status-as-stage", "activity-name", "domain-unconnected", "input"}
    assert by_rule["activity-name"]["suppressions"][0]["justification"].startswith("Client keeps")
    assert by_rule["status-as-stage"]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3,
        "startColumn": 25,
    }


def test_list_rules_prints_the_markdown_table(runner) -> None:
    result = runner.invoke(cli, ["check", "--list-rules"])
    assert result.exit_code == 0
    assert result.stdout == rule_table()
    assert all(f"| `{rule_id}` |" in result.stdout for rule_id in RULES)
    assert_golden("lint-rules.md", result.stdout)


def test_check_without_files_is_a_usage_error(runner) -> None:
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 2
    assert "give at least one client FILE" in result.stderr


# ------------------------------------------------------ heuristics stay quiet


@pytest.mark.parametrize(
    ("name", "domain"),
    [
        ("Marketing Engaged Lead", "lead"),
        ("Engaged Account", "company"),
        ("Proposal / Negotiation", "sales"),
        ("Evaluation / Use Case", "sales"),
        ("Renewal Negotiation", "renewal"),
        ("Demo Scheduled", "sales"),
        ("Onboarding", "customer"),
        ("Open Renewal", "renewal"),
        ("Renewed (Closed Won)", "renewal"),
        ("Former Customer", "company"),
        ("Entrée validée 発見", "poc"),
    ],
)
def test_legitimate_stage_names_are_not_flagged(name: str, domain: str, tmp_path: Path) -> None:
    path = _client(tmp_path, ("x", f"'{name}'", domain, ""))
    doc, project = load(path)
    naming = {
        "activity-name",
        "status-as-stage",
        "deal-outcome-in-lifecycle",
        "time-based-stage",
        "internal-signal-stage",
        "task-level-stage",
        "cs-stage-in-sales-pipeline",
    }
    assert [f.rule for f in lint(doc, project) if f.rule in naming] == []


def test_common_abbreviations_and_shouting_are_not_undefined_terms(tmp_path: Path) -> None:
    definition = ", definition: 'NOT before Q4: the AE checks ICP fit in the CRM, then BANT'"
    path = _client(tmp_path, ("x", "Fit Checked", "poc", definition), tail="terms:\n  - term: MQL\n")
    doc, project = load(path)
    assert lint(doc, project) == []


def test_a_sixty_stage_client_lints(tmp_path: Path) -> None:
    stages = [(f"s{i}", f"Étape {i} 完了", "lead", "") for i in range(60)]
    path = _client(tmp_path, *stages)
    doc, project = load(path)
    assert lint(doc, project) == []


def test_text_in_capitals_is_shouting_not_terms(tmp_path: Path) -> None:
    definition = ", definition: 'IMPORTANT: DO NOT MOVE DEALS BACK HERE. NOTE: SAO'"
    path = _client(tmp_path, ("x", "Fit Checked", "poc", definition), tail="terms:\n  - term: MQL\n")
    doc, project = load(path)
    assert lint(doc, project) == []


def test_one_crm_value_in_two_pipelines_is_two_stages(tmp_path: Path) -> None:
    crm = ", crm: {{object: Opportunity, field: StageName, value: Closed Won, pipeline: {pipeline}}}"
    path = _client(
        tmp_path,
        ("won", "Closed Won", "sales", crm.format(pipeline="New Business")),
        ("renewed", "Renewal Won", "renewal", crm.format(pipeline="Renewals")),
    )
    doc, project = load(path)
    assert [f for f in lint(doc, project) if f.rule == "crm-value-shared"] == []


def test_a_pipeline_no_mapping_names_is_shown_by_its_domains_title(tmp_path: Path) -> None:
    # The Renewal domain's stages have no CRM pipeline: the message said 'renewal', its id.
    crm = ", crm: {{object: deal, field: dealstage, value: {value}, pipeline: {pipeline}}}"
    path = _client(
        tmp_path,
        ("nb", "New Business Won", "sales", crm.format(value="nb", pipeline="New Business")),
        ("partner", "Partner Won", "sales", crm.format(value="pw", pipeline="Partner")),
        ("channel", "Channel Won", "sales", crm.format(value="cw", pipeline="Channel")),
        ("renewed", "Renewal Won", "renewal", ""),
    )
    doc, project = load(path)
    (found,) = [f for f in lint(doc, project) if f.rule == "too-many-pipelines"]
    assert "4 sales pipelines (New Business, Partner, Channel, Renewal)" in found.message
