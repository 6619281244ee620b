"""Output safety of the other commands: snapshot, confirm, new and package never
remove, replace or half-write what they did not make."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from safety_support import assert_ok, assert_user_error, client, deliver, write

# ---------------------------------------------------------------- 4. snapshot --update removes only its own files


def test_snapshot_update_leaves_text_files_it_never_wrote(tmp_path: Path) -> None:
    """A snapshot folder also holding the user's own notes: --update writes its snapshots,
    keeps the notes, and a later update removes only snapshots it wrote itself."""
    write(tmp_path / "acme.yaml", client())
    snaps = tmp_path / "snaps"
    write(snaps / "notes.txt", "my notes\n")
    write(snaps / "deep" / "review.md.txt", "review\n")
    assert_ok(deliver("snapshot", "acme.yaml", "--dir", "snaps", "--update", cwd=tmp_path))
    assert (snaps / "notes.txt").read_text() == "my notes\n"
    assert (snaps / "deep" / "review.md.txt").read_text() == "review\n"
    index = json.loads((snaps / ".snapshots.json").read_text(encoding="utf-8"))
    written = {p.relative_to(snaps).as_posix() for p in snaps.rglob("*.txt")} - {"notes.txt", "deep/review.md.txt"}
    assert set(index["files"]) == written and "stage-summary-v1.md.txt" in written
    # The user's files are not differences either.
    assert_ok(deliver("snapshot", "acme.yaml", "--dir", "snaps", cwd=tmp_path))
    # A snapshot it wrote whose file is no longer built is removed; the user's are kept.
    index["files"].append("gone.docx.txt")
    write(snaps / ".snapshots.json", json.dumps(index))
    write(snaps / "gone.docx.txt", "old\n")
    result = deliver("snapshot", "acme.yaml", "--dir", "snaps", "--update", cwd=tmp_path)
    assert_ok(result)
    assert f"removed {Path('snaps') / 'gone.docx.txt'}" in result.stdout
    assert not (snaps / "gone.docx.txt").exists()
    assert (snaps / "notes.txt").is_file() and (snaps / "deep" / "review.md.txt").is_file()


# ---------------------------------------------------------------- 5. stage ids that differ only in case


@pytest.mark.parametrize("second", ["MQL", "Mql"])
def test_stage_ids_differing_in_case_or_width_are_a_positioned_duplicate(second: str, tmp_path: Path) -> None:
    """`mql` and `MQL` are one id (compared after NFKC): check refuses the second at its
    line, and confirm changes nothing."""
    text = client().replace("  - id: sql\n", f"  - id: '{second}'\n")
    path = write(tmp_path / "acme.yaml", text)
    line = text.splitlines().index(f"  - id: '{second}'") + 1
    assert_user_error(deliver("check", "acme.yaml", cwd=tmp_path), f"acme.yaml:{line}:", "duplicate stage id")
    before = path.read_bytes()
    assert_user_error(deliver("confirm", "acme.yaml", "mql", cwd=tmp_path), "duplicate stage id")
    assert path.read_bytes() == before


# ---------------------------------------------------------------- 6. confirm through links


def _confirmed(text: str) -> bool:
    return "status: confirmed" in text


def test_confirm_on_a_symlink_writes_the_real_file_and_keeps_the_link(tmp_path: Path) -> None:
    real = write(tmp_path / "real" / "acme.yaml", client())
    os.chmod(real, 0o640)
    link = tmp_path / "acme.yaml"
    link.symlink_to(real)
    assert_ok(deliver("confirm", "acme.yaml", "mql", cwd=tmp_path))
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert _confirmed(real.read_text(encoding="utf-8"))
    assert real.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["acme.yaml"]  # no temp file left


def test_confirm_on_a_hard_link_changes_every_name_of_the_file(tmp_path: Path) -> None:
    first = write(tmp_path / "acme.yaml", client())
    os.chmod(first, 0o600)
    second = tmp_path / "copy.yaml"
    os.link(first, second)
    assert_ok(deliver("confirm", "copy.yaml", "mql", "--bump", cwd=tmp_path))
    assert os.path.samefile(first, second)
    assert _confirmed(first.read_text(encoding="utf-8")) and "version: 2" in first.read_text(encoding="utf-8")
    assert first.stat().st_mode & 0o777 == 0o600


# ---------------------------------------------------------------- 7. new never overwrites a schema file


def test_new_refuses_to_replace_a_different_client_schema_file(tmp_path: Path) -> None:
    schema = write(tmp_path / "client.schema.json", '{"mine": true}\n')
    result = deliver("new", "Beta Co", "--out", "beta.yaml", cwd=tmp_path)
    assert_user_error(result, "client.schema.json", "--force")
    assert schema.read_text() == '{"mine": true}\n'
    assert not (tmp_path / "beta.yaml").exists()
    # Its own schema, unchanged, is no obstacle to a second client in the same folder.
    schema.unlink()
    assert_ok(deliver("new", "Beta Co", "--out", "beta.yaml", cwd=tmp_path))
    assert_ok(deliver("new", "Gamma Co", "--out", "gamma.yaml", cwd=tmp_path))
    assert_ok(deliver("new", "Delta Co", "--out", "delta.yaml", "--force", cwd=tmp_path))


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--out="], "Invalid value for '--out': is empty; give a folder"),
        (["--out", "c.yaml"], "Invalid value for '--out': 'c.yaml' is a file, not a folder"),
        (["--only", ","], "--only names no deliverable; give one or more of: summary,"),
    ],
)
def test_an_empty_or_mistaken_build_option_is_refused_before_anything_is_written(
    args: list[str], fragment: str, tmp_path: Path
) -> None:
    # `--out=$OUT` with OUT unset built into the current folder; `--only ''` built nothing but the manifest.
    write(tmp_path / "c.yaml", client())
    result = deliver("build", "c.yaml", *args, cwd=tmp_path)
    assert_user_error(result, fragment)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml"]
