"""`deliver list`: the deliverables a build produces."""

from __future__ import annotations

from deliverables.pipeline import registry


def listing() -> list[str]:
    """One line per registered deliverable: name, file kinds and what it is."""
    lines = []
    for name in registry.names():
        module = registry.load(name)
        lines.append(f"{name:<22} {' '.join(module.SUFFIXES):<18} {module.DESCRIPTION}")
    return lines
