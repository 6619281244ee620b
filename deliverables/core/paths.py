"""Where things live: the shipped data folders and the version folders of the output.

Plain `pathlib` and `stat`, no other import: the up-to-date fast path uses it before
anything heavy is loaded."""

from __future__ import annotations

import stat
from pathlib import Path


def data_dir(name: str) -> Path | None:
    """A shipped data folder: inside the installed package, or at the top of a source checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / name, package.parent / name):
        if candidate.is_dir():
            return candidate
    return None


def version_folders(client_dir: Path) -> dict[int, Path]:
    """Version number -> folder, for every version built (with its `model.json`) in `client_dir`.

    A symbolic link is never a version: it could lead to any folder, another client's too."""
    found = {}
    for folder in client_dir.glob("v*") if client_dir.is_dir() and not client_dir.is_symlink() else ():
        number = folder.name[1:]
        model = folder / "model.json"
        if number.isdigit() and not folder.is_symlink() and not model.is_symlink() and model.is_file():
            found[int(number)] = folder
    return dict(sorted(found.items()))


def newest_before(client_dir: Path, version: int) -> Path | None:
    """The folder of the newest version built before `version`, if any."""
    earlier = [folder for number, folder in version_folders(client_dir).items() if number < version]
    return earlier[-1] if earlier else None


def _shipped(name: str) -> Path:
    found = data_dir(name)
    if found is None:
        from deliverables.core.errors import TemplateError

        raise TemplateError(f"the '{name}' folder is missing from this installation of deliver")
    return found


def templates_root() -> Path:
    """The built-in `templates/` folder (shipped as package data)."""
    return _shipped("templates")


def architectures_root() -> Path:
    """The built-in `architectures/` folder (shipped as package data)."""
    return _shipped("architectures")


def kind(mode: int) -> str:
    """What a file that is not a regular one is: `a folder`, `a FIFO`, `a device`..."""
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file, not a regular one"
