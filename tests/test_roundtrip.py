"""Word round-trip: clickable answer boxes in the alignment document, read back."""

from __future__ import annotations

import functools
import io
import zipfile

from conftest import EXAMPLE
from docx_support import context, render
from lxml import etree
from ooxml import validate_package

from deliverables.backends.word.controls import W14, W, read_controls
from deliverables.core import tags

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# CT_SdtPr's elements in schema order; w14 extensions follow them.
SDT_PR_ORDER = ("rPr", "alias", "tag", "id", "lock", "placeholder", "temporary", "showingPlcHdr", "text")


@functools.cache
def example() -> bytes:
    files = render("definition-alignment", context(EXAMPLE))
    return files["definition-alignment-v1.docx"]


def document_xml(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


def test_every_asked_approver_gets_tagged_yes_no_and_comment_boxes():
    project = context(EXAMPLE).project
    found = {c.tag: c for c in read_controls(example())}
    expected = {}
    for term in project.terms:
        for approver, state in term.approvals.items():
            stem = (project.slug, project.version, term.key, approver)
            expected[tags.tag(*stem, "yes")] = ("checkbox", state == "approved")
            expected[tags.tag(*stem, "no")] = ("checkbox", state == "rejected")
            expected[tags.tag(*stem, "comment")] = ("text", False)
    assert {tag: (c.kind, c.checked) for tag, c in found.items()} == expected
    assert len(found) == 165
    sql = tags.tag("acme-analytics", 1, "sql", "marketing", "yes")
    assert sql == "deliver:acme-analytics:v1:sql:marketing:yes"
    # The hidden bookmark: client hash, version, item hash, and "p": sent as pending.
    assert found[sql].mark == tags.mark("acme-analytics", 1, "sql", "marketing", "yes", "pending")
    assert found[sql].mark == "_d9e50e2v1_2fabb0944bdbp"
    assert tags.parse_mark(found[sql].mark) == tags.Mark(
        tags.client_hash("acme-analytics"), 1, "2fabb0944bdb", "pending"
    )
    assert all(c.text == "" for c in found.values() if c.kind == "text")


def test_checkbox_shows_the_glyph_of_its_state_and_names_both_glyphs():
    root = document_xml(example())
    boxes = root.findall(f".//{{{W14}}}checkbox")
    assert len(boxes) == 110
    for box in boxes:
        sdt = box.getparent().getparent()
        checked = box.find(f"{{{W14}}}checked").get(f"{{{W14}}}val") == "1"
        shown = "".join(t.text for t in sdt.iter(f"{{{W}}}t"))
        assert shown == ("☒" if checked else "☐")
        states = {e.tag.split("}")[1]: e.get(f"{{{W14}}}val") for e in box if e.tag != f"{{{W14}}}checked"}
        assert states == {"checkedState": "2612", "uncheckedState": "2610"}


def test_controls_are_declared_and_ordered_as_the_schema_wants():
    root = document_xml(example())
    assert root.nsmap["w14"] == W14
    assert "w14" in root.get(f"{{{MC}}}Ignorable").split()
    ids, marks = [], []
    for pr in root.iter(f"{{{W}}}sdtPr"):
        names = [e.tag.split("}")[1] for e in pr if e.tag.startswith(f"{{{W}}}")]
        assert names == sorted(names, key=SDT_PR_ORDER.index)
        assert all(e.tag.startswith(f"{{{W}}}") for e in pr[: len(names)])
        ids.append(pr.find(f"{{{W}}}id").get(f"{{{W}}}val"))
    for start in root.iter(f"{{{W}}}bookmarkStart"):
        marks.append(start.get(f"{{{W}}}id"))
        assert len(start.get(f"{{{W}}}name")) <= 40
    ends = [e.get(f"{{{W}}}id") for e in root.iter(f"{{{W}}}bookmarkEnd")]
    assert len(set(ids)) == len(ids) == 165
    assert sorted(marks) == sorted(ends) and len(set(marks)) == 165


def test_document_with_controls_is_schema_valid(tmp_path):
    path = tmp_path / "alignment.docx"
    path.write_bytes(example())
    assert validate_package(path) == []


def test_document_with_controls_is_the_same_bytes_on_every_build():
    again = render("definition-alignment", context(EXAMPLE))["definition-alignment-v1.docx"]
    assert again == example()
