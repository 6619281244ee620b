"""The JSON Schema of the client file and the README's reference, both generated
from the model's field docstrings."""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel

from deliverables import __version__
from deliverables.core.model import Project


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a client file."""
    schema = Project.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://deliver.invalid/schema/client-{__version__}.json"
    schema["title"] = "deliver client file"
    return schema


def reference_markdown() -> str:
    """The client-file reference as Markdown: one table per model class."""
    lines: list[str] = []
    for cls in _classes(Project):
        lines += [f"### `{cls.__name__}`", "", (cls.__doc__ or "").strip(), ""]
        lines += ["| key | type | default | meaning |", "|---|---|---|---|"]
        for name, field in cls.model_fields.items():
            default = "required" if field.is_required() else _default(field)
            kind = _type_name(field.annotation)
            lines.append(f"| `{name}` | {kind} | {default} | {(field.description or '').strip()} |")
        lines.append("")
    return "\n".join(lines)


def _classes(root: type[BaseModel]) -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []

    def visit(cls: type[BaseModel]) -> None:
        if cls in seen:
            return
        seen.append(cls)
        for field in cls.model_fields.values():
            for sub in _models(field.annotation):
                visit(sub)

    visit(root)
    return seen


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _type_name(annotation: Any) -> str:
    if typing.get_origin(annotation) is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in typing.get_args(annotation))
    rest = [a for a in typing.get_args(annotation) if a is not type(None)]
    if len(rest) == 1 and typing.get_origin(rest[0]) is typing.Literal and type(None) in typing.get_args(annotation):
        return _type_name(rest[0]) + ", or empty"
    text = repr(annotation) if not isinstance(annotation, type) else annotation.__name__
    text = text.replace("typing.", "").replace("datetime.", "").replace("deliverables.core.model.", "")
    text = text.replace("Annotated[tuple[str, ...], BeforeValidator(func=<function _one_or_many at", "list[str]")
    text = re.sub(r"Annotated\[(\w+), FieldInfo\(.*?\)\]\]", r"\1", text)
    text = re.sub(
        r"Annotated\[date, AfterValidator\(func=<function _in_years at 0x[0-9a-f]+>\)\]", "date (1980-2099)", text
    )
    text = re.sub(r"Annotated\[(Literal\[[^]]*\]), BeforeValidator\(func=<function _lowered [^]]*?\)\]", r"\1", text)
    text = re.sub(r"Literal\[([^]]*)\]", lambda m: m.group(1).replace("'", "").replace(", ", " | "), text)
    if "list[str]" in text and "0x" in text:
        text = "list[str]"
    text = text.replace("tuple[", "list[").replace(", ...]", "]").replace("|", "\\|")
    return f"`{text}`"


def _default(field: Any) -> str:
    if field.default_factory is not None:
        return "`{}`"
    value = field.default
    if isinstance(value, BaseModel):
        return "(empty)"
    if value == ():
        return "`[]`"
    if value == "":
        return '`""`'
    return f"`{value}`" if value is not None else "—"
