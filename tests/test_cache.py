"""The user cache of template data, compiled wording and font widths: a damaged or
stale entry is never used, and what JSON cannot carry exactly is not cached."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from deliverables.core import cache


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("DELIVER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_an_entry_is_made_once_then_read_back() -> None:
    calls = []
    make = lambda: calls.append(1) or b"payload"  # noqa: E731
    assert cache.cached("kind", "a", make) == b"payload"
    assert cache.cached("kind", "a", make) == b"payload"
    assert calls == [1]


def test_a_damaged_entry_is_made_again_and_rewritten(_own_cache: Path) -> None:
    cache.cached("kind", "a", lambda: b"good")
    entry = _own_cache / "kind" / "a"
    entry.write_bytes(entry.read_bytes()[:-1] + b"X")
    assert cache.cached("kind", "a", lambda: b"good") == b"good"
    assert entry.read_bytes().endswith(b"\ngood")


def test_data_json_would_change_is_returned_but_not_cached(_own_cache: Path) -> None:
    value = {"when": dt.date(2026, 1, 5)}
    assert cache.cached_json("kind", "d", lambda: value) == value
    assert cache.cached_json("kind", "k", lambda: {1: "one"}) == {1: "one"}
    assert not (_own_cache / "kind" / "d").exists() and not (_own_cache / "kind" / "k").exists()


def test_an_unwritable_cache_only_costs_time(_own_cache: Path) -> None:
    _own_cache.parent.mkdir(exist_ok=True)
    _own_cache.write_text("a file where the folder should be")
    assert cache.cached("kind", "a", lambda: b"made") == b"made"


def test_compiled_wording_from_the_cache_renders_like_a_fresh_compile() -> None:
    from deliverables.documents.words import templates

    source = "{% macro hi(n) %}{{ n }} stage{{ 's' if n != 1 }}{% endmacro %}{{ hi(3) }}, {{ hi(1) }}"
    fresh = templates.compiled(source).render()
    templates.compiled.cache_clear()
    assert templates.compiled(source).render() == fresh == "3 stages, 1 stage"
