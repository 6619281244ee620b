"""The plain data a deck view returns: slides, paragraphs, tables.

Views decide what each slide says; the deck builder (`deckbuild.py`) decides
how it fits: font sizes, continuation slides, row heights. Nothing here
imports an office library.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deliverables.backends.text import Run
from deliverables.core import marks

TITLE, BULLETS, TABLE, IMAGE = "title", "bullets", "table", "image"


@dataclass(frozen=True)
class Para:
    """One bullet paragraph: runs of styled text at an indent level."""

    runs: tuple[Run, ...]
    level: int = 0


@dataclass(frozen=True)
class Table:
    """A table with a header row; it continues on "(cont.)" slides when long."""

    columns: tuple[str, ...]
    widths: tuple[float, ...]
    """Relative column widths."""
    rows: tuple[tuple[tuple[Run, ...], ...], ...] = ()
    empty: str = ""
    """Said instead of the table when it has no rows."""
    group: bool = False
    """The first column groups rows: shown on the first row of a group on each slide."""


@dataclass(frozen=True)
class Slide:
    """One slide as the view wants it; `kind` is TITLE, BULLETS, TABLE or IMAGE."""

    kind: str
    title: str
    notes: str
    subtitle: str = ""
    lead: str = ""
    """One short sentence above a table or image."""
    paras: tuple[Para, ...] = ()
    table: Table | None = None
    image: str = ""
    """Name of the image the renderer supplies (e.g. "diagram")."""


@dataclass(frozen=True)
class Deck:
    """A whole deck: file name, document properties and slides in order."""

    file: str
    title: str
    author: str
    footer: str
    slides: tuple[Slide, ...] = field(default_factory=tuple)


def para(text: str, style: str = "", level: int = 0) -> Para:
    """A paragraph of one run."""
    return Para(((text, style),), level)


def cell(text: str, style: str = "") -> tuple[Run, ...]:
    """A table cell of one run."""
    return ((text, style),)


def flagged(text: str, status: str, golden: bool = False) -> tuple[Run, ...]:
    """Runs naming an item: ★ when golden, an amber ASSUMED flag when not confirmed."""
    runs: list[Run] = [(text, "")]
    if golden:
        runs.append((f" {marks.GOLDEN}", "golden"))
    if status == "assumed":
        runs.append((f" {marks.ASSUMED}", "assumed"))
    return tuple(runs)
