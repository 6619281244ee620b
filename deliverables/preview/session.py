"""One preview session: the client file, its last good build and the errors of the
last attempt. A rebuild goes through the normal incremental build, so only the
deliverables whose keys moved are rendered again; a broken edit keeps the last
good build on show.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deliverables.core.errors import DeliverError, error_lines
from deliverables.pipeline import manifest
from deliverables.pipeline.storage import safe_relative
from deliverables.preview import pagedata

if TYPE_CHECKING:
    from deliverables.core.model import Project


@dataclass(frozen=True)
class Snapshot:
    """A good build as the page shows it."""

    revision: int
    folder: Path
    files: dict[str, str]
    """Relative file name -> SHA-256, from the manifest: the only files served."""
    owners: dict[str, list[str]]
    """Deliverable name -> its files."""
    project: Project
    page: dict[str, Any]

    def file_of(self, deliverable: str, suffix: str) -> str | None:
        """The deliverable's main file ending in `suffix`, if it was built: the one with the
        shortest name (a reference card split by team shows its overview)."""
        found = [n for n in self.owners.get(deliverable, ()) if n.endswith(suffix)]
        return min(found, key=lambda n: (len(n), n)) if found else None


@dataclass
class Session:
    """The client file being previewed and what the page currently shows of it."""

    source: Path
    out_root: Path
    theme: Path | None = None
    snapshot: Snapshot | None = None
    errors: list[str] = field(default_factory=list)
    update: dict[str, Any] = field(default_factory=dict)
    """The notice of the last rebuild: when, how long, what changed."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def rebuild(self, only: Sequence[str] | None = None) -> dict[str, Any]:
        """Build the file incrementally (`only` these deliverables, when given); the
        event the page receives about it."""
        with self._lock:  # a save landing mid-build waits for the next turn
            started = time.perf_counter()
            try:
                result, made = self._build(only)
            except DeliverError as exc:
                self.errors = error_lines(exc, self.source)
                return {"type": "failed", "errors": self.errors}
            seconds = time.perf_counter() - started
            before = self.snapshot.project if self.snapshot else None
            self.snapshot = made
            self.errors = [f"{self.source}: error: {n} failed: {why}" for n, why in sorted(result.failed.items())]
            self.update = {
                "revision": made.revision,
                "seconds": round(seconds, 3),
                "at": time.strftime("%H:%M:%S"),
                "rebuilt": pagedata.updated_names([] if result.up_to_date else result.rebuilt),
                "changes": pagedata.what_changed(before, made.project),
                "warnings": [str(w) for w in result.warnings],
                "complete": only is None,
            }
            return {"type": "updated", **self.update}

    def _build(self, only: Sequence[str] | None):
        from deliverables.core import validate
        from deliverables.lint import lint
        from deliverables.pipeline.build import build_file, load_previous

        result = build_file(self.source, self.out_root, only, self.theme, jobs=1)
        doc, project = validate.load(self.source)
        record = manifest.read(result.folder)
        owners = {n: list(r.get("files", [])) for n, r in manifest.section(record, "deliverables").items()}
        page = pagedata.page(project, load_previous(self.out_root, project), lint(doc, project), result.warnings)
        revision = self.snapshot.revision + 1 if self.snapshot else 1
        return result, Snapshot(revision, result.folder, dict(manifest.section(record, "files")), owners, project, page)

    def state(self) -> dict[str, Any]:
        """What the page needs to draw itself: the page data, the files and the errors."""
        shot = self.snapshot
        body: dict[str, Any] = {"errors": self.errors, "update": self.update, "source": self.source.name}
        if shot is None:
            return {**body, "revision": 0, "page": None, "files": {}, "views": {}}
        views = {tab: shot.file_of(name, ".docx") for tab, name in pagedata.DOCUMENTS.items()}
        views.update(diagram=shot.file_of("diagram", ".svg"), card=shot.file_of("reference-card", ".pdf"))
        views["decks"] = [
            {"name": d, "title": pagedata.TITLES[d].capitalize(), "file": shot.file_of(d, ".pptx")}
            for d in pagedata.DECKS
            if shot.file_of(d, ".pptx")
        ]
        files = {name: sha[:16] for name, sha in shot.files.items()}
        return {**body, "revision": shot.revision, "page": shot.page, "files": files, "views": views}

    def path_of(self, name: str) -> Path | None:
        """The file `name` of the last good build, or None when it is not one of them.

        Only names in the manifest are served, and never through a symbolic link,
        so nothing outside the version folder can be reached."""
        shot = self.snapshot
        if shot is None or name not in shot.files:
            return None
        try:
            parts = safe_relative(name).parts
        except DeliverError:
            return None
        path = shot.folder
        for part in parts:
            path = path / part
            if path.is_symlink():
                return None
        return path if path.is_file() else None
