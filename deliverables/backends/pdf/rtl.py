"""Paragraphs of the Stage Reference Card that hold right-to-left text (reportlab).

reportlab breaks the lines of a paragraph and draws each left to right. For a
text with Arabic or Hebrew letters, `make_paragraph` gives it the letters already
joined (`direction.shape`), so lines are measured as they print; after the lines
are broken, each one is reordered for display (`BidiParagraph.breakLines`). A
paragraph that reads right to left is set flush right, its bullet at the right.
Text without such letters gets the plain reportlab paragraph, unchanged.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from deliverables.backends import direction

RTL_BULLET = {"▸": "◂"}
"""A bullet pointing at the text it leads, on the right of a right-to-left line."""


def make_paragraph(text: str, style: ParagraphStyle, bullet: str | None = None, ltr: bool = False) -> Paragraph:
    """The paragraph of `text` (reportlab markup) in `style`; `ltr` keeps the paragraph
    reading left to right (page chrome), whatever its first letter."""
    if not direction.right_to_left(text):
        return Paragraph(text, style, bulletText=bullet)
    rtl = not ltr and direction.rtl_paragraph(_plain(text))
    if not rtl:
        return BidiParagraph(direction.shape(text), style, bulletText=bullet)
    found = BidiParagraph(direction.shape(text), _flush_right(style, bullet is not None))
    found.rtl, found.rtl_bullet = True, RTL_BULLET.get(bullet or "", bullet)
    return found


def shaped_width(text: str, font: str, size: float) -> float:
    """Width of a plain text as `make_paragraph` prints it."""
    return stringWidth(direction.shape(text), font, size)


class BidiParagraph(Paragraph):
    """A paragraph whose lines are reordered for display once they are broken."""

    rtl = False
    rtl_bullet: str | None = None

    def breakLines(self, width: Any) -> Any:
        """reportlab's lines, each in display order; the line breaks are reportlab's."""
        found = super().breakLines(width)
        if found.kind == 0:
            texts = [" ".join(words) for _, words in found.lines]
        else:
            texts = ["".join(getattr(f, "text", "") for f in line.words) for line in found.lines]
        every = direction.levels(" ".join(texts), self.rtl)
        start = 0
        for number, text in enumerate(texts):
            own = every[start : start + len(text)]
            start += len(text) + 1  # the space each break took
            order = direction.display_order(text, own, self.rtl)
            if found.kind == 0:
                shown = "".join(self._drawn(text[i], own[i]) for i in order)
                found.lines[number] = (found.lines[number][0], shown.split(" "))
            else:
                found.lines[number].words = self._frags(found.lines[number].words, order, own)
        return found

    def _drawn(self, char: str, level: int) -> str:
        """The character as drawn: mirrored in a right-to-left run when the font has the
        mirror image at the same width."""
        if level % 2 == 0:
            return char
        mirror = direction.mirrored(char)
        if mirror == char:
            return char
        font, size = self.style.fontName, 10.0
        same = stringWidth(mirror, font, size) == stringWidth(char, font, size)
        return mirror if same and _has_glyph(font, mirror) else char

    def _frags(self, words: list, order: list[int], line_levels: tuple[int, ...]) -> list:
        """The line's fragments cut at each character and regrouped in display order."""
        owner = [(f, ch) for f in words for ch in getattr(f, "text", "")]
        out: list = []
        for i in order:
            frag, char = owner[i]
            char = self._drawn(char, line_levels[i])
            if out and out[-1][0] is frag:
                out[-1][1].append(char)
            else:
                out.append((frag, [char]))
        return [frag.clone(text="".join(chars)) for frag, chars in out]

    def draw(self) -> None:
        """The paragraph, then its bullet at the right of a right-to-left first line."""
        super().draw()
        if not (self.rtl and self.rtl_bullet and self.blPara.lines):
            return
        style, canvas = self.style, self.canv
        width = stringWidth(self.rtl_bullet, style.bulletFontName, style.bulletFontSize)
        canvas.saveState()
        canvas.setFont(style.bulletFontName, style.bulletFontSize)
        canvas.setFillColor(style.bulletColor)
        canvas.drawString(self.width - style.bulletIndent - width, self.height - style.fontSize, self.rtl_bullet)
        canvas.restoreState()


@lru_cache(maxsize=4096)
def _has_glyph(font: str, char: str) -> bool:
    from reportlab.pdfbase.pdfmetrics import getFont

    return ord(char) in getattr(getFont(font).face, "charToGlyph", {})


_STYLES: dict[tuple[int, bool], ParagraphStyle] = {}


def _flush_right(style: ParagraphStyle, bullet: bool) -> ParagraphStyle:
    """`style` set flush right; with a bullet, the indent the bullet takes moves to the right."""
    key = (id(style), bullet)
    found = _STYLES.get(key)
    if found is None or found.parent is not style:
        changes: dict[str, Any] = {"alignment": TA_RIGHT if style.alignment == TA_LEFT else style.alignment}
        if bullet:
            glyph = stringWidth("◂", style.bulletFontName, style.bulletFontSize)
            need = style.bulletIndent + glyph + 0.6 * style.bulletFontSize
            changes.update(leftIndent=style.rightIndent, rightIndent=max(style.leftIndent, need))
        found = _STYLES[key] = ParagraphStyle(f"{style.name}-rtl", parent=style, **changes)
    return found


def _plain(markup: str) -> str:
    """The text of paragraph markup, tags dropped (to find its first strong letter)."""
    import re
    from xml.sax.saxutils import unescape

    return unescape(re.sub(r"<[^>]*>", "", markup))
