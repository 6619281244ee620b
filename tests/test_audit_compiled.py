"""The audit's SQL is compiled once per distinct expression tree and kept: a kept text
is only ever used for the very tree it was made from, in any process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import ibis
import pytest

from deliverables.backends.data import compiled
from deliverables.core.source import load_document
from deliverables.core.validate import validate_document

CLIENT = Path(__file__).parent / "cases" / "audit" / "client.yaml"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("DELIVER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(compiled, "_seen", {})
    return tmp_path / "cache"


def _tree(stage: str, limit: int = 5) -> ibis.Table:
    t = ibis.table({"id": "string", "stage": "string", "n": "int64"}, name="export_0")
    kept = t.filter((t.stage == stage) & t.id.isin(["a", "b"]))
    return kept.group_by("stage").agg(n=kept.n.sum()).limit(limit)


def test_a_tree_is_compiled_once_then_its_sql_is_reused() -> None:
    calls: list[object] = []

    def compile_(expr) -> str:
        calls.append(expr)
        return ibis.to_sql(expr, dialect="duckdb")

    first = compiled.sql(_tree("mql"), compile_, "duckdb")
    compiled._seen.clear()  # a new process: the kept text comes from the user cache
    again = compiled.sql(_tree("mql"), compile_, "duckdb")
    assert first == again == ibis.to_sql(_tree("mql"), dialect="duckdb")
    assert len(calls) == 1


def test_any_difference_in_the_tree_is_another_fingerprint() -> None:
    prints = {
        compiled.fingerprint(_tree("mql").op(), "duckdb"),
        compiled.fingerprint(_tree("sql").op(), "duckdb"),
        compiled.fingerprint(_tree("mql", 6).op(), "duckdb"),
        compiled.fingerprint(_tree("mql").op(), "postgres"),
    }
    assert len(prints) == 4
    assert compiled.fingerprint(_tree("mql").op(), "duckdb") == compiled.fingerprint(_tree("mql").op(), "duckdb")


def test_the_fingerprint_is_the_same_in_every_process() -> None:
    """String hashing differs from process to process; the fingerprint may not."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import test_audit_compiled as t;"
        "from deliverables.backends.data import compiled;"
        "print(compiled.fingerprint(t._tree('mql').op(), 'duckdb'))"
    )
    found = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent)], env=env, capture_output=True)
        assert out.returncode == 0, out.stderr
        found.add(out.stdout.strip())
    assert len(found) == 1


def test_a_tree_holding_what_the_fingerprint_cannot_spell_is_compiled_every_time(monkeypatch) -> None:
    class Opaque:
        pass

    real = compiled._digest

    def digest(value, digests):
        if isinstance(value, str) and value == "mql":
            return real(Opaque(), digests)
        return real(value, digests)

    monkeypatch.setattr(compiled, "_digest", digest)
    calls = []
    for _ in range(2):
        compiled.sql(_tree("mql"), lambda e: calls.append(e) or "SELECT 1", "duckdb")
    assert len(calls) == 2


def test_an_audit_from_kept_sql_equals_a_freshly_compiled_one(_own_cache: Path, monkeypatch) -> None:
    from ibis.backends.duckdb import Backend

    from deliverables.backends.data import audit

    doc = load_document(CLIENT, None)
    project = validate_document(doc)
    fresh = audit.run(project, doc)
    assert any((_own_cache / compiled.KIND).iterdir()), "the compiled SQL was kept"
    compiled._seen.clear()

    def no_compiling(self, *args, **kwargs):
        raise AssertionError("every expression of the same audit is compiled already")

    monkeypatch.setattr(Backend, "compile", no_compiling)
    kept = audit.run(project, doc)
    assert kept == fresh
