"""Shared helpers of the output-safety tests: run the installed `deliver` in a
subprocess inside a temporary folder, with small client files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from deliverables.pipeline import manifest

LIMIT = 600  # seconds: a bound against hangs, not a speed target
ENGINE_CACHE = Path(tempfile.gettempdir()) / "deliver-test-engine-cache"
_INSTALLED = Path(sys.executable).with_name("deliver")
COMMAND = [str(_INSTALLED)] if _INSTALLED.is_file() else [sys.executable, "-m", "deliverables"]

CLIENT = """\
client:
  name: {name}
  crm: {crm}
version: {version}
date: 2026-11-20
architect: Sam Rivera
stakeholders:
  - {{id: revops, name: Dana Ortiz, title: VP RevOps, department: revops}}
stages:
  - id: mql
    name: {stage_name}
    abbr: MQL
    domain: lead
    definition: {definition}
    entry: [Score 60]
    owner: marketing
  - id: sql
    name: Sales Qualified Lead
    abbr: SQL
    domain: sales
    golden: true
    definition: Discovery call booked.
    entry: [Meeting booked]
    owner: sales
terms:
  - term: MQL
    definition: A lead marketing hands to sales.
    approvals: {{revops: pending}}
"""


def client(**fields: object) -> str:
    """A small valid client file (YAML text) with some values replaced."""
    values: dict[str, object] = {
        "name": "Acme",
        "crm": "hubspot",
        "version": 1,
        "stage_name": "Marketing Qualified Lead",
        "definition": "Plain text.",
    }
    values.update(fields)
    return CLIENT.format(**values)


def env(cwd: Path, **extra: str) -> dict[str, str]:
    """A small, fixed environment for a subprocess run in `cwd`."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "DELIVER_CACHE_DIR": str(ENGINE_CACHE),
        **extra,
    }


def start(*args: str, cwd: Path, **extra: str) -> subprocess.Popen[str]:
    """Start `deliver ARGS` without waiting."""
    return subprocess.Popen(
        [*COMMAND, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(cwd, **extra)
    )


def deliver(*args: str, cwd: Path, stdin: str | None = None, **extra: str) -> subprocess.CompletedProcess[str]:
    """Run `deliver ARGS` in `cwd` and wait (bounded)."""
    return subprocess.run(
        [*COMMAND, *args], cwd=cwd, capture_output=True, text=True, timeout=LIMIT, input=stdin, env=env(cwd, **extra)
    )


def write(path: Path, text: str | bytes) -> Path:
    """Write a file (text as UTF-8) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def assert_user_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """Exit 1 with every fragment in the message and no traceback."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


def assert_ok(result: subprocess.CompletedProcess[str]) -> None:
    """Exit 0, no traceback."""
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr


def assert_consistent(folder: Path) -> dict[str, str]:
    """Every file the version folder's manifest lists is there with its hash, and nothing else; returns the list."""
    record = json.loads((folder / manifest.MANIFEST).read_text(encoding="utf-8"))
    files = record["files"]
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert on_disk - {manifest.MANIFEST} == set(files), (sorted(on_disk), sorted(files))
    for name, digest in files.items():
        assert manifest.digest((folder / name).read_bytes()) == digest, name
    return files


def leftovers(root: Path) -> list[str]:
    """Staging or swap folders left anywhere under `root`."""
    return sorted(p.as_posix() for p in root.rglob(".*") if ".new-" in p.name or p.name.endswith(".old"))


def tree(root: Path) -> dict[str, bytes]:
    """Every regular file under `root` (relative name -> bytes)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def fresh(path: Path) -> Path:
    """An empty folder at `path`."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path
