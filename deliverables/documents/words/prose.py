"""Plain prose from wording templates, split into paragraphs and bullet items.

Wording templates write paragraphs separated by blank lines and bullet items
as lines starting with `- `. Client text goes into templates through `keep()`,
which turns its own line breaks into U+2028 LINE SEPARATOR: they then survive
the template's layout untouched and every format renders them as a line break
inside the paragraph (a Word line break, a Markdown hard break).
"""

from __future__ import annotations

import re
from typing import Any

LINE = "\u2028"
"""A line break inside a paragraph, carried through templates."""

_NEWLINES = re.compile("\r\n|[\r\n\v\f\x85\u2029]")

Block = tuple[str, str]
"""("p", text) for a paragraph or ("li", text) for a bullet item."""


def keep(text: Any) -> str:
    """Client text ready to go into a template: its line breaks become LINE."""
    return _NEWLINES.sub(LINE, str(text)).strip()


def blocks(text: str) -> list[Block]:
    """Paragraphs and bullet items of rendered template text, in order."""
    out: list[Block] = []
    paragraph: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if line.startswith("- ") or not line:
            if paragraph:
                out.append(("p", " ".join(paragraph)))
                paragraph = []
            if line:
                out.append(("li", line[2:].strip()))
        else:
            paragraph.append(line)
    if paragraph:
        out.append(("p", " ".join(paragraph)))
    return out


def cover(project: Any, ctx: Any, title: str) -> dict[str, Any]:
    """The cover, header and footer fields every Word document's view carries."""
    from deliverables.core.dates import version_line

    client, state = project.client.name, project.state
    return {
        "title": title,
        "client": client,
        "author": project.architect,
        "date": ctx.date,
        "state": state,
        "header": f"{client} · {title}",
        "footer": f"v{project.version} · {state}",
        "meta": [version_line(project), f"Prepared by {project.architect}" if project.architect else ""],
    }
