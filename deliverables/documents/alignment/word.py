"""Word layout of the Definition Alignment Document (python-docx lives here, not in the view).

Portrait for the cover with the instructions, and the changes; a landscape section for the
wide terms and stage tables; portrait again for open items, statuses and sign-off.
"""

from __future__ import annotations

from typing import Any

from deliverables.backends.word import pages
from deliverables.backends.word.controls import Checkbox, TextBox
from deliverables.backends.word.kit import Rich, Run, Writer, shade_cell, writer
from deliverables.backends.word.parts import blocks, cover, legend
from deliverables.core import marks
from deliverables.core.context import Context

STYLES = (
    "Cover Logo",
    "Cover Meta",
    "Cover Stamp",
    "Golden Mark",
    "Confirmed Flag",
    "Rejected Mark",
    "Added Text",
    "Removed Text",
)
DIFF_STYLES = {"=": None, "-": "Removed Text", "+": "Added Text"}
CHECK, EMPTY = "☒", "☐"
LOGO_HEIGHT_CM, LOGO_MAX_WIDTH_CM = 2.0, 7.0
NEAR_EMPTY = 0.3
"""The portrait part's last page, before the landscape tables, is filled at least this share:
else the changes start that page earlier, at their heading or with more of their rows."""


def write(view: dict[str, Any], ctx: Context) -> bytes:
    """The document's bytes, built on the theme's base.docx or the built-in one."""
    w = writer(ctx, STYLES, view["title"])
    _cover(w, view, ctx)
    _how_to(w, view)
    if view["changes"]:
        # The portrait part ends with the changes: its last page holds more than their last rows.
        pages.no_lonely_last_page(w.doc, [_changes(w, view["changes"])], NEAR_EMPTY)
    w.new_section(landscape=True)
    shared = False
    if view["terms"]:
        _terms(w, view)
        # Terms that fill pages of their own leave the stages a fresh one; a few terms share
        # their page with the stages, which would otherwise leave it mostly empty.
        shared = pages.section_pages(w.doc) == 1
        if not shared:
            w.doc.add_page_break()
    _stages(w, view, shared)
    w.new_section(landscape=False)
    _open_items(w, view["open_items"], view["open_summary"], view.get("open_due", ""))
    _statuses(w, view["statuses"])
    _signoffs(w, view["signoffs"])
    w.header_footer(view["header"], view["footer"])
    return w.save(view["title"], view["client"], view["author"], view["date"])


def _cover(w: Writer, view: dict[str, Any], ctx: Context) -> None:
    if view["logo"]:
        _logo(w, view["logo"], ctx.input("logo"))
    # The instructions follow on the cover's page: alone, they would fill a third of one.
    cover(w, view["title"], view["client"], view["cover"]["meta"], view["cover"]["state"], view["cover"]["note"], False)


def _logo(w: Writer, name: str, data: bytes) -> None:
    """The client's logo in the cover's logo slot, at most 2 cm high and 7 cm wide."""
    w.picture(w.para("", "Cover Logo"), data, name, LOGO_HEIGHT_CM, LOGO_MAX_WIDTH_CM)


def _how_to(w: Writer, view: dict[str, Any]) -> None:
    w.heading("How to use this document")
    blocks(w, view["how_to"])
    legend(w, view["legend"])


def _changes(w: Writer, changes: dict[str, Any]) -> Any:
    """The changes since the previous version; returns their heading (a paragraph)."""
    heading = w.heading(changes["title"])
    if changes["note"]:
        w.para(changes["note"])
    if not changes["rows"]:
        return heading
    table = w.table(["What", "Change"], [1.2, 2.8])
    for row in changes["rows"]:
        cell: list[tuple[str, Rich]] = []
        for change in row["changes"]:
            cell.append(("Table Text", change["summary"]))
            if change["detail"]:
                cell.append(("Table Text", [(text, DIFF_STYLES[op]) for op, text in change["detail"]]))
        w.row(table, [[("Table Text", [(row["subject"], "Strong")])], cell])
    return heading


def _terms(w: Writer, view: dict[str, Any]) -> None:
    w.heading("Terms to align")
    w.para(
        "Internally approved? One column per approver: ☒ Yes when approved, ☒ No when rejected, "
        "☐ Yes ☐ No while the answer is pending; a dash where the person was not asked.",
        "Legend",
    )
    headers = ["Term", "Definition", *view["approvers"]]
    table = w.table(headers, [3.5, 9.0] + [2.1] * len(view["approvers"]))
    names = view["boxes"]["names"]
    for term in view["terms"]:
        first: list[tuple[str, Rich]] = [("Table Text", [(term["term"], "Strong")])]
        if term["assumed"]:
            first.append(("Table Text", [(marks.ASSUMED, "Assumed Flag")]))
        answers = [
            _answer(state, tags, f"{term['term']} – {names[i]}" if tags else "", view["boxes"]["comment"])
            for i, (state, tags) in enumerate(zip(term["approvals"], term["tags"] or [None]))
        ]
        cells = w.row(table, [first, [("Table Text", term["definition"])], *answers])
        if term["assumed"]:
            shade_cell(cells[0], marks.ASSUMED_FILL)


def _answer(state: str | None, tags: dict[str, list[str]] | None, who: str, placeholder: str) -> list[tuple[str, Rich]]:
    """An approver's cell: the Yes / No boxes (clickable when the person is asked) and a comment box."""
    runs = _checkbox(state)
    if tags is None:
        return [("Table Text", runs)]
    boxes: list[Run] = []
    for text, style in runs if not isinstance(runs, str) else [(runs, None)]:
        for line_index, line in enumerate(text.split("\n")):
            if line_index:
                boxes.append(("\n", None))
            glyph, rest = line[:1], line[1:]
            if glyph in (CHECK, EMPTY) and rest.strip() in ("Yes", "No"):
                answer = rest.strip()
                tag, mark = tags[answer.lower()]
                boxes.append(Checkbox(glyph == CHECK, tag, f"{who}: {answer}", style, mark))
                boxes.append((rest, style))
            elif line:
                boxes.append((line, style))
    comment = TextBox(tags["comment"][0], f"{who}: comment", placeholder, "Muted", tags["comment"][1])
    return [("Table Text", boxes), ("Table Text", [comment])]


def _checkbox(state: str | None) -> Rich:
    """The playbook's Yes / No boxes, ticked from the recorded approval."""
    if state == "approved":
        return [(f"{CHECK} Yes", "Confirmed Flag"), (f"\n{EMPTY} No", None)]
    if state == "rejected":
        return [(f"{EMPTY} Yes\n", None), (f"{CHECK} No", "Rejected Mark")]
    if state == "open":
        return f"{EMPTY} Yes\n{EMPTY} No"
    if state == "pending":
        return [(f"{EMPTY} Yes\n{EMPTY} No\n", None), ("pending", "Muted")]
    return [("—", "Muted")]


def _stages(w: Writer, view: dict[str, Any], shared: bool = False) -> None:
    """The stage tables by domain; on a page `shared` with the terms, the heading and legend
    keep with the first table, so they never stand alone at the foot of that page."""
    w.heading("Stage architecture")
    legend(w, view["legend"], keep=shared)
    if not view["domains"]:
        w.para("The stage architecture is proposed for the kickoff and filled in here once drafted.")
    for domain in view["domains"]:
        w.heading(f"{domain['title']} stages", 2)
        table = w.table(
            ["Stage", "Definition", "Entry criteria", "Exit criteria → destination", "Owner", "Status"],
            [3.6, 5.2, 5.6, 5.6, 2.7, 2.4],
        )
        for stage in domain["stages"]:
            _stage_row(w, table, stage, domain["colour"])


def _stage_row(w: Writer, table, stage: dict[str, Any], colour: str) -> None:
    name: list[tuple[str, str | None]] = [(stage["label"], "Strong")]
    if stage["golden"]:
        name.append((f" {marks.GOLDEN}", "Golden Mark"))
    cells = w.row(
        table,
        [
            [("Table Text", name)],
            [("Table Text", stage["definition"] or [("Not defined yet", "Muted")])],
            [("Table Bullet", c) for c in stage["entry"]] or [("Table Text", [("None written yet", "Muted")])],
            [("Table Bullet", _exit(e)) for e in stage["exits"]] or [("Table Text", [("End of flow", "Muted")])],
            [("Table Text", stage["owner"] or [("Owner to be named", "Muted")])],
            _status(stage),
        ],
    )
    shade_cell(cells[0], marks.GOLDEN_FILL if stage["golden"] else colour)
    if stage["assumed"]:
        shade_cell(cells[5], marks.ASSUMED_FILL)


def _exit(exit_: dict[str, str]) -> Rich:
    runs: list[tuple[str, str | None]] = [(exit_["to"], "Strong")]
    if exit_["domain"]:
        runs.append((f" ({exit_['domain']})", "Muted"))
    if exit_["when"]:
        runs.append((f": {exit_['when']}", None))
    return runs


def _status(stage: dict[str, Any]) -> list[tuple[str, Rich]]:
    if not stage["assumed"]:
        return [("Table Text", [(marks.CONFIRMED, "Muted")])]
    cell: list[tuple[str, Rich]] = [("Table Text", [(marks.ASSUMED, "Assumed Flag")])]
    if stage["confirm_with"]:
        cell.append(("Table Text", f"Confirm with {stage['confirm_with']}"))
    return cell


def _open_items(w: Writer, groups: list[dict[str, Any]], summary: str, due: str = "") -> None:
    w.heading("Open items")
    if not groups:
        w.para("Nothing is ASSUMED: every stage and term is confirmed.")
        return
    lead = f"{summary}. Each needs a decision before CRM configuration; they are listed by who confirms them."
    w.para(f"{lead} {due}" if due else lead)
    table = w.table(["Who confirms", "Item", "Where", "Next step"], [4.2, 4.6, 2.4, 2.4])
    for group in groups:
        for index, item in enumerate(group["items"]):
            who = [("Table Text", [(group["who"], "Strong")])] if index == 0 else [("Table Text", "")]
            w.row(
                table,
                [
                    who,
                    [("Table Text", item["name"])],
                    [("Table Text", item["where"])],
                    [("Table Text", item["what"])],
                ],
            )


def _statuses(w: Writer, statuses: dict[str, Any]) -> None:
    w.heading("Contact status vs lifecycle stage")
    blocks(w, statuses["blocks"])
    if statuses["rows"]:
        table = w.table(["Contact status", "Meaning"], [1.2, 3.8])
        for row in statuses["rows"]:
            w.row(
                table,
                [
                    [("Table Text", [(row["name"], "Strong")])],
                    [("Table Text", row["definition"] or [("Not defined yet", "Muted")])],
                ],
            )


def _signoffs(w: Writer, rows: list[dict[str, str]]) -> None:
    w.heading("Sign-off")
    w.para(
        "By signing, each leader confirms that the definitions in the scope named describe how their "
        "team will work, and that CRM configuration may start on that basis."
    )
    table = w.table(["Name", "Scope", "Signature", "Date"], [5.6, 3.0, 4.2, 3.0])
    for row in rows:
        name: list[tuple[str, Rich]] = [("Table Text", [(row["name"], "Strong")])]
        name += [("Table Text", [(line, "Muted")]) for line in row["role"]]
        w.row(table, [name, [("Table Text", row["scope"])], [("Table Text", "")], [("Table Text", row["date"])]])
