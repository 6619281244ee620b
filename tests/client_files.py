"""Every client-facing file of the fixture clients, rendered once per test session.

A client-facing file is one a partner sends: Word, PowerPoint, PDF, SVG, Markdown,
calendar and HTML. The tests over them read their text forms (`backends.readers`).
"""

from __future__ import annotations

import functools
from pathlib import Path

from deliverables.backends.readers import text_form
from deliverables.core.context import Context
from deliverables.core.model import Project
from deliverables.core.source import load_document
from deliverables.core.validate import validate_document
from deliverables.pipeline import registry
from deliverables.pipeline.build import render_files

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
CLIENT_SUFFIXES = (".docx", ".pptx", ".pdf", ".svg", ".md", ".ics", ".html")

KEY_CLIENTS = (
    ROOT / "examples" / "acme-analytics.yaml",
    CASES / "clients" / "four-stage-v0.yaml",
    CASES / "clients" / "salesforce-v3.yaml",
)
"""The three clients a partner must be able to send as generated."""

OTHER_CLIENTS = (
    *sorted((ROOT / "architectures").glob("*.yaml")),
    *sorted(CASES.glob("decks/*.yaml")),
    *sorted(CASES.glob("docx/*.yaml")),
    *sorted(CASES.glob("crm/*.yaml")),
    *sorted(CASES.glob("diagram/*.yaml")),
)
"""Every other fixture client and reference architecture."""


def label(path: Path) -> str:
    """A short test id: `clients/four-stage-v0`."""
    return f"{path.parent.name}/{path.stem}"


@functools.cache
def project_of(path: Path) -> Project:
    """The validated project of a fixture."""
    return validate_document(load_document(path))


@functools.cache
def client_files(path: Path) -> dict[str, bytes]:
    """Every client-facing file the build of `path` writes, by file name."""
    doc = load_document(path)
    ctx = Context(validate_document(doc), doc, None, None)
    files, _, _ = render_files(ctx, registry.names())
    return {name: data for name, data in sorted(files.items()) if name.lower().endswith(CLIENT_SUFFIXES)}


@functools.cache
def client_texts(path: Path) -> dict[str, str]:
    """The text form of every client-facing file the build of `path` writes, by file name."""
    return {name: text_form(name, data) for name, data in client_files(path).items()}
