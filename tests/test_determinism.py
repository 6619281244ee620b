"""Same input, same bytes: every file of every registered deliverable, whatever the folder.

The test builds through the registry, so it covers each renderer registered
when it runs, including ones added later.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deliverables.build import build_file
from deliverables.package import write_package

from conftest import EXAMPLE

CASES = Path(__file__).parent / "cases" / "versions"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative name (the fast-path index excluded)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".deliver" not in p.relative_to(folder).parts
    }


def build_in(root: Path, source: Path) -> dict[str, bytes]:
    """Copy the client file into `root`, build it there, return the version folder's files."""
    root.mkdir(parents=True)
    copy = root / source.name
    shutil.copy(source, copy)
    return tree(build_file(copy, root / "output").folder)


@pytest.mark.parametrize("source", [EXAMPLE, CASES / "v1.yaml"], ids=lambda p: p.stem)
def test_two_builds_in_different_folders_are_byte_identical(tmp_path: Path, source: Path, monkeypatch):
    first = build_in(tmp_path / "first", source)
    monkeypatch.chdir(tmp_path)
    second = build_in(tmp_path / "second" / "deeper", source)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert not different, f"files differ between two builds: {different}"


def test_source_date_epoch_dates_a_file_without_a_date(tmp_path: Path, monkeypatch):
    text = (CASES / "v1.yaml").read_text(encoding="utf-8").replace("date: 2026-11-09\n", "")
    source = tmp_path / "undated.yaml"
    source.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    first = build_in(tmp_path / "a", source)
    second = build_in(tmp_path / "b", source)
    assert first == second
    from deliverables.context import document_date
    from deliverables.validate import load_project

    assert document_date(load_project(source)[0]).isoformat() == "2026-01-01"


def test_handoff_package_is_byte_identical(tmp_path: Path):
    zips = []
    for name in ("one", "two"):
        root = tmp_path / name
        root.mkdir()
        copy = root / "client.yaml"
        shutil.copy(CASES / "v1.yaml", copy)
        zips.append(write_package(copy, root / "output", force=True).read_bytes())
    assert zips[0] == zips[1]
