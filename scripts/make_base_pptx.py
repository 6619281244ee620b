"""Write templates/base.pptx: the built-in 16:9 theme of every deck.

Run from the repository root: `python scripts/make_base_pptx.py`; running it
twice gives the same bytes (a test compares the committed file with it).

It starts from python-pptx's default template, widens it to 16:9 and keeps
five layouts, each laid out on one grid (points, 960 x 540):

- Title Slide: the accent colour full bleed, the title and a subtitle in white;
- Title and Content / Title Only: a title under a kicker line, an accent rule
  below it, the content area, and a quiet footer (client · deck · version on
  the left, the page number on the right);
- Exhibit: a neutral side panel for the title and a few key facts, and a
  picture area filling the rest, for pictures too narrow for the wide area;
- Section Header: an accent panel on the left, the section title beside it.

Theme fonts are Calibri, which every Office install has (the decks measure it
with Carlito, its metric twin); theme colours come from `deliverables/core/marks.py`,
so golden gold and ASSUMED amber are those of every other deliverable. A
branded base made in PowerPoint replaces this file through a client theme
folder; it needs the same layout names and placeholders (`deliver` names any
it lacks).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deliverables.backends.archive import normalize_zip  # noqa: E402
from deliverables.core import marks  # noqa: E402

FONT = "Calibri"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS = {"a": A, "p": P}
EMU = 12700
WHITE, PANEL, RULE, TINT, PALE = "FFFFFF", "F3F4F6", "D1D5DB", "2A62A3", "C9D7EA"
"""Neutrals, and two tints of the accent for the title slide."""

TITLE = (40, 40, 880, 64)
CONTENT = (40, 122, 880, 368)
FOOTER, NUMBER = (40, 506, 640, 22), (800, 506, 120, 22)
RULES = (("rect", (40, 110, 880, 0.75), RULE), ("rect", (40, 109, 64, 2.75), marks.ACCENT))

# Layout name -> (default template layout it starts from, {placeholder type: (rect, style)}, decoration, background)
LAYOUTS: dict[str, tuple[str, dict, tuple, str | None]] = {
    "Title Slide": (
        "Title Slide",
        {"ctrTitle": ((72, 176, 760, 136), (40, True, WHITE)), "subTitle": ((72, 324, 760, 72), (18, False, PALE))},
        (("rect", (72, 156, 64, 4), WHITE), ("rect", (880, 0, 80, 540), TINT)),
        marks.ACCENT,
    ),
    "Title and Content": (
        "Title and Content",
        {"title": (TITLE, (26, True, marks.INK)), "body": (CONTENT, (18, False, marks.INK))},
        RULES,
        None,
    ),
    "Title Only": ("Title Only", {"title": (TITLE, (26, True, marks.INK))}, RULES, None),
    "Exhibit": (
        "Picture with Caption",
        {
            "title": ((24, 40, 180, 220), (24, True, marks.INK)),
            "pic": ((236, 48, 704, 444), (14, False, marks.INK)),
            "body": ((24, 272, 180, 220), (14, False, marks.INK)),
        },
        (("rect", (0, 0, 216, 540), PANEL), ("rect", (24, 12, 64, 2.75), marks.ACCENT)),
        None,
    ),
    "Section Header": (
        "Section Header",
        {
            "title": ((360, 180, 560, 120), (36, True, marks.INK)),
            "body": ((360, 310, 560, 120), (18, False, marks.MUTED)),
        },
        (("rect", (0, 0, 300, 540), marks.ACCENT), ("rect", (360, 160, 64, 4), marks.ACCENT)),
        None,
    ),
}


def main(target: Path = ROOT / "templates" / "base.pptx") -> None:
    """Build the base presentation and write it, byte-for-byte reproducibly."""
    target.write_bytes(build())
    print(f"wrote {target}")


def build() -> bytes:
    """The base presentation's bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = 960 * EMU, 540 * EMU
    _keep_layouts(prs)
    _master(prs.slide_master)
    for layout in prs.slide_layouts:
        _layout(layout, *LAYOUTS[layout.name][1:])
    _theme(prs)
    _core(prs)
    prs.notes_master  # noqa: B018 - creates the notes master so notes pages are themed too
    buffer = io.BytesIO()
    prs.save(buffer)
    return normalize_zip(buffer.getvalue())


def _keep_layouts(prs) -> None:
    """Drop the layouts the decks do not use; rename the ones they do."""
    sources = {source: name for name, (source, *_) in LAYOUTS.items()}
    for layout in list(prs.slide_layouts):
        if layout.name not in sources:
            prs.slide_layouts.remove(layout)
        else:
            layout._element.cSld.set("name", sources[layout.name])


def _emu(value: float) -> str:
    return str(round(value * EMU))


def _xfrm(sp, rect) -> None:
    """Position a shape (points), creating its transform when it inherits one."""
    sppr = sp.find("p:spPr", NS)
    for old in sppr.findall("a:xfrm", NS):
        sppr.remove(old)
    xfrm = etree.Element(f"{{{A}}}xfrm")
    etree.SubElement(xfrm, f"{{{A}}}off", x=_emu(rect[0]), y=_emu(rect[1]))
    etree.SubElement(xfrm, f"{{{A}}}ext", cx=_emu(rect[2]), cy=_emu(rect[3]))
    sppr.insert(0, xfrm)


def _master(master) -> None:
    """Master placeholders on the grid, and text styles a consultant's own additions inherit."""
    spots = {"title": TITLE, "body": CONTENT, "ftr": FOOTER, "sldNum": NUMBER}
    tree = master._element.cSld.spTree
    for sp in tree.findall("p:sp", NS):
        kind = sp.find(".//p:ph", NS).get("type", "body")
        if kind in spots:
            _xfrm(sp, spots[kind])
        else:
            tree.remove(sp)  # the date: the footer names the version instead
    styles = master._element.find("p:txStyles", NS)
    _level_style(styles.find("p:titleStyle/a:lvl1pPr", NS), 26, True, marks.INK, "l")
    for level, size in zip(range(1, 10), (18, 16, 14, 14, 14, 14, 14, 14, 14)):
        _level_style(styles.find(f"p:bodyStyle/a:lvl{level}pPr", NS), size, False, marks.INK, None)
    _footer_style(tree)


def _footer_style(tree) -> None:
    """Footer and page number: small, muted, on one line."""
    for sp in tree.findall("p:sp", NS):
        kind = sp.find(".//p:ph", NS).get("type")
        if kind in ("ftr", "sldNum"):
            lvl = sp.find("p:txBody/a:lstStyle", NS)
            for child in list(lvl):
                lvl.remove(child)
            _level_style(
                etree.SubElement(lvl, f"{{{A}}}lvl1pPr"), 10, False, marks.MUTED, "l" if kind == "ftr" else "r"
            )


def _level_style(ppr, size: float, bold: bool, colour: str, align: str | None) -> None:
    """One paragraph level: alignment, and its default run's size, weight and colour."""
    if align:
        ppr.set("algn", align)
    rpr = ppr.find("a:defRPr", NS)
    if rpr is None:
        rpr = etree.SubElement(ppr, f"{{{A}}}defRPr")
    rpr.set("sz", str(round(size * 100)))
    rpr.set("b", "1" if bold else "0")
    for old in rpr.findall("a:solidFill", NS):
        rpr.remove(old)
    fill = etree.Element(f"{{{A}}}solidFill")
    etree.SubElement(fill, f"{{{A}}}srgbClr", val=colour)
    rpr.insert(0, fill)


def _layout(layout, placeholders: dict, decoration: tuple, background: str | None) -> None:
    """Place a layout's placeholders, drop the others, style them, draw its fixed shapes."""
    tree = layout._element.cSld.spTree
    for sp in tree.findall("p:sp", NS):
        ph = sp.find(".//p:ph", NS)
        kind = ph.get("type", "body")
        kind = "body" if kind == "obj" and "body" not in placeholders else kind
        if kind in ("ftr", "sldNum"):
            _xfrm(sp, FOOTER if kind == "ftr" else NUMBER)
            if layout.name == "Exhibit" and kind == "ftr":
                _xfrm(sp, (236, FOOTER[1], 520, FOOTER[3]))
        elif kind in placeholders:
            rect, style = placeholders[kind]
            _xfrm(sp, rect)
            _placeholder_style(sp, *style)
        else:
            tree.remove(sp)
    _decorate(tree, decoration)
    if background:
        _background(layout._element.cSld, background)


def _placeholder_style(sp, size: float, bold: bool, colour: str) -> None:
    """A placeholder's first level: left-aligned, no bullet, top-anchored, the given run style."""
    body = sp.find("p:txBody", NS)
    if body is None:
        return
    body.find("a:bodyPr", NS).set("anchor", "t")
    lst = body.find("a:lstStyle", NS)
    for child in list(lst):
        lst.remove(child)
    ppr = etree.SubElement(lst, f"{{{A}}}lvl1pPr", marL="0", indent="0", algn="l")
    etree.SubElement(ppr, f"{{{A}}}buNone")
    _level_style(ppr, size, bold, colour, None)


def _decorate(tree, decoration: tuple) -> None:
    """Fixed rectangles drawn under the placeholders, in order."""
    anchor = tree.find("p:grpSpPr", NS)
    for index, (_, rect, colour) in enumerate(decoration):
        anchor.addnext(_rectangle(100 + index, f"Decoration {index + 1}", rect, colour))
        anchor = anchor.getnext()


def _rectangle(shape_id: int, name: str, rect, colour: str):
    sp = etree.fromstring(
        f'<p:sp xmlns:p="{P}" xmlns:a="{A}"><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/>'
        '<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>'
    )
    _xfrm(sp, rect)
    return sp


def _background(csld, colour: str) -> None:
    bg = etree.fromstring(
        f'<p:bg xmlns:p="{P}" xmlns:a="{A}"><p:bgPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
        "<a:effectLst/></p:bgPr></p:bg>"
    )
    csld.insert(0, bg)


def _theme(prs) -> None:
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    root.set("name", "deliver")
    for tag in ("majorFont", "minorFont"):
        root.find(f".//a:{tag}/a:latin", NS).set("typeface", FONT)
    colours = {
        "dk1": marks.INK,
        "dk2": marks.ACCENT,
        "lt2": PANEL,
        "accent1": marks.ACCENT,
        "accent2": marks.GOLDEN_LINE,
        "accent3": marks.ASSUMED_COLOUR,
        "accent4": marks.CONFIRMED_COLOUR,
        "accent5": marks.MUTED,
        "accent6": TINT,
    }
    scheme = root.find(".//a:clrScheme", NS)
    scheme.set("name", "deliver")
    for name, value in colours.items():
        slot = scheme.find(f"a:{name}", NS)
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{A}}}srgbClr", val=value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _core(prs) -> None:
    props = prs.core_properties
    props.title, props.author, props.last_modified_by = "deliver base", "deliver", "deliver"
    props.revision = 1
    props.created = props.modified = dt.datetime(2000, 1, 1)


if __name__ == "__main__":
    main()
