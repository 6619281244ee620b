"""What changed between two versions of a client file, in the architect's terms.

`changelog(old, new)` compares two typed projects and returns plain `Change`
records: stages added, removed, renamed or moved; definitions and criteria
reworded (with a word-level diff); items moving between ASSUMED and CONFIRMED;
owners, golden flags, probabilities; terms, approvals and sign-offs. The CLI
(`deliver diff`), the Definition Alignment Document and the decks all render
the same records, so the story of a meeting is told once.

Pure Python: difflib over word tokens; no office library, no I/O.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from deliverables.core.context import Context
from deliverables.core.dates import long_date
from deliverables.core.model import Project, Signoff, Stage, Term
from deliverables.core.worddiff import Segment, marked, word_diff

__all__ = ["ARROW", "KINDS", "Change", "Segment", "changelog", "format_text", "marked", "since_previous", "word_diff"]


@dataclass(frozen=True)
class Change:
    """One change between two versions.

    `kind` is one of KINDS; `subject` names what changed ("Sales Accepted Lead
    (SAL)", "Term: MQL", "Sign-off (definitions): Dana Ortiz (VP RevOps)"); `summary` is one
    plain line ("ASSUMED → CONFIRMED"); `detail` holds word-diff segments
    ("=", kept) / ("-", removed) / ("+", added) for text changes, else ().
    """

    kind: str
    subject: str
    summary: str
    detail: tuple[Segment, ...] = ()


KINDS: tuple[str, ...] = (
    "stage-added",
    "stage-removed",
    "stage-renamed",
    "stage-moved",
    "definition-changed",
    "entry-changed",
    "exit-changed",
    "status-changed",
    "owner-changed",
    "golden-changed",
    "probability-changed",
    "crm-changed",
    "dropoff-changed",
    "term-added",
    "term-removed",
    "term-changed",
    "approval-changed",
    "signoff-changed",
)
"""Every kind of change, in the order they are listed for one subject."""

ARROW = "→"


def changelog(old: Project | None, new: Project) -> tuple[Change, ...]:
    """Every change from `old` to `new`, in a fixed order: stages in the new flow
    order, then removed stages, then terms, then sign-offs. () without `old`."""
    if old is None:
        return ()
    changes = list(_stage_changes(old, new))
    changes += _term_changes(old, new)
    changes += _signoff_changes(old, new)
    return tuple(changes)


def since_previous(ctx: Context) -> tuple[Project, tuple[Change, ...]] | None:
    """The previous version and the changes since it, for a document's changes section.

    None for v0, and None with a build warning when no earlier version was built beside
    this one: the documents then leave the section out rather than tell the client."""
    project, previous = ctx.project, ctx.previous
    if project.version == 0:
        return None
    if previous is None:
        ctx.warn(
            ("version",),
            f"no earlier version of this client is built in the output folder, so the documents leave out "
            f"the changes since v{project.version - 1}; build it into the same --out to list them",
        )
        return None
    return previous, changelog(previous, project)


def format_text(changes: Sequence[Change], old_version: int, new_version: int) -> str:
    """Plain-text changelog for the terminal: one line a change, word diffs
    marked `[-removed-]` and `{+added+}` on an indented line below."""
    if not changes:
        return f"No changes from v{old_version} to v{new_version}.\n"
    lines = [f"Changes from v{old_version} to v{new_version}: {len(changes)}"]
    subject = None
    for change in changes:
        if change.subject != subject:
            subject = change.subject
            lines.append(f"\n{subject}")
        lines.append(f"  - {change.summary}")
        if change.detail:
            text = marked(change.detail)
            lines.extend(f"      {line}" for line in text.splitlines() or [""])
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- stages


def _stage_changes(old: Project, new: Project) -> Iterator[Change]:
    before = {s.id: s for s in old.stages}
    moved = _moved_within(old, new)
    for stage in new.flow():
        if stage.id not in before:
            yield Change("stage-added", stage.label, _added_summary(new, stage))
            continue
        yield from _stage_diff(old, new, before[stage.id], stage, stage.id in moved)
    after = {s.id for s in new.stages}
    for stage in old.flow():
        if stage.id not in after:
            yield Change("stage-removed", stage.label, f"Removed from {old.domain_title(stage.domain)}")


def _added_summary(project: Project, stage: Stage) -> str:
    status = stage.status.upper()
    return f"New stage in {project.domain_title(stage.domain)}, {_place(project, stage)} ({status})"


def _place(project: Project, stage: Stage) -> str:
    """`after Marketing Qualified Lead` or `first in the flow`."""
    domain_flow = project.stages_in(stage.domain)
    index = [s.id for s in domain_flow].index(stage.id)
    return f"after {domain_flow[index - 1].name}" if index else "first in the flow"


def _moved_within(old: Project, new: Project) -> set[str]:
    """Ids of stages whose order among the stages kept in the same domain changed:
    those outside the longest common ordering, so one move is reported once."""
    moved: set[str] = set()
    for domain in new.domain_order():
        kept = {s.id for s in old.stages_in(domain)}
        now = [s.id for s in new.stages_in(domain) if s.id in kept]
        still = set(now)
        was = [s.id for s in old.stages_in(domain) if s.id in still]
        matcher = difflib.SequenceMatcher(None, was, now, autojunk=False)
        in_order = {now[j] for block in matcher.get_matching_blocks() for j in range(block.b, block.b + block.size)}
        moved |= set(now) - in_order
    return moved


def _stage_diff(old: Project, new: Project, was: Stage, now: Stage, reordered: bool) -> Iterator[Change]:
    subject = now.label
    if was.label != now.label:
        yield Change("stage-renamed", subject, f"Renamed from {was.label}", word_diff(was.label, now.label))
    if was.domain != now.domain:
        summary = f"Moved from {old.domain_title(was.domain)} to {new.domain_title(now.domain)}, {_place(new, now)}"
        yield Change("stage-moved", subject, summary)
    elif reordered:
        yield Change("stage-moved", subject, f"Moved within {new.domain_title(now.domain)}: now {_place(new, now)}")
    if was.definition != now.definition:
        yield Change("definition-changed", subject, "Definition changed", word_diff(was.definition, now.definition))
    yield from _list_change("entry-changed", subject, "Entry criteria", was.entry, now.entry)
    if [(e.to, e.when) for e in was.exit] != [(e.to, e.when) for e in now.exit]:  # a renamed target is no change
        yield from _list_change("exit-changed", subject, "Exits", _exits(old, was), _exits(new, now))
    yield from _stage_facts(old, new, was, now)


def _exits(project: Project, stage: Stage) -> tuple[str, ...]:
    """Declared exits as text; default exits follow the flow and are reported as moves."""
    texts = []
    for item in stage.exit:
        target = project.stage(item.to)
        name = target.name if target else item.to
        texts.append(f"to {name} when {item.when}" if item.when else f"to {name}")
    return tuple(texts)


def _stage_facts(old: Project, new: Project, was: Stage, now: Stage) -> Iterator[Change]:
    subject = now.label
    if was.status != now.status:
        yield Change("status-changed", subject, _status(was.status, now.status))
    if was.owner != now.owner:
        before, after = old.owner_name(was.owner) or "no owner", new.owner_name(now.owner) or "no owner"
        yield Change("owner-changed", subject, f"Owner: {before} {ARROW} {after}")
    if was.golden != now.golden:
        yield Change("golden-changed", subject, "Now a golden stage" if now.golden else "No longer a golden stage")
    if was.probability != now.probability:
        summary = f"Probability: {_percent(was.probability)} {ARROW} {_percent(now.probability)}"
        yield Change("probability-changed", subject, summary)
    if was.crm != now.crm:
        yield Change("crm-changed", subject, f"CRM mapping: {_crm(was)} {ARROW} {_crm(now)}")
    yield from _list_change("dropoff-changed", subject, "Drop-off reasons", was.drop_off_reasons, now.drop_off_reasons)


def _status(before: str, after: str) -> str:
    return f"{before.upper()} {ARROW} {after.upper()}"


def _percent(value: int | None) -> str:
    return "none" if value is None else f"{value}%"


def _crm(stage: Stage) -> str:
    if stage.crm is None:
        return "none"
    where = f"{stage.crm.object}.{stage.crm.field} = {stage.crm.value}"
    return f"{where} (pipeline {stage.crm.pipeline})" if stage.crm.pipeline else where


def _list_change(kind: str, subject: str, what: str, was: Sequence[str], now: Sequence[str]) -> Iterator[Change]:
    """One change for a reworded list, counted by item, with a word diff of the whole list."""
    if tuple(was) == tuple(now):
        return
    counts = {"added": 0, "removed": 0, "reworded": 0}
    matcher = difflib.SequenceMatcher(None, list(was), list(now), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            common = min(i2 - i1, j2 - j1)
            counts["reworded"] += common
            counts["removed"] += i2 - i1 - common
            counts["added"] += j2 - j1 - common
        elif tag != "equal":
            counts["removed" if tag == "delete" else "added"] += (i2 - i1) or (j2 - j1)
    parts = [f"{n} {word}" for word, n in counts.items() if n] or ["reordered"]
    detail = word_diff("; ".join(was), "; ".join(now))
    yield Change(kind, subject, f"{what} changed: {', '.join(parts)}", detail)


# ---------------------------------------------------------------- terms and sign-offs


def _term_changes(old: Project, new: Project) -> list[Change]:
    before = {t.key: t for t in old.terms}
    after = {t.key for t in new.terms}
    changes: list[Change] = []
    for term in new.terms:
        if term.key not in before:
            changes.append(Change("term-added", f"Term: {term.term}", f"New term ({term.status.upper()})"))
        else:
            changes += _term_diff(new, before[term.key], term)
    changes += [Change("term-removed", f"Term: {t.term}", "Removed") for t in old.terms if t.key not in after]
    return changes


def _term_diff(new: Project, was: Term, now: Term) -> Iterator[Change]:
    subject = f"Term: {now.term}"
    if was.term != now.term:
        yield Change("term-changed", subject, f"Renamed from {was.term}", word_diff(was.term, now.term))
    if was.definition != now.definition:
        yield Change("term-changed", subject, "Definition changed", word_diff(was.definition, now.definition))
    if was.status != now.status:
        yield Change("status-changed", subject, _status(was.status, now.status))
    for party in sorted(set(was.approvals) | set(now.approvals)):
        before, after = was.approvals.get(party), now.approvals.get(party)
        if before != after:
            summary = f"{_party(new, party)}: {before or 'not asked'} {ARROW} {after or 'not asked'}"
            yield Change("approval-changed", subject, summary)


def _party(project: Project, party: str) -> str:
    """A stakeholder's name and title, or a department's title."""
    return project.person_label(party)


def _signoff_changes(old: Project, new: Project) -> list[Change]:
    def keyed(project: Project) -> dict[tuple[str, str], Signoff]:
        return {(s.by, s.scope): s for s in project.signoffs}

    before, after = keyed(old), keyed(new)
    changes = []
    for key in list(after) + [k for k in before if k not in after]:
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        project = new if now else old
        subject = f"Sign-off ({key[1].replace('-', ' ')}): {_party(project, key[0])}"
        summary = f"{_signed(was)} {ARROW} {_signed(now)}"
        changes.append(Change("signoff-changed", subject, summary[:1].upper() + summary[1:]))
    return changes


def _signed(signoff: Signoff | None) -> str:
    if signoff is None:
        return "not expected"
    return f"signed {long_date(signoff.date)}" if signoff.date else "awaiting signature"
