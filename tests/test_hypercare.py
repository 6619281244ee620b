"""Hypercare Plan: weekly office hours dated from the launch, what is watched each week,
who answers what, the training sessions and the enablement sign-off; text goldens."""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLE, assert_golden
from docx_support import context, docx_text, edited, render

SALESFORCE = Path(__file__).parent / "cases" / "clients" / "salesforce-v3.yaml"


def plan(path: Path, text: str | None = None) -> str:
    files = render("hypercare", context(path, text))
    return docx_text(files[next(iter(files))])


def test_example_plan_matches_golden() -> None:
    assert_golden("hypercare/acme-analytics.txt", plan(EXAMPLE))


def test_salesforce_plan_matches_golden() -> None:
    assert_golden("hypercare/salesforce.txt", plan(SALESFORCE))


def test_office_hours_are_weekly_from_the_launch_date() -> None:
    text = plan(EXAMPLE)
    assert "| Week 1 | 18 January 2027 |" in text and "| Week 2 | 25 January 2027 |" in text
    assert "Go-live: 15 January 2027. Hypercare ends on 28 January 2027." in text


def test_weeks_are_configurable() -> None:
    text = plan(EXAMPLE, edited(EXAMPLE, ("  trainer: Sam Rivera\n", "  trainer: Sam Rivera\n  hypercare_weeks: 3\n")))
    assert "| Week 3 | 1 February 2027 |" in text
    assert "For the first 3 weeks after go-live" in text


def test_without_launch_date_the_slots_are_relative_to_go_live() -> None:
    text = plan(EXAMPLE, edited(EXAMPLE, ("  launch_date: 2027-01-15\n", "")))
    assert "| Week 1 | 3 days after go-live |" in text and "| Week 2 | 10 days after go-live |" in text
    assert "The dates follow from the go-live date, once it is set." in text


def test_a_dated_enablement_signoff_fills_its_row() -> None:
    text = plan(
        EXAMPLE,
        edited(
            EXAMPLE,
            (
                "  - {by: cs, scope: definitions}\n",
                "  - {by: cs, scope: definitions}\n  - {by: revops, scope: enablement, date: 2027-02-01}\n",
            ),
        ),
    )
    assert "| Dana Ortiz, VP RevOps | 1 February 2027 |  |" in text


def test_the_signatures_keep_with_the_checklist_they_confirm() -> None:
    """With long names the signature table moved alone to a last page, its heading and checklist left behind."""
    import io

    import docx

    data = next(v for k, v in render("hypercare", context(EXAMPLE)).items() if k.endswith(".docx"))
    tables = docx.Document(io.BytesIO(data)).tables
    checklist = next(i for i, t in enumerate(tables) if t.rows[0].cells[0].text == "Item")
    assert tables[checklist + 1].rows[0].cells[0].text == "Signed by"
    kept = [
        p.paragraph_format.keep_with_next for row in tables[checklist].rows for c in row.cells for p in c.paragraphs
    ]
    assert kept and all(kept)
