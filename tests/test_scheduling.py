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
