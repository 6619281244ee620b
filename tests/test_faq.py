"""The FAQ: standard questions answered from the client's own definitions."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import pytest
from conftest import ARCHITECTURES, EXAMPLE, assert_golden
from docx_support import context, docx_text, edited, last_page_fill, render

from deliverables.core import stages as lookup
from deliverables.documents.words.templates import md, md_block


def faq(ctx) -> tuple[str, bytes]:
    """The Markdown text and the Word bytes."""
    files = render("faq", ctx)
    version = ctx.project.version
    assert sorted(files) == [f"faq-v{version}.docx", f"faq-v{version}.md"]
    return files[f"faq-v{version}.md"].decode("utf-8"), files[f"faq-v{version}.docx"]


def questions(markdown: str) -> list[str]:
    """The questions, in order."""
    return [line[3:] for line in markdown.splitlines() if line.startswith("## ")]


def answer(markdown: str, question_start: str) -> str:
    """The answer below the first question starting with `question_start`."""
    sections = markdown.split("\n## ")
    found = next(s for s in sections if s.startswith(question_start))
    return found.split("\n", 1)[1]


@pytest.mark.parametrize("path", ARCHITECTURES, ids=lambda p: p.stem)
def test_architecture_faq_matches_golden(path: Path):
    assert_golden(f"faq/{path.stem}.md", faq(context(path))[0])


def test_minimal_client_faq_asks_only_what_it_can_answer():
    markdown = faq(context(Path(__file__).parent / "cases" / "docx" / "minimal.yaml"))[0]
    assert_golden("faq/minimal.md", markdown)
    assert questions(markdown) == ["What is the difference between lifecycle stage and contact status?"]


def test_client_without_stages_gets_a_note_not_an_empty_faq(tmp_path: Path):
    client = tmp_path / "empty.yaml"
    client.write_text("client: {name: Empty}\n", encoding="utf-8")
    markdown, data = faq(context(client))
    note = "are answered here once the stage definitions are drafted."
    assert note in markdown and note in docx_text(data)


def test_standard_questions_come_first_then_the_clients_own():
    assert questions(faq(context(EXAMPLE))[0]) == [
        "What is the difference between Sales Accepted Lead (SAL) and Sales Qualified Lead (SQL)?",
        "When exactly do I move a lead to Marketing Qualified Lead (MQL)?",
        "What does First Time to Value mean for our product?",
        "How do I record a drop-off reason?",
        "What if a customer churns and then comes back?",
        "What is the difference between lifecycle stage and contact status?",
        "A current customer asks for a demo of a new module. Is that an MQL?",
        "Who moves a deal from SQL to SAO?",
        "A webinar attendee works at a target account. Do they skip the MQL score?",
    ]


def test_sal_answer_follows_the_clients_definition():
    before = answer(faq(context(EXAMPLE))[0], "What is the difference between Sales Accepted Lead")
    assert "checked that it is a real prospect and started the outreach sequence." in before
    text = edited(
        EXAMPLE,
        ("that it is a real prospect and started the outreach sequence.", "that the prospect was phoned twice."),
    )
    after = answer(faq(context(EXAMPLE, text))[0], "What is the difference between Sales Accepted Lead")
    assert "checked that the prospect was phoned twice." in after and "real prospect" not in after


def test_question_about_an_absent_stage_is_left_out():
    text = edited(
        EXAMPLE,
        ("  - id: sal\n    name: Sales Accepted Lead\n    abbr: SAL\n", "  - id: accepted\n    name: Accepted\n"),
    )
    text = (
        text.replace("to: sal\n", "to: accepted\n")
        .replace(" sal]", " accepted]")
        .replace("[sal,", "[accepted,")
        .replace(" sal]", " accepted]")
        .replace("[sal,", "[accepted,")
    )
    asked = questions(faq(context(EXAMPLE, text))[0])
    assert not any("SAL" in q for q in asked)
    assert "When exactly do I move a lead to Marketing Qualified Lead (MQL)?" in asked


def test_churn_question_needs_a_churn_stage():
    text = edited(EXAMPLE, ("    name: Churned\n", "    name: Lapsed\n"), ("  - id: churned\n", "  - id: lapsed\n"))
    text = text.replace("to: churned\n", "to: lapsed\n")
    assert "What if a customer churns and then comes back?" not in questions(faq(context(EXAMPLE, text))[0])


def test_stages_are_found_by_id_abbreviation_or_name():
    project = context(EXAMPLE).project
    assert lookup.stage(project, "sal").id == "sal"
    renamed = context(
        EXAMPLE,
        edited(EXAMPLE, ("  - id: sal\n", "  - id: accepted\n"))
        .replace("to: sal\n", "to: accepted\n")
        .replace(" sal]", " accepted]")
        .replace("[sal,", "[accepted,"),
    )
    assert lookup.stage(renamed.project, "sal").id == "accepted"
    by_name = context(
        EXAMPLE,
        edited(
            EXAMPLE,
            (
                "  - id: sal\n    name: Sales Accepted Lead\n    abbr: SAL\n",
                "  - id: accepted\n    name: sales accepted\n",
            ),
            (
                "  - id: sao\n    name: Sales Accepted Opportunity\n    abbr: SAO\n",
                "  - id: opp\n    name: Sales Accepted Opportunity\n",
            ),
        )
        .replace("to: sal\n", "to: accepted\n")
        .replace(" sal]", " accepted]")
        .replace("[sal,", "[accepted,")
        .replace("to: sao\n", "to: opp\n")
        .replace(" sao: ", " opp: "),
    )
    assert lookup.stage(by_name.project, "sal").id == "accepted"
    assert lookup.term(project, "ftv").term == "First Time to Value (FTV)"


def test_client_entry_with_the_same_question_replaces_the_standard_one():
    text = edited(EXAMPLE, ("faq:\n", "faq:\n  - q: what is the difference between SAL and SQL\n    a: Ask Dana.\n"))
    markdown = faq(context(EXAMPLE, text))[0]
    assert questions(markdown)[0] == "what is the difference between SAL and SQL"
    assert answer(markdown, "what is the difference between SAL and SQL") == "\nAsk Dana.\n"
    assert len(questions(markdown)) == 9


def test_template_syntax_in_client_text_prints_literally():
    text = edited(
        EXAMPLE,
        ("that it is a real prospect", "{{ 7*7 }} {% raw %}"),
        ("faq:\n", "faq:\n  - q: '{{ 7*7 }}?'\n    a: '{{ 8*8 }}'\n"),
    )
    markdown, data = faq(context(EXAMPLE, text))
    assert "{{ 7\\*7 }} {% raw %}" in markdown and "## {{ 7\\*7 }}?" in markdown and "{{ 8\\*8 }}" in markdown
    words = docx_text(data)
    assert "{{ 7*7 }} {% raw %}" in words and "{{ 8*8 }}" in words and "49" not in words


def test_markdown_escapes_client_markup_and_keeps_line_breaks():
    assert md_block("**bold** <b>\u2028- item\u20281. one") == "\\*\\*bold\\*\\* \\<b\\>  \n\\- item  \n1\\. one"
    # The one-line form (table cells, headings) keeps the escapes and turns breaks into spaces.
    assert md("**bold** <b>\u2028- item\n1. one") == "\\*\\*bold\\*\\* \\<b\\> \\- item 1\\. one"


def test_rebuild_is_byte_identical():
    assert faq(context(EXAMPLE)) == faq(context(EXAMPLE))


CLIENTS_DIR = Path(__file__).parent / "cases" / "clients"
CLIENTS = sorted(CLIENTS_DIR.glob("*.yaml"))


def _question_breaks(data: bytes) -> list[str]:
    """The questions that start a page of their own."""
    document = docx.Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs if p.paragraph_format.page_break_before]


def test_the_questions_that_would_run_over_a_nearly_empty_last_page_start_that_page():
    ctx = context(CLIENTS_DIR / "four-stage-v0.yaml")
    markdown, data = faq(ctx)
    # The last question alone would fill less than NEAR_EMPTY of a page: the one before it goes too.
    assert _question_breaks(data) == [f"2. {questions(markdown)[1]}"]
    # A FAQ whose last page is well filled flows without a forced break.
    assert _question_breaks(faq(context(CLIENTS_DIR / "salesforce-v3.yaml"))[1]) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("path", [*CLIENTS, *ARCHITECTURES], ids=lambda p: p.stem)
def test_no_faq_ends_on_a_nearly_empty_page(path: Path, tmp_path: Path):
    pages, fill = last_page_fill(faq(context(path))[1], tmp_path)
    assert pages == 1 or fill >= 0.2, f"last of {pages} pages filled to {fill:.0%}"


def test_the_faq_names_the_dated_next_meeting_on_its_cover_and_where_an_answer_may_change():
    path = CLIENTS_DIR / "four-stage-v0.yaml"
    markdown, data = faq(
        context(path, edited(path, ("meeting: kickoff\n", "meeting: kickoff\nnext_meeting: 2026-12-04\n")))
    )
    assert "\nNext meeting: Refinement 1 on 4 December 2026\n" in markdown
    assert "\nNext meeting: Refinement 1 on 4 December 2026\n" in docx_text(data)
    assert "may change at the Refinement 1 meeting on 4 December 2026." in markdown
    assert "the next meeting" not in markdown
    plain = faq(context(path))[0]
    assert "Next meeting" not in plain and "may change at the next meeting." in plain


def test_a_definition_without_its_full_stop_does_not_run_into_the_next_sentence():
    text = edited(EXAMPLE, ("or that has\n      asked for a demo.", "or that has\n      asked for a demo"))
    mql = answer(faq(context(EXAMPLE, text))[0], "When exactly do I move a lead to Marketing")
    assert "or that has asked for a demo. Leads usually arrive from" in mql
    quoted = edited(EXAMPLE, ("or that has\n      asked for a demo.", 'or that has\n      "asked for a demo."'))
    assert 'has "asked for a demo." Leads' in answer(faq(context(EXAMPLE, quoted))[0], "When exactly do I move")


def test_the_legend_explains_only_the_marks_the_answers_show():
    """The example's answers show ★ but no ASSUMED; the legend explained both."""
    from deliverables.core import marks

    example = faq(context(EXAMPLE))[0]
    assert marks.GOLDEN_LEGEND in example and marks.ASSUMED_LEGEND not in example
    standard = faq(context(next(p for p in ARCHITECTURES if p.stem == "standard")))[0]
    assert marks.GOLDEN_LEGEND in standard and marks.ASSUMED_LEGEND in standard
    minimal = faq(context(Path(__file__).parent / "cases" / "docx" / "minimal.yaml"))[0]
    assert "Golden stage" not in minimal and "---" not in minimal
