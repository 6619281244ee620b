"""What each deliverable's render costs, as the last builds measured it: the order in
which a build hands its jobs to the workers.

A build with two workers ends when the later of them finishes, so the longest
renders should start first and the short ones fill in at the end (longest
processing time first); a render others wait for (the diagram the decks embed)
counts with the work waiting on it. Every rendered job's processor seconds are
kept in the per-user cache (`core.cache`), each new figure averaged with the
one kept, so one slow build (a loaded machine) moves the order only halfway.
The figures only ever choose an order: what a build writes never depends on them,
and where none is kept (a first build, an unwritable cache) every job counts the
same and the order is the dependency order.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Iterable, Mapping

from deliverables.core import cache

KIND = "render-costs"
NAME = "seconds.json"
KEPT = 64
"""Deliverables whose figure is kept, at most (the registry holds far fewer)."""


def load() -> dict[str, float]:
    """Each deliverable's kept render seconds; {} where none are kept or the entry is unusable."""
    data = cache.read(KIND, NAME)
    if data is None:
        return {}
    try:
        found = json.loads(data)
    except ValueError:
        return {}
    if not isinstance(found, dict):
        return {}
    return {
        str(name): float(value)
        for name, value in found.items()
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0
    }


def record(spent: Mapping[str, float]) -> None:
    """Average this build's measured render seconds into the kept ones."""
    if not spent:
        return
    kept = load()
    for name, seconds in spent.items():
        if not math.isfinite(seconds) or seconds < 0:
            continue
        before = kept.get(name)
        kept[name] = round(seconds if before is None else (before + seconds) / 2, 4)
    if len(kept) > KEPT:  # names of deliverables no longer registered pile up otherwise
        kept = dict(sorted(kept.items(), key=lambda item: item[0] not in spent)[:KEPT])
    cache.write(KIND, NAME, json.dumps(kept, sort_keys=True).encode("utf-8"))


def ranks(
    names: Iterable[str], consumers: Callable[[str], Iterable[str]], kept: Mapping[str, float]
) -> dict[str, float]:
    """Each job's priority: its expected seconds plus the largest priority among the
    jobs that consume its files (the longest chain of work it starts). A job never
    measured counts as the median of those that were, or 1 when none was."""
    names = list(names)
    known = [kept[n] for n in names if n in kept]
    default = statistics.median(known) if known else 1.0
    rank: dict[str, float] = {}

    def of(name: str, path: tuple[str, ...]) -> float:
        if name in rank:
            return rank[name]
        if name in path:  # a circle is refused when the graph is made; never loop here
            return 0.0
        after = [of(c, (*path, name)) for c in consumers(name) if c in wanted]
        rank[name] = kept.get(name, default) + max(after, default=0.0)
        return rank[name]

    wanted = set(names)
    for name in names:
        of(name, ())
    return rank
