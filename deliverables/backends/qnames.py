"""One lookup table for the office libraries' qualified-name function.

python-pptx and python-docx turn a prefixed tag (`p:sp`, `w:r`) into the
Clark name lxml needs (`{http://...}sp`) with `qn`, parsing the prefix each
time; their element classes call it tens of thousands of times a document.
The answer depends only on the tag, so it is kept after the first call: the
same strings, the same files, a fraction of the cost. `install` puts the
remembering function in place of `qn` in every module of the library that
imported it (and in the backend's own modules), once, when the backend that
uses the library is imported.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType


def remembering(qn: Callable[[str], str]) -> Callable[[str], str]:
    """`qn` with every answer kept; the same function for the same `qn`."""
    found: dict[str, str] = {}

    def remembered(tag: str) -> str:
        try:
            return found[tag]
        except KeyError:
            name = found[tag] = qn(tag)
            return name

    remembered.__doc__ = qn.__doc__
    remembered.__wrapped__ = qn  # type: ignore[attr-defined]
    return remembered


def install(ns: ModuleType) -> None:
    """Replace `ns.qn` by its remembering form in every loaded module that holds it (the
    library's own and the backends', which imported it by name); modules loaded later
    keep the original, which gives the same answers."""
    original = ns.qn
    if hasattr(original, "__wrapped__"):
        return  # installed already
    faster = remembering(original)
    for module in list(sys.modules.values()):
        if getattr(module, "qn", None) is original:
            module.qn = faster  # type: ignore[attr-defined]
