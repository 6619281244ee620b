"""Benchmark `deliver serve`: from saving the client file to the page showing the change,
measured in a headless Chromium, against a cold build of the same file.

    python benchmarks/serve.py [--runs 7] [--json benchmarks/serve-results.json] [--readme README.md]

Each run renames a stage (the diagram changes) and, separately, edits a
definition (the diagram does not); it records when the page shows the edit
(the new name in the diagram, or the page's revision moving on) and when every
deliverable has been rebuilt (the page says it is live again). Medians are
reported; the cold build is the median of three fresh `deliver build` processes.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import Server, browser, missing, save, wait_until  # noqa: E402

EXAMPLE = ROOT / "examples" / "acme-analytics.yaml"
LABELS = "return [...document.querySelectorAll('#diagram g.node text')].map(t => t.textContent).join(' ')"
REVISION = "return document.body.dataset.revision"
LIVE = "return document.getElementById('status').className.includes('live')"


def cold_build(work: Path, runs: int = 3) -> float:
    """Median seconds of a full build into an empty output folder, in a fresh process."""
    times = []
    for i in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "deliverables", "build", str(EXAMPLE), "--out", str(work / f"cold{i}")],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def edit_latencies(runs: int, work: Path) -> dict[str, list[float]]:
    """Per scenario, seconds from the save to the page showing it and to every file rebuilt."""
    source = work / "acme.yaml"
    shutil.copy(EXAMPLE, source)
    original = source.read_text(encoding="utf-8")
    found: dict[str, list[float]] = {"rename_shown": [], "rename_all": [], "definition_shown": [], "definition_all": []}
    server = Server(source, work / "out")
    try:
        with browser() as driver:
            driver.get(server.url)
            wait_until(lambda: "Known Lead" in driver.execute_script(LABELS), timeout=300)
            for run in range(runs):
                name = f"Known Contact {run}"
                started = time.perf_counter()
                save(source, original.replace("name: Known Lead", f"name: {name}", 1))
                wait_until(lambda name=name: name in driver.execute_script(LABELS), timeout=300, step=0.01)
                found["rename_shown"].append(time.perf_counter() - started)
                wait_until(lambda: driver.execute_script(LIVE), timeout=300, step=0.01)
                found["rename_all"].append(time.perf_counter() - started)
                revision = driver.execute_script(REVISION)
                started = time.perf_counter()
                text = source.read_text(encoding="utf-8")
                save(source, re.sub(r"definition: ", f"definition: Revised {run}. ", text, count=1))
                wait_until(lambda r=revision: driver.execute_script(REVISION) != r, timeout=300, step=0.01)
                found["definition_shown"].append(time.perf_counter() - started)
                wait_until(lambda: driver.execute_script(LIVE), timeout=300, step=0.01)
                found["definition_all"].append(time.perf_counter() - started)
    finally:
        server.stop()
    return found


def table(cold: float, found: dict[str, list[float]]) -> str:
    """The README's table of medians and their ratio to the cold build."""
    rows = [
        "| save → | median s | / cold build |",
        "|---|---|---|",
        f"| cold build of the example (for comparison) | {cold:.3f} | 1.00 |",
    ]
    labels = {
        "rename_shown": "stage renamed: new name in the page's diagram",
        "rename_all": "stage renamed: every deliverable rebuilt",
        "definition_shown": "definition edited: page updated",
        "definition_all": "definition edited: every deliverable rebuilt",
    }
    for key, label in labels.items():
        median = statistics.median(found[key])
        rows.append(f"| {label} | {median:.3f} | {median / cold:.2f} |")
    return "\n".join(rows)


def update_readme(readme: Path, text: str) -> None:
    """Replace the figures between the serve benchmark markers."""
    content = readme.read_text(encoding="utf-8")
    start, end = "<!-- serve-bench:start -->\n", "<!-- serve-bench:end -->"
    before, rest = content.split(start, 1)
    content = before + start + text + "\n" + end + rest.split(end, 1)[1]
    readme.write_text(content, encoding="utf-8")


def main() -> None:
    """Measure, print, and write the JSON (and the README table when asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path, default=Path(__file__).resolve().parent / "serve-results.json")
    parser.add_argument("--readme", type=Path)
    args = parser.parse_args()
    reason = missing()
    if reason:
        sys.exit(f"cannot run the serve benchmark: {reason}")
    with tempfile.TemporaryDirectory(prefix="deliver-serve-bench-") as work:
        cold = cold_build(Path(work))
        found = edit_latencies(args.runs, Path(work))
    text = table(cold, found)
    print(text)
    medians = {key: statistics.median(values) for key, values in found.items()}
    args.json.write_text(json.dumps({"cold_build": cold, "medians": medians, "runs": found}, indent=2) + "\n")
    if args.readme:
        update_readme(args.readme, text)


if __name__ == "__main__":
    main()
