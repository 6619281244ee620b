"""The decks' design rules, checked on the example, a 4-stage v0 and a 60-stage client with the real
diagram: agenda timings, tracker, type sizes, legends, exhibits, fonts, and the reproducible base."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT
from deckcheck import agenda, context, kickers, named, open_deck, tracker
from decks_fixtures import big_client

from deliverables.backends import text as measure
from deliverables.core import marks
from deliverables.pipeline.build import render_files

CASES = Path(__file__).resolve().parent / "cases" / "decks"
CLIENTS = ("example", "four", "big")
DECKS = ("kickoff-deck", "refinement-deck", "handoff-deck")
CHROME = re.compile(r"^(Footer|Page number|Tracker \d+)$")
"""Shapes allowed below 12 pt: the footer, the page number and the tracker."""


def _context(client: str):
    if client == "example":
        return context(EXAMPLE)
    if client == "four":
        return context(CASES / "four.yaml")
    return context(CASES / "big.yaml", big_client(1), context(CASES / "big.yaml", big_client(0)).project)


@lru_cache(maxsize=4)
def decks(client: str) -> dict[str, bytes]:
    """Every deck of a client, built once with the real diagram."""
    ctx = _context(client)
    files, records, _ = render_files(ctx, list(DECKS))
    return {name: files[records[name]["files"][0]] for name in DECKS if records[name]["files"]}


def cases():
    """(client, deck) pairs that exist: no refinement deck before kickoff."""
    return [(c, d) for c in CLIENTS for d in DECKS if not (c == "four" and d == "refinement-deck")]


@pytest.mark.parametrize(("client", "name"), cases())
def test_agenda_timings_run_back_to_back_and_add_up_to_the_meeting(client: str, name: str) -> None:
    title, rows = agenda(decks(client)[name])
    minutes = int(title.split()[0])
    start = 0
    for time, _ in rows:
        begin, end = (int(x) for x in time.split("–"))
        assert begin == start and end > begin, rows
        start = end
    assert start == minutes


@pytest.mark.parametrize(("client", "name"), cases())
def test_tracker_follows_the_agenda_on_every_content_slide(client: str, name: str) -> None:
    data = decks(client)[name]
    topics = [topic for _, topic in agenda(data)[1]]
    agenda_at = kickers(data).index("AGENDA")
    for number, slide in enumerate(list(open_deck(data).slides)[agenda_at + 1 :], agenda_at + 2):
        labels, current = tracker(slide)
        assert labels in (topics, [str(i + 1) for i in range(len(topics))]), number
        assert current, f"slide {number} marks no section"


@pytest.mark.parametrize(("client", "name"), cases())
def test_slide_text_is_12pt_or_more_and_every_run_is_calibri(client: str, name: str) -> None:
    for number, slide in enumerate(open_deck(decks(client)[name]).slides, 1):
        for shape in slide.shapes:
            for runs in _runs(shape):
                for run in runs:
                    assert run.font.name == "Calibri", (number, shape.name, run.text)
                    if not CHROME.match(shape.name):
                        assert run.font.size.pt >= 12, (number, shape.name, run.text, run.font.size.pt)


def _runs(shape):
    if getattr(shape, "has_table", False) and shape.has_table:
        return [p.runs for row in shape.table.rows for c in row.cells for p in c.text_frame.paragraphs]
    return [p.runs for p in shape.text_frame.paragraphs] if shape.has_text_frame else []


@pytest.mark.parametrize(("client", "name"), cases())
def test_every_mark_shown_has_its_legend_on_the_same_slide(client: str, name: str) -> None:
    colours = {marks.GOLDEN: marks.GOLDEN_LINE, marks.ASSUMED: marks.ASSUMED_COLOUR}
    for number, slide in enumerate(open_deck(decks(client)[name]).slides, 1):
        legend = " ".join(s.text_frame.text for s in named(slide, "Legend"))
        for shape in slide.shapes:
            if shape.name in ("Legend", "Kicker", "Facts", "Diagram"):
                continue  # the facts beside the diagram say what each mark means in words
            for runs in _runs(shape):
                for run in runs:
                    for mark, colour in colours.items():
                        if mark in run.text and run.font.color.type is not None and str(run.font.color.rgb) == colour:
                            assert mark in legend, (number, shape.name, run.text)


@pytest.mark.parametrize(("client", "name"), cases())
def test_no_slide_is_sparse(client: str, name: str) -> None:
    for number, slide in enumerate(open_deck(decks(client)[name]).slides, 1):
        if slide.slide_layout.name == "Title Slide":
            continue
        body = [s for s in slide.shapes if s.name in ("Table", "Diagram") or s.name.startswith("Stage ")]
        bullets = [s for s in slide.placeholders if s.placeholder_format.idx == 1 and s.has_text_frame]
        assert body or sum(len(s.text_frame.paragraphs) for s in bullets) >= 3, number


@pytest.mark.parametrize("client", CLIENTS)
def test_diagram_fills_at_least_90_percent_of_the_width_it_is_given(client: str) -> None:
    from deliverables.backends.slides.base import open_base, placeholder, rect

    base = open_base((ROOT / "templates" / "base.pptx").read_bytes(), "base.pptx")
    for slide in open_deck(decks(client)["kickoff-deck"]).slides:
        for picture in named(slide, "Diagram"):
            if slide.slide_layout.name == "Exhibit":
                from pptx.enum.shapes import PP_PLACEHOLDER

                area = rect(placeholder(slide.slide_layout, (PP_PLACEHOLDER.PICTURE,)))
            else:
                area = base.content
            # The picture keeps its proportions: it fills the width, or, when it is taller
            # than the area, its height (and then it is shown on the wide Exhibit layout).
            wide = picture.width / 12700 >= 0.9 * area.width
            tall = picture.height / 12700 >= 0.9 * area.height
            assert wide or (tall and slide.slide_layout.name == "Exhibit"), (picture.width, picture.height, area)


def test_large_architecture_gets_an_overview_and_one_legible_slide_per_domain() -> None:
    ctx = _context("big")
    project = ctx.project
    prs = open_deck(decks("big")["kickoff-deck"])
    topics = kickers(decks("big")["kickoff-deck"])
    assert topics.count("LIFECYCLE ARCHITECTURE") == 1
    for domain in project.domain_order():
        name = project.domain_title(domain)
        pages = [s for s, k in zip(prs.slides, topics) if k == f"ARCHITECTURE · {name}".upper()]
        boxes = [b for page in pages for b in named(page, "Stage")]
        assert len(boxes) == len(project.stages_in(domain)), domain
        sizes = {run.font.size.pt for box in boxes for p in box.text_frame.paragraphs for run in p.runs}
        assert min(sizes) >= 12


def test_small_architecture_is_one_picture_without_domain_slides() -> None:
    topics = kickers(decks("example")["kickoff-deck"])
    assert topics.count("LIFECYCLE ARCHITECTURE") == 1
    assert not any(k.startswith("ARCHITECTURE ·") for k in topics)


def test_base_pptx_is_what_its_script_makes() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_base_pptx", ROOT / "scripts" / "make_base_pptx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == (ROOT / "templates" / "base.pptx").read_bytes()


def test_base_theme_declares_calibri_and_the_shared_mark_colours() -> None:
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    prs = open_deck((ROOT / "templates" / "base.pptx").read_bytes())
    theme = prs.slide_master.part.part_related_by(RT.THEME).blob.decode()
    assert theme.count('<a:latin typeface="Calibri"/>') == 2
    for colour in (marks.ACCENT, marks.GOLDEN_LINE, marks.ASSUMED_COLOUR):
        assert f'val="{colour}"' in theme
    assert [layout.name for layout in prs.slide_layouts] == [
        "Title Slide",
        "Title and Content",
        "Section Header",
        "Title Only",
        "Exhibit",
    ]


def test_office_fonts_are_measured_with_their_shipped_metric_twins() -> None:
    from fontTools.ttLib import TTFont

    fonts = ROOT / "templates" / "fonts"
    for family, licence in ((measure.CALIBRI, "Carlito-LICENSE.txt"), (measure.ARIAL, "LiberationSans-LICENSE.txt")):
        assert "SIL Open Font License" in (fonts / licence).read_text(encoding="utf-8")
        with TTFont(str(fonts / family.regular)) as font:
            glyph = font.getBestCmap()[ord("W")]
            expected = font["hmtx"].metrics[glyph][0] / font["head"].unitsPerEm * 10
        assert measure.text_width("W", 10, family=family) == pytest.approx(expected)
    # A glyph the twin lacks is measured as DejaVu draws it, the width a viewer's fallback takes.
    assert measure.missing(marks.GOLDEN, family=measure.CALIBRI) == marks.GOLDEN
    assert measure.text_width(marks.GOLDEN, 10, family=measure.CALIBRI) == measure.text_width(marks.GOLDEN, 10)
    assert measure.text_width("Lifecycle", 10, family=measure.CALIBRI) < measure.text_width("Lifecycle", 10)


def test_a_text_is_as_wide_as_its_characters_measured_one_by_one() -> None:
    """The widths summed from the character table are those of `char_width`, in the same
    order, so the same floats: glyphs a family has, and those it lacks (a viewer's fallback)."""
    texts = ["Lifecycle", "Marketing Qualified Lead ", "ÅÇÉ—“quoted”", marks.GOLDEN + " golden", "漢字 🚀 e\u0301", ""]
    for family in measure.FAMILIES.values():
        for bold in (False, True):
            widths = measure.family_widths(family, bold)
            for text in texts:
                assert measure._em(text, bold, family) == sum(measure.char_width(c, widths) for c in text), text


def test_wrapping_is_the_greedy_wrap_of_every_token() -> None:
    """Lines as a plain greedy wrap lays them out, long words broken and line breaks kept."""

    def greedy(runs, width, size, family):
        width *= measure.SAFETY
        lines, used = [[]], 0.0
        for token in measure._tokens(runs):
            if token[0] == "\n":
                lines[-1].append(token)
                lines.append([])
                used = 0.0
                continue
            wide = measure._width(token, size, family) > width
            for piece in measure._break_word(token, width, size, family) if wide else [token]:
                if lines[-1] and used + measure._width(piece, size, family) > width:
                    lines.append([])
                    used = 0.0
                lines[-1].append(piece)
                used += measure._advance(piece, size, family)
        return [list(line) for line in lines]

    words = " ".join(f"word{i}" for i in range(400))
    runs = [
        ((words, ""),),
        (("Entry ", "bold"), ("criteria met\nand logged ", ""), ("Supercalifragilistic" * 6, "golden")),
        ((" leading  and trailing  ", "muted"), ("\n\n", ""), ("漢字漢字漢字 " * 20, "")),
    ]
    for family in (measure.CALIBRI, measure.DEJAVU):
        for run in runs:
            for width, size in ((120.0, 12), (300.0, 16), (40.0, 20)):
                assert measure.wrap(run, width, size, family) == greedy(run, width, size, family)
