"""Every docx and pptx is valid against the ISO/IEC 29500 transitional schemas, and the
validator itself finds what Word and PowerPoint would repair."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import ARCHITECTURES, EXAMPLE
from ooxml import validate_package

from deliverables.cli import cli

CASES = Path(__file__).parent / "cases"
OTHERS = [*ARCHITECTURES, CASES / "clients" / "salesforce-v3.yaml", *sorted((CASES / "crm").glob("*.yaml"))]
# The example runs everywhere; the other clients in the full run (each is a whole build).
CLIENTS = [pytest.param(EXAMPLE, id=EXAMPLE.stem)] + [
    pytest.param(path, id=path.stem, marks=pytest.mark.slow) for path in OTHERS
]


def built(runner, client: Path, out: Path) -> list[Path]:
    """Build every deliverable of a client into `out`; its docx and pptx files."""
    result = runner.invoke(cli, ["build", str(client), "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return sorted([*out.rglob("*.docx"), *out.rglob("*.pptx")])


@pytest.mark.parametrize("client", CLIENTS)
def test_every_docx_and_pptx_is_schema_valid(runner, client: Path, tmp_path: Path, request):
    # The example's build is the module's (`example_files`): the same command, built once.
    files = (
        list(request.getfixturevalue("example_files").values())
        if client == EXAMPLE
        else built(runner, client, tmp_path)
    )
    assert {path.suffix for path in files} == {".docx", ".pptx"}
    problems = {path.name: validate_package(path) for path in files}
    assert problems == {path.name: [] for path in files}


@pytest.fixture(scope="module")
def example_files(tmp_path_factory) -> dict[str, Path]:
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("example")
    return {path.name: path for path in built(CliRunner(), EXAMPLE, out)}


def rewritten(source: Path, target: Path, edits: dict[str, object]) -> Path:
    """A copy of a package with parts replaced (callable on the old text), dropped (None) or added."""
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w") as copy:
        for info in archive.infolist():
            edit = edits.get(info.filename, ...)
            if edit is None:
                continue
            data = archive.read(info)
            if edit is not ...:
                data = edit(data.decode("utf-8")).encode("utf-8")
            copy.writestr(info, data)
        for name in sorted(set(edits) - set(archive.namelist())):
            copy.writestr(name, edits[name]())
    return target


def once(old: str, new: str):
    def edit(text: str) -> str:
        assert text.count(old) >= 1, old
        return text.replace(old, new, 1)

    return edit


def test_valid_docx_has_no_problem(example_files):
    assert validate_package(example_files["definition-alignment-v1.docx"]) == []


def test_second_table_layout_is_a_schema_error(example_files, tmp_path):
    docx = rewritten(
        example_files["definition-alignment-v1.docx"],
        tmp_path / "x.docx",
        {"word/document.xml": once("<w:tblLook ", '<w:tblLayout w:type="fixed"/><w:tblLook ')},
    )
    problems = validate_package(docx)
    assert len(problems) == 1
    assert re.fullmatch(
        r"word/document\.xml:2: /w:document/w:body/w:tbl\[1\]/w:tblPr/w:tblLayout\[2\]: Element "
        r"'\{http://schemas\.openxmlformats\.org/wordprocessingml/2006/main\}tblLayout': "
        r"This element is not expected\. Expected is one of \( .*\)\.",
        problems[0],
    ), problems


def test_zoom_without_percent_is_a_schema_error(example_files, tmp_path):
    docx = rewritten(
        example_files["faq-v1.docx"],
        tmp_path / "x.docx",
        {"word/settings.xml": once('<w:zoom w:percent="100"/>', '<w:zoom w:val="bestFit"/>')},
    )
    assert validate_package(docx) == [
        "word/settings.xml:2: /w:settings/w:zoom: Element '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}zoom': "
        "The attribute '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}percent' is required "
        "but missing."
    ]


def test_part_without_content_type_and_broken_relationship_are_reported(example_files, tmp_path):
    docx = rewritten(
        example_files["faq-v1.docx"],
        tmp_path / "x.docx",
        {
            "[Content_Types].xml": once('<Override PartName="/word/styles.xml"', '<Override PartName="/word/gone.xml"'),
            "word/_rels/document.xml.rels": once('Target="styles.xml"', 'Target="missing.xml"'),
            "word/media/extra.bin": lambda: "x",
        },
    )
    problems = validate_package(docx)
    assert [re.sub(r":\d+:", ":N:", p) for p in problems] == [
        "[Content_Types].xml: part /word/media/extra.bin has no content type",
        "[Content_Types].xml:N: override for missing part /word/gone.xml",
        "word/_rels/document.xml.rels:N: relationship rId3 targets missing part /word/missing.xml",
    ]


DRAWING = (
    '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/><wp:docPr id="7" name="Picture"/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"/></a:graphic>'
    "</wp:inline></w:drawing></w:r></w:p>"
)


def test_drawing_ids_must_be_unique(example_files, tmp_path):
    body = "<w:body>"
    docx = rewritten(
        example_files["faq-v1.docx"],
        tmp_path / "x.docx",
        {"word/document.xml": once(body, body + DRAWING + DRAWING)},
    )
    problems = validate_package(docx)
    assert [re.sub(r":\d+:", ":N:", p) for p in problems] == [
        "word/document.xml:N: wp:docPr id 7 also used in word/document.xml"
    ]


def test_unknown_markup_is_reported_and_ignorable_markup_set_aside(example_files, tmp_path):
    w14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    docx = rewritten(
        example_files["faq-v1.docx"],
        tmp_path / "x.docx",
        {
            "word/document.xml": lambda text: (
                text.replace("<w:body>", f'<w:body xmlns:x="urn:x" {w14}>', 1)
                .replace("<w:p>", '<w:p w14:paraId="0A1B2C3D" x:y="1">', 1)
                .replace("</w:body>", "<x:thing/></w:body>", 1)
            ),
        },
    )
    problems = [re.sub(r":\d+:", ":N:", p) for p in validate_package(docx)]
    assert problems == [
        "word/document.xml:N: attribute {urn:x}y is not understood",
        "word/document.xml:N: element {urn:x}thing is not understood",
    ]


def test_pptx_schema_error_and_duplicate_shape_id(example_files, tmp_path):
    source = example_files["kickoff-deck-v1.pptx"]
    assert validate_package(source) == []
    with zipfile.ZipFile(source) as archive:
        slide = archive.read("ppt/slides/slide1.xml").decode()
    ids = re.findall(r'<p:cNvPr id="(\d+)"', slide)
    pptx = rewritten(
        source,
        tmp_path / "x.pptx",
        {
            "ppt/slides/slide1.xml": lambda text: text.replace(
                f'<p:cNvPr id="{ids[1]}"', f'<p:cNvPr id="{ids[0]}"', 1
            ).replace("<p:spTree>", "<p:spTree><p:bogus/>", 1)
        },
    )
    problems = [re.sub(r":\d+:", ":N:", p) for p in validate_package(pptx)]
    assert len(problems) == 2, problems
    assert problems[1] == f"ppt/slides/slide1.xml:N: shape id {ids[0]} used twice"
    assert problems[0].startswith(
        "ppt/slides/slide1.xml:N: /p:sld/p:cSld/p:spTree/p:bogus: "
        "Element '{http://schemas.openxmlformats.org/presentationml/2006/main}bogus': "
        "This element is not expected."
    )


def test_not_a_package_is_an_error(tmp_path):
    path = tmp_path / "x.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document")
    problems = [re.sub(r":\d+: .*", "", p) for p in validate_package(path)]
    assert problems == ["[Content_Types].xml: missing", "word/document.xml"]


def test_branded_base_with_a_zoom_word_would_repair_still_gives_a_valid_docx(tmp_path):
    from docx_support import context, render

    from deliverables.core.paths import templates_root

    theme = tmp_path / "theme"
    theme.mkdir()
    rewritten(
        templates_root() / "base.docx",
        theme / "base.docx",
        {"word/settings.xml": once('<w:zoom w:percent="100"/>', '<w:zoom w:val="bestFit"/>')},
    )
    out = render("faq", context(EXAMPLE, theme=theme))
    (tmp_path / "faq.docx").write_bytes(out["faq-v1.docx"])
    assert validate_package(tmp_path / "faq.docx") == []
