"""Versions over an engagement: v0 -> v1 -> v2 built side by side, and `deliver diff`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import assert_golden

from deliverables.cli import cli

CASES = Path(__file__).parent / "cases" / "versions"


def run(runner, *args: str) -> str:
    """Invoke the CLI, insist on success, return stdout."""
    result = runner.invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact text in a client file, as an architect would."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def engagement(tmp_path_factory) -> dict[str, object]:
    """Scaffold with `deliver new`, build v0; confirm, edit, build v1; again for v2."""
    from click.testing import CliRunner

    runner, root = CliRunner(), tmp_path_factory.mktemp("engagement")
    client, out = root / "acme-test.yaml", root / "output"
    run(runner, "new", "Acme Test", "--from", "standard", "--out", client)
    run(runner, "build", client, "--out", out, "--only", "summary")
    run(runner, "confirm", client, "stage:mql", "stage:sal", "--bump")
    edit(client, "      threshold or a direct request.", "      threshold, a demo request or a pricing page visit.")
    edit(
        client,
        "    owner: sdr\n    status: confirmed\n    crm: {object: contact, field: lifecyclestage, value: salesacceptedlead}",
        "    owner: sales\n    status: confirmed\n    crm: {object: contact, field: lifecyclestage, value: salesacceptedlead}",
    )
    run(runner, "build", client, "--out", out, "--only", "summary")
    v1_diff = run(runner, "diff", client, "--out", out)
    run(runner, "confirm", client, "closed-won", "term:mql", "--bump")
    edit(
        client,
        "pricing page visit.\n    approvals: {marketing: pending, sales: pending, revops: pending}",
        "pricing page visit.\n    approvals: {marketing: approved, sales: approved, revops: pending}",
    )
    edit(
        client,
        "  - id: implementation\n    name: Implementation\n",
        "  - id: implementation\n    name: Technical Setup Completed\n",
    )
    run(runner, "build", client, "--out", out, "--only", "summary")
    return {
        "client": client,
        "out": out,
        "v1": v1_diff,
        "v2": run(runner, "diff", client, "--out", out),
        "runner": runner,
    }


def test_each_version_keeps_its_folder_and_model(engagement):
    folder = engagement["out"] / "acme-test"
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == ["v0", "v1", "v2"]
    versions = [json.loads((folder / f"v{n}" / "model.json").read_text())["version"] for n in range(3)]
    assert versions == [0, 1, 2]


def test_changelog_from_v0_to_v1(engagement):
    assert_golden("changes-engagement-v0-v1.txt", engagement["v1"])


def test_changelog_from_v1_to_v2(engagement):
    assert_golden("changes-engagement-v1-v2.txt", engagement["v2"])


def test_since_compares_with_an_older_version(engagement):
    text = run(engagement["runner"], "diff", engagement["client"], "--out", engagement["out"], "--since", "0")
    assert text.startswith("Changes from v0 to v2: ")
    assert "Technical Setup Completed\n  - Renamed from Implementation" in text
    assert "Owner: SDR team → Sales" in text


def test_json_format_carries_the_same_changes(engagement):
    text = run(engagement["runner"], "diff", engagement["client"], "--out", engagement["out"], "--format", "json")
    data = json.loads(text)
    assert (data["from"], data["to"]) == (1, 2)
    assert {
        "kind": "stage-renamed",
        "subject": "Technical Setup Completed",
        "summary": "Renamed from Implementation",
        "detail": [["-", "Implementation"], ["+", "Technical Setup Completed"]],
    } in data["changes"]


def test_two_files_are_compared_directly(runner):
    text = run(runner, "diff", CASES / "v0.yaml", CASES / "v1.yaml")
    assert_golden("changes-v0-v1.txt", text)


def test_no_earlier_version_is_a_clear_error(runner, tmp_path: Path):
    result = runner.invoke(cli, ["diff", str(CASES / "v1.yaml"), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert f"no version of Tiny Co before v1 is built in {tmp_path / 'tiny-co'}" in result.stderr


def test_since_an_unbuilt_version_lists_the_built_ones(runner, tmp_path: Path):
    source = tmp_path / "v0.yaml"
    shutil.copy(CASES / "v0.yaml", source)
    run(runner, "build", source, "--out", tmp_path, "--only", "summary")
    result = runner.invoke(cli, ["diff", str(CASES / "v1.yaml"), "--out", str(tmp_path), "--since", "3"])
    assert result.exit_code == 1
    assert "v3 of Tiny Co is not built" in result.stderr and "(built: v0)" in result.stderr


def test_since_with_two_files_is_refused(runner):
    result = runner.invoke(cli, ["diff", str(CASES / "v0.yaml"), str(CASES / "v1.yaml"), "--since", "0"])
    assert result.exit_code == 1 and "--since" in result.stderr
