"""The README's client-file reference is generated from the model and kept in sync."""

from __future__ import annotations

from conftest import ROOT

from deliverables.commands.schema import refreshed


def test_readme_reference_matches_the_model() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert refreshed(text) == text, (
        "run: python -c 'from deliverables.commands.schema import update; from pathlib import Path; update(Path(\"README.md\"))'"
    )


def test_readme_lists_every_lint_rule(runner) -> None:
    from deliverables.cli import cli

    table = runner.invoke(cli, ["check", "--list-rules"]).stdout
    assert table.strip() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_names_every_deliverable_command() -> None:
    from deliverables.cli import cli

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"`deliver {name}" in text, name


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = 'pip install -c constraints.txt ".[test]" && lint-imports --no-cache && pytest -q -n auto'
    assert command in readme
    assert command.replace("pip install", "pip install -q") in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
