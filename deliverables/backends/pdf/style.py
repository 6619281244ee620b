"""Fonts, page geometry and paragraph styles of the Stage Reference Card (reportlab).

Imported only from `render`, so listing deliverables never loads reportlab.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from deliverables.core import marks

REGULAR = "DeliverCard"
BOLD = "DeliverCard-Bold"
PAGES = {"letter": landscape(letter), "a4": landscape(A4)}
MARGIN = 24.0
COLUMN_GAP = 10.0
MIN_COLUMN_EMS = 18.0
"""Narrowest column, in multiples of the body size: keeps lines long enough to read."""
TIGHT_COLUMN_EMS = 16.0
"""At the smallest sizes (below 7 pt) one more column is worth slightly shorter lines:
it is what lets about 60 stages fit a Letter page."""
TIGHT_BELOW = 7.0
MIN_COLUMNS = 2
COMFORT = 8.0
"""Below this body size lines are set a little tighter, to keep small type on one page."""
CHROME_SIZE = 7.5
"""Type size of the legend and the footer, fixed whatever the body size."""


def ink(hex_code: str) -> HexColor:
    """A reportlab colour from a marks hex code."""
    return HexColor("#" + hex_code)


@lru_cache(maxsize=1)
def register_fonts() -> frozenset[int]:
    """Register the bundled DejaVu Sans Condensed pair; return the code points both cover."""
    faces = []
    for name, bold in ((REGULAR, False), (BOLD, True)):
        font = TTFont(name, str(marks.font_path(bold=bold, condensed=True)))
        pdfmetrics.registerFont(font)
        faces.append(set(font.face.charToGlyph))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    return frozenset(faces[0] & faces[1])


@dataclass(frozen=True)
class Geometry:
    """The printable area of the page."""

    width: float
    height: float

    @classmethod
    def of(cls, page: str) -> Geometry:
        """Landscape Letter or A4."""
        width, height = PAGES[page]
        return cls(width, height)

    @property
    def inner_width(self) -> float:
        """Width between the margins."""
        return self.width - 2 * MARGIN

    @property
    def min_columns(self) -> int:
        """Fewest columns: a single landscape column would make lines too long to read."""
        return MIN_COLUMNS

    def max_columns(self, size: float) -> int:
        """Most columns at this body size that keep a readable line length."""
        ems = TIGHT_COLUMN_EMS if size < TIGHT_BELOW else MIN_COLUMN_EMS
        fitting = int((self.inner_width + COLUMN_GAP) // (ems * size + COLUMN_GAP))
        return max(fitting, MIN_COLUMNS)

    def column_width(self, count: int) -> float:
        """Width of one of `count` columns."""
        return (self.inner_width - COLUMN_GAP * (count - 1)) / count


@dataclass(frozen=True)
class Styles:
    """Paragraph styles for one body size."""

    size: float
    name: ParagraphStyle
    body: ParagraphStyle
    definition: ParagraphStyle
    bullet: ParagraphStyle
    header: ParagraphStyle

    @property
    def pad(self) -> float:
        """Padding above and below a stage block's text (golden blocks are tinted up to it)."""
        return round(self.size * 0.22, 2)

    @property
    def indent(self) -> float:
        """Padding left and right of a block's text: clears the golden edge."""
        return round(self.size * 0.5, 2)

    @property
    def header_pad(self) -> float:
        """Padding above and below a domain header's text."""
        return round(self.size * 0.28, 2)

    @property
    def gap(self) -> float:
        """Space between two stage blocks of a domain."""
        return round(self.size * 0.4, 2)

    @property
    def domain_gap(self) -> float:
        """Space above a domain header that does not open a column."""
        return round(self.size * 0.9, 2)


@lru_cache(maxsize=64)
def styles(size: float) -> Styles:
    """The card's styles at body size `size` (points)."""
    leading = round(size * (1.22 if size >= COMFORT else 1.16), 2)
    base = ParagraphStyle(
        f"body{size}",
        fontName=REGULAR,
        fontSize=size,
        leading=leading,
        textColor=ink(marks.INK),
        splitLongWords=1,
    )
    return Styles(
        size=size,
        name=ParagraphStyle(f"name{size}", parent=base, fontName=BOLD, fontSize=size * 1.1, leading=leading * 1.06),
        body=base,
        definition=ParagraphStyle(f"def{size}", parent=base, textColor=ink(marks.MUTED), spaceBefore=size * 0.1),
        bullet=ParagraphStyle(
            f"bullet{size}",
            parent=base,
            leftIndent=size * 0.95,
            bulletIndent=size * 0.1,
            bulletFontName=REGULAR,
            bulletFontSize=size * 0.85,
            bulletColor=ink(marks.ACCENT),
        ),
        header=ParagraphStyle(f"head{size}", parent=base, fontName=BOLD, fontSize=size * 1.15, leading=leading * 1.15),
    )


def chrome_styles() -> dict[str, ParagraphStyle]:
    """Title, meta line, legend and footer styles: fixed sizes, independent of the body."""
    base = ParagraphStyle(
        "chrome",
        fontName=REGULAR,
        fontSize=CHROME_SIZE,
        leading=CHROME_SIZE * 1.25,
        textColor=ink(marks.INK),
        splitLongWords=1,
    )
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=17, leading=20, textColor=ink(marks.ACCENT)
        ),
        "meta": ParagraphStyle(
            "meta", parent=base, fontSize=9, leading=11.5, alignment=TA_RIGHT, textColor=ink(marks.MUTED)
        ),
        "legend": base,
        "footer": ParagraphStyle("footer", parent=base, textColor=ink(marks.MUTED)),
    }
