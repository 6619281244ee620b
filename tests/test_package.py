"""`deliver package`: the handoff zip, refused until final, DRAFT when forced."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from snapshot_probe import light_registry

from deliverables.cli import cli
from deliverables.commands.package import deterministic_zip
from deliverables.core.errors import DeliverError

CASES = Path(__file__).parent / "cases" / "versions"


@pytest.fixture(autouse=True)
def summary_only(monkeypatch) -> None:
    """Packaging is about the folder's files, not how each is rendered: build only the summary."""
    light_registry(monkeypatch)


FINAL = """\
client: {name: "Zed & <Co> \\"Ltd\\"", slug: zed}
version: 3
date: 2026-12-01
architect: Sam <Rivera>
stages:
  - {id: mql, name: MQL <b>bold</b>, domain: lead, status: confirmed}
  - {id: sql, name: SQL, domain: lead, status: confirmed, golden: true}
terms:
  - {term: MQL, definition: Scored lead, approvals: {marketing: approved}, status: confirmed}
"""


def unzip(path: Path) -> tuple[zipfile.ZipFile, dict[str, bytes]]:
    archive = zipfile.ZipFile(path)
    return archive, {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.fixture
def final_file(tmp_path: Path) -> Path:
    path = tmp_path / "zed.yaml"
    path.write_text(FINAL, encoding="utf-8")
    return path


def test_final_package_unzips_to_the_deliverables_with_verified_hashes(runner, final_file: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["package", str(final_file), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    target = out / "zed" / "zed-handoff-v3.zip"
    assert f"wrote {target}" in result.output
    archive, files = unzip(target)
    folder = out / "zed" / "v3"
    version_files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    version_files -= {"model.json", "manifest.json"}
    assert set(files) == {f"zed-handoff-v3/{n}" for n in version_files | {"index.html", "manifest.json"}}
    manifest = json.loads(files.pop("zed-handoff-v3/manifest.json"))
    assert manifest["draft"] is False and manifest["version"] == 3
    assert manifest["sha256"] == {n.split("/", 1)[1]: hashlib.sha256(d).hexdigest() for n, d in files.items()}
    assert archive.comment.decode() == 'Zed & <Co> "Ltd" handoff package v3'
    assert all(info.date_time == (2026, 12, 1, 0, 0, 0) for info in archive.infolist())


def test_index_links_every_file_with_its_purpose_and_escapes_client_text(runner, final_file: Path, tmp_path: Path):
    assert runner.invoke(cli, ["package", str(final_file), "--out", str(tmp_path)]).exit_code == 0
    _, files = unzip(tmp_path / "zed" / "zed-handoff-v3.zip")
    index = files["zed-handoff-v3/index.html"].decode()
    assert "<title>Zed &amp; &lt;Co&gt; &quot;Ltd&quot; — handoff package v3</title>" in index
    assert "Sam &lt;Rivera&gt;" in index and "<Co>" not in index and "<Rivera>" not in index
    assert (
        "<li>Stage summary: every stage by domain with entry criteria, exits, owner and status (Markdown).<ul>"
        '<li><a href="stage-summary-v3.md">stage-summary-v3.md</a></li></ul></li>' in index
    )
    assert "DRAFT" not in index


def test_package_is_refused_while_items_are_open(runner, tmp_path: Path):
    source = tmp_path / "v1.yaml"
    shutil.copy(CASES / "v1.yaml", source)
    result = runner.invoke(cli, ["package", str(source), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "Tiny Co v1 is not final: 5 open items: stage sal (ASSUMED); stage mql (ASSUMED)" in result.stderr
    assert "term SQL (ASSUMED, no approvals recorded)" in result.stderr and "--force" in result.stderr
    assert not (tmp_path / "tiny-co").exists()


def test_forced_package_is_stamped_draft(runner, tmp_path: Path):
    source = tmp_path / "v1.yaml"
    shutil.copy(CASES / "v1.yaml", source)
    result = runner.invoke(cli, ["package", str(source), "--out", str(tmp_path), "--force"])
    assert result.exit_code == 0, result.stderr
    archive, files = unzip(tmp_path / "tiny-co" / "tiny-co-handoff-v1-DRAFT.zip")
    assert archive.comment.decode().endswith("(DRAFT)")
    index = files["tiny-co-handoff-v1/index.html"].decode()
    assert '<p class="draft">DRAFT — 5 items still ASSUMED or awaiting approval' in index
    assert json.loads(files["tiny-co-handoff-v1/manifest.json"])["draft"] is True


def test_stale_version_folder_is_rebuilt_before_packaging(runner, final_file: Path, tmp_path: Path):
    assert runner.invoke(cli, ["build", str(final_file), "--out", str(tmp_path)]).exit_code == 0
    final_file.write_text(FINAL.replace("Scored lead", "Scored lead with intent"), encoding="utf-8")
    summary = tmp_path / "zed" / "v3" / "stage-summary-v3.md"
    summary.write_text("tampered", encoding="utf-8")
    assert runner.invoke(cli, ["package", str(final_file), "--out", str(tmp_path)]).exit_code == 0
    _, files = unzip(tmp_path / "zed" / "zed-handoff-v3.zip")
    assert files["zed-handoff-v3/stage-summary-v3.md"] == summary.read_bytes() != b"tampered"


def test_svg_diagram_is_shown_inline(final_file: Path):
    from deliverables.commands.package import Entry, index_html
    from deliverables.core.validate import load_project

    project = load_project(final_file)[0]
    entries = [Entry("notes.md", b""), Entry("lifecycle-diagram-v3.svg", b"<svg/>")]
    page = index_html(project, entries, False)
    # full width through CSS: HTML5 takes only a number of pixels in an img's width attribute
    assert '<img src="lifecycle-diagram-v3.svg" alt="Lifecycle architecture diagram">' in page
    assert "figure img { width: 100%; height: auto;" in page
    assert "width=" not in page
    assert '<li>Other files.<ul><li><a href="notes.md">notes.md</a></li>' in page


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "a/../../b", "a\\b"])
def test_unsafe_entry_names_are_refused(name: str):
    with pytest.raises(DeliverError):
        deterministic_zip({name: b"x"}, (1980, 1, 1, 0, 0, 0))


def test_duplicate_entry_names_are_refused():
    with pytest.raises(DeliverError, match="two files named"):
        deterministic_zip({"A.md": b"x", "a.md": b"y"}, (1980, 1, 1, 0, 0, 0))


def test_zip_entries_are_sorted_with_fixed_attributes():
    data = deterministic_zip({"b.md": b"2", "a/c.md": b"1"}, (1980, 1, 1, 0, 0, 0))
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert [i.filename for i in infos] == ["a/c.md", "b.md"]
    assert {(i.date_time, i.external_attr, i.compress_type) for i in infos} == {
        ((1980, 1, 1, 0, 0, 0), 0o100644 << 16, zipfile.ZIP_DEFLATED)
    }


def test_file_changed_by_hand_is_rebuilt_even_when_the_input_is_unchanged(runner, final_file: Path, tmp_path: Path):
    assert runner.invoke(cli, ["build", str(final_file), "--out", str(tmp_path)]).exit_code == 0
    summary = tmp_path / "zed" / "v3" / "stage-summary-v3.md"
    original = summary.read_bytes()
    summary.write_bytes(original.replace(b"MQL", b"XYZ"))  # same size: the fast path cannot tell
    assert runner.invoke(cli, ["package", str(final_file), "--out", str(tmp_path)]).exit_code == 0
    _, files = unzip(tmp_path / "zed" / "zed-handoff-v3.zip")
    assert files["zed-handoff-v3/stage-summary-v3.md"] == original == summary.read_bytes()
