"""The build pipeline: load, validate, view, render, write. Renderers fill hooks;
this module alone decides order, output paths, hashing and writing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

from . import __version__, incremental, layout, registry
from .errors import BuildError, Problem, TemplateError
from .storage import safe_relative, write_tree

if TYPE_CHECKING:
    from .context import Context
    from .model import Project

# The typed model, the YAML parser and the renderers are imported only when
# something has to be built: an up-to-date rebuild stays as cheap as `import json`.

Log = Callable[[str], None]


@dataclass
class BuildResult:
    """What one client file's build produced."""

    source: Path
    folder: Path
    files: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    up_to_date: bool = False
    rebuilt: list[str] = field(default_factory=list)


def select(only: Sequence[str] | None) -> tuple[str, ...]:
    """Registered names to build, in registry order; unknown names are an error."""
    if not only:
        return registry.names()
    wanted = [n.strip() for item in only for n in item.split(",") if n.strip()]
    for name in wanted:
        if name not in registry.REGISTRY:
            from .validate import did_you_mean

            hint = did_you_mean(name, registry.names())
            raise BuildError(f"unknown deliverable '{name}'{hint}; known: {', '.join(registry.names())}")
    return tuple(n for n in registry.names() if n in wanted)


def version_folder(out_root: Path, project: Project) -> Path:
    """`<out>/<client-slug>/v<N>`."""
    return out_root / project.slug / f"v{project.version}"


def load_previous(out_root: Path, project: Project) -> Project | None:
    """The model of the newest earlier version built into the output, if any."""
    folder = layout.newest_before(out_root / project.slug, project.version)
    if folder is None:
        return None
    from .model import Project

    try:
        return Project.model_validate(json.loads((folder / "model.json").read_text(encoding="utf-8")))
    except (ValueError, OSError):
        return None


def render_all(ctx: Context, names: Sequence[str], earlier: Path | None = None) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Every selected deliverable's files, and per deliverable why it was rebuilt or kept.

    A deliverable whose fingerprint (view, templates, tool) matches the one in
    the `earlier` version folder's manifest is not rendered again: its files are
    taken from that folder.
    """
    env = incremental.content_key(ctx.theme)
    before = _read_manifest(earlier).get("deliverables", {}) if earlier else {}
    files: dict[str, bytes] = {}
    report: dict[str, Any] = {}
    for name in names:
        renderer = registry.load(name)
        view = renderer.view(ctx.project, ctx)
        key = incremental.view_key(view)
        reused = _reuse(earlier, before.get(name), key, env)
        outputs = reused if reused is not None else renderer.render(view, ctx)
        reason = "unchanged" if reused is not None else _reason(before.get(name), key, env)
        _check_outputs(name, renderer.SUFFIXES, outputs, files)
        files.update(outputs)
        report[name] = {"files": sorted(outputs), "view": key, "environment": env, "action": "kept" if reused is not None else "rebuilt", "reason": reason}
    return files, report


def _reuse(folder: Path | None, entry: dict[str, Any] | None, key: str, env: str) -> dict[str, bytes] | None:
    if folder is None or not entry or entry.get("view") != key or entry.get("environment") != env:
        return None
    try:
        files = {name: (folder / name).read_bytes() for name in entry["files"]}
        recorded = _read_manifest(folder).get("files", {})
    except (OSError, KeyError, TypeError):
        return None
    # A file changed by hand since it was built must not be carried forward.
    if any(sha256(data) != recorded.get(name) for name, data in files.items()):
        return None
    return files


def _reason(entry: dict[str, Any] | None, key: str, env: str) -> str:
    if not entry:
        return "new"
    if entry.get("environment") != env:
        return "templates or tool changed"
    if entry.get("view") != key:
        return "content changed"
    return "files missing"


def _check_outputs(name: str, suffixes: tuple[str, ...], outputs: dict[str, bytes], files: dict[str, bytes]) -> None:
    for file_name in outputs:
        safe_relative(file_name)
        if not file_name.endswith(suffixes):
            raise BuildError(f"deliverable '{name}' produced {file_name!r}, not one of {suffixes}")
        if file_name in files:
            raise BuildError(f"two deliverables produce {file_name!r}")


def _read_manifest(folder: Path | None) -> dict[str, Any]:
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8")) if folder else {}
    except (OSError, ValueError):
        return {}


def build_file(
    source: Path,
    out_root: Path,
    only: Sequence[str] | None = None,
    theme: Path | None = None,
) -> BuildResult:
    """Build one client file into its version folder, atomically and incrementally."""
    names = select(only)
    raw = _read(source)
    folder = incremental.up_to_date(source, raw, out_root, names, theme)
    if folder is not None:
        return BuildResult(source, folder, _read_manifest(folder).get("files", {}), [], up_to_date=True)
    from .context import Context
    from .source import load_document
    from .validate import validate_document

    doc = load_document(source)
    project = validate_document(doc)
    folder = version_folder(out_root, project)
    ctx = Context(project, doc, load_previous(out_root, project), resolve_theme(source, project, theme))
    ctx.warnings.extend(doc.warnings)
    files, report = render_all(ctx, names, folder if folder.is_dir() else None)
    files["model.json"] = canonical_json(project.model_dump(mode="json"))
    manifest = _manifest(raw, files, report, folder, keep=bool(only))
    files["manifest.json"] = canonical_json(manifest)
    write_tree(folder, files, keep=bool(only))
    incremental.record(source, raw, out_root, folder, names, ctx.theme)
    rebuilt = [n for n, r in report.items() if r["action"] == "rebuilt"]
    return BuildResult(source, folder, manifest["files"], ctx.warnings, rebuilt=rebuilt)


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


def _manifest(raw: bytes, files: dict[str, bytes], report: dict[str, Any], folder: Path, keep: bool) -> dict[str, Any]:
    hashes = {name: sha256(data) for name, data in files.items()}
    if keep:
        earlier = _read_manifest(folder)
        kept_files = {k: v for k, v in earlier.get("files", {}).items() if (folder / k).is_file()}
        hashes = {**kept_files, **hashes}
        report = {**earlier.get("deliverables", {}), **report}
    return {
        "tool": "deliver",
        "tool_version": __version__,
        "input_sha256": sha256(raw),
        "files": dict(sorted(hashes.items())),
        "deliverables": dict(sorted(report.items())),
    }


def _read(source: Path) -> bytes:
    try:
        return source.read_bytes()
    except OSError:
        return b""
