"""Text measurement with the bundled fonts' own metrics (fontTools): widths,
wrapping and glyph coverage, for every deliverable that lays text out itself.

The diagram sizes its boxes with these numbers, the decks wrap their text with
them, and the card checks which characters its font can draw: one table of
advance widths per font file, one rule for characters a font lacks. The same
TrueType files draw the text, so what is measured here is what is printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from deliverables.core import cache, marks

LINE = 1.2
"""Line height as a multiple of the font size; decks set exactly this spacing."""
SAFETY = 0.96
"""Share of a box's width the measure may fill: viewers kern and hint a little
differently, so a line measured as just fitting must not wrap there."""

Run = tuple[str, str]
"""A piece of text and its style name (see BOLD_STYLES)."""

BOLD_STYLES = frozenset({"bold", "assumed", "golden", "heading", "alert", "accent"})
_TOKEN = re.compile(r"\S+\s*|\s+")


# ------------------------------------------------------------------ one font's widths


@lru_cache(maxsize=8)
def advance_widths(bold: bool = False, condensed: bool = False) -> dict[int, float]:
    """Advance width in em of every character of a bundled font, read once (and kept in
    the user cache, keyed by the font's bytes: reading a font with fontTools is slow)."""
    path = marks.font_path(bold=bold, condensed=condensed)
    name = cache.key(path.read_bytes()) + ".json"
    return dict(cache.cached_json("font-widths", name, lambda: _read_widths(str(path))))


def _read_widths(path: str) -> list[list[float]]:
    from fontTools.ttLib import TTFont

    with TTFont(path) as font:
        units = font["head"].unitsPerEm
        advances = font["hmtx"].metrics
        return sorted([code, advances[glyph][0] / units] for code, glyph in font.getBestCmap().items())


def char_width(char: str, widths: dict[int, float]) -> float:
    """Width of one character in em; for a glyph the font lacks, what a viewer's fallback takes."""
    width = widths.get(ord(char))
    if width is not None:
        return width
    if unicodedata.combining(char):
        return 0.0
    # A viewer substitutes another font: East Asian and emoji glyphs are full-width.
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") or ord(char) > 0xFFFF else 0.65


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of one line of text at `size` points."""
    return _em(text, bold) * size


@lru_cache(maxsize=65536)
def _em(text: str, bold: bool) -> float:
    """Width of a text in em; words repeat, so this is cached."""
    widths = advance_widths(bold)
    return sum(char_width(char, widths) for char in text)


def missing(text: str, bold: bool = False, condensed: bool = False) -> str:
    """The distinct characters of `text` a bundled font cannot draw, in order of appearance."""
    widths = advance_widths(bold, condensed)
    seen: dict[str, None] = {}
    for char in text:
        if ord(char) not in widths and not char.isspace() and unicodedata.category(char)[0] != "C":
            seen.setdefault(char, None)
    return "".join(seen)


def right_to_left(text: str) -> bool:
    """True when the text holds right-to-left letters (Arabic, Hebrew, ...)."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


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


def _width(token: Run, size: float) -> float:
    return _em(token[0].rstrip(), token[1] in BOLD_STYLES) * size


def _advance(token: Run, size: float) -> float:
    return _em(token[0], token[1] in BOLD_STYLES) * size


def _break_word(token: Run, width: float, size: float) -> list[Run]:
    """Split a word wider than the line into pieces that fit, character by character."""
    pieces, current = [], ""
    bold = token[1] in BOLD_STYLES
    for ch in token[0]:
        if current and text_width(current + ch, size, bold) > width and not ch.isspace():
            pieces.append((current, token[1]))
            current = ""
        current += ch
    return [*pieces, (current, token[1])] if current else pieces


def wrap(runs: Sequence[Run], width: float, size: float) -> list[list[Run]]:
    """Lines of tokens as a greedy word wrap at `width` points would lay them out."""
    return [list(line) for line in _wrap(tuple(runs), width, size)]


@lru_cache(maxsize=8192)
def _wrap(runs: tuple[Run, ...], width: float, size: float) -> tuple[tuple[Run, ...], ...]:
    # The same cell is measured at several sizes and again when drawn: cache it.
    width *= SAFETY
    lines: list[list[Run]] = [[]]
    used = 0.0
    for token in _tokens(runs):
        if token[0] == "\n":
            lines[-1].append(token)  # kept so that joining lines restores the break
            lines.append([])
            used = 0.0
            continue
        pieces = _break_word(token, width, size) if _width(token, size) > width else [token]
        for piece in pieces:
            if lines[-1] and used + _width(piece, size) > width:
                lines.append([])
                used = 0.0
            lines[-1].append(piece)
            used += _advance(piece, size)
    return tuple(tuple(line) for line in lines)


def line_count(runs: Sequence[Run], width: float, size: float) -> int:
    """How many lines the runs take at `width` points and `size`."""
    return len(_wrap(tuple(runs), width, size))


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
