"""An export of every CRM property: the audit holds only the columns it reads, and
gives exactly what it gives for the same export cut down to those columns, footers,
checks and errors included."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import ibis
import pytest
from test_audit_robustness import (
    HEADER,
    OPPORTUNITY,
    ROWS,
    SALESFORCE_FOOTER,
    _client,
    _contacts,
    _errors,
)

from deliverables.backends.data import files
from deliverables.cli import cli

UNREAD = [f"Property {i}" for i in range(40)]


def _wide(header: str, rows: list[str], filler: str = "x") -> str:
    """The export with forty more columns the audit never reads, each row filled in."""
    lines = [header + "," + ",".join(UNREAD)]
    lines += [row + "," + ",".join(f"{filler}{i}" for i in range(len(UNREAD))) for row in rows]
    return "\n".join(lines) + "\n"


def _json(runner, client: Path, name: str) -> dict:
    result = runner.invoke(cli, ["audit", str(client), "--format", "json"])
    assert result.exit_code == 0, result.output
    text = result.stdout.replace(str(client.parent / name), name)
    return json.loads(text)


@pytest.fixture
def con():
    backend = ibis.duckdb.connect()
    yield backend
    backend.disconnect()


def test_only_the_columns_read_are_held(tmp_path: Path, con) -> None:
    path = tmp_path / "e.csv"
    path.write_text(_wide(HEADER, ROWS), encoding="utf-8")
    wanted = {"Record ID", "Lifecycle Stage", "Became a Lead Date"}
    table, read = files.load_file(con, path, "export_0", str(tmp_path), keep=lambda header: wanted)
    assert read.columns == tuple(HEADER.split(",") + UNREAD)
    # The first column is always held: a report's footer is told by it.
    assert table.columns == (files.ROW, "Record ID", "Lifecycle Stage", "Became a Lead Date")
    held = [row[0] for row in con.raw_sql('DESCRIBE "export_0"').fetchall()]
    assert held == ["Record ID", "Lifecycle Stage", "Became a Lead Date"]
    rows = con.raw_sql('SELECT "_row", "Record ID" FROM "export_0_rows" ORDER BY 1').fetchall()
    assert rows == [(2, "1"), (3, "2"), (4, "3")]


def test_a_narrow_export_is_held_whole_without_asking(tmp_path: Path, con) -> None:
    path = tmp_path / "e.csv"
    path.write_text(HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    asked = []
    table, read = files.load_file(
        con, path, "export_0", str(tmp_path), keep=lambda header: asked.append(header) or set()
    )
    assert asked == []
    assert table.columns == (files.ROW, *HEADER.split(","))
    assert read.columns == tuple(HEADER.split(","))


def test_the_audit_of_a_wide_export_is_that_of_its_columns_alone(tmp_path: Path, runner) -> None:
    narrow = _client(tmp_path / "narrow", "e.csv", HEADER + "\n" + "\n".join(ROWS) + "\n")
    wide = _client(tmp_path / "wide", "e.csv", _wide(HEADER, ROWS))
    found = _json(runner, wide, "e.csv")
    _contacts(found)
    assert found == _json(runner, narrow, "e.csv")


def test_a_segment_column_among_many_is_read(tmp_path: Path, runner) -> None:
    header = HEADER + ",Original Source"
    rows = [r + s for r, s in zip(ROWS, (",Paid Search", ",Organic", ",Paid Search"))]
    more = "\n  segments: [Original Source]"
    narrow = _client(tmp_path / "narrow", "e.csv", header + "\n" + "\n".join(rows) + "\n")
    wide = _client(tmp_path / "wide", "e.csv", _wide(header, rows))
    for client in (narrow, wide):
        client.write_text(client.read_text(encoding="utf-8") + more[1:] + "\n", encoding="utf-8")
    found = _json(runner, wide, "e.csv")
    assert found["segments"]["Original Source"].keys() == {"Paid Search", "Organic"}
    assert found == _json(runner, narrow, "e.csv")


def test_a_footer_of_a_wide_report_is_left_out(tmp_path: Path, runner) -> None:
    header = '"Opportunity ID","Opportunity Name","Stage","Created Date"'
    rows = ['"o1","A","Prospecting","1/5/2026"', '"o2","B","Closed Won","1/10/2026"']
    data = _wide(header, rows) + SALESFORCE_FOOTER
    result = runner.invoke(cli, ["audit", str(_client(tmp_path, "opps.csv", data, OPPORTUNITY)), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["records"] == {"opps.csv": 2}
    assert "ends with a report's footer (an empty row and 5 more" in result.stderr


def test_a_last_record_that_looks_like_a_footer_through_the_columns_read_is_a_record(tmp_path: Path, con) -> None:
    """Below an empty row, a record whose only values besides its id are in columns the
    audit does not read: seen whole it is no footer, and it stays."""
    header = "Record ID,Lifecycle Stage," + ",".join(UNREAD)
    blank = "," * (len(UNREAD) + 1)
    data = f"{header}\n1,Lead,{','.join('x' * len(UNREAD))}\n{blank}\n2,,{'y' + ',' * (len(UNREAD) - 1)}\n"
    path = tmp_path / "e.csv"
    path.write_text(data, encoding="utf-8")
    _, read = files.load_file(
        con, path, "export_0", str(tmp_path), keep=lambda header: {"Record ID", "Lifecycle Stage"}
    )
    assert read.footer == 0
    assert con.raw_sql('SELECT count(*) FROM "export_0"').fetchone()[0] == 3
    # The same file without its unread values: a footer of one line.
    cut = "Record ID,Lifecycle Stage\n1,Lead\n,\n2,\n"
    path.write_text(cut, encoding="utf-8")
    _, read = files.load_file(
        con, path, "export_1", str(tmp_path), keep=lambda header: {"Record ID", "Lifecycle Stage"}
    )
    assert read.footer == 2


def test_values_beyond_the_header_of_a_wide_export_are_refused_at_their_row(
    tmp_path: Path, runner, monkeypatch
) -> None:
    data = _wide(HEADER, ROWS).splitlines()
    data[2] += ",extra"
    lines = _errors(runner, monkeypatch, _client(tmp_path, "e.csv", "\n".join(data) + "\n"))
    assert any("has a row with more values than its header has columns" in line for line in lines), lines
    assert any(line.startswith("e.csv:3:") for line in lines), lines


def test_a_nul_in_a_header_column_the_audit_does_not_read_is_still_refused(tmp_path: Path, con) -> None:
    header = HEADER + "," + ",".join(UNREAD[:-1]) + ",Bad\x00Name"
    path = tmp_path / "e.csv"
    path.write_text(header + "\n" + "\n".join(r + "," + ",".join("x" * len(UNREAD)) for r in ROWS) + "\n")
    with pytest.raises(files.Unreadable, match="NUL character in column 44"):
        files.load_file(con, path, "export_0", str(tmp_path), keep=lambda header: {"Record ID"})


def test_a_header_duckdb_reads_as_another_is_asked_of_duckdb(tmp_path: Path, con) -> None:
    """Names DuckDB gives itself (a blank one, one twice) are the names asked for."""
    header = "Record ID,,Lifecycle Stage,Lifecycle Stage," + ",".join(UNREAD)
    path = tmp_path / "e.csv"
    path.write_text(header + "\n1,a,Lead,MQL," + ",".join("x" * len(UNREAD)) + "\n", encoding="utf-8")
    expected = [r[0] for r in duckdb.sql(f"DESCRIBE SELECT * FROM read_csv('{path}', all_varchar=true)").fetchall()]
    _, read = files.load_file(con, path, "export_0", str(tmp_path), keep=lambda header: {header[3]})
    assert list(read.columns) == expected
    assert con.raw_sql(f'SELECT "{expected[3]}" FROM "export_0"').fetchall() == [("MQL",)]
