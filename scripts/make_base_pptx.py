"""Write templates/base.pptx: the built-in 16:9 base of every deck.

Run from the repository root: `python scripts/make_base_pptx.py`. It starts
from python-pptx's default template, widens it to 16:9, keeps the layouts the
decks use (by name), lays their placeholders out for the wide slide, sets the
theme fonts to DejaVu Sans (the font the decks measure text with) and the
theme colours to the ones in `deliverables/marks.py`. A branded base made in
PowerPoint replaces it through a client theme folder; it needs the same
layout names.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu, Inches

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deliverables.backends.archive import normalize_zip  # noqa: E402
from deliverables.core import marks  # noqa: E402

FONT = "DejaVu Sans"
KEEP = ("Title Slide", "Title and Content", "Section Header", "Title Only", "Blank")
A = "http://schemas.openxmlformats.org/drawingml/2006/main"

# (left, top, width, height) in inches per placeholder idx, per layout.
TITLE = (0.6, 0.35, 12.13, 1.0)
GEOMETRY: dict[str, dict[int, tuple[float, float, float, float]]] = {
    "master": {0: TITLE, 1: (0.6, 1.5, 12.13, 5.35)},
    "Title Slide": {0: (1.0, 2.2, 11.33, 1.6), 1: (1.0, 4.0, 11.33, 1.6)},
    "Title and Content": {0: TITLE, 1: (0.6, 1.5, 12.13, 5.35)},
    "Section Header": {0: (1.0, 3.9, 11.33, 1.4), 1: (1.0, 2.5, 11.33, 1.3)},
    "Title Only": {0: TITLE},
}
FOOTERS = {10: (0.6, 6.95, 3.0, 0.4), 11: (3.9, 6.95, 5.53, 0.4), 12: (9.73, 6.95, 3.0, 0.4)}


def main(target: Path = ROOT / "templates" / "base.pptx") -> None:
    """Build the base presentation and write it, byte-for-byte reproducibly."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    _drop_layouts(prs)
    _place(prs.slide_master, GEOMETRY["master"])
    for layout in prs.slide_layouts:
        _place(layout, GEOMETRY.get(layout.name, {}))
    _theme(prs)
    _core(prs)
    prs.notes_master  # noqa: B018 - creates the notes master so notes pages are themed too
    import io

    buffer = io.BytesIO()
    prs.save(buffer)
    target.write_bytes(normalize_zip(buffer.getvalue()))
    print(f"wrote {target}")


def _drop_layouts(prs) -> None:
    layouts = prs.slide_layouts
    for layout in [lay for lay in layouts if lay.name not in KEEP]:
        layouts.remove(layout)


def _place(owner, geometry: dict[int, tuple[float, float, float, float]]) -> None:
    for shape in owner.placeholders:
        idx = shape.placeholder_format.idx
        box = geometry.get(idx) or FOOTERS.get(idx) or GEOMETRY["master"].get(1 if idx else 0)
        shape.left, shape.top, shape.width, shape.height = (Emu(Inches(v)) for v in box)


def _theme(prs) -> None:
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    for tag in ("majorFont", "minorFont"):
        latin = root.find(f".//{{{A}}}{tag}/{{{A}}}latin")
        latin.set("typeface", FONT)
    colours = {
        "dk1": marks.INK,
        "dk2": marks.ACCENT,
        "accent1": marks.ACCENT,
        "accent2": marks.GOLDEN_LINE,
        "accent3": marks.ASSUMED_COLOUR,
        "accent4": marks.CONFIRMED_COLOUR,
        "accent5": marks.MUTED,
    }
    scheme = root.find(f".//{{{A}}}clrScheme")
    for name, value in colours.items():
        slot = scheme.find(f"{{{A}}}{name}")
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{A}}}srgbClr", val=value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _core(prs) -> None:
    import datetime as dt

    props = prs.core_properties
    props.title, props.author, props.last_modified_by = "deliver base", "deliver", "deliver"
    props.revision = 1
    props.created = props.modified = dt.datetime(2000, 1, 1)


if __name__ == "__main__":
    main()
