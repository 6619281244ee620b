"""The build pipeline: registry, version folders, manifest, atomic promotion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deliverables.cli import cli
from deliverables.pipeline import build as build_module
from deliverables.pipeline import registry
from deliverables.pipeline.registry import Deliverable

MINI = """\
client: {name: Mini Co, crm: hubspot}
version: 2
stages:
  - {id: mql, name: Marketing Qualified Lead, abbr: MQL, domain: lead, entry: [Score 60], owner: marketing}
  - {id: sql, name: Sales Qualified Lead, abbr: SQL, domain: sales, golden: true, entry: [Discovery booked], owner: sales}
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def client_file(tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI, encoding="utf-8")
    return path


def test_every_registered_renderer_implements_the_protocol() -> None:
    for name in registry.names():
        renderer = registry.load(name)
        assert isinstance(renderer, Deliverable)
        assert name == renderer.NAME and renderer.SUFFIXES and renderer.DESCRIPTION


def test_build_writes_version_folder_with_manifest(runner, client_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(client_file), "--out", str(out)])
    assert result.exit_code == 0, result.output
    folder = out / "mini-co" / "v2"
    manifest = json.loads((folder / "manifest.json").read_text())
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert files == set(manifest["files"]) | {"manifest.json"}
    for name, digest in manifest["files"].items():
        assert build_module.manifest.digest((folder / name).read_bytes()) == digest
    assert manifest["input_sha256"] == build_module.manifest.digest(client_file.read_bytes())
    assert not [p for p in (out / "mini-co").iterdir() if p.name.startswith(".")]


def test_unknown_deliverable_in_only_is_refused(runner, client_file: Path, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["build", str(client_file), "--out", str(tmp_path), "--only", "sumary"])
    assert result.exit_code == 1
    assert "unknown deliverable 'sumary' (did you mean 'summary'?)" in result.stderr


def test_renderer_failure_keeps_that_deliverables_previous_files(
    runner, client_file: Path, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(client_file), "--out", str(out)]).exit_code == 0
    folder = out / "mini-co" / "v2"
    before = snapshot(folder)
    summary = json.loads((folder / "manifest.json").read_text())["deliverables"]["summary"]["files"]

    def explode(view, ctx):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("deliverables.documents.summary.render", explode)
    client_file.write_text(MINI.replace("Score 60", "Score 70"), encoding="utf-8")
    result = runner.invoke(cli, ["build", str(client_file), "--out", str(out)])
    assert result.exit_code == 3
    assert "summary failed (kept its earlier files): OSError: [Errno 28] No space left on device" in result.stderr
    after = snapshot(folder)
    assert {name: after[name] for name in summary} == {name: before[name] for name in summary}
    assert after != before
    assert sorted(p.name for p in (out / "mini-co").iterdir()) == ["v2"]


def test_invalid_file_leaves_previous_output_intact(runner, client_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(client_file), "--out", str(out)]).exit_code == 0
    before = snapshot(out)
    client_file.write_text(MINI.replace("domain: sales", "domain: sails"), encoding="utf-8")
    result = runner.invoke(cli, ["build", str(client_file), "--out", str(out)])
    assert result.exit_code == 1
    assert "stages[id=sql].domain: unknown domain 'sails' (did you mean 'sales'?)" in result.stderr
    assert snapshot(out) == before


def test_rebuild_is_byte_identical(runner, client_file: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert runner.invoke(cli, ["build", str(client_file), "--out", str(out)]).exit_code == 0
    assert snapshot(first / "mini-co") == snapshot(second / "mini-co")


def test_earlier_versions_are_kept(runner, client_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(client_file), "--out", str(out)]).exit_code == 0
    client_file.write_text(MINI.replace("version: 2", "version: 3"), encoding="utf-8")
    assert runner.invoke(cli, ["build", str(client_file), "--out", str(out)]).exit_code == 0
    assert sorted(p.name for p in (out / "mini-co").iterdir()) == ["v2", "v3"]


def test_unchanged_rebuild_takes_the_fast_path(runner, client_file: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(client_file), "--out", str(out)]).exit_code == 0
    monkeypatch.setattr("deliverables.core.source.load_document", lambda *a: pytest.fail("parsed again"))
    result = runner.invoke(cli, ["build", str(client_file), "--out", str(out)])
    assert result.exit_code == 0 and "up to date" in result.output


def test_changed_deliverables_are_rebuilt_and_the_rest_kept(
    runner, client_file: Path, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(client_file), "--out", str(out)]).exit_code == 0
    manifest = json.loads((out / "mini-co" / "v2" / "manifest.json").read_text())
    assert {e["reason"] for e in manifest["deliverables"].values()} == {"new"}
    client_file.write_text(MINI + "architect: Sam Rivera\n", encoding="utf-8")
    assert runner.invoke(cli, ["build", str(client_file), "--out", str(out)]).exit_code == 0
    manifest = json.loads((out / "mini-co" / "v2" / "manifest.json").read_text())
    assert manifest["deliverables"]["summary"]["action"] == "kept"
    client_file.write_text(MINI.replace("Score 60", "Score 70"), encoding="utf-8")
    assert runner.invoke(cli, ["build", str(client_file), "--out", str(out)]).exit_code == 0
    manifest = json.loads((out / "mini-co" / "v2" / "manifest.json").read_text())
    assert (manifest["deliverables"]["summary"]["action"], manifest["deliverables"]["summary"]["reason"]) == (
        "rebuilt",
        "content changed",
    )


def test_a_full_build_after_only_renders_what_only_left_out(runner, client_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(client_file), "--out", str(out)]).exit_code == 0
    client_file.write_text(MINI.replace("Score 60", "Score 70"), encoding="utf-8")
    assert runner.invoke(cli, ["build", str(client_file), "--out", str(out), "--only", "diagram"]).exit_code == 0
    result = runner.invoke(cli, ["build", str(client_file), "--out", str(out)])
    assert result.exit_code == 0 and "up to date" not in result.output
    manifest = json.loads((out / "mini-co" / "v2" / "manifest.json").read_text())
    assert manifest["deliverables"]["summary"]["action"] == "rebuilt"
    assert manifest["deliverables"]["diagram"]["action"] == "kept"
    assert "Score 70" in (out / "mini-co" / "v2" / "stage-summary-v2.md").read_text(encoding="utf-8")


def test_entry_answers_up_to_date_builds_without_the_cli(runner, client_file: Path, tmp_path: Path) -> None:
    from deliverables.entry import _already_built

    out = tmp_path / "out"
    args = [str(client_file), "--out", str(out)]
    assert _already_built(args) is None
    assert runner.invoke(cli, ["build", *args]).exit_code == 0
    assert _already_built(args) == [f"up to date: {client_file} -> {out / 'mini-co' / 'v2'}"]
    assert _already_built([*args, "--only", "summary"]) is None
    client_file.write_text(MINI + "\n# edited\n", encoding="utf-8")
    assert _already_built(args) is None


def test_files_hooks_name_exactly_what_render_writes(tmp_path: Path) -> None:
    from conftest import EXAMPLE

    from deliverables.pipeline.build import build_file

    result = build_file(EXAMPLE, tmp_path)
    manifest = json.loads((result.folder / "manifest.json").read_text())
    for name in registry.names():
        renderer = registry.load(name)
        hook = getattr(renderer, "files", None)
        if hook is None:
            continue
        from deliverables.core.validate import load_project

        found = hook(load_project(EXAMPLE)[0])
        assert sorted(found) == manifest["deliverables"][name]["files"], name
