"""`deliver package`: the handoff package, one zip with the final deliverables.

The zip holds the files of the version folder (built first when missing or out
of date), an `index.html` saying what each file is for, and a `manifest.json`
with the SHA-256 of every file. It is refused while anything is ASSUMED or a
term is not approved by all its approvers, unless forced, in which case it is
stamped DRAFT in its name, its index and its zip comment.
"""

from __future__ import annotations

import datetime as dt
import html
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import quote

from deliverables import __version__
from deliverables.core.dates import document_date
from deliverables.core.errors import DeliverError, OutputError
from deliverables.core.model import Project
from deliverables.core.validate import load_project
from deliverables.documents.words.grammar import count
from deliverables.pipeline import manifest, registry
from deliverables.pipeline.build import build_file
from deliverables.pipeline.manifest import canonical_json
from deliverables.pipeline.manifest import digest as sha256
from deliverables.pipeline.storage import locked, locked_dir, read_output, safe_relative, write_file

_LISTED = 12


@dataclass(frozen=True)
class Entry:
    """One deliverable file of the package and what it is for."""

    name: str
    data: bytes
    deliverable: str = ""


def write_package(source: Path, out_root: Path, force: bool = False) -> Path:
    """Build the version if needed, then write `<out>/<client>/<client>-handoff-v<N>[-DRAFT].zip`."""
    # Under the lock builds take on the client file's folder: a concurrent `confirm --bump`
    # cannot change the version between reading the file and building it.
    with locked_dir(source.resolve().parent, shared=True, best_effort=True):
        return _write_package(source, out_root, force)


def _write_package(source: Path, out_root: Path, force: bool) -> Path:
    project, _ = load_project(source)
    draft = not project.is_final()
    if draft and not force:
        raise DeliverError(not_final_message(project))
    entries, failed = collect(source, out_root, project)
    if failed and not force:
        raise DeliverError(failed_message(project, failed))
    draft = draft or bool(failed)
    suffix = "-DRAFT" if draft else ""
    target = out_root / project.slug / f"{project.slug}-handoff-v{project.version}{suffix}.zip"
    data = package_bytes(project, entries, draft)
    if target.is_dir() or target.is_symlink():
        raise OutputError(f"cannot write {target}: a {'folder' if target.is_dir() else 'link'} is in the way; move it")
    try:
        with locked(target.parent):
            write_file(target, data)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def open_items(project: Project) -> list[str]:
    """What keeps the project from being final: ASSUMED stages, and terms ASSUMED or not approved by all."""
    items = [f"stage {s.id} (ASSUMED)" for s in project.stages if s.status == "assumed"]
    for term in project.terms:
        waiting = sorted(k for k, v in term.approvals.items() if v != "approved")
        reasons = (["ASSUMED"] if term.status == "assumed" else []) + [f"{k}: {term.approvals[k]}" for k in waiting]
        if not term.approvals:
            reasons.append("no approvals recorded")
        if reasons:
            items.append(f"term {term.term} ({', '.join(reasons)})")
    return items


def not_final_message(project: Project) -> str:
    """Why the package is refused: how many items are open, and which."""
    items = open_items(project)
    shown = "; ".join(items[:_LISTED])
    more = f"; and {len(items) - _LISTED} more" if len(items) > _LISTED else ""
    return (
        f"{project.client.name} v{project.version} is not final: {count(len(items), 'open item')}: {shown}{more}. "
        "Confirm them (deliver confirm) and record approvals, or pass --force for a DRAFT package"
    )


def failed_message(project: Project, failed: dict[str, str]) -> str:
    """Why the package is refused: which deliverables failed, and why."""
    reasons = "; ".join(f"{name}: {why}" for name, why in sorted(failed.items()))
    noun = "deliverable" if len(failed) == 1 else "deliverables"
    return (
        f"{project.client.name} v{project.version} has {len(failed)} failed {noun}: {reasons}. "
        "Fix them and build again, or pass --force for a DRAFT package without their current files"
    )


def collect(source: Path, out_root: Path, project: Project) -> tuple[list[Entry], dict[str, str]]:
    """The deliverable files of the version folder, checked against its manifest, and
    the deliverables that failed in its build (name -> why).

    The build runs first: it returns at once when the folder is already built
    from this exact input, templates and tool, and rebuilds it when stale. A
    file changed by hand since is removed and the build run again.
    """
    folder = build_file(source, out_root).folder
    entries, changed = _entries(folder)
    if changed:
        for name in changed:
            (folder / name).unlink()
        entries, changed = _entries(build_file(source, out_root).folder)
        if changed:
            raise DeliverError(f"{folder} does not match its manifest: {', '.join(changed)}")
    return entries, manifest.failed(manifest.read(folder))


def _entries(folder: Path) -> tuple[list[Entry], list[str]]:
    """The folder's deliverable files with their purpose, and the names whose bytes
    no longer match the manifest."""
    record = manifest.read(folder)
    owners = {
        f: name for name, entry in manifest.section(record, "deliverables").items() for f in entry.get("files", ())
    }
    entries, changed = [], []
    for name, digest in sorted(manifest.section(record, "files").items()):
        if name in manifest.INTERNAL:
            continue
        try:
            data = read_output(folder, name)
        except OSError:
            data = b""
        if sha256(data) != digest:
            changed.append(name)
        entries.append(Entry(name, data, owners.get(name, "")))
    return entries, changed


# ---------------------------------------------------------------- the zip


def package_bytes(project: Project, entries: list[Entry], draft: bool) -> bytes:
    """The zip: every entry under one top folder, with index.html and manifest.json."""
    top = f"{project.slug}-handoff-v{project.version}"
    files = {e.name: e.data for e in entries}
    files["index.html"] = index_html(project, entries, draft).encode("utf-8")
    files["manifest.json"] = canonical_json(_manifest(project, files, draft))
    comment = f"{project.client.name} handoff package v{project.version}" + (" (DRAFT)" if draft else "")
    return deterministic_zip({f"{top}/{name}": data for name, data in files.items()}, _zip_date(project), comment)


def _manifest(project: Project, files: dict[str, bytes], draft: bool) -> dict[str, Any]:
    return {
        "client": project.client.name,
        "version": project.version,
        "draft": draft,
        "tool": "deliver",
        "tool_version": __version__,
        "sha256": {name: sha256(data) for name, data in sorted(files.items())},
    }


def _zip_date(project: Project) -> tuple[int, int, int, int, int, int]:
    """Entry dates from the document date: fixed by the input, never the clock."""
    day = max(document_date(project), dt.date(1980, 1, 1))
    return (day.year, day.month, day.day, 0, 0, 0)


def deterministic_zip(files: dict[str, bytes], date_time: tuple[int, ...], comment: str = "") -> bytes:
    """A zip whose bytes depend only on its contents: sorted entries, fixed dates,
    modes and compression. Unsafe or duplicate names are refused."""
    seen: set[str] = set()
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            safe_relative(name)
            if name.casefold() in seen:
                raise DeliverError(f"two files named {name!r} in one package")
            seen.add(name.casefold())
            info = zipfile.ZipInfo(name, date_time=date_time)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[name], compresslevel=9)
        archive.comment = comment.encode("utf-8")[:65535]
    return buffer.getvalue()


# ---------------------------------------------------------------- index.html


def index_html(project: Project, entries: list[Entry], draft: bool) -> str:
    """The package's front page: what each file is for, the diagram inline."""
    e = html.escape
    title = f"{project.client.name} — handoff package v{project.version}"
    stamp = (
        f'<p class="draft">DRAFT — {count(len(open_items(project)), "item")} still ASSUMED or awaiting approval; '
        "not for sign-off.</p>"
        if draft
        else ""
    )
    rows = "\n".join(_group_html(entries))
    diagram = _diagram(entries)
    figure = f'<figure><img src="{e(quote(diagram))}" alt="Lifecycle architecture diagram"></figure>' if diagram else ""
    date = document_date(project).isoformat()
    by = f" · prepared by {e(project.architect)}" if project.architect else ""
    return _PAGE.format(
        title=e(title + (" (DRAFT)" if draft else "")),
        heading=e(title),
        meta=f"{e(date)}{by}",
        stamp=stamp,
        figure=figure,
        rows=rows,
    )


def _group_html(entries: list[Entry]) -> list[str]:
    """One item per deliverable, in build order, with what it is for and its files."""
    e = html.escape
    order = {name: index for index, name in enumerate(registry.names())}
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.deliverable, []).append(entry)
    items = []
    for owner in sorted(groups, key=lambda name: (order.get(name, len(order)), name)):
        links = "".join(f'<li><a href="{e(quote(x.name))}">{e(x.name)}</a></li>' for x in groups[owner])
        items.append(f"<li>{e(_description(owner))}<ul>{links}</ul></li>")
    return items


def _description(owner: str) -> str:
    """What a deliverable is for: its renderer's DESCRIPTION."""
    if owner in registry.REGISTRY:
        return registry.load(owner).DESCRIPTION
    return "Other files."


def _diagram(entries: list[Entry]) -> str | None:
    """The architecture diagram's SVG, if the package has one."""
    svgs = [x.name for x in entries if x.name.endswith(".svg")]
    preferred = [n for n in svgs if "diagram" in n or "architecture" in n]
    return (preferred or svgs or [None])[0]


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
.draft {{ background: #fff3cd; border: 1px solid #e0a800; padding: .5rem 1rem; font-weight: bold; }}
figure {{ margin: 1rem 0; }}
figure img {{ width: 100%; height: auto; border: 1px solid #ddd; }}
li {{ margin: .4rem 0; }}
li li {{ margin: .1rem 0; }}
</style>
</head>
<body>
<h1>{heading}</h1>
<p>{meta}</p>
{stamp}
{figure}
<h2>What is in this package</h2>
<ul>
{rows}
<li>SHA-256 of every file, to check the package arrived intact.<ul><li><a href="manifest.json">manifest.json</a></li></ul></li>
</ul>
</body>
</html>
"""
