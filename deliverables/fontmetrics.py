"""Text measurement with the bundled DejaVu fonts (fontTools): widths, wrapping, coverage.

The diagram sizes its boxes from these numbers, and the same TrueType files
draw the text in the PNG and the PDF, so a box always fits its text whatever
Graphviz's own width estimate says.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from . import marks

MISSING_WIDTH = 1.0
"""Width in em assumed for a character the font lacks (most are wide CJK glyphs)."""


@lru_cache(maxsize=4)
def advance_widths(bold: bool = False) -> dict[int, float]:
    """Advance width in em of every character of the bundled regular or bold font, read once.

    The diagram and the decks both measure with this table."""
    from fontTools.ttLib import TTFont

    with TTFont(str(marks.font_path(bold=bold))) as font:
        units = font["head"].unitsPerEm
        advances = font["hmtx"].metrics
        return {code: advances[glyph][0] / units for code, glyph in font.getBestCmap().items()}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of one line of text at `size` points."""
    widths = advance_widths(bold)
    return size * sum(widths.get(ord(char), _fallback(char)) for char in text)


def _fallback(char: str) -> float:
    if unicodedata.combining(char):
        return 0.0
    return MISSING_WIDTH if unicodedata.east_asian_width(char) in "WF" else 0.6


def missing(text: str, bold: bool = False) -> str:
    """The distinct characters of `text` the bundled font cannot draw, in order of appearance."""
    widths = advance_widths(bold)
    seen: dict[str, None] = {}
    for char in text:
        if ord(char) not in widths and not char.isspace() and unicodedata.category(char)[0] != "C":
            seen.setdefault(char, None)
    return "".join(seen)


def wrap(text: str, width: float, size: float, bold: bool = False, max_lines: int = 3) -> list[str]:
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
    return pieces + [current]


def _ellipsize(line: str, width: float, size: float, bold: bool) -> str:
    while len(line) > 1 and text_width(line, size, bold) > width:
        line = line[:-2].rstrip() + "…"
    return line
