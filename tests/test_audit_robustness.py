"""The audit on exports it was never shown: other CRMs' spellings, dirty files, workbooks
saved every which way, dates as APIs write them. Each either gives the hand-computed
metrics or fails with the client file's line and, for data, the export's row; never a
traceback. Every export here is a few crafted lines."""

from __future__ import annotations

import json
from pathlib import Path

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
