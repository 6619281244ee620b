"""`deliver ingest`: returned copies of the alignment document update the client file."""

from __future__ import annotations

import difflib
import functools
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, with_exports
from docx_support import context, render
from lxml import etree

from deliverables.backends.word.controls import W14, W
from deliverables.cli import cli

SQL = "deliver:acme-analytics:v1:sql:{}:{}"
BASIC = Path(__file__).parent / "cases" / "ingest" / "Module1.xba"


@functools.cache
def sent() -> bytes:
    """The example's v1 document as it goes to the client."""
    return render("definition-alignment", context(EXAMPLE))["definition-alignment-v1.docx"]


def returned(data: bytes, ticks: dict[str, bool] = {}, comments: dict[str, str] = {}, drop: tuple[str, ...] = ()):  # noqa: B006
    """A copy edited the way Word saves it: the box's checked flag and glyph toggled, the
    comment typed over the placeholder (which Word then stops showing), boxes deleted."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {info: package.read(info.filename) for info in package.infolist()}
    info = next(i for i in parts if i.filename == "word/document.xml")
    root = etree.fromstring(parts[info])
    seen = set()
    for sdt in list(root.iter(f"{{{W}}}sdt")):
        tag = sdt.find(f"{{{W}}}sdtPr/{{{W}}}tag").get(f"{{{W}}}val")
        if tag in drop or "*" in drop:
            parent = sdt.getparent()
            for bookmark in (sdt.getprevious(), sdt.getnext()):
                parent.remove(bookmark)
            parent.remove(sdt)
        if tag in ticks:
            sdt.find(f".//{{{W14}}}checked").set(f"{{{W14}}}val", "1" if ticks[tag] else "0")
            sdt.find(f".//{{{W}}}t").text = "☒" if ticks[tag] else "☐"
        if tag in comments:
            pr = sdt.find(f"{{{W}}}sdtPr")
            pr.remove(pr.find(f"{{{W}}}showingPlcHdr"))
            sdt.find(f".//{{{W}}}t").text = comments[tag]
        seen.add(tag)
    assert set(ticks) | set(comments) | {d for d in drop if d != "*"} <= seen
    parts[info] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item, content in parts.items():
            out.writestr(item, content)
    return buffer.getvalue()


@pytest.fixture
def client(tmp_path: Path) -> Path:
    path = with_exports(tmp_path) / "acme.yaml"
    shutil.copy(EXAMPLE, path)
    return path


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def ingest(*args: object):
    return CliRunner().invoke(cli, ["ingest", *map(str, args)])


def diff(before: str, after: str) -> list[str]:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in lines if not line.startswith(("---", "+++", "@@"))]


def test_ticked_box_and_typed_comment_update_the_file_in_place(client: Path, tmp_path: Path):
    copy = returned(
        sent(),
        ticks={SQL.format("marketing", "yes"): True},
        comments={SQL.format("marketing", "comment"): 'Agreed, once "New Business" is the deal type.'},
    )
    before = client.read_text(encoding="utf-8")
    result = ingest(client, write(tmp_path, "priya.docx", copy))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Term                        Approver                   Was → now",
        "SQL (Sales Qualified Lead)  Priya Raman, VP Marketing  pending → approved",
        "Comment on 'SQL (Sales Qualified Lead)' by Priya Raman, VP Marketing (priya.docx): "
        'Agreed, once "New Business" is the deal type.',
        f"updated {client}",
    ]
    assert diff(before, client.read_text(encoding="utf-8")) == [
        "-    approvals: {sales: approved, marketing: pending, revops: approved}",
        "-    status: assumed",
        "+    approvals: {sales: approved, marketing: approved, revops: approved}",
        "+    status: assumed",
        "+    comments:",
        '+      - {who: marketing, text: "Agreed, once \\"New Business\\" is the deal type.", file: "priya.docx"}',
    ]
    project = context(client).project
    sql = next(t for t in project.terms if t.key == "sql")
    assert [(c.who, c.text, c.file) for c in sql.comments] == [
        ("marketing", 'Agreed, once "New Business" is the deal type.', "priya.docx")
    ]


def test_rejection_untick_and_a_second_comment_from_another_copy(client: Path, tmp_path: Path):
    first = returned(sent(), comments={SQL.format("marketing", "comment"): "First look."})
    second = returned(
        sent(),
        ticks={SQL.format("sales", "yes"): False, SQL.format("sales", "no"): True},
        comments={SQL.format("sales", "comment"): "Discovery must be held, not booked."},
    )
    result = ingest(client, write(tmp_path, "a.docx", first), write(tmp_path, "b.docx", second))
    assert result.exit_code == 0, result.output
    assert "SQL (Sales Qualified Lead)  Marcus Bell, VP Sales  approved → rejected" in result.output
    text = client.read_text(encoding="utf-8")
    assert (
        "    approvals: {sales: rejected, marketing: pending, revops: approved}\n"
        "    status: assumed\n"
        "    comments:\n"
        '      - {who: marketing, text: "First look.", file: "a.docx"}\n'
        '      - {who: sales, text: "Discovery must be held, not booked.", file: "b.docx"}\n'
    ) in text
    # Ingesting the same copies again adds nothing.
    again = ingest(client, tmp_path / "a.docx", tmp_path / "b.docx")
    assert again.exit_code == 0, again.output
    assert client.read_text(encoding="utf-8") == text
    assert "No approval changes." in again.output and f"nothing to change in {client}" in again.output


def test_dry_run_prints_the_table_and_writes_nothing(client: Path, tmp_path: Path):
    before = client.read_bytes()
    copy = write(tmp_path, "c.docx", returned(sent(), ticks={SQL.format("marketing", "no"): True}))
    result = ingest(client, copy, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        "SQL (Sales Qualified Lead)  Priya Raman, VP Marketing  pending → rejected",
        f"dry run: {client} not changed",
    ]
    assert client.read_bytes() == before


def refused(client: Path, *copies: Path) -> list[str]:
    before = client.read_bytes()
    result = ingest(client, *copies)
    assert result.exit_code == 1, result.output
    assert client.read_bytes() == before
    assert "Traceback" not in result.output
    return result.output.removeprefix("error: ").splitlines()


def test_copy_of_another_client_is_refused(client: Path, tmp_path: Path):
    client.write_text(client.read_text().replace("slug: acme-analytics", "slug: acme-two"), encoding="utf-8")
    assert refused(client, write(tmp_path, "x.docx", sent())) == [
        f"x.docx: this copy belongs to another client, not to 'acme-two' of {client}"
    ]


def test_copy_of_another_version_is_refused(client: Path, tmp_path: Path):
    client.write_text(client.read_text().replace("version: 1", "version: 2"), encoding="utf-8")
    assert refused(client, write(tmp_path, "x.docx", sent())) == [f"x.docx: this copy is of v1, but {client} is at v2"]


def test_copy_without_boxes_is_refused(client: Path, tmp_path: Path):
    copy = write(tmp_path, "x.docx", returned(sent(), drop=("*",)))
    assert refused(client, copy) == [
        "x.docx: no answer boxes found; they were deleted, or this is not a Definition Alignment Document"
    ]


def test_deleted_box_is_refused(client: Path, tmp_path: Path):
    copy = write(tmp_path, "x.docx", returned(sent(), drop=(SQL.format("sales", "no"),)))
    assert refused(client, copy) == [
        "x.docx: the Yes / No boxes of Marcus Bell, VP Sales for 'SQL (Sales Qualified Lead)' are missing "
        f"(deleted in the copy, or the term's approvers changed in {client} since it was sent)"
    ]


def test_box_of_a_term_the_file_no_longer_has_is_refused(client: Path, tmp_path: Path):
    client.write_text(client.read_text().replace("    id: sql\n", "    id: sql-stage\n"), encoding="utf-8")
    lines = refused(client, write(tmp_path, "x.docx", sent()))
    assert lines == [f"x.docx: a box names the term 'sql', which {client} does not have"]


def test_both_yes_and_no_ticked_is_refused(client: Path, tmp_path: Path):
    copy = write(tmp_path, "x.docx", returned(sent(), ticks={SQL.format("sales", "no"): True}))
    assert refused(client, copy) == [
        "x.docx: Marcus Bell, VP Sales ticked both Yes and No for 'SQL (Sales Qualified Lead)'"
    ]


def test_answer_of_an_approver_not_asked_is_refused(client: Path, tmp_path: Path):
    text = client.read_text().replace(
        "{sales: approved, marketing: pending, revops: approved}", "{sales: approved, revops: approved}"
    )
    client.write_text(text, encoding="utf-8")
    assert refused(client, write(tmp_path, "x.docx", sent())) == [
        f"x.docx: Priya Raman, VP Marketing answered 'SQL (Sales Qualified Lead)' but is not asked to approve it in {client}"
    ]


def test_conflicting_copies_write_nothing_until_one_is_preferred(client: Path, tmp_path: Path):
    yes = write(tmp_path, "yes.docx", returned(sent(), ticks={SQL.format("marketing", "yes"): True}))
    no = write(tmp_path, "no.docx", returned(sent(), ticks={SQL.format("marketing", "no"): True}))
    assert refused(client, yes, no) == [
        "'SQL (Sales Qualified Lead)', Priya Raman, VP Marketing: yes.docx says approved, no.docx says rejected",
        "nothing written: settle each with --prefer FILE",
    ]
    result = ingest(client, yes, no, "--prefer", no)
    assert result.exit_code == 0, result.output
    assert "{sales: approved, marketing: rejected, revops: approved}" in client.read_text()
    elsewhere = ingest(client, yes, "--prefer", no)
    assert elsewhere.exit_code == 1 and f"--prefer {no}: not one of the returned copies" in elsewhere.output


def test_comment_goes_into_a_block_term_and_an_existing_list(tmp_path: Path):
    client = tmp_path / "tiny.yaml"
    client.write_text(
        "client: {name: Tiny Co, slug: tiny}\nversion: 0\ndate: 2026-11-02\n"
        "stakeholders:\n  - {id: dana, name: Dana Ortiz, title: VP RevOps}\n"
        "terms:\n"
        "  - term: MQL\n    definition: >-\n      A lead that fits.\n\n    approvals:\n      dana: pending\n\n"
        "  - term: SQL\n    approvals: {dana: pending}\n    comments:\n      - {who: dana, text: Old note.}\n",
        encoding="utf-8",
    )
    data = render("definition-alignment", context(client))["definition-alignment-v0.docx"]
    copy = returned(
        data,
        ticks={"deliver:tiny:v0:mql:dana:yes": True},
        comments={"deliver:tiny:v0:mql:dana:comment": "Yes.", "deliver:tiny:v0:sql:dana:comment": "New note."},
    )
    result = ingest(client, write(tmp_path, "d.docx", copy))
    assert result.exit_code == 0, result.output
    assert client.read_text(encoding="utf-8").split("terms:\n")[1] == (
        "  - term: MQL\n    definition: >-\n      A lead that fits.\n\n    approvals:\n      dana: approved\n"
        '    comments:\n      - {who: dana, text: "Yes.", file: "d.docx"}\n\n'
        "  - term: SQL\n    approvals: {dana: pending}\n    comments:\n      - {who: dana, text: Old note.}\n"
        '      - {who: dana, text: "New note.", file: "d.docx"}\n'
    )


def test_unreadable_copy_is_refused(client: Path, tmp_path: Path):
    lines = refused(client, write(tmp_path, "x.docx", b"not a zip"))
    assert lines == ["x.docx: cannot be read as a Word document (File is not a zip file)"]


def test_a_copy_whose_text_unpacks_past_the_limit_is_refused_unread(client: Path, tmp_path: Path, monkeypatch):
    # A few hundred KiB of zip may declare gigabytes of text: refused by the declared size.
    import io
    import zipfile

    from deliverables.backends.word import controls

    monkeypatch.setattr(controls, "MAX_BODY", 2**20)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"<" + b" " * (3 * 2**20))
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda *a, **k: pytest.fail("the part was read"))
    lines = refused(client, write(tmp_path, "big.docx", buffer.getvalue()))
    assert lines == [
        "big.docx: cannot be read as a Word document (its text unpacks to 3 MiB, past the 1 MiB a returned document may hold)"
    ]


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_box_ticked_in_libreoffice_is_ingested(client: Path, tmp_path: Path):
    """LibreOffice Writer opens the document, a Basic macro clicks Priya Raman's Yes for SQL
    and saves as .docx; LibreOffice 7.4 drops tags on saving, the hidden bookmarks remain."""
    sent_copy = write(tmp_path, "sent.docx", sent())
    ticked = tmp_path / "ticked.docx"
    macro(tmp_path, "Tick", sent_copy, ticked, "SQL (Sales", "D", "1")
    before = client.read_text(encoding="utf-8")
    result = ingest(client, ticked)
    assert result.exit_code == 0, result.output
    assert diff(before, client.read_text(encoding="utf-8")) == [
        "-    approvals: {sales: approved, marketing: pending, revops: approved}",
        "+    approvals: {sales: approved, marketing: approved, revops: approved}",
    ]


def macro(tmp_path: Path, name: str, *args: object) -> None:
    """Run a Basic macro of tests/cases/ingest in a throw-away LibreOffice profile."""
    profile = tmp_path / "profile"
    library = profile / "user" / "basic" / "Standard"
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--terminate_after_init"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    shutil.copy(BASIC, library / "Module1.xba")
    quoted = ",".join(f'"{a}"' for a in args)
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation={profile.as_uri()}",
            f"macro:///Standard.Module1.{name}({quoted})",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert all(Path(str(a)).exists() for a in args[:2]), "the macro wrote no file"


def test_ingest_on_a_symlinked_client_file_writes_the_real_file_and_keeps_the_link(client: Path, tmp_path: Path):
    link = tmp_path / "link.yaml"
    link.symlink_to(client.name)
    copy = returned(sent(), ticks={SQL.format("marketing", "yes"): True})
    before = client.read_text(encoding="utf-8")
    result = ingest(link, write(tmp_path, "priya.docx", copy))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == client.resolve()
    assert client.read_text(encoding="utf-8") != before


def test_a_returned_copy_that_is_a_fifo_is_refused_without_waiting(client: Path, tmp_path: Path):
    os.mkfifo(tmp_path / "priya.docx")
    result = ingest(client, tmp_path / "priya.docx")
    assert result.exit_code == 1, result.output
    assert "priya.docx: the file is a FIFO, expected a returned Word document" in result.output
