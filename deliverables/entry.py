"""The `deliver` executable.

`deliver build FILE...` on files that are already built answers before the CLI
framework is even imported: an architect re-running the build during a meeting
pays little more than Python's start-up. Everything else goes to `cli.main`.
"""

from __future__ import annotations

import gc
import os
import stat
import sys
from pathlib import Path

COLLECT_EVERY = (100_000, 50, 100)
"""Python's cyclic garbage collector runs after this many more allocations than frees
(then every 50th run looks at older objects, every 100th of those at all): a build
allocates millions of short-lived objects, nearly all freed by reference counting,
and at Python's default (700, 10, 10) the collector walked the whole heap of imported
libraries again and again: 0.5 to 0.8 s of a cold build's processor time, against
under 0.1 s now. Cycles are still collected, later."""


def _already_built(args: list[str]) -> list[str] | None:
    """The report lines when every file of a plain `build` is up to date, else None."""
    files, out_root = [], Path("output")
    rest = iter(args)
    for arg in rest:
        if arg == "--out":
            out_root = Path(next(rest, ""))
        elif arg.startswith("--out="):
            out_root = Path(arg[len("--out=") :])
        elif arg.startswith("-") or not arg:
            return None  # any other option: let the full CLI handle it
        else:
            files.append(Path(arg))
    if not files or not str(out_root):
        return None
    from deliverables.pipeline import incremental, registry

    lines = []
    for source in dict.fromkeys(files):
        try:
            if not stat.S_ISREG(os.stat(source).st_mode):
                return None  # a FIFO or a device: the full CLI says what is wrong, without reading it
            raw = source.read_bytes()
        except OSError:
            return None
        folder = incremental.up_to_date(source, raw, out_root, registry.names(), None)
        if folder is None:
            return None
        lines.append(f"up to date: {source} -> {folder}")
    return lines


def main() -> None:
    """Run `deliver`."""
    gc.set_threshold(*COLLECT_EVERY)
    args = sys.argv[1:]
    if args[:1] == ["build"]:
        lines = _already_built(args[1:])
        if lines is not None:
            sys.stdout.write("".join(f"{line}\n" for line in lines))
            return
    from deliverables.cli import main as cli_main

    cli_main(args)
