"""The artefact graph: what one deliverable consumes of another, or reads from
outside, is part of its key, so a change upstream reaches every file showing it."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from conftest import EXAMPLE, with_exports
from PIL import Image

from deliverables.cli import cli
from deliverables.pipeline import graph, registry

DECKS = ("kickoff-deck", "refinement-deck", "handoff-deck")


def _build(runner, source: Path, out: Path):
    result = runner.invoke(cli, ["build", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return result


def _deck_pictures(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as deck:
        return [deck.read(n) for n in sorted(deck.namelist()) if n.startswith("ppt/media/")]


def _png(colour: str, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def test_owner_change_redraws_the_diagram_every_deck_embeds(runner, tmp_path: Path) -> None:
    source = with_exports(tmp_path) / "acme.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    _build(runner, source, out)
    folder = out / "acme-analytics" / "v1"
    old_png = (folder / "lifecycle-architecture-v1.png").read_bytes()

    source.write_text(text.replace("    owner: sdr", "    owner: sales", 1), encoding="utf-8")
    _build(runner, source, out)
    new_png = (folder / "lifecycle-architecture-v1.png").read_bytes()
    assert new_png != old_png
    record = json.loads((folder / "manifest.json").read_text())["deliverables"]
    for deck in DECKS:
        assert record[deck]["action"] == "rebuilt", deck
        assert new_png in _deck_pictures(folder / f"{deck}-v1.pptx"), deck
        assert old_png not in _deck_pictures(folder / f"{deck}-v1.pptx"), deck


def test_replacing_the_logo_rebuilds_the_documents_that_show_it(runner, tmp_path: Path) -> None:
    source = with_exports(tmp_path) / "acme.yaml"
    source.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace(
            "  slug: acme-analytics", "  slug: acme-analytics\n  logo: logo.png"
        ),
        encoding="utf-8",
    )
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png("navy", (300, 100)))
    out = tmp_path / "out"
    _build(runner, source, out)
    document = out / "acme-analytics" / "v1" / "definition-alignment-v1.docx"
    before = document.read_bytes()

    replacement = _png("darkred", (320, 100))
    logo.write_bytes(replacement)
    result = _build(runner, source, out)
    assert "up to date" not in result.output
    after = document.read_bytes()
    assert after != before
    with zipfile.ZipFile(io.BytesIO(after)) as docx:
        assert replacement in [docx.read(n) for n in docx.namelist() if n.startswith("word/media/")]
    record = json.loads((document.parent / "manifest.json").read_text())["deliverables"]
    assert record["definition-alignment"]["reason"] == "external files changed"
    assert record["faq"]["action"] == "kept"


def test_a_consumer_is_planned_after_what_it_consumes() -> None:
    order = graph.closure(registry.names())
    for name in registry.names():
        for need in registry.load(name).CONSUMES:
            if need.suffix:
                assert order.index(need.deliverable) < order.index(name), (need.deliverable, name)


def test_only_a_deck_still_builds_the_diagram_it_consumes() -> None:
    assert graph.closure(["kickoff-deck"]) == ("diagram", "kickoff-deck")
