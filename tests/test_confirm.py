"""`deliver confirm`: statuses edited in place, nothing else in the file touched."""

from __future__ import annotations

import codecs
import difflib
import shutil
from pathlib import Path

import pytest
from conftest import ARCHITECTURES, EXAMPLE, with_exports

from deliverables.cli import cli
from deliverables.core.validate import load_project

CASES = Path(__file__).parent / "cases" / "versions"


def changed_lines(before: str, after: str) -> list[str]:
    """The -/+ lines of a diff, without headers."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = with_exports(tmp_path) / "acme.yaml"
    shutil.copy(EXAMPLE, target)
    return target


def test_confirming_an_assumed_stage_changes_only_its_status_line(runner, example: Path):
    before = example.read_text(encoding="utf-8")
    assumed = next(s for s in load_project(example)[0].stages if s.status == "assumed")
    result = runner.invoke(cli, ["confirm", str(example), assumed.id])
    assert result.exit_code == 0, result.output
    assert changed_lines(before, example.read_text(encoding="utf-8")) == [
        "-    status: assumed",
        "+    status: confirmed",
    ]
    assert load_project(example)[0].stage(assumed.id).status == "confirmed"


def test_bump_adds_one_to_the_version_and_keeps_its_comment(runner, tmp_path: Path):
    target = tmp_path / "std.yaml"
    shutil.copy(next(p for p in ARCHITECTURES if p.stem == "standard"), target)
    before = target.read_text(encoding="utf-8")
    result = runner.invoke(cli, ["confirm", str(target), "mql", "--bump"])
    assert result.exit_code == 0, result.output
    diff = changed_lines(before, target.read_text(encoding="utf-8"))
    assert diff == ["-version: 0", "+version: 1"] + ["-    status: assumed", "+    status: confirmed"] * 2
    assert "stage mql (Marketing Qualified Lead (MQL)): ASSUMED -> CONFIRMED" in result.output
    assert "version 0 -> 1" in result.output


def test_missing_status_is_added_beside_its_siblings(runner, tmp_path: Path):
    target = tmp_path / "v0.yaml"
    shutil.copy(CASES / "v0.yaml", target)
    before = target.read_text(encoding="utf-8")
    assert runner.invoke(cli, ["confirm", str(target), "sql"]).exit_code == 0
    after = target.read_text(encoding="utf-8")
    assert changed_lines(before, after) == ["+    status: confirmed"]
    assert "    golden: true\n    status: confirmed\n" in after


FLOW = """\
client: {name: Flow Co}   # flow style everywhere
stages:
  - {id: mql, name: MQL, domain: lead}    # keep me
  - {id: sql, name: SQL, domain: lead, status: 'assumed'}
terms:
  - {term: Pipeline, definition: Open deals}
"""


def test_flow_mappings_and_quotes_are_kept(runner, tmp_path: Path):
    target = tmp_path / "flow.yaml"
    target.write_text(FLOW, encoding="utf-8")
    assert runner.invoke(cli, ["confirm", str(target), "mql", "SQL", "PIPELINE", "--bump"]).exit_code == 0
    after = target.read_text(encoding="utf-8")
    assert "  - {id: mql, name: MQL, domain: lead, status: confirmed}    # keep me\n" in after
    assert "  - {id: sql, name: SQL, domain: lead, status: 'confirmed'}\n" in after
    assert "  - {term: Pipeline, definition: Open deals, status: confirmed}\n" in after
    project = load_project(target)[0]
    assert project.version == 1 and project.assumed_count() == 0


def test_crlf_and_byte_order_mark_survive(runner, tmp_path: Path):
    target = tmp_path / "crlf.yaml"
    raw = codecs.BOM_UTF8 + (CASES / "v0.yaml").read_text(encoding="utf-8").replace("\n", "\r\n").encode()
    target.write_bytes(raw)
    assert runner.invoke(cli, ["confirm", str(target), "sql", "lead"]).exit_code == 0
    after = target.read_bytes()
    assert after.startswith(codecs.BOM_UTF8)
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert b"    golden: true\r\n    status: confirmed\r\n" in after


def test_stage_and_term_prefixes_pick_one_kind(runner, tmp_path: Path):
    target = tmp_path / "v0.yaml"
    shutil.copy(CASES / "v0.yaml", target)
    assert runner.invoke(cli, ["confirm", str(target), "term:mql"]).exit_code == 0
    project = load_project(target)[0]
    assert project.terms[0].status == "confirmed" and project.stage("mql").status == "assumed"


def test_unknown_ids_are_positioned_errors_and_nothing_is_written(runner, tmp_path: Path):
    target = tmp_path / "v0.yaml"
    shutil.copy(CASES / "v0.yaml", target)
    before = target.read_bytes()
    result = runner.invoke(cli, ["confirm", str(target), "mql", "sqll", "pipelin"])
    assert result.exit_code == 1
    assert f"{target}:12:1: stages: no stage or term with id 'sqll' (did you mean 'sql'?)" in result.stderr
    assert "no stage or term with id 'pipelin' (did you mean 'pipeline'?)" in result.stderr
    assert target.read_bytes() == before


def test_already_confirmed_items_leave_the_file_untouched(runner, tmp_path: Path):
    target = tmp_path / "v1.yaml"
    shutil.copy(CASES / "v1.yaml", target)
    before = target.stat().st_mtime_ns, target.read_bytes()
    result = runner.invoke(cli, ["confirm", str(target), "lead"])
    assert result.exit_code == 0
    assert "stage lead (Lead): already CONFIRMED" in result.output and "nothing to change" in result.output
    assert (target.stat().st_mtime_ns, target.read_bytes()) == before


def test_terms_match_by_their_text_in_any_case_and_script(runner, tmp_path: Path):
    target = tmp_path / "intl.yaml"
    target.write_text(
        "client: {name: Société Générale de Test}\n"
        "terms:\n"
        "  - term: Lead Qualifié\n"
        "    definition: Un lead prêt pour les ventes  # commentaire\n"
        "  - term: 合格リード\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["confirm", str(target), "LEAD QUALIFIÉ", "合格リード"])
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert (
        "  - term: Lead Qualifié\n    status: confirmed\n    definition: Un lead prêt pour les ventes  # commentaire\n"
        in text
    )
    assert text.endswith("  - term: 合格リード\n    status: confirmed\n")


def test_editing_keeps_the_file_mode(runner, tmp_path: Path):
    target = tmp_path / "v0.yaml"
    shutil.copy(CASES / "v0.yaml", target)
    target.chmod(0o640)
    assert runner.invoke(cli, ["confirm", str(target), "sql"]).exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o640


def test_new_files_get_the_usual_mode(tmp_path: Path):
    import os

    from deliverables.pipeline.storage import write_file

    write_file(tmp_path / "new.txt", b"x")
    umask = os.umask(0o022)
    os.umask(umask)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o666 & ~umask
