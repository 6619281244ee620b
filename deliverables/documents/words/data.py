"""Structured template data: YAML files in `templates/` holding defaults and wording.

Strings in them may use Jinja placeholders filled by `fill`; client text only
ever enters as data, so it is never evaluated as a template.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import jinja2
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from deliverables.core import cache
from deliverables.core.context import Context
from deliverables.core.errors import TemplateError
from deliverables.core.paths import templates_root
from deliverables.documents.words.templates import compiled


def load(ctx: Context | None, name: str) -> Any:
    """The parsed YAML template `name` (theme folder first, then built-in; no context: built-in)."""
    text = ctx.template_text(name) if ctx is not None else templates_root().joinpath(name).read_text("utf-8")
    # Parsed once per process per text; each caller gets its own copy to change as it likes.
    return copy.deepcopy(_parsed(name, text))


@functools.lru_cache(maxsize=64)
def _parsed(name: str, text: str) -> Any:
    def parse() -> Any:
        try:
            return YAML(typ="safe", pure=True).load(text)
        except YAMLError as exc:
            raise TemplateError(f"template '{name}' is not valid YAML: {exc}") from None

    # The pure-Python parser is slow and the built-in templates rarely change: keep the result.
    return cache.cached_json("template-data", cache.key(text) + ".json", parse)


def fill(source: str, /, **data: Any) -> str:
    """Render one template string with `data` in the sandboxed, strict environment."""
    try:
        return compiled(source).render(**data).strip()
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template text {source[:40]!r}: {exc}") from None
