"""The build pipeline: load, validate, view, render, write. Renderers fill hooks;
this module alone decides order, output paths, hashing and writing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, registry
from .context import Context
from .errors import BuildError, Problem, TemplateError
from .model import Project
from .source import load_document
from .storage import safe_relative, write_tree
from .validate import did_you_mean, validate_document

Log = Callable[[str], None]


@dataclass
class BuildResult:
    """What one client file's build produced."""

    source: Path
    folder: Path
    files: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


def select(only: Sequence[str] | None) -> tuple[str, ...]:
    """Registered names to build, in registry order; unknown names are an error."""
    if not only:
        return registry.names()
    wanted = [n.strip() for item in only for n in item.split(",") if n.strip()]
    for name in wanted:
        if name not in registry.REGISTRY:
            hint = did_you_mean(name, registry.names())
            raise BuildError(f"unknown deliverable '{name}'{hint}; known: {', '.join(registry.names())}")
    return tuple(n for n in registry.names() if n in wanted)


def version_folder(out_root: Path, project: Project) -> Path:
    """`<out>/<client-slug>/v<N>`."""
    return out_root / project.slug / f"v{project.version}"


def load_previous(out_root: Path, project: Project) -> Project | None:
    """The model of the newest earlier version built into the output, if any."""
    client_dir = out_root / project.slug
    versions = []
    for folder in client_dir.glob("v*") if client_dir.is_dir() else ():
        number = folder.name[1:]
        if number.isdigit() and int(number) < project.version and (folder / "model.json").is_file():
            versions.append((int(number), folder))
    if not versions:
        return None
    folder = max(versions)[1]
    try:
        return Project.model_validate(json.loads((folder / "model.json").read_text(encoding="utf-8")))
    except (ValueError, OSError):
        return None


def render_all(ctx: Context, names: Sequence[str], owners: dict[str, str] | None = None) -> dict[str, bytes]:
    """Every selected deliverable's files, checked against its declared suffixes;
    `owners`, when given, receives file name -> deliverable name."""
    files: dict[str, bytes] = {}
    owners = {} if owners is None else owners
    for name in names:
        renderer = registry.load(name)
        outputs = renderer.render(renderer.view(ctx.project, ctx), ctx)
        for file_name, data in outputs.items():
            safe_relative(file_name)
            if not file_name.endswith(renderer.SUFFIXES):
                raise BuildError(f"deliverable '{name}' produced {file_name!r}, not one of {renderer.SUFFIXES}")
            if file_name in files:
                raise BuildError(f"two deliverables produce {file_name!r}")
            files[file_name] = data
            owners[file_name] = name
    return files


def build_file(
    source: Path,
    out_root: Path,
    only: Sequence[str] | None = None,
    theme: Path | None = None,
) -> BuildResult:
    """Build one client file into its version folder, atomically."""
    names = select(only)
    raw = _read(source)
    doc = load_document(source)
    project = validate_document(doc)
    folder = version_folder(out_root, project)
    ctx = Context(project, doc, load_previous(out_root, project), resolve_theme(source, project, theme))
    ctx.warnings.extend(doc.warnings)
    owners: dict[str, str] = {}
    files = render_all(ctx, names, owners)
    files["model.json"] = canonical_json(project.model_dump(mode="json"))
    manifest = _manifest(raw, files, folder, keep=bool(only))
    manifest["deliverables"] = _owners(owners, manifest["files"], folder, keep=bool(only))
    files["manifest.json"] = canonical_json(manifest)
    write_tree(folder, files, keep=bool(only))
    return BuildResult(source, folder, manifest["files"], ctx.warnings)


def resolve_theme(source: Path, project: Project, option: Path | None) -> Path | None:
    """The theme folder from `--theme` or the file's `theme` key (relative to the file)."""
    chosen = option or (source.parent / project.theme if project.theme else None)
    if chosen is None:
        return None
    if not chosen.is_dir():
        raise TemplateError(f"theme folder '{chosen}' does not exist")
    return chosen


def canonical_json(data: Any) -> bytes:
    """Sorted, indented JSON with a final newline: stable bytes for stable input."""
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    """Hex digest."""
    return hashlib.sha256(data).hexdigest()


def _manifest(raw: bytes, files: dict[str, bytes], folder: Path, keep: bool) -> dict[str, Any]:
    hashes = {name: sha256(data) for name, data in files.items()}
    if keep:
        earlier = _earlier_manifest(folder).get("files", {})
        hashes = {**{k: v for k, v in earlier.items() if (folder / k).is_file()}, **hashes}
    return {"tool": "deliver", "tool_version": __version__, "input_sha256": sha256(raw), "files": dict(sorted(hashes.items()))}


def _earlier_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of the version folder being replaced, or {} when unreadable."""
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return {}
    return data if isinstance(data, dict) else {}


def _owners(owners: dict[str, str], files: dict[str, str], folder: Path, keep: bool) -> dict[str, str]:
    """File name -> deliverable that produced it (earlier entries kept by an `--only` build)."""
    if keep:
        earlier = _earlier_manifest(folder).get("deliverables", {})
        owners = {**{k: v for k, v in earlier.items() if k in files}, **owners}
    return dict(sorted(owners.items()))


def _read(source: Path) -> bytes:
    try:
        return source.read_bytes()
    except OSError:
        return b""
