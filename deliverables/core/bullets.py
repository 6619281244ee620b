"""List items pasted from a bulleted list keep their bullet: the documents then draw two.

A criterion copied out of Word or a slide arrives as `• Visit recorded` or `– No form
submitted`, and every document that lists it with its own mark prints `▸ • Visit
recorded`. Before the model is built, the pasted mark at the start of each item of a
stage's bulleted lists (entry criteria, drop-off reasons) is taken off, with a warning
at the item's line. The document itself is unchanged.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from deliverables.core.errors import Problem
from deliverables.core.source import Document

_MARKS = "•◦▪▫‣⁃●○■□◆◇►▸▹➢➤✓✔→⇒➔➜➝➞\uf0b7\uf0a7\uf0d8\uf0e0\uf0fc·–—*-"
"""Bullet characters a pasted list starts its items with (U+F0B7 and U+F0A7 are Word's
Symbol and Wingdings bullets as they paste, U+F0D8, U+F0E0 and U+F0FC its Wingdings
arrowhead, arrow and tick)."""

_PASTED = re.compile(f"^[ \t\u00a0]*[{re.escape(_MARKS)}][ \t\u00a0]+(?=\\S)", re.MULTILINE)
"""A mark followed by a space at the start of a line; a hyphenated word (`-10%`) keeps its sign."""

_LISTS = {"entry": "entry criterion", "drop_off_reasons": "drop-off reason"}


def without_pasted_bullets(doc: Document, data: Any) -> tuple[Any, list[Problem]]:
    """`data` with the pasted bullet marks taken off the stages' list items, and a warning for
    each item changed. `data` itself is unchanged."""
    stages = data.get("stages") if isinstance(data, dict) else None
    if not isinstance(stages, list) or not any(_marked(stage) for stage in stages):
        return data, []
    data = copy.deepcopy(data)
    warnings: list[Problem] = []
    for index, stage in enumerate(data["stages"]):
        if not isinstance(stage, dict):
            continue
        for key, what in _LISTS.items():
            items = stage.get(key)
            if isinstance(items, str):
                stage[key] = _unmarked(doc, ("stages", index, key), items, what, warnings)
            elif isinstance(items, list):
                stage[key] = [
                    _unmarked(doc, ("stages", index, key, n), item, what, warnings) if isinstance(item, str) else item
                    for n, item in enumerate(items)
                ]
    return data, warnings


def _marked(stage: Any) -> bool:
    if not isinstance(stage, dict):
        return False
    for key in _LISTS:
        items = stage.get(key)
        for item in [items] if isinstance(items, str) else items if isinstance(items, list) else []:
            if isinstance(item, str) and _PASTED.search(item):
                return True
    return False


def _unmarked(doc: Document, path: tuple, text: str, what: str, warnings: list[Problem]) -> str:
    marks = [m.group().strip(" \t\u00a0") for m in _PASTED.finditer(text)]
    if not marks:
        return text
    shown = "', '".join(dict.fromkeys(marks))
    message = f"took the pasted bullet '{shown}' off this {what}; the documents draw their own bullets"
    warnings.append(doc.problem(path, message, severity="warning"))
    return _PASTED.sub("", text)
