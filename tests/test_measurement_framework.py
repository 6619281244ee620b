"""Lifecycle Measurement Framework: the six categories and the business metrics on the
client's own stages, targets from `measures:`, CRM fields of the client's platform.
The document's text is compared with golden files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, assert_golden
from docx_support import BAKERY, context, docx_text, edited, last_page_fill, render

CLIENTS = Path(__file__).parent / "cases" / "clients"
SALESFORCE, SMALL = CLIENTS / "salesforce-v3.yaml", CLIENTS / "four-stage-v0.yaml"


def framework(path: Path, text: str | None = None) -> str:
    files = render("measurement-framework", context(path, text))
    assert len(files) == 1
    return docx_text(next(iter(files.values())))


def test_example_framework_matches_golden() -> None:
    assert_golden("measures/acme-analytics.txt", framework(EXAMPLE))


def test_salesforce_framework_matches_golden() -> None:
    assert_golden("measures/salesforce.txt", framework(SALESFORCE))


def test_targets_owners_and_cadences_come_from_the_client_file() -> None:
    text = framework(EXAMPLE)
    assert (
        "| SQL → Closed Won ★ | Closed Won ÷ SQL | deals · dealstage ⏎ = sql, closedwon | Sales | 22% | To be measured |"
        in text
    )
    assert (
        "| Cost per MQL | Marketing spend ÷ records entering MQL | contacts · lifecyclestage ⏎ = marketingqualifiedlead"
        in text
    )
    assert "| Weekly | Lead response time |" in text


def test_salesforce_client_reads_salesforce_fields_and_reports_only() -> None:
    text = framework(SALESFORCE)
    assert "Lead.Status" in text and "Opportunity.StageName" in text
    assert "Reports › New Report ›" in text
    assert "HubSpot" not in text and "lifecyclestage" not in text


def test_baseline_given_in_the_file_is_printed_and_the_note_changes() -> None:
    text = framework(
        EXAMPLE,
        edited(EXAMPLE, ("target: 35%, owner: sdr-manager}", "target: 35%, baseline: 21%, owner: sdr-manager}")),
    )
    assert (
        "| SAL → SQL | SQL ÷ SAL | contacts · lifecyclestage ⏎ = salesacceptedlead ⏎ deals · dealstage ⏎ = sql |"
        in text
    )
    assert "| 35% | 21% |" in text
    assert "Baselines come from the current-state audit of the CRM" in text


def test_without_launch_date_baselines_are_measured_in_the_first_month_undated() -> None:
    text = framework(SALESFORCE, edited(SALESFORCE, ("  launch_date: 2027-02-01\n", "")))
    assert "Baselines are measured in the first month after launch and become the reference" in text


def test_launch_date_dates_the_first_month() -> None:
    assert "first month after launch (1 February 2027 to 28 February 2027)" in framework(SALESFORCE)


def test_metrics_whose_stages_are_missing_are_left_out() -> None:
    headings = [line for line in framework(SMALL).splitlines() if line.startswith("## ")]
    assert headings == ["## Customer acquisition cost (CAC)", "## Lead response time"]


def test_spend_is_written_in_the_clients_currency() -> None:
    text = framework(EXAMPLE, edited(EXAMPLE, ("currency: USD", "currency: EUR")))
    assert "€180,000 a month for Marketing and €420,000 a month for Sales" in text


def test_the_audit_supplies_the_baselines_it_measured() -> None:
    text = framework(Path(__file__).parent / "cases" / "audit" / "client.yaml")
    assert "Baselines come from the current-state audit of the CRM on 6 November 2026" in text
    assert "| MQL → SAL | SAL ÷ MQL | contacts · lifecyclestage ⏎ = marketingqualifiedlead, salesacceptedlead |" in text
    row = next(line for line in text.splitlines() if line.startswith("| MQL → SAL |"))
    assert row.endswith("| To be agreed | 33% |")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize(
    "path", [EXAMPLE, CLIENTS / "four-stage-v0.yaml", CLIENTS / "salesforce-v3.yaml"], ids=lambda p: p.stem
)
def test_the_framework_never_ends_on_the_review_rhythm_alone(path: Path, tmp_path: Path) -> None:
    ctx = context(path)
    data = render("measurement-framework", ctx)[f"measurement-framework-v{ctx.project.version}.docx"]
    pages, fill = last_page_fill(data, tmp_path, "framework")
    assert pages == 1 or fill >= 0.25, f"last of {pages} pages filled to {fill:.0%}"


def test_a_client_without_business_metrics_has_no_empty_heading_for_them(tmp_path: Path) -> None:
    """Four stages with no Closed Won or renewal to compute CAC, CLTV or retention from: the
    framework printed 'Business metrics' with nothing under it, straight before 'Review rhythm'."""
    path = tmp_path / "birch.yaml"
    path.write_text(BAKERY, encoding="utf-8")
    text = framework(path)
    assert "# Review rhythm" in text
    assert "Business metrics" not in text
