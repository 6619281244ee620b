"""Shared fixtures: paths to the example and architectures, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme-analytics.yaml"
ARCHITECTURES = sorted((ROOT / "architectures").glob("*.yaml"))


def with_exports(folder: Path) -> Path:
    """Copy the example's CRM exports (its `audit:` inputs) beside a copy of the example in `folder`."""
    import shutil

    shutil.copytree(EXAMPLE.parent / "exports", folder / "exports", dirs_exist_ok=True)
    return folder


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
    """Compare text with tests/golden/NAME, the way deliverable snapshots are compared.

    One mechanism for every stored text: the same unified diff as `deliver snapshot`,
    and the same switch (`DELIVER_UPDATE_SNAPSHOTS=1`) rewrites it. Files of the
    example client live only in tests/snapshots/acme-analytics/.
    """
    import os

    from deliverables.commands.snapshot import compare
    from deliverables.pipeline.storage import write_file
    from deliverables.pytest_plugin import ENV

    stored = {name: (GOLDEN_DIR / name).read_text(encoding="utf-8")} if (GOLDEN_DIR / name).is_file() else {}
    if os.environ.get(ENV) == "1":
        if stored.get(name) != text:
            write_file(GOLDEN_DIR / name, text.encode("utf-8"))
        return
    diff = compare({name: text}, stored, GOLDEN_DIR)
    if diff:
        pytest.fail(f"golden text differs (set {ENV}=1 to accept):\n{diff}", pytrace=False)
