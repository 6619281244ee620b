"""Hostile input that used to crash a build: each is now a positioned error
(exit 1) or handled, never a traceback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from safety_support import assert_consistent, assert_ok, assert_user_error, client, deliver, leftovers, tree, write

# ---------------------------------------------------------------- 12. over-long names in core properties


def _core(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("docProps/core.xml").decode("utf-8")
    return dict(re.findall(r"<(?:dc|cp):(\w+)>([^<]*)<", xml))


def _body(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(
            archive.read(n).decode("utf-8")
            for n in archive.namelist()
            if n.startswith(("word/document", "ppt/slides/"))
        )


@pytest.mark.parametrize("only", ["faq", "kickoff-deck"])
def test_names_over_255_characters_are_cut_in_core_properties_only(only: str, tmp_path: Path) -> None:
    name = "Acme " + "Global " * 45 + "Holdings"
    architect = "Sam " + "Rivera-" * 40 + "Long"
    assert len(name) > 255 and len(architect) > 255
    text = client(name=name).replace("architect: Sam Rivera", f"architect: {architect}")
    write(tmp_path / "acme.yaml", text)
    assert_ok(deliver("build", "acme.yaml", "--only", only, "--out", "out", cwd=tmp_path))
    (document,) = [p for p in (tmp_path / "out").rglob("*") if p.suffix in (".docx", ".pptx")]
    core = _core(document)
    assert all(len(v) <= 255 for v in core.values()), core
    assert core["creator"].startswith("Sam Rivera-Rivera-") and core["creator"].endswith("\u2026")
    if only == "faq":  # the Word text keeps the name whole
        assert name in _body(document)


# ---------------------------------------------------------------- 13. years beyond what zip, Word and calendars carry


@pytest.mark.parametrize(
    ("key", "value", "where"),
    [
        ("date", "2206-01-05", "date"),
        ("launch_date", "9999-12-31", "client.launch_date"),
        ("date", "1970-01-01", "date"),
    ],
)
def test_dates_outside_1980_to_2099_are_positioned_errors(key: str, value: str, where: str, tmp_path: Path) -> None:
    text = client()
    if key == "date":
        text = text.replace("date: 2026-11-20", f"date: {value}")
        line, column = 5, 7
    else:
        text = text.replace("  crm: hubspot\n", f"  crm: hubspot\n  launch_date: {value}\n")
        line, column = 4, 16
    write(tmp_path / "acme.yaml", text)
    result = deliver("build", "acme.yaml", "--only", "maintenance", "--out", "out", cwd=tmp_path)
    assert_user_error(result, f"acme.yaml:{line}:{column}: {where}:", "1980 to 2099", value)


def test_a_huge_source_date_epoch_is_a_clear_error(tmp_path: Path) -> None:
    write(tmp_path / "acme.yaml", client().replace("date: 2026-11-20\n", ""))
    result = deliver(
        "build", "acme.yaml", "--only", "faq", "--out", "out", cwd=tmp_path, SOURCE_DATE_EPOCH="99999999999999"
    )
    assert_user_error(result, "SOURCE_DATE_EPOCH", "1980 to 2099")


# ---------------------------------------------------------------- 16. a manifest.json of another shape


@pytest.mark.parametrize("content", ["null", "[1, 2]", '"text"', "{not json"])
def test_a_manifest_of_another_shape_is_read_as_none_with_a_warning(content: str, tmp_path: Path) -> None:
    write(tmp_path / "acme.yaml", client())
    assert_ok(deliver("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=tmp_path))
    folder = tmp_path / "out" / "acme" / "v1"
    write(folder / "manifest.json", content)
    result = deliver("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=tmp_path)
    assert_ok(result)
    assert "acme.yaml:4:10: version: warning:" in result.stderr and "manifest.json is damaged" in result.stderr
    assert_consistent(folder)


# ---------------------------------------------------------------- 17. package paths in the way, full and read-only disks


def test_package_where_the_zip_path_is_a_folder_is_a_clean_error(tmp_path: Path) -> None:
    write(tmp_path / "acme.yaml", client())
    (tmp_path / "out" / "acme" / "acme-handoff-v1-DRAFT.zip").mkdir(parents=True)
    result = deliver("package", "acme.yaml", "--out", "out", "--force", cwd=tmp_path)
    assert_user_error(result, "acme-handoff-v1-DRAFT.zip", "folder is in the way")
    assert leftovers(tmp_path / "out") == [] and not list((tmp_path / "out" / "acme").glob(".*.tmp"))


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 3 MB tmpfs (root only): a disk that fills up."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path) -> None:
    with open(disk / "filler", "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass


def test_confirm_and_snapshot_update_on_a_full_disk_change_nothing(small_disk: Path, tmp_path: Path) -> None:
    write(small_disk / "acme.yaml", client())
    assert_ok(deliver("snapshot", "acme.yaml", "--dir", "snaps", "--update", cwd=small_disk))
    before = tree(small_disk)
    write(small_disk / "acme.yaml", client(stage_name="Marketing Ready Lead"))
    before = tree(small_disk)
    _fill(small_disk)
    result = deliver("confirm", "acme.yaml", "mql", cwd=small_disk)
    assert_user_error(result, "acme.yaml", "No space left")
    result = deliver("snapshot", "acme.yaml", "--dir", "snaps", "--update", cwd=small_disk)
    assert_user_error(result, "snaps", "No space left")
    after = tree(small_disk)
    after.pop("filler")
    assert after == before


def test_package_on_a_read_only_disk_is_a_clean_error(small_disk: Path) -> None:
    write(small_disk / "acme.yaml", client())
    assert_ok(deliver("build", "acme.yaml", "--out", "out", cwd=small_disk))
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = deliver("package", "acme.yaml", "--out", "out", "--force", cwd=small_disk)
    assert_user_error(result, "Read-only file system")
    assert not list((small_disk / "out").rglob("*.zip"))


# ---------------------------------------------------------------- 14. corrupt theme base, 15. bad logos


def _theme_client(tmp_path: Path) -> None:
    write(tmp_path / "acme.yaml", client().replace("architect: Sam Rivera\n", "architect: Sam Rivera\ntheme: brand\n"))


@pytest.mark.parametrize("damage", ["truncated", "not-a-zip"])
def test_a_corrupt_theme_base_pptx_is_an_error_naming_it(damage: str, tmp_path: Path) -> None:
    from deliverables.core.paths import templates_root

    _theme_client(tmp_path)
    base = (templates_root() / "base.pptx").read_bytes()
    data = base[: len(base) // 2] if damage == "truncated" else b"not a presentation"
    write(tmp_path / "brand" / "base.pptx", data)
    result = deliver("build", "acme.yaml", "--only", "kickoff-deck", "--out", "out", cwd=tmp_path)
    assert_user_error(result, "brand/base.pptx")
    assert not list((tmp_path / "out").rglob("*.pptx"))


@pytest.mark.parametrize("kind", ["truncated", "bomb"])
def test_a_bad_logo_is_an_error_naming_it(kind: str, tmp_path: Path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    if kind == "truncated":
        Image.new("RGB", (64, 64), (200, 30, 30)).save(logo)
        logo.write_bytes(logo.read_bytes()[:60])
    else:
        Image.new("1", (15000, 15000)).save(logo)  # 225 million pixels in a few kilobytes
    write(tmp_path / "acme.yaml", client().replace("  crm: hubspot\n", "  crm: hubspot\n  logo: logo.png\n"))
    result = deliver("build", "acme.yaml", "--only", "definition-alignment", "--out", "out", cwd=tmp_path)
    assert_user_error(result, "logo.png")
    assert not list((tmp_path / "out").rglob("*.docx"))
