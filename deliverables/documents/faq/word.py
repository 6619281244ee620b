"""Word layout of the FAQ (python-docx lives here, not in the view)."""

from __future__ import annotations

from typing import Any

from deliverables.backends.word import pages
from deliverables.backends.word.kit import writer
from deliverables.backends.word.parts import blocks, legend
from deliverables.core.context import Context

STYLES = ("Cover Meta", "Golden Mark")
NEAR_EMPTY = 0.3
"""A last page filled less than this share takes the whole last question with it instead."""


def write(view: dict[str, Any], ctx: Context) -> bytes:
    """The FAQ document's bytes, built on the theme's base.docx or the built-in one.

    When the end would leave a last page nearly empty (the tail of an answer and the legend),
    the question that runs over starts the last page: the break falls between two questions."""
    w = writer(ctx, STYLES, "FAQ")
    w.para(view["title"], "Title")
    w.para(view["client"], "Subtitle")
    w.para(f"Version v{view['version']}  ·  {view['date']}", "Cover Meta")
    if view["next"]:
        w.para(view["next"], "Cover Meta")
    if view["empty"]:
        w.para(view["empty"])
    headings = []
    for number, entry in enumerate(view["entries"], 1):
        headings.append(w.heading(f"{number}. {entry['q']}", 2))
        blocks(w, entry["blocks"])
    if view["legend"]:
        w.para("")
        legend(w, view["legend"])
    pages.no_lonely_last_page(w.doc, headings, NEAR_EMPTY)
    w.header_footer(f"{view['client']}  ·  {view['title']} v{view['version']}", f"FAQ v{view['version']}")
    return w.save(f"{view['title']}: {view['client']}", view["client"], view["author"], view["day"])
