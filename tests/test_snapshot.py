"""`deliver snapshot` and the pytest plugin: reviewable text forms of every deliverable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE
from snapshot_probe import light_registry

from deliverables.backends.readers import text_form
from deliverables.cli import cli

pytest_plugins = ["deliverables.pytest_plugin", "pytester"]

CASES = Path(__file__).parent / "cases" / "versions"
SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.fixture
def probe(monkeypatch) -> None:
    """Only the summary and the test renderer that writes docx, pptx, pdf, png, svg and csv."""
    light_registry(monkeypatch, "probe")


@pytest.fixture
def summary_only(monkeypatch) -> None:
    """Only the Markdown summary, rendered in this process: these tests are about the
    snapshot mechanism. No worker pool: one forked inside an in-process pytest run
    failed to pickle its calls ('concurrent.futures.process._CallItem' was not the
    same object) when an earlier test of the same process had built with workers."""
    light_registry(monkeypatch)
    monkeypatch.setattr("deliverables.pipeline.workers.cores", lambda: 1)


@pytest.fixture
def client(tmp_path: Path) -> Path:
    source = tmp_path / "tiny.yaml"
    shutil.copy(CASES / "v1.yaml", source)
    return source


def test_update_writes_one_text_file_per_deliverable_file(runner, probe, client: Path, tmp_path: Path):
    snaps = tmp_path / "snaps"
    result = runner.invoke(cli, ["snapshot", str(client), "--dir", str(snaps), "--update"])
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in snaps.iterdir())
    assert names == [".snapshots.json"] + [f"probe.{s}.txt" for s in ("csv", "docx", "pdf", "png", "pptx", "svg")] + [
        "stage-summary-v1.md.txt"
    ]
    docx = (snaps / "probe.docx.txt").read_text(encoding="utf-8")
    assert "[Heading 1] Tiny Co\n" in docx
    assert "[List Bullet] Demo Completed: The buyer saw the product on their own use case.\n" in docx
    assert "[table Table Grid]\n| Lead | A contact who showed interest. |\n" in docx
    pptx = (snaps / "probe.pptx.txt").read_text(encoding="utf-8")
    assert pptx.startswith("=== slide 1 (Title Only) ===\ntitle: Tiny Co\n[table ")
    assert "| Closed Won | Contract signed. |\n" in pptx and pptx.endswith("notes: Speaker notes\n")
    pdf = (snaps / "probe.pdf.txt").read_text(encoding="utf-8")
    assert pdf.startswith("pages: 1\n--- page 1 ---\nLead: A contact who showed interest.\n")
    assert (snaps / "probe.png.txt").read_text() == "PNG image: 4 x 2 pixels\n"
    assert "text: Sales Accepted Lead (SAL)\n" in (snaps / "probe.svg.txt").read_text(encoding="utf-8")
    check = runner.invoke(cli, ["snapshot", str(client), "--dir", str(snaps)])
    assert check.exit_code == 0 and "snapshots match" in check.output


def test_one_word_change_in_a_definition_fails_with_a_diff(runner, probe, client: Path, tmp_path: Path):
    snaps = tmp_path / "snaps"
    assert runner.invoke(cli, ["snapshot", str(client), "--dir", str(snaps), "--update"]).exit_code == 0
    client.write_text(client.read_text(encoding="utf-8").replace("Contract signed.", "Contract countersigned."))
    result = runner.invoke(cli, ["snapshot", str(client), "--dir", str(snaps)])
    assert result.exit_code == 1
    assert f"--- {snaps.as_posix()}/probe.docx.txt\n+++ {snaps.as_posix()}/probe.docx.txt\n" in result.output
    assert "-| Closed Won | Contract signed. |\n+| Closed Won | Contract countersigned. |\n" in result.output
    assert "+Closed Won: Contract countersigned.\n" in result.output  # the pdf's text
    assert "run with --update" in result.stderr


def test_missing_and_unexpected_snapshots_are_differences(runner, summary_only, client: Path, tmp_path: Path):
    snaps = tmp_path / "snaps"
    snaps.mkdir()
    (snaps / "gone.docx.txt").write_text("old\n", encoding="utf-8")
    (snaps / "crm" / "old").mkdir(parents=True)
    (snaps / "crm" / "old" / "gone.json.txt").write_text("{}\n", encoding="utf-8")
    # Written by an earlier update: its index lists them (files it did not write are never touched).
    (snaps / ".snapshots.json").write_text('{"files": ["crm/old/gone.json.txt", "gone.docx.txt"]}', encoding="utf-8")
    result = runner.invoke(cli, ["snapshot", str(client), "--dir", str(snaps)])
    assert result.exit_code == 1
    assert f"--- {snaps.as_posix()}/gone.docx.txt\n+++ /dev/null\n" in result.output
    assert f"--- /dev/null\n+++ {snaps.as_posix()}/stage-summary-v1.md.txt\n" in result.output
    updated = runner.invoke(cli, ["snapshot", str(client), "--dir", str(snaps), "--update"])
    assert f"removed {snaps / 'gone.docx.txt'}" in updated.output
    assert sorted(p.name for p in snaps.iterdir()) == [".snapshots.json", "stage-summary-v1.md.txt"]


def test_default_folder_is_snapshots_slash_client(runner, summary_only, client: Path, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(cli, ["snapshot", str(client), "--update"]).exit_code == 0
    assert (tmp_path / "snapshots" / "tiny-co" / "stage-summary-v1.md.txt").is_file()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("notes.md", b"a\r\nb", "a\nb\n"),
        ("data.json", b'{"a": 1}\n', '{"a": 1}\n'),
        ("crm/package.xml", b"<Package/>", "<Package/>\n"),
        (
            "blob.bin",
            b"\x00\x01",
            "binary file: 2 bytes, sha256 " + __import__("hashlib").sha256(b"\x00\x01").hexdigest() + "\n",
        ),
        ("bad.png", b"GIF89a", "not a PNG file (6 bytes)\n"),
    ],
)
def test_text_forms_by_suffix(name: str, data: bytes, expected: str):
    assert text_form(name, data) == expected


def test_example_client_matches_its_committed_snapshots(deliver_snapshot):
    deliver_snapshot(EXAMPLE, SNAPSHOTS / "acme-analytics")


def test_fixture_fails_a_users_test_with_the_diff(pytester, summary_only, client: Path, monkeypatch):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    snaps = pytester.path / "snaps"
    pytester.makepyfile(
        f"""
        pytest_plugins = ["deliverables.pytest_plugin"]

        def test_docs(deliver_snapshot):
            deliver_snapshot({str(client)!r}, {str(snaps)!r})
        """
    )
    first = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    first.assert_outcomes(failed=1)
    assert "deliverable snapshots differ (set DELIVER_UPDATE_SNAPSHOTS=1 to accept)" in first.stdout.str()
    monkeypatch.setenv("DELIVER_UPDATE_SNAPSHOTS", "1")
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    monkeypatch.delenv("DELIVER_UPDATE_SNAPSHOTS")
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_update_option_when_the_plugin_is_loaded_at_start_up(pytester, summary_only, client: Path, monkeypatch):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    snaps = pytester.path / "snaps"
    pytester.makepyfile(
        f"""
        def test_docs(deliver_snapshot):
            deliver_snapshot({str(client)!r}, {str(snaps)!r})
        """
    )
    plugin = ("-p", "no:cacheprovider", "-p", "deliverables.pytest_plugin")
    pytester.runpytest_inprocess(*plugin, "--deliver-update-snapshots").assert_outcomes(passed=1)
    assert (snaps / "stage-summary-v1.md.txt").is_file()
    pytester.runpytest_inprocess(*plugin).assert_outcomes(passed=1)
