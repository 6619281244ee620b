"""Keep the README's generated client-file reference in sync with the model."""

from __future__ import annotations

from pathlib import Path

from deliverables.core.schema import reference_markdown

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
