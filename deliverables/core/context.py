"""What a deliverable may know besides the project: the previous version, the
document date, its templates, the files and artefacts it declared, and how to
report a warning.

The pipeline makes one `Context` per deliverable: what one deliverable needs
of another reaches it here, as a declared artefact, never through shared state.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from deliverables.core.dates import document_date
from deliverables.core.errors import BuildError, Problem, TemplateError
from deliverables.core.model import Project
from deliverables.core.paths import templates_root
from deliverables.core.source import Document

EVERY = "*"
"""`Consumes(EVERY)`: the file names of every registered deliverable."""


@dataclass(frozen=True)
class Consumes:
    """What a deliverable needs of another: the bytes of its file ending in `suffix`,
    or (no suffix) the names of its files."""

    deliverable: str
    suffix: str | None = None


class Listing(NamedTuple):
    """A deliverable as a consumer of `EVERY` sees it: what it is, and its file names."""

    description: str
    files: tuple[str, ...]


@dataclass
class Context:
    """Build-time facts handed to one deliverable's `view` and `render`."""

    project: Project
    document: Document
    previous: Project | None = None
    theme: Path | None = None
    warnings: list[Problem] = field(default_factory=list)
    inputs: Mapping[str, bytes] = field(default_factory=dict)
    """External files the deliverable declared (`EXTERNAL`), by role, as read by the pipeline."""
    artefacts: Mapping[tuple[str, str], bytes] = field(default_factory=dict)
    """(deliverable, suffix) -> bytes of the consumed files, filled before `render`."""
    listing: Mapping[str, Listing] = field(default_factory=dict)
    """Every deliverable's description and file names, for a deliverable that consumes `EVERY`."""
    measured: dict[bytes, object] = field(default_factory=dict, repr=False, compare=False)
    """This build's current-state audit by the fingerprint of its CRM exports (the
    `exports` input) and of what it reads of the project: the first view that needs
    it computes it, the others read it. One dict per build, shared by the contexts the
    pipeline makes of the base one, or per session of builds (`workers.Kept`)."""

    def __getstate__(self) -> dict[str, object]:
        """What a worker receives: everything but the audits, which only views read (and
        which the planning thread may be adding to while a job is sent)."""
        return {**self.__dict__, "measured": {}}

    @property
    def date(self) -> dt.date:
        """The date of this version."""
        return document_date(self.project)

    def warn(self, path: tuple[str | int, ...], message: str) -> None:
        """Record a warning positioned at the client-file node `path`."""
        problem = self.document.problem(path, message, severity="warning")
        if problem not in self.warnings:
            self.warnings.append(problem)

    def artefact(self, deliverable: str, suffix: str) -> bytes:
        """The bytes of another deliverable's file ending in `suffix` (declared in `CONSUMES`)."""
        try:
            return self.artefacts[(deliverable, suffix)]
        except KeyError:
            raise BuildError(f"the {suffix} file of '{deliverable}' was not declared or not produced") from None

    def input(self, role: str) -> bytes | None:
        """An external file declared in `EXTERNAL` (None when the client file names none)."""
        return self.inputs.get(role)

    def template(self, name: str) -> Path:
        """A template file: the theme folder's copy when it has one, else the built-in."""
        # Anything at the name counts: a FIFO or a folder there is an error when read, not a silent fallback.
        if self.theme is not None and os.path.lexists(self.theme / name):
            return self.theme / name
        found = templates_root().joinpath(*name.split("/"))
        if not found.is_file():
            raise TemplateError(f"template '{name}' not found in the built-in templates")
        return found

    def template_text(self, name: str) -> str:
        """A text template's contents."""
        return self.template(name).read_text(encoding="utf-8")
