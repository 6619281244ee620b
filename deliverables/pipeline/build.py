"""The build pipeline: load, validate, plan the artefact graph, render, write.

Deliverables fill hooks; this module alone decides what is built, the output
paths, the manifest and the writing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deliverables import __version__
from deliverables.core import paths
from deliverables.core.errors import BuildError, DeliverError, InputError, OutputError, Problem, TemplateError
from deliverables.pipeline import incremental, inputs, manifest, owner, registry
from deliverables.pipeline.storage import locked, locked_dir, write_tree

if TYPE_CHECKING:
    from deliverables.core.context import Context
    from deliverables.core.model import Project
    from deliverables.pipeline.workers import Kept

# The typed model, the YAML parser and the deliverables are imported only when
# something has to be built: an up-to-date rebuild stays as cheap as `import json`.


@dataclass
class BuildResult:
    """What one client file's build produced."""

    source: Path
    folder: Path
    files: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    up_to_date: bool = False
    rebuilt: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    """Deliverable -> why it could not be rendered; it kept its earlier files, if any."""
    bugs: dict[str, str] = field(default_factory=dict)
    """Of the failed, those that failed on a bug rather than on their input: the traceback."""
    problems: dict[str, list[Problem]] = field(default_factory=dict)
    """Of the failed, those that failed on a positioned problem of the client file: the problems."""

    def raise_failed(self) -> None:
        """A BuildError naming every failed deliverable and why, when one failed."""
        if self.failed:
            reasons = "; ".join(f"{name}: {why}" for name, why in sorted(self.failed.items()))
            many = len(self.failed) != 1
            raise BuildError(f"{len(self.failed)} deliverable{'s' if many else ''} failed: {reasons}")


def select(only: Sequence[str] | None) -> tuple[str, ...]:
    """Registered names to build, in registry order; unknown names are an error."""
    if not only:
        return registry.names()
    wanted = [n.strip() for item in only for n in item.split(",") if n.strip()]
    if not wanted:
        raise BuildError(f"--only names no deliverable; give one or more of: {', '.join(registry.names())}")
    for name in wanted:
        if name not in registry.REGISTRY:
            from deliverables.core.suggest import did_you_mean

            hint = did_you_mean(name, registry.names())
            raise BuildError(f"unknown deliverable '{name}'{hint}; known: {', '.join(registry.names())}")
    return tuple(n for n in registry.names() if n in wanted)


def version_folder(out_root: Path, project: Project) -> Path:
    """`<out>/<client-slug>/v<N>`."""
    return out_root / project.slug / f"v{project.version}"


def load_model(folder: Path) -> Project:
    """The project a version folder was built from (OSError or ValueError when unreadable)."""
    from deliverables.core.model import Project

    return Project.model_validate(manifest.read_model(folder))


def load_previous(out_root: Path, project: Project) -> Project | None:
    """The model of the newest earlier version built into the output, if any: only
    ever one of the same client (another client's folder is never read)."""
    if owner.foreign(out_root / project.slug, project.client.name):
        return None
    folder = paths.newest_before(out_root / project.slug, project.version)
    if folder is None:
        return None
    try:
        previous = load_model(folder)
    except (ValueError, OSError):
        return None
    return previous if previous.client.name == project.client.name else None


def _claim(ctx: Context, source: Path, client_dir: Path) -> None:
    """Refuse a client folder another client owns; record the owner of a new one."""
    project = ctx.project
    why = owner.conflict(client_dir, project.client.name, bool(project.client.slug))
    if why is not None:
        key = ("client", "slug") if project.client.slug else ("client", "name")
        raise InputError([ctx.document.problem(key, why)])
    owner.claim(client_dir, project.client.name, source)


def context(source: Path, out_root: Path | None = None, theme: Path | None = None, text: str | None = None) -> Context:
    """The base build context of a client file: its model, the previous version and the theme."""
    from deliverables.core.context import Context
    from deliverables.core.source import load_document
    from deliverables.core.validate import unbuildable_problems, validate_document

    doc = load_document(source, text)
    project = validate_document(doc)
    unbuildable = unbuildable_problems(doc, project)
    if unbuildable:
        raise InputError([*unbuildable, *doc.warnings])
    previous = load_previous(out_root, project) if out_root is not None else None
    try:
        chosen = resolve_theme(source, project, theme)
    except TemplateError as exc:
        if theme is not None:
            raise
        raise InputError([doc.problem(("theme",), exc.format_message())]) from None
    ctx = Context(project, doc, previous, chosen)
    ctx.warnings.extend(doc.warnings)
    if chosen is not None and not _themes_anything(chosen):
        where = "--theme: " if theme is not None else ""
        message = f"{where}theme folder '{chosen}' holds no base.docx, base.pptx or wording template; the documents keep the built-in look"
        ctx.warnings.append(doc.problem(() if theme is not None else ("theme",), message, severity="warning"))
    return ctx


def _themes_anything(folder: Path) -> bool:
    """True when the theme folder has a file at the name of some built-in template."""
    import os

    from deliverables.core.paths import templates_root

    root = templates_root()
    names = (str(p.relative_to(root)) for p in Path(str(root)).rglob("*") if p.is_file())
    return any(os.path.lexists(folder / name) for name in names)


def render_files(
    ctx: Context, names: Sequence[str], earlier: Path | None = None, pool: Any = None
) -> tuple[dict[str, bytes], dict[str, Any], list[Problem]]:
    """Every named deliverable's files (and those of what they consume), in memory.

    Returns the files, per deliverable the manifest record (key, why rebuilt or
    kept), and the warnings. Deliverables whose key matches the `earlier` version
    folder's manifest are taken from there instead of rendered again. With a
    worker `pool` (`workers.pool()`), independent deliverables render in parallel.
    A failed deliverable raises its error once the others finished (`build_file`
    instead writes the others and records the failure).
    """
    produced = _produce(ctx, names, earlier, pool)
    failure = next((item.failure for item in produced.values() if item.failure is not None), None)
    if failure is not None:
        raise failure
    return _gather(ctx, produced)


def _produce(ctx: Context, names: Sequence[str], earlier: Path | None, pool: Any) -> dict[str, Any]:
    from deliverables.pipeline import graph

    return graph.produce(graph.planned(ctx, names, pool), earlier, pool)


def _gather(ctx: Context, produced: dict[str, Any]) -> tuple[dict[str, bytes], dict[str, Any], list[Problem]]:
    files: dict[str, bytes] = {}
    warnings: list[Problem] = list(ctx.warnings)
    for item in produced.values():
        files.update(item.files)
        warnings += [w for w in item.warnings if w not in warnings]
    return files, {name: item.record for name, item in produced.items()}, warnings


def render_one(ctx: Context, name: str) -> dict[str, bytes]:
    """One deliverable's files, rendered in memory with everything it consumes."""
    files, records, _ = render_files(ctx, [name])
    return {file_name: files[file_name] for file_name in records[name]["files"]}


def build_file(
    source: Path,
    out_root: Path,
    only: Sequence[str] | None = None,
    theme: Path | None = None,
    jobs: int | None = None,
    kept: Kept | None = None,
) -> BuildResult:
    """Build one client file into its version folder, atomically and incrementally.

    One deliverable failing does not stop the others: they are written and
    promoted, the failed one keeps the files it had (none in a first build), the
    manifest records it as failed with the reason, and the result lists it in
    `failed`. `jobs` caps the worker processes rendering deliverables (default: one per core;
    1 renders in this process). `kept` lends warm workers that outlive this build
    (`workers.Kept`, for a session of builds: watch, a batch).
    """
    names = select(only)
    # The client file is read once, under a lock `confirm` also takes on its folder: a
    # build never mixes the text before and after a concurrent `confirm --bump`.
    with locked_dir(source.resolve().parent, shared=True, best_effort=True):
        return _build_file(source, out_root, names, only, theme, jobs, kept)


def _build_file(
    source: Path,
    out_root: Path,
    names: tuple[str, ...],
    only: Sequence[str] | None,
    theme: Path | None,
    jobs: int | None,
    kept: Kept | None,
) -> BuildResult:
    raw = _read(source)
    folder = incremental.up_to_date(source, raw, out_root, names, theme)
    if folder is not None:
        return BuildResult(source, folder, manifest.section(manifest.read(folder), "files"), [], up_to_date=True)
    from deliverables.pipeline import workers

    with workers.pool(jobs, None if jobs == 1 else kept) as pool:
        ctx = context(source, out_root, theme, _text(source, raw))
        if kept is not None:
            ctx.measured = kept.measured
        folder = version_folder(out_root, ctx.project)
        if folder.parent.is_symlink():
            raise OutputError(
                f"{folder.parent} is a symbolic link; deliver never follows links in its output folders: "
                "remove it and build again"
            )
        if manifest.damaged(folder):
            ctx.warn(
                ("version",),
                f"{folder / manifest.MANIFEST} is damaged (not a JSON object): read as absent, so every "
                "deliverable is rendered again",
            )
        # One build of a client at a time: the previous version it reuses and keeps
        # cannot change under it, and nobody else's staging folder is touched.
        with locked(folder.parent):
            _claim(ctx, source, folder.parent)
            produced = _produce(ctx, names, folder if folder.is_dir() else None, pool)
            files, report, warnings = _gather(ctx, produced)
            errors = {name: item.failure for name, item in produced.items() if item.failure is not None}
            failed = {n: r["reason"] for n, r in report.items() if r["action"] == "failed"}
            files[manifest.MODEL] = manifest.canonical_json(ctx.project.model_dump(mode="json"))
            record = _manifest(raw, files, report, folder, keep=bool(only))
            recorded = {n: r["reason"] for n, r in record["deliverables"].items() if r.get("action") == "failed"}
            if recorded:
                record["failed"] = dict(sorted(recorded.items()))
            files[manifest.MANIFEST] = manifest.canonical_json(record)
            write_tree(folder, files, keep=bool(only))
            if failed:
                incremental.forget(source, out_root)
            else:
                incremental.record(source, raw, out_root, folder, names, ctx.theme, inputs.external_paths(ctx))
    rebuilt = [n for n, r in report.items() if r["action"] == "rebuilt"]
    bugs = {n: _traceback(e) for n, e in errors.items() if n in failed and not isinstance(e, DeliverError)}
    problems = {n: e.problems for n, e in errors.items() if n in failed and isinstance(e, InputError)}
    return BuildResult(
        source, folder, record["files"], warnings, rebuilt=rebuilt, failed=failed, bugs=bugs, problems=problems
    )


def resolve_theme(source: Path, project: Project, option: Path | None) -> Path | None:
    """The theme folder from `--theme` or the file's `theme` key (relative to the file)."""
    import os
    import stat

    chosen = option or (source.parent / project.theme if project.theme else None)
    if chosen is None:
        return None
    try:
        mode = os.stat(chosen).st_mode
    except FileNotFoundError:
        what = "does not exist"
    except OSError as exc:
        what = f"cannot be read ({exc.strerror or exc})"
    else:
        if stat.S_ISDIR(mode):
            return chosen
        what = f"is {inputs.kind(mode)}"
    named = "--theme: " if option is not None else ""
    raise TemplateError(f"{named}theme folder '{chosen}' {what}, expected {THEME_EXPECTED}")


THEME_EXPECTED = "a folder holding base.docx, base.pptx or wording templates"


def _manifest(raw: bytes, files: dict[str, bytes], report: dict[str, Any], folder: Path, keep: bool) -> dict[str, Any]:
    hashes = {name: manifest.digest(data) for name, data in files.items()}
    if keep:
        earlier = manifest.read(folder)
        kept_files = {k: v for k, v in manifest.section(earlier, "files").items() if (folder / k).is_file()}
        hashes = {**kept_files, **hashes}
        report = {**manifest.section(earlier, "deliverables"), **report}
    return {
        "tool": "deliver",
        "tool_version": __version__,
        "input_sha256": manifest.digest(raw),
        "files": dict(sorted(hashes.items())),
        "deliverables": dict(sorted(report.items())),
    }


def _traceback(exc: BaseException) -> str:
    import traceback

    return getattr(exc, "remote_traceback", "") or "".join(traceback.format_exception(exc))


def _text(source: Path, raw: bytes) -> str | None:
    """The text of the bytes read (None when nothing could be: the loader then says why)."""
    from deliverables.core.source import decode

    return decode(raw, str(source)) if raw else None


def _read(source: Path) -> bytes:
    from deliverables.core.source import read_client

    try:
        return read_client(source)
    except InputError:  # the loader says why
        return b""
