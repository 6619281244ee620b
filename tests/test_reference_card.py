"""The Stage Reference Card: one page for every realistic client, every stage and
criterion printed, client text shown literally, a clear error when it cannot fit."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from card_fixtures import client_yaml
from conftest import ARCHITECTURES, EXAMPLE, assert_golden, write
from pypdf import PdfReader

from deliverables.core.errors import BuildError
from deliverables.core.validate import load_project
from deliverables.pipeline.build import build_file

CARD = "reference-card"
SIXTY = client_yaml(60, long_every=6, split="never")
"""Sixty stages fit one page only below 7 pt: the card splits unless told never to."""
THREE = client_yaml(3, long_every=0, token_every=0, name="Three Co")


def build_card(source: Path, out: Path) -> tuple[bytes, list]:
    """Build only the card through the pipeline; its bytes and the warnings."""
    result = build_file(source, out, only=[CARD])
    # The whole card: a client that lists training audiences also gets one card per team.
    [pdf] = [
        p
        for p in result.folder.glob("stage-reference-card-v*.pdf")
        if re.fullmatch(r"stage-reference-card-v\d+", p.stem)
    ]
    return pdf.read_bytes(), result.warnings


def squeeze(text: str) -> str:
    """Text with whitespace and hyphens removed: line breaks may fall anywhere."""
    return re.sub(r"[\s\-‐]+", "", text)


def card_text(data: bytes) -> str:
    """The text of the card's only page."""
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def assert_every_stage_printed(source: Path, data: bytes) -> None:
    project, _ = load_project(source)
    text = squeeze(card_text(data))
    for stage in project.stages:
        assert squeeze(stage.label) in text, stage.label
        for criterion in stage.entry:
            assert squeeze(criterion) in text, criterion


CLIENTS = {
    "sixty-stages-long-criteria": SIXTY,
    "three-stages": THREE,
    "five-stages": client_yaml(5, criteria=2, long_every=2, name="Five Co"),
}


@pytest.mark.parametrize("name", sorted(CLIENTS))
def test_generated_client_fits_one_page_with_every_stage_and_criterion(name: str, tmp_path: Path) -> None:
    source = write(tmp_path / f"{name}.yaml", CLIENTS[name])
    data, _ = build_card(source, tmp_path / "out")
    assert_every_stage_printed(source, data)


@pytest.mark.parametrize("source", ARCHITECTURES + ([EXAMPLE] if EXAMPLE.is_file() else []), ids=lambda p: p.stem)
def test_shipped_files_fit_one_page_with_every_stage_and_criterion(source: Path, tmp_path: Path) -> None:
    data, _ = build_card(source, tmp_path / "out")
    assert_every_stage_printed(source, data)


def test_too_many_stages_fail_with_the_overflow_and_longest_stages_and_write_nothing(tmp_path: Path) -> None:
    source = write(tmp_path / "huge.yaml", client_yaml(120, criteria=3, name="Huge Co", split="never"))
    result = build_file(source, tmp_path / "out", only=[CARD])
    with pytest.raises(BuildError) as caught:
        result.raise_failed()
    assert caught.value.format_message() == (
        "1 deliverable failed: reference-card: the stages need about 177% more room than "
        "one letter page holds, even at the 6.5 pt floor in 6 columns with definitions left out. Longest "
        "stages: Stage 20 Reached After Qualification… (16 lines), Stage 80 Reached After Qualification… "
        "(16 lines), Stage 40 Reached After Qualification… (16 lines). Shorten their entry criteria, or split "
        "the card by team; the card never runs onto a second page."
    )
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.pdf"))


ESCAPES = """\
client: {name: "R&D <Labs>", crm: other}
version: 1
architect: "Ana & Bo"
stages:
  - id: a
    name: "R&D < 5%"
    domain: lead
    definition: "Uses <lifecycle> tags &amp; entities literally."
    entry: ["<b>not bold</b> & <lifecycle>", "score ≥ 60 → MQL, café"]
"""


def test_client_text_with_markup_characters_prints_literally(tmp_path: Path) -> None:
    source = write(tmp_path / "escapes.yaml", ESCAPES)
    data, warnings = build_card(source, tmp_path / "out")
    text = " ".join(card_text(data).split())
    for literal in (
        "R&D <Labs>",
        "R&D < 5%",
        "<lifecycle> tags &amp; entities",
        "<b>not bold</b> & <lifecycle>",
        "score ≥ 60 → MQL, café",
    ):
        assert literal in text
    assert not [w for w in warnings if w.where != "date"]


def test_characters_the_font_lacks_are_named_in_a_warning(tmp_path: Path) -> None:
    source = write(tmp_path / "cjk.yaml", THREE.replace("name: Stage 2 Reached", "name: 顧客 Stage 2 Reached"))
    _, warnings = build_card(source, tmp_path / "out")
    messages = [str(w) for w in warnings]
    assert messages == [
        f"{source}:17:11: stages[id=s2].name: warning: the reference card's font has no glyph for "
        "顧 (U+9867) 客 (U+5BA2) in this stage name; they print as empty boxes"
    ]


def test_rebuild_gives_identical_bytes(tmp_path: Path) -> None:
    source = write(tmp_path / "sixty.yaml", SIXTY)
    first, _ = build_card(source, tmp_path / "one")
    second, _ = build_card(source, tmp_path / "two")
    assert first == second


def test_a4_is_chosen_in_the_client_file(tmp_path: Path) -> None:
    data, _ = build_card(write(tmp_path / "three.yaml", THREE + "card: {page: a4}\n"), tmp_path / "out")
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(box.width), round(box.height)) == (842, 595)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) is not installed")
def test_every_word_lies_inside_the_page_margins(tmp_path: Path) -> None:
    data, _ = build_card(write(tmp_path / "sixty.yaml", SIXTY), tmp_path / "out")
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(data)
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    boxes = [
        tuple(map(float, m))
        for m in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', html)
    ]
    assert len(boxes) > 500
    for x_min, y_min, x_max, y_max in boxes:
        assert x_min >= 20 and x_max <= 792 - 20 and y_min >= 20 and y_max <= 612 - 20


def test_small_card_text_matches_golden(tmp_path: Path) -> None:
    data, _ = build_card(write(tmp_path / "three.yaml", THREE), tmp_path / "out")
    assert_golden("reference-card/three-stages.txt", card_text(data) + "\n")


def test_final_version_drops_assumed_flags_and_says_final(tmp_path: Path) -> None:
    confirmed = THREE.replace("status: assumed", "status: confirmed")
    data, _ = build_card(write(tmp_path / "final.yaml", confirmed), tmp_path / "out")
    text = " ".join(card_text(data).split())
    assert "ASSUMED" not in text
    assert "v3 · 20 November 2026 · Final" in text
    assert "every stage and term CONFIRMED · Questions about a stage: Sam Rivera, lifecycle architect" in text


def test_draft_flags_assumed_stages_and_counts_them_in_the_footer(tmp_path: Path) -> None:
    data, _ = build_card(write(tmp_path / "three.yaml", THREE), tmp_path / "out")
    text = " ".join(card_text(data).split())
    assert "Stage 2 Reached (S2) ASSUMED" in text and "Stage 1 Reached (S1) ASSUMED" not in text
    assert "1 of 3 items still ASSUMED" in text
