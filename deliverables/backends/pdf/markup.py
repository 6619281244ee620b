"""Text rules of the Stage Reference Card: how definitions are shortened to fit,
and how client text is made safe for reportlab's paragraph markup.

Plain Python, no reportlab: the view uses the shortening rule, the PDF code
the escaping.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape

ELLIPSIS = "…"


def fit_words(text: str, fits: Callable[[str], bool], most: int = 120) -> str:
    """The longest run of leading words, plus an ellipsis when cut, for which `fits` holds.

    Only the first `most` words are tried: no line holds more, and measuring a
    pasted megabyte word by word would take minutes.
    """
    words = text.split()
    if len(words) <= most and fits(text):
        return text
    words = words[:most]
    kept = 1
    while kept < len(words) and fits(_cut(words, kept + 1)):
        kept += 1
    return _cut(words, kept)


def _cut(words: list[str], count: int) -> str:
    return " ".join(words[:count]).rstrip(",;:.-–—") + ELLIPSIS


def markup(text: str) -> str:
    """Client text escaped for reportlab paragraph markup: `R&D < 5%` prints as written."""
    # Line breaks inside a YAML block scalar are layout, not content, on a card.
    return escape(" ".join(text.split()))
