"""Output safety, security: nothing outside a client's own files reaches its
output, and hostile external files or caches never hang or crash a build."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from safety_support import assert_ok, assert_user_error, client, deliver, write

SECRET = "TOP SECRET outside the output"

# ---------------------------------------------------------------- 9. symlinks in output folders


def _built(tmp_path: Path) -> Path:
    write(tmp_path / "acme.yaml", client())
    assert_ok(deliver("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=tmp_path))
    return tmp_path / "out" / "acme" / "v1"


def _no_secret(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert SECRET.encode() not in path.read_bytes(), path


def test_build_only_never_follows_a_symlink_in_the_previous_version(tmp_path: Path) -> None:
    folder = _built(tmp_path)
    write(tmp_path / "secret.txt", SECRET)
    (folder / "extra.md").symlink_to(tmp_path / "secret.txt")
    result = deliver("build", "acme.yaml", "--only", "faq", "--out", "out", cwd=tmp_path)
    assert_user_error(result, "extra.md", "symbolic link")
    _no_secret(tmp_path / "out")


def test_a_kept_file_replaced_by_a_symlink_is_never_read(tmp_path: Path) -> None:
    folder = _built(tmp_path)
    write(tmp_path / "secret.txt", SECRET)
    summary = folder / "stage-summary-v1.md"
    summary.unlink()
    summary.symlink_to(tmp_path / "secret.txt")
    result = deliver("build", "acme.yaml", "--only", "faq", "--out", "out", cwd=tmp_path)
    assert_user_error(result, "stage-summary-v1.md", "symbolic link")
    _no_secret(tmp_path / "out")


def test_package_never_zips_what_a_symlink_points_at(tmp_path: Path) -> None:
    write(tmp_path / "acme.yaml", client())
    assert_ok(deliver("build", "acme.yaml", "--out", "out", cwd=tmp_path))
    folder = tmp_path / "out" / "acme" / "v1"
    write(tmp_path / "secret.txt", SECRET)
    summary = folder / "stage-summary-v1.md"
    summary.unlink()
    summary.symlink_to(tmp_path / "secret.txt")
    result = deliver("package", "acme.yaml", "--out", "out", "--force", cwd=tmp_path)
    for zipped in (tmp_path / "out").rglob("*.zip"):
        with zipfile.ZipFile(zipped) as archive:
            assert all(SECRET.encode() not in archive.read(n) for n in archive.namelist())
    # Either the link is refused, or the version is rebuilt first (the link replaced).
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    if result.returncode:
        assert "symbolic link" in result.stderr
    else:
        assert not summary.is_symlink()


# ---------------------------------------------------------------- 10. theme and logo at devices, FIFOs, huge files


def _with(text: str, key: str, value: str) -> str:
    if key == "logo":
        return text.replace("  crm: hubspot\n", f"  crm: hubspot\n  logo: {value}\n")
    return text.replace("architect: Sam Rivera\n", f"architect: Sam Rivera\ntheme: {value}\n")


@pytest.mark.parametrize(
    ("key", "make", "fragment"),
    [
        ("logo", "zero", "not a regular file"),
        ("logo", "fifo", "not a regular file"),
        ("logo", "huge", "larger than"),
        ("logo", "dir", "not a regular file"),
        ("theme", "zero", "acme.yaml:7:8: theme: theme folder '/dev/zero' is not a folder"),
        ("theme", "fifo-in", "base.pptx"),
        ("theme", "huge-in", "base.pptx"),
    ],
)
def test_theme_and_logo_that_are_not_plain_files_are_clear_errors(
    key: str, make: str, fragment: str, tmp_path: Path
) -> None:
    if make == "zero":
        value = "/dev/zero"
    elif make in ("fifo", "huge", "dir"):
        value = "logo.png"
        if make == "fifo":
            os.mkfifo(tmp_path / value)
        elif make == "huge":
            with open(tmp_path / value, "wb") as handle:
                handle.truncate(200 * 1024 * 1024)  # sparse: cheap on disk
        else:
            (tmp_path / value).mkdir()
    else:
        value = "brand"
        theme = tmp_path / value
        theme.mkdir()
        if make == "fifo-in":
            os.mkfifo(theme / "base.pptx")
        elif make == "huge-in":
            with open(theme / "base.pptx", "wb") as handle:
                handle.truncate(200 * 1024 * 1024)
        else:
            os.mkfifo(theme / "notes.txt")
    write(tmp_path / "acme.yaml", _with(client(), key, value))
    only = "definition-alignment" if key == "logo" else "kickoff-deck"
    result = deliver("build", "acme.yaml", "--only", only, "--out", "out", cwd=tmp_path)
    assert_user_error(result, "acme.yaml", fragment)
    assert not (tmp_path / "out" / "acme" / "v1").exists()


def test_a_fifo_beside_the_theme_files_is_never_waited_on(tmp_path: Path) -> None:
    (tmp_path / "brand").mkdir()
    os.mkfifo(tmp_path / "brand" / "notes.txt")
    write(tmp_path / "acme.yaml", _with(client(), "theme", "brand"))
    assert_ok(deliver("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=tmp_path))


# ---------------------------------------------------------------- 11. a damaged compiled-engine cache


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_a_damaged_compiled_engine_cache_is_recompiled(damage: str, tmp_path: Path) -> None:
    """The diagram engine's compiled module is checked (size and hash) before use: a
    damaged one is compiled again instead of crashing the build."""
    cache = tmp_path / "cache"
    write(tmp_path / "acme.yaml", client())
    assert_ok(
        deliver("build", "acme.yaml", "--only", "diagram", "--out", "out", cwd=tmp_path, DELIVER_CACHE_DIR=str(cache))
    )
    (compiled,) = cache.glob("graphviz-*.cwasm")
    data = bytearray(compiled.read_bytes())
    if damage == "flip":
        middle = len(data) // 2
        data[middle : middle + 4096] = bytes(4096)
    else:
        del data[len(data) // 3 :]
    compiled.write_bytes(bytes(data))
    write(tmp_path / "acme.yaml", client(stage_name="Marketing Ready Lead"))
    result = deliver(
        "build", "acme.yaml", "--only", "diagram", "--out", "out", cwd=tmp_path, DELIVER_CACHE_DIR=str(cache)
    )
    assert_ok(result)
    assert (tmp_path / "out" / "acme" / "v1" / "diagram-v1.svg").is_file() or list((tmp_path / "out").rglob("*.svg"))
    assert compiled.read_bytes() != bytes(data)  # rewritten whole
