"""Independent readers open everything we write: LibreOffice for docx and pptx,
qpdf for PDF, XML parsers for SVG and sfdx metadata, an iCalendar parser for .ics.

Each check skips with a reason when its reader is absent; `.ci/run` installs them."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ARCHITECTURES, EXAMPLE

from deliverables.pipeline.build import build_file


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> list[Path]:
    """Every file built for the example and the largest reference architecture."""
    out = tmp_path_factory.mktemp("readers")
    for source in (EXAMPLE, ARCHITECTURES[0]):
        build_file(source, out)
    return sorted(p for p in out.rglob("*") if p.is_file() and ".deliver" not in p.parts)


def of(outputs: list[Path], *suffixes: str) -> list[Path]:
    return [p for p in outputs if p.suffix in suffixes]


def test_libreoffice_converts_every_docx_and_pptx(outputs: list[Path], tmp_path: Path) -> None:
    documents = of(outputs, ".docx", ".pptx")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed")
    if not documents:
        pytest.skip("no docx or pptx deliverable is registered")
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    cmd = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, documents)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=600)
    for document in documents:
        pdf = tmp_path / f"{document.stem}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 1000, document.name


def test_qpdf_checks_every_pdf(outputs: list[Path]) -> None:
    if not shutil.which("qpdf"):
        pytest.skip("qpdf is not installed")
    pdfs = of(outputs, ".pdf")
    if not pdfs:
        pytest.skip("no PDF deliverable is registered")
    for pdf in pdfs:
        result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert result.returncode == 0, f"{pdf.name}: {result.stdout}{result.stderr}"


def test_every_svg_and_xml_parses(outputs: list[Path]) -> None:
    for path in of(outputs, ".svg", ".xml"):
        ET.parse(path)


def test_every_json_parses(outputs: list[Path]) -> None:
    for path in of(outputs, ".json"):
        json.loads(path.read_text(encoding="utf-8"))


def test_every_ics_parses(outputs: list[Path]) -> None:
    icalendar = pytest.importorskip("icalendar")
    for path in of(outputs, ".ics"):
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert calendar.walk("VEVENT"), path.name
