"""The records a version folder keeps about itself: `manifest.json` (every file's
hash, and per deliverable its key and why it was rebuilt or kept) and
`model.json` (the validated model, which the next version diffs against).

Standard library only: the up-to-date fast path reads manifests before
anything heavy is imported.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
MODEL = "model.json"
INTERNAL = (MODEL, MANIFEST)
"""Files a version folder keeps for itself, not deliverables: never packaged or snapshotted."""


def digest(data: bytes) -> str:
    """Hex sha256."""
    return hashlib.sha256(data).hexdigest()


def canonical_json(data: Any) -> bytes:
    """Sorted, indented JSON with a final newline: stable bytes for stable input."""
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def read(folder: Path | None) -> dict[str, Any]:
    """A version folder's manifest; `{}` when absent, unreadable or not a JSON object."""
    if folder is None:
        return {}
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def section(manifest: dict[str, Any], key: str) -> dict[str, Any]:
    """One mapping of a manifest (`files`, `deliverables`), `{}` when it has another shape."""
    value = manifest.get(key)
    return value if isinstance(value, dict) else {}


def read_model(folder: Path) -> Any:
    """The plain data of a version folder's `model.json` (OSError or ValueError when unreadable)."""
    return json.loads((folder / MODEL).read_text(encoding="utf-8"))


def failed(manifest: dict[str, Any]) -> dict[str, str]:
    """Deliverable -> why it failed, for the deliverables a version folder holds no
    current files of (its `failed` section)."""
    return {str(k): str(v) for k, v in section(manifest, "failed").items()}


def damaged(folder: Path) -> bool:
    """Whether the folder has a `manifest.json` that is not a JSON object (read as none)."""
    path = folder / MANIFEST
    if not path.is_file():
        return False
    try:
        return not isinstance(json.loads(path.read_text(encoding="utf-8")), dict)
    except (OSError, ValueError):
        return True
