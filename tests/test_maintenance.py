"""Maintenance Schedule and its calendar: the .ics parses with a real iCalendar
parser and recurs as planned; the document's text is compared with a golden file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from conftest import EXAMPLE, assert_golden
from dateutil.rrule import rrulestr
from docx_support import BAKERY, context, docx_text, edited, render

CASES = Path(__file__).parent / "cases" / "crm"
SALESFORCE, HUBSPOT = CASES / "salesforce.yaml", CASES / "hubspot.yaml"


def files(path: Path, text: str | None = None) -> dict[str, bytes]:
    return render("maintenance", context(path, text))


def events(data: bytes) -> dict[str, icalendar.Event]:
    """Events by UID, parsed by the icalendar package."""
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def occurrences(event: icalendar.Event, count: int) -> list[dt.date]:
    start = event.decoded("DTSTART")
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=dt.datetime.combine(start, dt.time()))
    return [d.date() for d in rule[:count]]


@pytest.fixture(scope="module")
def dedicated() -> dict[str, bytes]:
    return files(SALESFORCE)


def test_calendar_recurs_monthly_quarterly_and_half_yearly_from_launch(dedicated: dict[str, bytes]) -> None:
    found = events(dedicated["maintenance-v3.ics"])
    slug = "nordwind-logistik-gmbh"
    assert sorted(found) == sorted(
        f"{slug}-{k}@deliver" for k in ("adoption", "monthly", "quarterly", "review", "checkin")
    )
    assert occurrences(found[f"{slug}-monthly@deliver"], 3) == [
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 1),
        dt.date(2027, 3, 1),
    ]
    assert occurrences(found[f"{slug}-quarterly@deliver"], 3) == [
        dt.date(2027, 3, 1),
        dt.date(2027, 6, 1),
        dt.date(2027, 9, 1),
    ]
    assert occurrences(found[f"{slug}-review@deliver"], 2) == [dt.date(2027, 6, 1), dt.date(2027, 12, 1)]
    adoption = found[f"{slug}-adoption@deliver"]
    assert adoption.decoded("DTSTART") == dt.date(2026, 12, 31) and "RRULE" not in adoption


def test_dedicated_engagement_gets_a_checkin_a_quarter_out_with_a_two_week_reminder(
    dedicated: dict[str, bytes],
) -> None:
    checkin = events(dedicated["maintenance-v3.ics"])["nordwind-logistik-gmbh-checkin@deliver"]
    assert checkin.decoded("DTSTART") == dt.date(2027, 3, 1)
    alarm = checkin.walk("VALARM")[0]
    assert alarm.decoded("TRIGGER") == -dt.timedelta(days=14)
    text = docx_text(dedicated["maintenance-schedule-v3.docx"])
    assert "Sam Rivera (architect) owns this schedule" in text and "# Refinement check-in" in text


def test_single_project_has_no_checkin_and_the_client_owns_it() -> None:
    out = files(HUBSPOT)
    assert not [uid for uid in events(out["maintenance-v3.ics"]) if "checkin" in uid]
    assert "Acme Analytics owns this schedule and runs it after the external handoff" in docx_text(
        out["maintenance-schedule-v3.docx"]
    )


def test_stamp_is_the_document_date_and_lines_are_folded_crlf(dedicated: dict[str, bytes]) -> None:
    data = dedicated["maintenance-v3.ics"]
    assert data.count(b"\r\n") == data.count(b"\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert {str(e["DTSTAMP"].to_ical().decode()) for e in events(data).values()} == {"20261120T000000Z"}


def test_hostile_and_wide_text_survives_escaping_and_folding() -> None:
    name = 'Ünïcødé; Ltd, "大客户" \\ 🚀 ' + "长" * 40
    out = files(
        SALESFORCE,
        edited(
            SALESFORCE,
            ("name: Nordwind Logistik GmbH", f"name: '{name}'"),
            ("  launch_date: 2026-12-01\n", "  launch_date: 2026-12-01\n  slug: hostile\n"),
        ),
    )
    data = out["maintenance-v3.ics"]
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    data.decode("utf-8")  # folding never splits a character
    monthly = events(data)["hostile-monthly@deliver"]
    assert str(monthly["SUMMARY"]) == f"{name}: monthly lifecycle conversion check"


def test_standard_tasks_are_used_and_said_when_the_file_has_none(dedicated: dict[str, bytes]) -> None:
    text = docx_text(dedicated["maintenance-schedule-v3.docx"])
    assert "monthly tasks, quarterly tasks and refinement triggers below are the standard set" in text
    assert "| Rogue value audit |" in text


def test_own_tasks_replace_the_standard_ones() -> None:
    out = files(EXAMPLE)
    text = docx_text(out["maintenance-schedule-v1.docx"])
    assert "Free tier launch (planned for H2 2027)" in text
    assert "standard set" not in text


def test_missing_launch_date_counts_from_the_final_review_and_says_so() -> None:
    out = files(SALESFORCE, edited(SALESFORCE, ("  launch_date: 2026-12-01\n", "")))
    text = docx_text(out["maintenance-schedule-v3.docx"])
    assert "the dates below count from the final review on 20 November 2026" in text
    monthly = events(out["maintenance-v3.ics"])["nordwind-logistik-gmbh-monthly@deliver"]
    assert monthly.decoded("DTSTART") == dt.date(2026, 12, 20)


def test_before_the_final_review_without_launch_date_the_schedule_is_relative_and_has_no_calendar() -> None:
    text = edited(SALESFORCE, ("  launch_date: 2026-12-01\n", ""), ("meeting: final-review", "meeting: refinement-2"))
    out = files(SALESFORCE, text)
    assert sorted(out) == ["maintenance-schedule-v3.docx"]
    words = docx_text(out["maintenance-schedule-v3.docx"])
    assert "The launch date is agreed at the final review." in words
    assert "Between 30 and 60 days after launch" in words and "2000" not in words and "# Calendar" not in words


def test_launch_late_in_the_month_never_skips_a_month() -> None:
    out = files(SALESFORCE, edited(SALESFORCE, ("launch_date: 2026-12-01", "launch_date: 2027-01-31")))
    monthly = events(out["maintenance-v3.ics"])["nordwind-logistik-gmbh-monthly@deliver"]
    assert [d.month for d in occurrences(monthly, 4)] == [2, 3, 4, 5]


def test_same_input_gives_same_bytes() -> None:
    assert files(HUBSPOT) == files(HUBSPOT)


@pytest.mark.parametrize("case", ["salesforce", "hubspot"])
def test_schedule_text_matches_golden(case: str, dedicated: dict[str, bytes]) -> None:
    out = dedicated if case == "salesforce" else files(HUBSPOT)
    assert_golden(f"maintenance/{case}.txt", docx_text(out["maintenance-schedule-v3.docx"]))


def test_fold_keeps_every_line_within_75_octets_and_whole_characters() -> None:
    from deliverables.backends.ical import escape, fold

    line = "DESCRIPTION:" + escape("a,b;c\\d\ne") + "🚀é" * 40
    folded = fold(line).encode("utf-8").split(b"\r\n")
    assert all(len(part) <= 75 for part in folded)
    assert b"".join(p[1:] if i else p for i, p in enumerate(folded)).decode() == line
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_checks_name_the_measurement_framework_report_they_read() -> None:
    text = docx_text(files(EXAMPLE)["maintenance-schedule-v1.docx"])
    assert "Report: Conversion (Lifecycle Measurement Framework)" in text
    assert "Report: Cost per stage (Lifecycle Measurement Framework)" in text
    rogue = next(line for line in text.splitlines() if line.startswith("| Rogue stage audit |"))
    assert "Report:" not in rogue


def test_standard_set_is_tailored_before_the_handoff_on_its_date_when_the_file_gives_it() -> None:
    lead = "monthly tasks, quarterly tasks and refinement triggers below are the standard set for this kind of engagement, to be tailored together before the handoff"
    dated = files(
        SALESFORCE, edited(SALESFORCE, ("meeting: final-review\n", "meeting: final-review\nnext_meeting: 2026-12-04\n"))
    )
    assert f"{lead} on 4 December 2026." in docx_text(dated["maintenance-schedule-v3.docx"])
    undated = docx_text(files(SALESFORCE)["maintenance-schedule-v3.docx"])
    assert f"{lead}." in undated and "4 December 2026" not in undated


def test_standard_checks_name_only_stages_the_client_has(tmp_path: Path) -> None:
    """A wholesale bakery with no MQL, SAL or SQL was told to check 'MQL to SAL, SAL to SQL, SQL
    to opportunity and opportunity to Closed Won' and 'the cost per MQL, SQL and closed-won
    deal'; a client with those stages keeps them."""
    path = tmp_path / "birch.yaml"
    path.write_text(BAKERY, encoding="utf-8")
    text = docx_text(files(path)["maintenance-schedule-v1.docx"])
    assert "Conversion from each stage to the next, in every domain." in text
    assert "the cost of a record entering each stage, and of a won customer, is rising" in text
    assert "MQL to SAL" not in text and "cost per MQL" not in text
    with_them = docx_text(files(HUBSPOT)["maintenance-schedule-v3.docx"])
    assert "for example MQL to SAL, SAL to SQL" in with_them
    assert "cost per MQL, SQL and closed-won deal" in with_them
