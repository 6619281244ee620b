"""Build many client files, optionally in parallel, without one failure stopping the rest."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from deliverables.core.errors import DeliverError, error_lines
from deliverables.pipeline.build import BuildResult, build_file
from deliverables.pipeline.workers import Kept, session_warm


@dataclass
class Outcome:
    """One client file's result: the build, or the error lines to show."""

    source: Path
    result: BuildResult | None = None
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def build_one(
    source: Path,
    out_root: Path,
    only: Sequence[str] | None,
    theme: Path | None,
    jobs: int | None = None,
    kept: Kept | None = None,
) -> Outcome:
    """Build one file, turning a user error into lines (exceptions with state do not pickle well)."""
    started = time.perf_counter()
    try:
        result = build_file(source, out_root, only, theme, jobs, kept)
    except DeliverError as exc:
        return Outcome(source, None, error_lines(exc, source), time.perf_counter() - started)
    return Outcome(source, result, [], time.perf_counter() - started)


def build_many(
    sources: Sequence[Path],
    out_root: Path,
    only: Sequence[str] | None,
    theme: Path | None,
    jobs: int = 1,
    tick: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:
    """Build every file (with `jobs` worker processes when above 1); results in input order."""
    if jobs <= 1 or len(sources) == 1:
        outcomes = []
        # One after the other; several files share a session's warm workers, one starts its own.
        with Kept(warm=session_warm(sources)) if len(sources) > 1 else contextlib.nullcontext() as kept:
            for source in sources:
                outcomes.append(build_one(source, out_root, only, theme, kept=kept))
                tick(outcomes[-1])
        return outcomes
    import multiprocessing  # only parallel builds pay for these imports
    from concurrent.futures import ProcessPoolExecutor, as_completed

    found: dict[int, Outcome] = {}
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        # Clients are the unit of parallel work here: each one renders in its own worker.
        futures = {pool.submit(build_one, s, out_root, only, theme, 1): i for i, s in enumerate(sources)}
        for future in as_completed(futures):
            found[futures[future]] = future.result()
            tick(found[futures[future]])
    return [found[i] for i in range(len(sources))]
