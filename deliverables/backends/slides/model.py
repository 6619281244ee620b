"""The plain data a deck view returns: slides, paragraphs, tables.

Views decide what each slide says; the deck builder (`slides.build`) decides
how it fits: font sizes, continuation slides, row heights, the layout of a
domain's flow. Nothing here imports an office library.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deliverables.backends.text import Run
from deliverables.core import marks

TITLE, BULLETS, TABLE, IMAGE, FLOW = "title", "bullets", "table", "image", "flow"


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
    """A table without rows is not shown: its slide is left out."""
    group: bool = False
    """The first column groups rows: shown on the first row of a group on each slide."""


@dataclass(frozen=True)
class Step:
    """One stage of a domain's flow, drawn as a box."""

    name: str
    owner: str
    golden: bool = False
    assumed: bool = False


@dataclass(frozen=True)
class Flow:
    """A domain's stages in flow order, in the domain's colour, and where it hands off."""

    steps: tuple[Step, ...]
    colour: str
    handoffs: str = ""
    """One line naming the stages of other domains this one hands off to."""


@dataclass(frozen=True)
class Slide:
    """One slide as the view wants it; `kind` is TITLE, BULLETS, TABLE, IMAGE or FLOW."""

    kind: str
    title: str
    """The takeaway in one sentence (an action title); the deck's name on the title slide."""
    notes: str
    topic: str = ""
    """The small kicker above the title: what the slide is about."""
    section: str = ""
    """The agenda section the slide belongs to (one of `Deck.sections`), for the tracker."""
    subtitle: str = ""
    lead: str = ""
    """One short sentence above a table or image."""
    paras: tuple[Para, ...] = ()
    table: Table | None = None
    image: str = ""
    """Name of the image the renderer supplies (e.g. "diagram")."""
    facts: tuple[Para, ...] = ()
    """Key facts shown beside an image when it is drawn with a side panel."""
    flow: Flow | None = None


@dataclass(frozen=True)
class Deck:
    """A whole deck: file name, document properties and slides in order."""

    file: str
    title: str
    author: str
    footer: str
    slides: tuple[Slide, ...] = field(default_factory=tuple)
    sections: tuple[str, ...] = ()
    """The agenda's sections in order, as the tracker names them."""


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
