"""The build renders while it plans: a slow view never holds back the jobs already planned."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLE

from deliverables.core.errors import InputError
from deliverables.pipeline import graph, workers
from deliverables.pipeline.build import context

NAMES = ["diagram", "refinement-deck", "faq"]


@pytest.fixture
def pool() -> Iterator[object]:
    with workers.pool(2) as found:
        if found is None:
            pytest.skip("worker processes cannot be used here (one core, or threads already running)")
        yield found


def test_a_consumer_starts_while_a_later_view_is_still_planned(pool, monkeypatch) -> None:
    ctx = context(EXAMPLE)
    first, consumer, last = graph.plan(ctx, NAMES)
    assert consumer.needs == ("diagram",)
    submitted = threading.Event()
    real_submit = workers._submit

    def submit(pool_, job, artefacts, events):
        if job.name == consumer.name:
            assert artefacts, "the deck is handed the diagram's picture"
            submitted.set()
        return real_submit(pool_, job, artefacts, events)

    monkeypatch.setattr(workers, "_submit", submit)

    def slow_planning() -> Iterator[graph.Node]:
        yield first
        yield consumer
        # The last view only finishes once the deck, which waits for the diagram, was
        # started: a scheduler that planned everything first would never get there.
        assert submitted.wait(120), "the deck did not start while the last view was planned"
        yield last

    produced = graph.produce(slow_planning(), None, pool)
    assert list(produced) == NAMES
    assert all(item.failure is None and item.files for item in produced.values())
    assert produced["refinement-deck"].record["consumes"] == {"diagram": first.key}


def test_an_error_while_planning_is_raised_once_the_running_jobs_are_handed_back(pool) -> None:
    ctx = context(EXAMPLE)
    (first,) = graph.plan(ctx, ["diagram"])

    def failing() -> Iterator[graph.Node]:
        yield first
        raise InputError([])

    with pytest.raises(InputError):
        graph.produce(failing(), None, pool)


def test_without_workers_planning_and_rendering_take_turns(tmp_path: Path) -> None:
    ctx = context(EXAMPLE)
    order: list[str] = []

    def planning() -> Iterator[graph.Node]:
        for node in graph.planned(ctx, NAMES):
            order.append(f"plan {node.name}")
            yield node

    real_render = workers.render

    def render(job, artefacts):
        order.append(f"render {job.name}")
        return real_render(job, artefacts)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workers, "render", render)
        produced = graph.produce(planning(), None, None)
    assert list(produced) == NAMES
    assert order == [
        "plan diagram",
        "render diagram",
        "plan refinement-deck",
        "render refinement-deck",
        "plan faq",
        "render faq",
    ]


def test_the_audit_is_measured_in_a_worker_while_the_other_views_are_made(pool) -> None:
    from deliverables.backends import data

    ctx = context(EXAMPLE)
    planning = graph.planned(ctx, ["summary", "current-state-audit"], pool)
    first = next(planning)
    assert first.name == "summary"
    (early,) = ctx.measured.values()
    assert isinstance(early, data.Early), "the measurement was handed to a worker before the first view"
    audit = next(planning)
    assert audit.name == "current-state-audit"
    (measured,) = ctx.measured.values()
    assert measured.__class__.__name__ == "Result"
    here = context(EXAMPLE)
    (alone,) = graph.plan(here, ["current-state-audit"])
    assert audit.view == alone.view and audit.key == alone.key, "the worker's audit is the one measured here"


def test_a_measurement_that_fails_in_the_worker_is_made_again_where_the_view_is(monkeypatch) -> None:
    from concurrent.futures import Future

    from deliverables.backends import data

    ctx = context(EXAMPLE)
    (alone,) = graph.plan(context(EXAMPLE), ["current-state-audit"])
    broken: Future = Future()
    broken.set_exception(RuntimeError("the worker stopped"))
    monkeypatch.setattr(data, "_measured", lambda project, document: None)
    for outcome in (broken, _done(None)):
        ctx = context(EXAMPLE)
        planning = graph.planned(ctx, ["current-state-audit"], _Submits(outcome))
        (node,) = planning
        assert node.view == alone.view


def _done(value: object):
    from concurrent.futures import Future

    future: Future = Future()
    future.set_result(value)
    return future


class _Submits:
    """A stand-in pool whose every submission gives the same finished future."""

    def __init__(self, future: object) -> None:
        self.future = future

    def submit(self, function, *args):
        return self.future


def test_kept_workers_serve_every_build_of_a_session_and_stop_with_it(tmp_path: Path) -> None:
    from deliverables.pipeline.build import build_file

    source = tmp_path / "acme.yaml"
    source.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    _threads_ended()
    with workers.Kept(2) as kept:
        if kept.get() is None:
            pytest.skip("worker processes cannot be used here (one core, or threads already running)")
        processes = dict(kept.workers._processes)
        first = build_file(source, tmp_path / "out", only=["diagram", "definition-alignment"], kept=kept)
        source.write_text(source.read_text(encoding="utf-8").replace("definition:", "definition: Revised.", 1))
        second = build_file(source, tmp_path / "out", only=["diagram", "definition-alignment"], kept=kept)
        assert second.rebuilt and not second.up_to_date
        assert dict(kept.workers._processes) == processes, "the second build rendered in the same workers"
        assert all(p.is_alive() for p in processes.values())
    assert kept.workers is None
    for process in processes.values():
        assert _ended(process.pid), "closing the session stops its workers"
    alone = build_file(source, tmp_path / "alone", only=["diagram", "definition-alignment"], jobs=1)
    for name in second.files:
        assert (second.folder / name).read_bytes() == (alone.folder / name).read_bytes(), name
    assert first.folder == second.folder


def test_a_broken_kept_pool_is_replaced_at_the_next_build() -> None:
    _threads_ended()
    with workers.Kept(2) as kept:
        pool = kept.get()
        if pool is None:
            pytest.skip("worker processes cannot be used here (one core, or threads already running)")
        for process in list(pool._processes.values()):
            process.kill()
            process.join(30)
        with pytest.raises(Exception):  # noqa: B017 - whichever error the broken pool raises
            pool.submit(int).result(timeout=60)
        assert kept.get() is not pool
        assert kept.get().submit(int).result(timeout=60) == 0


def test_what_the_imports_made_is_left_to_the_collectors_permanent_generation() -> None:
    """The garbage collector walks neither the libraries a worker imported nor what the
    main process held when it forked them; the `deliver` executable collects less often."""
    import subprocess
    import sys

    code = """if True:
        import gc, sys
        from deliverables import entry
        from deliverables.pipeline import workers
        assert gc.get_freeze_count() == 0, "a fresh process"
        with workers.pool(2) as pool:
            if pool is None:
                print("no workers")
                raise SystemExit(0)
            held = gc.get_freeze_count()
            warm = pool.submit(gc.get_freeze_count).result(timeout=120)
            print(held > 10_000, warm > held)
        sys.argv = ["deliver", "--version"]
        try:
            entry.main()
        except SystemExit:
            pass
        print(gc.get_threshold() == entry.COLLECT_EVERY)
    """
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    if out.stdout.strip() == "no workers":
        pytest.skip("worker processes cannot be used here (one core)")
    lines = out.stdout.splitlines()
    assert (lines[0], lines[-1]) == ("True True", "True"), out.stdout


def test_workers_inherit_what_the_main_process_imports_for_both() -> None:
    """The model, the client file's reader and the deliverables' modules are imported once,
    before the workers are forked: none of the backends the workers warm up imports the
    validator, so a worker of a fresh process that holds it has it from the main process."""
    import subprocess
    import sys

    code = """if True:
        import sys
        from deliverables.pipeline import workers
        names = (*workers.SHARED, "deliverables.documents.faq", "deliverables.documents.card")
        assert not any(n in sys.modules for n in names), "a fresh process"
        with workers.pool(2) as pool:
            if pool is None:
                print("no workers")
                raise SystemExit(0)
            asked = "[n for n in __import__('sys').modules if n in names]"
            print(sorted(pool.submit(eval, asked, {"names": names}).result(timeout=120)) == sorted(names))
    """
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    if out.stdout.strip() == "no workers":
        pytest.skip("worker processes cannot be used here (one core)")
    assert out.stdout.strip() == "True"


def test_workers_stopped_by_an_error_leave_nothing_for_the_exit_to_trip_on() -> None:
    """A failed build's workers are stopped with their executor's thread, so the
    interpreter's exit hook never writes to a wake-up pipe that thread is closing
    (that race printed a traceback under the build's clear error)."""
    _threads_ended()
    with pytest.raises(InputError), workers.pool(2) as pool:
        if pool is None:
            pytest.skip("worker processes cannot be used here (one core, or threads already running)")
        thread, wakeup = pool._executor_manager_thread, pool._executor_manager_thread_wakeup
        processes = list(pool._processes.values())
        pool.submit(sum, [1, 2]).result(timeout=60)
        raise InputError([])
    assert not thread.is_alive(), "the executor's thread ended before the error went on"
    assert all(not p.is_alive() for p in processes)
    assert wakeup._closed, "its wake-up pipe is closed: the exit hook leaves it alone"


def _threads_ended() -> None:
    """Wait for the threads earlier tests' pools leave winding down (workers fork only without threads)."""
    for thread in threading.enumerate():
        if thread is not threading.main_thread():
            thread.join(30)


def _ended(pid: int, seconds: float = 30.0) -> bool:
    """Whether the process has exited (gone, or a zombie not yet reaped) within `seconds`."""
    import time

    stat = Path(f"/proc/{pid}/stat")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = stat.read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def test_a_session_measures_the_audit_again_only_when_what_it_reads_changes(tmp_path: Path, monkeypatch) -> None:
    from conftest import with_exports

    from deliverables.backends.data import audit
    from deliverables.pipeline.build import build_file

    source = with_exports(tmp_path) / "acme.yaml"
    source.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    measured: list[int] = []
    real_run = audit.run

    def run(project, document, progress=None):
        measured.append(1)
        return real_run(project, document, progress)

    monkeypatch.setattr(audit, "run", run)
    only = ["current-state-audit"]
    folder = tmp_path / "out" / "acme-analytics" / "v1"
    with workers.Kept(1) as kept:  # one worker: in this process, where the count is seen
        build_file(source, tmp_path / "out", only=only, kept=kept)
        assert len(measured) == 1
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace("definition: >-", "definition: >-\n      Revised.", 1), encoding="utf-8")
        again = build_file(source, tmp_path / "out", only=only, kept=kept)
        assert again.rebuilt == ["current-state-audit"], "the document shows the definitions"
        assert len(measured) == 1, "prose changed: the session's audit is reused"
        reused = (folder / "audit-v1.json").read_bytes()
        source.write_text(source.read_text(encoding="utf-8").replace("default: 90, sql: 30", "default: 60, sql: 30"))
        build_file(source, tmp_path / "out", only=only, kept=kept)
        assert len(measured) == 2, "what the audit reads changed: measured again"
    source.write_text(source.read_text(encoding="utf-8").replace("default: 60, sql: 30", "default: 90, sql: 30"))
    fresh = build_file(source, tmp_path / "fresh", only=only, jobs=1)
    assert (fresh.folder / "audit-v1.json").read_bytes() == reused


def test_a_broken_pool_leaves_the_measurement_to_the_view() -> None:
    from concurrent.futures.process import BrokenProcessPool

    class Broken:
        def submit(self, function, *args):
            raise BrokenProcessPool("a worker died")

    ctx = context(EXAMPLE)
    (node,) = graph.planned(ctx, ["current-state-audit"], Broken())
    (alone,) = graph.plan(context(EXAMPLE), ["current-state-audit"])
    assert node.view == alone.view


def test_a_session_loads_the_audit_libraries_only_for_clients_with_an_audit(tmp_path: Path) -> None:
    import os

    plain = tmp_path / "plain.yaml"
    plain.write_text("client: {name: Plain}\n# audit: later\n", encoding="utf-8")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    assert workers.session_warm([plain]) == workers.WARM
    assert workers.session_warm([fifo, tmp_path / "missing.yaml"]) == workers.WARM, "never waits on a FIFO"
    assert workers.session_warm([plain, EXAMPLE]) == workers.AUDIT_WARM
