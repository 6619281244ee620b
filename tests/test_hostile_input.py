"""Hostile input through the whole pipeline: every registered deliverable.

Each case either builds (and the text survives into the output) or exits 1 with
positioned messages. Never a traceback, never a hang: every build runs in a
subprocess with a time limit.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 600  # seconds: a bound against hangs, not a speed target
# One compiled diagram engine for every subprocess of this module (outside the case folders).
ENGINE_CACHE = Path(tempfile.gettempdir()) / "deliver-test-engine-cache"

BASE = """\
client:
  name: {name}
  crm: hubspot
version: 1
architect: Sam Rivera
stakeholders:
  - {{id: revops, name: Dana Ortiz, title: VP RevOps, department: revops}}
stages:
  - id: mql
    name: {stage_name}
    abbr: MQL
    domain: lead
    definition: {definition}
    entry: [{entry}]
    owner: marketing
  - id: sql
    name: Sales Qualified Lead
    abbr: SQL
    domain: sales
    golden: true
    definition: Discovery call booked.
    entry: [Meeting booked]
    owner: sales
terms:
  - term: {term}
    definition: {definition}
    approvals: {{revops: pending}}
"""


def client(**fields: str) -> str:
    """The base client with some values replaced (YAML source text)."""
    values = {
        "name": "Acme",
        "stage_name": "Marketing Qualified Lead",
        "definition": "Plain text.",
        "entry": "Score 60",
        "term": "MQL",
    }
    values.update(fields)
    return BASE.format(**values)


def deliver(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a subprocess with a time limit."""
    return subprocess.run(
        [sys.executable, "-m", "deliverables", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=LIMIT,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(cwd),
            "DELIVER_CACHE_DIR": str(ENGINE_CACHE),
        },
    )


def build(tmp_path: Path, text: str | bytes, name: str = "client.yaml") -> subprocess.CompletedProcess[str]:
    """Write a client file and build it into tmp_path/out."""
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return deliver("build", name, "--out", "out", cwd=tmp_path)


def built_text(tmp_path: Path) -> str:
    """Everything textual the build wrote (Markdown, JSON, SVG, DOT, XML, ICS)."""
    parts = []
    for path in sorted((tmp_path / "out").rglob("*")):
        if path.suffix in {".md", ".json", ".svg", ".gv", ".xml", ".ics", ".html"}:
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def assert_clean_failure(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """Exit 1, positioned messages, no traceback."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


def assert_built(result: subprocess.CompletedProcess[str]) -> None:
    """Exit 0 and no traceback."""
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


RENDERED = {
    "emoji": ('"Qualified 🚀 lead ✅"', "Qualified 🚀 lead ✅"),
    "cjk": ('"营销合格线索（MQL）"', "营销合格线索（MQL）"),
    "arabic": ('"عميل محتمل مؤهل تسويقيًا"', "عميل محتمل مؤهل تسويقيًا"),
    "accents-and-arrows": ('"Qualifié → prêt ≥ 60 points"', "Qualifié → prêt ≥ 60 points"),
    "reportlab-markup": ('"R&D < 5% <b>bold</b> <unknown> &amp;"', "R&D < 5% <b>bold</b> <unknown> &amp;"),
    "graphviz-special": ('"say \\"hi\\" \\\\ back: <x> {a|b} \\\\n \\\\l"', 'say "hi" \\ back: <x> {a|b} \\n \\l'),
    "jinja": ('"{{ 7*7 }} {% for x in y %}{# c #}"', "{{ 7*7 }} {% for x in y %}{# c #}"),
    "yaml11-no": ("NO", "NO"),
    "yaml11-yes": ("yes", "yes"),
    "octal-like": ("0755", "0755"),
    "sexagesimal": ("1:30", "1:30"),
    "version-like": ("1.10", "1.10"),
    "long-token": ("x" * 400, "x" * 400),
    "html": ('"<script>alert(1)</script> </w:t> ]]>"', "<script>alert(1)</script> </w:t> ]]>"),
}


@pytest.mark.parametrize("case", sorted(RENDERED))
def test_special_text_renders_and_survives(case: str, tmp_path: Path) -> None:
    source, expected = RENDERED[case]
    result = build(tmp_path, client(definition=source, stage_name=source, entry=source))
    assert_built(result)
    model = json.loads(next((tmp_path / "out").rglob("model.json")).read_text(encoding="utf-8"))
    assert model["stages"][0]["definition"] == expected
    assert model["stages"][0]["name"] == expected


@pytest.mark.parametrize("char", ["\\v", "\\f", "\\0", "\\uFFFF", "\\uD800", "\\x07", "\\x1b"])
def test_control_characters_in_text_fields_are_removed_with_a_warning(char: str, tmp_path: Path) -> None:
    quoted = f'"before{char}after"'
    text = client(definition=quoted, stage_name=quoted, entry=quoted, term=quoted, name=quoted)
    result = build(tmp_path, text)
    assert_built(result)
    assert "warning: removed control character" in result.stderr
    model = json.loads(next((tmp_path / "out").rglob("model.json")).read_text(encoding="utf-8"))
    assert model["stages"][0]["name"] in {"beforeafter", "before\nafter"}


def test_raw_control_characters_in_the_file_are_removed(tmp_path: Path) -> None:
    result = build(tmp_path, client(definition="Pasted\x0bfrom\x0cWord\x00here").encode("utf-8"))
    assert_built(result)
    assert "removed control character U+000B" in result.stderr


@pytest.mark.parametrize(
    ("case", "text", "fragment"),
    [
        (
            "duplicate-key",
            "client:\n  name: A\n  name: B\n",
            "client.yaml:3:3: client.name: duplicate key 'name' (first at line 2)",
        ),
        (
            "alias-bomb",
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\n",
            "aliases (*name) are not supported",
        ),
        ("deep-nesting", "client: " + "[" * 300 + "]" * 300 + "\n", "client.yaml:1:"),
        ("tabs", "client:\n\tname: A\n", "client.yaml:2:1: tab character in indentation"),
        ("empty", "", "client.yaml:1:1: the file is empty"),
        ("top-level-list", "- a\n- b\n", "expected a mapping (key: value) at the top level, found a list"),
        ("cp1252", "client:\n  name: Caf\xe9\n".encode("cp1252"), "client.yaml:2:12: the file is not UTF-8"),
        (
            "negative-version",
            client().replace("version: 1", "version: -3"),
            "client.yaml:4:10: version: expected a number >= 0",
        ),
        ("bad-date", client() + "date: 2026-13-01\n", "date: expected a real date (YYYY-MM-DD)"),
        (
            "unknown-stage",
            client().replace("owner: marketing", "owner: marketing\n    exit: [{to: sqll}]"),
            "unknown stage 'sqll' (did you mean 'sql'?)",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 else "",
)
def test_bad_files_exit_1_with_positions(case: str, text: str | bytes, fragment: str, tmp_path: Path) -> None:
    assert_clean_failure(build(tmp_path, text), fragment)


def test_bom_and_utf16_files_build(tmp_path: Path) -> None:
    assert_built(build(tmp_path, b"\xef\xbb\xbf" + client(name="Café").encode("utf-8"), "bom.yaml"))
    assert_built(build(tmp_path, client(name="Zoë").encode("utf-16"), "utf16.yaml"))


def test_invisible_characters_in_keys_build(tmp_path: Path) -> None:
    assert_built(
        build(tmp_path, client().replace("  name: Acme", "  name\u00a0: Acme").replace("architect", "\u200barchitect"))
    )


def test_value_cut_by_a_comment_warns(tmp_path: Path) -> None:
    result = build(tmp_path, client(definition="Our #1 priority segment"))
    assert_built(result)
    assert (
        "client.yaml:13:17: stages[id=mql].definition: warning: the value stops before '#1 priority segment'"
        in result.stderr
    )


@pytest.mark.parametrize("name", ["../../etc", "a/b\\c", "C:\\temp", "CON", "nul", ".", "营销"])
def test_client_names_never_escape_the_output_folder(name: str, tmp_path: Path) -> None:
    result = build(tmp_path, client(name=json.dumps(name)))
    assert_built(result)
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "client.yaml"]
    assert written and all((tmp_path / "out") in p.parents for p in written)
    folders = [p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")]
    assert len(folders) == 1 and folders[0] not in {"con", "nul"}


def test_output_that_cannot_be_replaced_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "acme").write_text("a file where the client folder should be")
    result = build(tmp_path, client())
    assert_clean_failure(result, "cannot write")
    assert (tmp_path / "out" / "acme").read_text() == "a file where the client folder should be"


def test_output_the_system_refuses_to_replace_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from deliverables.cli import cli

    assert_built(build(tmp_path, client()))
    client_dir = tmp_path / "out" / "acme"
    before = {p: p.read_bytes() for p in client_dir.rglob("*") if p.is_file()}

    def refuse(staging: Path, target: Path) -> None:
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr("deliverables.pipeline.storage._swap", refuse)
    (tmp_path / "client.yaml").write_text(client(definition="Changed."), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "client.yaml", "--out", "out"])
    assert result.exit_code == 1
    assert "cannot write out/acme/v1: Permission denied" in result.stderr
    assert {p: p.read_bytes() for p in client_dir.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in client_dir.iterdir()) == ["v1"]


@pytest.mark.slow
def test_a_one_megabyte_definition_never_hangs(tmp_path: Path) -> None:
    words = " ".join(f"word{i}" for i in range(120_000))[:1_000_000]
    result = build(tmp_path, client(definition=words))
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr
    if result.returncode == 1:
        assert "error" in result.stderr


@pytest.mark.slow
def test_two_thousand_stages_never_hang(tmp_path: Path) -> None:
    stages = "".join(
        f"  - {{id: s{i}, name: Stage {i}, domain: {('lead', 'sales', 'customer')[i % 3]}, entry: [Criterion {i}]}}\n"
        for i in range(2000)
    )
    result = build(tmp_path, f"client: {{name: Huge}}\nversion: 1\nstages:\n{stages}")
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr
