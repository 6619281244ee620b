"""Measure and wrap text with the bundled DejaVu fonts' own metrics.

Slide libraries do not lay text out, so the decks do it here: a word wraps
where PowerPoint or LibreOffice would wrap it, with the advance widths read by
fontTools from the same TrueType files the decks name as their font. Plain
Python, no office library: the deck builder and the tests share it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from . import fontmetrics

LINE = 1.2
"""Line height as a multiple of the font size; decks set exactly this spacing."""
SAFETY = 0.96
"""Share of a box's width the measure may fill: viewers kern and hint a little
differently, so a line measured as just fitting must not wrap there."""

Run = tuple[str, str]
"""A piece of text and its style name (see BOLD_STYLES)."""

BOLD_STYLES = frozenset({"bold", "assumed", "golden", "heading", "alert", "accent"})
_TOKEN = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Metrics:
    """Advance widths of one font, in units of the em."""

    widths: dict[int, float]

    def char(self, ch: str) -> float:
        """Width of one character in em; wide fallbacks for glyphs the font lacks."""
        width = self.widths.get(ord(ch))
        if width is not None:
            return width
        if unicodedata.combining(ch):
            return 0.0
        # A viewer substitutes another font: East Asian and emoji glyphs are full-width.
        return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") or ord(ch) > 0xFFFF else 0.65

    def text(self, text: str, size: float) -> float:
        """Width of a text in points at `size`."""
        return sum(self.char(ch) for ch in text) * size


@lru_cache(maxsize=65536)
def _em(text: str, bold: bool) -> float:
    """Width of a word in em; words repeat, so this is cached."""
    return metrics(bold).text(text, 1.0)


@lru_cache(maxsize=4)
def metrics(bold: bool = False) -> Metrics:
    """The metrics of DejaVu Sans (bold or regular), read once."""
    return Metrics(fontmetrics.advance_widths(bold))


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
    font = metrics(token[1] in BOLD_STYLES)
    for ch in token[0]:
        if current and font.text(current + ch, size) > width and not ch.isspace():
            pieces.append((current, token[1]))
            current = ""
        current += ch
    return pieces + [(current, token[1])] if current else pieces


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
