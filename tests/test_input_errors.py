"""Every user mistake in a client file gives positioned, exact messages and exit 1.

A case is a pair of files in tests/cases/errors: NAME.yaml and NAME.expected
(the exact stderr of `deliver check NAME.yaml`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deliverables.cli import cli
from deliverables.core.errors import InputError
from deliverables.core.validate import load_project

CASES = Path(__file__).parent / "cases" / "errors"


@pytest.mark.parametrize("case", sorted(p.stem for p in CASES.glob("*.yaml")))
def test_bad_file_gives_exact_positioned_errors(case: str, runner, monkeypatch) -> None:
    monkeypatch.chdir(CASES)
    result = runner.invoke(cli, ["check", f"{case}.yaml"])
    assert result.exit_code == 1
    assert result.stderr == (CASES / f"{case}.expected").read_text(encoding="utf-8")
    assert "Traceback" not in result.output


def test_yaml_11_booleans_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "client:\n  name: Off\nstages:\n  - {id: x, name: 'yes', abbr: NO, domain: lead, definition: 0755 1:30 1.10}\n"
    )
    project, _ = load_project(path)
    stage = project.stages[0]
    assert (project.client.name, stage.abbr, stage.name, stage.definition) == ("Off", "NO", "yes", "0755 1:30 1.10")


def test_escaped_control_characters_are_removed_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        'client:\n  name: Acme\nstages:\n  - {id: x, name: X, domain: lead, definition: "a\\vb\\x00c"}\ndate: 2026-11-20\n'
    )
    project, warnings = load_project(path)
    assert project.stages[0].definition == "a\nbc"
    assert [str(w) for w in warnings] == [
        f"{path}:4:48: stages[id=x].definition: warning: removed control character(s) U+0000, U+000B"
    ]


def test_raw_control_characters_are_removed_with_their_position(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"client:\n  name: Ac\x0bme\ndate: 2026-11-20\n")
    project, warnings = load_project(path)
    assert project.client.name == "Ac me"
    assert [str(w) for w in warnings] == [f"{path}:2:11: client.name: warning: removed control character U+000B"]


def test_value_cut_by_a_comment_warns(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("client:\n  name: Acme  #1 client\ndate: 2026-11-20\n")
    _, warnings = load_project(path)
    assert [str(w) for w in warnings] == [
        f"{path}:2:9: client.name: warning: the value stops before '#1 client', which YAML reads"
        " as a comment; quote the whole value if it belongs to it"
    ]


def test_a_file_without_date_warns_at_the_top(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("client:\n  name: Acme\n")
    _, warnings = load_project(path)
    assert [str(w) for w in warnings] == [
        f'{path}:1:1: date: warning: no `date` for this version: the documents say "undated draft" where the'
        " date goes; add `date: YYYY-MM-DD`"
    ]


def test_utf16_and_bom_files_load(tmp_path: Path) -> None:
    for encoding, prefix in (("utf-16", b""), ("utf-8", b"\xef\xbb\xbf")):
        path = tmp_path / f"{encoding}.yaml"
        path.write_bytes(prefix + "client:\n  name: Café Ünïcode\n".encode(encoding))
        project, _ = load_project(path)
        assert project.client.name == "Café Ünïcode"


def test_invisible_characters_in_keys_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("client:\n  name\u00a0: Acme\n  \u200bcrm: hubspot\n", encoding="utf-8")
    project, _ = load_project(path)
    assert (project.client.name, project.client.crm) == ("Acme", "hubspot")


def test_check_json_format_lists_problems(runner, monkeypatch) -> None:
    monkeypatch.chdir(CASES)
    result = runner.invoke(cli, ["check", "--format", "json", "unknown-crm.yaml"])
    assert result.exit_code == 1
    assert "\"message\": \"unknown value 'hubspt' (did you mean 'hubspot'?)" in result.stdout


def test_missing_file_is_a_user_error(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path / 'nope.yaml'}:1:1: no such file")


def test_internal_errors_exit_3_with_traceback(monkeypatch, capsys) -> None:
    from deliverables import cli as cli_module

    def boom(*_args, **_kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr("deliverables.core.validate.load", boom)
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main(["check", os.devnull])
    assert exit_info.value.code == 3
    assert "RuntimeError: bug" in capsys.readouterr().err


def test_folded_scalars_read_as_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("client:\n  name: >-\n    Acme\n    Analytics\ndate: 2026-11-20\n")
    project, warnings = load_project(path)
    assert (project.client.name, warnings) == ("Acme Analytics", [])


def test_a_file_without_stages_is_refused_by_build_and_nothing_is_written(runner, tmp_path: Path) -> None:
    """Every document is the stage architecture: without a stage the decks said 'All 0 stages of
    v0 are ASSUMED' and the diagram '0 stages · all CONFIRMED'."""
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(CASES / "no-stages.yaml"), "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{CASES / 'no-stages.yaml'}:4:9: stages: no stages to build documents from")
    assert "Traceback" not in result.output
    assert not out.exists()


def test_bidirectional_overrides_are_removed_with_a_warning(tmp_path: Path) -> None:
    # U+202E shows "Acme \u202eevil" as "Acme live": text reads in another order than written.
    path = tmp_path / "c.yaml"
    path.write_text('client:\n  name: "Acme \\u202eevil\\u202c"\ndate: 2026-11-20\n', encoding="utf-8")
    project, warnings = load_project(path)
    assert project.client.name == "Acme evil\u202c"
    assert [str(w) for w in warnings] == [f"{path}:2:9: client.name: warning: removed control character(s) U+202E"]


@pytest.mark.parametrize(("meeting", "warned"), [("refinement-1", True), ("final-review", True), ("handoff", False)])
def test_a_launch_before_a_version_that_prepares_it_warns(meeting: str, warned: bool, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(f"client:\n  name: Acme\n  launch_date: 2020-01-15\ndate: 2026-11-20\nmeeting: {meeting}\n")
    _, warnings = load_project(path)
    expected = (
        f"{path}:3:16: client.launch_date: warning: the launch date 2020-01-15 comes before this version's date"
        f" 2026-11-20, yet the version prepares the {meeting} meeting: the schedules built from it would all lie"
        " in the past; check the year"
    )
    assert [str(w) for w in warnings] == ([expected] if warned else [])
    path.write_text(f"client:\n  name: Acme\n  launch_date: 2027-01-15\ndate: 2026-11-20\nmeeting: {meeting}\n")
    assert load_project(path)[1] == []


def test_markers_written_in_capitals_as_the_playbook_does_are_read(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "client:\n  name: Acme\ndate: 2026-11-20\nstakeholders:\n  - {id: dana, name: Dana Ortiz, title: VP RevOps}\n"
        "stages:\n  - {id: x, name: X, domain: lead, status: CONFIRMED}\n  - {id: y, name: Y, domain: lead, status: ' Assumed'}\n"
        "terms:\n  - {term: MQL, definition: A lead we qualified., approvals: {dana: APPROVED}}\n"
    )
    project, _ = load_project(path)
    assert [s.status for s in project.stages] == ["confirmed", "assumed"]
    assert project.terms[0].approvals == {"dana": "approved"}


def test_a_crm_mapping_with_an_empty_value_is_refused_at_it(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "client:\n  name: Acme\ndate: 2026-11-20\nstages:\n"
        "  - id: x\n    name: X\n    domain: lead\n    crm: {object: contact, field: lifecyclestage, value: ''}\n"
    )
    with pytest.raises(InputError) as raised:
        load_project(path)
    assert [str(p) for p in raised.value.problems] == [
        f"{path}:8:58: stages[id=x].crm.value: expected non-empty text, found ''"
    ]


MEASURED = """\
client:
  name: Acme
  launch_date: 2027-01-15
date: 2026-11-20
departments: [sdr]
stages:
  - {id: mql, name: MQL, domain: lead}
  - {id: sql, name: SQL, domain: lead}
measures:
  segments: [Source, " source", Region]
  spend: {currency: CURRENCY, marketing: MARKETING}
  targets:
    - {id: conversion, stages: [mql, sql], target: 30%}
    - {id: conversion, stages: [mql, mql], target: 40%}
    - {id: nrr, target: 110%}
    - {id: nrr, target: 120%}
enablement:
  audiences:
    - {team: sdr, date: 2019-01-11}
    - {team: marketing, date: 2027-06-11}
    - {team: sales, date: 2027-01-12}
"""


def test_measures_that_contradict_themselves_are_refused_at_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(MEASURED.replace("CURRENCY", "€").replace("MARKETING", "1e308"), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_project(path)
    assert [str(p) for p in raised.value.problems if p.severity == "error"] == [
        f"{path}:11:21: measures.spend.currency: expected a three-letter ISO 4217 currency code such as USD, EUR"
        " or GBP, found '€' (did you mean 'EUR'?)",
        f"{path}:11:35: measures.spend.marketing: expected a number <= 1,000,000,000,000, found '1e308'",
        f"{path}:14:32: measures.targets[id=conversion].stages: a conversion target runs from 'mql' to itself;"
        " name the stage it starts at, then another",
        f"{path}:16:12: measures.targets[id=nrr].id: a second nrr target (first at line 15); keep one",
    ]


def test_dates_against_the_versions_own_and_repeated_segments_warn(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    text = MEASURED.replace("CURRENCY", "usd").replace("MARKETING", "1000")
    text = text.replace("    - {id: conversion, stages: [mql, mql], target: 40%}\n", "").replace(
        "    - {id: nrr, target: 120%}\n", ""
    )
    path.write_text(text, encoding="utf-8")
    project, warnings = load_project(path)
    assert project.measures.spend is not None and project.measures.spend.currency == "USD"
    assert sorted(str(w) for w in warnings) == [
        f"{path}:10:22: measures.segments[1]: warning: segment 'source' is listed already (item 1); list it once",
        f"{path}:17:25: enablement.audiences[0].date: warning: the sdr session on 2019-01-11 comes before this"
        " version's date 2026-11-20: the training materials would invite people to a session already held",
        f"{path}:18:31: enablement.audiences[1].date: warning: the marketing session on 2027-06-11 comes after the"
        " launch on 2027-01-15; teams are trained before they work in the new stages",
    ]


def test_an_email_that_is_no_address_or_is_someone_elses_warns(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "client:\n  name: Acme\ndate: 2026-11-20\nstakeholders:\n"
        "  - {id: dana, name: Dana Ortiz, title: VP RevOps, email: dana at acme}\n"
        "  - {id: priya, name: Priya Raman, title: VP Marketing, email: Priya@acme.example}\n"
        "  - {id: marcus, name: Marcus Bell, title: VP Sales, email: priya@acme.example}\n"
    )
    assert [str(w) for w in load_project(path)[1]] == [
        f"{path}:5:59: stakeholders[id=dana].email: warning: 'dana at acme' is not an email address (name@company.com)",
        f"{path}:7:61: stakeholders[id=marcus].email: warning: Marcus Bell has the email of Priya Raman ('priya');"
        " give each person their own",
    ]


def test_a_target_back_against_its_domains_flow_warns_with_the_ids_swapped(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    text = (
        MEASURED.replace("CURRENCY", "USD")
        .replace("MARKETING", "1000")
        .replace("[mql, sql], target: 30%", "[sql, mql], target: 30%")
    )
    text = text.replace("    - {id: conversion, stages: [mql, mql], target: 40%}\n", "").replace(
        "    - {id: nrr, target: 120%}\n", ""
    )
    path.write_text(text.split("enablement:")[0].replace('[Source, " source", Region]', "[Source]"), encoding="utf-8")
    assert [str(w) for w in load_project(path)[1]] == [
        f"{path}:13:32: measures.targets[id=conversion].stages: warning: this conversion target runs from 'SQL' back"
        " to 'MQL', which comes before it; if it measures the way forward, write stages: [mql, sql]"
    ]
