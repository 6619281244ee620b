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
from deliverables.core.paths import kind

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
        raise NotReadable(f"is {kind(info.st_mode)}")
    if info.st_size > limit:
        raise NotReadable(f"is larger than {_mb(limit)}")
    # O_NONBLOCK: should the path be swapped for a FIFO after the check, open must not hang.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise NotReadable(f"is larger than {_mb(limit)}")
    return data


def _mb(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB"


def _unreadable(exc: OSError) -> str:
    return f"cannot be read ({exc.strerror or exc})"


def load(roles: Iterable[str], ctx: Context) -> dict[str, bytes]:
    """The declared external files by role; a missing logo is a warning on `ctx`."""
    found = {}
    for role in roles:
        if role == EXPORTS:
            data = _exports(ctx)
        else:
            data = _logo(ctx) if role == "logo" else _template(role, ctx)
        if data is not None:
            found[role] = data
    return found


def external_paths(ctx: Context) -> list[Path]:
    """External files outside the templates and theme folders that a build may read."""
    logo = [_logo_path(ctx)] if ctx.project.client.logo else []
    return logo + _export_paths(ctx)


EXPORTS = "exports"
"""Role of the CRM exports named under `audit:`: their content fingerprint, not their bytes."""


def _export_paths(ctx: Context) -> list[Path]:
    audit = ctx.project.audit
    if audit is None:
        return []
    base = Path(ctx.document.path).parent
    return [base / e.path for e in audit.exports if e.path not in audit.tables]


def _exports(ctx: Context) -> bytes | None:
    """One line per export: its path and the SHA-256 of its bytes (read in chunks: exports can be large)."""
    import hashlib

    audit = ctx.project.audit
    if audit is None:
        return None
    lines = [f"source {audit.source or ''}"] + [f"table {k} {v}" for k, v in sorted(audit.tables.items())]
    for i, path in enumerate(_export_paths(ctx)):
        digest = hashlib.sha256()
        where = ("audit", "exports", i, "path")
        try:
            mode = os.stat(path).st_mode
            if not stat.S_ISREG(mode):  # a FIFO would be waited on for ever, a device read without end
                expected = "expected a CSV or XLSX export file"
                raise InputError([ctx.document.problem(where, f"export file '{path}' is {kind(mode)}, {expected}")])
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        except FileNotFoundError:
            raise InputError([ctx.document.problem(where, f"export file '{path}' not found")]) from None
        except OSError as exc:
            message = f"export file '{path}' {_unreadable(exc)}, expected a readable CSV or XLSX export file"
            raise InputError([ctx.document.problem(where, message)]) from None
        lines.append(f"{path.name} {digest.hexdigest()}")
    return "\n".join(lines).encode("utf-8")


def _logo_path(ctx: Context) -> Path:
    return Path(ctx.document.path).parent / (ctx.project.client.logo or "")


LOGO_EXPECTED = "PNG or JPEG image file"


def _logo(ctx: Context) -> bytes | None:
    if not ctx.project.client.logo:
        return None
    path = _logo_path(ctx)
    try:
        data = read_bounded(path, LIMITS["logo"])
    except FileNotFoundError:
        ctx.warn(("client", "logo"), f"logo file '{path}' not found; the cover has no logo")
        return None
    except NotReadable as exc:
        bound = f" of at most {_mb(LIMITS['logo'])}" if "larger" in str(exc) else ""
        raise _logo_error(ctx, f"logo file '{path}' {exc}, expected a {LOGO_EXPECTED}{bound}") from None
    except OSError as exc:
        raise _logo_error(ctx, f"logo file '{path}' {_unreadable(exc)}, expected a readable {LOGO_EXPECTED}") from None
    from deliverables.backends import images

    damage = images.damage(data)
    if damage is not None:
        raise _logo_error(ctx, f"logo file '{path}' {damage}")
    return data


def _logo_error(ctx: Context, message: str) -> InputError:
    return InputError([ctx.document.problem(("client", "logo"), message)])


EXPECTED = {
    "base.docx": "a Word document (.docx)",
    "base.pptx": "a PowerPoint presentation (.pptx)",
}


def _template(role: str, ctx: Context) -> bytes:
    path = ctx.template(role)
    expected = EXPECTED.get(role, "a template file")
    try:
        return read_bounded(path, TEMPLATE_LIMIT)
    except NotReadable as exc:
        bound = f" of at most {_mb(TEMPLATE_LIMIT)}" if "larger" in str(exc) else ""
        error = TemplateError(f"template '{path}' {exc}, expected {expected}{bound}", path)
    except OSError as exc:
        error = TemplateError(f"template '{path}' {_unreadable(exc)}, expected a readable file", path)
    raise placed(ctx, error) from None


def from_client_file(ctx: Context) -> bool:
    """True when the theme in use is the one the client file's `theme:` names (not `--theme`)."""
    named = ctx.project.theme
    return bool(named) and ctx.theme == Path(ctx.document.path).parent / str(named)


def placed(ctx: Context, exc: BaseException) -> BaseException:
    """A template error about a file of the theme, positioned where the client file names
    the theme (or naming `--theme` when the option chose it); any other error as it is."""
    if not isinstance(exc, TemplateError) or exc.file is None or ctx.theme is None:
        return exc
    if not Path(exc.file).is_relative_to(ctx.theme):
        return exc
    if from_client_file(ctx):
        return InputError([ctx.document.problem(("theme",), exc.message)])
    return TemplateError(f"--theme: {exc.message}", exc.file)
