"""Faults: a build killed at any moment, or a renderer that raises, never damages
the previous version and never leaves a partial file."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE, with_exports

from deliverables.core.errors import DeliverError
from deliverables.pipeline import registry
from deliverables.pipeline.build import build_file


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_intact(folder: Path, before: dict[str, bytes]) -> None:
    """Same files, same bytes, and every manifest hash verifies."""
    assert files_of(folder) == before
    manifest = json.loads((folder / "manifest.json").read_text())
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest


def test_sigkill_at_random_points_never_damages_the_previous_version(tmp_path: Path) -> None:
    source = with_exports(tmp_path) / "acme.yaml"
    source.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    build_file(source, out)
    folder = next(p for p in (out).glob("*/v*"))
    before = files_of(folder)
    source.write_text(
        source.read_text(encoding="utf-8").replace("definition:", "definition: Revised.", 1), encoding="utf-8"
    )
    rng = random.Random(20261125)
    env = dict(os.environ)
    for _ in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-m", "deliverables", "build", str(source), "--out", str(out)],
            env=env,
            cwd=out.parent,  # not the checkout: the installed package is what runs
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        current = files_of(folder)
        if current != before:  # the build finished before the kill: it must be complete
            assert_intact(folder, current)
            before = current
        else:
            assert_intact(folder, before)
    stray = [p.name for p in folder.parent.iterdir() if p.name.startswith(".")]
    build_file(source, out)
    assert not [p.name for p in folder.parent.iterdir() if p.name.startswith(".")], stray


@pytest.fixture(scope="module")
def example_built(tmp_path_factory) -> Path:
    """The example built once into an output folder; each case gets a copy of it."""
    out = tmp_path_factory.mktemp("faults") / "out"
    build_file(EXAMPLE, out)
    return out


@pytest.mark.parametrize("name", registry.names())
def test_an_exception_in_any_renderer_leaves_no_partial_file(
    name: str, example_built: Path, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "out"
    shutil.copytree(example_built, out, symlinks=True)  # the build as it left them, times included
    folder = next(out.glob("*/v*"))
    before = files_of(folder)
    renderer = registry.load(name)

    def explode(view, ctx):
        raise DeliverError(f"{name} failed on purpose")

    monkeypatch.setattr(renderer, "render", explode)
    monkeypatch.setattr("deliverables.pipeline.incremental.up_to_date", lambda *a: None)
    monkeypatch.setattr("deliverables.pipeline.incremental.view_key", lambda view: "force-rebuild")
    result = build_file(EXAMPLE, out)
    assert result.failed[name] == f"{name} failed on purpose"
    with pytest.raises(DeliverError, match=f"{name}: {name} failed on purpose"):
        result.raise_failed()
    # Every file is the same as before: the failed deliverable kept its earlier files and
    # the others rendered to the same bytes; only the manifest now records the failure.
    before.pop("manifest.json")
    assert_intact(folder, {**before, "manifest.json": (folder / "manifest.json").read_bytes()})
    recorded = json.loads((folder / "manifest.json").read_text())
    assert recorded["failed"][name] == f"{name} failed on purpose"
    assert recorded["deliverables"][name]["action"] == "failed"
    assert sorted(p.name for p in folder.parent.iterdir()) == [folder.name]
