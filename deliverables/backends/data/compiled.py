"""The SQL of the audit's expressions, compiled by ibis once per expression and kept.

Compiling is pure work on the expression tree, yet it is about half of what a small
audit costs. Every build of a client compiles the same trees again, so each
compilation is kept, in this process and in the per-user cache (`core.cache`),
under a fingerprint of the whole tree: every node's class and every argument,
with the versions of ibis and DuckDB. A tree holding anything the fingerprint
cannot spell out exactly is compiled afresh every time, so a kept SQL text is
only ever used for the very tree it was made from.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from deliverables.core import cache

KIND = "audit-sql"
_seen: dict[str, str] = {}
"""This process's compilations, by fingerprint (a session of builds asks again and again)."""
_SEEN = 256
_PLAIN = (bool, int, float, str, bytes, decimal.Decimal, dt.date, dt.time, dt.timedelta)
"""Values spelled out by their type and repr."""


class _Unknown(Exception):
    """The tree holds a value the fingerprint cannot spell out."""


def sql(expr: Any, compile_: Callable[[Any], str], dialect: str) -> str:
    """The SQL `compile_` makes of `expr`, compiled once per distinct tree."""
    try:
        print_ = fingerprint(expr.op(), dialect)
    except _Unknown:
        return compile_(expr)
    found = _seen.get(print_)
    if found is None:
        data = cache.cached(KIND, print_, lambda: compile_(expr).encode("utf-8"))
        found = data.decode("utf-8")
        if len(_seen) >= _SEEN:
            _seen.pop(next(iter(_seen)))
        _seen[print_] = found
    return found


def fingerprint(node: Any, dialect: str) -> str:
    """A stable digest of an ibis operation tree (the same in every process), with the
    library versions and the dialect it is compiled for."""
    import duckdb
    import ibis

    digests: dict[int, bytes] = {}  # by id(): every node is held by the tree meanwhile
    top = _digest(node, digests)
    return cache.key(f"ibis {ibis.__version__} duckdb {duckdb.__version__} {dialect}", top)


def _digest(value: Any, digests: dict[int, bytes]) -> bytes:
    from ibis.backends import BaseBackend
    from ibis.common.grounds import Concrete

    if isinstance(value, Concrete):
        found = digests.get(id(value))
        if found is not None:
            return found
        kind = type(value)
        hasher = hashlib.sha256(f"{kind.__module__}.{kind.__qualname__}(".encode())
        for name, arg in zip(kind.__argnames__, value.__args__):
            hasher.update(name.encode() + b"=" + _digest(arg, digests) + b",")
        found = hasher.digest()
        digests[id(value)] = found
        return found
    if value is None or isinstance(value, _PLAIN):
        return f"{type(value).__name__}:{value!r}".encode()
    if isinstance(value, enum.Enum):
        return f"{type(value).__qualname__}.{value.name}".encode()
    if isinstance(value, BaseBackend):  # which connection a table is on is no part of its SQL
        return f"backend:{value.name}".encode()
    if isinstance(value, Mapping):
        parts = [_digest(k, digests) + b":" + _digest(v, digests) for k, v in value.items()]
        return b"{" + b",".join(parts) + b"}"
    if isinstance(value, (tuple, list)):
        return b"(" + b",".join(_digest(v, digests) for v in value) + b")"
    if isinstance(value, frozenset):  # no order of its own: its members' digests, sorted
        return b"set(" + b",".join(sorted(_digest(v, digests) for v in value)) + b")"
    raise _Unknown(type(value).__name__)
