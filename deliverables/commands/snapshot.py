"""`deliver snapshot`: reviewable text snapshots of every deliverable, for CI.

The client file is built into a private temporary output root (so the result
does not depend on what happens to be in `output/`: no previous version, no
stale files), every deliverable file is turned into its text form
(`textform.text_form`), and each text is written to, or compared with,
`<dir>/<file name>.txt`. Any difference, missing or unexpected snapshot is
reported as a unified diff.
"""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Callable
from pathlib import Path

from deliverables.backends.readers import text_form
from deliverables.pipeline import manifest
from deliverables.pipeline.build import build_file
from deliverables.pipeline.storage import write_file

SUFFIX = ".txt"


def snapshot_texts(source: Path) -> dict[str, str]:
    """Snapshot file name -> text form, for every deliverable file the build makes."""
    with tempfile.TemporaryDirectory(prefix="deliver-snapshot-") as tmp:
        result = build_file(source, Path(tmp))
        result.raise_failed()
        folder = result.folder
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        return {
            f"{path.relative_to(folder).as_posix()}{SUFFIX}": text_form(path.name, path.read_bytes())
            for path in files
            if path.relative_to(folder).as_posix() not in manifest.INTERNAL
        }


def default_dir(source: Path) -> Path:
    """`snapshots/<client-slug>/` in the current folder."""
    from deliverables.core.validate import load_project

    return Path("snapshots") / load_project(source)[0].slug


def stored_texts(snap_dir: Path) -> dict[str, str]:
    """The snapshots currently in `snap_dir`."""
    if not snap_dir.is_dir():
        return {}
    return {
        p.relative_to(snap_dir).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(snap_dir.rglob(f"*{SUFFIX}"))
        if p.is_file()
    }


def compare(expected: dict[str, str], stored: dict[str, str], snap_dir: Path) -> str:
    """A unified diff from the stored snapshots to the new ones; empty when equal."""
    chunks = []
    for name in sorted(set(expected) | set(stored)):
        old, new = stored.get(name), expected.get(name)
        if old == new:
            continue
        where = (snap_dir / name).as_posix()
        chunks.extend(
            difflib.unified_diff(
                (old or "").splitlines(keepends=True),
                (new or "").splitlines(keepends=True),
                fromfile=where if old is not None else "/dev/null",
                tofile=where if new is not None else "/dev/null",
            )
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in chunks)


def update(expected: dict[str, str], snap_dir: Path) -> list[str]:
    """Write every snapshot and remove snapshots of files no longer built; return what changed."""
    stored = stored_texts(snap_dir)
    changed = []
    for name, text in expected.items():
        if stored.get(name) != text:
            write_file(snap_dir / name, text.encode("utf-8"))
            changed.append(f"wrote {snap_dir / name}")
    for name in sorted(set(stored) - set(expected)):
        path = snap_dir / name
        path.unlink()
        changed.append(f"removed {path}")
        for parent in path.parents:  # drop folders the removal left empty
            if parent == snap_dir or any(parent.iterdir()):
                break
            parent.rmdir()
    return changed


def check(source: Path, snap_dir: Path | None = None, do_update: bool = False) -> tuple[str, list[str]]:
    """(diff, written) for one client file: the diff is empty when the snapshots match."""
    target = snap_dir or default_dir(source)
    expected = snapshot_texts(source)
    if do_update:
        return "", update(expected, target)
    return compare(expected, stored_texts(target), target), []


def run_snapshot(source: Path, snap_dir: Path | None, do_update: bool, echo: Callable[..., None]) -> int:
    """The command: print the diff (exit code 1) or what was written (exit code 0)."""
    diff, written = check(source, snap_dir, do_update)
    for line in written:
        echo(line)
    if diff:
        echo(diff, nl=False)
        echo("snapshots differ; review the diff, then run with --update to accept it", err=True)
        return 1
    if not do_update:
        echo(f"snapshots match ({source})")
    return 0
