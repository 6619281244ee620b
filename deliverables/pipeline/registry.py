"""The one registry of deliverables: adding a deliverable is adding a module and a line.

A deliverable module exposes `NAME`, `SUFFIXES`, `DESCRIPTION`, what it
`CONSUMES` of other deliverables and which `EXTERNAL` files it reads, the pure
`files(project)` (the only place its file names are made), the pure
`view(project, ctx)` that decides wording, order and grouping, and
`render(view, ctx)` returning `{relative file name: bytes}`. Only `render`
touches an office library, and imports it there, so listing or hashing views
stays cheap. Deliverables never build output paths or write files.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from deliverables.core.context import Consumes, Context
    from deliverables.core.model import Project


@runtime_checkable
class Deliverable(Protocol):
    """What the build pipeline needs of a deliverable module: the whole contract."""

    NAME: str
    SUFFIXES: tuple[str, ...]
    DESCRIPTION: str
    CONSUMES: tuple[Consumes, ...]
    """Other deliverables' artefacts this one reads; the pipeline builds them first."""
    EXTERNAL: tuple[str, ...]
    """Roles of the external files it reads (`logo`, `base.docx`, `base.pptx`)."""

    def files(self, project: Project) -> tuple[str, ...]:
        """The file names written for the project's version, relative to the version folder."""

    def view(self, project: Project, ctx: Context) -> Any:
        """Plain data deciding what the deliverable says; warnings go to `ctx.warn`."""

    def render(self, view: Any, ctx: Context) -> dict[str, bytes]:
        """The deliverable's files, named as `files` names them."""


REGISTRY: dict[str, str] = {
    "summary": "deliverables.documents.summary",
    "definition-alignment": "deliverables.documents.alignment",
    "diagram": "deliverables.documents.diagram",
    "reference-card": "deliverables.documents.card",
    "faq": "deliverables.documents.faq",
    "crm-config": "deliverables.documents.crm",
    "current-state-audit": "deliverables.documents.audit",
    "maintenance": "deliverables.documents.maintenance",
    "measurement-framework": "deliverables.documents.measures",
    "training": "deliverables.documents.decks.training",
    "hypercare": "deliverables.documents.hypercare",
    "kickoff-deck": "deliverables.documents.decks.kickoff",
    "refinement-deck": "deliverables.documents.decks.refinement",
    "handoff-deck": "deliverables.documents.decks.handoff",
}
"""Deliverable name -> module implementing `Deliverable`, in listing order."""


class RegistryError(Exception):
    """A registry entry that does not implement the deliverable contract (a bug)."""


def names() -> tuple[str, ...]:
    """Every registered deliverable name, in listing order."""
    return tuple(REGISTRY)


def load(name: str) -> Deliverable:
    """Import and check the deliverable registered under `name`."""
    module = importlib.import_module(REGISTRY[name])
    if not isinstance(module, Deliverable):
        expected = ("NAME", "SUFFIXES", "DESCRIPTION", "CONSUMES", "EXTERNAL", "files", "view", "render")
        missing = ", ".join(a for a in expected if not hasattr(module, a))
        raise RegistryError(f"{REGISTRY[name]} does not implement the deliverable contract (it lacks {missing})")
    if name != module.NAME:
        raise RegistryError(f"{REGISTRY[name]} is registered as {name!r} but names itself {module.NAME!r}")
    for need in module.CONSUMES:
        if need.deliverable != "*" and need.deliverable not in REGISTRY:
            raise RegistryError(f"{name} consumes {need.deliverable!r}, which is not registered")
    return module
