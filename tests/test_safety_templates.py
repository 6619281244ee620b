"""A theme's wording templates are the client's own code: whatever goes wrong in one
is an error naming the template file (and line), exit 1, never a crash or a hang."""

from __future__ import annotations

from pathlib import Path

import pytest
from safety_support import assert_ok, assert_user_error, client, deliver, write

TEMPLATE = "stage-summary.md.j2"
CASES = {
    "division-by-zero": ("line one\n{{ 1 / 0 }}\n", ":2: template 'stage-summary.md.j2' failed: division by zero"),
    "recursion": (
        "line one\n{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}\n",
        ":2: template 'stage-summary.md.j2' failed: it calls itself without end",
    ),
    "include": ('line one\n{% include "other.j2" %}\n', ":2: template 'stage-summary.md.j2' failed:"),
    "huge-range": ("line one\n{{ range(10000000) | list | length }}\n", "Range too big"),
    "megabytes": (
        "{% for i in range(99999) %}{% for j in range(99) %}xxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}",
        "template 'stage-summary.md.j2' produced more than 2,000,000 characters",
    ),
    "syntax": ("line one\n{{ x.\n", ":2: template 'stage-summary.md.j2': "),
    "not-utf8": (b"\xff\xfe not text", "template 'stage-summary.md.j2' is not UTF-8 text (byte 0)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_failing_theme_template_is_an_error_naming_it(case: str, tmp_path: Path) -> None:
    text, expected = CASES[case]
    write(tmp_path / "theme" / TEMPLATE, text)
    write(tmp_path / "acme.yaml", "theme: theme\n" + client())
    result = deliver("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=tmp_path)
    assert_user_error(result, f"theme/{TEMPLATE}", expected)
    assert not list((tmp_path / "out").rglob("stage-summary-*.md"))


def test_a_sound_theme_template_is_used(tmp_path: Path) -> None:
    write(tmp_path / "theme" / TEMPLATE, "# {{ client }} in brief\n")
    write(tmp_path / "acme.yaml", "theme: theme\n" + client())
    assert_ok(deliver("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=tmp_path))
    (page,) = (tmp_path / "out").rglob("stage-summary-*.md")
    assert page.read_text(encoding="utf-8").startswith("# Acme in brief")
