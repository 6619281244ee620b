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


GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, text: str) -> None:
    """Compare text with tests/golden/NAME; DELIVER_UPDATE_GOLDEN=1 rewrites it."""
    import os

    path = GOLDEN_DIR / name
    if os.environ.get("DELIVER_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"missing golden file {path}; run with DELIVER_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")
