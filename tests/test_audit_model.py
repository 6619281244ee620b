"""The optional `audit:` section of the client file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import write

from deliverables.core.validate import load_project

HEAD = "client: {name: Acme}\ndate: 2026-11-20\nstages:\n  - {id: mql, name: MQL, domain: lead}\n  - {id: sql, name: SQL, domain: sales}\n"


def test_audit_section_reads_exports_and_per_stage_thresholds(tmp_path: Path) -> None:
    text = HEAD + (
        "audit:\n  as_of: 2026-11-06\n  exports:\n    - {path: exports/contacts.csv, object: contact}\n"
        "    - {path: h.csv, object: opportunity, kind: history, date_format: '%d.%m.%Y'}\n"
        "  segments: Original Source\n  stuck_after_days: {default: 60, sql: 30}\n"
    )
    project, _ = load_project(write(tmp_path / "c.yaml", text))
    audit = project.audit
    assert audit.as_of == dt.date(2026, 11, 6)
    assert [(e.path, e.object, e.kind, e.date_format) for e in audit.exports] == [
        ("exports/contacts.csv", "contact", "records", None),
        ("h.csv", "opportunity", "history", "%d.%m.%Y"),
    ]
    assert audit.segments == ("Original Source",)
    assert (audit.stuck_days("sql"), audit.stuck_days("mql")) == (30, 60)


def test_a_single_threshold_applies_to_every_stage(tmp_path: Path) -> None:
    text = HEAD + "audit:\n  exports: [{path: a.csv, object: contact}]\n  stuck_after_days: 45\n"
    project, _ = load_project(write(tmp_path / "c.yaml", text))
    assert (project.audit.stuck_days("sql"), project.audit.stuck_days("mql")) == (45, 45)


def test_default_threshold_is_ninety_days(tmp_path: Path) -> None:
    text = HEAD + "audit:\n  exports: [{path: a.csv, object: contact}]\n"
    project, _ = load_project(write(tmp_path / "c.yaml", text))
    assert project.audit.stuck_days("sql") == 90
    assert project.audit.as_of is None
