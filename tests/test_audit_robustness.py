"""The audit on exports it was never shown: other CRMs' spellings, dirty files, workbooks
saved every which way, dates as APIs write them. Each either gives the hand-computed
metrics or fails with the client file's line and, for data, the export's row; never a
traceback. Every export here is a few crafted lines."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from deliverables.cli import cli

LEAD = "  - {id: lead, name: Lead, domain: lead, crm: {object: contact, field: lifecyclestage, value: lead}}\n"
MQL = (
    "  - {id: mql, name: Marketing Qualified Lead, abbr: MQL, domain: lead,"
    " crm: {object: contact, field: lifecyclestage, value: marketingqualifiedlead}}\n"
)
OPPORTUNITY = "".join(
    f"  - {{id: {i}, name: {n}, domain: sales, crm: {{object: opportunity, field: StageName, value: {n}}}}}\n"
    for i, n in (("prospecting", "Prospecting"), ("qualification", "Qualification"), ("won", "Closed Won"))
)
HEADER = "Record ID,Lifecycle Stage,Became a Lead Date,Became a Marketing Qualified Lead Date"
ROWS = ["1,Lead,2026-01-01,", "2,Marketing Qualified Lead,2026-01-01,2026-01-11", "3,Subscriber,,"]
EXPECTED = "expected ISO 8601, YYYY-MM-DD HH:MM or MM/DD/YYYY[ HH:MM]"


def _client(folder: Path, export: str, data: str | bytes, stages: str = LEAD + MQL, more: str = "") -> Path:
    """A client file in `folder` auditing one export, named `export`, holding `data`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / export).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    text = (
        f"client: {{name: C}}\ndate: 2026-11-20\nstages:\n{stages}"
        f"audit:\n  as_of: 2026-11-06\n  exports:\n    - {{path: {export}, object: {_object(stages)}{more}}}\n"
    )
    (folder / "c.yaml").write_text(text, encoding="utf-8")
    return folder / "c.yaml"


def _object(stages: str) -> str:
    return "opportunity" if "opportunity" in stages else "contact"


def _metrics(runner, client: Path) -> dict:
    result = runner.invoke(cli, ["audit", str(client), "--format", "json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    metrics.pop("segments", None)
    return metrics


def _errors(runner, monkeypatch, client: Path) -> list[str]:
    """The error lines of `deliver audit`, in both formats (the same), paths relative to the folder."""
    monkeypatch.chdir(client.parent)
    found = []
    for fmt in ("text", "json"):
        result = runner.invoke(cli, ["audit", client.name, "--format", fmt])
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        found.append(result.stderr.splitlines())
    assert found[0] == found[1]
    return found[0]


CONTACTS = {
    "lead": {"current": 1, "entered": 2, "skipped": 0, "stuck": 1},
    "mql": {"current": 1, "entered": 1, "skipped": 0, "stuck": 1},
}
LEAD_TO_MQL = [{"from": "lead", "to": "mql", "entered_from": 2, "converted": 1, "rate": 0.5, "median_days": 10.0}]


def _contacts(metrics: dict, export: str = "e.csv") -> None:
    """The metrics of HEADER and ROWS, computed by hand: contact 1 a lead since 1 January
    (stuck), contact 2 an MQL ten days after becoming a lead, contact 3 a Subscriber."""
    assert metrics["records"] == {export: 3}
    assert metrics["stages"] == CONTACTS
    assert metrics["transitions"] == LEAD_TO_MQL
    assert metrics["unmapped"] == [
        {"object": "contact", "field": "lifecyclestage", "value": "Subscriber", "records": 1}
    ]
    assert metrics["quality"] == {"records_without_dates": 1, "future_dates": 0, "out_of_order": 0}


# ---------------------------------------------------------------- other spellings


def test_salesforce_opportunity_stage_header_is_the_stage(tmp_path: Path, runner) -> None:
    data = "Opportunity ID,Opportunity Name,Opportunity Stage,Created Date\no1,A,Prospecting,1/5/2026\no2,B,Closed Won,1/10/2026\n"
    metrics = _metrics(runner, _client(tmp_path, "opps.csv", data, OPPORTUNITY))
    # Created Date dates the first stage: both entered Prospecting, o1 is still there since January.
    assert metrics["stages"] == {
        "prospecting": {"current": 1, "entered": 2, "skipped": 0, "stuck": 1},
        "qualification": {"current": 0, "entered": 0, "skipped": 1, "stuck": 0},
        "won": {"current": 1, "entered": 1, "skipped": 0, "stuck": 0},
    }


# ---------------------------------------------------------------- encodings and dialects


def test_line_breaks_inside_quoted_cells_are_part_of_the_cell(tmp_path: Path, runner, monkeypatch) -> None:
    data = HEADER + ',Notes\n1,Lead,2026-01-01,,"first line\nsecond line"\n2,Lead,bad date,,x\n'
    assert _errors(runner, monkeypatch, _client(tmp_path, "e.csv", data)) == [
        f"c.yaml:9:7: audit.exports[path=e.csv]: export 'e.csv' has an unreadable date; {EXPECTED}, or set `date_format`",
        f"e.csv:3: column 'Became a Lead Date': unreadable date 'bad date'; {EXPECTED}",
        "2 errors in c.yaml, e.csv",
    ]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_excel_unicode_text_in_utf16_reads_like_utf8(codec: str, tmp_path: Path, runner) -> None:
    text = "\ufeff" + "\r\n".join(line.replace(",", "\t") for line in [HEADER, *ROWS]) + "\r\n"
    _contacts(_metrics(runner, _client(tmp_path, "e.txt", text.encode(codec))), "e.txt")


def test_a_nul_character_in_the_header_is_an_error_not_a_crash(tmp_path: Path, runner, monkeypatch) -> None:
    data = b"Record ID,Lifecycle\x00 Stage,Became a Lead Date\n1,Lead,2026-01-01\n"
    assert _errors(runner, monkeypatch, _client(tmp_path, "e.csv", data)) == [
        "c.yaml:9:14: audit.exports[path=e.csv].path: export 'e.csv' has a NUL character in column 2 of its header "
        "row ('Lifecycle Stage'); expected UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1252 text",
        "1 error in c.yaml",
    ]


@pytest.mark.parametrize("before", [0, 3000], ids=["among-the-first-rows", "far-down"])
def test_a_row_with_more_values_than_the_header_names_its_line(
    before: int, tmp_path: Path, runner, monkeypatch
) -> None:
    rows = "".join(f"{i},Lead,2026-01-01,\n" for i in range(before))
    data = HEADER + "\n" + rows + "9999,Lead,2026-01-01,,Acme, Inc\n"
    # Among the rows DuckDB samples, the row widens the table and its values are counted;
    # further down, DuckDB stops at the first value too many.
    found = "more values than" if before else "6 values, more than"
    assert _errors(runner, monkeypatch, _client(tmp_path, "e.csv", data)) == [
        "c.yaml:9:14: audit.exports[path=e.csv].path: export 'e.csv' has a row with more values than its header "
        "has columns",
        f"e.csv:{before + 2}: {found} the 4 columns its header names (a value with an unquoted delimiter?)",
        "2 errors in c.yaml, e.csv",
    ]


def test_trailing_delimiters_are_no_values(tmp_path: Path, runner) -> None:
    data = "".join(line + ",\n" for line in [HEADER, *ROWS])
    _contacts(_metrics(runner, _client(tmp_path, "e.csv", data)))


def test_empty_lines_keep_each_rows_number_as_a_spreadsheet_shows_it(tmp_path: Path, runner, monkeypatch) -> None:
    # Lines: 1-2 empty, 3 the header, 4 a row, 5 empty, 6 a row with a quoted line break
    # (one spreadsheet row), 7-8 empty, 9 a bad date; empty lines at the end shift nothing.
    data = f'\n\n{HEADER},Notes\n{ROWS[0]},\n\n{ROWS[1]},"a\n\nb"\n\n\n4,Lead,bad date,,\n\n\n'
    assert _errors(runner, monkeypatch, _client(tmp_path, "e.csv", data)) == [
        f"c.yaml:9:7: audit.exports[path=e.csv]: export 'e.csv' has an unreadable date; {EXPECTED}, or set `date_format`",
        f"e.csv:9: column 'Became a Lead Date': unreadable date 'bad date'; {EXPECTED}",
        "2 errors in c.yaml, e.csv",
    ]


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf", b"\n\r\n \n", b""], ids=["bom", "blank-lines", "zero-bytes"])
def test_a_file_with_nothing_but_blanks_is_empty(data: bytes, tmp_path: Path, runner, monkeypatch) -> None:
    assert _errors(runner, monkeypatch, _client(tmp_path, "e.csv", data)) == [
        "c.yaml:9:14: audit.exports[path=e.csv].path: export 'e.csv' is empty; expected a header row, then a row "
        "per record",
        "1 error in c.yaml",
    ]


def test_a_line_longer_than_a_csv_line_may_hold_is_a_clear_error(tmp_path: Path, runner, monkeypatch) -> None:
    data = HEADER + ",Notes\n1,Lead,2026-01-01,," + "x" * 2_100_000 + "\n"
    assert _errors(runner, monkeypatch, _client(tmp_path, "e.csv", data)) == [
        "c.yaml:9:14: audit.exports[path=e.csv].path: export 'e.csv' has a line longer than 2,000,000 bytes, "
        "more than a CSV line may hold",
        "1 error in c.yaml",
    ]


def test_a_column_the_audit_reads_twice_is_ambiguous(tmp_path: Path, runner, monkeypatch) -> None:
    data = "Record ID,Lifecycle Stage,Lifecycle Stage,Became a Lead Date\n1,Lead,Subscriber,2026-01-01\n"
    assert _errors(runner, monkeypatch, _client(tmp_path, "e.csv", data)) == [
        "c.yaml:9:7: audit.exports[path=e.csv]: export 'e.csv' has more than one column named 'Lifecycle Stage'; "
        "expected each column once: keep the one to read",
        "1 error in c.yaml",
    ]


# ---------------------------------------------------------------- workbooks


def _workbook(*sheets: tuple[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(lines: list[str]) -> list[list]:
    return [[cell or None for cell in line.split(",")] for line in lines]


def test_a_workbook_saved_as_csv_and_a_csv_saved_as_xlsx_are_read_by_content(tmp_path: Path, runner) -> None:
    book = _workbook(("Contacts", _table([HEADER, *ROWS])))
    _contacts(_metrics(runner, _client(tmp_path / "a", "e.csv", book)))
    _contacts(_metrics(runner, _client(tmp_path / "b", "e.xlsx", "\n".join([HEADER, *ROWS]) + "\n")), "e.xlsx")


def test_an_excel_97_workbook_asks_for_xlsx_or_csv(tmp_path: Path, runner, monkeypatch) -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert _errors(runner, monkeypatch, _client(tmp_path, "e.xls", data)) == [
        "c.yaml:9:14: audit.exports[path=e.xls].path: export 'e.xls' is an Excel 97-2003 workbook (.xls); "
        "expected an XLSX workbook or a CSV file: save it as one",
        "1 error in c.yaml",
    ]


def test_a_worksheet_header_below_a_reports_title_rows_is_found(tmp_path: Path, runner, monkeypatch) -> None:
    title = [["Contacts report"], ["Filtered by: all contacts"], []]
    book = _workbook(("Report", title + _table([HEADER, *ROWS])))
    _contacts(_metrics(runner, _client(tmp_path / "a", "e.xlsx", book)), "e.xlsx")
    # The rows keep the numbers the spreadsheet shows: the header is row 4.
    book = _workbook(("Report", title + _table([HEADER, ROWS[0], "2,Lead,bad date,"])))
    assert _errors(runner, monkeypatch, _client(tmp_path / "b", "e.xlsx", book))[1] == (
        f"e.xlsx:6: column 'Became a Lead Date': unreadable date 'bad date'; {EXPECTED}"
    )


def test_a_worksheet_header_with_an_unnamed_column_is_still_the_header(tmp_path: Path, runner) -> None:
    # The third column has no name but values below: the header still comes first.
    rows = [["Record ID", "Lifecycle Stage", None, "Became a Lead Date"], ["1", "Lead", "x", "2026-01-01"]]
    metrics = _metrics(runner, _client(tmp_path, "e.xlsx", _workbook(("Contacts", rows))))
    assert metrics["records"] == {"e.xlsx": 1}
    assert metrics["stages"]["lead"] == {"current": 1, "entered": 1, "skipped": 0, "stuck": 1}


def test_an_unknown_header_names_the_worksheet_read_never_what_it_holds(tmp_path: Path, runner, monkeypatch) -> None:
    book = _workbook(("Summary", [["Total", "Secret"], ["All", 3]]), ("Contacts", _table([HEADER, *ROWS])))
    assert _errors(runner, monkeypatch, _client(tmp_path, "e.xlsx", book)) == [
        "c.yaml:9:7: audit.exports[path=e.xlsx]: export 'e.xlsx' (worksheet 'Summary', the first of 2): its header "
        "row matches no known export (HubSpot or Salesforce records with an id and a stage column); "
        "map its columns under `columns:`",
        "1 error in c.yaml",
    ]


def test_a_path_to_some_other_file_is_an_error_that_never_quotes_it(tmp_path: Path, runner, monkeypatch) -> None:
    secret = tmp_path / "elsewhere" / ".env"
    secret.parent.mkdir()
    secret.write_text("API_KEY=s3cr3t\nOTHER=1\n")
    client = _client(tmp_path / "c", "e.csv", "\n".join([HEADER, *ROWS]) + "\n")
    client.write_text(client.read_text().replace("path: e.csv", "path: ../elsewhere/.env"))
    lines = _errors(runner, monkeypatch, client)
    assert lines[0].startswith(
        "c.yaml:9:7: audit.exports[path=../elsewhere/.env]: export '../elsewhere/.env': its header"
    )
    assert not any("s3cr3t" in line or "API_KEY" in line for line in lines)


# ---------------------------------------------------------------- dates


def test_epoch_milliseconds_of_hubspot_api_exports_are_dates(tmp_path: Path, runner) -> None:
    # 1767261600000 ms is 2026-01-01 10:00 UTC; 1768125600000 ten days later.
    data = (
        "hs_object_id,lifecyclestage,hs_lifecyclestage_lead_date,hs_lifecyclestage_marketingqualifiedlead_date\n"
        "1,lead,1767261600000,\n2,marketingqualifiedlead,1767261600000,1768125600000\n"
    )
    metrics = _metrics(runner, _client(tmp_path, "e.csv", data))
    assert metrics["stages"] == CONTACTS
    assert metrics["transitions"] == LEAD_TO_MQL


def test_texts_saying_no_date_are_blank_dates(tmp_path: Path, runner) -> None:
    rows = [f"{i},Lead,2026-01-01,{text}" for i, text in enumerate(["null", "NULL", "N/A", "none", "-", " "])]
    metrics = _metrics(runner, _client(tmp_path, "e.csv", "\n".join([HEADER, *rows]) + "\n"))
    assert metrics["stages"]["lead"] == {"current": 6, "entered": 6, "skipped": 0, "stuck": 6}
    assert metrics["stages"]["mql"] == {"current": 0, "entered": 0, "skipped": 0, "stuck": 0}


def test_a_long_unreadable_date_is_cut_in_its_message(tmp_path: Path, runner, monkeypatch) -> None:
    data = f"{HEADER}\n1,Lead,{'x' * 10_000},\n"
    assert _errors(runner, monkeypatch, _client(tmp_path, "e.csv", data))[1] == (
        f"e.csv:2: column 'Became a Lead Date': unreadable date '{'x' * 60}'… (10,000 characters); {EXPECTED}"
    )
