"""Word layout of the CRM Configuration Spec (python-docx lives here, not in the view).

One part per platform ("For Salesforce", "For HubSpot"), then the part common
to both: build order, QA checklist and the drop-off reasons by stage. The first
part follows the introduction on its page; only a second platform's part starts
a page of its own.
"""

from __future__ import annotations

from typing import Any

from deliverables.backends.word import pages
from deliverables.backends.word.kit import Rich, Writer, space_before, writer
from deliverables.backends.word.parts import COVER_STYLES, cover, legend, stage_name
from deliverables.core.context import Context

STYLES = COVER_STYLES
PROPOSED = " (proposed)"
BOX = "☐ "
AFTER_TABLE = 8
"""Points between a table and the paragraph right below it."""
NEAR_EMPTY = 0.3
"""A last page filled less than this share starts earlier: at the last section's heading, or
with more of the last table's rows."""


def write(view: dict[str, Any], names: list[str], ctx: Context) -> bytes:
    """The spec's bytes, built on the theme's base.docx or the built-in one.

    A last page that would hold only the tail of the common part (a few rows of the drop-off
    reasons) starts earlier, so that it is filled to NEAR_EMPTY."""
    w = writer(ctx, STYLES, view["title"])
    cover(w, view["title"], view["client"], view["meta"], view["state"])
    w.para(view["purpose"])
    w.para(view["proposed_note"])
    legend(w, view["legend"])
    for index, platform in enumerate(view["platforms"]):
        if index:  # each platform's part starts a page of its own, for its own admin
            w.doc.add_page_break()
        files = [n for n in names if n.startswith(f"crm/{platform['id']}/")]
        _platform(w, platform, view["files_intro"], files)
    _common(w, view)
    headings = [p for p in w.doc.paragraphs if p.style.name.startswith("Heading")]
    pages.no_lonely_last_page(w.doc, headings, NEAR_EMPTY)
    w.header_footer(view["header"], view["footer"])
    return w.save(view["title"], view["client"], view["author"], view["date"])


def _proposed(text: str, proposed: bool) -> Rich:
    return [(text, None), (PROPOSED, "Assumed Flag")] if proposed else text


def _platform(w: Writer, p: dict[str, Any], intro: str, files: list[str]) -> None:
    w.heading(f"For {p['title']}", 1)
    w.para(p["intro"])
    w.bullets(p["notes"])
    _stage_table(w, p)
    _pipelines(w, p)
    _picklists(w, p)
    _automation(w, p)
    _validation(w, p)
    _dashboards(w, p)
    w.heading(f"{p['title']} files", 2)
    # the list of files reads as one: it moves to the next page whole, its introduction with it
    kept = [w.para(intro), w.para(p["files_note"]), *(w.para(name, "List Bullet") for name in files)]
    for paragraph in kept[:-1]:
        paragraph.paragraph_format.keep_with_next = True


def _stage_table(w: Writer, p: dict[str, Any]) -> None:
    w.heading("Where each stage lives", 2)
    # objects, fields and values are API names: they never wrap, their columns widen to fit them
    whole = {column: [s[key] for s in p["stages"]] for column, key in ((2, "object"), (3, "field"), (4, "value"))}
    table = w.table(["Stage", "Domain", "Object", "Field", "Value", "Pipeline"], [3, 1.4, 1.4, 2, 2.4, 1.6], whole)
    for s in p["stages"]:
        cells = [
            stage_name(s["label"], s["golden"], s["assumed"]),
            s["domain"],
            s["object"],
            s["field"],
            _proposed(s["value"], s["proposed"]),
            s["pipeline"],
        ]
        w.row(table, [[("Table Text", c)] for c in cells])


def _pipelines(w: Writer, p: dict[str, Any]) -> None:
    if not p["pipelines"]:
        return
    w.heading("Pipeline stages and probabilities", 2)
    for index, pipeline in enumerate(p["pipelines"]):
        label = w.para([(f"{pipeline['name']} ({pipeline['object']})", "Strong")])
        if index:  # the pipeline before ends in a table: leave room between the two
            space_before(label, AFTER_TABLE)
        headers = ["Stage", "Probability", "Type"] if pipeline["deal"] else ["Stage", "Type"]
        table = w.table(headers, [4, 1.5, 2][: len(headers) - 1] + [2])
        for r in pipeline["rows"]:
            cells = [stage_name(r["label"], r["golden"]), _proposed(r["kind"], r["proposed"] and r["kind"] != "open")]
            if pipeline["deal"]:
                cells.insert(1, _proposed(r["probability"], r["proposed"]))
            w.row(table, [[("Table Text", c)] for c in cells])


def _picklists(w: Writer, p: dict[str, Any]) -> None:
    w.heading("Lifecycle and status picklists", 2)
    for pick in p["picklists"]:
        w.para(
            [(pick["name"], "Strong"), (": " + " · ".join(pick["values"]), None)]
            + ([(PROPOSED, "Assumed Flag")] if pick["proposed"] else [])
        )
    w.para(
        [
            (f"{p['status_field']} (contact status, apart from the lifecycle)", "Strong"),
            (": " + " · ".join(p["statuses"]), None),
        ]
        + ([(PROPOSED, "Assumed Flag")] if p["statuses_proposed"] else [])
    )
    w.heading("Drop-off reason picklists", 2)
    for pick in p["drop_off_fields"]:
        w.para(
            [(pick["name"], "Strong"), (": " + " · ".join(pick["values"]), None)]
            + ([(PROPOSED, "Assumed Flag")] if pick["proposed"] else [])
        )


def _automation(w: Writer, p: dict[str, Any]) -> None:
    w.heading("Automation rules", 2)
    table = w.table(["Rule", "What it does", "How to build it"], [2, 4, 4])
    for rule in p["automation"]:
        # a rule that contradicts the client's criteria is a decision, flagged like an open item
        what = [(rule["rule"], "Assumed Flag")] if rule.get("decision") else rule["rule"]
        w.row(
            table,
            [
                [("Table Text", [(rule["name"], "Strong")])],
                [("Table Text", what)],
                [("Table Text", rule["how"])],
            ],
        )


def _validation(w: Writer, p: dict[str, Any]) -> None:
    w.heading("Validation rules for entry criteria", 2)
    w.bullets(p["validation_standard"])
    w.para([(p["validation_how"], "Muted")])
    table = w.table(["Stage", "Rule"], [3, 7])
    for row in p["validation"]:
        w.row(table, [[("Table Text", stage_name(row["stage"], row["golden"]))], [("Table Text", row["rule"])]])


def _dashboards(w: Writer, p: dict[str, Any]) -> None:
    w.heading("Dashboard reports", 2)
    table = w.table(["Report", "What it shows"], [2, 7])
    for d in p["dashboards"]:
        w.row(table, [[("Table Text", [(d["name"], "Strong")])], [("Table Text", d["what"])]])
    space_before(w.para([(p["dashboards_how"], "Muted")]), AFTER_TABLE)


def _common(w: Writer, view: dict[str, Any]) -> None:
    w.heading(view["common_title"], 1)
    w.heading("Build order", 2)
    for index, step in enumerate(view["build_order"], start=1):
        w.para(f"{index}. {step}")
    w.heading("QA checklist", 2)
    for item in view["qa"]:
        w.para(BOX + item)
    if view["statuses"]:
        w.heading("Contact status values", 2)
        table = w.table(["Status", "Meaning"], [2, 7])
        for s in view["statuses"]:
            w.row(table, [[("Table Text", s["name"])], [("Table Text", s["definition"])]])
    if view["drop_offs"]:
        w.heading("Drop-off reasons by stage", 2)
        table = w.table(["Stage", "Reasons"], [3, 7])
        for row in view["drop_offs"]:
            w.row(table, [[("Table Text", row["stage"])], [("Table Text", " · ".join(row["reasons"]))]])
