"""The current-state audit's metrics on crafted exports, against values computed by hand.

tests/cases/audit: HubSpot contacts (labels as headers, a duplicate, a skipped
MQL, a future date, dates out of order, a formula-looking value) and deals
(`Date entered` columns, a deal in a pipeline the architecture lacks, a US date).
tests/cases/audit-salesforce: Salesforce opportunities in Windows-1252 and their
field history (a non-stage field, a record only in the history).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from deliverables.cli import cli

CASES = Path(__file__).parent / "cases"
ZERO = {"current": 0, "entered": 0, "skipped": 0, "stuck": 0}


def _stages(*rows: tuple[str, int, int, int, int]) -> dict:
    return {r[0]: dict(zip(("current", "entered", "skipped", "stuck"), r[1:])) for r in rows}


def _move(a: str, b: str, entered: int, converted: int, rate, median) -> dict:
    return {"from": a, "to": b, "entered_from": entered, "converted": converted, "rate": rate, "median_days": median}


HUBSPOT = {
    "records": {"exports/contacts.csv": 8, "exports/deals.csv": 5},
    "stages": _stages(
        ("lead", 2, 6, 0, 1),
        ("mql", 2, 3, 1, 2),
        ("sal", 2, 2, 0, 2),
        ("sql", 1, 3, 0, 0),
        # Outcomes end the flow: the two won deals and the lost one are done, not stuck.
        ("won", 2, 2, 0, 0),
        ("lost", 1, 1, 0, 0),
    ),
    "transitions": [
        _move("lead", "mql", 6, 3, 0.5, 4.5),
        _move("mql", "sal", 3, 1, 0.3333, 10.0),
        _move("sql", "won", 3, 2, 0.6667, 20.1),
        _move("sql", "lost", 3, 0, 0.0, None),
    ],
    "unmapped": [
        {"object": "contact", "field": "lifecyclestage", "value": "=cmd|' /C calc'!A0", "records": 1},
        {"object": "contact", "field": "lifecyclestage", "value": "Subscriber", "records": 1},
        {"object": "deal", "field": "dealstage", "value": "Qualified", "records": 1},
    ],
    "quality": {"records_without_dates": 3, "future_dates": 1, "out_of_order": 1},
}

ORGANIC = {
    "records": {"exports/contacts.csv": 4, "exports/deals.csv": 0},
    "stages": {
        **_stages(("lead", 2, 4, 0, 1), ("mql", 1, 1, 1, 1), ("sal", 1, 1, 0, 1)),
        "sql": ZERO,
        "won": ZERO,
        "lost": ZERO,
    },
    "transitions": [
        _move("lead", "mql", 4, 1, 0.25, -9.0),
        _move("mql", "sal", 1, 0, 0.0, None),
        _move("sql", "won", 0, 0, None, None),
        _move("sql", "lost", 0, 0, None, None),
    ],
    "unmapped": [],
    "quality": {"records_without_dates": 0, "future_dates": 1, "out_of_order": 1},
}

SALESFORCE = {
    "records": {"exports/opportunities.csv": 3, "exports/opportunity-field-history.csv": 3},
    "stages": _stages(
        ("prospecting", 1, 3, 1, 1), ("qualification", 0, 2, 0, 0), ("won", 1, 1, 0, 0), ("lost", 0, 0, 0, 0)
    ),
    "transitions": [
        _move("prospecting", "qualification", 3, 1, 0.3333, 10.0),
        _move("qualification", "won", 2, 1, 0.5, 40.4),
        _move("qualification", "lost", 2, 0, 0.0, None),
    ],
    "unmapped": [{"object": "opportunity", "field": "StageName", "value": "Negotiation/Review", "records": 1}],
    "quality": {"records_without_dates": 0, "future_dates": 0, "out_of_order": 0},
}


_RUNS: dict[tuple[str, ...], object] = {}


def _audit(runner, path: Path, *extra: str):
    """The CLI's result; a fixture case is audited once per session (the machine is small)."""
    args = ("audit", str(path), *extra)
    if str(path).startswith(str(CASES)):
        if args not in _RUNS:
            _RUNS[args] = runner.invoke(cli, list(args))
        return _RUNS[args]
    return runner.invoke(cli, list(args))


def _copy(case: str, tmp_path: Path) -> Path:
    shutil.copytree(CASES / case, tmp_path / case)
    return tmp_path / case / "client.yaml"


def test_hubspot_exports_give_the_hand_computed_metrics(runner) -> None:
    result = _audit(runner, CASES / "audit" / "client.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    segments = metrics.pop("segments")
    assert metrics == HUBSPOT
    assert sorted(segments["Original Source"]) == ["(not set)", "Organic", "Paid"]
    assert segments["Original Source"]["Organic"] == ORGANIC
    paid = segments["Original Source"]["Paid"]
    assert paid["records"] == {"exports/contacts.csv": 3, "exports/deals.csv": 0}
    assert paid["stages"]["sal"] == {"current": 1, "entered": 1, "skipped": 0, "stuck": 1}
    assert paid["unmapped"] == HUBSPOT["unmapped"][:2]


def test_duplicates_are_counted_in_a_positioned_warning(runner) -> None:
    result = _audit(runner, CASES / "audit" / "client.yaml", "--format", "json")
    where = f"{CASES / 'audit' / 'client.yaml'}:13:14: audit.exports[path=exports/contacts.csv].path"
    deals = f"{CASES / 'audit' / 'client.yaml'}:14:14: audit.exports[path=exports/deals.csv].path"
    assert result.stderr.splitlines() == [
        f"{where}: warning: export 'exports/contacts.csv' has 1 duplicate row by 'Record ID': the last row of each id is used",
        # Its one slash date reads either way (11 March or 3 November), and no export tells which.
        f"{CASES / 'audit' / 'client.yaml'}:14:7: audit.exports[path=exports/deals.csv]: warning: export 'exports/deals.csv' writes its dates "
        "with slashes, none with a number above 12 before the year, so each reads either way: they were read month "
        "first, '03/11/2026 06:00' as 11 March 2026 (day first: 3 November 2026); set `date_format: "
        "'%d/%m/%Y %H:%M'` on the export if its dates are day first, or `date_format: '%m/%d/%Y %H:%M'` to say "
        "they are month first",
        f"{deals}: warning: export 'exports/deals.csv' has 1 row in a pipeline no deal stage names: 'Renewals' (1); "
        "the stages name 'new-business', so its value maps to no stage",
    ]


def test_salesforce_records_and_field_history_give_the_hand_computed_metrics(runner) -> None:
    result = _audit(runner, CASES / "audit-salesforce" / "client.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == SALESFORCE


def test_text_format_prints_the_funnel(runner) -> None:
    result = _audit(runner, CASES / "audit-salesforce" / "client.yaml")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Current-state audit of Crafted Sales, exports of 2026-11-06"
    assert "Prospecting          1        3        1      1" in lines
    assert "Qualification -> Closed Won         2          1  50.0%         40.4" in lines
    assert "  opportunity.StageName 'Negotiation/Review': 1 record" in lines


def test_xlsx_and_utf8_bom_exports_read_like_csv(tmp_path: Path, runner) -> None:
    from openpyxl import Workbook

    client = _copy("audit-salesforce", tmp_path)
    exports = client.parent / "exports"
    history = exports / "opportunity-field-history.csv"
    book = Workbook()
    sheet = book.active
    for line in history.read_text().splitlines():
        sheet.append(line.split(","))
    book.save(exports / "history.xlsx")
    text = client.read_text().replace("opportunity-field-history.csv", "history.xlsx")
    client.write_text(text)
    opportunities = exports / "opportunities.csv"
    opportunities.write_bytes(b"\xef\xbb\xbf" + opportunities.read_bytes().decode("cp1252").encode("utf-8"))
    result = _audit(runner, client, "--format", "json")
    assert result.exit_code == 0, result.output
    expected = dict(SALESFORCE, records={"exports/opportunities.csv": 3, "exports/history.xlsx": 3})
    assert json.loads(result.stdout) == expected


def test_explicit_columns_and_date_format(tmp_path: Path, runner) -> None:
    folder = tmp_path / "c"
    (folder / "x").mkdir(parents=True)
    (folder / "x" / "people.csv").write_text(
        "Key;State;Joined;Qualified on\nA;mql;01.02.2026;05.02.2026\nB;new;03.02.2026;\n"
    )
    (folder / "client.yaml").write_text(
        "client: {name: C}\ndate: 2026-11-20\nstages:\n"
        "  - {id: new, name: New, domain: lead, crm: {object: person, field: state, value: new}}\n"
        "  - {id: mql, name: MQL, domain: lead, crm: {object: person, field: state, value: mql}}\n"
        "audit:\n  as_of: 2026-03-01\n  exports:\n    - path: x/people.csv\n      object: person\n"
        "      date_format: '%d.%m.%Y'\n"
        "      columns: {id: Key, current: State, field: state, dates: {new: Joined, mql: Qualified on}}\n"
    )
    result = _audit(runner, folder / "client.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["stages"] == _stages(("new", 1, 2, 0, 0), ("mql", 1, 1, 0, 0))
    assert metrics["transitions"] == [_move("new", "mql", 2, 1, 0.5, 4.0)]


def _client(folder: Path, exports: str, files: dict[str, str | bytes]) -> Path:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    text = (
        "client: {name: C}\ndate: 2026-11-20\nstages:\n"
        "  - {id: lead, name: Lead, domain: lead, crm: {object: contact, field: lifecyclestage, value: lead}}\n"
        f"audit:\n  exports:\n{exports}"
    )
    (folder / "c.yaml").write_text(text)
    return folder / "c.yaml"


def _errors(runner, monkeypatch, folder: Path) -> list[str]:
    monkeypatch.chdir(folder)
    result = runner.invoke(cli, ["audit", "c.yaml"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    return result.stderr.splitlines()


def test_missing_export_names_the_client_file_line(tmp_path: Path, runner, monkeypatch) -> None:
    _client(tmp_path, "    - {path: exports/gone.csv, object: contact}\n", {})
    assert _errors(runner, monkeypatch, tmp_path) == [
        "c.yaml:7:14: audit.exports[path=exports/gone.csv].path: export file 'exports/gone.csv' not found",
        "1 error in c.yaml",
    ]


def test_unknown_header_asks_for_a_column_mapping(tmp_path: Path, runner, monkeypatch) -> None:
    _client(tmp_path, "    - {path: e.csv, object: contact}\n", {"e.csv": "Name,Email\na,b\n"})
    assert _errors(runner, monkeypatch, tmp_path) == [
        "c.yaml:7:7: audit.exports[path=e.csv]: export 'e.csv': its header row matches no known export "
        "(HubSpot, Salesforce or Pipedrive records with an id and a stage column); map its columns under `columns:`",
        "1 error in c.yaml",
    ]


def test_unknown_column_in_mapping_suggests_the_near_one(tmp_path: Path, runner, monkeypatch) -> None:
    exports = "    - path: e.csv\n      object: contact\n      columns: {id: Key, current: Stat}\n"
    _client(tmp_path, exports, {"e.csv": "Key,State\na,lead\n"})
    assert _errors(runner, monkeypatch, tmp_path) == [
        "c.yaml:9:35: audit.exports[path=e.csv].columns.current: unknown column 'Stat' in 'e.csv' (did you mean 'State'?)",
        "1 error in c.yaml",
    ]


def test_unreadable_dates_list_export_rows_then_a_count(tmp_path: Path, runner, monkeypatch) -> None:
    rows = "".join(f"{i},Lead,not a date {i}\n" for i in range(25))
    _client(
        tmp_path,
        "    - {path: e.csv, object: contact}\n",
        {"e.csv": "Record ID,Lifecycle Stage,Became a Lead Date\n" + rows},
    )
    lines = _errors(runner, monkeypatch, tmp_path)
    assert lines[0] == (
        "c.yaml:7:7: audit.exports[path=e.csv]: export 'e.csv' has 25 unreadable dates (the first 20 listed); "
        "expected ISO 8601, YYYY-MM-DD HH:MM or MM/DD/YYYY[ HH:MM], or set `date_format`"
    )
    assert lines[1:3] == [
        "e.csv:2: column 'Became a Lead Date': unreadable date 'not a date 0'; expected ISO 8601, YYYY-MM-DD HH:MM or MM/DD/YYYY[ HH:MM]",
        "e.csv:3: column 'Became a Lead Date': unreadable date 'not a date 1'; expected ISO 8601, YYYY-MM-DD HH:MM or MM/DD/YYYY[ HH:MM]",
    ]
    assert len(lines) == 22 and lines[20].startswith("e.csv:21: ")
    assert lines[-1] == "21 errors in c.yaml, e.csv"


def test_days_a_month_lacks_are_unreadable_dates_not_the_next_month(tmp_path: Path, runner, monkeypatch) -> None:
    rows = "1,Lead,2026-01-31\n2,Lead,2026-02-30\n3,Lead,2026-13-01\n4,Lead,02/29/2026\n5,Lead,2028-02-29\n"
    _client(
        tmp_path,
        "    - {path: e.csv, object: contact}\n",
        {"e.csv": "Record ID,Lifecycle Stage,Became a Lead Date\n" + rows},
    )
    expected = "expected ISO 8601, YYYY-MM-DD HH:MM or MM/DD/YYYY[ HH:MM]"
    assert _errors(runner, monkeypatch, tmp_path) == [
        f"c.yaml:7:7: audit.exports[path=e.csv]: export 'e.csv' has 3 unreadable dates; {expected}, or set `date_format`",
        f"e.csv:3: column 'Became a Lead Date': unreadable date '2026-02-30'; {expected}",
        f"e.csv:4: column 'Became a Lead Date': unreadable date '2026-13-01'; {expected}",
        f"e.csv:5: column 'Became a Lead Date': unreadable date '02/29/2026'; {expected}",
        "4 errors in c.yaml, e.csv",
    ]


def test_a_bad_date_format_is_positioned(tmp_path: Path, runner, monkeypatch) -> None:
    exports = "    - {path: e.csv, object: contact, date_format: '%Q'}\n"
    _client(tmp_path, exports, {"e.csv": "Record ID,Lifecycle Stage\n1,Lead\n"})
    assert _errors(runner, monkeypatch, tmp_path)[0] == (
        "c.yaml:7:51: audit.exports[path=e.csv].date_format: unusable date format: unknown directive '%Q'; "
        "known: %Y, %y, %m, %d, %H, %I, %M, %S, %p, %z, %b"
    )


def test_dates_read_every_accepted_shape_to_utc_seconds() -> None:
    import datetime as dt

    import ibis

    from deliverables.backends.data import dates

    values = {
        "2026-01-05": dt.datetime(2026, 1, 5),
        "2026-01-05 10:30": dt.datetime(2026, 1, 5, 10, 30),
        "2026-01-05T10:30:15Z": dt.datetime(2026, 1, 5, 10, 30, 15),
        "2026-01-05T10:30:15.123-05:00": dt.datetime(2026, 1, 5, 15, 30, 15),
        "1/5/2026": dt.datetime(2026, 1, 5),
        "01/05/2026 3:45 PM": dt.datetime(2026, 1, 5, 15, 45),
        "12/05/2026 12:10 AM": dt.datetime(2026, 12, 5, 0, 10),
        "05.01.2026": dt.datetime(2026, 1, 5),
        "": None,
        "garbage": "bad",
        "2026-13-01": "bad",
        "2026-02-30": "bad",
        "2026-04-31 10:00": "bad",
        "2025-02-29": "bad",
        "2028-02-29": dt.datetime(2028, 2, 29),
        "2/30/2026": "bad",
        "31.06.2026": "bad",
        "2026-01-05 24:00": "bad",
    }
    table = ibis.memtable({"v": list(values)}, schema={"v": "string"})
    read = dates.read(table, "v", dates.shapes("%d.%m.%Y"), ("v",))
    rows = ibis.duckdb.connect().to_pyarrow(read.select("v", s=read.ts, ok=read.ok)).to_pylist()
    assert len(rows) == len(values)
    epoch = dt.datetime(1970, 1, 1)
    for row in rows:
        expected = values[row["v"]]
        if expected == "bad":
            assert (row["ok"], row["s"]) == (False, None), row
        else:
            assert row["ok"] is True, row
            assert row["s"] == (None if expected is None else int((expected - epoch).total_seconds())), row


def test_duckdb_runs_with_a_memory_limit_and_spills_into_the_audits_own_folder(runner, monkeypatch) -> None:
    from deliverables.backends.data import audit

    seen = {}
    close = audit.Database.close

    def recording_close(self) -> None:
        query = "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        seen["limit"], seen["spill"] = self.con.raw_sql(query).fetchone()
        seen["folder"] = Path(seen["spill"]).parent
        assert seen["folder"].is_dir()
        close(self)

    monkeypatch.setattr(audit.Database, "close", recording_close)
    result = runner.invoke(cli, ["audit", str(CASES / "audit" / "client.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert seen["limit"] == "768.0 MiB" and audit.MEMORY_LIMIT == "768MiB"
    assert seen["folder"].name.startswith("deliver-audit-") and Path(seen["spill"]).name == "spill"
    assert not seen["folder"].exists()  # the private folder, spill included, is gone once the audit ends
