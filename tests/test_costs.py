"""The render costs a build keeps: the order the next build hands its jobs out in,
never what it writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLE

from deliverables.core import cache
from deliverables.pipeline import costs, registry, workers
from deliverables.pipeline.build import build_file


@pytest.fixture
def kept(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DELIVER_CACHE_DIR", str(folder))
    return folder / costs.KIND / costs.NAME


def _consumers(graph: dict[str, list[str]]):
    return lambda name: graph.get(name, [])


def test_a_job_ranks_with_the_longest_chain_of_work_it_starts() -> None:
    graph = {"diagram": ["kickoff", "handoff"], "kickoff": ["package"]}
    seconds = {"diagram": 0.5, "kickoff": 0.4, "handoff": 0.2, "package": 0.3, "audit": 1.0}
    rank = costs.ranks(["diagram", "kickoff", "handoff", "package", "audit"], _consumers(graph), seconds)
    assert rank == pytest.approx({"diagram": 1.2, "kickoff": 0.7, "handoff": 0.2, "package": 0.3, "audit": 1.0})


def test_a_job_never_measured_counts_as_the_median_and_consumers_outside_the_build_do_not_count() -> None:
    rank = costs.ranks(["a", "b", "c", "new"], _consumers({"c": ["elsewhere"]}), {"a": 1.0, "b": 3.0, "c": 2.0})
    assert rank == pytest.approx({"a": 1.0, "b": 3.0, "c": 2.0, "new": 2.0})
    assert costs.ranks(["a", "b"], _consumers({"a": ["b"]}), {}) == {"a": 2.0, "b": 1.0}


def test_ready_jobs_go_highest_rank_first_then_in_planning_order() -> None:
    jobs = {
        name: workers.Job(name, None, None, needs, rank=rank)
        for name, needs, rank in [
            ("summary", (), 0.1),
            ("diagram", (), 1.2),
            ("kickoff", ("diagram",), 0.7),
            ("faq", (), 0.1),
            ("audit", (), 1.5),
        ]
    }
    assert workers._ready(jobs, {}, set()) == ["audit", "diagram", "summary", "faq"]
    assert workers._ready(jobs, {"diagram": ({}, [])}, {"diagram", "audit"}) == ["kickoff", "summary", "faq"]


def test_each_figure_is_averaged_with_the_one_kept(kept: Path) -> None:
    assert costs.load() == {}
    costs.record({"diagram": 0.8, "faq": 0.1})
    costs.record({"diagram": 0.4, "training": float("nan"), "kickoff": -1.0})
    assert costs.load() == {"diagram": 0.6, "faq": 0.1}
    assert json.loads(kept.read_bytes().partition(b"\n")[2]) == {"diagram": 0.6, "faq": 0.1}


@pytest.mark.parametrize(
    "payload",
    [b"not json", b"[1, 2]", b'{"diagram": "fast", "faq": true, "kickoff": -2, "hypercare": 0.25}'],
)
def test_a_damaged_or_odd_record_counts_for_nothing(kept: Path, payload: bytes) -> None:
    cache.write(costs.KIND, costs.NAME, payload)
    assert costs.load() == ({"hypercare": 0.25} if payload.startswith(b"{") else {})
    kept.write_bytes(kept.read_bytes().replace(b"\n", b"\nX", 1))  # its checksum no longer matches
    assert costs.load() == {}


def test_a_cache_that_cannot_be_written_costs_nothing_but_the_order(tmp_path: Path, monkeypatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("DELIVER_CACHE_DIR", str(blocked))
    costs.record({"diagram": 0.5})
    assert costs.load() == {}


def test_a_build_keeps_every_rendered_deliverables_seconds(kept: Path, tmp_path: Path) -> None:
    build_file(EXAMPLE, tmp_path / "out", only=["diagram", "kickoff-deck", "faq"])
    found = costs.load()
    assert set(found) == {"diagram", "kickoff-deck", "faq"}
    assert all(seconds > 0 for seconds in found.values())


def test_what_a_build_writes_never_depends_on_the_order(kept: Path, tmp_path: Path) -> None:
    names = registry.names()
    outputs = []
    for order, figures in enumerate(
        [{n: float(i) for i, n in enumerate(names)}, {n: float(len(names) - i) for i, n in enumerate(names)}]
    ):
        cache.write(costs.KIND, costs.NAME, json.dumps(figures).encode("utf-8"))
        result = build_file(EXAMPLE, tmp_path / f"out{order}")
        assert not result.failed
        outputs.append({p.relative_to(result.folder): p.read_bytes() for p in result.folder.rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1]
