"""Which client an output folder belongs to.

`<out>/.deliver/owners/<client-slug>.json` records the client name and the client
file that first built into the folder `<out>/<client-slug>/`. Another client whose name slugs to the same folder
is refused (it would mix two clients' versions, and read one's text as the
other's previous version); `client.slug` gives it a folder of its own. A folder
built before owners were recorded is owned by the client of its newest version.

Standard library only, like the manifest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from deliverables.core import paths

OWNERS = Path(".deliver") / "owners"


def record_path(client_dir: Path) -> Path:
    """Where the owner of `client_dir` is recorded (beside the fast-path index, not in the folder)."""
    return client_dir.parent / OWNERS / f"{client_dir.name}.json"


def recorded(client_dir: Path) -> dict[str, str] | None:
    """The folder's owner (`client`, `file`), or None when nothing was built there."""
    try:
        data = json.loads(record_path(client_dir).read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("client"), str):
            return {"client": data["client"], "file": str(data.get("file", ""))}
    except (OSError, ValueError):
        pass
    for folder in reversed(list(paths.version_folders(client_dir).values())):
        try:
            name = json.loads((folder / "model.json").read_text(encoding="utf-8"))["client"]["name"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if isinstance(name, str):
            return {"client": name, "file": ""}
    return None


def foreign(client_dir: Path, client_name: str) -> dict[str, str] | None:
    """The owner of the folder when it is another client than `client_name`."""
    owner = recorded(client_dir)
    return owner if owner is not None and _plain(owner["client"]) != _plain(client_name) else None


def _plain(name: str) -> str:
    """A client's name as it identifies the client: the same name with a soft hyphen or a
    zero-width space pasted in (which the loader now takes out), other spacing or another
    Unicode composition is the same client. Any visible difference, capitals included, is
    another client."""
    import unicodedata

    shown = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c) != "Cf")
    return " ".join(shown.split())


def conflict(client_dir: Path, client_name: str, slug_set: bool) -> str | None:
    """Why the client `client_name` may not use `client_dir`, or None when it may."""
    owner = foreign(client_dir, client_name)
    if owner is None:
        return None
    whose = f"client '{owner['client']}'" + (f" ({owner['file']})" if owner["file"] else "")
    fix = "choose another client.slug" if slug_set else "set client.slug to give this client a folder of its own"
    return f"output folder '{client_dir}' belongs to {whose}; '{client_name}' would write into it: {fix}"


def claim(client_dir: Path, client_name: str, source: Path) -> None:
    """Record the owner of a folder that has none yet (call with the folder's lock held)."""
    from deliverables.pipeline.storage import write_file

    if record_path(client_dir).is_file():
        return
    data: dict[str, Any] = {"client": client_name, "file": str(source.resolve())}
    write_file(record_path(client_dir), (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8"))
