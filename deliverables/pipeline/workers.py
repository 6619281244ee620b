"""Render jobs in dependency order, in worker processes when more than one core is free.

A job is one deliverable's render call with its view and context already made.
A build starts its workers first, before the client file is even read, and
each worker imports the office and graphics libraries while the main process
parses, validates and plans: the two costs overlap instead of adding up. What
both sides use (the model, the client file's reader, the deliverables' own
modules) is imported once, before the workers are forked, so they inherit it. A job
starts once every job it consumes has finished; among the ready ones the one
with the highest rank goes first: the longest render with the work waiting on it,
as the last builds measured them (`costs`). Where workers cannot be used (one
core, threads running, a job that cannot be sent) jobs run in this process.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import pickle
import queue
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

Artefacts = dict[tuple[str, str], bytes]

WARM = (
    "deliverables.backends.word.kit",
    "deliverables.backends.slides.build",
    "deliverables.backends.pdf.card",
    "deliverables.backends.graphviz.art",
)
"""Backends a worker imports as soon as it starts, while the main process plans."""
SHARED = ("deliverables.core.context", "deliverables.core.source", "deliverables.core.validate")
"""What the main process and every worker both use: imported before the workers are
forked (with every deliverable's module, `_shared`), so that each worker inherits it
instead of importing it again while the others compete for the same cores."""
AUDIT_WARM = (*WARM, "deliverables.backends.data.audit", "deliverables.backends.data.charts:warm")
"""What the workers of a session whose clients have an audit also load once, so that no
later build pays for the audit's data libraries or its charts' (`module:function` calls
the function)."""


def session_warm(sources: Iterable[Path]) -> tuple[str, ...]:
    """What a session's workers load at start: `AUDIT_WARM` when a client file has a
    top-level `audit:` section (a hint read from its text, only ever a regular file of
    bounded size; only the start-up depends on it, and an unreadable file's build says why)."""
    from deliverables.core.errors import DeliverError
    from deliverables.core.source import read_client

    for source in sources:
        try:
            text = read_client(source).decode("utf-8", errors="replace")
        except (DeliverError, OSError):
            continue
        if re.search(r"^audit\s*:", text, re.MULTILINE):
            return AUDIT_WARM
    return WARM


@dataclass
class Job:
    """One deliverable to render: its module, view and context, and the jobs it consumes."""

    name: str
    view: Any
    ctx: Any
    needs: tuple[str, ...] = ()
    suffixes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per needed job, the suffixes of its files this job reads."""
    rank: float = 0.0
    """Its priority (`costs.ranks`): the higher, the sooner it is handed out."""


class RemoteBug(Exception):
    """A bug in a worker whose exception could not be carried back; holds its traceback."""


def cores() -> int:
    """Processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def render(job: Job, artefacts: Artefacts) -> tuple[dict[str, bytes], list[Any]]:
    """Render one job: its files and the warnings its render reported."""
    from deliverables.pipeline import registry

    ctx = replace(job.ctx, warnings=[], artefacts=artefacts)
    return registry.load(job.name).render(job.view, ctx), ctx.warnings


# ------------------------------------------------------------------ the pool


def _warm(names: tuple[str, ...] = WARM) -> None:
    _die_with_parent()
    for name in names:
        module, _, function = name.partition(":")
        # A backend whose library is missing fails later, in its own job.
        with contextlib.suppress(ImportError):
            loaded = importlib.import_module(module)
            if function:
                getattr(loaded, function)()
    # What the imports made lives as long as the worker: the garbage collector need
    # never walk it again (a render's own objects are still collected).
    gc.freeze()


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the build that forked it dies (even by SIGKILL),
    so an interrupted build never leaves workers behind."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
        if os.getppid() == 1:  # the parent died before the request took effect
            os._exit(0)


@contextmanager
def pool(size: int | None = None, kept: Kept | None = None) -> Iterator[Any]:
    """Worker processes for one build (None when rendering here is better), started at once.

    With `kept` (see `Kept`), the build uses those warm workers instead and leaves
    them running for the next build; only Ctrl-C stops them.
    """
    if kept is not None:
        workers = kept.get()
        try:
            yield workers
        except BaseException as exc:
            if not isinstance(exc, Exception):  # Ctrl-C; after a failed build they stay warm
                kept.close(now=True)
            raise
        return
    workers = _start(size)
    if workers is None:
        yield None
        return
    try:
        yield workers
    except BaseException:
        _end(workers)  # an error or Ctrl-C: nothing the workers still do is wanted
        raise
    try:
        workers.shutdown(wait=True, cancel_futures=True)
    except BaseException:  # Ctrl-C while the workers wind down
        _end(workers)
        raise


def _start(size: int | None, warm: tuple[str, ...] = WARM) -> Any:
    """A started pool of `size` workers (default: one per core), or None where forking is unsafe."""
    size = cores() if size is None else size
    usable = size > 1 and threading.active_count() == 1 and _can_fork()
    if not usable:
        return None
    _shared()
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = ProcessPoolExecutor(
        size, mp_context=multiprocessing.get_context("fork"), initializer=_warm, initargs=(warm,)
    )
    # With fork, the first submission starts every worker at once, before the
    # executor's own thread exists: they begin importing now, while we plan.
    workers.submit(int)
    return workers


class Kept:
    """Worker processes kept warm across the builds of one session (`deliver watch`, a
    batch of client files): each build renders in them instead of starting its own,
    so only the first pays for the workers' start and imports.

    Workers hold no data between builds: every job brings its view, context and
    input bytes, and what a worker remembers (font widths, parsed templates) is
    keyed by content. A pool broken by a dying worker is replaced at the next build.
    The session also remembers its audits, keyed by everything they are made of.
    """

    def __init__(self, size: int | None = None, warm: tuple[str, ...] = WARM) -> None:
        self.size = size
        self.warm = warm
        self.workers: Any = None
        self.started = False
        self.measured: dict[bytes, object] = {}
        """The session's audits, for its builds' contexts (see `Context.measured`)."""

    def get(self) -> Any:
        """The warm workers (started by the first call), or None where rendering here is better."""
        if self.workers is not None and getattr(self.workers, "_broken", False):
            _end(self.workers)  # its thread ends too, before new workers are forked
            self.workers, self.started = None, False
        if not self.started:
            self.workers, self.started = _start(self.size, self.warm), True
        return self.workers

    def close(self, now: bool = False) -> None:
        """Stop the workers once they finish what they do, or `now` (Ctrl-C)."""
        if self.workers is not None:
            try:
                if now:
                    raise KeyboardInterrupt
                self.workers.shutdown(wait=True, cancel_futures=True)
            except BaseException:
                _end(self.workers)
                if not now:
                    raise
        self.workers, self.started = None, False

    def __enter__(self) -> Kept:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(now=kind is not None and not issubclass(kind, Exception))


def _end(workers: Any) -> None:
    """Stop the workers now, without waiting for what they do, so that nothing is left
    running and the interpreter's exit never waits on them.

    The executor's own thread is waited for (briefly: its workers are already told to
    end): it closes the executor's wake-up pipe as it finishes, and if the interpreter
    exited meanwhile, its exit hook could write to that pipe as it closes and print a
    traceback after the build's clear error.
    """
    thread = getattr(workers, "_executor_manager_thread", None)
    for process in list((getattr(workers, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.terminate()
    with contextlib.suppress(Exception):
        workers.shutdown(wait=False, cancel_futures=True)
    if thread is not None and thread is not threading.current_thread():
        thread.join(30)


def _shared() -> None:
    """Import `SHARED` and every deliverable's module here, once, for the workers to
    inherit, and leave what this process holds so far to the garbage collector's
    permanent generation (`gc.freeze`): neither this process nor the workers forked
    from it walk those objects again, and the workers' copies of their pages stay shared."""
    from deliverables.pipeline import registry

    for name in SHARED:
        importlib.import_module(name)
    for name in registry.names():
        with contextlib.suppress(Exception):  # a broken module fails in its own turn, positioned
            registry.load(name)
    gc.freeze()


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


# ------------------------------------------------------------------ scheduling


Step = tuple[str, "Job | None", "dict[str, bytes] | None"]


def run(
    jobs: Mapping[str, Job],
    done: Mapping[str, dict[str, bytes]],
    workers: Any = None,
    more: Callable[[], Step | None] | None = None,
    spent: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Every job's outcome: `(files, warnings)`, or the exception it raised.

    `done` holds the files of consumed deliverables that need no rendering. A
    job whose producer failed gets the producer's exception. `more`, when
    given, plans one more deliverable per call, producers before consumers:
    `(name, job, None)` to render, `(name, None, files)` for one that needs no
    rendering, None once all are planned. With workers, planning runs in a
    thread of its own, so a slow view (the audit's) never keeps a finished
    producer's consumers from starting; an error it raises is raised here.
    `spent`, when given, receives each rendered job's processor seconds.
    """
    spent = {} if spent is None else spent
    jobs = dict(jobs)
    outcomes: dict[str, Any] = {}
    files: dict[str, dict[str, bytes]] = dict(done)
    started: set[str] = set()
    events: queue.Queue[tuple[str | None, Any, float]] = queue.Queue()
    """(job name, outcome, seconds) when a job finishes; (None, step, 0) when one more is planned."""
    running = 0
    planning = more is not None
    if more is not None and workers is not None:
        _plan_aside(more, events)
    # No more jobs are handed out than there are workers: the others wait here, so a job
    # planned later with work waiting on it (the audit) goes before those planned earlier.
    room = getattr(workers, "_max_workers", 1)
    while planning or len(outcomes) < len(jobs):
        if planning and workers is None:
            planning = _take(more(), jobs, files)
        for name in _ready(jobs, outcomes, started):
            if workers is not None and running >= room:
                break
            started.add(name)
            failed = _failed_producer(jobs[name], outcomes)
            if failed is not None:
                outcomes[name] = failed
            elif _submit(workers, jobs[name], _artefacts(jobs[name], files), events):
                running += 1
            else:
                outcomes[name], spent[name] = _here(jobs[name], _artefacts(jobs[name], files))
                _keep(name, outcomes[name], files)
        if running or (planning and workers is not None):
            name, value, seconds = events.get()
            if name is None:
                if isinstance(value, BaseException):
                    raise value
                planning = _take(value, jobs, files)
                continue
            running -= 1
            outcomes[name] = value
            if seconds:
                spent[name] = seconds
            _keep(name, value, files)
    return outcomes


def _plan_aside(more: Callable[[], Step | None], events: queue.Queue) -> None:
    """Call `more` until it is done, in a thread, each step (or the error) put on `events`."""

    def plan() -> None:
        try:
            while True:
                step = more()
                events.put((None, step, 0.0))
                if step is None:
                    return
        except BaseException as exc:  # raised by `run`, in the build's own thread
            events.put((None, exc, 0.0))

    threading.Thread(target=plan, name="deliver-plan", daemon=True).start()


def _take(step: Step | None, jobs: dict[str, Job], files: dict[str, dict[str, bytes]]) -> bool:
    """Add one planned deliverable; False once every one is planned."""
    if step is None:
        return False
    name, job, kept = step
    if job is None:
        files[name] = kept or {}
    else:
        jobs[name] = job
    return True


def _ready(jobs: Mapping[str, Job], outcomes: dict[str, Any], started: set[str]) -> list[str]:
    ready = [n for n in jobs if n not in started and all(d in outcomes or d not in jobs for d in jobs[n].needs)]
    # Highest rank first (the longest work it starts), then in planning order.
    return sorted(ready, key=lambda n: -jobs[n].rank)


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


def _keep(name: str, outcome: Any, files: dict[str, dict[str, bytes]]) -> None:
    if not isinstance(outcome, BaseException):
        files[name] = outcome[0]


def _here(job: Job, artefacts: Artefacts) -> tuple[Any, float]:
    """The job's outcome, rendered in this thread, and the processor seconds it took."""
    started = time.thread_time()
    try:
        outcome = render(job, artefacts)
    except Exception as exc:
        outcome = exc
    return outcome, time.thread_time() - started


def _submit(workers: Any, job: Job, artefacts: Artefacts, finished: queue.Queue) -> bool:
    """Hand the job to a worker; False when it cannot be sent (then it runs here)."""
    if workers is None:
        return False
    try:
        payload = pickle.dumps((job, artefacts))
    except Exception:
        return False

    def done(future: Any) -> None:
        try:
            _, outcome, seconds = future.result()
            finished.put((job.name, outcome, seconds))
        except Exception as exc:
            finished.put((job.name, RemoteBug(f"the worker rendering '{job.name}' stopped: {exc!r}"), 0.0))

    try:
        workers.submit(_work, payload).add_done_callback(done)
    except RuntimeError:  # the pool broke earlier in this build: render here
        return False
    return True


def _work(payload: bytes) -> tuple[str, Any, float]:
    """In a worker: render one job; exceptions come back as values, with the seconds spent."""
    job, artefacts = pickle.loads(payload)
    outcome, seconds = _here(job, artefacts)
    if not isinstance(outcome, BaseException):
        return "ok", outcome, seconds
    try:
        pickle.loads(pickle.dumps(outcome))
        return "error", outcome, seconds
    except Exception:
        return "error", RemoteBug("".join(traceback.format_exception(outcome))), seconds
