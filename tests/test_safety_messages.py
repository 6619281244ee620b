"""Messages and interruptions: a watched file that goes away, Ctrl-C during a
build, invisible characters in keys, usage errors."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from safety_support import COMMAND, assert_user_error, client, deliver, env, leftovers, start, write

LIMIT = 600


def _wait_for(predicate, limit: float = LIMIT) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


# ---------------------------------------------------------------- 19. watch on delete and rename


def test_watch_says_when_the_file_goes_away_and_resumes_when_it_returns(tmp_path: Path) -> None:
    source = write(tmp_path / "acme.yaml", client())
    proc = start("watch", "acme.yaml", "--out", "out", cwd=tmp_path)
    try:
        folder = tmp_path / "out" / "acme" / "v1"
        assert _wait_for(lambda: (folder / "manifest.json").is_file())
        source.rename(tmp_path / "moved.yaml")
        time.sleep(2)
        (tmp_path / "moved.yaml").rename(source)
        write(source, client(version=2))
        assert _wait_for(lambda: (tmp_path / "out" / "acme" / "v2" / "manifest.json").is_file())
    finally:
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=LIMIT)
    assert "acme.yaml was deleted or renamed" in err, err
    assert "Traceback" not in err


# ---------------------------------------------------------------- 19. one Ctrl-C never leaves a staging folder


def test_ctrl_c_during_a_build_leaves_no_staging_folder(tmp_path: Path) -> None:
    write(tmp_path / "acme.yaml", client())
    for delay in (1.0, 2.5, 4.0):
        proc = start("build", "acme.yaml", "--out", "out", cwd=tmp_path)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=LIMIT)
        assert "Traceback" not in err, err
        if (tmp_path / "out").exists():
            assert leftovers(tmp_path / "out") == []
        write(tmp_path / "acme.yaml", client(definition=f"Plain text {delay}."))


# ---------------------------------------------------------------- 19. invisible characters in keys


def test_confirm_sets_a_status_key_typed_with_invisible_characters(tmp_path: Path) -> None:
    """`status\\u00a0:` and `\\u200bstatus:` are the key `status`: confirm changes their
    values instead of adding a second `status` and reporting a duplicate on a wrong line."""
    text = client().replace("    owner: marketing\n", "    owner: marketing\n    status\u00a0: assumed\n")
    text = text.replace("    owner: sales\n", "    owner: sales\n    \u200bstatus: assumed\n")
    path = write(tmp_path / "acme.yaml", text)
    result = deliver("confirm", "acme.yaml", "mql", "sql", cwd=tmp_path)
    assert result.returncode == 0 and "duplicate" not in result.stderr, result.stderr
    after = path.read_text(encoding="utf-8")
    assert "    status\u00a0: confirmed\n" in after and "    \u200bstatus: confirmed\n" in after
    assert after.count("status") == text.count("status") + 1  # only the term, which had none, gains one
    assert deliver("check", "acme.yaml", cwd=tmp_path).returncode == 0


def test_usage_errors_exit_1_with_clicks_message(tmp_path: Path) -> None:
    (tmp_path / "folder.yaml").mkdir()
    assert_user_error(deliver("build", "folder.yaml", cwd=tmp_path), "is a directory")
    write(tmp_path / "acme.yaml", client())
    write(tmp_path / "out", "a file")
    assert_user_error(deliver("build", "acme.yaml", "--out", "out", cwd=tmp_path), "is a file")


# ---------------------------------------------------------------- 18. every user error positioned


def test_an_unsafe_crm_name_is_a_positioned_error(tmp_path: Path) -> None:
    mapping = "    crm: {object: lead, field: ../../evil__c, value: x}\n"
    text = client(crm="salesforce").replace("    owner: marketing\n", "    owner: marketing\n" + mapping)
    write(tmp_path / "acme.yaml", text)
    line = text.splitlines().index(mapping.rstrip("\n")) + 1
    result = deliver("build", "acme.yaml", "--only", "crm-config", "--out", "out", cwd=tmp_path)
    assert_user_error(result, f"acme.yaml:{line}:32: stages[id=mql].crm.field:", "'../../evil__c'")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*evil*"))


def test_a_card_overflow_never_echoes_a_5000_character_stage_name(tmp_path: Path) -> None:
    write(tmp_path / "acme.yaml", client(stage_name="X" * 5000))
    result = deliver("build", "acme.yaml", "--only", "reference-card", "--out", "out", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "X" * 200 not in result.stderr and "acme.yaml" in result.stderr


def test_watch_stops_on_ctrl_c_even_when_started_with_ctrl_c_ignored(tmp_path: Path) -> None:
    # A background job of a script (or a test runner's worker) starts its children with SIGINT ignored.
    write(tmp_path / "acme.yaml", client())
    proc = subprocess.Popen(
        [*COMMAND, "watch", "acme.yaml", "--out", "out"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(tmp_path),
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        assert _wait_for(lambda: (tmp_path / "out" / "acme" / "v1" / "manifest.json").is_file())
    finally:
        proc.send_signal(signal.SIGINT)
        out, _err = proc.communicate(timeout=LIMIT)
    assert proc.returncode == 0
    assert out.rstrip().endswith("stopped")
