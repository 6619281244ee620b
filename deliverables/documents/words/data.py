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
from deliverables.documents.words.templates import compiled, guarded, read_text


def load(ctx: Context | None, name: str) -> Any:
    """The parsed YAML template `name` (theme folder first, then built-in; no context: built-in)."""
    path = ctx.template(name) if ctx is not None else templates_root().joinpath(name)
    text = read_text(path, name)
    # Parsed once per process per text; each caller gets its own copy to change as it likes.
    return copy.deepcopy(_parsed(name, text))


@functools.lru_cache(maxsize=64)
def _parsed(name: str, text: str) -> Any:
    def parse() -> Any:
        try:
            found = YAML(typ="safe", pure=True).load(text)
        except (YAMLError, RecursionError) as exc:
            why = "it nests too deeply" if isinstance(exc, RecursionError) else exc
            raise TemplateError(f"template '{name}' is not valid YAML: {why}") from None
        if _expanded_size(found, MAX_NODES) > MAX_NODES:
            raise TemplateError(f"template '{name}' expands to more than {MAX_NODES:,} values (aliases of aliases)")
        return found

    # The pure-Python parser is slow and the built-in templates rarely change: keep the result.
    return cache.cached_json("template-data", cache.key(text) + ".json", parse)


MAX_NODES = 200_000
"""Values a data template may hold once its aliases are expanded: the built-in ones hold a few thousand."""


def _expanded_size(node: Any, limit: int) -> int:
    """How many values `node` holds with every alias expanded, counting stopped past `limit`."""
    count, stack = 0, [node]
    while stack and count <= limit:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def fill(source: str, /, **data: Any) -> str:
    """Render one template string with `data` in the sandboxed, strict, bounded environment."""
    where = f"template text {source[:40]!r}"
    try:
        template = compiled(source)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{where}: {exc}") from None
    return guarded(where, "data", lambda: template.render(**data)).strip()
