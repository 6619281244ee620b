"""`deliver snapshot`: reviewable text snapshots of every deliverable, for CI.

The client file is built into a private temporary output root (so the result
does not depend on what happens to be in `output/`: no previous version, no
stale files), every deliverable file is turned into its text form
(`textform.text_form`), and each text is written to, or compared with,
`<dir>/<file name>.txt`. Any difference, missing or unexpected snapshot is
reported as a unified diff.

The folder keeps an index of the snapshots it wrote (`.snapshots.json`): only
those are compared or removed, so other text files in it are never touched.
An update writes every new snapshot beside its target first and renames them
in only when all are written: a full disk leaves the old snapshots as they were.
"""

from __future__ import annotations

import difflib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from deliverables.backends.readers import text_form
from deliverables.core.errors import OutputError
from deliverables.pipeline import manifest
from deliverables.pipeline.build import build_file
from deliverables.pipeline.storage import locked_dir, safe_relative

SUFFIX = ".txt"
INDEX = ".snapshots.json"


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


def owned(snap_dir: Path) -> set[str]:
    """The snapshot names the folder's index says this command wrote."""
    try:
        data = json.loads((snap_dir / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    names = data.get("files") if isinstance(data, dict) else None
    if not isinstance(names, list):
        return set()
    found = set()
    for name in names:
        if not isinstance(name, str) or not name.endswith(SUFFIX):
            continue
        try:
            found.add(safe_relative(name).as_posix())
        except OutputError:
            continue
    return found


def stored_texts(snap_dir: Path, expected: set[str] | None = None) -> dict[str, str]:
    """The snapshots currently in `snap_dir`: those its index lists, and those named
    like a file the build makes (`expected`); any other file there is not ours."""
    if not snap_dir.is_dir():
        return {}
    names = owned(snap_dir) | (expected or set())
    texts = {}
    for name in sorted(names):
        path = snap_dir / name
        if path.is_file() and not path.is_symlink():
            try:
                texts[name] = path.read_text(encoding="utf-8")
            except (OSError, ValueError):
                texts[name] = ""
    return texts


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
    """Write every snapshot and remove the snapshots it wrote of files no longer built;
    return what changed. All or nothing: on an error nothing is replaced."""
    try:
        with locked_dir(snap_dir):
            return _update(expected, snap_dir)
    except OSError as exc:
        raise OutputError(f"cannot write snapshots into {snap_dir}: {exc.strerror or exc}") from None


def _update(expected: dict[str, str], snap_dir: Path) -> list[str]:
    stored = stored_texts(snap_dir, set(expected))
    staged: list[tuple[str, Path]] = []
    try:
        for name, text in sorted(expected.items()):
            if stored.get(name) != text:
                staged.append((name, _stage(snap_dir / name, text.encode("utf-8"))))
        index = json.dumps({"files": sorted(expected)}, indent=2) + "\n"
        staged.append((INDEX, _stage(snap_dir / INDEX, index.encode("utf-8"))))
    except BaseException:
        for _name, tmp in staged:
            tmp.unlink(missing_ok=True)
        raise
    changed = []
    for name, tmp in staged:
        os.replace(tmp, snap_dir / name)
        if name != INDEX:
            changed.append(f"wrote {snap_dir / name}")
    for name in sorted(set(stored) - set(expected)):
        path = snap_dir / name
        path.unlink(missing_ok=True)
        changed.append(f"removed {path}")
        for parent in path.parents:  # drop folders the removal left empty
            if parent == snap_dir or any(parent.iterdir()):
                break
            parent.rmdir()
    return changed


def _stage(target: Path, data: bytes) -> Path:
    """`data` written and synced to a temporary file beside `target` (renamed in later)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check(source: Path, snap_dir: Path | None = None, do_update: bool = False) -> tuple[str, list[str]]:
    """(diff, written) for one client file: the diff is empty when the snapshots match."""
    target = snap_dir or default_dir(source)
    expected = snapshot_texts(source)
    if do_update:
        return "", update(expected, target)
    return compare(expected, stored_texts(target, set(expected)), target), []


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
