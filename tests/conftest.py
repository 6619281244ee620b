"""Shared fixtures: paths to the example and architectures, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme-analytics.yaml"
ARCHITECTURES = sorted((ROOT / "architectures").glob("*.yaml"))


@pytest.fixture
def runner() -> CliRunner:
    """A click runner keeping stderr apart from stdout."""
    return CliRunner()


def write(path: Path, text: str) -> Path:
    """Write a client file and return its path."""
    path.write_text(text, encoding="utf-8")
    return path
