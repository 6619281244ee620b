"""One stage's block on the Stage Reference Card: its paragraphs, measured and
placed for a column width.

A block reads: name (abbr) with the golden mark and the ASSUMED flag, the owner
on the same line at the right when both fit on one line (else on a line of its
own), the definition, then one line per entry criterion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Paragraph

from deliverables.backends import direction
from deliverables.backends.pdf.markup import fit_words, markup
from deliverables.backends.pdf.rtl import make_paragraph, shaped_width
from deliverables.backends.pdf.style import BOLD, REGULAR, Styles
from deliverables.core import marks

ENTRY_MARK = "▸"
OWNER_LABEL = "Owner: "
ONE_LINE = 2
"""The definition level cut to what fits on one line of the column."""
LEFT_OUT = 3
"""The definition level that leaves definitions out: the last resort before failing."""


@dataclass(frozen=True)
class Placed:
    """A block laid out for one width: paragraphs with their offsets from the block's top-left."""

    height: float
    paragraphs: tuple[tuple[Paragraph, float, float, float], ...]
    """(paragraph, left offset, top offset, wrap width)."""
    owner_inline: bool


@dataclass
class Block:
    """One stage at one body size and definition level; placements cached per width."""

    stage: dict[str, Any]
    style: Styles
    level: int
    placed: dict[float, Placed] = field(default_factory=dict)
    made: dict[object, Any] = field(default_factory=dict)
    """One-line definitions per width (paragraphs are kept by `parsed`, for every block)."""

    def height(self, width: float) -> float:
        """Height in a column `width` points wide."""
        return self.place(width).height

    def place(self, width: float) -> Placed:
        """The block laid out in a column `width` points wide."""
        if width not in self.placed:
            self.placed[width] = self._place(width - 2 * self.style.indent)
        return self.placed[width]

    def least_height(self, width: float) -> float:
        """A lower bound of `height(width)` from text widths alone, without wrapping: cheap."""
        inner, style = width - 2 * self.style.indent, self.style
        pad = round(style.size * 0.1, 2) if self.stage.get("compact") else style.pad
        total = 2 * pad + style.name.leading * max(
            1.0, _least_width(self.stage["label"], BOLD, style.name.fontSize) / inner
        )
        if self.stage.get("brief"):
            return total
        definition = self.definition(inner)
        if definition:
            total += style.definition.leading * _least_width(definition, REGULAR, style.size) / inner
        for criterion in self.stage["entry"]:
            total += style.bullet.leading * max(1.0, _least_width(criterion, REGULAR, style.size) / inner)
        return total

    def _place(self, inner: float) -> Placed:
        if self.stage.get("brief"):
            return self._place_brief(inner)
        pad, left, items = self.style.pad, self.style.indent, []
        name, owner = self._name(), self._owner()
        owner_width = self.owner_width() + self.style.size * 0.2
        inline = owner_width <= inner * 0.45 and self._one_line(name, inner - owner_width - self.style.size)
        name_width = inner - owner_width - self.style.size if inline else inner
        cursor = pad + wrapped(name, name_width)[0]
        # A name read right to left starts at the right: the owner beside it goes to the left.
        rtl = inline and direction.right_to_left(self.stage["label"]) and direction.rtl_paragraph(self.stage["label"])
        items.append((name, left + inner - name_width if rtl else left, pad, name_width))
        if inline:
            # Baselines match: a paragraph's first baseline sits fontSize below its top.
            drop = self.style.name.fontSize - self.style.size
            items.append((owner, left if rtl else left + inner - owner_width, pad + drop, owner_width))
        for paragraph in self._details(inner) + ([] if inline else [owner]):
            cursor += paragraph.getSpaceBefore()
            items.append((paragraph, left, cursor, inner))
            cursor += wrapped(paragraph, inner)[0]
        return Placed(cursor + pad, tuple(items), inline)

    def _place_brief(self, inner: float) -> Placed:
        """A name (with its marks) and an optional muted note: the overview's and the
        hand-offs' blocks."""
        pad, left = self.style.pad, self.style.indent
        if self.stage.get("compact"):
            pad = round(self.style.size * 0.1, 2)
        name = self._name()
        items = [(name, left, pad, inner)]
        cursor = pad + wrapped(name, inner)[0]
        if self.stage.get("note"):
            note = parsed(markup(self.stage["note"]), self.style.definition)
            cursor += note.getSpaceBefore()
            items.append((note, left, cursor, inner))
            cursor += wrapped(note, inner)[0]
        return Placed(cursor + pad, tuple(items), False)

    def _one_line(self, name: Paragraph, width: float) -> bool:
        """True when the name with its marks fits on one line of `width`."""
        return wrapped(name, width)[1] == 1

    def _name(self) -> Paragraph:
        text = f"{markup(self.stage['label'])}"
        if self.stage["golden"]:
            text += f' <font color="#{marks.GOLDEN_LINE}">{marks.GOLDEN}</font>'
        if self.stage["assumed"]:
            text += f' <font size="{self.style.size * 0.78:.2f}" color="#{marks.ASSUMED_COLOUR}">{marks.ASSUMED}</font>'
        if self.stage.get("tag"):
            text += f' <font name="{REGULAR}" size="{self.style.size:.2f}" color="#{marks.MUTED}">· {markup(self.stage["tag"])}</font>'
        return parsed(text, self.style.name)

    def _owner(self) -> Paragraph:
        text = f'<font color="#{marks.MUTED}">{OWNER_LABEL.strip()}</font> <b>{markup(self.stage["owner"])}</b>'
        return parsed(text, self.style.body)

    def owner_width(self) -> float:
        """Natural width of the owner line."""
        size = self.style.size
        return shaped_width(OWNER_LABEL, REGULAR, size) + shaped_width(
            " ".join(self.stage["owner"].split()), BOLD, size
        )

    def _details(self, inner: float) -> list[Paragraph]:
        """Definition (at this block's level) and entry criteria."""
        paragraphs = []
        definition = self.definition(inner)
        if definition:
            paragraphs.append(parsed(markup(definition), self.style.definition))
        for criterion in self.stage["entry"] or [self.stage["no_entry"]]:
            paragraphs.append(parsed(markup(criterion), self.style.bullet, ENTRY_MARK))
        return paragraphs

    def definition(self, inner: float) -> str:
        """The definition as printed: whole, first sentence, or the words that fit one line."""
        if self.stage.get("brief"):
            return ""
        if self.level < ONE_LINE:
            return self.stage["definitions"][self.level]
        if self.level == LEFT_OUT:
            return ""
        if ("one line", inner) not in self.made:
            size = self.style.definition.fontSize
            self.made[("one line", inner)] = fit_words(
                self.stage["definitions"][1], lambda text: shaped_width(text, REGULAR, size) <= inner
            )
        return self.made[("one line", inner)]


_PARSED: dict[tuple[str, Any, str | None], Paragraph] = {}
_MOST_PARSED = 20_000


def parsed(text: str, style: Any, bullet: str | None = None) -> Paragraph:
    """The paragraph of `text` in `style`, its markup parsed once per process.

    The fitting search lays the same stages out for many cards, sizes and column
    counts, and parsing is the costly part. A paragraph is only ever measured or
    drawn right after it is wrapped to the width in hand, so one paragraph may
    serve every block that shows the same text in the same style. The key holds
    the style object itself: equal texts in distinct styles never share.
    """
    key = (text, style, bullet)
    found = _PARSED.get(key)
    if found is None:
        if len(_PARSED) >= _MOST_PARSED:
            _PARSED.clear()
            _WRAPPED.clear()
        found = _PARSED[key] = make_paragraph(text, style, bullet)
    return found


_WRAPPED: dict[tuple[Paragraph, float], tuple[float, int]] = {}


def wrapped(paragraph: Paragraph, width: float) -> tuple[float, int]:
    """The height and line count of a `parsed` paragraph wrapped to `width`, worked out
    once per paragraph and width (the paragraph is wrapped again before it is drawn).
    The key holds the paragraph itself, so no other one can ever take its place."""
    key = (paragraph, width)
    found = _WRAPPED.get(key)
    if found is None:
        if len(_WRAPPED) >= 4 * _MOST_PARSED:
            _WRAPPED.clear()
        height = paragraph.wrap(width, 1e6)[1]
        found = _WRAPPED[key] = (height, len(paragraph.blPara.lines))
    return found


def _least_width(text: str, font: str, size: float, most: int = 4000) -> float:
    """Width of the text, or for a text over `most` characters an estimate from its start.

    Measuring (and wrapping) a pasted megabyte takes seconds; a text that long
    fills a column at any size, so the estimate only has to be roughly right.
    """
    if len(text) <= most:
        return shaped_width(text, font, size)
    return shaped_width(text[:most], font, size) * len(text) / most * 0.9
