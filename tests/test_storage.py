"""The version folder's atomic replacement: every file is on disk before the swap."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from deliverables.core.errors import OutputError
from deliverables.pipeline import storage

FILES = {f"doc-{i:02d}.docx": bytes([i]) * (i + 1) for i in range(20)} | {"crm/hubspot/a.json": b"{}"}


def test_every_file_is_flushed_before_the_folder_is_swapped_in(tmp_path: Path, monkeypatch) -> None:
    flushed: set[int] = set()
    real_fsync = os.fsync

    def recording(fd: int) -> None:
        flushed.add(os.fstat(fd).st_ino)
        real_fsync(fd)

    seen: dict[str, set[int]] = {}
    real_swap = storage._swap

    def swap(staging: Path, target: Path) -> None:
        seen["files"] = {p.stat().st_ino for p in staging.rglob("*") if p.is_file()}
        seen["flushed"] = set(flushed)
        real_swap(staging, target)

    monkeypatch.setattr(os, "fsync", recording)
    monkeypatch.setattr(storage, "_swap", swap)
    threads = threading.active_count()
    storage.write_tree(tmp_path / "v1", FILES)
    assert len(seen["files"]) == len(FILES) and seen["files"] <= seen["flushed"]
    assert {str(p.relative_to(tmp_path / "v1")) for p in (tmp_path / "v1").rglob("*") if p.is_file()} == set(FILES)
    assert threading.active_count() == threads  # the flushing threads are gone: workers may be forked again


def test_a_file_that_cannot_be_flushed_fails_the_write_and_keeps_the_old_folder(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "v1"
    storage.write_tree(target, {"old.docx": b"old"})
    real_fsync = os.fsync

    def failing(fd: int) -> None:
        if os.fstat(fd).st_size == 7:  # doc-06.docx
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(OutputError, match=r"cannot write .*Input/output error"):
        storage.write_tree(target, FILES)
    assert [p.name for p in target.iterdir()] == ["old.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v1"]  # no staging folder left
