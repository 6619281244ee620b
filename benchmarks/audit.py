"""Benchmark of the current-state audit at scale: 1,000,000 contacts and 300,000 deals.

    nice python benchmarks/audit.py [--contacts N] [--deals N] [--keep DIR] [--exports DIR]

Generates HubSpot-shaped exports for the bundled example's stages (the
synthetic generator, seed 7), then times, each in a fresh process:

- the floor: DuckDB alone reading the same files and grouping the records by
  their stage value (no mapping, no dates, no metrics);
- the audit: `deliver audit --format json` on them, with its peak resident
  memory (the child's ru_maxrss).

Targets: audit time at most 2x the floor, peak RSS at most 1.5 GiB. Prints one
JSON line; the figures go in the README.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme-analytics.yaml"
FLOOR = """
import duckdb, sys
con = duckdb.connect()
for path, column in (("contacts.csv", "Lifecycle Stage"), ("deals.csv", "Deal Stage")):
    con.sql(f"SELECT \\"{column}\\", count(*) FROM read_csv('{sys.argv[1]}/{path}', header=true, all_varchar=true) GROUP BY 1").fetchall()
"""


def _timed(command: list[str]) -> tuple[float, int, str, str]:
    """Wall seconds, peak RSS in KiB (this child's own, from wait4), stdout and stderr."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if status:
        sys.exit(f"{command[:3]} failed:\n{stderr[-2000:]}")
    return seconds, usage.ru_maxrss, stdout, stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--deals", type=int, default=300_000)
    parser.add_argument("--keep", type=Path, help="Keep the generated exports in this folder.")
    parser.add_argument(
        "--exports", type=Path, help="Time these exports (contacts.csv, deals.csv) instead of generating them."
    )
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="deliver-audit-bench-"))
    try:
        exports = args.exports.resolve() if args.exports else folder / "exports"
        generated = None
        if args.exports is None:
            start = time.perf_counter()
            generator = [sys.executable, str(ROOT / "scripts" / "synthetic_exports.py"), str(EXAMPLE), str(exports)]
            counts = ["--contacts", str(args.contacts), "--deals", str(args.deals), "--tickets", "0"]
            subprocess.run(generator + counts, check=True, capture_output=True)
            generated = time.perf_counter() - start
        text = EXAMPLE.read_text(encoding="utf-8").replace("    - {path: exports/tickets.csv, object: ticket}\n", "")
        text = text.replace("path: exports/", f"path: {exports}/")
        client = folder / "acme-analytics.yaml"
        client.write_text(text, encoding="utf-8")
        size = sum(p.stat().st_size for p in exports.iterdir())
        floor, floor_rss, _, _ = _timed([sys.executable, "-c", FLOOR, str(exports)])
        command = [sys.executable, "-m", "deliverables", "audit", str(client), "--format", "json"]
        audit, audit_rss, stdout, stderr = _timed(command)
        records = json.loads(stdout)["records"]
        print(
            json.dumps(
                {
                    "contacts": args.contacts,
                    "deals": args.deals,
                    "export_mb": round(size / 2**20, 1),
                    "generate_s": round(generated, 1) if generated is not None else None,
                    "floor_s": round(floor, 2),
                    "audit_s": round(audit, 2),
                    "ratio": round(audit / floor, 2),
                    "floor_peak_rss_mib": round(floor_rss / 1024),
                    "audit_peak_rss_mib": round(audit_rss / 1024),
                    "records": {Path(k).name: v for k, v in records.items()},
                    "progress_bar": "auditing" in stderr,
                }
            )
        )
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
