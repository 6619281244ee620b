"""Word layout of the Maintenance Schedule (python-docx lives here, not in the view)."""

from __future__ import annotations

from typing import Any

from deliverables.backends.word.kit import Writer, writer
from deliverables.backends.word.parts import COVER_STYLES as STYLES
from deliverables.backends.word.parts import cover
from deliverables.core.context import Context

TABLES = (
    ("monthly", "Monthly tasks", ("Task", "What to check", "Red flag"), ("task", "check", "red_flag")),
    ("quarterly", "Quarterly tasks", ("Task", "What to review", "Action if off track"), ("task", "check", "action")),
    ("triggers", "Refinement triggers", ("Trigger", "Threshold", "Response"), ("trigger", "threshold", "response")),
)


def write(view: dict[str, Any], ctx: Context) -> bytes:
    """The schedule's bytes, built on the theme's base.docx or the built-in one."""
    w = writer(ctx, STYLES, view["title"])
    cover(w, view["title"], view["client"], view["meta"], view["state"])
    w.heading("How this schedule works", 1)
    w.para(view["purpose"])
    w.para([(view["owner"], "Strong")])
    w.para(view["launch_note"])
    w.para(view["framework_note"])
    if view["standard_note"]:
        w.para([(view["standard_note"], "Muted")])
    for key, title, headers, fields in TABLES[:2]:
        _table(w, title, headers, [[row[f] for f in fields] + [row.get("report", "")] for row in view[key]])
        if key == "monthly" and view.get("baselines"):
            _baselines(w, view["baselines"])
    _checks(w, "After the first business cycle", view["first_cycle"])
    _checks(w, "Every 6 to 12 months", view["review"])
    key, title, headers, fields = TABLES[2]
    _table(w, title, headers, [[row[f] for f in fields] for row in view[key]])
    _escalation(w, view)
    if view["checkin"]:
        _checkin(w, view["checkin"])
    _calendar(w, view)
    w.header_footer(view["header"], view["footer"])
    return w.save(view["title"], view["client"], view["author"], view["date"])


def _table(w: Writer, title: str, headers: tuple[str, ...], rows: list[list[str]]) -> None:
    w.heading(title, 1)
    table = w.table(list(headers), [2.2, 4, 3.4])
    for row in rows:
        report = row[3:] and row[3]
        check = [("Table Text", row[1])] + ([("Table Text", [(report, "Muted")])] if report else [])
        w.row(table, [[("Table Text", [(row[0], "Strong")])], check] + [[("Table Text", row[2])]])


def _baselines(w: Writer, baselines: dict[str, Any]) -> None:
    w.heading("Baselines from the current-state audit", 2)
    w.para(f"Measured in the CRM exports of {baselines['as_of']}; each monthly check compares against them.")
    table = w.table(["Measure", "Today", "Red flag"], [3.2, 1.2, 5.2])
    for row in baselines["rows"]:
        w.row(
            table,
            [
                [("Table Text", [(row["measure"], "Strong")])],
                [("Table Text", row["today"])],
                [("Table Text", row["red_flag"])],
            ],
        )


def _checks(w: Writer, title: str, block: dict[str, Any]) -> None:
    w.heading(title, 1)
    # Keep the date line with the first check so a page never ends on it.
    w.para([(block["when"], "Strong")]).paragraph_format.keep_with_next = True
    for item in block["items"]:
        name = item["name"] if item["name"].endswith(("?", ":")) else item["name"] + ":"
        w.para([(name + " ", "Strong"), (item["text"], None)], "List Bullet")


def _escalation(w: Writer, view: dict[str, Any]) -> None:
    w.heading("Escalation guide", 1)
    table = w.table(["Issue", "Who handles it", "Why"], [4, 1.8, 3.4])
    for row in view["escalation"]:
        w.row(
            table,
            [[("Table Text", row["issue"])], [("Table Text", [(row["who"], "Strong")])], [("Table Text", row["why"])]],
        )
    w.para(view["call_back"])


def _checkin(w: Writer, checkin: dict[str, str]) -> None:
    w.heading("Refinement check-in", 1)
    w.para([(checkin["date"] + ": ", "Strong"), (checkin["text"], None)])
    w.para([(checkin["prep"] + ": ", "Strong"), (checkin["prep_text"], None)])


def _calendar(w: Writer, view: dict[str, Any]) -> None:
    if not view["ics"]:
        return
    w.heading("Calendar", 1)
    w.para(f"The calendar file {view['ics']} holds these events; import it into any calendar.")
    table = w.table(["Event", "First date", "Repeats"], [5, 2.4, 2.1])
    for event in view["schedule"]:
        w.row(
            table,
            [[("Table Text", event["summary"])], [("Table Text", event["first"])], [("Table Text", event["repeats"])]],
        )
