"""`deliver watch`: rebuild on save, keep the last good output through bad edits."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from deliverables.core.errors import DeliverError, error_lines
from deliverables.pipeline.build import BuildResult, build_file
from deliverables.pipeline.workers import Kept, session_warm

Echo = Callable[[str], None]


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def rebuild(
    source: Path, out_root: Path, theme: Path | None, echo: Echo, err: Echo, kept: Kept | None = None
) -> BuildResult | None:
    """One rebuild, reported; a user error is shown and the previous output stays."""
    started = time.perf_counter()
    try:
        result = build_file(source, out_root, None, theme, kept=kept)
    except DeliverError as exc:
        for line in error_lines(exc, source):
            err(line)
        err("kept the last good output; waiting for the next save")
        return None
    elapsed = time.perf_counter() - started
    if result.up_to_date:
        echo(f"up to date ({elapsed:.2f} s)")
    else:
        what = ", ".join(result.rebuilt) or "nothing"
        echo(f"rebuilt {what} -> {result.folder} in {elapsed:.2f} s")
    for warning in result.warnings:
        err(str(warning))
    for name, reason in sorted(result.failed.items()):
        err(f"{source}: error: {name} failed, its last good files kept: {reason}")
    return result


def watch(
    source: Path,
    out_root: Path,
    theme: Path | None,
    echo: Echo,
    err: Echo,
    interval: float = 0.25,
    stop: threading.Event | None = None,
) -> None:
    """Poll `source` and rebuild after each save until interrupted (or `stop` is set).

    The rebuilds share warm worker processes, so a save costs only the rendering."""
    echo(f"watching {source} (Ctrl-C to stop)")
    with Kept(warm=session_warm([source])) as kept:
        _watch(source, out_root, theme, echo, err, interval, stop, kept)


def _watch(
    source: Path,
    out_root: Path,
    theme: Path | None,
    echo: Echo,
    err: Echo,
    interval: float,
    stop: threading.Event | None,
    kept: Kept,
) -> None:
    last = _stamp(source)
    rebuild(source, out_root, theme, echo, err, kept)
    while stop is None or not stop.is_set():
        time.sleep(interval)
        stamp = _stamp(source)
        if stamp is None:
            if last is not None:
                err(f"{source} was deleted or renamed; the last good output stays, waiting for it to return")
            last = None
            continue
        if stamp == last:
            continue
        if last is None:
            echo(f"{source} is back")
        time.sleep(interval / 2)  # let the editor finish writing
        last = _stamp(source)
        echo(f"{source} changed")
        rebuild(source, out_root, theme, echo, err, kept)
