"""Marks and colours shared by every deliverable, so a golden stage or an
ASSUMED item looks the same in the document, the diagram, the card and the decks."""

from __future__ import annotations

from pathlib import Path

from deliverables.core.paths import templates_root

GOLDEN = "★"
"""Symbol placed after the name of a golden stage, everywhere."""
GOLDEN_LEGEND = "★ Golden stage: a critical transition point tracked closely"
ASSUMED = "ASSUMED"
"""Flag on every item not yet confirmed by the client."""
CONFIRMED = "CONFIRMED"
ASSUMED_LEGEND = "ASSUMED: our proposal, not yet confirmed by the client"

# Colours as RGB hex without '#'.
INK = "1F2933"
MUTED = "6B7280"
ACCENT = "1D4E89"
GOLDEN_FILL = "FFF4CC"
GOLDEN_LINE = "C99A06"
ASSUMED_COLOUR = "B45309"
ASSUMED_FILL = "FDF1E4"
CONFIRMED_COLOUR = "15803D"

DOMAIN_COLOURS: dict[str, str] = {
    "lead": "DCEBFA",
    "sales": "E3F2E1",
    "customer": "F3E8FA",
    "company": "EDEDED",
    "poc": "FFF0DB",
    "renewal": "E0F4F4",
    "expansion": "FBE4E6",
}
"""Lane fill per domain; declared domains cycle through EXTRA_COLOURS."""
EXTRA_COLOURS = ("E8EAF6", "F1F8E9", "FFF8E1", "FCE4EC")


def domain_colour(domain: str, order: tuple[str, ...] = ()) -> str:
    """Fill colour of a domain's lane or header."""
    if domain in DOMAIN_COLOURS:
        return DOMAIN_COLOURS[domain]
    index = order.index(domain) if domain in order else 0
    return EXTRA_COLOURS[index % len(EXTRA_COLOURS)]


def font_path(bold: bool = False, condensed: bool = False) -> Path:
    """The bundled DejaVu TrueType font (Unicode Latin, Greek, Cyrillic, arrows)."""
    name = "DejaVuSans" + ("Condensed" if condensed else "") + ("-Bold" if bold else "")
    return templates_root() / "fonts" / f"{name}.ttf"


def status_text(status: str) -> str:
    """ASSUMED or CONFIRMED."""
    return ASSUMED if status == "assumed" else CONFIRMED
