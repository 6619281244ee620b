"""Output safety, data loss: nothing a user built is deleted, gutted or
overwritten by another build, another client or another command."""

from __future__ import annotations

from pathlib import Path

import pytest
from safety_support import (
    assert_consistent,
    assert_ok,
    client,
    deliver,
    fresh,
    leftovers,
    start,
    write,
)

LIMIT = 600


def _run_all(procs) -> list[tuple[int, str, str]]:
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=LIMIT)
        results.append((proc.returncode, out, err))
    return results


# ---------------------------------------------------------------- 1. concurrent builds of one client


@pytest.mark.parametrize("round_", range(3))
def test_six_concurrent_builds_of_one_client_serialize(round_: int, tmp_path: Path) -> None:
    """Six `deliver build --only` of one client at once (three files of the same client,
    two light deliverables): every build succeeds, no staging folder is left, and the
    version folder holds every deliverable any of them built, each file whole."""
    work = fresh(tmp_path / "w")
    sources = [write(work / f"acme-{i}.yaml", client()).name for i in range(3)]
    procs = [
        start("build", sources[i % 3], "--only", only, "--out", "out", cwd=work)
        for i, only in enumerate(["summary", "faq"] * 3)
    ]
    results = _run_all(procs)
    for code, _out, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "No such file" not in err, err
    folder = work / "out" / "acme" / "v1"
    files = assert_consistent(folder)
    assert {"stage-summary-v1.md", "faq-v1.md", "faq-v1.docx"} <= {Path(n).name for n in files}, sorted(files)
    assert leftovers(work / "out") == []


def test_repair_keeps_a_live_builds_staging_folder_and_drops_a_dead_ones(tmp_path: Path) -> None:
    """A staging folder whose recorded owner still runs is not touched; one of a dead
    process (or an unrecorded one) is removed by the next build."""
    import os
    import subprocess

    work = fresh(tmp_path / "w")
    write(work / "acme.yaml", client())
    assert_ok(deliver("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=work))
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        with open(f"/proc/{sleeper.pid}/stat", encoding="ascii") as handle:
            started = handle.read().rsplit(")", 1)[1].split()[19]
        live = work / "out" / "acme" / f".v1.new-{sleeper.pid}-{started}-live"
        dead = work / "out" / "acme" / f".v1.new-{sleeper.pid}-1-dead"  # the pid reused by another process
        legacy = work / "out" / "acme" / ".v1.new-abcdef"
        for folder in (live, dead, legacy):
            write(folder / "x.md", "x")
        assert_ok(deliver("build", "acme.yaml", "--only", "faq", "--out", "out", cwd=work))
        assert live.is_dir()
        assert not dead.exists() and not legacy.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert os.path.isdir(work / "out" / "acme" / "v1")
