"""Tags of the answer boxes in the Definition Alignment Document.

Every clickable box and comment box carries a tag naming the client, the
version, the term and the approver it belongs to, so a copy returned from the
client is read back without guessing: `deliver:acme-analytics:v1:mql:sales:yes`.
The document writes tags with `tag()`, `deliver ingest` reads them with `parse()`.
"""

from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

PREFIX = "deliver"
ANSWERS = ("yes", "no", "comment")
_VERSION = re.compile(r"^v(0|[1-9][0-9]*)$")
_MARK = re.compile(r"^_d([0-9a-f]{6})v(0|[1-9][0-9]*)_([0-9a-f]{12})([arp]?)$")
SENT = {"approved": "a", "rejected": "r", "pending": "p"}


class Tag(NamedTuple):
    """What one box stands for."""

    client: str
    version: int
    term: str
    approver: str
    answer: str
    """`yes`, `no` or `comment`."""


def tag(client: str, version: int, term: str, approver: str, answer: str) -> str:
    """The tag of one box: client slug, version, term key, approver id and the answer it records."""
    return ":".join((PREFIX, client, f"v{version}", term, approver, answer))


def parse(value: str) -> Tag | None:
    """The parts of a tag written by `tag()`, or None for any other tag."""
    parts = value.split(":")
    if len(parts) != 6 or parts[0] != PREFIX or not _VERSION.match(parts[2]) or parts[5] not in ANSWERS:
        return None
    if not all(parts[1:5]):
        return None
    return Tag(parts[1], int(parts[2][1:]), parts[3], parts[4], parts[5])


class Mark(NamedTuple):
    """A box as its hidden bookmark names it: hashes of the client and of the item, and the version."""

    client: str
    version: int
    item: str
    sent: str | None
    """The approval the box showed when the document was made (approved, rejected, pending)."""


def mark(client: str, version: int, term: str, approver: str, answer: str, sent: str | None = None) -> str:
    """The hidden bookmark name of one box (Word allows 40 characters; a leading _ hides it).

    Editors that drop tags on saving keep bookmarks, so the box is still found; the
    approval it was sent with tells what the reader changed from what another left alone."""
    return f"_d{client_hash(client)}v{version}_{item_hash(term, approver, answer)}{SENT.get(sent or '', '')}"


def parse_mark(value: str) -> Mark | None:
    """The parts of a bookmark name written by `mark()`, or None."""
    found = _MARK.match(value)
    if not found:
        return None
    sent = {v: k for k, v in SENT.items()}.get(found[4])
    return Mark(found[1], int(found[2]), found[3], sent)


def client_hash(client: str) -> str:
    """What a bookmark name keeps of the client slug."""
    return _hash(client, 6)


def item_hash(term: str, approver: str, answer: str) -> str:
    """What a bookmark name keeps of the term, the approver and the answer."""
    return _hash(f"{term}:{approver}:{answer}", 12)


def _hash(text: str, size: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:size]
