"""Training decks and talk tracks: one per team owning stages (or per listed audience),
timed to the session's length, every slide with speaker notes; text compared with goldens."""

from __future__ import annotations

import io
from pathlib import Path

import pptx
from conftest import EXAMPLE, assert_golden
from docx_support import context, edited, render

from deliverables.backends.readers import text_form

CLIENTS = Path(__file__).parent / "cases" / "clients"
SALESFORCE = CLIENTS / "salesforce-v3.yaml"


def built(path: Path, text: str | None = None) -> tuple[dict[str, bytes], list[str]]:
    ctx = context(path, text)
    files = render("training", ctx)
    return files, [w.message for w in ctx.warnings]


def test_example_has_one_deck_and_talk_track_per_listed_audience() -> None:
    files, _ = built(EXAMPLE)
    teams = ("marketing", "sdr-team", "sales", "customer-success", "revops")
    assert sorted(files) == sorted([f"training-{t}-v1.pptx" for t in teams] + [f"talk-track-{t}-v1.md" for t in teams])


def test_example_sdr_deck_and_talk_track_match_goldens() -> None:
    files, _ = built(EXAMPLE)
    assert_golden("training/acme-sdr-team-deck.txt", text_form("d.pptx", files["training-sdr-team-v1.pptx"]))
    assert_golden("training/acme-sdr-team-talk-track.md", files["talk-track-sdr-team-v1.md"].decode("utf-8"))


def test_salesforce_client_gets_a_deck_per_owning_team_and_matches_golden() -> None:
    files, _ = built(SALESFORCE)
    decks = sorted(name for name in files if name.endswith(".pptx"))
    assert decks == [
        "training-customer-success-v3.pptx",
        "training-marketing-v3.pptx",
        "training-revops-v3.pptx",
        "training-sales-v3.pptx",
    ]
    assert_golden("training/salesforce-sales-deck.txt", text_form("d.pptx", files["training-sales-v3.pptx"]))


def test_every_slide_has_speaker_notes() -> None:
    files, _ = built(EXAMPLE)
    for name, data in files.items():
        if name.endswith(".pptx"):
            deck = pptx.Presentation(io.BytesIO(data))
            for number, slide in enumerate(deck.slides, 1):
                notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
                assert notes.strip(), f"{name} slide {number} has no notes"


def test_technical_session_is_45_minutes_and_end_user_30_by_default() -> None:
    files, _ = built(EXAMPLE)
    assert "A 45-minute technical session on 13 January 2027, run by Tom Nguyen, CRM Administrator." in (
        files["talk-track-revops-v1.md"].decode()
    )
    assert (
        "A 30-minute team session on 11 January 2027, run by Sam Rivera."
        in files["talk-track-marketing-v1.md"].decode()
    )


def test_session_lengths_are_configurable_and_the_agenda_adds_up() -> None:
    text = edited(EXAMPLE, ("  trainer: Sam Rivera\n", "  trainer: Sam Rivera\n  sessions: {end-user: 40}\n"))
    files, _ = built(EXAMPLE, text)
    deck = text_form("d.pptx", files["training-sales-v1.pptx"])
    assert "title: 40 minutes to move records the same way, every time" in deck
    assert "| 36–40 | Questions | Where to ask, and your questions |" in deck


def test_an_audience_owning_no_stage_gets_a_warning_and_no_deck() -> None:
    text = edited(EXAMPLE, ("    - {team: revops, date:", "    - {team: finance}\n    - {team: revops, date:"))
    text = text.replace("departments: [sdr]", "departments: [sdr, finance]")
    files, warnings = built(EXAMPLE, text)
    assert not any("finance" in name for name in files)
    assert "no stage belongs to the team 'finance': no training deck is made for it" in warnings


def test_without_audiences_every_team_owning_stages_is_trained() -> None:
    start = EXAMPLE.read_text(encoding="utf-8").index("  audiences:\n")
    text = EXAMPLE.read_text(encoding="utf-8")
    end = text.index("\ncurrent_state:")
    files, _ = built(EXAMPLE, text[:start] + text[end:])
    assert sorted(n for n in files if n.endswith(".pptx")) == [
        "training-customer-success-v1.pptx",
        "training-marketing-v1.pptx",
        "training-revops-v1.pptx",
        "training-sales-v1.pptx",
        "training-sdr-team-v1.pptx",
    ]


def _decks() -> list[tuple[str, bytes]]:
    found = []
    for path in (EXAMPLE, SALESFORCE):
        files, _ = built(path)
        found += [(name, data) for name, data in sorted(files.items()) if name.endswith(".pptx")]
    return found


def test_training_decks_follow_the_deck_design_rules() -> None:
    from deckcheck import agenda, open_deck, tracker

    for name, data in _decks():
        title, rows = agenda(data)
        start = 0
        for time, _ in rows:
            begin, end = (int(x) for x in time.split("–"))
            assert begin == start and end > begin, (name, rows)
            start = end
        assert start == int(title.split()[0]), name
        topics = [topic for _, topic in rows]
        slides = list(open_deck(data).slides)
        for number, slide in enumerate(slides[2:], 3):
            labels, current = tracker(slide)
            assert labels == topics and current, (name, number)
            body = [s for s in slide.shapes if s.name == "Table"]
            bullets = [s for s in slide.placeholders if s.placeholder_format.idx == 1 and s.has_text_frame]
            assert body or sum(len(s.text_frame.paragraphs) for s in bullets) >= 3, (name, number)
            for shape in slide.shapes:
                frames = (
                    [c.text_frame for row in shape.table.rows for c in row.cells]
                    if getattr(shape, "has_table", False) and shape.has_table
                    else [shape.text_frame]
                    if shape.has_text_frame
                    else []
                )
                for run in (r for f in frames for p in f.paragraphs for r in p.runs):
                    assert run.font.name == "Calibri", (name, number, run.text)
                    if shape.name not in ("Footer", "Page number") and not shape.name.startswith("Tracker"):
                        assert run.font.size.pt >= 12, (name, number, shape.name, run.text)


def test_leadership_session_covers_the_golden_stages_metrics_and_red_flags() -> None:
    text = edited(
        EXAMPLE,
        (
            "    - {team: revops, date: 2027-01-13, trainer: crm-admin}\n",
            "    - {team: revops, date: 2027-01-13, trainer: crm-admin}\n    - {team: leadership}\n",
        ),
    )
    files, _ = built(EXAMPLE, text)
    deck = text_form("d.pptx", files["training-leadership-v1.pptx"])
    titles = [line for line in deck.splitlines() if line.startswith("title: ")]
    assert titles == [
        "title: Leadership: working the Acme Analytics lifecycle",
        "title: 30 minutes to move records the same way, every time",
        "title: One set of stage definitions means Acme Analytics' reports mean the same thing to every team",
        "title: Move a record to Sales Qualified Lead (SQL) only when both entry criteria are true",
        "title: Move a record to Closed Won only when both entry criteria are true",
        "title: Move a record to Early Adoption only when both entry criteria are true",
        "title: 6 metric categories tell you whether the lifecycle is healthy",
        "title: 4 red flags mean it is time to act",
        "title: Questions have a home: office hours every week for the first 2 weeks",
    ]
    assert "| 0–3 | Why |" in deck and "| 10–19 | Metrics |" in deck and "| 26–30 | Questions |" in deck
    assert "| Conversion | What share of records moves on from each stage? | Monthly |" in deck


def test_a_draft_is_never_called_signed_off_in_the_training() -> None:
    files, _ = built(CLIENTS / "four-stage-v0.yaml")
    for name, data in files.items():
        text = data.decode("utf-8") if name.endswith(".md") else text_form(name, data)
        assert "signed off by" not in text, name
        assert "once each team's leader has signed them off" in text, name


def test_the_speaker_notes_ask_about_a_stage_whatever_its_name_begins_with() -> None:
    """A stage named 'At Risk ...' is asked about as 'in the At Risk ... stage', never 'at At Risk'."""
    files, _ = built(EXAMPLE, edited(EXAMPLE, ("    name: Implementation\n", "    name: At Risk Implementation\n")))
    tracks = "\n".join(v.decode("utf-8") for k, v in files.items() if k.endswith(".md"))
    assert "would it be in the At Risk Implementation stage today?" in tracks
    assert "at At " not in tracks


def test_a_client_whose_name_begins_with_the_is_not_given_a_second_article() -> None:
    """'Sales: working the The Hartley Group lifecycle' on every training deck's title slide."""
    files, _ = built(EXAMPLE, edited(EXAMPLE, ("  name: Acme Analytics\n", "  name: The Hartley Group\n")))
    decks = [text_form(k, v) for k, v in files.items() if k.endswith(".pptx")]
    assert decks and all(": working The Hartley Group lifecycle" in d for d in decks)
    assert not any("the The" in d for d in decks)
    assert ": working the Acme Analytics lifecycle" in text_form(*next(iter(built(EXAMPLE)[0].items())))


def test_a_stage_without_a_definition_is_not_given_its_name_as_its_meaning() -> None:
    undefined = edited(
        EXAMPLE,
        (
            "    definition: >-\n      The customer has met their CSM, the success plan is agreed and the\n"
            "      First Time to Value target date is set.\n",
            "",
        ),
    )
    files, _ = built(EXAMPLE, undefined)
    deck = next(text_form(k, v) for k, v in files.items() if k.endswith(".pptx") and "customer-success" in k)
    slide = next(s for s in deck.split("=== slide") if "title: Move a record to Onboarding" in s)
    assert "What it means" not in slide and "Entry criteria" in slide
