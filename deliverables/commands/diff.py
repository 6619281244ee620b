"""The versions of a client built into an output root, and `deliver diff`.

Each version folder keeps the normalized model it was built from
(`model.json`), so any two versions can be compared long after the client
file has moved on.
"""

from __future__ import annotations

from pathlib import Path

from deliverables.core.errors import DeliverError
from deliverables.core.model import Project
from deliverables.core.paths import version_folders
from deliverables.core.validate import load_project
from deliverables.pipeline import build, owner


def built_versions(out_root: Path, slug: str) -> dict[int, Path]:
    """Version number -> folder, for every version of the client built under `out_root`."""
    return version_folders(out_root / slug)


def load_model(folder: Path) -> Project:
    """The project a version folder was built from."""
    try:
        return build.load_model(folder)
    except (OSError, ValueError) as exc:
        raise DeliverError(f"cannot read {folder / 'model.json'}: {exc}") from None


def earlier_version(project: Project, out_root: Path, since: int | None) -> Project:
    """The built version `since`, or by default the newest one before `project.version`."""
    versions = built_versions(out_root, project.slug)
    where = out_root / project.slug
    why = owner.conflict(where, project.client.name, bool(project.client.slug))
    if why is not None:
        raise DeliverError(why)
    if since is None:
        earlier = [n for n in versions if n < project.version]
        if not earlier:
            raise DeliverError(
                f"no version of {project.client.name} before v{project.version} is built in {where}; "
                "build one first, use --since N, or pass two client files"
            )
        since = earlier[-1]
    if since not in versions:
        known = ", ".join(f"v{n}" for n in versions) or "none"
        raise DeliverError(f"v{since} of {project.client.name} is not built in {where} (built: {known})")
    earlier = load_model(versions[since])
    if earlier.client.name != project.client.name:  # never show one client's text beside another's
        raise DeliverError(
            f"{versions[since]} was built for client '{earlier.client.name}', not '{project.client.name}'"
        )
    return earlier


def diff_files(files: tuple[Path, ...], since: int | None, out_root: Path) -> tuple[Project, Project]:
    """The (old, new) projects `deliver diff` compares: two client files, or one
    client file and a version built in the output."""
    if len(files) == 2:
        if since is not None:
            raise DeliverError("--since compares with a built version; it cannot be used with two files")
        return load_project(files[0])[0], load_project(files[1])[0]
    if len(files) != 1:
        raise DeliverError("give one client file (compared with a built version) or two (OLD NEW)")
    new = load_project(files[0])[0]
    return earlier_version(new, out_root, since), new


def diff_report(files: tuple[Path, ...], since: int | None, out_root: Path, fmt: str = "text") -> str:
    """The changelog `deliver diff` prints, as text or JSON."""
    from deliverables.core.changes import changelog, format_text
    from deliverables.pipeline.manifest import canonical_json

    old, new = diff_files(files, since, out_root)
    changes = changelog(old, new)
    if fmt == "json":
        records = [
            {"kind": c.kind, "subject": c.subject, "summary": c.summary, "detail": [list(s) for s in c.detail]}
            for c in changes
        ]
        data = {"from": old.version, "to": new.version, "changes": records}
        return canonical_json(data).decode("utf-8")
    return format_text(changes, old.version, new.version)
