"""What a renderer may know besides the project: where templates are, the
previous version, the document date, and how to report a warning."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, TemplateError
from .layout import data_dir
from .model import Project
from .source import Document

FALLBACK_DATE = dt.date(2000, 1, 1)


def _data_dir(name: str) -> Path:
    found = data_dir(name)
    if found is None:
        raise TemplateError(f"the '{name}' folder is missing from this installation of deliver")
    return found


def templates_root() -> Path:
    """The built-in `templates/` folder (shipped as package data)."""
    return _data_dir("templates")


def architectures_root() -> Path:
    """The built-in `architectures/` folder (shipped as package data)."""
    return _data_dir("architectures")


def document_date(project: Project) -> dt.date:
    """The date printed on documents: the file's `date`, else SOURCE_DATE_EPOCH, else 2000-01-01."""
    if project.date is not None:
        return project.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return FALLBACK_DATE


@dataclass
class Context:
    """Build-time facts handed to `view` and `render`."""

    project: Project
    document: Document
    previous: Project | None = None
    theme: Path | None = None
    warnings: list[Problem] = field(default_factory=list)

    @property
    def date(self) -> dt.date:
        """The date of this version."""
        return document_date(self.project)

    def warn(self, path: tuple[str | int, ...], message: str) -> None:
        """Record a warning positioned at the client-file node `path`."""
        problem = self.document.problem(path, message, severity="warning")
        if problem not in self.warnings:
            self.warnings.append(problem)

    def template(self, name: str) -> Path:
        """A template file: the theme folder's copy when it has one, else the built-in."""
        if self.theme is not None and (self.theme / name).is_file():
            return self.theme / name
        found = templates_root().joinpath(*name.split("/"))
        if not found.is_file():
            raise TemplateError(f"template '{name}' not found in the built-in templates")
        return found

    def template_text(self, name: str) -> str:
        """A text template's contents."""
        return self.template(name).read_text(encoding="utf-8")
