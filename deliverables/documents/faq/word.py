"""Word layout of the FAQ (python-docx lives here, not in the view)."""

from __future__ import annotations

from typing import Any

from deliverables.backends.word.kit import writer
from deliverables.backends.word.parts import blocks, legend
from deliverables.core.context import Context

STYLES = ("Cover Meta", "Golden Mark")


def write(view: dict[str, Any], ctx: Context) -> bytes:
    """The FAQ document's bytes, built on the theme's base.docx or the built-in one."""
    w = writer(ctx, STYLES, "FAQ")
    w.para(view["title"], "Title")
    w.para(view["client"], "Subtitle")
    w.para(f"Version v{view['version']}  ·  {view['date']}", "Cover Meta")
    if view["empty"]:
        w.para(view["empty"])
    for number, entry in enumerate(view["entries"], 1):
        w.heading(f"{number}. {entry['q']}", 2)
        blocks(w, entry["blocks"])
    w.para("")
    legend(w, view["legend"])
    w.header_footer(f"{view['client']}  ·  {view['title']} v{view['version']}", f"FAQ v{view['version']}")
    return w.save(f"{view['title']}: {view['client']}", view["client"], view["author"], view["day"])
