"""Benchmark `deliver` against the library floor, in one run on this machine.

Every figure is the median of at least five separate processes, with the peak
memory (max RSS) of each process taken from the kernel's accounting. Prints a
table with the ratios the targets are stated in and writes them to JSON.

    python benchmarks/run.py [--runs 5] [--json benchmarks/results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from clients import EXAMPLE, large, renamed  # noqa: E402

PY = sys.executable
DELIVER = [PY, "-m", "deliverables"]
WATCH_PROBE = """
import gc, sys, time
from pathlib import Path
from deliverables import entry
from deliverables.pipeline.build import build_file
gc.set_threshold(*entry.COLLECT_EVERY)  # as the `deliver` executable sets it for `deliver watch`
from deliverables.pipeline.workers import Kept, session_warm
source, out = Path(sys.argv[1]), Path(sys.argv[2])
with Kept(warm=session_warm([source])) as kept:  # as `deliver watch` does: warm workers for every rebuild
    build_file(source, out, kept=kept)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("definition:", "definition: Revised.", 1), encoding="utf-8")
    started = time.perf_counter()
    build_file(source, out, kept=kept)
    print(time.perf_counter() - started)
"""


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in KiB, and stdout of one process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss, out


def median_of(runs: int, make_cmd, prepare=None) -> dict[str, float]:
    """Median seconds and median peak memory (MiB) over `runs` fresh processes."""
    seconds, memory = [], []
    for i in range(runs):
        if prepare:
            prepare(i)
        elapsed, rss, _ = run(make_cmd(i))
        seconds.append(elapsed)
        memory.append(rss / 1024)
    return {"seconds": statistics.median(seconds), "peak_mib": statistics.median(memory)}


def alternated(runs: int, first, second) -> tuple[dict[str, float], dict[str, float]]:
    """`median_of` both commands, run in turns: first, second, first, second..."""
    seconds: tuple[list[float], list[float]] = ([], [])
    memory: tuple[list[float], list[float]] = ([], [])
    for i in range(runs):
        for k, make_cmd in enumerate((first, second)):
            elapsed, rss, _ = run(make_cmd(i))
            seconds[k].append(elapsed)
            memory[k].append(rss / 1024)
    return tuple(  # type: ignore[return-value]
        {"seconds": statistics.median(seconds[k]), "peak_mib": statistics.median(memory[k])} for k in (0, 1)
    )


def measure(runs: int, work: Path) -> dict[str, dict[str, float]]:
    """Every scenario of the benchmark."""
    big = large(60, work / "large.yaml")
    clients = [renamed(f"Bench Client {i:02d}", work / f"client{i:02d}.yaml") for i in range(20)]
    results: dict[str, dict[str, float]] = {}
    # The floor and the cold build take turns, so that both see the machine as it is at
    # the time: a shared machine's speed drifts over the minutes a block of runs takes.
    results["floor"], results["cold_example"] = alternated(
        runs,
        lambda i: [PY, str(HERE / "floor.py"), str(work / f"floor{i}")],
        lambda i: [*DELIVER, "build", str(EXAMPLE), "--out", str(work / f"cold{i}")],
    )
    results["import_yaml"] = median_of(runs, lambda i: [PY, "-c", "import yaml"])
    results["cold_60_stages"] = median_of(runs, lambda i: [*DELIVER, "build", str(big), "--out", str(work / f"big{i}")])
    run([*DELIVER, "build", str(EXAMPLE), "--out", str(work / "warm")])
    results["unchanged_rebuild"] = median_of(
        runs, lambda i: [*DELIVER, "build", str(EXAMPLE), "--out", str(work / "warm")]
    )
    results["watch_rerender"] = _watch(runs, work)
    results["batch_20_sequential"] = median_of(
        runs, lambda i: [*DELIVER, "build", *map(str, clients), "--out", str(work / f"seq{i}")]
    )
    results["batch_20_j2"] = median_of(
        runs, lambda i: [*DELIVER, "build", *map(str, clients), "-j", "2", "--out", str(work / f"par{i}")]
    )
    return results


def _watch(runs: int, work: Path) -> dict[str, float]:
    seconds, memory = [], []
    for i in range(runs):
        source = work / f"watch{i}.yaml"
        shutil.copy(EXAMPLE, source)
        shutil.copytree(EXAMPLE.parent / "exports", work / "exports", dirs_exist_ok=True)
        _, rss, out = run([PY, "-c", WATCH_PROBE, str(source), str(work / f"watch-out{i}")])
        seconds.append(float(out.strip().splitlines()[-1]))
        memory.append(rss / 1024)
    return {"seconds": statistics.median(seconds), "peak_mib": statistics.median(memory)}


TARGETS = [
    ("cold build / floor", "cold_example", "floor", 1.3),
    ("unchanged rebuild / import yaml", "unchanged_rebuild", "import_yaml", 2.0),
    ("watch re-render / cold build", "watch_rerender", "cold_example", 0.3),
    ("20 clients -j 2 / sequential", "batch_20_j2", "batch_20_sequential", 0.6),
]


def ratios(results: dict[str, dict[str, float]]) -> list[dict[str, object]]:
    """The stated targets, each with its measured ratio."""
    rows = []
    for label, num, den, target in TARGETS:
        value = results[num]["seconds"] / results[den]["seconds"]
        rows.append({"ratio": label, "value": round(value, 3), "target": target, "met": value <= target})
    mem = results["cold_60_stages"]["peak_mib"] / results["floor"]["peak_mib"]
    rows.append({"ratio": "60-stage peak memory / floor", "value": round(mem, 3), "target": 2.0, "met": mem <= 2.0})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="deliver-bench-") as tmp:
        results = measure(max(args.runs, 5), Path(tmp))
    print(f"{'scenario':<24}{'median s':>10}{'peak MiB':>10}")
    for name, row in results.items():
        print(f"{name:<24}{row['seconds']:>10.3f}{row['peak_mib']:>10.1f}")
    print()
    rows = ratios(results)
    for row in rows:
        print(f"{row['ratio']:<34}{row['value']:>8.3f}  target <= {row['target']}  {'met' if row['met'] else 'MISSED'}")
    args.json.write_text(json.dumps({"results": results, "ratios": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.json}")


if __name__ == "__main__":
    main()
