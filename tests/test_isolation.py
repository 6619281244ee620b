"""One deliverable failing never blocks the others: they are written and promoted,
the failed one keeps its earlier files (or is absent), the manifest says why, the
build exits 1 and the package is refused unless forced."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from deliverables.cli import cli
from deliverables.core.errors import TemplateError

FINAL = """\
client: {name: Zed Co, slug: zed, crm: hubspot}
version: 3
date: 2026-12-01
architect: Sam Rivera
stages:
  - {id: mql, name: Marketing Qualified Lead, abbr: MQL, domain: lead, status: confirmed, owner: marketing}
  - {id: sql, name: Sales Qualified Lead, abbr: SQL, domain: sales, status: confirmed, golden: true, owner: sales}
terms:
  - {term: MQL, definition: Scored lead, approvals: {marketing: approved}, status: confirmed}
"""

LIGHT = ("summary", "definition-alignment", "reference-card", "faq")
"""Enough deliverables to show isolation, without paying for decks and the diagram."""


@pytest.fixture
def final_file(tmp_path: Path) -> Path:
    path = tmp_path / "zed.yaml"
    path.write_text(FINAL, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def light(monkeypatch) -> None:
    from deliverables.pipeline import registry

    monkeypatch.setattr(registry, "REGISTRY", {n: m for n, m in registry.REGISTRY.items() if n in LIGHT})


def explode(view, ctx):
    raise TemplateError("the branded base has no 'Card Title' style")


@pytest.fixture
def broken() -> pytest.MonkeyPatch:
    """Patches that the test can undo on its own (a mended template), and that end with it."""
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


def break_card(patch: pytest.MonkeyPatch) -> None:
    """The card's renderer raises, as with a branded base lacking a style."""
    patch.setattr("deliverables.documents.card.render", explode)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def deliverable_files(folder: Path) -> dict[str, list[str]]:
    record = json.loads((folder / "manifest.json").read_text())
    return {name: entry["files"] for name, entry in record["deliverables"].items()}


def test_first_build_with_a_failed_renderer_writes_every_other_deliverable(
    runner, final_file: Path, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "out"
    break_card(monkeypatch)
    result = runner.invoke(cli, ["build", str(final_file), "--out", str(out)])
    assert result.exit_code == 1
    message = f"{final_file}: error: reference-card failed (not written): the branded base has no 'Card Title' style"
    assert message in result.stderr.splitlines()
    folder = out / "zed" / "v3"
    record = json.loads((folder / "manifest.json").read_text())
    assert record["failed"] == {"reference-card": "the branded base has no 'Card Title' style"}
    assert record["deliverables"]["reference-card"] == {
        "action": "failed",
        "files": [],
        "reason": "the branded base has no 'Card Title' style",
    }
    owned = deliverable_files(folder)
    for name in ("summary", "definition-alignment", "faq"):
        assert owned[name] and all((folder / f).is_file() for f in owned[name])
    assert not [f for f in files_of(folder) if f.endswith(".pdf")]
    assert set(files_of(folder)) == set(record["files"]) | {"manifest.json"}


def test_a_failed_renderer_keeps_its_previous_files_and_the_rest_is_promoted(
    runner, final_file: Path, tmp_path: Path, broken
) -> None:
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(final_file), "--out", str(out)]).exit_code == 0
    folder = out / "zed" / "v3"
    before = files_of(folder)
    card = deliverable_files(folder)["reference-card"]
    faq = deliverable_files(folder)["faq"]
    break_card(broken)
    final_file.write_text(FINAL.replace("name: Marketing Qualified Lead,", "name: Marketing Lead,"), encoding="utf-8")
    result = runner.invoke(cli, ["build", str(final_file), "--out", str(out)])
    assert result.exit_code == 1
    assert "reference-card failed (kept its earlier files)" in result.stderr
    after = files_of(folder)
    assert card and {f: after[f] for f in card} == {f: before[f] for f in card}
    assert any(after[f] != before[f] for f in faq), "the FAQ shows the new name"
    record = json.loads((folder / "manifest.json").read_text())
    assert record["deliverables"]["reference-card"]["files"] == card
    assert record["deliverables"]["faq"]["action"] == "rebuilt"
    assert sorted(p.name for p in folder.parent.iterdir()) == ["v3"]

    # The failure is not "up to date": the next build tries the card again, and succeeds.
    broken.undo()
    again = runner.invoke(cli, ["build", str(final_file), "--out", str(out)])
    assert again.exit_code == 0, again.stderr
    record = json.loads((folder / "manifest.json").read_text())
    assert "failed" not in record
    assert record["deliverables"]["reference-card"]["action"] == "rebuilt"


def test_package_refuses_a_version_with_a_failed_deliverable_unless_forced(
    runner, final_file: Path, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "out"
    break_card(monkeypatch)
    refused = runner.invoke(cli, ["package", str(final_file), "--out", str(out)])
    assert refused.exit_code == 1
    assert (
        "Zed Co v3 has 1 failed deliverable: reference-card: the branded base has no 'Card Title' style"
        in refused.stderr
    )
    assert not list((out / "zed").glob("*.zip"))
    forced = runner.invoke(cli, ["package", str(final_file), "--out", str(out), "--force"])
    assert forced.exit_code == 0, forced.stderr
    target = out / "zed" / "zed-handoff-v3-DRAFT.zip"
    names = zipfile.ZipFile(target).namelist()
    assert not [n for n in names if n.endswith(".pdf")]
    assert [n for n in names if n.endswith(".docx")]


def test_a_consumer_of_a_failed_deliverable_fails_with_it(tmp_path: Path, monkeypatch) -> None:
    from deliverables.core.context import Consumes
    from deliverables.documents import faq
    from deliverables.pipeline.build import build_file

    monkeypatch.setattr(faq, "CONSUMES", (*faq.CONSUMES, Consumes("reference-card", ".pdf")))
    break_card(monkeypatch)
    source = tmp_path / "zed.yaml"
    source.write_text(FINAL, encoding="utf-8")
    result = build_file(source, tmp_path / "out", jobs=1)
    assert result.failed == {
        "reference-card": "the branded base has no 'Card Title' style",
        "faq": "it uses the files of 'reference-card', which failed",
    }
    assert "summary" in result.rebuilt and "definition-alignment" in result.rebuilt
