"""Read a client file into plain data plus the line and column of every node.

YAML layer: ruamel.yaml's composer. It follows YAML 1.2 (so `NO` and `Off`
stay text), reports marks for every node, and leaves construction to us: every
scalar is kept as its source text and the typed model converts what must be a
number, boolean or date. Duplicate keys and aliases are refused here, which
also defuses alias bombs: nothing is ever expanded.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from deliverables.core.errors import InputError, Problem

Path_ = tuple[str | int, ...]

MAX_DEPTH = 40
NULLS = {"", "~", "null", "Null", "NULL"}
# Characters no document format can carry: C0 controls except tab and newline,
# DEL, C1 controls, lone surrogates and the non-characters U+FFFE / U+FFFF.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202d\u202e\ud800-\udfff\ufffe\uffff]")
"""Removed from every value: control characters, halves of surrogate pairs, non-characters,
and the two bidirectional overrides (U+202D, U+202E), which make text display in an order
other than the one it is written in (right-to-left text needs only marks and isolates)."""
_CORE = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq"))
"""The tags a plain YAML value resolves to (or states, as `!!str 12`): any other asks for
something a client file never holds (a Python object, binary data, an application's type)."""
_LINE_BREAKS = {"\x0b": "\n", "\x0c": "\n"}
_COMMENT_CUT = re.compile(r"^[ \t]+#[^\s#!-]")


@dataclass
class Document:
    """A parsed client file: plain values and where each one was written."""

    path: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the node at `path`, or of its nearest ancestor."""
        table = self.key_positions if key else self.positions
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (1, 1))

    def value(self, path: Path_) -> Any:
        """The raw value at `path`, or None when it is absent."""
        node = self.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def problem(self, path: Path_, message: str, *, key: bool = False, severity: str = "error") -> Problem:
        """A problem positioned at `path`, named by a breadcrumb."""
        line, column = self.position(path, key=key)
        return Problem(self.path, line, column, breadcrumb(self.data, path), message, severity)


ID_KEYS = {"terms": "term", "signoffs": "by", "faq": "q", "contact_statuses": "name", "exports": "path"}


def breadcrumb(data: Any, path: Path_) -> str:
    """`stages[id=mql].exit[0].to` for the path ('stages', 3, 'exit', 0, 'to')."""
    text = ""
    node = data
    parent_key = ""
    for part in path:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            ident = item.get(ID_KEYS.get(parent_key, "id")) if isinstance(item, dict) else None
            if isinstance(ident, str) and ident and len(ident) <= 40 and _one_line(ident):
                text += f"[{ID_KEYS.get(parent_key, 'id')}={ident}]"
            else:
                text += f"[{part}]"
            node = item
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
            parent_key = str(part)
    return text


def decode(raw: bytes, path: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 (with a BOM, or as Windows
    tools write it without one) or UTF-32 with a BOM."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif encoding := _wide_encoding(raw):
        try:
            return raw.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            name = encoding.upper().replace("-LE", "").replace("-BE", "").replace("UTF", "UTF-")
            raise InputError([Problem(path, 1, 1, "", f"invalid {name} text ({exc.reason})")]) from None
    if raw[:4096].count(0) > len(raw[:4096]) // 4:
        message = (
            "the file is not text in UTF-8 or UTF-16: a quarter of its bytes are NUL"
            " (a binary file, or UTF-32 without a byte-order mark); save it as UTF-8"
        )
        raise InputError([Problem(path, 1, 1, "", message)])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        byte = raw[exc.start]
        message = (
            f"the file is not UTF-8: byte 0x{byte:02X} cannot be decoded"
            " (the file was probably saved as Windows-1252 or Latin-1); save it as UTF-8"
        )
        raise InputError([Problem(path, line, column, "", message)]) from None


def _wide_encoding(raw: bytes) -> str | None:
    """The UTF-16 or UTF-32 codec of text with a BOM, or of UTF-16 text without one (every
    other byte of its ASCII text is NUL); None for anything else."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE 00 00 starts both
        return "utf-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = raw[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > len(head) // 4 and even == 0:
        return "utf-16-le"
    if even > len(head) // 4 and odd == 0:
        return "utf-16-be"
    return None


MAX_CLIENT_BYTES = 16 * 1024 * 1024
"""The largest client file read: the largest real one is a few hundred kilobytes."""


def read_client(path: Path | str, what: str = "a YAML client file") -> bytes:
    """The bytes of the client file at `path`: only a regular file, at most
    `MAX_CLIENT_BYTES` (a FIFO or a device is an `InputError`, never a wait or an
    endless read)."""
    import os
    import stat

    name = str(path)

    def refused(message: str) -> InputError:
        return InputError([Problem(name, 1, 1, "", message)])

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode) else None
            raise refused(f"the file is {kind or 'a device or other special file'}, expected {what}")
        limit = f"{MAX_CLIENT_BYTES // (1024 * 1024)} MB"
        if info.st_size > MAX_CLIENT_BYTES:
            raise refused(f"the file is larger than {limit}, expected {what} of at most {limit}")
        # O_NONBLOCK: should the path be swapped for a FIFO after the check, open must not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(MAX_CLIENT_BYTES + 1)
    except FileNotFoundError:
        raise refused("no such file") from None
    except OSError as exc:
        raise refused(f"cannot read the file ({exc.strerror or exc})") from None
    if len(raw) > MAX_CLIENT_BYTES:
        raise refused(f"the file is larger than {limit}, expected {what} of at most {limit}")
    return raw


def load_document(path: Path | str, text: str | None = None) -> Document:
    """Parse the YAML file at `path` into a `Document`; raise `InputError` on failure."""
    name = str(path)
    if text is None:
        text = decode(read_client(path), name)
    cleaned, removed = _strip_raw_controls(text)
    node = _compose(_tabs_as_spaces(cleaned), name)
    if node is None:
        raise InputError(
            [Problem(name, 1, 1, "", "the file is empty; expected a mapping with client, version and stages")]
        )
    doc = Document(name, None)
    builder = _Builder(doc, cleaned)
    doc.data = builder.build(node, (), 0)
    if builder.problems:
        raise InputError(builder.problems)
    if not isinstance(doc.data, dict):
        kind = describe(doc.data)
        raise InputError([doc.problem((), f"expected a mapping (key: value) at the top level, found {kind}")])
    for line, column, char in removed[:MAX_REMOVED_SHOWN]:
        message = f"removed control character U+{ord(char):04X}"
        doc.warnings.append(Problem(name, line, column, _crumb_at(doc, line, column), message, "warning"))
    if len(removed) > MAX_REMOVED_SHOWN:
        line, column, _ = removed[MAX_REMOVED_SHOWN]
        more = len(removed) - MAX_REMOVED_SHOWN
        doc.warnings.append(Problem(name, line, column, "", f"removed {more} more control characters", "warning"))
    return doc


MAX_REMOVED_SHOWN = 20
"""Control characters named one by one; the rest of a file full of them is one count."""


def _crumb_at(doc: Document, line: int, column: int) -> str:
    """The field written at a line and column: the last key or value starting at or before it."""
    starts = [(at, path) for at, path in ((v, k) for k, v in doc.positions.items()) if at <= (line, column)]
    starts += [(at, path) for path, at in doc.key_positions.items() if at <= (line, column)]
    if not starts:
        return ""
    _, path = max(starts, key=lambda item: (item[0], len(item[1])))
    return breadcrumb(doc.data, path)


def _strip_raw_controls(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Remove characters YAML refuses, remembering where they were."""
    removed: list[tuple[int, int, str]] = []
    if not _BAD_CHARS.search(text):
        return text, removed
    out = []
    line, column = 1, 1
    for char in text:
        if _BAD_CHARS.match(char):
            removed.append((line, column, char))
            out.append(" " if char in _LINE_BREAKS else "")
        else:
            out.append(char)
        if char == "\n":
            line, column = line + 1, 1
        else:
            column += 1
    return "".join(out), removed


_SPACE_AFTER_TEXT = re.compile(r"(?<=\S)[ \t]*\t[ \t]*")


def _tabs_as_spaces(text: str) -> str:
    """A tab after the first text of a line, as pasted from Word or a spreadsheet ('title: VP
    Sales<TAB>', 'name:<TAB>Acme', 'Lead<TAB>score'), read as the space YAML takes it for: the
    scanner refuses a tab anywhere outside quotes. One character for one, so every position
    stays; a tab in the indentation is still refused."""
    if "\t" not in text:
        return text
    return _SPACE_AFTER_TEXT.sub(lambda match: match.group().replace("\t", " "), text)


def _compose(text: str, name: str) -> Node | None:
    # "safe", not "rt": the round-trip scanner marks folds in `>` scalars with U+0007.
    yaml = YAML(typ="safe", pure=True)
    try:
        return yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if _unclosed_quote(exc):  # the end of the file is no place to look for a missing quote
            mark = exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise InputError([Problem(name, line, column, "", _yaml_message(exc))]) from None
    except YAMLError as exc:
        raise InputError([Problem(name, 1, 1, "", f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise InputError([Problem(name, 1, 1, "", f"nesting deeper than {MAX_DEPTH} levels")]) from None


def _unclosed_quote(exc: MarkedYAMLError) -> bool:
    """A quoted value that runs to the end of the file: its closing quote is missing."""
    return "quoted scalar" in (exc.context or "") and "end of stream" in (exc.problem or "") and bool(exc.context_mark)


def _yaml_message(exc: MarkedYAMLError) -> str:
    problem = exc.problem or "invalid YAML"
    if _unclosed_quote(exc):
        return "this quoted value is never closed: the file ends before its closing quote; add it"
    if "'\\t'" in problem:
        return "tab character in indentation; indent with spaces"
    if "mapping values are not allowed" in problem:
        return "unexpected ':' (quote a value that contains ': ', or check the indentation)"
    if "expected <block end>" in problem or "block mapping" in (exc.context or ""):
        return f"bad indentation: {problem}; align keys of one mapping at the same column"
    return f"invalid YAML: {problem}"


def describe(value: Any) -> str:
    """How a found value reads in a message."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


class _Builder:
    """Turn composed nodes into dicts, lists and strings, recording positions."""

    def __init__(self, doc: Document, text: str):
        self.doc = doc
        self.lines = text.split("\n")
        self.seen: set[int] = set()
        self.problems: list[Problem] = []
        self.alias_seen = False

    def fail(self, node: Node, crumb: str, message: str) -> None:
        """Record a problem positioned at `node`; loading goes on to find the others."""
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        self.problems.append(Problem(self.doc.path, line, column, crumb, message))

    def build(self, node: Node, path: Path_, depth: int, crumb: str = "") -> Any:
        """Plain value of `node`, positions recorded under `path`."""
        self.doc.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if depth > MAX_DEPTH:
            return self.fail(node, crumb, f"nesting deeper than {MAX_DEPTH} levels")
        if id(node) in self.seen:
            if not self.alias_seen:
                self.fail(node, crumb, "aliases (*name) are not supported; write the value out in full")
            self.alias_seen = True
            return None
        self.seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            shown = node.tag.replace(_CORE, "!!")
            return self.fail(
                node, crumb, f"YAML tags ({shown[:60]}) are not supported; remove the tag and write the value"
            )
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth, crumb)
        if isinstance(node, SequenceNode):
            parent = str(path[-1]) if path else ""
            return [
                self.build(item, path + (i,), depth + 1, crumb + _item_crumb(item, i, parent))
                for i, item in enumerate(node.value)
            ]
        return self._scalar(node, path, crumb)

    def _mapping(self, node: MappingNode, path: Path_, depth: int, crumb: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.fail(key_node, crumb, "a key must be plain text, not a list or mapping")
                continue
            key = _clean_key(key_node.value)
            key_crumb = f"{crumb}.{key}" if crumb else key
            if key == "<<":
                self.fail(key_node, key_crumb, "merge keys (<<) are not supported")
                continue
            if key in result:
                message = f"duplicate key '{key}' (first at line {first_line[key]}); keep only one"
                self.fail(key_node, key_crumb, message)
                continue
            first_line[key] = key_node.start_mark.line + 1
            self.doc.key_positions[path + (key,)] = (first_line[key], key_node.start_mark.column + 1)
            result[key] = self.build(value_node, path + (key,), depth + 1, key_crumb)
        return result

    def _scalar(self, node: ScalarNode, path: Path_, crumb: str) -> str | None:
        value = node.value
        if node.style is None and value in NULLS:
            return None
        if node.style is None:
            self._warn_cut_by_comment(node, crumb)
        return self._clean(value, node, crumb)

    def _warn_cut_by_comment(self, node: ScalarNode, crumb: str) -> None:
        """`text #1 priority` loses `#1 priority` to a comment: say so."""
        end = node.end_mark
        if end.line >= len(self.lines):
            return
        rest = self.lines[end.line][end.column :]
        match = _COMMENT_CUT.match(rest)
        if match:
            cut = rest.strip()
            message = (
                f"the value stops before '{cut[:40]}', which YAML reads as a comment;"
                " quote the whole value if it belongs to it"
            )
            self.warn(node, crumb, message)

    def warn(self, node: Node, crumb: str, message: str) -> None:
        """Record a warning positioned at `node`."""
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        self.doc.warnings.append(Problem(self.doc.path, line, column, crumb, message, "warning"))

    def _clean(self, value: str, node: Node, crumb: str) -> str:
        if value and (value[0] in _EDGE_INVISIBLE or value[-1] in _EDGE_INVISIBLE):
            # Zero-width characters pasted around a value: a name of nothing but them is empty.
            value = value.strip(_EDGE_INVISIBLE + " \t\n\u00a0")
        if "\r" in value:  # a carriage return from Windows text is just a line break
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        if _UNSEEN.search(value):
            value = _UNSEEN.sub(_unseen, value)
        if not _BAD_CHARS.search(value):
            return value
        value = _PAIRS.sub(_join_pair, value)
        if not _BAD_CHARS.search(value):
            return value
        found = sorted({f"U+{ord(c):04X}" for c in _BAD_CHARS.findall(value)})
        self.warn(node, crumb, f"removed control character(s) {', '.join(found)}")
        for char, replacement in _LINE_BREAKS.items():
            value = value.replace(char, replacement)
        return _BAD_CHARS.sub("", value)


_EDGE_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
"""Characters without a glyph that Word leaves at the ends of pasted text."""

_UNSEEN = re.compile("[\u00ad\u200b\u2060\ufeff\u2028\u2029]")
"""What Word pastes inside text without a glyph of its own: soft hyphens, zero-width spaces,
word joiners and stray byte-order marks, which would break search, copy and API names in
every document, and its line and paragraph separators, which are line breaks. The joiners
that shape text (U+200C, U+200D: emoji sequences, Persian, Indic scripts) stay."""


def _unseen(match: re.Match[str]) -> str:
    return "\n" if match.group() in "\u2028\u2029" else ""


_PAIRS = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _join_pair(match: re.Match[str]) -> str:
    """`\\ud83d\\ude80` written as two escapes (as JSON does) is one character."""
    high, low = (ord(c) for c in match.group())
    return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


_INVISIBLE = re.compile("[\u00a0\u200b\u200c\u200d\u2060\ufeff]")


def clean_key(key: str) -> str:
    """A mapping key as the loader reads it (no-break and zero-width spaces dropped)."""
    return _clean_key(key)


def _clean_key(key: str) -> str:
    """Keys pasted from Word may carry NBSP or zero-width characters."""
    return _INVISIBLE.sub("", key).strip()


def _one_line(ident: str) -> bool:
    """True when an id can name its item in a one-line message (no line break or control character)."""
    return "\n" not in ident and "\t" not in ident and not _BAD_CHARS.search(ident)


def _item_crumb(item: Node, index: int, parent: str) -> str:
    """`[id=mql]` when the list item names itself, else `[3]`."""
    id_key = ID_KEYS.get(parent, "id")
    if isinstance(item, MappingNode):
        for key_node, value_node in item.value:
            if isinstance(key_node, ScalarNode) and key_node.value == id_key:
                ident = value_node.value if isinstance(value_node, ScalarNode) else None
                if isinstance(ident, str) and ident and len(ident) <= 40 and _one_line(ident):
                    return f"[{id_key}={ident}]"
    return f"[{index}]"
