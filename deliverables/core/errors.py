"""The one exception tree of `deliver`, rooted at `click.ClickException`.

A user error exits 1 with a message and no traceback; anything else escaping
the CLI is a bug and exits 3 with its traceback (see `cli.main`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import IO, Any

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about a client file, positioned at the node it concerns."""

    file: str
    line: int
    column: int
    where: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        where = f"{self.where}: " if self.where else ""
        return f"{self.file}:{self.line}:{self.column}: {where}{prefix}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `--format json`."""
        return position_dict(self)


def position_dict(item: Any) -> dict[str, Any]:
    """The keys every finding shares in `--format json`: where it is and what it says."""
    keys = ("file", "line", "column", "where", "message", "severity")
    return {key: getattr(item, key) for key in keys}


class DeliverError(click.ClickException):
    """Base of every error the user can cause; exits 1."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", file=file or sys.stderr)


def error_lines(exc: DeliverError, source: object) -> list[str]:
    """What to print for a user error about the client file `source`: every positioned
    problem, or one line naming the file."""
    problems = getattr(exc, "problems", None)
    if problems:
        return [str(p) for p in problems]
    return [f"{source}: error: {exc.format_message()}"]


class InputError(DeliverError):
    """A client file that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.message))
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error{'' if len(errors) == 1 else 's'}")

    def __reduce__(self) -> tuple[Any, ...]:
        # Carried back from a worker process whole, with its problems.
        return (type(self), (self.problems,))

    def show(self, file: IO[Any] | None = None) -> None:
        out = file or sys.stderr
        for problem in self.problems:
            click.echo(str(problem), file=out)
        errors = sum(p.severity == "error" for p in self.problems)
        files = sorted({p.file for p in self.problems})
        click.echo(f"{errors} error{'' if errors == 1 else 's'} in {', '.join(files)}", file=out)


class TemplateError(DeliverError):
    """A template or branded base that lacks what a renderer needs.

    `file` is the template file at fault, when known: the build then positions the
    error at the client file's `theme:` when that file comes from its theme."""

    def __init__(self, message: str, file: object = None):
        super().__init__(message)
        self.file = None if file is None else str(file)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.file))


class BuildError(DeliverError):
    """A deliverable could not be produced from a valid client file."""


class OutputError(DeliverError):
    """The output location cannot be written."""


@dataclass(frozen=True, order=True)
class RowProblem:
    """A problem in a row of a data file the client file points at (a CRM export):
    printed as `EXPORT:ROW: column 'X': ...`."""

    file: str
    line: int
    column: int
    where: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `--format json`."""
        return position_dict(self)
