"""pytest plugin: snapshot tests of a client's deliverables in the user's own suite.

    def test_acme_documents(deliver_snapshot):
        deliver_snapshot("clients/acme.yaml", "tests/snapshots/acme")

The test fails with a unified diff when any deliverable's text form differs
from the stored snapshot. Set `DELIVER_UPDATE_SNAPSHOTS=1` (or pass
`--deliver-update-snapshots` when the plugin is installed through its entry
point) to write the snapshots instead; review them and commit.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

ENV = "DELIVER_UPDATE_SNAPSHOTS"
OPTION = "--deliver-update-snapshots"


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--deliver-update-snapshots` (effective when the plugin is loaded at start-up)."""
    parser.addoption(OPTION, action="store_true", default=False, help="Rewrite deliver snapshots instead of comparing.")


def _updating(config: pytest.Config) -> bool:
    return os.environ.get(ENV) == "1" or bool(config.getoption(OPTION, default=False))


@pytest.fixture
def deliver_snapshot(request: pytest.FixtureRequest) -> Callable[[str | Path, str | Path], None]:
    """A function `(client_file, snapshot_dir)` that compares (or rewrites) the snapshots
    of every deliverable built from `client_file`, failing the test with the diff."""
    from deliverables.commands.snapshot import check

    updating = _updating(request.config)

    def compare(client_file: str | Path, snapshot_dir: str | Path) -> None:
        diff, _ = check(Path(client_file), Path(snapshot_dir), updating)
        if diff:
            pytest.fail(f"deliverable snapshots differ (set {ENV}=1 to accept):\n{diff}", pytrace=False)

    return compare
