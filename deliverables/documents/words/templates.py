"""Wording from Jinja templates in `templates/`, rendered in a sandbox.

Client text is passed in as data and never evaluated as a template, so a
definition containing `{{ 7*7 }}` prints literally. Undefined names fail loudly.
"""

from __future__ import annotations

import contextvars
import functools
import marshal
import os
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

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


MAX_TEMPLATE_BYTES = 1_000_000
"""A wording template larger than this is refused before it is compiled."""
MAX_OUTPUT_CHARS = 2_000_000
"""A rendered wording larger than this is a template error, not a document."""
MAX_STEPS = 5_000_000
"""Loop steps (`range`) one template call may take: wording needs thousands, a runaway loop billions."""
MAX_POWER = 10_000
"""The largest exponent `**` takes: beyond it a number would take minutes to compute."""

_steps: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("template_steps", default=None)


class Sandbox(SandboxedEnvironment):
    """The sandbox, bounded: `range` counts toward `MAX_STEPS` per guarded call, and `*` and
    `**` refuse results that could never fit a document (Jinja's sandbox alone lets both run
    for hours or fill the memory)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_POWER and abs(left) > 1:
            raise OverflowError(f"a power above {MAX_POWER:,} is too large")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, (str, list, tuple))
                    and isinstance(times, int)
                    and len(seq) * times > MAX_OUTPUT_CHARS
                ):
                    raise OverflowError(f"a repetition longer than {MAX_OUTPUT_CHARS:,} is too large")
        return super().call_binop(context, operator, left, right)


def _range(*args: int) -> range:
    found = jinja2.sandbox.safe_range(*args)
    steps = _steps.get()
    if steps is not None:
        steps[0] += len(found)
        if steps[0] > MAX_STEPS:
            raise OverflowError(f"the template loops more than {MAX_STEPS:,} times")
    return found


@functools.lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """The one Jinja environment: sandboxed, bounded, strict, no autoescape (outputs are not HTML)."""
    env = Sandbox(undefined=jinja2.StrictUndefined, **_OPTIONS)
    env.globals["range"] = _range
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


def render(ctx: Context, name: str, **data: Any) -> str:
    """Render the template `name` (theme first, then built-in) with `data`.

    A theme's template is the client's own code: whatever it does wrong (a syntax
    error, a division by zero, endless recursion, an `include` of another file,
    text that is not UTF-8, a loop that builds megabytes) is a `TemplateError`
    naming the file and, where known, its line, never a crash."""
    path, template = load(ctx, name)
    return guarded(path, name, lambda: _streamed(template, data))


class _TooLong(Exception):
    """Raised as soon as a rendering passes `MAX_OUTPUT_CHARS`."""


def _streamed(template: jinja2.Template, data: dict[str, Any]) -> str:
    """The template's text, stopped as soon as it grows past `MAX_OUTPUT_CHARS`."""
    parts, size = [], 0
    for part in template.generate(**data):
        size += len(part)
        if size > MAX_OUTPUT_CHARS:
            raise _TooLong
        parts.append(part)
    return "".join(parts)


def load(ctx: Context, name: str) -> tuple[Path, jinja2.Template]:
    """The template `name` (theme first, then built-in) read within bounds and compiled."""
    path = ctx.template(name)
    text = read_text(path, name)
    try:
        return path, compiled(text)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{path}:{exc.lineno}: template '{name}': {exc.message}") from None


T = TypeVar("T")


def guarded(path: Path | str, name: str, call: Callable[[], T], what: str = "") -> T:
    """What `call` (rendering template `name` at `path`, or calling one of its macros,
    `what`) returns, with whatever it does wrong turned into a `TemplateError` naming
    the file and line: its loops, powers and output bounded."""
    token = _steps.set([0])
    too_long = f"{path}: template '{name}'{what} produced more than {MAX_OUTPUT_CHARS:,} characters"
    try:
        out = _mapped(call)
    except _TooLong:
        raise TemplateError(too_long) from None
    except (jinja2.TemplateError, ArithmeticError, RecursionError, TypeError, ValueError, LookupError) as exc:
        line = _template_line(exc)
        where = f"{path}:{line}" if line else str(path)
        why = "it calls itself without end" if isinstance(exc, RecursionError) else str(exc) or type(exc).__name__
        raise TemplateError(f"{where}: template '{name}'{what} failed: {why}") from None
    except MemoryError:
        raise TemplateError(f"{path}: template '{name}'{what} failed: it needs more memory than there is") from None
    finally:
        _steps.reset(token)
    if isinstance(out, str) and len(out) > MAX_OUTPUT_CHARS:
        raise TemplateError(too_long)
    return out


def _mapped(call: Callable[[], T]) -> T:
    """`call()`, its errors' tracebacks mapped to template lines (as `Template.render` does;
    a macro called directly does not)."""
    try:
        return call()
    except _TooLong:
        raise
    except Exception:
        environment().handle_exception()
        raise  # handle_exception always raises; for the type checker


class Macros:
    """The macros of one template (theme first, then built-in), each call guarded."""

    def __init__(self, ctx: Context, name: str):
        self.name = name
        self.path, template = load(ctx, name)
        self.module = guarded(self.path, name, lambda: template.module)

    def __call__(self, macro: str, *args: Any, **kwargs: Any) -> str:
        """The text of `macro` called with the arguments."""
        function = getattr(self.module, macro, None)
        if not callable(function):
            raise TemplateError(f"{self.path}: template '{self.name}' has no macro '{macro}'")
        return guarded(self.path, self.name, lambda: str(function(*args, **kwargs)), f", macro '{macro}'")


def read_text(path: Any, name: str) -> str:
    """The UTF-8 text of template `name` at `path`, read within bounds; TemplateError otherwise."""
    try:
        return read_bounded(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateError(f"{path}: template '{name}' is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise TemplateError(f"{path}: template '{name}' cannot be read: {exc.strerror or exc}") from None


def read_bounded(path: Any) -> bytes:
    """The bytes of the regular file `path`, at most `MAX_TEMPLATE_BYTES`: anything else
    (a FIFO, a device, a folder, a huge file) is an OSError, never a wait."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise OSError(0, "not a regular file")
    # O_NONBLOCK: should the path be swapped for a FIFO after the check, open must not hang.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
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
