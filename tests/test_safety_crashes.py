"""Hostile input that used to crash a build: each is now a positioned error
(exit 1) or handled, never a traceback."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from safety_support import assert_ok, assert_user_error, client, deliver, write

# ---------------------------------------------------------------- 12. over-long names in core properties


def _core(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("docProps/core.xml").decode("utf-8")
    return dict(re.findall(r"<(?:dc|cp):(\w+)>([^<]*)<", xml))


def _body(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(
            archive.read(n).decode("utf-8")
            for n in archive.namelist()
            if n.startswith(("word/document", "ppt/slides/"))
        )


@pytest.mark.parametrize("only", ["faq", "kickoff-deck"])
def test_names_over_255_characters_are_cut_in_core_properties_only(only: str, tmp_path: Path) -> None:
    name = "Acme " + "Global " * 45 + "Holdings"
    architect = "Sam " + "Rivera-" * 40 + "Long"
    assert len(name) > 255 and len(architect) > 255
    text = client(name=name).replace("architect: Sam Rivera", f"architect: {architect}")
    write(tmp_path / "acme.yaml", text)
    assert_ok(deliver("build", "acme.yaml", "--only", only, "--out", "out", cwd=tmp_path))
    (document,) = [p for p in (tmp_path / "out").rglob("*") if p.suffix in (".docx", ".pptx")]
    core = _core(document)
    assert all(len(v) <= 255 for v in core.values()), core
    assert core["creator"].startswith("Sam Rivera-Rivera-") and core["creator"].endswith("\u2026")
    if only == "faq":  # the Word text keeps the name whole
        assert name in _body(document)


# ---------------------------------------------------------------- 13. years beyond what zip, Word and calendars carry


@pytest.mark.parametrize(
    ("key", "value", "where"),
    [
        ("date", "2206-01-05", "date"),
        ("launch_date", "9999-12-31", "client.launch_date"),
        ("date", "1970-01-01", "date"),
    ],
)
def test_dates_outside_1980_to_2099_are_positioned_errors(key: str, value: str, where: str, tmp_path: Path) -> None:
    text = client()
    if key == "date":
        text = text.replace("date: 2026-11-20", f"date: {value}")
        line, column = 5, 7
    else:
        text = text.replace("  crm: hubspot\n", f"  crm: hubspot\n  launch_date: {value}\n")
        line, column = 4, 16
    write(tmp_path / "acme.yaml", text)
    result = deliver("build", "acme.yaml", "--only", "maintenance", "--out", "out", cwd=tmp_path)
    assert_user_error(result, f"acme.yaml:{line}:{column}: {where}:", "1980 to 2099", value)


def test_a_huge_source_date_epoch_is_a_clear_error(tmp_path: Path) -> None:
    write(tmp_path / "acme.yaml", client().replace("date: 2026-11-20\n", ""))
    result = deliver(
        "build", "acme.yaml", "--only", "faq", "--out", "out", cwd=tmp_path, SOURCE_DATE_EPOCH="99999999999999"
    )
    assert_user_error(result, "SOURCE_DATE_EPOCH", "1980 to 2099")
