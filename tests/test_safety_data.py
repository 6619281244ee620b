"""Output safety, data loss: nothing a user built is deleted, gutted or
overwritten by another build, another client or another command."""

from __future__ import annotations

import json
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
