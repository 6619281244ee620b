"""Text measurement with the bundled fonts' own metrics (fontTools): widths,
wrapping and glyph coverage, for every deliverable that lays text out itself.

The diagram sizes its boxes with these numbers, the decks wrap their text with
them, and the card checks which characters its font can draw: one table of
advance widths per font family, one rule for characters a font lacks.

A `Family` is the name a document declares and the files its text is measured
with. The diagram and the card draw with the bundled DejaVu files themselves;
the decks declare Calibri, which every Office install has, and are measured
with its metric-compatible twin Carlito (same advance widths), so a line that
fits here fits in PowerPoint. Where a twin lacks a glyph (★, ✓), a viewer
substitutes another font: the DejaVu width stands in for it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from deliverables.backends.direction import shape
from deliverables.core import cache
from deliverables.core.paths import templates_root

LINE = 1.2
"""Line height as a multiple of the font size; decks set exactly this spacing."""
SAFETY = 0.96
"""Share of a box's width the measure may fill: viewers kern and hint a little
differently, so a line measured as just fitting must not wrap there."""

Run = tuple[str, str]
"""A piece of text and its style name (see BOLD_STYLES)."""

BOLD_STYLES = frozenset({"bold", "assumed", "golden", "heading", "alert", "accent", "kicker", "title"})
_TOKEN = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Family:
    """A font family as a document names it, and the bundled files that measure it."""

    name: str
    """The family written into the document (what Office looks up)."""
    regular: str
    """File name under templates/fonts of the regular face (or its metric twin)."""
    bold: str

    def __hash__(self) -> int:
        # Part of the key of every cached measure, asked for each word: worked out once.
        try:
            return self.__dict__["_hash"]
        except KeyError:
            found = self.__dict__["_hash"] = hash((self.name, self.regular, self.bold))
            return found

    def file(self, bold: bool = False) -> str:
        """The bundled file of the regular or bold face."""
        return self.bold if bold else self.regular


DEJAVU = Family("DejaVu Sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
DEJAVU_CONDENSED = Family("DejaVu Sans Condensed", "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf")
CALIBRI = Family("Calibri", "Carlito-Regular.ttf", "Carlito-Bold.ttf")
"""Office's default sans; measured with Carlito, its metric-compatible twin (SIL OFL)."""
ARIAL = Family("Arial", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf")
"""Measured with Liberation Sans, its metric-compatible twin (SIL OFL)."""
FAMILIES = {family.name: family for family in (DEJAVU, DEJAVU_CONDENSED, CALIBRI, ARIAL)}
"""Every family the documents declare, by the name they declare."""


def family_named(name: str | None) -> Family:
    """The family a document names (e.g. a run's typeface); DejaVu when unknown."""
    return FAMILIES.get(name or "", DEJAVU)


# ------------------------------------------------------------------ one font's widths


@lru_cache(maxsize=16)
def _file_widths(file: str) -> dict[int, float]:
    """Advance width in em of every character of one bundled font file, read once (and kept in
    the user cache, keyed by the font's bytes: reading a font with fontTools is slow)."""
    path = templates_root() / "fonts" / file
    name = cache.key(path.read_bytes()) + ".json"
    return {int(code): width for code, width in cache.cached_json("font-widths", name, lambda: _read_widths(str(path)))}


def _read_widths(path: str) -> list[list[float]]:
    import logging

    from fontTools.ttLib import TTFont

    # Carlito's header dates predate 1970; fontTools logs that on every read. Widths do not depend on it.
    logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)
    with TTFont(path) as font:
        units = font["head"].unitsPerEm
        advances = font["hmtx"].metrics
        return sorted([code, advances[glyph][0] / units] for code, glyph in font.getBestCmap().items())


@lru_cache(maxsize=16)
def family_widths(family: Family, bold: bool = False) -> dict[int, float]:
    """Advance width in em of every character of a family, DejaVu's where the family lacks one."""
    own = _file_widths(family.file(bold))
    if family in (DEJAVU, DEJAVU_CONDENSED):
        return own
    return {**_file_widths(DEJAVU.file(bold)), **own}


def advance_widths(bold: bool = False, condensed: bool = False) -> dict[int, float]:
    """Advance width in em of every character of the bundled DejaVu font, read once."""
    return family_widths(DEJAVU_CONDENSED if condensed else DEJAVU, bold)


def char_width(char: str, widths: dict[int, float]) -> float:
    """Width of one character in em; for a glyph the font lacks, what a viewer's fallback takes."""
    width = widths.get(ord(char))
    if width is not None:
        return width
    if unicodedata.combining(char):
        return 0.0
    # A viewer substitutes another font: East Asian and emoji glyphs are full-width.
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") or ord(char) > 0xFFFF else 0.65


def text_width(text: str, size: float, bold: bool = False, family: Family = DEJAVU) -> float:
    """Width in points of one line of text at `size` points."""
    return _em(text, bold, family) * size


@lru_cache(maxsize=16)
def _char_widths(family: Family, bold: bool) -> dict[str, float]:
    """`family_widths` keyed by the character itself: one lookup a character, in C."""
    return {chr(code): width for code, width in family_widths(family, bold).items()}


@lru_cache(maxsize=65536)
def _em(text: str, bold: bool, family: Family = DEJAVU) -> float:
    """Width of a text in em; words repeat, so this is cached.

    Every character the family has is summed straight from its table; a text with one it
    lacks is summed as `char_width` measures it. The same widths in the same order, so the
    same sum. Arabic is measured with its letters joined, as every viewer draws it."""
    text = shape(text)
    try:
        return sum(map(_char_widths(family, bold).__getitem__, text))
    except KeyError:
        widths = family_widths(family, bold)
        return sum(char_width(char, widths) for char in text)


def missing(text: str, bold: bool = False, condensed: bool = False, family: Family | None = None) -> str:
    """The distinct characters of `text` a bundled font cannot draw, in order of appearance."""
    widths = _file_widths((family or (DEJAVU_CONDENSED if condensed else DEJAVU)).file(bold))
    seen: dict[str, None] = {}
    for char in text:
        if ord(char) not in widths and not char.isspace() and unicodedata.category(char)[0] != "C":
            seen.setdefault(char, None)
    return "".join(seen)


# ------------------------------------------------------------------ plain text in lines


def wrap_words(text: str, width: float, size: float, bold: bool = False, max_lines: int = 3) -> list[str]:
    """Greedy word wrap to `width` points; long words are split; the last line ends in an ellipsis if cut."""
    lines: list[str] = []
    for word in text.split():
        if text_width(word, size, bold) > width:
            lines.extend(_split_word(word, width, size, bold))
        elif lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _ellipsize(lines[-1] + " …", width, size, bold)
    return lines or [""]


def _split_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    """A word too wide for a line, cut into pieces that fit."""
    pieces, current = [], ""
    for char in word:
        if current and text_width(current + char, size, bold) > width:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current]


def _ellipsize(line: str, width: float, size: float, bold: bool) -> str:
    """The line ending in ' …' within `width`: whole words give way first ('After The Joint …',
    not 'After The Joint Weekl…'); a single word too wide is cut."""
    words = line.removesuffix(" …").split(" ")
    while len(words) > 1 and text_width(" ".join(words) + " …", size, bold) > width:
        words.pop()
    if len(words) > 1 or text_width(line, size, bold) <= width:
        return " ".join(words) + " …"
    while len(line) > 1 and text_width(line, size, bold) > width:
        line = line[:-2].rstrip() + "…"
    return line


# ------------------------------------------------------------------ styled runs in lines


def _tokens(runs: Sequence[Run]) -> list[Run]:
    """Words with their trailing spaces, each keeping its run's style; newlines kept apart."""
    out: list[Run] = []
    for text, style in runs:
        for part in re.split(r"(\n)", text):
            out.extend((tok, style) for tok in (_TOKEN.findall(part) if part != "\n" else ["\n"]))
    return out


def _width(token: Run, size: float, family: Family) -> float:
    return _em(token[0].rstrip(), token[1] in BOLD_STYLES, family) * size


def _advance(token: Run, size: float, family: Family) -> float:
    return _em(token[0], token[1] in BOLD_STYLES, family) * size


def _break_word(token: Run, width: float, size: float, family: Family) -> list[Run]:
    """Split a word wider than the line into pieces that fit, character by character."""
    pieces, current = [], ""
    bold = token[1] in BOLD_STYLES
    for ch in token[0]:
        if current and text_width(current + ch, size, bold, family) > width and not ch.isspace():
            pieces.append((current, token[1]))
            current = ""
        current += ch
    return [*pieces, (current, token[1])] if current else pieces


def wrap(runs: Sequence[Run], width: float, size: float, family: Family = DEJAVU) -> list[list[Run]]:
    """Lines of tokens as a greedy word wrap at `width` points would lay them out."""
    return [list(line) for line in _wrap(tuple(runs), width, size, family)]


@lru_cache(maxsize=8192)
def _wrap(runs: tuple[Run, ...], width: float, size: float, family: Family) -> tuple[tuple[Run, ...], ...]:
    # The same cell is measured at several sizes and again when drawn: cache it.
    # A token's widths are `_width` and `_advance`, asked once each (a text of a
    # million characters is a hundred thousand tokens).
    width *= SAFETY
    lines: list[list[Run]] = [[]]
    used = 0.0
    for token in _tokens(runs):
        text, style = token
        if text == "\n":
            lines[-1].append(token)  # kept so that joining lines restores the break
            lines.append([])
            used = 0.0
            continue
        bold = style in BOLD_STYLES
        shown = _em(text.rstrip(), bold, family) * size
        if shown > width:
            pieces = _break_word(token, width, size, family)
        else:
            if lines[-1] and used + shown > width:
                lines.append([])
                used = 0.0
            lines[-1].append(token)
            used += _em(text, bold, family) * size
            continue
        for piece in pieces:
            if lines[-1] and used + _width(piece, size, family) > width:
                lines.append([])
                used = 0.0
            lines[-1].append(piece)
            used += _advance(piece, size, family)
    return tuple(tuple(line) for line in lines)


def line_count(runs: Sequence[Run], width: float, size: float, family: Family = DEJAVU) -> int:
    """How many lines the runs take at `width` points and `size`."""
    return len(_wrap(tuple(runs), width, size, family))


def widest_line(runs: Sequence[Run], width: float, size: float, family: Family = DEJAVU) -> float:
    """Width in points of the widest line the runs wrap into at `width` points."""
    lines = _wrap(tuple(runs), width, size, family)
    return max(
        (sum(_advance(t, size, family) for t in line[:-1]) + _width(line[-1], size, family) for line in lines if line),
        default=0.0,
    )


def height(lines: int, size: float) -> float:
    """Height in points of `lines` lines at `size` with the decks' line spacing."""
    return lines * size * LINE


def join(lines: Sequence[Sequence[Run]]) -> tuple[Run, ...]:
    """Runs back from wrapped lines, merging neighbours of the same style."""
    merged: list[Run] = []
    for line in lines:
        for text, style in line:
            if merged and merged[-1][1] == style:
                merged[-1] = (merged[-1][0] + text, style)
            else:
                merged.append((text, style))
    return tuple(merged)
