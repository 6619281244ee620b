"""Text rules of the Stage Reference Card: how definitions are shortened to fit,
and how client text is made safe for reportlab's paragraph markup.

Plain Python, no reportlab: the view uses the shortening rule, the PDF code
the escaping.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from xml.sax.saxutils import escape

ELLIPSIS = "…"

# A sentence ends at . ! or ? followed by a space and a capital letter, a digit
# or an opening quote/bracket: "e.g. a lead" or "3.5 points" do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[“‘]?[A-Z0-9À-ÞΑ-ΩА-Я])")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def first_sentence(text: str) -> str:
    """The text up to the end of its first sentence (the whole text if it has one)."""
    text = " ".join(text.split())
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def definition_levels(text: str) -> tuple[str, str]:
    """The whole definition and its first sentence (levels 0 and 1 of the card).

    Level 2, the first sentence cut to the words that fit one line of the
    column, depends on the layout and is made with `fit_words`. Stage names and
    entry criteria are never shortened.
    """
    whole = " ".join(text.split())
    return whole, first_sentence(whole)


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


def long_date(day: dt.date) -> str:
    """`20 November 2026`, independent of the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def uncovered(text: str, covered: AbstractSet[int]) -> list[str]:
    """Characters of `text` missing from a font's character map, in first-seen order."""
    missing: list[str] = []
    for char in text:
        if ord(char) not in covered and not char.isspace() and char not in missing:
            missing.append(char)
    return missing


def right_to_left(text: str) -> bool:
    """True when the text holds right-to-left letters (Arabic, Hebrew, ...)."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)
