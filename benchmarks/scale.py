"""Build time and peak memory per deliverable for large clients (150 and 300 stages).

Each deliverable is built alone (`deliver build --only NAME`, with whatever it
consumes) in a fresh process with one worker, so its figures are its own: wall
seconds and the process tree's peak memory (max RSS, from the kernel). A full
build of every deliverable is timed too.

    python benchmarks/scale.py [--stages 150 300] [--json benchmarks/scale-results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from clients import enterprise  # noqa: E402

DELIVER = [sys.executable, "-m", "deliverables"]


def timed(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB of the command and its children, and its exit code."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    # wait4 reports the child's usage with that of the worker processes it reaped.
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def measure(stages: int, work: Path) -> dict[str, object]:
    from deliverables.pipeline import registry

    source = enterprise(stages, work / f"client-{stages}.yaml")
    rows: dict[str, dict[str, float]] = {}
    for name in registry.names():
        seconds, mib, code = timed(
            [*DELIVER, "build", str(source), "--only", name, "--out", str(work / f"{stages}-{name}")]
        )
        rows[name] = {"seconds": round(seconds, 2), "peak_mib": round(mib, 1), "ok": code == 0}
        print(f"{stages:>4} {name:<22}{seconds:>8.1f} s{mib:>8.0f} MiB{'' if code == 0 else '  FAILED'}", flush=True)
    seconds, mib, code = timed([*DELIVER, "build", str(source), "--out", str(work / f"{stages}-all")])
    print(f"{stages:>4} {'every deliverable':<22}{seconds:>8.1f} s{mib:>8.0f} MiB", flush=True)
    folder = next((work / f"{stages}-all").glob("*/v*"))
    cards = sorted(p.name for p in folder.glob("stage-reference-card-*.pdf"))
    return {
        "deliverables": rows,
        "all": {"seconds": round(seconds, 2), "peak_mib": round(mib, 1), "ok": code == 0},
        "cards": cards,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stages", type=int, nargs="+", default=[150, 300])
    parser.add_argument("--json", type=Path, default=HERE / "scale-results.json")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="deliver-scale-") as tmp:
        for stages in args.stages:
            results[str(stages)] = measure(stages, Path(tmp))
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
