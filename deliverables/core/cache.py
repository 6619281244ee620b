"""A small per-user cache of work that only depends on shipped files: parsed
template data, compiled wording templates, font width tables; and of the
figures a build keeps to plan the next one (`read`, `write`: the render costs).

Every entry is keyed by the sha256 of what it was made from and carries the
sha256 of its own payload, so a stale or damaged entry is never used: it is
made again and rewritten. Writes are atomic, and a cache that cannot be
written (read-only home, full disk) only costs the time it would have saved.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

VERSION = b"1"
"""Bumped when the format of any entry changes."""


def root() -> Path:
    """DELIVER_CACHE_DIR, else the user cache folder (XDG_CACHE_HOME or ~/.cache) / deliver."""
    base = os.environ.get("DELIVER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "deliver"
    )
    return Path(base)


def key(*parts: bytes | str) -> str:
    """The cache key of the inputs an entry is made from."""
    hasher = hashlib.sha256(VERSION)
    for part in parts:
        hasher.update(part.encode("utf-8") if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()[:32]


def cached(kind: str, name: str, make: Callable[[], bytes]) -> bytes:
    """The bytes stored under `kind/name`, or `make()`'s, stored for next time."""
    path = root() / kind / name
    found = _read(path)
    if found is not None:
        return found
    data = make()
    _write(path, data)
    return data


def cached_json(kind: str, name: str, make: Callable[[], Any]) -> Any:
    """Like `cached`, for data JSON can carry exactly (made again when it cannot)."""
    made: list[Any] = []

    def encode() -> bytes:
        made.append(make())
        data = json.dumps(made[0], ensure_ascii=False, sort_keys=True).encode("utf-8")
        if json.loads(data) != made[0]:  # dates, tuples, non-string keys: JSON would change them
            raise ValueError("not JSON data")
        return data

    try:
        data = cached(kind, name, encode)
    except (TypeError, ValueError):  # not JSON data: use it uncached
        return made[0] if made else make()
    return made[0] if made else json.loads(data)


def read(kind: str, name: str) -> bytes | None:
    """The bytes last written under `kind/name`, or None (never written, or damaged)."""
    return _read(root() / kind / name)


def write(kind: str, name: str, data: bytes) -> None:
    """Replace what `kind/name` holds, atomically (nothing happens where the cache cannot be written)."""
    _write(root() / kind / name, data)


def _read(path: Path) -> bytes | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    digest, _, payload = blob.partition(b"\n")
    return payload if digest == hashlib.sha256(payload).hexdigest().encode() else None


def _write(path: Path, payload: bytes) -> None:
    blob = hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        os.replace(tmp, path)
    except OSError:
        pass
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
