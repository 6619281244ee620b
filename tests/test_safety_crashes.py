"""Hostile input that used to crash a build: each is now a positioned error
(exit 1) or handled, never a traceback."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from safety_support import assert_ok, assert_user_error, client, deliver, write  # noqa: F401

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
