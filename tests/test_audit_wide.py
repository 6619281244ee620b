"""The wide tables (`backends.data.wide`) give exactly the metrics of the long ones
(`backends.data.metrics`): every export shape the wide tables take is audited
both ways and compared, on the crafted cases, the bundled example's exports,
generated exports of several seeds and dirty dates of every kind; and the
shapes they do not take go the long way."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deliverables.backends.data import audit, wide
from deliverables.core import validate

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).parent / "cases"
EXAMPLE = ROOT / "examples" / "acme-analytics.yaml"


def _both(client: Path, monkeypatch) -> tuple[object, object, bool]:
    """The audit with the wide tables allowed and with the long ones forced, and
    whether the wide ones were taken."""
    doc, project = validate.load(client)
    taken = []
    fits = wide.fits

    def recording(*args, **kwargs) -> bool:
        taken.append(fits(*args, **kwargs))
        return taken[-1]

    monkeypatch.setattr(wide, "fits", recording)
    shaped = audit.run(project, doc)
    monkeypatch.setattr(wide, "fits", lambda *a, **k: False)
    long = audit.run(project, doc)
    return shaped, long, taken == [True]


def _same(shaped, long) -> None:
    assert shaped.metrics == long.metrics
    assert shaped.values == long.values
    assert [s.__dict__ for s in shaped.sources] == [s.__dict__ for s in long.sources]
    assert shaped.warnings == long.warnings


def test_the_crafted_hubspot_exports_are_audited_alike_both_ways(monkeypatch) -> None:
    shaped, long, taken = _both(CASES / "audit" / "client.yaml", monkeypatch)
    assert taken
    _same(shaped, long)
    assert shaped.metrics["stages"]["mql"]["skipped"] == 1  # a metric that is not zero


def test_the_examples_exports_are_audited_alike_both_ways(monkeypatch) -> None:
    shaped, long, taken = _both(EXAMPLE, monkeypatch)
    assert taken
    _same(shaped, long)
    assert shaped.metrics["segments"]["Original Source"]


def _generated(tmp_path: Path, seed: int) -> Path:
    out = tmp_path / "exports"
    command = [sys.executable, str(ROOT / "scripts" / "synthetic_exports.py"), str(EXAMPLE), str(out)]
    counts = ["--contacts", "1500", "--deals", "400", "--tickets", "120", "--seed", str(seed)]
    subprocess.run(command + counts, check=True, capture_output=True)
    client = tmp_path / "client.yaml"
    shutil.copy(EXAMPLE, client)
    return client


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_exports_are_audited_alike_both_ways(tmp_path: Path, monkeypatch, seed: int) -> None:
    shaped, long, taken = _both(_generated(tmp_path, seed), monkeypatch)
    assert taken
    _same(shaped, long)
    totals = shaped.metrics["stages"]
    assert sum(s["stuck"] for s in totals.values()) and sum(s["skipped"] for s in totals.values())
    assert any(t["median_days"] is not None for t in shaped.metrics["transitions"])


def _rewrite(path: Path, change) -> None:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows = change(rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_dirty_dates_blanks_and_duplicates_are_audited_alike_both_ways(tmp_path: Path, monkeypatch) -> None:
    client = _generated(tmp_path, 4)
    odd = [
        "  ",
        "N/A",
        "null",
        "2026-03-01T10:15:00Z",
        "2026-03-01",
        "1772359200000",
        "3/1/2026 2:05 PM",
        "2024-02-29 08:00",
    ]

    def dirty(rows: list[list[str]]) -> list[list[str]]:
        header, body = rows[0], rows[1:]
        dates = [i for i, name in enumerate(header) if name.endswith("Date") or name.startswith("Date entered")]
        for n, row in enumerate(body):
            for k, i in enumerate(dates):
                if row[i] and (n + k) % 7 == 0:
                    row[i] = odd[(n + k) % len(odd)]
            if n % 11 == 0:
                row[1] = f"  {row[1]} "  # a current value with spaces around it
            if n % 13 == 0:
                row[2] = ""  # no segment value, no pipeline
        # A duplicate of some records with another stage and an odd date: the last row wins.
        again = [list(body[n]) for n in range(0, len(body), 17)]
        for row in again:
            row[1] = body[-1][1]
            row[dates[0]] = odd[3]
        return [header, *body, *again, ["", body[0][1]] + [""] * (len(header) - 2)]

    for name in ("contacts.csv", "deals.csv", "tickets.csv"):
        _rewrite(tmp_path / "exports" / name, dirty)
    shaped, long, taken = _both(client, monkeypatch)
    assert taken
    _same(shaped, long)
    assert any("duplicate" in message for _, message in shaped.warnings)


def test_an_unreadable_date_is_reported_alike_both_ways(tmp_path: Path, monkeypatch) -> None:
    client = _generated(tmp_path, 5)

    def broken(rows: list[list[str]]) -> list[list[str]]:
        rows[3][3] = "31/31/2026"
        rows[9][3] = "soon"
        return rows

    _rewrite(tmp_path / "exports" / "contacts.csv", broken)
    doc, project = validate.load(client)
    messages = []
    for allowed in (True, False):
        if not allowed:
            monkeypatch.setattr(wide, "fits", lambda *a, **k: False)
        with pytest.raises(audit.InputError) as caught:
            audit.run(project, doc)
        messages.append([str(p) for p in caught.value.problems])
    assert messages[0] == messages[1]
    assert any(":4: column 'Create Date': unreadable date '31/31/2026'" in m for m in messages[0])


def test_history_exports_and_own_date_formats_go_the_long_way(tmp_path: Path, monkeypatch) -> None:
    shaped, long, taken = _both(CASES / "audit-salesforce" / "client.yaml", monkeypatch)
    assert not taken
    _same(shaped, long)
    client = _generated(tmp_path, 6)
    text = client.read_text(encoding="utf-8")
    with_format = "{path: exports/deals.csv, object: deal, date_format: '%d.%m.%Y'}"
    client.write_text(text.replace("{path: exports/deals.csv, object: deal}", with_format), encoding="utf-8")
    assert not _both(client, monkeypatch)[2]


def test_a_salesforce_report_alone_is_audited_alike_both_ways(tmp_path: Path, monkeypatch) -> None:
    """Records without their history: the creation date is the first stage's entry."""
    client = tmp_path / "client.yaml"
    text = (CASES / "audit-salesforce" / "client.yaml").read_text(encoding="utf-8")
    history = "    - {path: exports/opportunity-field-history.csv, object: opportunity, kind: history}\n"
    assert history in text
    client.write_text(text.replace(history, ""), encoding="utf-8")
    command = [sys.executable, str(ROOT / "scripts" / "synthetic_exports.py"), str(client), str(tmp_path / "exports")]
    subprocess.run([*command, "--shape", "salesforce", "--deals", "800"], check=True, capture_output=True)
    shaped, long, taken = _both(client, monkeypatch)
    assert taken
    _same(shaped, long)
    assert shaped.metrics["stages"]["prospecting"]["entered"] == 800  # every record entered at creation
