"""`definition-alignment-vN-redline.docx`: vN with the changes since vN-1 as tracked changes."""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx_support import cell_text, context, docx_text, find_row, open_docx, render
from lxml import etree
from ooxml import validate_package

from deliverables.core.model import Project
from deliverables.core.validate import load_project

CASES = Path(__file__).parent / "cases" / "versions"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BASIC = Path(__file__).parent / "cases" / "ingest" / "Module1.xba"


def q(name: str) -> str:
    return f"{{{W}}}{name}"


@functools.cache
def built() -> dict[str, bytes]:
    """v1 of the version-test client, built with v0 as the previous version."""
    previous: Project = load_project(CASES / "v0.yaml")[0]
    return render("definition-alignment", context(CASES / "v1.yaml", previous=previous))


def body(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


def with_body(data: bytes, root) -> bytes:
    """The package with its document part replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "word/document.xml":
                part = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            out.writestr(info, part)
    return buffer.getvalue()


def resolve(data: bytes, accept: bool) -> bytes:
    """Every revision accepted (or rejected), as Word's Accept All / Reject All do."""
    root = body(data)
    keep, drop = ("ins", "del") if accept else ("del", "ins")
    for row in list(root.iter(q("tr"))):
        if row.find(f"{q('trPr')}/{q(drop)}") is not None:
            row.getparent().remove(row)
    for element in list(root.iter(q(drop))):
        if element.getparent().tag != q("rPr"):
            element.getparent().remove(element)
    # A removed paragraph mark joins the paragraph to the next one, which keeps its own properties.
    for paragraph in list(root.iter(q("p"))):
        if paragraph.find(f"{q('pPr')}/{q('rPr')}/{q(drop)}") is not None:
            following = paragraph.getnext()
            if following is None or following.tag != q("p"):  # the end of a cell: nothing to join
                assert not "".join(t.text or "" for t in paragraph.iter(q("t"))), "text left before a removed mark"
                paragraph.getparent().remove(paragraph)
                continue
            at = 1 if following.find(q("pPr")) is not None else 0
            for child in [c for c in paragraph if c.tag != q("pPr")]:
                following.insert(at, child)
                at += 1
            paragraph.getparent().remove(paragraph)
    for element in list(root.iter(q(drop))):
        element.getparent().remove(element)
    for element in list(root.iter(q(keep))):
        parent = element.getparent()
        if parent.tag in (q("rPr"), q("trPr")):
            parent.remove(element)
            continue
        at = parent.index(element)
        for child in list(element):
            for text in child.iter(q("delText")):
                text.tag = q("t")
            parent.insert(at, child)
            at += 1
        parent.remove(element)
    return with_body(data, root)


def table_rows(data: bytes, header: str) -> list[list[str]]:
    """Cell texts of every body row of the tables whose first header cell is `header`."""
    rows = []
    for table in open_docx(data).tables:
        if cell_text(table.rows[0].cells[0]) == header:
            rows += [[cell_text(c) for c in row.cells] for row in table.rows[1:]]
    return rows


def test_v0_has_no_redline_and_v1_lists_it():
    from deliverables.documents import alignment

    assert alignment.files(load_project(CASES / "v0.yaml")[0]) == ("definition-alignment-v0.docx",)
    assert sorted(built()) == ["definition-alignment-v1-redline.docx", "definition-alignment-v1.docx"]


def test_accept_all_gives_exactly_the_new_version_and_reject_all_the_old_text():
    red, clean = built()["definition-alignment-v1-redline.docx"], built()["definition-alignment-v1.docx"]
    assert docx_text(resolve(red, accept=True)) == docx_text(clean)
    # Reject All gives v0's tables back (the changes section, itself the list of changes, is not marked).
    rejected = resolve(red, accept=False)
    mql = find_row(rejected, "Marketing Qualified Lead", "Stage")
    assert mql[1:3] == [
        "A lead that meets the scoring threshold and fits the ICP.",
        "• Lead score reaches 60 / • Company size over 50",
    ]
    assert find_row(rejected, "Pipeline", "Term")[1] == "Open opportunities past discovery."
    stages = [row[0] for row in table_rows(rejected, "Stage")]
    assert "Demo Completed" not in stages and "Discovery Completed" in stages


def test_revisions_carry_the_architect_and_the_version_date():
    root = body(built()["definition-alignment-v1-redline.docx"])
    marks = list(root.iter(q("ins"), q("del")))
    assert len(marks) > 20
    assert {(m.get(q("author")), m.get(q("date"))) for m in marks} == {("Sam Rivera", "2026-11-09T00:00:00Z")}
    ids = [m.get(q("id")) for m in marks]
    assert len(set(ids)) == len(ids)


def words(root, kind: str) -> list[str]:
    tag = q("delText") if kind == "del" else q("t")
    return ["".join(t.text or "" for t in m.iter(tag)) for m in root.iter(q(kind)) if m.getparent().tag != q("rPr")]


def test_changed_words_added_stage_and_removed_term_are_tracked():
    root = body(built()["definition-alignment-v1-redline.docx"])
    deleted, inserted = words(root, "del"), words(root, "ins")
    assert "fits" in deleted and "matches" in inserted  # a changed stage definition, word by word
    assert "60" in deleted and "70" in inserted
    assert "Demo Completed" in inserted  # a stage added: its whole row
    assert "Pipeline" in deleted and "SQL" in inserted  # a term removed, one added
    rows = [r for r in root.iter(q("tr")) if r.find(f"{q('trPr')}/{q('ins')}") is not None]
    assert any("Demo Completed" in "".join(r.itertext()) for r in rows)


def test_redline_is_schema_valid_and_has_no_controls(tmp_path: Path):
    data = built()["definition-alignment-v1-redline.docx"]
    path = tmp_path / "redline.docx"
    path.write_bytes(data)
    assert validate_package(path) == []
    assert not list(body(data).iter(q("sdt")))


def test_redline_is_the_same_bytes_on_every_build():
    previous = load_project(CASES / "v0.yaml")[0]
    again = render("definition-alignment", context(CASES / "v1.yaml", previous=previous))
    assert again == built()


def test_without_the_previous_version_the_redline_has_no_revisions():
    ctx = context(CASES / "v1.yaml")
    files = render("definition-alignment", ctx)
    red = files["definition-alignment-v1-redline.docx"]
    assert not list(body(red).iter(q("ins"))) and not list(body(red).iter(q("del")))
    assert docx_text(red) == docx_text(files["definition-alignment-v1.docx"])
    assert [p.message for p in ctx.warnings] == [
        "no earlier version of this client is built in the output folder, so the documents leave out "
        "the changes since v0; build it into the same --out to list them"
    ]


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_accept_all_gives_the_new_version_text(tmp_path: Path):
    red = tmp_path / "red.docx"
    red.write_bytes(built()["definition-alignment-v1-redline.docx"])
    clean = tmp_path / "clean.docx"
    clean.write_bytes(built()["definition-alignment-v1.docx"])
    profile = tmp_path / "profile"
    office = [SOFFICE, "--headless", f"-env:UserInstallation={profile.as_uri()}"]
    subprocess.run([*office, "--terminate_after_init"], check=True, capture_output=True, timeout=300)
    shutil.copy(BASIC, profile / "user" / "basic" / "Standard" / "Module1.xba")
    listed = tmp_path / "changes.txt"
    call = f'macro:///Standard.Module1.ListChanges("{red}","{listed}")'
    subprocess.run([*office, call], check=True, capture_output=True, timeout=300)
    changes = listed.read_text(encoding="utf-8", errors="replace").splitlines()
    # Manage Changes lists insertions and deletions, all by the architect.
    assert {c.split("|")[0] for c in changes} == {"Insert", "Delete"} and len(changes) > 20
    assert {c.split("|", 1)[1] for c in changes} == {"Sam Rivera"}
    accepted = tmp_path / "accepted.txt"
    call = f'macro:///Standard.Module1.AcceptAllAsText("{red}","{accepted}")'
    subprocess.run([*office, call], check=True, capture_output=True, timeout=300)
    subprocess.run(
        [*office, "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp_path), str(clean)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    expected = (tmp_path / "clean.txt").read_text(encoding="utf-8-sig")
    text = accepted.read_text(encoding="utf-8-sig")
    assert text == expected
    assert "Demo Completed" in text
