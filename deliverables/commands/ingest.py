"""`deliver ingest`: read the answers of returned alignment documents back into the client file.

Each returned copy's Yes / No boxes and comment boxes are found by their tags
(or, where an editor dropped the tags, by their hidden bookmarks), checked
against the client file, and merged: an answer counts when it differs from the
file, two copies proposing different answers for the same approver are a
conflict that `--prefer` settles. The file is then edited as `deliver confirm`
edits it: only the changed approval values are rewritten and the comments are
added under `terms[].comments`; everything else keeps its bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from deliverables.commands.confirm import Edit, _compose, _encode, _item, _value, apply, set_scalar
from deliverables.core import tags
from deliverables.core.errors import DeliverError, InputError, OutputError
from deliverables.core.model import STANDARD_DEPARTMENTS, Comment, Project
from deliverables.core.source import decode, read_client
from deliverables.core.validate import load_project
from deliverables.pipeline.storage import locked_dir, write_through

STATES = {(True, False): "approved", (False, True): "rejected", (False, False): "pending"}

Pair = tuple[int, str]
"""(index of the term, approver id)."""


@dataclass
class Copy:
    """What one returned document says, per term and approver asked."""

    name: str
    states: dict[Pair, str] = field(default_factory=dict)
    sent: dict[Pair, str] = field(default_factory=dict)
    """The approval each pair of boxes showed when the document was made, where it tells."""
    comments: dict[Pair, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """One approval that the copies change."""

    term: str
    approver: str
    was: str
    now: str


def ingest(path: Path, returned: tuple[Path, ...], dry_run: bool, prefer: Path | None) -> list[str]:
    """Update the approvals and comments of the client file at `path` from the returned
    copies; return the lines to print. Nothing is written on any problem, or with `dry_run`.
    Under the lock `confirm` takes on the file's folder, so neither loses the other's edit."""
    with locked_dir(path.resolve().parent):
        return _ingest(path, returned, dry_run, prefer)


def _ingest(path: Path, returned: tuple[Path, ...], dry_run: bool, prefer: Path | None) -> list[str]:
    project, _ = load_project(path)
    if prefer is not None and prefer.resolve() not in {r.resolve() for r in returned}:
        raise DeliverError(f"--prefer {prefer}: not one of the returned copies")
    copies, problems = [], []
    for copy_path in returned:
        copy, found = read_copy(project, path, copy_path)
        copies.append(copy)
        problems += found
    if problems:
        raise DeliverError("\n".join(problems))
    preferred = next((c for c, p in zip(copies, returned) if prefer and p.resolve() == prefer.resolve()), None)
    states, conflicts = merge(project, copies, preferred)
    if conflicts:
        raise DeliverError("\n".join([*conflicts, "nothing written: settle each with --prefer FILE"]))
    comments = new_comments(project, copies)
    changes = [
        Change(project.terms[i].term, project.person_label(who), project.terms[i].approvals[who], now)
        for (i, who), now in states.items()
    ]
    report = summary(changes, comments, project)
    if not states and not comments:
        return [*report, f"nothing to change in {path}"]
    if dry_run:
        return [*report, f"dry run: {path} not changed"]
    raw = read_client(path)
    text = decode(raw, str(path))
    new_text = apply(text, edits(text, _compose(text, path), states, comments))
    load_project(path, new_text)  # never write a file that no longer loads
    try:
        write_through(path, _encode(new_text, raw))
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}; the file is unchanged") from None
    return [*report, f"updated {path}"]


def read_copy(project: Project, path: Path, copy_path: Path) -> tuple[Copy, list[str]]:
    """The answers of one returned document, and every reason to refuse it."""
    from deliverables.backends.word.controls import read_controls
    from deliverables.documents.alignment import COMMENT_PLACEHOLDER

    name = copy_path.name
    try:
        controls = read_controls(read_client(copy_path, "a returned Word document"))
    except InputError as exc:
        return Copy(name), [f"{name}: {exc.problems[0].message}"]
    except (OSError, ValueError) as exc:
        return Copy(name), [f"{name}: cannot be read as a Word document ({exc})"]
    boxes: dict[Pair, dict[str, object]] = {}
    problems: list[str] = []
    lookup = _marks(project)
    keys = {t.key: i for i, t in enumerate(project.terms)}
    for control in controls:
        found = _identify(project, path, name, control, keys, lookup)
        if isinstance(found, str):
            if found not in problems:
                problems.append(found)
            continue
        if found is None:
            continue
        index, approver, answer = found
        term = project.terms[index]
        if approver not in term.approvals:
            message = f"{name}: {project.person_label(approver)} answered '{term.term}' but is not asked to approve it in {path}"
            if message not in problems:
                problems.append(message)
            continue
        boxes.setdefault((index, approver), {})[answer] = control
    if problems:
        return Copy(name), problems
    if not boxes:
        return Copy(name), [
            f"{name}: no answer boxes found; they were deleted, or this is not a Definition Alignment Document"
        ]
    copy = Copy(name)
    for index, term in enumerate(project.terms):
        for approver in term.approvals:
            pair, person = (index, approver), project.person_label(approver)
            box = boxes.get(pair, {})
            if "yes" not in box or "no" not in box:
                problems.append(
                    f"{name}: the Yes / No boxes of {person} for '{term.term}' are missing "
                    f"(deleted in the copy, or the term's approvers changed in {path} since it was sent)"
                )
                continue
            ticked = (box["yes"].checked, box["no"].checked)
            if all(ticked):
                problems.append(f"{name}: {person} ticked both Yes and No for '{term.term}'")
                continue
            copy.states[pair] = STATES[ticked]
            mark = tags.parse_mark(box["yes"].mark)
            if mark is not None and mark.sent:
                copy.sent[pair] = mark.sent
            comment = box.get("comment")
            text = comment.text.strip() if comment is not None else ""
            if text and text != COMMENT_PLACEHOLDER:
                copy.comments[pair] = text
    return copy, problems


def _identify(project: Project, path: Path, name: str, control, keys: dict[str, int], lookup):
    """(term index, approver, answer) of a box, a refusal message, or None for a box not ours."""
    tag, mark = tags.parse(control.tag), tags.parse_mark(control.mark)
    if tag is None and mark is None:
        return None
    client_ok = tag.client == project.slug if tag else mark.client == tags.client_hash(project.slug)
    if not client_ok:
        return f"{name}: this copy belongs to another client, not to '{project.slug}' of {path}"
    version = tag.version if tag else mark.version
    if version != project.version:
        return f"{name}: this copy is of v{version}, but {path} is at v{project.version}"
    if tag is not None:
        if tag.term not in keys:
            return f"{name}: a box names the term '{tag.term}', which {path} does not have"
        return keys[tag.term], tag.approver, tag.answer
    if mark.item not in lookup:
        return f"{name}: a box matches no term and approver of {path}"
    return lookup[mark.item]


def _marks(project: Project) -> dict[str, tuple[int, str, str]]:
    """Bookmark item hash -> (term index, approver, answer), for every party that could be named."""
    parties = {p.id for p in project.stakeholders} | {p.department for p in project.stakeholders if p.department}
    parties |= set(STANDARD_DEPARTMENTS) | {k for t in project.terms for k in t.approvals}
    return {
        tags.item_hash(term.key, who, answer): (index, who, answer)
        for index, term in enumerate(project.terms)
        for who in sorted(parties)
        for answer in tags.ANSWERS
    }


def merge(project: Project, copies: list[Copy], preferred: Copy | None) -> tuple[dict[Pair, str], list[str]]:
    """The approvals to change, and the conflicts. A copy counts where the reader changed
    the boxes (from what they showed when sent, else from the file): a copy in which
    someone else's column was left alone does not undo that person's answer."""
    states: dict[Pair, str] = {}
    conflicts = []
    for index, term in enumerate(project.terms):
        for approver, current in term.approvals.items():
            pair = (index, approver)
            proposals = {
                c.name: c.states[pair] for c in copies if c.states.get(pair, current) != c.sent.get(pair, current)
            }
            if len(set(proposals.values())) > 1 and preferred is None:
                says = ", ".join(f"{name} says {state}" for name, state in proposals.items())
                conflicts.append(f"'{term.term}', {project.person_label(approver)}: {says}")
                continue
            if len(set(proposals.values())) > 1 and preferred is not None:
                now = preferred.states.get(pair, current)
            else:
                now = next(iter(proposals.values()), current)
            if now != current:
                states[pair] = now
    return states, conflicts


def new_comments(project: Project, copies: list[Copy]) -> dict[int, list[Comment]]:
    """Per term index, the comments no earlier entry or copy already holds, in copy order."""
    added: dict[int, list[Comment]] = {}
    for copy in copies:
        for (index, who), text in copy.comments.items():
            known = [*project.terms[index].comments, *added.get(index, [])]
            if any(c.who == who and c.text == text for c in known):
                continue
            added.setdefault(index, []).append(Comment(who=who, text=text, file=copy.name))
    return dict(sorted(added.items()))


def summary(changes: list[Change], comments: dict[int, list[Comment]], project: Project) -> list[str]:
    """The table of changed approvals (term, approver, was → now), then the comments added."""
    lines = []
    if changes:
        rows = [("Term", "Approver", "Was → now")] + [(c.term, c.approver, f"{c.was} → {c.now}") for c in changes]
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        lines += [f"{t:<{widths[0]}}  {a:<{widths[1]}}  {s}".rstrip() for t, a, s in rows]
    else:
        lines.append("No approval changes.")
    for index, items in comments.items():
        for comment in items:
            who = project.person_label(comment.who)
            lines.append(f"Comment on '{project.terms[index].term}' by {who} ({comment.file}): {comment.text}")
    return lines


def edits(text: str, root: MappingNode, states: dict[Pair, str], comments: dict[int, list[Comment]]) -> list[Edit]:
    """The text edits: each changed approval value, and the comments after each term's last line."""
    found = []
    for (index, approver), now in states.items():
        approvals = _value(_item(root, "terms", index), "approvals")
        if not isinstance(approvals, MappingNode):
            raise DeliverError(f"terms[{index}].approvals is not a mapping")
        found.append(set_scalar(text, approvals, approver, now))
    for index, items in comments.items():
        found.append(_comments_edit(text, _item(root, "terms", index), items))
    return found


def _entry(comment: Comment) -> str:
    return f"{{who: {comment.who}, text: {json.dumps(comment.text, ensure_ascii=False)}, file: {json.dumps(comment.file, ensure_ascii=False)}}}"


def _comments_edit(text: str, term: MappingNode, items: list[Comment]) -> Edit:
    """Append to the term's `comments` list, or add the list after the term's last entry."""
    newline = "\r\n" if "\r\n" in text else "\n"
    entries = [_entry(c) for c in items]
    existing = _value(term, "comments")
    if isinstance(existing, SequenceNode) and existing.flow_style:
        at = text.rindex("]", 0, existing.end_mark.index)
        return Edit(at, at, (", " if existing.value else "") + ", ".join(entries))
    if isinstance(existing, SequenceNode) and existing.value:
        at = _after_line(text, existing.value[-1])
        dash = " " * existing.start_mark.column
        return Edit(at, at, "".join(f"{dash}- {e}{newline}" for e in entries))
    if term.flow_style:
        last = term.value[-1][1]
        return Edit(last.end_mark.index, last.end_mark.index, f", comments: [{', '.join(entries)}]")
    if existing is not None:  # `comments:` with no value, or an empty list
        raise DeliverError("cannot add to an empty `comments:`; remove it and ingest again")
    indent = " " * term.value[0][0].start_mark.column
    at = _after_line(text, term.value[-1][1])
    lead = "" if at == 0 or text[at - 1] == "\n" else newline
    lines = [f"{indent}comments:"] + [f"{indent}  - {e}" for e in entries]
    return Edit(at, at, lead + newline.join(lines) + newline)


def _after_line(text: str, node: Node) -> int:
    """Where a line after `node` starts: the end of its last line, before any blank lines."""
    # A block collection's span runs on to the next token: its last leaf ends where it ends.
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
    at = node.end_mark.index
    if at and text[at - 1] != "\n":
        end = text.find("\n", at)
        return len(text) if end < 0 else end + 1
    # a block scalar's span ends after the blank lines that follow it: step back over them
    while at > 1 and text[at - 1] == "\n" and text[: at - 1].rstrip(" \r").endswith("\n"):
        at = len(text[: at - 1].rstrip(" \r"))
    return at
