"""The base presentation a deck is built on: its layouts, looked up by name,
and the geometry the builder reads from their placeholders.

The built-in `templates/base.pptx` (made by `scripts/make_base_pptx.py`) has
them all; a client's branded base is checked first, and every layout or
placeholder it lacks is named in one error, so the designer fixes all of it
at once. Imported only from `slides.build`, inside render.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER as PH

from deliverables.backends.slides import draw, hot
from deliverables.backends.slides.model import BULLETS, FLOW, IMAGE, TABLE, TITLE
from deliverables.backends.slides.shapes import Rect
from deliverables.core.errors import TemplateError

hot.install()

TITLES = (PH.TITLE, PH.CENTER_TITLE)
BODIES = (PH.BODY, PH.OBJECT)
SUBTITLES = (PH.SUBTITLE, PH.BODY)

REQUIRED: dict[str, tuple[tuple[str, tuple], ...]] = {
    "Title Slide": (("title", TITLES), ("subtitle", SUBTITLES)),
    "Title and Content": (("title", TITLES), ("body", BODIES)),
    "Title Only": (("title", TITLES),),
}
"""Layouts every base must have, with the placeholders the decks fill or measure."""
OPTIONAL: dict[str, tuple[tuple[str, tuple], ...]] = {
    "Exhibit": (("title", TITLES), ("picture", (PH.PICTURE,)), ("body", (PH.BODY,))),
}
"""Used when present: a side-panel layout for pictures too narrow for the wide content area."""
LAYOUTS = {TITLE: "Title Slide", BULLETS: "Title and Content", TABLE: "Title Only", IMAGE: "Title Only"}
LAYOUTS[FLOW] = "Title Only"
EXHIBIT = "Exhibit"


@dataclass
class Base:
    """An opened base presentation and what the builder needs of it."""

    prs: object
    name: str
    layouts: dict
    content: Rect
    """The content area of "Title and Content": tables, flows and pictures use it too."""

    def layout(self, name: str):
        """The layout named `name`."""
        return self.layouts[name]

    def has_exhibit(self) -> bool:
        """True when the base has a complete "Exhibit" layout."""
        return EXHIBIT in self.layouts and not _lacking(self.layouts[EXHIBIT], OPTIONAL[EXHIBIT])


def open_base(data: bytes | None, name: str) -> Base:
    """The base presentation in `data`, checked: a TemplateError names everything it lacks."""
    try:
        prs = Presentation(io.BytesIO(data or b""))
    except Exception as exc:  # python-pptx raises several unrelated types for a bad package
        raise TemplateError(
            f"base presentation '{name}' cannot be opened as .pptx: {exc}, expected a PowerPoint presentation", name
        ) from None
    lacking = problems(prs)
    if lacking:
        raise TemplateError(f"{name}: the base presentation cannot be used: " + "; ".join(lacking), name)
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    content = rect(placeholder(layouts["Title and Content"], BODIES))
    return Base(prs, name, layouts, content)


def problems(prs) -> list[str]:
    """Every required layout or placeholder the presentation lacks, as sentences."""
    found = {layout.name: layout for layout in prs.slide_layouts}
    out = []
    for name, wanted in REQUIRED.items():
        if name not in found:
            have = ", ".join(f"'{n}'" for n in found) or "none"
            out.append(f"no slide layout named '{name}' (it has {have})")
            continue
        out += [f"slide layout '{name}' has no {what} placeholder" for what in _lacking(found[name], wanted)]
    return out


def _lacking(layout, wanted) -> list[str]:
    return [what for what, types in wanted if placeholder(layout, types) is None]


def placeholder(owner, types):
    """The first placeholder of `owner` of one of `types`, or None."""
    for shape in owner.placeholders:
        if shape.placeholder_format.type in types:
            return shape
    return None


def rect(shape) -> Rect:
    """A shape's rectangle in points."""
    return Rect(*(draw.points(v) for v in (shape.left, shape.top, shape.width, shape.height)))
