"""Batch builds (-j) and watch mode."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from deliverables.cli import cli
from deliverables.pipeline.watch import watch

CLIENT = """\
client: {{name: {name}}}
version: 1
stages:
  - {{id: mql, name: MQL, domain: lead, entry: [Score 60]}}
"""


def test_one_bad_client_does_not_stop_the_others(runner, tmp_path: Path) -> None:
    files = []
    for i in range(4):
        path = tmp_path / f"c{i}.yaml"
        path.write_text(CLIENT.format(name=f"Client {i}"))
        files.append(str(path))
    Path(files[1]).write_text("client: {name: Broken}\nversion: -1\n")
    result = runner.invoke(cli, ["build", *files, "-j", "2", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{files[1]}:2:10: version: expected a number >= 0, found '-1'" in result.stderr
    assert "3 built, 1 failed" in result.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == [
        "client-0",
        "client-2",
        "client-3",
    ]


def test_watch_survives_a_bad_edit_and_rebuilds_after_a_good_one(tmp_path: Path) -> None:
    source = tmp_path / "c.yaml"
    source.write_text(CLIENT.format(name="Watched"))
    out, err, stop = [], [], threading.Event()
    thread = threading.Thread(
        target=watch,
        args=(source, tmp_path / "out", None, out.append, err.append),
        kwargs={"interval": 0.05, "stop": stop},
    )
    thread.start()
    try:
        _wait_for(lambda: any(line.startswith("rebuilt") for line in out))
        built = tmp_path / "out" / "watched" / "v1" / "stage-summary-v1.md"
        good = built.read_bytes()
        source.write_text("client: {name: Watched}\nversion: one\n")
        _wait_for(lambda: any("kept the last good output" in line for line in err))
        assert built.read_bytes() == good
        source.write_text(CLIENT.format(name="Watched").replace("Score 60", "Score 75"))
        _wait_for(lambda: b"Score 75" in built.read_bytes())
    finally:  # a failed wait must not leave the watcher running into other tests
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert any("version: expected an integer, found 'one'" in line for line in err)


def _wait_for(condition, limit: float = 20.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)
