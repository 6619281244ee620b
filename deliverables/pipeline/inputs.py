"""External files a deliverable declares (`EXTERNAL`): found, checked and read
by the pipeline, so their bytes are part of the deliverable's key.

Only regular files are read, and only up to a bound: a client file that points
its logo or theme at a device, a FIFO or a huge file gets a clear error, not a
hang.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from deliverables.core.errors import InputError, TemplateError

if TYPE_CHECKING:
    from deliverables.core.context import Context

LIMITS = {"logo": 10 * 1024 * 1024}
"""Largest file read per role, in bytes; templates take `TEMPLATE_LIMIT`."""
TEMPLATE_LIMIT = 50 * 1024 * 1024


class NotReadable(Exception):
    """An external file that is not a regular file or is too large."""


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them (FileNotFoundError when absent)."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotReadable("is not a regular file")
    if info.st_size > limit:
        raise NotReadable(f"is larger than {limit // (1024 * 1024)} MB")
    # O_NONBLOCK: should the path be swapped for a FIFO after the check, open must not hang.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise NotReadable(f"is larger than {limit // (1024 * 1024)} MB")
    return data


def load(roles: Iterable[str], ctx: Context) -> dict[str, bytes]:
    """The declared external files by role; a missing logo is a warning on `ctx`."""
    found = {}
    for role in roles:
        data = _logo(ctx) if role == "logo" else _template(role, ctx)
        if data is not None:
            found[role] = data
    return found


def external_paths(ctx: Context) -> list[Path]:
    """External files outside the templates and theme folders that a build may read."""
    return [_logo_path(ctx)] if ctx.project.client.logo else []


def _logo_path(ctx: Context) -> Path:
    return Path(ctx.document.path).parent / (ctx.project.client.logo or "")


def _logo(ctx: Context) -> bytes | None:
    if not ctx.project.client.logo:
        return None
    path = _logo_path(ctx)
    try:
        return read_bounded(path, LIMITS["logo"])
    except FileNotFoundError:
        ctx.warn(("client", "logo"), f"logo file '{path}' not found; the cover has no logo")
    except NotReadable as exc:
        raise InputError([ctx.document.problem(("client", "logo"), f"logo file '{path}' {exc}")]) from None
    except OSError as exc:
        raise InputError(
            [ctx.document.problem(("client", "logo"), f"logo file '{path}' cannot be read: {exc.strerror or exc}")]
        ) from None
    return None


def _template(role: str, ctx: Context) -> bytes:
    path = ctx.template(role)
    try:
        return read_bounded(path, TEMPLATE_LIMIT)
    except (NotReadable, OSError) as exc:
        reason = str(exc) if isinstance(exc, NotReadable) else f"cannot be read: {exc.strerror or exc}"
        raise TemplateError(f"template '{path}' {reason}") from None
