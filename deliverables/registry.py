"""The one registry of deliverables: adding a deliverable is adding a module and a line.

A renderer module exposes `NAME`, `SUFFIXES`, `DESCRIPTION`, a pure
`view(project, ctx)` that decides wording, order and grouping, and
`render(view, ctx)` returning `{relative file name: bytes}`. Only `render`
touches an office library, and imports it there, so listing or hashing views
stays cheap. Renderers never build output paths or write files.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from .context import Context
    from .model import Project


@runtime_checkable
class Renderer(Protocol):
    """What the build pipeline needs of a deliverable module."""

    NAME: str
    SUFFIXES: tuple[str, ...]
    DESCRIPTION: str

    def view(self, project: Project, ctx: Context) -> Any:
        """Plain data deciding what the deliverable says."""

    def render(self, view: Any, ctx: Context) -> dict[str, bytes]:
        """The deliverable's files, named relative to the version folder."""


REGISTRY: dict[str, str] = {
    "summary": "deliverables.renderers.summary",
    "definition-alignment": "deliverables.renderers.definition_alignment",
    "diagram": "deliverables.renderers.diagram",
    "reference-card": "deliverables.renderers.card",
    "faq": "deliverables.renderers.faq",
    "crm-config": "deliverables.renderers.crm_config",
    "maintenance": "deliverables.renderers.maintenance",
    "kickoff-deck": "deliverables.renderers.kickoff_deck",
    "refinement-deck": "deliverables.renderers.refinement_deck",
    "handoff-deck": "deliverables.renderers.handoff_deck",
}
"""Deliverable name -> module implementing `Renderer`, in build order."""


class RegistryError(Exception):
    """A registry entry that does not implement the renderer interface (a bug)."""


def names() -> tuple[str, ...]:
    """Every registered deliverable name, in build order."""
    return tuple(REGISTRY)


def load(name: str) -> Renderer:
    """Import and check the renderer registered under `name`."""
    module = importlib.import_module(REGISTRY[name])
    if not isinstance(module, Renderer):
        raise RegistryError(f"{REGISTRY[name]} does not implement the Renderer interface")
    if module.NAME != name:
        raise RegistryError(f"{REGISTRY[name]} is registered as {name!r} but names itself {module.NAME!r}")
    return module
