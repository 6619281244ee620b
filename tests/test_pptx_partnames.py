"""The kept parts (`hot.Reach`) name every new part as python-pptx's own walk does.

Each step of a deck's life that changes which parts the package reaches (slides and
notes added, slides dropped, parts renamed, a picture, a hyperlink, a reload) is
followed by the same questions to both: the next free name for several templates, and
the relationship to reuse for each one there is (`_get_matching`).
Then a whole deck is built with and without the kept parts: the same bytes.
"""

from __future__ import annotations

import io

import pytest
from conftest import EXAMPLE
from deckcheck import context
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import OpcPackage, PackURI, Part, _Relationships

from deliverables.backends.slides import base as slides_base
from deliverables.backends.slides import hot
from deliverables.core.paths import templates_root
from deliverables.pipeline.build import render_files

TEMPLATES = (
    "/ppt/notesSlides/notesSlide%d.xml",
    "/ppt/slides/slide%d.xml",
    "/ppt/theme/theme%d.xml",
    "/ppt/embeddings/oleObject%d.bin",
    "/ppt/charts/chart%d.xml",
)
PATCHED = (
    (OpcPackage, "next_partname"),
    (_Relationships, "_add_relationship"),
    (_Relationships, "pop"),
    (_Relationships, "load_from_xml"),
    (_Relationships, "_get_matching"),
)
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
"""A 1x1 PNG."""


def unpatched(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put python-pptx's own methods back for the rest of the test."""
    assert slides_base.hot is hot  # the backend installed the kept parts
    for owner, name in PATCHED:
        monkeypatch.setattr(owner, name, getattr(owner, name).__wrapped__)
    monkeypatch.setattr(Part, "partname", property(Part.partname.fget, Part.partname.fset.__wrapped__))


def original_name(package: OpcPackage, template: str) -> PackURI:
    """python-pptx's own answer: a walk over every part."""
    return OpcPackage.next_partname.__wrapped__(package, template)


def assert_same_names(package: OpcPackage) -> None:
    for template in TEMPLATES:
        assert package.next_partname(template) == original_name(package, template), template
    # Each relationship found again from the kept index as the library's scan finds it.
    original = _Relationships._get_matching.__wrapped__
    collections = [package._rels, *(part.rels for part in package.iter_parts())]
    for rels in collections:
        for rel in list(rels.values()):
            target = rel.target_ref if rel.is_external else rel.target_part
            asked = (rel.reltype, target, rel.is_external)
            assert rels._get_matching(*asked) == original(rels, *asked)
            assert rels._get_matching(rel.reltype, target, not rel.is_external) is None


def partnames(prs) -> list[str]:
    return sorted(str(part.partname) for part in prs.part.package.iter_parts())


def life_of_a_deck(check) -> bytes:
    """Slides with notes added, dropped, renamed, linked and reloaded; `check(package)` after each step."""
    prs = Presentation(io.BytesIO((templates_root() / "base.pptx").read_bytes()))
    package = prs.part.package
    layouts = list(prs.slide_layouts)
    check(package)
    id_list = prs.slides._sldIdLst
    for number in range(24):
        slide = prs.slides.add_slide(layouts[number % len(layouts)])
        slide.notes_slide.notes_text_frame.text = f"Notes {number}"
        if number % 5 == 1:
            box = slide.shapes.add_textbox(0, 0, 100, 100)
            box.text_frame.text = "link"
            box.text_frame.paragraphs[0].runs[0].hyperlink.address = f"https://example.com/{number}"
        if number % 6 == 2:  # the same picture twice: one image part, one relationship
            slide.shapes.add_picture(io.BytesIO(PIXEL), 0, 0)
            slide.shapes.add_picture(io.BytesIO(PIXEL), 100, 0)
        check(package)
        if number % 7 == 3:  # drop an earlier slide: its notes page's name is free again
            entry = id_list[len(id_list) // 2]
            dropped = prs.part.related_part(entry.rId)
            prs.part.rels._get_matching(RT.SLIDE, dropped)  # asked while it is there
            prs.part.drop_rel(entry.rId)
            id_list.remove(entry)
            assert prs.part.rels._get_matching(RT.SLIDE, dropped) is None
            check(package)
            prs.part.rename_slide_parts([e.rId for e in id_list])  # as saving does
            check(package)
        if number % 9 == 4:  # rename a notes page out of the sequence
            notes = slide.notes_slide.part
            notes.partname = PackURI(f"/ppt/notesSlides/notesSlide{100 + number}.xml")
            check(package)
    out = io.BytesIO()
    prs.save(out)  # renames the slides in order
    check(package)
    prs.slides.add_slide(layouts[0]).notes_slide.notes_text_frame.text = "After saving"
    check(package)
    reread = Presentation(io.BytesIO(out.getvalue()))
    check(reread.part.package)
    reread.slides.add_slide(reread.slide_layouts[0]).notes_slide.notes_text_frame.text = "Reread"
    check(reread.part.package)
    final = io.BytesIO()
    prs.save(final)
    return final.getvalue() + b"|" + "\n".join(partnames(prs) + partnames(reread)).encode()


def test_every_new_name_is_the_one_the_walk_gives_through_a_decks_life() -> None:
    asked = []

    def check(package):
        asked.append(package)
        assert_same_names(package)

    life_of_a_deck(check)
    assert len(asked) > 30


def test_a_deck_has_the_same_part_names_and_bytes_with_and_without_the_kept_parts(monkeypatch) -> None:
    kept = life_of_a_deck(lambda package: None)
    unpatched(monkeypatch)
    assert life_of_a_deck(lambda package: None) == kept


def test_built_decks_are_byte_identical_without_the_kept_parts(monkeypatch) -> None:
    names = ["kickoff-deck", "training"]
    kept, records, _ = render_files(context(EXAMPLE), names)
    unpatched(monkeypatch)
    walked, _, _ = render_files(context(EXAMPLE), names)
    decks = [path for name in names for path in records[name]["files"] if path.endswith(".pptx")]
    assert len(decks) >= 2
    for path in decks:
        assert kept[path] == walked[path], path
