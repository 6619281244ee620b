"""The audit on exports it was never shown: other CRMs' spellings, dirty files, workbooks
saved every which way, dates as APIs write them. Each either gives the hand-computed
metrics or fails with the client file's line and, for data, the export's row; never a
traceback. Every export here is a few crafted lines."""

from __future__ import annotations

import io
import json
import zipfile
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


@pytest.fixture(params=[True, False], ids=["wide", "long"])
def either_tables(request, monkeypatch) -> None:
    """The test runs twice: on the wide tables, then with them refused (the long ones)."""
    from deliverables.backends.data import wide

    if not request.param:
        monkeypatch.setattr(wide, "fits", lambda *a, **k: False)


def _audited(runner, client: Path):
    """`deliver audit --format json` of `client`; it must succeed."""
    result = runner.invoke(cli, ["audit", str(client), "--format", "json"])
    assert result.exit_code == 0, result.output
    return result


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


SALESFORCE_FOOTER = (
    '""\n"Total"\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
    '"Confidential Information - Do Not Distribute"\n"Generated By:  Sam Rivera  11/6/2026 10:12 AM"\n"Acme"\n'
)


def test_rows_in_a_pipeline_no_stage_names_are_named_in_a_warning(tmp_path: Path, runner) -> None:
    # The stages name the pipeline 'new-business', the export labels it 'Sales Pipeline': the
    # value 'Won' is then a value no stage maps, with nothing to say why but this warning.
    stages = (
        "  - {id: open, name: Open, domain: sales, crm: {object: deal, field: dealstage, value: open,"
        " pipeline: new-business}}\n"
        "  - {id: won, name: Won, domain: sales, crm: {object: deal, field: dealstage, value: won,"
        " pipeline: new-business}}\n"
    )
    data = (
        "Record ID,Deal Stage,Pipeline\n1,Won,Sales Pipeline\n2,Open,Sales Pipeline\n3,Won,New Business\n"
        "4,Open,Partners\n5,Open,\n"
    )
    client = _client(tmp_path, "deals.csv", data, stages)
    client.write_text(client.read_text(encoding="utf-8").replace("object: contact", "object: deal"), encoding="utf-8")
    result = runner.invoke(cli, ["audit", str(client), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{client}:9:14: audit.exports[path=deals.csv].path: warning: export 'deals.csv' has 3 rows in a pipeline "
        "no deal stage names: 'Sales Pipeline' (2), 'Partners' (1); the stages name 'new-business', so those rows' "
        "values map to no stage"
    ]
    metrics = json.loads(result.stdout)
    assert metrics["stages"]["won"]["current"] == 1 and metrics["stages"]["open"]["current"] == 1
    assert [(u["value"], u["records"]) for u in metrics["unmapped"]] == [("Open", 2), ("Won", 1)]


def test_a_salesforce_reports_footer_is_no_records(tmp_path: Path, runner) -> None:
    data = (
        '"Opportunity ID","Opportunity Name","Stage","Created Date"\n"o1","A","Prospecting","1/5/2026"\n'
        '"o2","B","Closed Won","1/20/2026"\n' + SALESFORCE_FOOTER
    )
    metrics = _footer_left_out(tmp_path, runner, data, 5)
    assert metrics["stages"]["prospecting"] == {"current": 1, "entered": 2, "skipped": 0, "stuck": 1}


def test_a_footer_below_an_empty_line_is_no_records(tmp_path: Path, runner) -> None:
    # A report saved by a spreadsheet: the line above the footer is empty, not a quoted blank.
    data = (
        "Opportunity ID,Opportunity Name,Stage,Created Date\no1,A,Prospecting,1/5/2026\n\n"
        "o2,B,Closed Won,1/20/2026\n\nTotal,,,\nGenerated By: Sam Rivera,,,\n"
    )
    _footer_left_out(tmp_path, runner, data, 2)


def _footer_left_out(tmp_path: Path, runner, data: str, more: int) -> dict:
    """The metrics of an opportunity report of two records whose footer (an empty row and
    `more` rows) is left out with its warning and no other."""
    client = _client(tmp_path, "opps.csv", data, OPPORTUNITY)
    result = runner.invoke(cli, ["audit", str(client), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{client}:10:14: audit.exports[path=opps.csv].path: warning: export 'opps.csv' ends with a report's footer "
        f"(an empty row and {more} more with a value in the first column only), left out"
    ]
    metrics = json.loads(result.stdout)
    assert metrics["records"] == {"opps.csv": 2}
    assert metrics["quality"] == {"records_without_dates": 0, "future_dates": 0, "out_of_order": 0}
    return metrics


def test_a_header_row_repeated_below_is_no_record(tmp_path: Path, runner, monkeypatch) -> None:
    # Two exports pasted one below the other: the second header is left out, and the rows
    # after it keep the numbers the spreadsheet shows.
    data = "\n".join([HEADER, ROWS[0], ROWS[1], HEADER, ROWS[2]]) + "\n"
    client = _client(tmp_path / "a", "e.csv", data)
    result = runner.invoke(cli, ["audit", str(client), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{client}:9:14: audit.exports[path=e.csv].path: warning: export 'e.csv' repeats its header row at row 4 "
        "(exports pasted one below another?), left out"
    ]
    _contacts(json.loads(result.stdout))
    data = "\n".join([HEADER, ROWS[0], HEADER, "2,Lead,bad date,", HEADER]) + "\n"
    assert _errors(runner, monkeypatch, _client(tmp_path / "b", "e.csv", data))[1] == (
        f"e.csv:4: column 'Became a Lead Date': unreadable date 'bad date'; {EXPECTED}"
    )


def test_a_last_record_with_only_an_id_is_a_record(tmp_path: Path, runner) -> None:
    # No empty row above it: no footer.
    data = "Opportunity ID,Stage,Created Date\no1,Prospecting,1/5/2026\no2,,\n"
    metrics = _metrics(runner, _client(tmp_path, "opps.csv", data, OPPORTUNITY))
    assert metrics["records"] == {"opps.csv": 2}
    assert metrics["quality"]["records_without_dates"] == 1


JAPANESE = (
    "  - {id: lead, name: リード, domain: lead, crm: {object: contact, field: lifecyclestage, value: lead}}\n"
    "  - {id: mql, name: MQL, domain: lead, crm: {object: contact, field: lifecyclestage,"
    " value: marketingqualifiedlead, label: マーケティング・リード}}\n"
)


def test_values_and_headers_in_japanese_keep_their_letters(tmp_path: Path, runner) -> None:
    # A HubSpot account in Japanese: its labels and headers are no Latin letters, and
    # each keeps its own: 'リード' maps to its stage by name, 'マーケティングリード' by the
    # label (the middle dot is punctuation), '顧客' to none; the segment is the source
    # column, not the last header without a Latin letter.
    data = (
        "レコードID,ライフサイクルステージ,流入元,リードになった日,MQLになった日\n"
        "1,リード,広告,2026-01-01,\n2,マーケティングリード,検索,2026-01-01,2026-01-11\n3,顧客,広告,,\n"
    )
    columns = (
        ", columns: {id: レコードID, current: ライフサイクルステージ, field: lifecyclestage,"
        " dates: {lead: リードになった日, mql: MQLになった日}}"
    )
    client = _client(tmp_path, "e.csv", data, JAPANESE, columns)
    client.write_text(client.read_text(encoding="utf-8") + "  segments: [流入元]\n", encoding="utf-8")
    result = runner.invoke(cli, ["audit", str(client), "--format", "json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["stages"] == CONTACTS
    assert metrics["transitions"] == LEAD_TO_MQL
    assert metrics["unmapped"] == [{"object": "contact", "field": "lifecyclestage", "value": "顧客", "records": 1}]
    by_source = metrics["segments"]["流入元"]
    assert {value: found["records"] for value, found in by_source.items()} == {
        "広告": {"e.csv": 2},
        "検索": {"e.csv": 1},
    }
    assert by_source["検索"]["stages"]["mql"] == {"current": 1, "entered": 1, "skipped": 0, "stuck": 1}


GERMAN_HISTORY = (
    "Verkaufschancen-ID;Feld/Ereignis;Neuer Wert;Bearbeitungsdatum\n"
    "o1;Phase;Prospecting;01.01.2026 10:00\no1;Phase;Qualification;11.01.2026 10:00\n"
    "o1;Betrag;1.000,00;11.01.2026 10:00\no2;Phase;Prospecting;01.02.2026 09:00\n"
)


@pytest.mark.parametrize("field", ["Phase", "StageName"])
def test_a_field_history_naming_the_stage_field_in_its_own_words(field: str, tmp_path: Path, runner) -> None:
    # A Salesforce org in German names the stage field 'Phase' in its history: `field` says so.
    columns = (
        ", kind: history, date_format: '%d.%m.%Y %H:%M', columns: {id: Verkaufschancen-ID,"
        f" changed_field: Feld/Ereignis, new_value: Neuer Wert, changed_at: Bearbeitungsdatum, field: {field}}}"
    )
    client = _client(tmp_path, "history.csv", GERMAN_HISTORY, OPPORTUNITY, columns)
    result = runner.invoke(cli, ["audit", str(client), "--format", "json"])
    assert result.exit_code == 0, result.output
    stages = json.loads(result.stdout)["stages"]
    if field == "StageName":  # no row says StageName: nothing is counted, and a warning says why
        assert result.stderr.splitlines() == [
            f"{client}:10:219: audit.exports[path=history.csv].columns.field: warning: export 'history.csv' has no row changing "
            "'StageName', the field the stages are stored in; under `columns:`, `field` says how its "
            "'Feld/Ereignis' column names that field (e.g. Phase)"
        ]
        assert not any(any(s.values()) for s in stages.values())
        return
    assert result.stderr == ""
    # o1 was prospected on 1 January, qualified ten days later; o2 prospected on 1 February.
    assert stages == {
        "prospecting": {"current": 1, "entered": 2, "skipped": 0, "stuck": 1},
        "qualification": {"current": 1, "entered": 1, "skipped": 0, "stuck": 1},
        "won": {"current": 0, "entered": 0, "skipped": 0, "stuck": 0},
    }


# ---------------------------------------------------------------- encodings and dialects


def test_no_break_and_ideographic_spaces_at_a_cells_ends_are_white_space(tmp_path: Path, runner) -> None:
    # Cells copied from a web page keep a no-break space: '1\u00a0' is record 1 again, and
    # 'Subscriber\u00a0' the value 'Subscriber', not a second one looking the same.
    data = (
        HEADER + "\n1\u00a0,Lead,2026-01-01,\n1,Lead,2026-01-01,\n"
        "2,Marketing Qualified Lead,2026-01-01,\u30002026-01-11\n3,Subscriber\u00a0,,\n3,Subscriber,,\n"
    )
    metrics = _metrics(runner, _client(tmp_path, "e.csv", data))
    _contacts(metrics)


def test_a_utf8_export_with_a_line_in_windows_1252_reads_both(tmp_path: Path, runner) -> None:
    # A UTF-8 export (with its BOM) a spreadsheet added a Windows-1252 line to: 'Qualifié'
    # is one value in both encodings, not 'QualifiÃ©' beside it, and the header is intact.
    data = (
        b"\xef\xbb\xbf" + HEADER.encode() + b"\n1,Lead,2026-01-01,\n2,Marketing Qualified Lead,2026-01-01,2026-01-11\n"
        b"3,Qualifi\xc3\xa9,,\n4,Qualifi\xe9,,\n"
    )
    metrics = _metrics(runner, _client(tmp_path, "e.csv", data))
    assert metrics["stages"] == CONTACTS
    assert metrics["unmapped"] == [{"object": "contact", "field": "lifecyclestage", "value": "Qualifié", "records": 2}]


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


@pytest.mark.parametrize("data", [HEADER + "\r\n", HEADER + "\n\n\n"], ids=["header", "blank-lines"])
def test_a_header_without_records_is_audited_with_a_warning(data: str, tmp_path: Path, runner) -> None:
    # An export of an empty view: the audit runs, and says why everything is 0.
    client = _client(tmp_path, "e.csv", data)
    result = runner.invoke(cli, ["audit", str(client), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{client}:9:14: audit.exports[path=e.csv].path: warning: export 'e.csv' has a header row and no records below it"
    ]
    assert json.loads(result.stdout)["records"] == {"e.csv": 0}


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


def test_a_workbook_whose_shared_text_unpacks_past_the_limit_asks_for_csv(tmp_path: Path, runner, monkeypatch) -> None:
    # openpyxl holds a workbook's shared strings in memory: refused by their declared size.
    from deliverables.backends.data import files

    monkeypatch.setattr(files, "MAX_SHARED_STRINGS", 2**20)
    source, out = zipfile.ZipFile(io.BytesIO(_workbook(("Contacts", _table([HEADER, *ROWS]))))), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/sharedStrings.xml", b"<sst>" + b"<si><t>x</t></si>" * 70000 + b"</sst>")
    book = out.getvalue()
    assert _errors(runner, monkeypatch, _client(tmp_path, "e.xlsx", book)) == [
        "c.yaml:9:14: audit.exports[path=e.xlsx].path: export 'e.xlsx' is an XLSX workbook whose text unpacks to"
        " 1 MiB, past the 1 MiB an export may hold; export it as CSV instead",
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


def test_a_date_cell_holding_its_serial_number_says_which_date_it_would_be(tmp_path: Path, runner, monkeypatch) -> None:
    # A date pasted as its value keeps Excel's day count: 46023 is 1 January 2026.
    rows = [["Record ID", "Lifecycle Stage", "Became a Lead Date"], ["1", "Lead", 46023]]
    client = _client(tmp_path, "e.xlsx", _workbook(("Contacts", rows)))
    assert _errors(runner, monkeypatch, client)[1] == (
        f"e.xlsx:2: column 'Became a Lead Date': unreadable date '46023'; {EXPECTED} (a number: read as a "
        "spreadsheet's date serial, 2026-01-01; format the column as dates in the workbook)"
    )


def test_headings_of_merged_cells_above_the_header_are_not_the_header(tmp_path: Path, runner, monkeypatch) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Contact", None, "Dates", None])  # 'Contact' over A:B, 'Dates' over C:D
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("C1:D1")
    for line in [HEADER, *ROWS]:
        sheet.append([cell or None for cell in line.split(",")])
    out = io.BytesIO()
    book.save(out)
    _contacts(_metrics(runner, _client(tmp_path / "a", "e.xlsx", out.getvalue())), "e.xlsx")
    # The rows keep the numbers the spreadsheet shows: the header is row 2.
    sheet.append(["4", "Lead", "bad date"])
    book.save(out := io.BytesIO())
    assert _errors(runner, monkeypatch, _client(tmp_path / "b", "e.xlsx", out.getvalue()))[1] == (
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
        "row matches no known export (HubSpot, Salesforce or Pipedrive records with an id and a stage column); "
        "map its columns under `columns:`, or name the worksheet holding the records under `sheet:`",
        "1 error in c.yaml",
    ]


def test_the_worksheet_named_under_sheet_is_the_one_read(tmp_path: Path, runner, monkeypatch) -> None:
    book = _workbook(("Summary", [["Total", "Secret"], ["All", 3]]), ("Contacts", _table([HEADER, *ROWS])))
    _contacts(_metrics(runner, _client(tmp_path / "a", "e.xlsx", book, more=", sheet: contacts")), "e.xlsx")
    assert _errors(runner, monkeypatch, _client(tmp_path / "b", "e.xlsx", book, more=", sheet: Leads")) == [
        "c.yaml:9:46: audit.exports[path=e.xlsx].sheet: export 'e.xlsx' has no worksheet 'Leads'; "
        "its worksheets: 'Summary', 'Contacts'",
        "1 error in c.yaml",
    ]
    data = "\n".join([HEADER, *ROWS]) + "\n"
    assert _errors(runner, monkeypatch, _client(tmp_path / "c", "e.csv", data, more=", sheet: Contacts")) == [
        "c.yaml:9:45: audit.exports[path=e.csv].sheet: export 'e.csv' is a text file, not an XLSX workbook: "
        "it has no worksheet 'Contacts' to read",
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


@pytest.mark.parametrize(
    ("lead", "mql", "date_format"),
    [
        ("01.01.2026", "11.01.2026 09:30", None),
        ("2026/01/01", "2026/01/11", "%Y/%m/%d"),
        ("Jan 1, 2026 10:00 AM", "Jan 11, 2026 10:00 AM", "%b %d, %Y %I:%M %p"),
    ],
    ids=["mixed", "year-first", "month-name"],
)
def test_unreadable_dates_name_the_date_format_that_reads_them(
    lead: str, mql: str, date_format: str | None, tmp_path: Path, runner, monkeypatch
) -> None:
    data = f'{HEADER}\n1,Lead,"{lead}",\n2,Marketing Qualified Lead,"{lead}","{mql}"\n'
    advice = f"`date_format: '{date_format}'`, which reads them" if date_format else "`date_format`"
    assert _errors(runner, monkeypatch, _client(tmp_path / "a", "e.csv", data))[0] == (
        f"c.yaml:9:7: audit.exports[path=e.csv]: export 'e.csv' has 3 unreadable dates; {EXPECTED}, or set {advice}"
    )
    if date_format:  # and it does: the metrics of the same dates in ISO 8601
        metrics = _metrics(runner, _client(tmp_path / "b", "e.csv", data, more=f", date_format: '{date_format}'"))
        assert metrics["stages"] == CONTACTS
        assert metrics["transitions"] == LEAD_TO_MQL


def test_the_text_audit_cuts_a_value_holding_a_pasted_note(tmp_path: Path, runner) -> None:
    # A 10,799-character value printed whole filled the terminal: quoted as errors quote cells.
    note = ("Called, no answer " * 600).strip()
    result = runner.invoke(
        cli, ["audit", str(_client(tmp_path, "e.csv", f'{HEADER}\n1,Lead,2026-01-01,\n2,"{note}",,\n'))]
    )
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if "Called" in line] == [
        f"  contact.lifecyclestage '{note[:60]}'… (10,799 characters): 1 record"
    ]


DAY_OR_MONTH = f"{HEADER}\n1,Lead,01/01/2026,\n2,Marketing Qualified Lead,01/01/2026,01/11/2026\n3,Subscriber,,\n"
"""Slash dates none of which has a number above 12 before the year: 01/11/2026 is 11
January month first, 1 November day first."""


@pytest.mark.usefixtures("either_tables")
def test_slash_dates_that_read_either_way_are_read_month_first_with_a_warning(tmp_path: Path, runner) -> None:
    client = _client(tmp_path, "e.csv", DAY_OR_MONTH)
    result = _audited(runner, client)
    assert result.stderr.splitlines() == [
        f"{client}:9:7: audit.exports[path=e.csv]: warning: export 'e.csv' writes its dates with slashes, none "
        "with a number above 12 before the year, so each reads either way: they were read month first, "
        "'01/11/2026' as 11 January 2026 (day first: 1 November 2026); set `date_format: '%d/%m/%Y'` on the "
        "export if its dates are day first, or `date_format: '%m/%d/%Y'` to say they are month first"
    ]
    _contacts(json.loads(result.stdout))  # month first: the MQL ten days after the lead


@pytest.mark.parametrize("date_format", ["%m/%d/%Y", "%d/%m/%Y"])
def test_slash_dates_read_as_the_exports_date_format_says_warn_no_more(
    date_format: str, tmp_path: Path, runner
) -> None:
    client = _client(tmp_path, "e.csv", DAY_OR_MONTH, more=f", date_format: '{date_format}'")
    result = runner.invoke(cli, ["audit", str(client), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    days = json.loads(result.stdout)["transitions"][0]["median_days"]
    assert days == (10.0 if date_format == "%m/%d/%Y" else 304.0)  # 1 January to 1 November


def test_one_slash_date_only_month_first_reads_settles_every_export(tmp_path: Path, runner) -> None:
    # 01/13/2026 has no month 13: the CRM writes the month first, in the other export too.
    client = _client(tmp_path, "e.csv", DAY_OR_MONTH)
    (tmp_path / "f.csv").write_text(f"{HEADER}\n7,Lead,01/13/2026,\n", encoding="utf-8")
    text = client.read_text(encoding="utf-8")
    client.write_text(text + "    - {path: f.csv, object: contact}\n", encoding="utf-8")
    result = runner.invoke(cli, ["audit", str(client), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert json.loads(result.stdout)["transitions"][0]["median_days"] == 10.0


def test_slash_dates_only_day_first_reads_name_the_format_for_all_of_them(tmp_path: Path, runner, monkeypatch) -> None:
    # 25/01/2026 reads day first only, so 01/11/2026 beside it is 1 November, not 11 January.
    data = f"{HEADER}\n1,Lead,25/01/2026,\n2,Marketing Qualified Lead,01/01/2026,01/11/2026\n"
    assert _errors(runner, monkeypatch, _client(tmp_path, "e.csv", data)) == [
        f"c.yaml:9:7: audit.exports[path=e.csv]: export 'e.csv' has an unreadable date; {EXPECTED}, or set "
        "`date_format: '%d/%m/%Y'`, which reads it and reads the export's other slash dates day first too "
        "(month first without it)",
        f"e.csv:2: column 'Became a Lead Date': unreadable date '25/01/2026'; {EXPECTED} (no month 25: written "
        "day first?)",
        "2 errors in c.yaml, e.csv",
    ]


# ---------------------------------------------------------------- headers no format knows

GERMAN = (
    "Datensatz-ID,Vorname,E-Mail,Lebenszyklusphase,Datum der Konversion zum Lead,"
    "Datum der Konversion zum Marketing Qualified Lead\n"
    "101,Anna,a@example.com,Lead,2026-01-01,\n102,Ben,b@example.com,Marketing Qualified Lead,2026-01-01,2026-01-11\n"
    "103,Cem,c@example.com,Subscriber,,\n"
)
"""A contact export whose header is in German: its values are the stages' own."""
UNKNOWN = (
    "c.yaml:9:7: audit.exports[path=e.csv]: export 'e.csv': its header row matches no known export (HubSpot, "
    "Salesforce or Pipedrive records with an id and a stage column); map its columns under `columns:`"
)


def test_an_unknown_header_gets_the_columns_its_values_suggest(tmp_path: Path, runner, monkeypatch) -> None:
    proposed = (
        "columns: {id: Datensatz-ID, current: Lebenszyklusphase, field: lifecyclestage, dates: "
        "{lead: Datum der Konversion zum Lead, mql: Datum der Konversion zum Marketing Qualified Lead}}"
    )
    assert _errors(runner, monkeypatch, _client(tmp_path / "a", "e.csv", GERMAN)) == [
        f"{UNKNOWN}; its values suggest, for this export's entry:",
        f"    {proposed}",
        "1 error in c.yaml",
    ]
    # Pasted into the entry, it reads the export: the metrics of the same rows with HubSpot's English header.
    _contacts(_metrics(runner, _client(tmp_path / "b", "e.csv", GERMAN, more=", " + proposed)))


def test_a_suggested_column_name_yaml_would_misread_is_quoted(tmp_path: Path, runner, monkeypatch) -> None:
    # A colon, a comma and quotes in a name, a duplicated id (nine in ten unique still
    # make the id), the stage's abbreviation naming its date column.
    data = (
        'Nr.,"Phase: aktuell","Eintritt ""MQL"", Datum",Notiz\n'
        "1,Lead,,\n2,Marketing Qualified Lead,2026-01-11,x\n3,Lead,,x\n4,Lead,,\n5,Lead,,\n6,Lead,,\n7,Lead,,\n8,Lead,,\n9,Lead,,\n"
        "10,Lead,,\n10,Lead,,\n"
    )
    lines = _errors(runner, monkeypatch, _client(tmp_path / "a", "e.csv", data))
    proposed = 'columns: {id: Nr., current: "Phase: aktuell", field: lifecyclestage, dates: {mql: "Eintritt \\"MQL\\", Datum"}}'
    assert lines[1] == f"    {proposed}"
    metrics = _metrics(runner, _client(tmp_path / "b", "e.csv", data, more=", " + proposed))
    assert metrics["records"] == {"e.csv": 10}
    assert metrics["stages"]["mql"] == {"current": 1, "entered": 1, "skipped": 0, "stuck": 1}


def test_an_unknown_header_without_the_stages_values_suggests_nothing(tmp_path: Path, runner, monkeypatch) -> None:
    data = "Datensatz-ID,Vorname\n101,Anna\n102,Ben\n"
    assert _errors(runner, monkeypatch, _client(tmp_path, "e.csv", data)) == [UNKNOWN, "1 error in c.yaml"]


# ---------------------------------------------------------------- ids

GUIDS = (
    f"{HEADER}\n{{6F9619FF-8B86-D011-B42D-00C04FC964FF}},Lead,2026-01-01,\n"
    "6f9619ff-8b86-d011-b42d-00c04fc964ff,Marketing Qualified Lead,2026-01-01,2026-01-11\n"
    "001A0000006Vm9r,Lead,2026-01-01,\n001a0000006Vm9r,Lead,2026-01-01,\n"
)
"""One GUID written twice, as Dynamics 365 and a spreadsheet each write it, and two
Salesforce ids that differ by case alone: two records."""


@pytest.mark.usefixtures("either_tables")
def test_a_guid_is_one_record_whatever_its_case_and_braces(tmp_path: Path, runner) -> None:
    client = _client(tmp_path, "e.csv", GUIDS)
    result = _audited(runner, client)
    assert result.stderr.splitlines() == [
        f"{client}:9:14: audit.exports[path=e.csv].path: warning: export 'e.csv' has 1 duplicate row by "
        "'Record ID': the last row of each id is used"
    ]
    metrics = json.loads(result.stdout)
    assert metrics["records"] == {"e.csv": 3}
    # The GUID's last row wins: an MQL; the two Salesforce ids are two leads.
    assert metrics["stages"]["lead"]["current"] == 2 and metrics["stages"]["mql"]["current"] == 1


# ---------------------------------------------------------------- values


def test_a_value_with_no_break_or_doubled_spaces_inside_is_one_value_with_the_plain_one(tmp_path: Path, runner) -> None:
    from deliverables.backends.data import audit
    from deliverables.core import validate

    rows = [
        ("o1", "Closed Won"),
        ("o2", "Closed\u00a0Won"),
        ("o3", "Closed  Won"),
        ("o4", "Closed Lost"),
        ("o5", "Closed\u00a0\u00a0Lost"),
        ("o6", "Closed\u3000Lost"),
    ]
    data = "Opportunity ID,Stage,Created Date\n" + "".join(f"{i},{v},2026-01-05\n" for i, v in rows)
    client = _client(tmp_path, "opps.csv", data, OPPORTUNITY)
    assert _metrics(runner, client)["unmapped"] == [
        {"object": "opportunity", "field": "StageName", "value": "Closed Lost", "records": 3}
    ]
    doc, project = validate.load(client)
    assert [(v["value"], v["stage"], v["records"]) for v in audit.run(project, doc).values] == [
        ("Closed Lost", None, 3),
        ("Closed Won", "won", 3),
    ]


PIPEDRIVE_STAGES = (
    "  - {id: qualified, name: Qualified, domain: sales, crm: {object: deal, field: stage_id, value: Qualified,"
    " pipeline: Sales}}\n"
    "  - {id: negotiation, name: Negotiation, domain: sales, crm: {object: deal, field: stage_id,"
    " value: Negotiation, pipeline: Sales}}\n"
    "  - {id: won, name: Won, domain: sales, crm: {object: deal, field: status, value: won}}\n"
)


def test_a_pipedrive_deal_export_is_read_without_columns(tmp_path: Path, runner) -> None:
    # Pipedrive names each column after its item type; the stage is a name, the outcome a status.
    data = (
        "Deal - ID,Deal - Title,Deal - Value,Deal - Pipeline,Deal - Stage,Deal - Status,Deal - Deal created\n"
        "1,A,100,Sales,Qualified,open,2026-01-05 10:00:00\n2,B,200,Sales,Negotiation,open,2026-01-06 10:00:00\n"
        "3,C,300,Sales,Negotiation,won,2026-01-07 10:00:00\n4,D,400,Partners,Negotiation,open,2026-01-08 10:00:00\n"
    )
    client = _client(tmp_path, "deals.csv", data, PIPEDRIVE_STAGES)
    client.write_text(client.read_text(encoding="utf-8").replace("object: contact", "object: deal"), encoding="utf-8")
    result = runner.invoke(cli, ["audit", str(client)])
    assert result.exit_code == 0, result.output
    assert "  deals.csv (Pipedrive deals, deal): 4 rows, 4 records" in result.stdout.splitlines()
    metrics = _metrics(runner, client)
    # Deal 4 is in a pipeline no stage names: its stage maps to none.
    assert {s: v["current"] for s, v in metrics["stages"].items()} == {"qualified": 1, "negotiation": 2, "won": 1}
    assert metrics["unmapped"] == [
        {"object": "deal", "field": "status", "value": "open", "records": 3},
        {"object": "deal", "field": "stage_id", "value": "Negotiation", "records": 1},
    ]
