"""Wording from Jinja templates in `templates/`, rendered in a sandbox.

Client text is passed in as data and never evaluated as a template, so a
definition containing `{{ 7*7 }}` prints literally. Undefined names fail loudly.
"""

from __future__ import annotations

import functools
import marshal
import re
import sys
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from deliverables.core import cache
from deliverables.core.context import Context
from deliverables.core.errors import TemplateError
from deliverables.documents.words import grammar, prose

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_BULLET_START = re.compile(r"^([-+=])")
_NUMBER_START = re.compile(r"^(\d+)([.)])")
_BREAKS = re.compile(f"\r\n|[\r\n{prose.LINE}]")


def _md_line(text: str) -> str:
    """One line escaped for Markdown: its special characters, and a start that would open a
    list, a numbered item or a heading underline."""
    line = _BULLET_START.sub(r"\\\1", _MD_SPECIAL.sub(r"\\\1", text).strip())
    return _NUMBER_START.sub(r"\1\\\2", line)


def md(text: Any) -> str:
    """Client or template text escaped for Markdown on one line (a table cell, a heading):
    it never turns into markup, and its line breaks become spaces."""
    return " ".join(_md_line(part) for part in _BREAKS.split(str(text)) if part.strip())


def md_block(text: Any, indent: str = "") -> str:
    """Text escaped for a Markdown paragraph or list item: its line breaks become hard
    breaks, continued at `indent`."""
    return ("  \n" + indent).join(_md_line(part) for part in _BREAKS.split(str(text)))


_OPTIONS = {"autoescape": False, "keep_trailing_newline": True, "trim_blocks": True, "lstrip_blocks": True}
"""How templates are compiled; part of the key of cached compiled code."""


@functools.lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """The one Jinja environment: sandboxed, strict, no autoescape (outputs are not HTML)."""
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, **_OPTIONS)
    env.filters["md"] = md
    env.filters.update(grammar.FILTERS)
    return env


@functools.lru_cache(maxsize=256)
def compiled(source: str) -> jinja2.Template:
    """A template compiled once: its code is kept in the user cache across runs, and in
    this process for every deliverable and version that uses the same wording."""
    env = environment()
    name = cache.key(source, jinja2.__version__, sys.version, repr(sorted(_OPTIONS.items()))) + ".code"
    code = marshal.loads(cache.cached("jinja", name, lambda: marshal.dumps(env.compile(source))))
    return env.template_class.from_code(env, code, env.make_globals(None))


MAX_TEMPLATE_BYTES = 1_000_000
"""A wording template larger than this is refused before it is compiled."""
MAX_OUTPUT_CHARS = 2_000_000
"""A rendered wording larger than this is a template error, not a document."""


def render(ctx: Context, name: str, **data: Any) -> str:
    """Render the template `name` (theme first, then built-in) with `data`.

    A theme's template is the client's own code: whatever it does wrong (a syntax
    error, a division by zero, endless recursion, an `include` of another file,
    text that is not UTF-8, a loop that builds megabytes) is a `TemplateError`
    naming the file and, where known, its line, never a crash."""
    path = ctx.template(name)
    try:
        raw = _read_bounded(path)
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateError(f"{path}: template '{name}' is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise TemplateError(f"{path}: template '{name}' cannot be read: {exc.strerror or exc}") from None
    try:
        out = compiled(text).render(**data)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{path}:{exc.lineno}: template '{name}': {exc.message}") from None
    except (jinja2.TemplateError, ArithmeticError, RecursionError, TypeError, ValueError, LookupError) as exc:
        line = _template_line(exc)
        where = f"{path}:{line}" if line else str(path)
        why = "it calls itself without end" if isinstance(exc, RecursionError) else str(exc) or type(exc).__name__
        raise TemplateError(f"{where}: template '{name}' failed: {why}") from None
    if len(out) > MAX_OUTPUT_CHARS:
        raise TemplateError(f"{path}: template '{name}' produced more than {MAX_OUTPUT_CHARS:,} characters")
    return out


def _read_bounded(path: Any) -> bytes:
    with open(path, "rb") as handle:
        raw = handle.read(MAX_TEMPLATE_BYTES + 1)
    if len(raw) > MAX_TEMPLATE_BYTES:
        raise OSError(0, f"larger than {MAX_TEMPLATE_BYTES:,} bytes")
    return raw


def _template_line(exc: BaseException) -> int | None:
    """The template line a rendering error came from (Jinja maps its frames to `<template>`)."""
    line, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
