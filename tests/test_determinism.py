"""Same input, same bytes: every file of every registered deliverable, whatever the folder.

Builds go through the registry, so these tests cover each renderer registered
when they run, including ones added later. The two builds of a pair run as
separate processes with different hash seeds and working folders, so set or
dict ordering that depends on the seed, absolute paths and wall-clock time all
show up as differences. They run side by side to halve the wait.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE
from snapshot_probe import light_registry

from deliverables.commands.package import write_package

CASES = Path(__file__).parent / "cases" / "versions"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative name, but the fast-path cache (`.deliver/`,
    keyed by the client file's absolute path: a cache, not output)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith(".deliver/")
    }


def build_pair(sources: list[Path], roots: tuple[Path, Path], **env: str) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Build `sources` in each root (copies of the files, its own output, its own
    working folder and hash seed), both at once; return each root's output files."""
    runs = []
    for seed, root in enumerate(roots, 1):
        root.mkdir(parents=True)
        for source in sources:
            shutil.copy(source, root / source.name)
            # the CRM exports the example audits travel with it, so the audit is compared too
            if (source.parent / "exports").is_dir() and not (root / "exports").exists():
                shutil.copytree(source.parent / "exports", root / "exports")
        environ = {**os.environ, "PYTHONHASHSEED": str(seed), **env}
        command = [sys.executable, "-m", "deliverables", "build", *(s.name for s in sources), "--out", "output"]
        runs.append(subprocess.Popen(command, cwd=root, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for run in runs:
        _, err = run.communicate()
        assert run.returncode == 0, err.decode()
    first, second = (tree(root / "output") for root in roots)
    return first, second


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch):
    """The example, and an undated file (dated by SOURCE_DATE_EPOCH), each built twice."""
    undated = tmp_path / "undated.yaml"
    undated.write_text(
        (CASES / "v1.yaml").read_text(encoding="utf-8").replace("date: 2026-11-09\n", ""), encoding="utf-8"
    )
    epoch = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
    first, second = build_pair([EXAMPLE, undated], (tmp_path / "one", tmp_path / "two" / "deeper"), **epoch)
    assert sorted(first) == sorted(second)
    assert {name.split("/")[0] for name in first} >= {"acme-analytics", "tiny-co"}
    different = [name for name in first if first[name] != second[name]]
    assert not different, f"files differ between two builds of the same input: {different}"
    from deliverables.core.dates import document_date
    from deliverables.core.validate import load_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch["SOURCE_DATE_EPOCH"])
    assert document_date(load_project(undated)[0]).isoformat() == "2026-01-01"


def test_handoff_package_is_byte_identical(tmp_path: Path, monkeypatch):
    light_registry(monkeypatch)
    zips = []
    for name in ("one", "two"):
        root = tmp_path / name
        root.mkdir()
        copy = root / "client.yaml"
        shutil.copy(CASES / "v1.yaml", copy)
        zips.append(write_package(copy, root / "output", force=True).read_bytes())
    assert zips[0] == zips[1]
