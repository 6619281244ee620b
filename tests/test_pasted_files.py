"""Client files as other tools save them: wide encodings, and text full of control characters.

Notepad and PowerShell write UTF-16 (often without a byte-order mark), some exporters
UTF-32; each is read as the text it is, never as UTF-8 full of NUL bytes, and a file
that is not text is one clear error. Control characters pasted raw from Word are
removed with a warning naming the field, at most twenty named one by one.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from deliverables.core.errors import InputError
from deliverables.core.validate import load_project

CLIENT = "client:\n  name: Café Ünïcode\nversion: 1\ndate: 2026-11-20\n"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
    ],
)
def test_wide_encodings_are_read_as_their_text(encoding: str, bom: bytes, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(bom + CLIENT.encode(encoding))
    project, warnings = load_project(path)
    assert project.client.name == "Café Ünïcode"
    assert warnings == []


def test_a_file_mostly_nul_bytes_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(CLIENT.encode("utf-32-be"))
    with pytest.raises(InputError) as caught:
        load_project(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:1:1: the file is not text in UTF-8 or UTF-16: a quarter of its bytes are NUL"
        " (a binary file, or UTF-32 without a byte-order mark); save it as UTF-8"
    ]


def test_raw_control_characters_name_their_field(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"client:\n  name: Ac\x01me\narchitect: Sam\x0cRivera\ndate: 2026-11-20\n")
    project, warnings = load_project(path)
    assert (project.client.name, project.architect) == ("Acme", "Sam Rivera")
    assert [str(w) for w in warnings] == [
        f"{path}:2:11: client.name: warning: removed control character U+0001",
        f"{path}:3:15: architect: warning: removed control character U+000C",
    ]


def test_a_file_full_of_control_characters_gives_a_bounded_list_of_warnings(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"client:\n  name: Acme\narchitect: " + b"Sam\x01" * 500 + b"\ndate: 2026-11-20\n")
    _, warnings = load_project(path)
    assert len(warnings) == 21
    assert str(warnings[-1]) == f"{path}:3:95: warning: removed 480 more control characters"


def test_an_id_holding_a_control_character_never_breaks_the_message_line(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text('client:\n  name: Acme\ndate: 2026-11-20\nfaq:\n  - {q: "Why\\vnot?", a: "Because\\f."}\n')
    _, warnings = load_project(path)
    assert [str(w) for w in warnings] == [
        f"{path}:5:9: faq[0].q: warning: removed control character(s) U+000B",
        f"{path}:5:25: faq[0].a: warning: removed control character(s) U+000C",
    ]


def test_a_name_of_nothing_but_zero_width_characters_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        'client:\n  name: "\\u200b\\u00a0"\nstages:\n  - {id: mql, name: "\\ufeffMQL\\u200b", domain: lead}\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_project(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}:2:9: client.name: expected non-empty text, found ''"]


def test_zero_width_characters_inside_a_value_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text('client:\n  name: "\\u200bTeam 👩\\u200d💻 Co\\u200b"\n', encoding="utf-8")
    project, _ = load_project(path)
    assert project.client.name == "Team 👩\u200d💻 Co"


def test_bullets_pasted_with_list_items_are_taken_off_with_a_warning(tmp_path: Path) -> None:
    """`• Visit recorded` pasted from Word would print as `▸ • Visit recorded` on every page."""
    path = tmp_path / "c.yaml"
    path.write_text(
        "client: {name: Acme}\ndate: 2026-11-20\nstages:\n  - id: mql\n    name: MQL\n    domain: lead\n"
        '    entry:\n      - • Visit recorded\n      - "\\t–\\u00a0No form submitted"\n      - -10% discount accepted\n'
        '    drop_off_reasons: ["\\uf0b7 Too small", Price - too high]\n'
        '  - id: sql\n    name: SQL\n    domain: sales\n    entry: "• Call booked\\n• Deal created"\n',
        encoding="utf-8",
    )
    project, warnings = load_project(path)
    mql, sql = project.stages
    assert mql.entry == ("Visit recorded", "No form submitted", "-10% discount accepted")
    assert mql.drop_off_reasons == ("Too small", "Price - too high")
    assert sql.entry == ("Call booked\nDeal created",)
    taken = "the documents draw their own bullets"
    assert [str(w) for w in warnings] == [
        f"{path}:8:9: stages[id=mql].entry[0]: warning: took the pasted bullet '•' off this entry criterion; {taken}",
        f"{path}:9:9: stages[id=mql].entry[1]: warning: took the pasted bullet '–' off this entry criterion; {taken}",
        f"{path}:11:24: stages[id=mql].drop_off_reasons[0]: warning: took the pasted bullet '\uf0b7' off this"
        f" drop-off reason; {taken}",
        f"{path}:15:12: stages[id=sql].entry: warning: took the pasted bullet '•' off this entry criterion; {taken}",
    ]


def test_tabs_pasted_after_text_read_as_spaces(tmp_path: Path) -> None:
    """A cell copied out of Word or a spreadsheet ends in a tab, or holds one between words:
    YAML reads it as a space, and the file must not be refused as 'tab in indentation'."""
    path = tmp_path / "c.yaml"
    path.write_bytes(
        b"\xef\xbb\xbfclient:\r\n  name: Acme\t\r\narchitect:\tSam Rivera\r\nstages:\r\n"
        b"  - id: mql\t \r\n    name: Marketing\tQualified Lead\t\r\n    domain: lead\r\n"
        b"    entry:\r\n      -\tScore of 60\t\t\r\n"
    )
    project, _ = load_project(path)
    assert (project.client.name, project.architect) == ("Acme", "Sam Rivera")
    (mql,) = project.stages
    assert (mql.id, mql.name, mql.entry) == ("mql", "Marketing Qualified Lead", ("Score of 60",))


def test_a_tab_in_the_indentation_is_still_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("client:\n  name: Acme\t\n\tcrm: hubspot\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}:3:1: tab character in indentation; indent with spaces"]


def test_arrow_bullets_pasted_with_list_items_are_taken_off(tmp_path: Path) -> None:
    """Word's arrow bullets paste as '→', '➔' or its Wingdings arrowhead U+F0D8."""
    path = tmp_path / "c.yaml"
    path.write_text(
        "client: {name: Acme}\ndate: 2026-11-20\nstages:\n  - id: mql\n    name: MQL\n    domain: lead\n"
        '    entry: ["→ Visit recorded", "➔\\tNo form submitted", "\\uf0d8 Score of 60", "A → B routing set"]\n',
        encoding="utf-8",
    )
    project, warnings = load_project(path)
    assert project.stages[0].entry == ("Visit recorded", "No form submitted", "Score of 60", "A → B routing set")
    assert [w.message.split(" off ")[0] for w in warnings] == [
        "took the pasted bullet '→'",
        "took the pasted bullet '➔'",
        "took the pasted bullet '\uf0d8'",
    ]


def test_invisible_characters_pasted_inside_values_are_taken_out(tmp_path: Path) -> None:
    """Soft hyphens, zero-width spaces, word joiners and stray BOMs Word leaves inside text
    would travel into every document (a name no one can search for, an API value that does
    not match); its line and paragraph separators are line breaks. Joiners that shape text
    (an emoji sequence, Persian) stay."""
    path = tmp_path / "c.yaml"
    path.write_text(
        'client:\n  name: "O’Brien Recruit\\u00adment"\ndate: 2026-11-30\narchitect: "Mc\\u200bNamara"\nstages:\n'
        '  - id: mql\n    name: "Lead\\u2060Score \\ufeffMQL"\n    domain: lead\n'
        '    definition: "First line\\u2028second line\\u2029third"\n'
        '    entry: ["Team 👩\\u200d💻 call", "می\\u200cخواهم"]\n',
        encoding="utf-8",
    )
    project, warnings = load_project(path)
    assert warnings == []  # nothing visible changed
    (mql,) = project.stages
    assert (project.client.name, project.architect, mql.name) == ("O’Brien Recruitment", "McNamara", "LeadScore MQL")
    assert mql.definition == "First line\nsecond line\nthird"
    assert mql.entry == ("Team 👩\u200d💻 call", "می\u200cخواهم")
