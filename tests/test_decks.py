"""The kickoff, refinement and handoff decks: content, fit, pagination, branding, determinism."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest
from conftest import EXAMPLE, assert_golden
from deckcheck import context, kickers, named, open_deck, outline, overflows, titles
from decks_fixtures import big_client

from deliverables.core.errors import TemplateError
from deliverables.pipeline import registry
from deliverables.pipeline.build import render_files

CASES = Path(__file__).resolve().parent / "cases" / "decks"
SMALL = CASES / "small.yaml"
DECKS = ("kickoff-deck", "refinement-deck", "handoff-deck")


FIXED_REGISTRY = {name: f"deliverables.documents.decks.{name.removesuffix('-deck')}" for name in DECKS}
FIXED_REGISTRY = {"summary": "deliverables.documents.summary", **FIXED_REGISTRY}


@pytest.fixture(autouse=True)
def _stand_ins(monkeypatch, request):
    """A stand-in diagram picture and a fixed registry: faster, and golden text that
    does not change whenever another deliverable is registered. Tests asking for the
    `real_diagram` or `real_registry` fixture opt out."""
    if "real_diagram" not in request.fixturenames:
        stand_in = lambda view, ctx: {f"{view['stem']}.png": _png(1600, 700)}  # noqa: E731
        monkeypatch.setattr("deliverables.documents.diagram.render", stand_in)
    if "real_registry" not in request.fixturenames:
        # The decks consume the diagram, so it stays registered, but is not listed.
        monkeypatch.setattr(registry, "REGISTRY", {**FIXED_REGISTRY, "diagram": "deliverables.documents.diagram"})
        monkeypatch.setattr(registry, "names", lambda: tuple(FIXED_REGISTRY))


@pytest.fixture
def real_diagram() -> None:
    """Opt out of the stand-in diagram."""


@pytest.fixture
def real_registry() -> None:
    """Opt out of the fixed registry."""


@lru_cache(maxsize=4)
def _png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def build(name: str, ctx) -> dict[str, bytes]:
    """One deliverable's files for a context, with what it consumes; its warnings land on `ctx`."""
    files, records, warnings = render_files(ctx, [name])
    ctx.warnings[:] = warnings
    return {file_name: files[file_name] for file_name in records[name]["files"]}


def one(name: str, ctx) -> bytes:
    """The single file of a deck."""
    files = build(name, ctx)
    assert len(files) == 1, files
    return next(iter(files.values()))


def small(version: int = 0, previous=None, **replacements: str):
    """The small fixture client at a version, with text replaced."""
    text = SMALL.read_text(encoding="utf-8").replace("version: 0", f"version: {version}")
    for old, new in replacements.items():
        text = text.replace(old, new)
    return context(SMALL, text, previous)


def big(version: int = 0, previous=None):
    """The generated 60-stage client."""
    return context(CASES / "big.yaml", big_client(version), previous)


_BIG: dict[tuple[str, int], bytes] = {}


def big_deck(name: str, version: int = 0) -> bytes:
    """A deck of the 60-stage client, built once per test session (v1 against v0)."""
    if (name, version) not in _BIG:
        _BIG[name, version] = one(name, big(version, big().project if version else None))
    return _BIG[name, version]


def example(previous=None):
    """The bundled example client (version 1)."""
    return context(EXAMPLE, None, previous)


def four():
    """A 4-stage v0: nothing confirmed, no audit, no terms."""
    return context(CASES / "four.yaml")


def test_small_client_kickoff_text_matches_golden() -> None:
    assert_golden("decks/small-kickoff-deck.txt", outline(one("kickoff-deck", small())))


def test_deck_embeds_the_real_diagram_scaled_to_fit(real_diagram) -> None:
    prs = open_deck(one("kickoff-deck", example()))
    pictures = [s for slide in prs.slides for s in named(slide, "Diagram")]
    assert len(pictures) == 1
    png = next(data for name, data in build("diagram", example()).items() if name.endswith(".png"))
    assert pictures[0].image.blob == png
    width, height = pictures[0].image.size
    shown = width * (1 - pictures[0].crop_left - pictures[0].crop_right)
    shown /= height * (1 - pictures[0].crop_top - pictures[0].crop_bottom)
    assert abs(pictures[0].width / pictures[0].height - shown) < 0.01
    assert pictures[0].left + pictures[0].width <= prs.slide_width


def test_refinement_deck_lists_changes_against_previous_version() -> None:
    v0 = small().project
    ctx = small(
        1,
        v0,
        **{
            "meeting: kickoff": "meeting: refinement-1",
            "status: confirmed\n    entry: [Contract signed]": "status: confirmed\n    entry: [Contract countersigned]",
            "    confirm_with: lee\n": "    confirm_with: lee\n    status: confirmed\n",
        },
    )
    assert_golden("decks/small-refinement-deck-v1.txt", outline(one("refinement-deck", ctx)))


def test_refinement_deck_is_not_built_for_version_zero() -> None:
    assert build("refinement-deck", small()) == {}


def test_changes_slide_is_left_out_and_the_build_warns_when_no_earlier_version_was_built() -> None:
    ctx = small(2)
    names = kickers(one("kickoff-deck", ctx))
    assert not any(k.startswith("CHANGES SINCE") for k in names)
    assert any("the documents leave out the changes since v1" in w.message for w in ctx.warnings)
    changed = small(1, small().project, **{"entry: [Contract signed]": "entry: [Contract countersigned]"})
    assert "CHANGES SINCE V0" in kickers(one("kickoff-deck", changed))


def test_kickoff_without_audit_leaves_current_state_out_of_slides_and_agenda() -> None:
    from deckcheck import agenda

    text = SMALL.read_text(encoding="utf-8").split("current_state:")[0] + "maintenance: {}\n"
    deck = one("kickoff-deck", context(SMALL, text))
    assert "CURRENT STATE" not in kickers(deck) and "CURRENT VS RECOMMENDED" not in kickers(deck)
    title, rows = agenda(deck)
    assert [topic for _, topic in rows] == ["Architecture", "Assumptions", "Terms", "Next steps"]
    assert rows[-1][0].endswith("–75") and title.startswith("75 minutes")
    # Without checks of its own, the handoff deck shows the standard ones the Maintenance Schedule prints.
    deck = one("handoff-deck", context(SMALL, text))
    assert {"MAINTENANCE · EVERY MONTH", "MAINTENANCE · EVERY QUARTER", "REFINEMENT TRIGGERS"} <= set(kickers(deck))
    assert "Stage conversion rate check" in outline(deck)


def test_open_questions_group_by_confirmer_with_the_unnamed_last() -> None:
    # The SAL stage names nobody to confirm it: its owner's lead (Sales: Lee Park) does.
    text = outline(one("kickoff-deck", small()))
    block = text.split("OPEN QUESTIONS")[1].split("=== slide")[0]
    groups = [line.split(" | ")[0].strip() for line in block.splitlines() if " | " in line]
    named = [g for g in groups if g and g != "Who confirms"]
    assert named == ["Lee Park, VP Sales", "Mo Chen, VP Marketing", "Ana Lima, VP Customer Success"]
    # Without an owner either, the item is grouped once under "Owner to be named", last.
    text = outline(one("kickoff-deck", small(**{"    owner: sales\n  - id: sql": "  - id: sql"})))
    block = text.split("OPEN QUESTIONS")[1].split("=== slide")[0]
    groups = [line.split(" | ")[0].strip() for line in block.splitlines() if " | " in line]
    assert [g for g in groups if g and g != "Who confirms"][-1] == "Owner to be named"


def test_maintenance_owner_is_architect_on_dedicated_engagement() -> None:
    ctx = small(**{"engagement: single-project": "engagement: dedicated"})
    assert "Owner: Sam Rivera (the architect runs these checks for you)." in outline(one("handoff-deck", ctx))


def test_client_text_is_printed_not_evaluated() -> None:
    assert "{{ 7*7 }}" in outline(one("kickoff-deck", small()))


def _package_slides(data: bytes) -> list:
    return [s for s in open_deck(data).slides if named(s, "Table") and " files: " in s.shapes.title.text]


def _package_documents(slide) -> dict[str, str]:
    """Each document of the package slide with its file count, read from the grouped rows."""
    out = {}
    for row in list(named(slide, "Table")[0].table.rows)[1:]:
        for item in row.cells[1].text.split("; "):
            title, _, count = item.rpartition(" (")
            out[title] = count.rstrip(")")
    return out


def test_documentation_package_counts_every_registered_deliverables_files(real_registry) -> None:
    from deliverables.documents.decks.handoff import _described

    ctx = small(1)
    [slide] = _package_slides(one("handoff-deck", ctx))
    documents = _package_documents(slide)
    expected = {}
    for name in registry.names():
        module = registry.load(name)
        found = module.files(ctx.project)
        if found:
            expected[_described(name, module.DESCRIPTION)[0]] = str(len(found))
    assert documents == expected
    rows = [[c.text for c in row.cells] for row in list(named(slide, "Table")[0].table.rows)[1:]]
    assert [r[0] for r in rows] == [
        "Everyone: the architecture",
        "The CRM administrator",
        "Running the lifecycle",
        "Training the teams",
        "The meetings",
    ]
    total = sum(int(r[2].split()[0]) for r in rows)
    assert total == sum(int(c) for c in expected.values())
    assert slide.shapes.title.text.startswith(f"{len(expected)} documents in {total} files")
    shown = " ".join(" ".join(r) for r in rows)
    assert "-v1." not in shown and "/" not in shown  # names and counts; the paths are in the package's index


def test_the_package_slide_of_the_example_is_one_slide(real_registry) -> None:
    [slide] = _package_slides(one("handoff-deck", example()))
    assert len(_package_documents(slide)) == len(
        [n for n in registry.names() if registry.load(n).files(example().project)]
    )


@pytest.mark.slow
def test_the_package_slide_stays_one_slide_at_150_stages(real_registry, tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from clients import enterprise

    ctx = context(enterprise(150, tmp_path / "meridian.yaml"))
    [slide] = _package_slides(one("handoff-deck", ctx))
    assert _package_documents(slide)["Stage Reference Card"] == str(
        len(registry.load("reference-card").files(ctx.project))
    )


@pytest.mark.parametrize("name", DECKS)
@pytest.mark.parametrize("client", ["example", "four", "big"])
def test_no_text_exceeds_its_box(name: str, client: str) -> None:
    if client == "four" and name == "refinement-deck":
        pytest.skip("no refinement deck before kickoff")
    data = {"example": lambda: one(name, example()), "four": lambda: one(name, four())}.get(
        client, lambda: big_deck(name, 1)
    )()
    assert list(overflows(data)) == []


def test_overflow_check_catches_text_too_long_for_its_box() -> None:
    import io

    from pptx import Presentation
    from pptx.util import Pt

    prs = Presentation()
    box = prs.slides.add_slide(prs.slide_layouts[6]).shapes.add_textbox(0, 0, Pt(100), Pt(20))
    box.text_frame.word_wrap = True
    box.text_frame.text = "far too many words to fit a box of one short line " * 3
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    out = io.BytesIO()
    prs.save(out)
    assert len(list(overflows(out.getvalue()))) == 1


def test_long_tables_continue_on_cont_slides() -> None:
    data = big_deck("kickoff-deck", 1)
    names, topics = titles(data), kickers(data)
    questions = [n for n, k in zip(names, topics) if k == "OPEN QUESTIONS"]
    assert not questions[0].endswith("(cont.)") and len(questions) >= 6
    assert all(n == questions[0] + " (cont.)" for n in questions[1:])
    assert any(n.endswith("(cont.)") for n, k in zip(names, topics) if k == "CURRENT VS RECOMMENDED")


def test_handoff_tables_continue_for_long_schedules() -> None:
    data = big_deck("handoff-deck", 1)
    for topic in ("MAINTENANCE · EVERY MONTH", "REFINEMENT TRIGGERS"):
        assert any(n.endswith("(cont.)") for n, k in zip(titles(data), kickers(data)) if k == topic)


@pytest.mark.parametrize("name", DECKS)
def test_every_slide_has_speaker_notes_saying_what_to_say_ask_and_decide(name: str) -> None:
    for number, slide in enumerate(open_deck(one(name, small(1, small().project))).slides, 1):
        notes = slide.notes_slide.notes_text_frame.text
        assert all(f"{part}: " in notes for part in ("Say", "Ask", "Decide")), (number, notes)
        # each its own paragraph, an empty one between, as the notes read aloud
        assert "\nAsk: " not in notes.replace("\n\nAsk: ", "") and "\nDecide: " not in notes.replace(
            "\n\nDecide: ", ""
        ), (
            number,
            notes,
        )


@pytest.mark.parametrize("name", DECKS)
def test_rebuild_is_byte_identical(name: str) -> None:
    assert one(name, small(1, small().project)) == one(name, small(1, small().project))


def test_core_properties_come_from_the_input() -> None:
    props = open_deck(one("kickoff-deck", small())).core_properties
    assert (props.title, props.author, props.created.date().isoformat()) == (
        "Brightline Software: lifecycle kickoff",
        "Sam Rivera",
        "2026-11-06",
    )


def test_base_lacking_layouts_and_placeholders_names_all_of_them(tmp_path: Path) -> None:
    from pptx import Presentation

    prs = Presentation(str(Path(__file__).resolve().parent.parent / "templates" / "base.pptx"))
    prs.slide_layouts.remove(prs.slide_layouts.get_by_name("Title Only"))
    body = next(
        p for p in prs.slide_layouts.get_by_name("Title and Content").placeholders if p.placeholder_format.idx == 1
    )
    body._element.getparent().remove(body._element)
    prs.save(str(tmp_path / "base.pptx"))
    ctx = small()
    ctx.theme = tmp_path
    with pytest.raises(TemplateError) as caught:
        build("kickoff-deck", ctx)
    assert caught.value.message == (  # a theme set on the context, as --theme does
        f"--theme: {tmp_path / 'base.pptx'}: the base presentation cannot be used: "
        "slide layout 'Title and Content' has no body placeholder; "
        "no slide layout named 'Title Only' (it has 'Title Slide', 'Title and Content', 'Section Header', 'Exhibit')"
    )


def test_branded_base_from_theme_folder_is_used_without_its_sample_slides(tmp_path: Path) -> None:
    from pptx import Presentation

    prs = Presentation(str(Path(__file__).resolve().parent.parent / "templates" / "base.pptx"))
    prs.slides.add_slide(prs.slide_layouts.get_by_name("Title Slide")).shapes.title.text = "Sample slide"
    prs.core_properties.subject = "Brand"
    prs.save(str(tmp_path / "base.pptx"))
    ctx = small()
    ctx.theme = tmp_path
    branded = one("kickoff-deck", ctx)
    assert open_deck(branded).core_properties.subject == "Brand"
    assert "Sample slide" not in outline(branded)
    assert titles(branded) == titles(one("kickoff-deck", small()))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_decks_convert_with_libreoffice(tmp_path: Path) -> None:
    for name in DECKS:
        (tmp_path / f"{name}.pptx").write_bytes(one(name, small(1, small().project)))
    command = [
        "soffice",
        f"-env:UserInstallation=file://{tmp_path}/lo",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp_path),
        *sorted(str(p) for p in tmp_path.glob("*.pptx")),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == [f"{n}.pdf" for n in sorted(DECKS)]


def test_package_lists_what_each_deliverable_files_hook_names(monkeypatch) -> None:
    import sys
    import types

    extra = types.ModuleType("extra_deliverable")
    extra.NAME, extra.SUFFIXES, extra.DESCRIPTION = "extra", (".txt",), "Extra notes: one more file."
    extra.CONSUMES, extra.EXTERNAL = (), ()
    extra.files = lambda project: (f"extra-notes-v{project.version}.txt",)
    extra.view = lambda project, ctx: None
    extra.render = lambda view, ctx: {}
    monkeypatch.setitem(sys.modules, "extra_deliverable", extra)
    monkeypatch.setattr(registry, "REGISTRY", {**registry.REGISTRY, "extra": "extra_deliverable"})
    monkeypatch.setattr(registry, "names", lambda: (*FIXED_REGISTRY, "extra"))
    text = outline(one("handoff-deck", small()))
    assert "Other documents | Extra notes (1) | 1 file (TXT)" in text


UNDATED_NEXT = ("next_meeting: 2026-12-04\n", "")


@pytest.mark.parametrize("deck", ["kickoff-deck", "refinement-deck"])
def test_next_steps_are_due_by_the_next_meeting_date_when_the_file_gives_one(deck: str, tmp_path: Path) -> None:
    from docx_support import edited
    from ooxml import validate_package

    dated_file = one(deck, example())
    dated = outline(dated_file)
    undated = outline(one(deck, context(EXAMPLE, edited(EXAMPLE, UNDATED_NEXT))))
    step = "   Priya Raman, VP Marketing: approve or reword SQL (Sales Qualified Lead), "
    assert f"{step}by 4 December 2026 (Refinement 2)\n" in dated
    assert f"{step}before the Refinement 2 meeting\n" in undated
    assert "send it ahead of the Refinement 2 meeting on 4 December 2026." in dated
    assert "send it before the next meeting." in undated
    assert "4 December 2026" not in undated
    (tmp_path / f"{deck}.pptx").write_bytes(dated_file)
    assert validate_package(tmp_path / f"{deck}.pptx") == []


def test_after_the_last_review_meeting_next_steps_are_due_before_signoff_by_the_date() -> None:
    later = {"meeting: kickoff": "meeting: final-review\nnext_meeting: 2026-11-20"}
    dated = outline(one("refinement-deck", small(2, **later)))
    undated = outline(one("refinement-deck", small(2, **{"meeting: kickoff": "meeting: final-review"})))
    assert ", before sign-off, by 20 November 2026\n" in dated
    assert "send it ahead of the handoff meeting on 20 November 2026." in dated
    assert ", before sign-off\n" in undated


def test_after_the_final_review_the_next_steps_name_the_handoff_meeting() -> None:
    """The agenda promises who does what before the handoff and who attends it; the last slide says so."""
    later = {"meeting: kickoff": "meeting: final-review\nnext_meeting: 2026-11-20"}
    text = outline(one("refinement-deck", small(2, **later)))
    assert "Who does what before Handoff on 20 November 2026, and who attends it" in text
    steps = text.rsplit("=== slide", 1)[-1]
    assert "   Handoff on 20 November 2026\n" in steps
    assert "Handing over the architecture, the documentation package and the maintenance schedule" in steps
    assert "Who attends: " in steps
    assert "Final architecture" not in text


SETTLED = {
    "    status: confirmed\n": "",
    "    domain: ": "    status: confirmed\n    domain: ",
    "lee: pending": "lee: approved",
    "ana: rejected": "ana: approved",
}
"""Edits of the small client that leave nothing ASSUMED and every approval given."""


def test_with_nothing_assumed_the_agenda_gives_the_open_items_time_to_the_sign_off() -> None:
    """No open-items slide follows, so the agenda must not promise 25 minutes of ASSUMED items."""
    ctx = small(2, **{"meeting: kickoff": "meeting: final-review", **SETTLED})
    assert ctx.project.assumed_count() == 0
    text = outline(one("refinement-deck", ctx))
    agenda = text[text.index("=== slide 2 ") : text.index("=== slide 3 ")]
    assert "60 minutes to sign off v2\n" in agenda
    assert "| Sign-off | Nothing is ASSUMED any more: each leader signs for the definitions in their scope" in agenda
    assert "ASSUMED item" not in agenda and "open items" not in agenda


def test_a_kickoff_with_nothing_assumed_gives_the_assumptions_time_to_a_discussion() -> None:
    ctx = small(0, **SETTLED)
    assert ctx.project.assumed_count() == 0
    text = outline(one("kickoff-deck", ctx))
    agenda = text[text.index("=== slide 2 ") : text.index("=== slide 3 ")]
    assert "| Discussion | Every item is confirmed: questions on the definitions" in agenda
    assert "ASSUMED item" not in agenda and "assumptions block" not in agenda


def test_refinement_next_steps_title_names_the_meeting_or_its_date() -> None:
    from docx_support import edited

    dated = titles(one("refinement-deck", example()))
    undated = titles(one("refinement-deck", context(EXAMPLE, edited(EXAMPLE, UNDATED_NEXT))))
    head = "v2 follows from today's answers; 4 people have next steps "
    assert f"{head}by 4 December 2026" in dated
    assert f"{head}before the Refinement 2 meeting" in undated
    assert "20 November 2026" not in undated


def test_the_next_meeting_carries_its_date_in_the_plan_and_the_refinement_next_steps() -> None:
    from docx_support import edited

    undated_ctx = lambda: context(EXAMPLE, edited(EXAMPLE, UNDATED_NEXT))  # noqa: E731
    plan, plain = outline(one("kickoff-deck", example())), outline(one("kickoff-deck", undated_ctx()))
    assert "   Refinement 2 / 4 December 2026 | Customer lifecycle stages" in plan
    assert "   Refinement 2 | Customer lifecycle stages" in plain
    after, bare = outline(one("refinement-deck", example())), outline(one("refinement-deck", undated_ctx()))
    assert "   Refinement 2 on 4 December 2026\n" in after
    assert "   Refinement 2\n" in bare


def test_next_step_names_are_quoted_only_when_one_holds_an_and_of_its_own() -> None:
    from deliverables.documents.decks.common import _named

    assert _named(["Target Account", "Former Customer"], "stage") == "Target Account and Former Customer"
    assert _named(["Proposal Sent and Verbal Commit", "Mature Adoption"], "term") == (
        "\u201cProposal Sent and Verbal Commit\u201d and \u201cMature Adoption\u201d"
    )
    assert _named(["Proposal Sent and Verbal Commit"], "term") == "Proposal Sent and Verbal Commit"
    assert _named(["A", "B", "C", "D"], "term") == "4 terms"


@pytest.mark.parametrize("deck", ["kickoff-deck", "refinement-deck"])
def test_the_title_slide_and_agenda_name_the_next_meeting_only_when_it_is_dated(deck: str) -> None:
    from docx_support import edited

    dated = outline(one(deck, example()))
    undated = outline(one(deck, context(EXAMPLE, edited(EXAMPLE, UNDATED_NEXT))))
    assert (
        "   Lifecycle architecture v1 · 20 November 2026 · Sam Rivera / Next meeting: Refinement 2 on 4 December 2026\n"
        in dated
    )
    assert "Next meeting:" not in undated
    row = "Refinement 2 on 4 December 2026"
    assert [line for line in dated.splitlines() if "| Next steps |" in line and row in line]
    assert not [line for line in undated.splitlines() if "| Next steps |" in line and "4 December" in line]


def test_the_kickoff_says_a_meeting_is_booked_only_when_its_date_is_known() -> None:
    from docx_support import edited

    dated = outline(one("kickoff-deck", example()))
    undated = outline(one("kickoff-deck", context(EXAMPLE, edited(EXAMPLE, UNDATED_NEXT))))
    assert (
        "   Refinement 2 on 4 December 2026 is booked; the meetings on the next slide name who attends each.\n" in dated
    )
    assert "is booked;" not in undated and "meeting booked" not in undated
    assert "   The meetings on the next slide are to be booked with the people named there.\n" in undated
    assert "and everyone needed at Refinement 2 on 4 December 2026 confirmed before they leave." in dated
    assert "and a date for the Refinement 2 meeting before everyone leaves." in undated


def test_the_kickoff_counts_the_meetings_it_points_to() -> None:
    from docx_support import edited

    last = outline(
        one("kickoff-deck", context(EXAMPLE, edited(EXAMPLE, ("meeting: refinement-1", "meeting: refinement-2"))))
    )
    assert "   Final review on 4 December 2026 is booked; the next slide names who attends it.\n" in last
    assert "the meetings on the next slide" not in last


def test_the_values_no_stage_matches_are_counted_when_only_the_first_are_named() -> None:
    # 13 values, 5 named: the line said '13 values match ...: Customer (6), ..., Other (4)' and stopped.
    text = outline(one("kickoff-deck", context(EXAMPLE)))
    assert (
        "   13 values match no proposed stage: Customer (6), Nurture (6), Contract Sent (6), Opportunity (4), Other (4) and 8 more\n"
        in text
    )


def test_each_naming_gotcha_of_the_crm_is_one_line_naming_every_value_that_shows_it() -> None:
    # 'Nurture' and 'Working' are the same gotcha: the slide gave its explanation once a value.
    text = outline(one("kickoff-deck", context(EXAMPLE)))
    slide = text.split("WHAT THE CRM SHOWS")[0].split("=== slide")[-1]
    assert slide.count("a contact-status word") == 1
    assert "   'Nurture' and 'Working': a contact-status word (New, Working, Nurture, Engaged, ...)" in slide
    assert "   'Onboarding': a customer-success stage inside a sales pipeline.\n" in slide


def test_the_data_quality_line_names_only_the_problems_found() -> None:
    # Every record of the example has a date: the line began '0 records without any date'.
    text = outline(one("kickoff-deck", context(EXAMPLE)))
    assert "   Data quality: 5 entry dates in the future and 5 records with dates against the flow\n" in text
    assert "Data quality: 0" not in text
