"""Right-to-left text for documents that lay their own lines out: Arabic letters
joined, and each line put in the order it is read on the page.

A PDF draws glyphs left to right as given. So Arabic text is first shaped into
the presentation forms of its letters (initial, medial, final, isolated, and
the lam-alef ligatures), which the bundled DejaVu fonts carry as ordinary
characters: what is measured is then what is drawn. Lines are broken in reading
(logical) order; each line is then reordered for display with the Unicode
Bidirectional Algorithm, its levels resolved once over the whole paragraph, as
the algorithm asks (rules L1 and L2 per line, L4 for mirrored brackets).
Reordering only moves characters within a line, so a line keeps its width.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

STRONG_RTL = ("R", "AL")
_LEVEL = re.compile(r"Level\(\s*(\d+)")
_RESET = frozenset({"WS", "BN", "LRI", "RLI", "FSI", "PDI", "LRE", "RLE", "LRO", "RLO", "PDF"})
"""Classes reset to the paragraph level at the end of a line (rule L1, with X9's removed classes)."""


def right_to_left(text: str) -> bool:
    """True when the text holds right-to-left letters (Arabic, Hebrew, ...)."""
    return any(unicodedata.bidirectional(char) in STRONG_RTL for char in text)


def rtl_paragraph(text: str) -> bool:
    """True when the text reads right to left as a paragraph: its first strong letter is
    right-to-left (rules P2 and P3; isolated runs skipped)."""
    from bidi import get_base_level

    return get_base_level(text) == 1


@lru_cache(maxsize=1)
def _reshaper():
    import arabic_reshaper

    # Harakat are kept (they are the writer's); of the ligatures only lam-alef, which
    # Arabic requires and the font carries. Word ligatures (Allah) are a font's choice.
    return arabic_reshaper.ArabicReshaper(
        configuration={
            "delete_harakat": False,
            "support_ligatures": True,
            "ARABIC LIGATURE ALLAH": False,
        }
    )


@lru_cache(maxsize=1)
def shaped_letters() -> frozenset[str]:
    """The Arabic letters `shape` joins (Arabic, Persian and Urdu)."""
    from arabic_reshaper.letters import LETTERS_ARABIC

    return frozenset(LETTERS_ARABIC)


def shape(text: str) -> str:
    """The text with its Arabic letters in their joined presentation forms; other text as given
    (and not cached: every text a layout measures comes through here, nearly all of it Latin)."""
    letters = shaped_letters()
    if not any(char in letters for char in text):
        return text
    return _reshaped(text)


@lru_cache(maxsize=8192)
def _reshaped(text: str) -> str:
    return _reshaper().reshape(text)


def unjoined(text: str) -> str:
    """The distinct Arabic-script letters of `text` that `shape` cannot join (rare letters
    outside its tables), in order of appearance: they print in their isolated form."""
    seen: dict[str, None] = {}
    letters = shaped_letters()
    for char in text:
        code = ord(char)
        presentation = 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF
        joining = unicodedata.bidirectional(char) == "AL" or 0x07CA <= code <= 0x07EA  # Arabic script, N'Ko
        if joining and unicodedata.category(char) == "Lo" and char not in letters and not presentation:
            seen.setdefault(char, None)
    return "".join(seen)


@lru_cache(maxsize=4096)
def levels(text: str, rtl: bool) -> tuple[int, ...]:
    """The resolved embedding level of every character of a paragraph (rules P to I of the
    algorithm), with the paragraph level 1 when `rtl`, else 0."""
    from bidi import get_display

    # With debug the implementation returns its analysis, levels given per UTF-8 byte.
    found = get_display(text, base_dir="R" if rtl else "L", debug=True)
    start = found.find("levels: [")
    per_byte = [int(level) for level in _LEVEL.findall(found, start, found.find("]", start))]
    if len(per_byte) != len(text.encode()):
        raise RuntimeError(f"unexpected bidi analysis of {text!r}")
    out, offset = [], 0
    for char in text:
        out.append(per_byte[offset])
        offset += len(char.encode())
    return tuple(out)


def display_order(line: str, line_levels: Sequence[int], rtl: bool) -> list[int]:
    """Indices of the line's characters in the order they are drawn, left to right
    (rules L1 and L2: trailing spaces and separators take the paragraph level; then each
    run at or above a level is reversed, from the highest level down to the lowest odd)."""
    base = 1 if rtl else 0
    found = list(line_levels)
    trailing = True
    for i in range(len(line) - 1, -1, -1):
        kind = unicodedata.bidirectional(line[i])
        if kind in ("S", "B"):
            found[i], trailing = base, True
        elif trailing and kind in _RESET:
            found[i] = base
        else:
            trailing = False
    order = list(range(len(line)))
    if not found:
        return order
    lowest_odd = min((level for level in found if level % 2), default=None)
    if lowest_odd is None:
        return order
    for level in range(max(found), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if found[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and found[order[j]] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return order


def mirrored(char: str) -> str:
    """The mirror image of a bracket-like character drawn in a right-to-left run (rule L4)."""
    from bidi.mirror import MIRRORED

    return MIRRORED.get(char, char) if unicodedata.mirrored(char) else char
