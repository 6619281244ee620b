"""Skip work that cannot change the output.

Two levels. The fast path answers "is this version folder already built from
exactly these bytes, templates and tool?" from a small index under the output
root, importing nothing heavier than `json` and `hashlib`, so an unchanged
rebuild costs about as much as starting Python. Below that, each deliverable
has a fingerprint of its view, its templates and the tool version; the build
re-renders only deliverables whose fingerprint moved, and the manifest records
why each one was rebuilt or kept.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import stat as _stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from deliverables import __version__
from deliverables.core import paths as layout
from deliverables.pipeline.manifest import digest, section
from deliverables.pipeline.manifest import read as read_manifest

INDEX_DIR = ".deliver"
LARGE = 64 * 1024 * 1024
"""Files above this size (more than any template or logo may be) are keyed by size, not read."""


def tree_stamp(root: Path | None) -> str:
    """Cheap fingerprint of a folder's files (names, sizes, modification times)."""
    if root is None or not root.is_dir():
        return "-"
    entries = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            stat = os.lstat(os.path.join(dirpath, name))
            if not _stat.S_ISREG(stat.st_mode):  # a FIFO or device is never read (nor waited on)
                entries.append(f"{os.path.relpath(os.path.join(dirpath, name), root)}:special:{stat.st_mode}")
                continue
            entries.append(f"{os.path.relpath(os.path.join(dirpath, name), root)}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest("\n".join(entries).encode())


def environment_key(theme: Path | None) -> str:
    """Cheap stamp of what besides the client file shapes every deliverable (tool,
    templates, theme, code), from file sizes and times: for the fast-path index only."""
    package = Path(__file__).resolve().parents[1]
    parts = [__version__, tree_stamp(layout.data_dir("templates")), tree_stamp(theme), tree_stamp(package)]
    return digest("|".join(parts).encode())


_CONTENT_KEYS: dict[tuple[str, str], str] = {}


def tree_content(root: Path | None) -> str:
    """Fingerprint of a folder's file names and contents (the same in any checkout)."""
    if root is None or not root.is_dir():
        return "-"
    hasher = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(f for f in filenames if not f.endswith(".pyc")):
            path = os.path.join(dirpath, name)
            hasher.update(os.path.relpath(path, root).encode() + b"\0")
            mode = os.lstat(path).st_mode
            if not _stat.S_ISREG(mode):
                hasher.update(f"special:{mode}".encode())
                continue
            size = os.lstat(path).st_size
            if size > LARGE:  # refused when read: its size alone keys it, without reading it all
                hasher.update(f"large:{size}".encode())
                continue
            content = hashlib.sha256()
            with open(path, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    content.update(chunk)
            hasher.update(content.digest())
    return hasher.hexdigest()


def content_key(theme: Path | None) -> str:
    """What besides its view shapes a deliverable: tool version, templates, theme and
    code, by content. Recorded in the manifest, so it must not depend on file times."""
    stamp = environment_key(theme)
    cache_key = (stamp, str(theme))
    if cache_key not in _CONTENT_KEYS:
        package = Path(__file__).resolve().parents[1]
        parts = [__version__, tree_content(layout.data_dir("templates")), tree_content(theme), tree_content(package)]
        _CONTENT_KEYS[cache_key] = digest("|".join(parts).encode())
    return _CONTENT_KEYS[cache_key]


def _jsonable(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, (dt.date, Path)):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, bytes):
        return digest(value)
    return repr(value)


def view_key(view: Any) -> str:
    """Fingerprint of a deliverable's view (plain data)."""
    text = json.dumps(view, sort_keys=True, default=_jsonable, ensure_ascii=False)
    return digest(text.encode("utf-8"))


def _index_path(out_root: Path, source: Path) -> Path:
    name = digest(str(source.resolve()).encode())[:24]
    return out_root / INDEX_DIR / f"{name}.json"


def _previous_model_key(folder: Path) -> str:
    """The model of the newest earlier version feeds the changelog: part of the key."""
    earlier = layout.newest_before(folder.parent, int(folder.name[1:]))
    return digest((earlier / "model.json").read_bytes()) if earlier else "-"


def up_to_date(source: Path, raw: bytes, out_root: Path, names: Iterable[str], theme: Path | None) -> Path | None:
    """The version folder when it is already built from exactly this input, else None."""
    try:
        entry = json.loads(_index_path(out_root, source).read_text(encoding="utf-8"))
        folder = Path(entry["folder"])
        if entry["input_sha256"] != digest(raw) or not set(names) <= set(entry["deliverables"]):
            return None
        chosen = theme if theme is not None else (Path(entry["theme"]) if entry["theme"] else None)
        if entry["environment"] != environment_key(chosen):
            return None
        manifest = read_manifest(folder)
        if manifest.get("input_sha256") != entry["input_sha256"]:
            return None
        sizes = entry["sizes"]
        if any(not _regular(folder / n) or (folder / n).stat().st_size != s for n, s in sizes.items()):
            return None
        if entry["previous_model"] != _previous_model_key(folder):
            return None
        if entry["externals"] != file_stamps(entry["externals"]):
            return None
        return folder
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _regular(path: Path) -> bool:
    """A regular file, not a symbolic link (an output file replaced by a link is never up to date)."""
    return path.is_file() and not path.is_symlink()


def file_stamps(files: Iterable[str]) -> dict[str, list[int] | None]:
    """Size and modification time of each file (None when absent): the external files' stamps."""
    stamps: dict[str, list[int] | None] = {}
    for name in files:
        try:
            info = os.stat(name)
            stamps[name] = [info.st_size, info.st_mtime_ns]
        except OSError:
            stamps[name] = None
    return dict(sorted(stamps.items()))


def _built_from(out_root: Path, source: Path, raw: bytes, folder: Path) -> set[str]:
    """The deliverables the index already knows were built from exactly these bytes into
    `folder`. Deliverables kept from an earlier input by `--only` are not among them, so a
    full build after `--only` renders them instead of answering "up to date"."""
    try:
        entry = json.loads(_index_path(out_root, source).read_text(encoding="utf-8"))
        if entry["input_sha256"] == digest(raw) and entry["folder"] == str(folder):
            return set(entry["deliverables"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return set()


def record(
    source: Path,
    raw: bytes,
    out_root: Path,
    folder: Path,
    names: Iterable[str],
    theme: Path | None,
    externals: Iterable[Path] = (),
) -> None:
    """Remember a successful build for the fast path (best effort), with the stamps of the
    external files it read (a logo), so replacing one is never "up to date"."""
    from deliverables.pipeline.storage import write_file

    try:
        manifest = read_manifest(folder)
        entry = {
            "folder": str(folder),
            "input_sha256": digest(raw),
            "deliverables": sorted(set(names) | _built_from(out_root, source, raw, folder)),
            "theme": str(theme) if theme else "",
            "environment": environment_key(theme),
            "sizes": {n: (folder / n).stat().st_size for n in [*section(manifest, "files"), "manifest.json"]},
            "previous_model": _previous_model_key(folder),
            "externals": file_stamps(str(p) for p in externals),
        }
        write_file(_index_path(out_root, source), json.dumps(entry, indent=1, sort_keys=True).encode())
    except (OSError, ValueError, KeyError):
        pass


def forget(source: Path, out_root: Path) -> None:
    """Drop the fast-path entry of a client file (best effort): after a build in which a
    deliverable failed, the next build must try it again."""
    with contextlib.suppress(OSError):
        _index_path(out_root, source).unlink(missing_ok=True)
