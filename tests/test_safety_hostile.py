"""Hostile input beyond the issue's examples: special and huge client files, odd line
endings, FIFOs where exports are, alias bombs in a theme's data, links in output
folders and a link to another client's version. Each case failed before its fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from safety_support import assert_ok, assert_user_error, client, deliver, leftovers, start, write

# ---------------------------------------------------------------- client files that are not plain files


def _client_at(tmp_path: Path, make: str) -> str:
    if make == "/dev/zero":
        return make
    path = tmp_path / "acme.yaml"
    if make == "fifo":
        os.mkfifo(path)
    elif make == "huge":
        write(path, client() + "#" + "x" * (17 * 1024 * 1024) + "\n")
    return path.name


CLIENT_CASES = {
    "fifo": "acme.yaml:1:1: the file is a FIFO, expected a YAML client file",
    "/dev/zero": "/dev/zero:1:1: the file is a device or other special file, expected a YAML client file",
    "huge": "acme.yaml:1:1: the file is larger than 16 MB, expected a YAML client file of at most 16 MB",
}


@pytest.mark.parametrize("command", ["build", "check", "confirm"])
@pytest.mark.parametrize("make", sorted(CLIENT_CASES))
def test_a_client_file_that_is_special_or_huge_is_refused_without_reading_it(
    make: str, command: str, tmp_path: Path
) -> None:
    name = _client_at(tmp_path, make)
    args = {"build": ["--only", "summary", "--out", "out"], "check": [], "confirm": ["mql"]}[command]
    result = deliver(command, name, *args, cwd=tmp_path)
    assert_user_error(result)
    assert CLIENT_CASES[make] in result.stderr.splitlines(), result.stderr
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- old Mac line endings


def test_confirm_keeps_a_file_with_carriage_returns_only_loadable(tmp_path: Path) -> None:
    path = write(tmp_path / "acme.yaml", client().replace("\n", "\r").encode("utf-8"))
    assert_ok(deliver("confirm", "acme.yaml", "mql", "sql", cwd=tmp_path))
    data = path.read_bytes()
    assert b"\n" not in data and data.count(b"status: confirmed\r") == 3
    assert_ok(deliver("check", "acme.yaml", cwd=tmp_path))


# ---------------------------------------------------------------- a FIFO where an export should be


def test_an_export_that_is_a_fifo_is_an_error_at_its_path(tmp_path: Path) -> None:
    text = client() + "audit:\n  exports:\n    - {path: contacts.csv, object: contact}\n"
    write(tmp_path / "acme.yaml", text)
    os.mkfifo(tmp_path / "contacts.csv")
    result = deliver("build", "acme.yaml", "--only", "current-state-audit", "--out", "out", cwd=tmp_path)
    assert_user_error(result)
    line = text.splitlines().index("    - {path: contacts.csv, object: contact}") + 1
    expected = (
        f"acme.yaml:{line}:14: audit.exports[path=contacts.csv].path: "
        "export file 'contacts.csv' is a FIFO, expected a CSV or XLSX export file"
    )
    assert expected in result.stderr.splitlines(), result.stderr


# ---------------------------------------------------------------- an alias bomb in a theme's data template


def test_an_alias_bomb_in_a_theme_data_template_is_refused(tmp_path: Path) -> None:
    from deliverables.core.paths import templates_root

    levels = ['x0: &x0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 9)}]" for i in range(1, 8)]
    spec = (templates_root() / "crm" / "spec.yaml").read_text(encoding="utf-8")
    write(tmp_path / "brand" / "crm" / "spec.yaml", spec + "\n".join(levels) + "\n")
    write(tmp_path / "acme.yaml", "theme: brand\n" + client())
    result = deliver("build", "acme.yaml", "--only", "crm-config", "--out", "out", cwd=tmp_path)
    assert_user_error(result, "template 'crm/spec.yaml' expands to more than 200,000 values (aliases of aliases)")


# ---------------------------------------------------------------- links in output folders


def test_a_client_folder_that_is_a_link_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "acme.yaml", client())
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "acme").symlink_to(tmp_path / "elsewhere")
    result = deliver("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=tmp_path)
    assert_user_error(result, "out/acme is a symbolic link; deliver never follows links in its output folders")
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_version_folder_that_is_a_link_is_replaced_and_nothing_is_left_behind(tmp_path: Path) -> None:
    write(tmp_path / "acme.yaml", client())
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "acme").mkdir(parents=True)
    (tmp_path / "out" / "acme" / "v1").symlink_to(tmp_path / "elsewhere")
    assert_ok(deliver("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=tmp_path))
    version = tmp_path / "out" / "acme" / "v1"
    assert version.is_dir() and not version.is_symlink()
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert leftovers(tmp_path / "out") == []
    assert sorted(p.name for p in (tmp_path / "out" / "acme").iterdir() if p.name.startswith(".v1")) == []


def test_a_link_to_another_clients_version_is_never_read(tmp_path: Path) -> None:
    """`out/acme/v1` linked to Beta's v1: neither the build's changes nor `deliver diff`
    show Beta's text."""
    secret = "Beta secret definition"
    write(tmp_path / "beta.yaml", client(name="Beta", definition=secret))
    write(tmp_path / "acme.yaml", client(version=2))
    assert_ok(deliver("build", "beta.yaml", "--only", "summary", "--out", "out", cwd=tmp_path))
    (tmp_path / "out" / "acme").mkdir()
    (tmp_path / "out" / "acme" / "v1").symlink_to(tmp_path / "out" / "beta" / "v1")
    result = deliver("diff", "acme.yaml", "--out", "out", cwd=tmp_path)
    assert secret not in result.stdout + result.stderr
    assert_user_error(result, "no version of Acme before v2 is built in out/acme")
    assert_ok(deliver("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=tmp_path))
    for path in (tmp_path / "out" / "acme").rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert secret.encode() not in path.read_bytes(), path


# ---------------------------------------------------------------- ingest takes confirm's lock


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux /proc/locks")
def test_ingest_waits_for_the_lock_confirm_takes(tmp_path: Path) -> None:
    from test_safety_data import _holding, _waiting_on

    write(tmp_path / "acme.yaml", client())
    write(tmp_path / "copy.docx", b"not a document")
    fd = _holding(tmp_path)  # as a confirm of the file does
    procs = [start("ingest", "acme.yaml", "copy.docx", cwd=tmp_path)]
    try:
        _waiting_on(tmp_path, {procs[0].pid}, procs)
    finally:
        os.close(fd)
    _out, err = procs[0].communicate(timeout=600)
    assert procs[0].returncode == 1 and "copy.docx: cannot be read as a Word document" in err, err
