"""Parts several Word documents share: the cover, the marks legend, prose blocks
and stage names, with the golden mark and the ASSUMED flag in their own styles."""

from __future__ import annotations

import re
from collections.abc import Sequence

from deliverables.backends.word.kit import Rich, Writer
from deliverables.core import marks

COVER_STYLES = ("Cover Meta", "Cover Stamp", "Golden Mark", "Confirmed Flag")
"""Styles `cover` and `legend` need besides the base ones."""

_MARKS = re.compile(f"({re.escape(marks.GOLDEN)}|\\b{marks.ASSUMED}\\b)")


def marked(text: str) -> Rich:
    """Runs in which the golden symbol and the ASSUMED flag carry their own styles."""
    styles = {marks.GOLDEN: "Golden Mark", marks.ASSUMED: "Assumed Flag"}
    return [(part, styles.get(part)) for part in _MARKS.split(text) if part]


def cover(
    w: Writer, title: str, client: str, meta: Sequence[str], state: str, note: str = "", page: bool = True
) -> None:
    """Title, client, the version lines, the DRAFT/FINAL stamp and a note, then a page
    break (unless `page` is False: a short introduction follows on the cover's page)."""
    w.para(title, "Title")
    w.para(client, "Subtitle")
    for line in meta:
        if line:
            w.para(line, "Cover Meta")
    w.para([(state, "Confirmed Flag" if state == "FINAL" else "Assumed Flag")], "Cover Stamp")
    if note:
        w.para(note, "Cover Meta")
    if page:
        w.doc.add_page_break()


def legend(w: Writer, lines: Sequence[str], keep: bool = False) -> None:
    """The marks legend: the golden symbol and the ASSUMED flag in their own styles; with
    `keep`, each line keeps with the next (a legend between a heading and its table)."""
    for line in lines:
        paragraph = w.para(marked(line), "Legend")
        if keep:
            paragraph.paragraph_format.keep_with_next = True


def blocks(w: Writer, items: Sequence[tuple[str, str]]) -> None:
    """Prose blocks from a wording template: paragraphs and bullets, marks in their styles."""
    for kind, text in items:
        w.para(marked(text), "List Bullet" if kind == "li" else "Normal")


def stage_name(label: str, golden: bool, assumed: bool = False) -> Rich:
    """A stage label with its golden mark and ASSUMED flag."""
    runs: list[tuple[str, str | None]] = [(label, None)]
    if golden:
        runs.append((f" {marks.GOLDEN}", "Golden Mark"))
    if assumed:
        runs.append((f" {marks.ASSUMED}", "Assumed Flag"))
    return runs
