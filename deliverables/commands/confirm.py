"""`deliver confirm`: mark stages and terms CONFIRMED in the client file itself.

The file is the architect's: its comments, quoting, indentation and key order
must survive. ruamel.yaml's composer gives the exact span of every node, and
only those spans are rewritten in the original text (a `status: assumed`
value becomes `confirmed`; a missing `status` key is added beside its
siblings). A full round-trip dump would re-indent sequences and re-space flow
mappings in files whose style differs from the dumper's settings, so nothing
else is re-emitted. The result is validated again, then written atomically.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from deliverables.core.errors import DeliverError, InputError, OutputError
from deliverables.core.model import Project
from deliverables.core.source import clean_key, decode, load_document, read_client
from deliverables.core.suggest import did_you_mean
from deliverables.core.validate import load_project
from deliverables.documents.words.grammar import count
from deliverables.pipeline.storage import locked_dir, write_through

# Keys after which a new `status:` line reads naturally, best first.
_ANCHOR_KEYS = ("golden", "owner", "probability", "domain", "abbr", "name", "id", "term", "definition")


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] by `text`."""

    start: int
    end: int
    text: str


def confirm_items(path: Path, ids: tuple[str, ...], bump: bool) -> list[str]:
    """Confirm the stages and terms named by `ids` (and with `bump` add one to
    `version`) in the file at `path`; return the lines to report. Two confirms of
    one file never interleave (a lock on its folder), so neither loses the other's edit."""
    with locked_dir(path.resolve().parent):
        return _confirm(path, ids, bump)


def _confirm(path: Path, ids: tuple[str, ...], bump: bool) -> list[str]:
    project, _ = load_project(path)
    targets = resolve(path, project, ids)
    raw = read_client(path)
    text = decode(raw, str(path))
    root = _compose(text, path)
    edits, report = _status_edits(text, root, project, targets)
    if bump:
        edits.append(_version_edit(text, root, project.version + 1))
        report.append(f"version {project.version} -> {project.version + 1}")
    if not edits:
        return report + ["nothing to change"]
    new_text = apply(text, edits)
    updated, _ = load_project(path, new_text)  # never write a file that no longer loads
    try:
        write_through(path, _encode(new_text, raw))
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}; the file is unchanged") from None
    return report + [f"{count(updated.assumed_count(), 'item')} still ASSUMED in {path}"]


def resolve(path: Path, project: Project, ids: tuple[str, ...]) -> list[tuple[str, int]]:
    """(section, index) of every item named; an unknown name is an error, before anything is written."""
    doc = load_document(path)
    found: list[tuple[str, int]] = []
    problems = []
    for wanted in ids:
        matches = _matches(project, wanted)
        if not matches:
            choices = [s.id for s in project.stages] + [t.key for t in project.terms]
            hint = did_you_mean(wanted.split(":", 1)[-1], choices)
            section = "stages" if "stages" in doc.data or not project.terms else "terms"
            problems.append(doc.problem((section,), f"no stage or term with id '{wanted}'{hint}", key=True))
        found += [m for m in matches if m not in found]
    if problems:
        raise InputError(problems)
    return found


def _matches(project: Project, wanted: str) -> list[tuple[str, int]]:
    """Stages whose id is `wanted`, terms whose id or text is; `stage:` / `term:` restrict."""
    kind, _, name = wanted.partition(":") if wanted.startswith(("stage:", "term:")) else ("", "", wanted)
    folded = name.casefold()
    stages = [("stages", i) for i, s in enumerate(project.stages) if s.id.casefold() == folded]
    terms = [("terms", i) for i, t in enumerate(project.terms) if folded in (t.key.casefold(), t.term.casefold())]
    return {"stage": stages, "term": terms}.get(kind, stages + terms)


def _status_edits(
    text: str, root: MappingNode, project: Project, targets: list[tuple[str, int]]
) -> tuple[list[Edit], list[str]]:
    edits, report = [], []
    for section, index in targets:
        item = project.stages[index] if section == "stages" else project.terms[index]
        label = f"stage {item.id} ({item.label})" if section == "stages" else f"term {item.term}"
        if item.status == "confirmed":
            report.append(f"{label}: already CONFIRMED")
            continue
        node = _item(root, section, index)
        edits.append(set_scalar(text, node, "status", "confirmed"))
        report.append(f"{label}: ASSUMED -> CONFIRMED")
    return edits, report


def _version_edit(text: str, root: MappingNode, version: int) -> Edit:
    return set_scalar(text, root, "version", str(version))


def _compose(text: str, path: Path) -> MappingNode:
    try:
        root = YAML(typ="rt", pure=True).compose(text)
    except YAMLError as exc:  # load_project accepted it, so this is a file it cleaned up first
        raise DeliverError(f"{path}: cannot edit this file in place ({exc}); run `deliver check` on it") from None
    if not isinstance(root, MappingNode):
        raise DeliverError(f"{path}: expected a mapping at the top level")
    return root


def _item(root: MappingNode, section: str, index: int) -> MappingNode:
    sequence = _value(root, section)
    if not isinstance(sequence, SequenceNode) or not isinstance(sequence.value[index], MappingNode):
        raise DeliverError(f"{section}[{index}] is not a mapping")
    return sequence.value[index]


def _value(mapping: MappingNode, key: str) -> Node | None:
    """The value of `key`, matched as the loader matches keys: a `status` typed with a
    no-break or zero-width space is the same key, never one to add a second time."""
    return next((v for k, v in mapping.value if isinstance(k, ScalarNode) and clean_key(str(k.value)) == key), None)


def set_scalar(text: str, mapping: MappingNode, key: str, value: str) -> Edit:
    """The edit that sets `key` of `mapping` to the plain scalar `value`: the old value's
    span is replaced (keeping its quotes), or a `key: value` entry is added."""
    node = _value(mapping, key)
    if isinstance(node, ScalarNode) and node.end_mark.index > node.start_mark.index:
        start, end = node.start_mark.index, node.end_mark.index
        quote = text[start] if text[start] in "'\"" else ""
        return Edit(start, end, f"{quote}{value}{quote}")
    if node is not None:  # `status:` with no value, or a non-scalar: replace the node's place
        at = node.start_mark.index
        return Edit(at, at, f" {value}" if text[at - 1 : at] == ":" else value)
    return _add_key(text, mapping, key, value)


def _add_key(text: str, mapping: MappingNode, key: str, value: str) -> Edit:
    """A new `key: value` entry: inside the braces of a flow mapping, else on its own
    line after the best sibling whose value fits on one line."""
    if not mapping.value:
        raise DeliverError(f"cannot add '{key}' to an empty mapping")
    if mapping.flow_style:
        last = mapping.value[-1][1]
        return Edit(last.end_mark.index, last.end_mark.index, f", {key}: {value}")
    anchor = _anchor(mapping)
    if anchor is None:
        return _before_second_key(text, mapping, key, value)
    key_node, value_node = anchor
    found = _BREAK.search(text, value_node.end_mark.index)
    at = found.start() if found else len(text)
    return Edit(at, at, f"{_newline(text)}{' ' * key_node.start_mark.column}{key}: {value}")


_BREAK = re.compile(r"\r\n|\r|\n")


def _newline(text: str) -> str:
    """The file's own line break: Windows (CR LF), old Mac (CR alone) or Unix (LF)."""
    if "\r\n" in text:
        return "\r\n"
    return "\r" if "\r" in text and "\n" not in text else "\n"


def _before_second_key(text: str, mapping: MappingNode, key: str, value: str) -> Edit:
    """No sibling on one line (every value is a block): a line of its own before the second key."""
    newline = _newline(text)
    first = mapping.value[0][0].start_mark
    if len(mapping.value) < 2:
        tail = "" if text.endswith(("\n", "\r")) else newline
        return Edit(len(text), len(text), f"{tail}{' ' * first.column}{key}: {value}{newline}")
    second = mapping.value[1][0].start_mark
    at = second.index - second.column
    return Edit(at, at, f"{' ' * first.column}{key}: {value}{newline}")


def _anchor(mapping: MappingNode) -> tuple[Node, Node] | None:
    """The sibling after which the new key goes: a one-line scalar, preferring _ANCHOR_KEYS."""
    one_line = [
        (k, v)
        for k, v in mapping.value
        if isinstance(v, ScalarNode) and v.start_mark.line == v.end_mark.line and v.style not in ("|", ">")
    ]
    ranked = sorted(one_line, key=lambda kv: _ANCHOR_KEYS.index(kv[0].value) if kv[0].value in _ANCHOR_KEYS else 99)
    return ranked[0] if ranked else None


def apply(text: str, edits: list[Edit]) -> str:
    """The text with every edit applied (edits never overlap)."""
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def _encode(text: str, raw: bytes) -> bytes:
    """Back to bytes in the file's own encoding and byte-order mark."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return text.encode("utf-16")
    prefix = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    return prefix + text.encode("utf-8")
