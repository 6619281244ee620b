"""`deliver schema`: the client file's JSON Schema or reference, both generated from
the model; and keeping the README's copy of the reference in sync."""

from __future__ import annotations

import json
from pathlib import Path

from deliverables.core.schema import json_schema, reference_markdown


def schema_text(markdown: bool = False) -> str:
    """The JSON Schema of the client file, or (markdown) the reference for people."""
    return reference_markdown() if markdown else json.dumps(json_schema(), indent=2, sort_keys=True)


START, END = "<!-- reference:start -->", "<!-- reference:end -->"


def refreshed(text: str) -> str:
    """README text with the reference block regenerated."""
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{reference_markdown()}\n{END}{tail}"


def update(path: Path) -> bool:
    """Rewrite the README if its reference is stale; True when it changed."""
    text = path.read_text(encoding="utf-8")
    new = refreshed(text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text
