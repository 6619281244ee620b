"""Right-to-left text on the Stage Reference Card: Arabic letters joined, every line
in the order it is read (right to left, with Latin words and digits left to right
inside), lines of a wrapped criterion kept top to bottom, RTL paragraphs flush right."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from card_fixtures import client_yaml
from conftest import write
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from deliverables.backends import direction
from deliverables.backends.pdf.rtl import BidiParagraph, make_paragraph
from deliverables.backends.pdf.style import register_fonts, styles
from deliverables.pipeline.build import build_file

ARABIC_NAME = "عميل محتمل معروف"
HEBREW_NAME = "ליד מעורב שיווקית"
LONG = (
    "يتم إنشاء جهة الاتصال ببريد إلكتروني للعمل أو رقم هاتف أو اسم كامل، ويصل تقييم العميل"
    " إلى 60 نقطة (MQL) خلال 30 يومًا من أول زيارة"
)
THREE = client_yaml(3, long_every=0, token_every=0, name="Three Co")


def lines_of(paragraph: Paragraph) -> list[str]:
    """The drawn text of each line, left to right."""
    if paragraph.blPara.kind == 0:
        return [" ".join(words) for _, words in paragraph.blPara.lines]
    return ["".join(f.text for f in line.words) for line in paragraph.blPara.lines]


def drawn_strings(pdf: bytes) -> list[str]:
    """Every string the page draws, in the order drawn, decoded through its font's
    ToUnicode map and unshaped (NFKC). Not `extract_text`: pypdf reorders right-to-left
    text for reading, which would hide the order it is drawn in."""
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    maps: dict[str, dict[int, str]] = {}
    for name, font in page["/Resources"]["/Font"].items():
        font = font.get_object()
        if "/ToUnicode" in font:
            cmap = font["/ToUnicode"].get_object().get_data().decode()
            pairs = re.findall(r"<([0-9A-F]{2})> <([0-9A-F]{4,})>", cmap)
            maps[name] = {int(code, 16): chr(int(uni, 16)) for code, uni in pairs}
    found, current = [], {}
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            current = maps.get(operands[0], {})
        elif operator == b"Tj":
            raw = operands[0]
            codes = raw if isinstance(raw, bytes) else raw.encode("latin-1")
            found.append(unicodedata.normalize("NFKC", "".join(current.get(c, chr(c)) for c in codes)))
    return found


def card_strings(tmp_path: Path, text: str) -> list[str]:
    source = write(tmp_path / "rtl.yaml", text)
    result = build_file(source, tmp_path / "out", only=["reference-card"])
    [pdf] = result.folder.glob("stage-reference-card-v3.pdf")
    return drawn_strings(pdf.read_bytes())


@pytest.fixture(autouse=True)
def fonts() -> None:
    register_fonts()


def test_arabic_letters_are_drawn_joined() -> None:
    paragraph = make_paragraph(ARABIC_NAME, styles(8.0).name)
    paragraph.wrap(300, 1e6)
    [drawn] = lines_of(paragraph)
    # Every letter in a presentation form (initial, medial, final or isolated), none bare.
    assert all(0xFE70 <= ord(c) <= 0xFEFF for c in drawn if not c.isspace())
    # 'ع' opens the word joined to the next letter: its initial form, U+FECB.
    assert drawn[-1] == "\ufecb"


def test_a_right_to_left_line_is_drawn_right_to_left_with_latin_and_digits_left_to_right() -> None:
    paragraph = make_paragraph("عميل 60 مؤهل MQL", styles(8.0).body)
    paragraph.wrap(300, 1e6)
    [drawn] = lines_of(paragraph)
    assert unicodedata.normalize("NFKC", drawn) == "MQL لهؤم 60 ليمع"
    assert paragraph.style.alignment == TA_RIGHT


def test_brackets_in_a_right_to_left_run_are_mirrored() -> None:
    paragraph = make_paragraph(f"{HEBREW_NAME} (MEL)", styles(8.0).name)
    paragraph.wrap(300, 1e6)
    assert lines_of(paragraph) == ["(MEL) תיקוויש ברועמ דיל"]


def test_a_wrapped_criterion_keeps_its_lines_in_order_and_reorders_each() -> None:
    paragraph = make_paragraph(LONG, styles(8.0).bullet, "▸")
    paragraph.wrap(120, 1e6)
    drawn = lines_of(paragraph)
    assert len(drawn) >= 3
    # Read right to left, line after line from the top, the lines give the criterion
    # back word for word: an Arabic word's letters read right to left, '(MQL)' and the
    # digits left to right.
    read = [w[::-1] if direction.right_to_left(w) else w for line in drawn for w in reversed(line.split(" "))]
    assert read == direction.shape(LONG).split(" ")
    assert paragraph.style.alignment == TA_RIGHT and paragraph.rtl_bullet == "◂"


def test_each_line_is_drawn_as_wide_as_it_was_measured() -> None:
    paragraph = make_paragraph(LONG, styles(8.0).bullet, "▸")
    paragraph.wrap(120, 1e6)
    style = paragraph.style
    for extra, words in paragraph.blPara.lines:
        inner = 120 - style.leftIndent - style.rightIndent
        assert stringWidth(" ".join(words), style.fontName, style.fontSize) == pytest.approx(inner - extra)


def test_latin_text_gets_the_plain_paragraph() -> None:
    paragraph = make_paragraph("Lead score reaches 60 (MQL)", styles(8.0).bullet, "▸")
    assert type(paragraph) is Paragraph and paragraph.style.alignment == TA_LEFT


def test_an_arabic_word_inside_latin_text_reads_right_to_left_in_a_left_to_right_line() -> None:
    paragraph = make_paragraph("Owner: عميل محتمل", styles(8.0).body)
    paragraph.wrap(300, 1e6)
    assert isinstance(paragraph, BidiParagraph) and paragraph.style.alignment == TA_LEFT
    [drawn] = lines_of(paragraph)
    assert unicodedata.normalize("NFKC", drawn) == "Owner: لمتحم ليمع"


def test_direction_isolates_are_resolved() -> None:
    assert direction.levels("א \u2066abc\u2069 ב", True) == (1, 1, 1, 2, 2, 2, 1, 1, 1)


def test_the_card_pdf_draws_right_to_left_names_and_criteria_in_reading_order(tmp_path: Path) -> None:
    text = THREE.replace("Stage 1 Reached", ARABIC_NAME).replace("Stage 2 Reached", HEBREW_NAME)
    text = text.replace("Criterion 3.1 is met", "عميل 60 مؤهل MQL")
    shown = " | ".join(card_strings(tmp_path, text))
    assert "(S1) فورعم لمتحم ليمع" in shown
    assert "(S2) תיקוויש ברועמ דיל" in shown
    assert "MQL لهؤم 60 ليمع" in shown
    assert ARABIC_NAME not in shown and HEBREW_NAME not in shown


def test_right_to_left_text_the_card_prints_correctly_draws_no_warning(tmp_path: Path) -> None:
    source = write(tmp_path / "rtl.yaml", THREE.replace("Criterion 3.1 is met", "عميل محتمل"))
    result = build_file(source, tmp_path / "out", only=["reference-card"])
    assert [w.message for w in result.warnings] == []


def test_letters_the_card_cannot_join_or_draw_are_named(tmp_path: Path) -> None:
    source = write(tmp_path / "rtl.yaml", THREE.replace("Criterion 3.1 is met", "عميل ڡاصل ےک"))
    result = build_file(source, tmp_path / "out", only=["reference-card"])
    assert [w.message for w in result.warnings] == [
        "the reference card's font has no glyph for ے (U+06D2) in this entry criterion; they print as empty boxes",
        "the reference card prints ڡ (U+06A1) in this entry criterion unjoined, in isolated form",
    ]


def test_layout_measures_arabic_with_its_letters_joined() -> None:
    from deliverables.backends import text

    widths = text.advance_widths(bold=True)
    joined = sum(widths[ord(c)] for c in direction.shape(ARABIC_NAME)) * 10
    assert text.text_width(ARABIC_NAME, 10, True) == pytest.approx(joined)
    assert joined < sum(widths[ord(c)] for c in ARABIC_NAME) * 10


def test_a_hand_off_from_a_right_to_left_stage_points_left() -> None:
    from types import SimpleNamespace

    from deliverables.documents import card

    def handoff(source: str, target: str) -> SimpleNamespace:
        stage = SimpleNamespace
        return SimpleNamespace(
            source=stage(short=source), target=stage(short=target), source_team="A", target_team="B", when=""
        )

    assert card._handoff(handoff("عميل محتمل", "SQL"), "target")["label"] == "عميل محتمل ← SQL"
    assert card._handoff(handoff("MQL", "عميل محتمل"), "target")["label"] == "MQL → عميل محتمل"


def test_a_chart_label_read_right_to_left_points_its_arrow_left() -> None:
    from deliverables.backends.data import charts

    def drawn(label: str) -> bytes:
        return charts.bars("Time in stage", [charts.Bar(label, 3.0, "3 days")])["svg"]

    # matplotlib sets a label whose first letter is Hebrew from the right: 'from → to'
    # would point back at where the records came from.
    assert drawn("ליד מעורב → MQL") == drawn("ליד מעורב ← MQL") != drawn("MQL → ליד מעורב")
    assert charts._pointed("MQL → ליד מעורב") == "MQL → ליד מעורב"


def test_a_line_of_several_styles_is_drawn_as_wide_as_it_was_measured() -> None:
    name = f'{ARABIC_NAME} (MQL) <font color="#c89b00">★</font> <font size="6.24">ASSUMED</font>'
    paragraph = make_paragraph(name, styles(8.0).name)
    paragraph.wrap(90, 1e6)
    assert paragraph.blPara.kind == 1 and len(paragraph.blPara.lines) == 2
    for line in paragraph.blPara.lines:
        drawn = sum(stringWidth(f.text, f.fontName, f.fontSize) for f in line.words)
        assert drawn == pytest.approx(90 - line.extraSpace)
    assert unicodedata.normalize("NFKC", "".join(f.text for f in paragraph.blPara.lines[-1].words)) == "ASSUMED ★ (MQL)"
