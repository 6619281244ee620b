"""Output safety, data loss: nothing a user built is deleted, gutted or
overwritten by another build, another client or another command."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from safety_support import (
    assert_consistent,
    assert_ok,
    assert_user_error,
    client,
    deliver,
    fresh,
    leftovers,
    start,
    write,
)

from deliverables.pipeline import manifest

LIMIT = 600


def _run_all(procs) -> list[tuple[int, str, str]]:
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=LIMIT)
        results.append((proc.returncode, out, err))
    return results


# ---------------------------------------------------------------- 1. concurrent builds of one client


@pytest.mark.parametrize("round_", range(3))
def test_six_concurrent_builds_of_one_client_serialize(round_: int, tmp_path: Path) -> None:
    """Six `deliver build --only` of one client at once (three files of the same client,
    two light deliverables): every build succeeds, no staging folder is left, and the
    version folder holds every deliverable any of them built, each file whole."""
    work = fresh(tmp_path / "w")
    sources = [write(work / f"acme-{i}.yaml", client()).name for i in range(3)]
    procs = [
        start("build", sources[i % 3], "--only", only, "--out", "out", cwd=work)
        for i, only in enumerate(["summary", "faq"] * 3)
    ]
    results = _run_all(procs)
    for code, _out, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "No such file" not in err, err
    folder = work / "out" / "acme" / "v1"
    files = assert_consistent(folder)
    assert {"stage-summary-v1.md", "faq-v1.md", "faq-v1.docx"} <= {Path(n).name for n in files}, sorted(files)
    assert leftovers(work / "out") == []


def test_repair_keeps_a_live_builds_staging_folder_and_drops_a_dead_ones(tmp_path: Path) -> None:
    """A staging folder whose recorded owner still runs is not touched; one of a dead
    process (or an unrecorded one) is removed by the next build."""
    import os
    import subprocess

    work = fresh(tmp_path / "w")
    write(work / "acme.yaml", client())
    assert_ok(deliver("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=work))
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        with open(f"/proc/{sleeper.pid}/stat", encoding="ascii") as handle:
            started = handle.read().rsplit(")", 1)[1].split()[19]
        live = work / "out" / "acme" / f".v1.new-{sleeper.pid}-{started}-live"
        dead = work / "out" / "acme" / f".v1.new-{sleeper.pid}-1-dead"  # the pid reused by another process
        legacy = work / "out" / "acme" / ".v1.new-abcdef"
        for folder in (live, dead, legacy):
            write(folder / "x.md", "x")
        assert_ok(deliver("build", "acme.yaml", "--only", "faq", "--out", "out", cwd=work))
        assert live.is_dir()
        assert not dead.exists() and not legacy.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert os.path.isdir(work / "out" / "acme" / "v1")


# ---------------------------------------------------------------- 2. clients whose names slug alike


def test_two_clients_slugging_to_one_folder_are_refused_with_both_named(tmp_path: Path) -> None:
    """ "Acme!" and "ACME" slug alike: in one command the first builds, the second is a
    positioned error naming both clients and files, and the first's output is intact."""
    write(tmp_path / "a.yaml", client(name='"Acme!"', stage_name="Alpha Stage"))
    write(tmp_path / "b.yaml", client(name="ACME", stage_name="Bravo Stage"))
    result = deliver("build", "a.yaml", "b.yaml", "--only", "summary", "--out", "out", cwd=tmp_path)
    assert_user_error(result, "b.yaml:2:9: client.name:", "'Acme!'", "a.yaml", "'ACME'", "client.slug")
    folder = tmp_path / "out" / "acme" / "v1"
    summary = (folder / "stage-summary-v1.md").read_text(encoding="utf-8")
    assert "Alpha Stage" in summary and "Bravo" not in summary
    owner = json.loads((tmp_path / "out" / ".deliver" / "owners" / "acme.json").read_text(encoding="utf-8"))
    assert owner == {"client": "Acme!", "file": str((tmp_path / "a.yaml").resolve())}


def test_client_slug_gives_a_second_client_its_own_folder(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", client(name='"Acme!"'))
    write(tmp_path / "b.yaml", client(name="ACME").replace("  crm: hubspot\n", "  crm: hubspot\n  slug: acme-corp\n"))
    assert_ok(deliver("build", "a.yaml", "b.yaml", "--only", "summary", "--out", "out", cwd=tmp_path))
    assert (tmp_path / "out" / "acme" / "v1").is_dir() and (tmp_path / "out" / "acme-corp" / "v1").is_dir()


def test_another_file_of_the_same_client_shares_its_folder(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", client())
    write(tmp_path / "a-v2.yaml", client(version=2))
    assert_ok(deliver("build", "a.yaml", "a-v2.yaml", "--only", "summary", "--out", "out", cwd=tmp_path))
    assert (tmp_path / "out" / "acme" / "v2").is_dir()


# ---------------------------------------------------------------- 8. no cross-client leak via the previous version


def test_a_folder_built_by_another_client_is_never_read_as_the_previous_version(tmp_path: Path) -> None:
    """Client A's v1 sits in the folder (built before owners were recorded): client B's
    v2 is refused, and neither its build nor `deliver diff` shows any of A's text."""
    write(tmp_path / "a.yaml", client(name='"Acme!"', stage_name="Secret Alpha Stage", definition="Alpha secret."))
    assert_ok(deliver("build", "a.yaml", "--only", "summary", "--out", "out", cwd=tmp_path))
    (tmp_path / "out" / ".deliver" / "owners" / "acme.json").unlink()  # as an older tool version left it
    write(tmp_path / "b.yaml", client(name="ACME", version=2))
    result = deliver("build", "b.yaml", "--out", "out", cwd=tmp_path)
    assert_user_error(result, "b.yaml:2:9:", "'Acme!'")
    assert not (tmp_path / "out" / "acme" / "v2").exists()
    result = deliver("diff", "b.yaml", "--out", "out", cwd=tmp_path)
    assert_user_error(result, "'Acme!'")
    assert "Alpha" not in result.stdout + result.stderr


# ---------------------------------------------------------------- 3. Salesforce API names


SALESFORCE = """\
client:
  name: Acme
  crm: salesforce
version: 1
date: 2026-11-20
architect: Sam Rivera
stakeholders:
  - {id: revops, name: Dana Ortiz, title: VP RevOps, department: revops}
stages:
  - id: sql
    name: Sales Qualified Lead
    abbr: SQL
    domain: sales
    golden: true
    definition: Discovery call booked.
    entry: [Meeting booked]
    owner: sales
    crm: {object: opportunity, field: StageName, value: Discovery, pipeline: New Business}
  - id: eval
    name: Evaluation
    abbr: EVAL
    domain: sales
    definition: Technical evaluation under way.
    entry: [Evaluation plan agreed]
    owner: sales
    crm: {object: opportunity, field: StageName, value: Evaluation, pipeline: New-Business}
  - id: renew
    name: Renewal Review
    abbr: RR
    domain: sales
    definition: Renewal under review.
    entry: [Renewal date within 90 days]
    owner: sales
    crm: {object: opportunity, field: StageName, value: Review, pipeline: NEW BUSINESS}
"""


def test_salesforce_pipelines_whose_api_names_collide_each_get_their_own(tmp_path: Path) -> None:
    """Three pipelines slugging to New_Business in some case: three business processes,
    record types and paths, each with its own stage, and no duplicate package member."""
    import re

    write(tmp_path / "sf.yaml", SALESFORCE)
    assert_ok(deliver("build", "sf.yaml", "--only", "crm-config", "--out", "out", cwd=tmp_path))
    root = tmp_path / "out" / "acme" / "v1" / "crm" / "salesforce"
    processes = sorted((root / "objects" / "Opportunity" / "businessProcesses").iterdir())
    assert len(processes) == 3, processes
    assert len({p.name.lower() for p in processes}) == 3
    values = sorted(re.findall(r"<fullName>(Discovery|Evaluation|Review)</fullName>", p.read_text()) for p in processes)
    assert values == [["Discovery"], ["Evaluation"], ["Review"]]
    assert len(list((root / "objects" / "Opportunity" / "recordTypes").iterdir())) == 3
    package = (root / "package.xml").read_text()
    for types in re.findall(r"<types>(.*?)</types>", package, re.S):
        members = re.findall(r"<members>([^<]+)</members>", types)
        assert len(members) == len({m.lower() for m in members}), members
        if "<name>BusinessProcess</name>" in types or "<name>RecordType</name>" in types:
            assert len(members) == 3, members


# ---------------------------------------------------------------- 1. confirm's lock on the client file's folder


def _waiting_on(folder: Path, pids: set[int], procs) -> None:
    """Return once every process in `pids` waits for a lock on `folder` (read from
    /proc/locks: a handshake, not a delay); fail when one exits first."""
    import time

    wanted = f":{os.stat(folder).st_ino} "
    deadline = time.monotonic() + LIMIT  # a bound against a hang, not a speed target
    while time.monotonic() < deadline:
        blocked = set()
        for line in Path("/proc/locks").read_text().splitlines():
            parts = line.split()
            if "->" in parts and "FLOCK" in parts and wanted in line + " ":
                blocked.add(int(parts[parts.index("->") + 4]))
        if pids <= blocked:
            return
        for proc in procs:
            if proc.poll() is not None:
                pytest.fail(f"finished without waiting for the lock: {proc.communicate()}")
        time.sleep(0.05)
    pytest.fail("never waited for the lock")


def _holding(folder: Path, shared: bool = False):
    import fcntl

    fd = os.open(folder, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
    return fd


needs_proc_locks = pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux /proc/locks")


@needs_proc_locks
def test_two_concurrent_confirms_of_one_file_both_land(tmp_path: Path) -> None:
    """Two `confirm`s of one file wait for the lock on its folder, so neither writes
    over the other's edit: both stages end up confirmed."""
    write(tmp_path / "acme.yaml", client())
    fd = _holding(tmp_path)  # as a third confirm would
    procs = [start("confirm", "acme.yaml", stage, cwd=tmp_path) for stage in ("mql", "sql")]
    try:
        _waiting_on(tmp_path, {p.pid for p in procs}, procs)
    finally:
        os.close(fd)
    for code, _out, err in _run_all(procs):
        assert code == 0, err
    text = (tmp_path / "acme.yaml").read_text(encoding="utf-8")
    assert text.count("status: confirmed") == 3, text  # stages mql and sql, and the term MQL


@needs_proc_locks
def test_a_build_reads_the_client_file_only_after_a_confirm_bump_finished(tmp_path: Path) -> None:
    """A build started while `confirm --bump` holds the client file's folder waits, then
    builds the bumped version from the bumped text, never a mix of both."""
    write(tmp_path / "acme.yaml", client())
    fd = _holding(tmp_path)  # as confirm does while it rewrites the file
    procs = [start("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=tmp_path)]
    try:
        _waiting_on(tmp_path, {procs[0].pid}, procs)
        write(tmp_path / "acme.yaml", client(version=2))  # what the bump writes
    finally:
        os.close(fd)
    ((code, _out, err),) = _run_all(procs)
    assert code == 0, err
    assert not (tmp_path / "out" / "acme" / "v1").exists()
    record = json.loads((tmp_path / "out" / "acme" / "v2" / "manifest.json").read_text(encoding="utf-8"))
    assert record["input_sha256"] == manifest.digest((tmp_path / "acme.yaml").read_bytes())


@needs_proc_locks
def test_confirm_bump_waits_for_a_running_build_of_the_file(tmp_path: Path) -> None:
    """While a build reads a client file (a shared lock on its folder), `confirm --bump`
    waits; then it bumps."""
    write(tmp_path / "acme.yaml", client())
    fd = _holding(tmp_path, shared=True)  # as a build does
    procs = [start("confirm", "acme.yaml", "mql", "--bump", cwd=tmp_path)]
    try:
        _waiting_on(tmp_path, {procs[0].pid}, procs)
        assert "version: 1\n" in (tmp_path / "acme.yaml").read_text(encoding="utf-8")
    finally:
        os.close(fd)
    ((code, _out, err),) = _run_all(procs)
    assert code == 0, err
    assert "version: 2\n" in (tmp_path / "acme.yaml").read_text(encoding="utf-8")


def test_the_same_name_with_invisible_characters_pasted_in_is_the_same_client(tmp_path: Path) -> None:
    # A folder first built by 'Acme\u00adCorp' (a soft hyphen from Word, which the loader now
    # takes out) stays this client's; 'ACME Corp' is still another client.
    write(tmp_path / "a.yaml", client(name="Acme Corp"))
    assert_ok(deliver("build", "a.yaml", "--only", "summary", "--out", "out", cwd=tmp_path))
    record = tmp_path / "out" / ".deliver" / "owners" / "acme-corp.json"
    record.write_text(json.dumps({"client": "Acme\u00ad  Corp\u200b", "file": ""}), encoding="utf-8")
    assert_ok(deliver("build", "a.yaml", "--only", "summary", "--out", "out", cwd=tmp_path))
    write(tmp_path / "b.yaml", client(name="ACME Corp"))
    assert_user_error(deliver("build", "b.yaml", "--only", "summary", "--out", "out", cwd=tmp_path), "client.slug")
