"""Render jobs in dependency order, in worker processes when more than one core is free.

A job is a deliverable's render call with its view and context already made.
Workers are forked after the jobs are set up, so they inherit them and only a
name and the consumed artefacts' bytes cross the process boundary. A job
starts once every job it consumes has finished; among the ready ones the one
with most work waiting on it goes first.
"""

from __future__ import annotations

import os
import pickle
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Artefacts = dict[tuple[str, str], bytes]
Render = Callable[[Artefacts], tuple[dict[str, bytes], list[Any]]]


@dataclass
class Job:
    """One deliverable to render: the call, and the jobs whose files it consumes."""

    render: Render
    needs: tuple[str, ...] = ()
    suffixes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per needed job, the suffixes of its files this job reads."""


_JOBS: dict[str, Job] = {}
"""The jobs of the running `run` call, set before workers fork; read only by them."""


class RemoteBug(Exception):
    """A bug in a worker whose exception could not be carried back; holds its traceback."""


def cores() -> int:
    """Processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run(jobs: Mapping[str, Job], done: Mapping[str, dict[str, bytes]], workers: int) -> dict[str, Any]:
    """Every job's outcome: `(files, warnings)`, or the exception it raised.

    `done` holds the files of consumed deliverables that need no rendering.
    A job whose producer failed gets the producer's exception.
    """
    if workers > 1 and len(jobs) > 1 and threading.active_count() == 1 and _can_fork():
        return _parallel(jobs, done, workers)
    return _serial(jobs, done)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _ready(jobs: Mapping[str, Job], outcomes: dict[str, Any], started: set[str]) -> list[str]:
    ready = [n for n in jobs if n not in started and all(d in outcomes or d not in jobs for d in jobs[n].needs)]
    return sorted(ready, key=lambda n: -_waiting(n, jobs))


def _waiting(name: str, jobs: Mapping[str, Job]) -> int:
    return sum(name in job.needs for job in jobs.values())


def _artefacts(job: Job, files: Mapping[str, dict[str, bytes]]) -> Artefacts:
    found: Artefacts = {}
    for producer in job.needs:
        for file_name, data in files.get(producer, {}).items():
            for suffix in job.suffixes.get(producer, ()):
                if file_name.endswith(suffix):
                    found[(producer, suffix)] = data
    return found


def _failed_producer(job: Job, outcomes: dict[str, Any]) -> BaseException | None:
    for producer in job.needs:
        if isinstance(outcomes.get(producer), BaseException):
            return outcomes[producer]
    return None


def _serial(jobs: Mapping[str, Job], done: Mapping[str, dict[str, bytes]]) -> dict[str, Any]:
    outcomes: dict[str, Any] = {}
    files: dict[str, dict[str, bytes]] = dict(done)
    started: set[str] = set()
    while len(started) < len(jobs):
        name = _ready(jobs, outcomes, started)[0]
        started.add(name)
        failed = _failed_producer(jobs[name], outcomes)
        if failed is not None:
            outcomes[name] = failed
            continue
        try:
            outcomes[name] = jobs[name].render(_artefacts(jobs[name], files))
            files[name] = outcomes[name][0]
        except Exception as exc:
            outcomes[name] = exc
    return outcomes


def _work(name: str, artefacts: Artefacts) -> tuple[str, Any]:
    """In a worker: render one job; exceptions come back as values."""
    try:
        return "ok", _JOBS[name].render(artefacts)
    except Exception as exc:
        try:
            pickle.loads(pickle.dumps(exc))
            return "error", exc
        except Exception:
            return "error", RemoteBug("".join(traceback.format_exception(exc)))


def _parallel(jobs: Mapping[str, Job], done: Mapping[str, dict[str, bytes]], workers: int) -> dict[str, Any]:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    _JOBS.clear()
    _JOBS.update(jobs)
    outcomes: dict[str, Any] = {}
    files: dict[str, dict[str, bytes]] = dict(done)
    started: set[str] = set()
    running: dict[Any, str] = {}
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
            while len(outcomes) < len(jobs):
                for name in _ready(jobs, outcomes, started):
                    started.add(name)
                    failed = _failed_producer(jobs[name], outcomes)
                    if failed is not None:
                        outcomes[name] = failed
                        continue
                    running[pool.submit(_work, name, _artefacts(jobs[name], files))] = name
                if not running:
                    continue
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    name = running.pop(future)
                    try:
                        status, value = future.result()
                    except BrokenProcessPool as exc:  # a worker died (killed, or crashed in native code)
                        status, value = "error", RemoteBug(f"the worker rendering '{name}' stopped: {exc}")
                    outcomes[name] = value
                    if status == "ok":
                        files[name] = value[0]
    finally:
        _JOBS.clear()
    return outcomes
