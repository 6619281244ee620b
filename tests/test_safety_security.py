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


LOGO_AT = "acme.yaml:4:9: client.logo: "
THEME_AT = "acme.yaml:7:8: theme: "
LOGO_FILE = "a PNG or JPEG image file"
THEME_FOLDER = "a folder holding base.docx, base.pptx or wording templates"
PPTX = "a PowerPoint presentation (.pptx)"


def _make(tmp_path: Path, make: str, name: str) -> None:
    """Something bad at `tmp_path / name`."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if make == "fifo":
        os.mkfifo(path)
    elif make == "huge":
        with open(path, "wb") as handle:
            handle.truncate(200 * 1024 * 1024)  # sparse: cheap on disk
    elif make == "dir":
        path.mkdir()
    elif make == "loop":
        os.symlink(path.name + ".other", path)
        os.symlink(path.name, path.with_name(path.name + ".other"))
    elif make == "text":
        path.write_text("not an image, not a presentation\n", encoding="utf-8")
    elif make in ("truncated", "bomb"):
        from PIL import Image

        if make == "truncated":
            Image.new("RGB", (64, 64), (200, 30, 30)).save(path, format="PNG")
            path.write_bytes(path.read_bytes()[:60])
        else:
            Image.new("1", (15000, 15000)).save(path, format="PNG")  # 225 million pixels in a few kilobytes


LOGO_CASES = {
    "dir": "logo file 'logo.png' is a folder, expected a PNG or JPEG image file",
    "fifo": "logo file 'logo.png' is a FIFO, expected a PNG or JPEG image file",
    "/dev/null": "logo file '/dev/null' is a device, expected a PNG or JPEG image file",
    "/dev/zero": "logo file '/dev/zero' is a device, expected a PNG or JPEG image file",
    "loop": "logo file 'logo.png' cannot be read (Too many levels of symbolic links), "
    "expected a readable PNG or JPEG image file",
    "huge": "logo file 'logo.png' is larger than 10 MB, expected a PNG or JPEG image file of at most 10 MB",
    "truncated": "logo file 'logo.png' is a damaged image (Truncated File Read), expected a readable PNG or JPEG image",
    "bomb": "logo file 'logo.png' has too many pixels, expected an image of at most 40 million pixels",
}


@pytest.mark.parametrize("make", sorted(LOGO_CASES))
def test_a_bad_logo_is_an_error_at_the_logo_key(make: str, tmp_path: Path) -> None:
    value = make if make.startswith("/") else "logo.png"
    if not make.startswith("/"):
        _make(tmp_path, make, value)
    write(tmp_path / "acme.yaml", _with(client(), "logo", value))
    result = deliver("build", "acme.yaml", "--only", "definition-alignment", "--out", "out", cwd=tmp_path)
    assert_user_error(result)
    assert LOGO_AT + LOGO_CASES[make] in result.stderr.splitlines(), result.stderr
    assert not (tmp_path / "out" / "acme" / "v1").exists()


@pytest.mark.parametrize("make", ["dir", "truncated", "bomb"])
def test_check_reports_a_bad_logo_at_the_logo_key_as_build_does(make: str, tmp_path: Path) -> None:
    _make(tmp_path, make, "logo.png")
    write(tmp_path / "acme.yaml", _with(client(), "logo", "logo.png"))
    result = deliver("check", "acme.yaml", cwd=tmp_path)
    assert_user_error(result)
    assert LOGO_AT + LOGO_CASES[make] in result.stderr.splitlines(), result.stderr
    assert ":1:1: 1 error" not in result.stderr


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        ("missing", "logo file 'logo.png' not found; the cover has no logo"),
        ("text", "logo file 'logo.png' is not a PNG or JPEG image; the cover has no logo"),
    ],
)
def test_a_missing_or_foreign_logo_is_a_warning_at_the_logo_key(make: str, expected: str, tmp_path: Path) -> None:
    _make(tmp_path, make, "logo.png")
    write(tmp_path / "acme.yaml", _with(client(), "logo", "logo.png"))
    result = deliver("build", "acme.yaml", "--only", "definition-alignment", "--out", "out", cwd=tmp_path)
    assert_ok(result)
    assert LOGO_AT + "warning: " + expected in result.stderr.splitlines(), result.stderr


THEME_CASES = {
    # the theme folder itself
    "missing": f"theme folder 'brand' does not exist, expected {THEME_FOLDER}",
    "text": f"theme folder 'brand' is a file, expected {THEME_FOLDER}",
    "fifo": f"theme folder 'brand' is a FIFO, expected {THEME_FOLDER}",
    "/dev/zero": f"theme folder '/dev/zero' is a device, expected {THEME_FOLDER}",
    "loop": f"theme folder 'brand' cannot be read (Too many levels of symbolic links), expected {THEME_FOLDER}",
    # a file in it
    "fifo-in": f"template 'brand/base.pptx' is a FIFO, expected {PPTX}",
    "huge-in": f"template 'brand/base.pptx' is larger than 50 MB, expected {PPTX} of at most 50 MB",
    "dir-in": f"template 'brand/base.pptx' is a folder, expected {PPTX}",
    "loop-in": "template 'brand/base.pptx' cannot be read (Too many levels of symbolic links), expected a readable file",
    "text-in": "base presentation 'brand/base.pptx' cannot be opened as .pptx: File is not a zip file, "
    "expected a PowerPoint presentation",
}


def _theme(tmp_path: Path, make: str) -> str:
    if make.startswith("/"):
        return make
    if make.endswith("-in"):
        (tmp_path / "brand").mkdir()
        _make(tmp_path, make.removesuffix("-in"), "brand/base.pptx")
    elif make != "missing":
        _make(tmp_path, make, "brand")
    return "brand"


@pytest.mark.parametrize("make", sorted(THEME_CASES))
def test_a_bad_theme_is_an_error_at_the_theme_key(make: str, tmp_path: Path) -> None:
    write(tmp_path / "acme.yaml", _with(client(), "theme", _theme(tmp_path, make)))
    result = deliver("build", "acme.yaml", "--only", "kickoff-deck", "--out", "out", cwd=tmp_path)
    assert_user_error(result)
    assert THEME_AT + THEME_CASES[make] in result.stderr.splitlines(), result.stderr
    assert not list((tmp_path / "out").rglob("*.pptx"))


def test_a_theme_folder_with_nothing_to_theme_is_a_warning_at_the_theme_key(tmp_path: Path) -> None:
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "notes.txt").write_text("not a template\n", encoding="utf-8")
    write(tmp_path / "acme.yaml", _with(client(), "theme", "brand"))
    result = deliver("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=tmp_path)
    assert_ok(result)
    expected = (
        "theme: warning: theme folder 'brand' holds no base.docx, base.pptx or wording template;"
        " the documents keep the built-in look"
    )
    assert f"acme.yaml:7:8: {expected}" in result.stderr.splitlines(), result.stderr


def test_a_theme_folder_holding_a_template_gives_no_warning(tmp_path: Path) -> None:
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "base.pptx").write_bytes(
        (Path(__file__).parent.parent / "templates" / "base.pptx").read_bytes()
    )
    write(tmp_path / "acme.yaml", _with(client(), "theme", "brand"))
    result = deliver("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=tmp_path)
    assert_ok(result)
    assert "theme folder" not in result.stderr


@pytest.mark.parametrize("make", ["missing", "fifo-in", "text-in"])
def test_a_bad_theme_option_is_an_error_naming_the_option(make: str, tmp_path: Path) -> None:
    write(tmp_path / "acme.yaml", client())
    result = deliver(
        "build", "acme.yaml", "--only", "kickoff-deck", "--theme", _theme(tmp_path, make), "--out", "out", cwd=tmp_path
    )
    assert_user_error(result, f"--theme: {THEME_CASES[make]}")
    assert ": theme: " not in result.stderr, result.stderr  # the client file names no theme
    assert not list((tmp_path / "out").rglob("*.pptx"))


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
