"""A theme's wording templates are the client's own code: whatever goes wrong in one
is an error naming the template file (and line), exit 1, never a crash or a hang."""

from __future__ import annotations

import os
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


BOUNDS = {
    "runaway-loop": (
        "line one\n{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n",
        ":2: template 'stage-summary.md.j2' failed: the template loops more than 5,000,000 times",
    ),
    "repetition": (
        'line one\n{{ "x" * 1000000000 }}\n',
        ":2: template 'stage-summary.md.j2' failed: a repetition longer than 2,000,000 is too large",
    ),
    "power": ("line one\n{{ 2 ** 100000000 }}\n", ":2: template 'stage-summary.md.j2' failed: a power above 10,000"),
}


@pytest.mark.parametrize("case", sorted(BOUNDS))
def test_a_theme_template_that_would_run_for_hours_is_stopped(case: str, tmp_path: Path) -> None:
    text, expected = BOUNDS[case]
    write(tmp_path / "theme" / TEMPLATE, text)
    write(tmp_path / "acme.yaml", "theme: theme\n" + client())
    result = deliver("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=tmp_path)
    assert_user_error(result, f"theme/{TEMPLATE}{expected}")


def test_a_fifo_for_a_theme_template_is_never_waited_on(tmp_path: Path) -> None:
    (tmp_path / "theme").mkdir()
    os.mkfifo(tmp_path / "theme" / TEMPLATE)
    write(tmp_path / "acme.yaml", "theme: theme\n" + client())
    result = deliver("build", "acme.yaml", "--only", "summary", "--out", "out", cwd=tmp_path)
    assert_user_error(result, f"theme/{TEMPLATE}: template '{TEMPLATE}' cannot be read: not a regular file")


# ---------------------------------------------------------------- the decks' macro templates

DECK = "decks/kickoff.j2"


def _title_line() -> tuple[str, int]:
    """The built-in kickoff wording and the line (1-based) of its `title` macro."""
    from deliverables.core.paths import templates_root

    text = (templates_root() / DECK).read_text(encoding="utf-8")
    lines = text.splitlines()
    (index,) = [i for i, line in enumerate(lines) if line.startswith("{% macro title(client) %}")]
    return text, index + 1


DECK_CASES = {
    "division-by-zero": ("{{ 1 / 0 }}", "failed: division by zero"),
    "recursion": ("{{ title(client) }}", "failed: it calls itself without end"),
    "huge-range": ("{{ range(10000000) | list | length }}", "failed: Range too big."),
    "runaway-loop": (
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        "failed: the template loops more than 5,000,000 times",
    ),
    "megabytes": (
        "{% for i in range(9999) %}{% for j in range(99) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}",
        "produced more than 2,000,000 characters",
    ),
    "repetition": ('{{ "x" * 1000000000 }}', "failed: a repetition longer than 2,000,000 is too large"),
    "power": ("{{ 2 ** 100000000 }}", "failed: a power above 10,000 is too large"),
    "undefined": ("{{ nope }}", "failed: 'nope' is undefined"),
    "unsafe": ("{{ client.__class__ }}", "failed: access to attribute '__class__' of 'str' object is unsafe."),
}


@pytest.mark.parametrize("case", sorted(DECK_CASES))
def test_a_failing_deck_macro_of_the_theme_is_an_error_naming_its_line(case: str, tmp_path: Path) -> None:
    body, expected = DECK_CASES[case]
    text, line = _title_line()
    lines = text.splitlines()
    lines[line - 1] = "{% macro title(client) %}" + body + "{% endmacro %}"
    write(tmp_path / "theme" / DECK, "\n".join(lines) + "\n")
    write(tmp_path / "acme.yaml", "theme: theme\n" + client())
    result = deliver("build", "acme.yaml", "--only", "kickoff-deck", "--out", "out", cwd=tmp_path)
    where = f"theme/{DECK}" if case == "megabytes" else f"theme/{DECK}:{line}"
    assert_user_error(result, f"{where}: template '{DECK}', macro 'title' {expected}")
    assert not list((tmp_path / "out").rglob("*.pptx"))


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("missing-macro", f": template '{DECK}' has no macro 'title'"),
        ("top-level", ":1: template 'decks/kickoff.j2' failed: division by zero"),
        ("syntax", ":1: template 'decks/kickoff.j2': "),
        ("not-utf8", f": template '{DECK}' is not UTF-8 text (byte 0)"),
    ],
)
def test_a_broken_deck_template_of_the_theme_is_an_error_naming_it(case: str, expected: str, tmp_path: Path) -> None:
    text, _ = _title_line()
    if case == "missing-macro":
        data: str | bytes = text.replace("{% macro title(client) %}", "{% macro renamed(client) %}")
    elif case == "top-level":
        data = "{{ 1 / 0 }}\n" + text
    elif case == "syntax":
        data = "{% endfor %}\n" + text
    else:
        data = b"\xff\xfe" + text.encode("utf-8")
    write(tmp_path / "theme" / DECK, data)
    write(tmp_path / "acme.yaml", "theme: theme\n" + client())
    result = deliver("build", "acme.yaml", "--only", "kickoff-deck", "--out", "out", cwd=tmp_path)
    assert_user_error(result, f"theme/{DECK}{expected}")
    assert not list((tmp_path / "out").rglob("*.pptx"))


def test_a_sound_deck_macro_of_the_theme_is_used(tmp_path: Path) -> None:
    text, line = _title_line()
    lines = text.splitlines()
    lines[line - 1] = "{% macro title(client) %}{{ client }}: our own kickoff{% endmacro %}"
    write(tmp_path / "theme" / DECK, "\n".join(lines) + "\n")
    write(tmp_path / "acme.yaml", "theme: theme\n" + client())
    assert_ok(deliver("build", "acme.yaml", "--only", "kickoff-deck", "--out", "out", cwd=tmp_path))
    (deck,) = (tmp_path / "out").rglob("*.pptx")
    from pptx import Presentation

    first = Presentation(str(deck)).slides[0]
    assert "Acme: our own kickoff" in [s.text_frame.text for s in first.shapes if s.has_text_frame]
