"""`deliver new` scaffolds a valid, commented client file from every architecture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ARCHITECTURES, EXAMPLE

from deliverables.cli import cli
from deliverables.commands.new import architectures
from deliverables.core.validate import load_project


def test_the_four_reference_architectures_ship() -> None:
    assert {"standard", "plg", "poc-and-renewal", "reunification"} <= set(architectures())


@pytest.mark.parametrize("arch", [p.stem for p in ARCHITECTURES])
def test_scaffold_then_check_passes(arch: str, runner, tmp_path: Path) -> None:
    target = tmp_path / "acme.yaml"
    result = runner.invoke(cli, ["new", "Acme Analytics", "--from", arch, "--crm", "salesforce", "--out", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=client.schema.json\n")
    assert json.loads((tmp_path / "client.schema.json").read_text())["title"] == "deliver client file"
    project, _ = load_project(target)
    assert (project.client.name, project.client.crm, project.version) == ("Acme Analytics", "salesforce", 0)
    assert all(s.status == "assumed" for s in project.stages)
    assert text.count("\n#") >= 5, "the scaffold keeps the architecture's comments"
    check = runner.invoke(cli, ["check", str(target)])
    assert check.exit_code == 0
    # The architect is a placeholder until named: the covers would print "Your Name".
    line = text.splitlines().index("architect: Your Name") + 1
    assert f'acme.yaml:{line}:12: architect: warning: `architect` is still "Your Name"' in check.output + check.stderr
    named = target.read_text(encoding="utf-8").replace("architect: Your Name", "architect: Sam Rivera")
    target.write_text(named, encoding="utf-8")
    assert "`architect` is still" not in runner.invoke(cli, ["check", str(target)]).output


@pytest.mark.parametrize("path", ARCHITECTURES + [EXAMPLE], ids=lambda p: p.stem)
def test_shipped_files_pass_check(path: Path, runner) -> None:
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 0, result.output + result.stderr


def test_scaffold_refuses_to_overwrite(runner, tmp_path: Path) -> None:
    target = tmp_path / "acme.yaml"
    target.write_text("keep me")
    result = runner.invoke(cli, ["new", "Acme", "--out", str(target)])
    assert result.exit_code == 1
    assert target.read_text() == "keep me"


def test_unknown_architecture_suggests_a_name(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["new", "Acme", "--from", "standrd", "--out", str(tmp_path / "a.yaml")])
    assert result.exit_code == 1
    assert "unknown architecture 'standrd' (did you mean 'standard'?)" in result.stderr


def test_schema_is_generated_from_the_model(runner) -> None:
    result = runner.invoke(cli, ["schema"])
    schema = json.loads(result.stdout)
    stage = schema["$defs"]["Stage"]["properties"]
    assert stage["entry"]["description"].startswith("Entry criteria")
    assert set(schema["properties"]) >= {"client", "version", "stages", "terms", "signoffs", "maintenance", "faq"}


def test_scaffold_changes_only_name_and_slug_and_adds_todays_date_and_the_next_meeting_to_fill_in(
    runner, tmp_path: Path
) -> None:
    import datetime as dt

    target = tmp_path / "zed.yaml"
    assert runner.invoke(cli, ["new", "Zed Co", "--out", str(target)]).exit_code == 0
    original = (Path(__file__).parent.parent / "architectures" / "standard.yaml").read_text().splitlines()
    scaffolded = target.read_text().splitlines()[1:]
    dated = scaffolded.index(f"date: {dt.date.today().isoformat()}")
    assert scaffolded[dated - 1] == "meeting: kickoff"
    assert (
        scaffolded[dated + 1] == "# next_meeting: YYYY-MM-DD   # Refinement 1, once booked: next steps become due by it"
    )
    del scaffolded[dated : dated + 2]
    changed = [(a, b) for a, b in zip(original, scaffolded) if a != b]
    assert len(original) == len(scaffolded)
    assert [b.split("#")[0].strip() for _, b in changed] == ["name: Zed Co", "slug: zed-co"]


def test_scaffold_for_another_crm_leaves_out_the_architectures_mappings(runner, tmp_path: Path) -> None:
    target = tmp_path / "beta.yaml"
    assert runner.invoke(cli, ["new", "Beta", "--crm", "salesforce", "--out", str(target)]).exit_code == 0
    project, warnings = load_project(target)
    assert project.client.crm == "salesforce"
    assert [s.id for s in project.stages if s.crm is not None] == []
    assert [w.where for w in warnings] == ["architect"]  # only the architect to name


def test_two_clients_named_in_cjk_get_folders_of_their_own(runner, tmp_path: Path, monkeypatch) -> None:
    """Both were scaffolded with `slug: client`: the second one's build was refused, the folder being the first's."""
    monkeypatch.chdir(tmp_path)
    for name in ("株式会社テスト", "株式会社サンプル"):
        assert runner.invoke(cli, ["new", name]).exit_code == 0
    files = sorted(tmp_path.glob("client-*.yaml"))
    slugs = {load_project(path)[0].client.slug for path in files}
    assert len(files) == 2 and {f"{slug}.yaml" for slug in slugs} == {path.name for path in files}


def test_a_blank_name_is_refused_as_such(runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["new", "  "])
    assert result.exit_code == 1
    assert "the client's name is empty" in result.output
    assert list(tmp_path.iterdir()) == []


def test_letters_that_do_not_decompose_are_spelled_out_in_a_new_clients_slug(
    runner, tmp_path: Path, monkeypatch
) -> None:
    # NFKD leaves ø, ß, æ, ł whole, so they were dropped: 'Ørsted' became 'rsted'.
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(cli, ["new", "Ørsted Bæk & Strauß Łódź", "--from", "standard"]).exit_code == 0
    (path,) = tmp_path.glob("*.yaml")
    assert path.name == "orsted-baek-strauss-lodz.yaml"
    assert load_project(path)[0].slug == "orsted-baek-strauss-lodz"
