"""Dates written `YYYY-MM-DD HH:MM`, read in place (`dates.read_minutes`) rather than
once per distinct text: the same seconds, metrics and unreadable dates as the general
reader (`dates.read`), which every other text, an invalid one included, still goes to."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from deliverables.backends.data import dates
from deliverables.cli import cli

EPOCH = dt.datetime(1970, 1, 1)


def _at(*parts: int) -> int:
    return int((dt.datetime(*parts) - EPOCH).total_seconds())


# text -> (read in place?, its seconds since 1970, None when unreadable)
TEXTS = {
    "2026-01-05 10:30": (True, _at(2026, 1, 5, 10, 30)),
    "0001-01-01 00:00": (True, _at(1, 1, 1)),
    "1900-02-28 23:59": (True, _at(1900, 2, 28, 23, 59)),
    "2026-12-31 00:00": (True, _at(2026, 12, 31)),
    "9999-12-31 23:59": (True, _at(9999, 12, 31, 23, 59)),
    "2024-02-29 10:00": (False, _at(2024, 2, 29, 10)),  # a leap day: left to `read`
    "2025-02-29 10:00": (False, None),
    "1900-02-29 10:00": (False, None),
    "2026-04-31 10:00": (False, None),
    "2026-13-01 10:00": (False, None),
    "2026-01-05 24:00": (False, None),
    "2026-01-05 10:60": (False, None),
    # No year 0 in most databases, left to `read`: 1 BC, a leap year, 306 days before 1 AD from 1 March.
    "0000-03-01 00:00": (False, _at(1, 1, 1) - 306 * 86400),
    " 2026-01-05 10:30": (False, _at(2026, 1, 5, 10, 30)),
    "2026-01-05T10:30": (False, _at(2026, 1, 5, 10, 30)),
    "2026-01-05 10:30Z": (False, _at(2026, 1, 5, 10, 30)),
    "2026-01-05 10:30+02:00": (False, _at(2026, 1, 5, 8, 30)),
    "2026-01-05 10:30:15": (False, _at(2026, 1, 5, 10, 30, 15)),
    "01/05/2026 10:30": (False, _at(2026, 1, 5, 10, 30)),
    "2026-1-05 10:30": (False, None),
    "2026-01-05 1030": (False, None),
}


def test_valid_minute_dates_are_read_in_place_to_the_seconds_read_gives() -> None:
    import ibis

    table = ibis.memtable({"v": list(TEXTS)}, schema={"v": "string"})
    general = dates.read(table, "v", dates.STANDARD, ("v",))
    flagged = table.mutate(fixed=dates.minutes(table.v))
    fixed = dates.read_minutes(flagged, "v", "fixed", ("v", "fixed"))
    con = ibis.duckdb.connect()
    read = {r["v"]: r for r in con.to_pyarrow(general).to_pylist()}
    quick = {r["v"]: r for r in con.to_pyarrow(fixed).to_pylist()}
    for text, (in_place, seconds) in TEXTS.items():
        assert quick[text]["fixed"] is in_place, text
        assert (read[text]["ts"], read[text]["ok"]) == (seconds, seconds is not None), text
        if in_place:
            assert quick[text]["ts"] == seconds, text


def _client(folder: Path, rows: str, export: str = "{path: contacts.csv, object: contact}") -> Path:
    (folder / "contacts.csv").write_text(
        "Record ID,Lifecycle Stage,Became a Lead Date,Became a Marketing Qualified Lead Date\n" + rows
    )
    (folder / "client.yaml").write_text(
        "client: {name: C}\ndate: 2028-06-01\nstages:\n"
        "  - {id: lead, name: Lead, domain: lead, crm: {object: contact, field: lifecyclestage, value: lead}}\n"
        "  - {id: mql, name: Marketing Qualified Lead, domain: lead,"
        " crm: {object: contact, field: lifecyclestage, value: marketingqualifiedlead}}\n"
        f"audit:\n  stuck_after_days: 10000\n  exports:\n    - {export}\n"
    )
    return folder / "client.yaml"


def _general_only(monkeypatch) -> None:
    """Every date read by the general reader, as before the in-place one."""
    import ibis

    monkeypatch.setattr(dates, "minutes", lambda text: ibis.literal(False))


# Mixed shapes in one column; days from lead to MQL: 2.5, 1.0, 4.0, 1.5 (leap day), 10.0.
MIXED = (
    "1,Marketing Qualified Lead,2026-01-05 10:30,2026-01-07 22:30\n"
    "2,Marketing Qualified Lead,2026-01-05T10:30:00+02:00,2026-01-06 08:30\n"
    "3,Marketing Qualified Lead,01/05/2026 10:30,2026-01-09 10:30\n"
    "4,Lead,2026-01-05,\n"
    "5,Marketing Qualified Lead,2028-02-29 10:30,2028-03-01 22:30\n"
    "6,Marketing Qualified Lead, 2026-01-05 10:30 ,2026-01-15 10:30\n"
)


@pytest.mark.parametrize("general", [False, True], ids=["in place", "general reader"])
def test_minute_dates_among_other_shapes_give_the_hand_computed_metrics(
    general: bool, tmp_path: Path, runner, monkeypatch
) -> None:
    if general:
        _general_only(monkeypatch)
    result = runner.invoke(cli, ["audit", str(_client(tmp_path, MIXED)), "--format", "json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["stages"] == {
        "lead": {"current": 1, "entered": 6, "skipped": 0, "stuck": 0},
        "mql": {"current": 5, "entered": 5, "skipped": 0, "stuck": 0},
    }
    assert metrics["transitions"] == [
        {"from": "lead", "to": "mql", "entered_from": 6, "converted": 5, "rate": 0.8333, "median_days": 2.5}
    ]
    assert metrics["quality"] == {"records_without_dates": 0, "future_dates": 0, "out_of_order": 0}


@pytest.mark.parametrize("general", [False, True], ids=["in place", "general reader"])
def test_invalid_minute_dates_are_unreadable_as_before(general: bool, tmp_path: Path, runner, monkeypatch) -> None:
    if general:
        _general_only(monkeypatch)
    rows = (
        "1,Lead,2025-02-29 10:00,2026-01-05 10:30\n"
        "2,Lead,2026-01-05 24:00,2024-02-29 10:00\n"
        "3,Lead,2026-04-31 10:00,2026-01-05 10:60\n"
    )
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["audit", str(_client(tmp_path, rows).name)])
    assert result.exit_code == 1
    expected = "expected ISO 8601, YYYY-MM-DD HH:MM or MM/DD/YYYY[ HH:MM]"
    lead, mql = "Became a Lead Date", "Became a Marketing Qualified Lead Date"
    assert result.stderr.splitlines() == [
        f"client.yaml:9:7: audit.exports[path=contacts.csv]: export 'contacts.csv' has 4 unreadable dates; "
        f"{expected}, or set `date_format`",
        f"contacts.csv:2: column '{lead}': unreadable date '2025-02-29 10:00'; {expected}",
        f"contacts.csv:3: column '{lead}': unreadable date '2026-01-05 24:00'; {expected}",
        f"contacts.csv:4: column '{lead}': unreadable date '2026-04-31 10:00'; {expected}",
        f"contacts.csv:4: column '{mql}': unreadable date '2026-01-05 10:60'; {expected}",
        "5 errors in client.yaml, contacts.csv",
    ]


def test_an_exports_own_date_format_reads_minute_dates_its_own_way(tmp_path: Path, runner) -> None:
    # Day before month: 2026-05-01 is 5 January here, 2026-10-01 the 10th; not May and October.
    export = "{path: contacts.csv, object: contact, date_format: '%Y-%d-%m %H:%M'}"
    client = _client(tmp_path, "1,Marketing Qualified Lead,2026-05-01 10:00,2026-10-01 22:00\n", export)
    result = runner.invoke(cli, ["audit", str(client), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["transitions"][0]["median_days"] == 5.5
