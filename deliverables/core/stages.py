"""The playbook's well-known stages and terms, found in any client's architecture.

One recognizer for every reader: the FAQ (which questions it can answer), lint
(is there a SAL, is Closed Won golden), the CRM spec (which stage the automation
rules set, which pipeline stage closes won) and the default hand-offs between
domains. Clients rename and re-abbreviate freely, so names are compared as
words (`closed-won`, `Closed Won`, `CLOSED_WON` are one name) in four passes of
falling trust: the id, the abbreviation, the whole name, then a phrase inside
the name that no excluded word spoils. The first stage of the most trusted
pass that matches plays the role.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from deliverables.core.model import Project, Stage, Term

T = TypeVar("T")


@dataclass(frozen=True)
class Pattern:
    """How to recognise one well-known stage or term; every entry is compared as words."""

    ids: tuple[str, ...] = ()
    abbrs: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    """Words that stop a phrase match: `Sales Accepted Opportunity` is no SAL."""


_OPPORTUNITY = ("opportunity", "opportunities", "opp", "opps")

STAGES: dict[str, Pattern] = {
    "subscriber": Pattern(("subscriber",), (), ("subscriber",)),
    "known-lead": Pattern(("known-lead", "lead"), (), ("known lead", "lead")),
    "mql": Pattern(("mql",), ("MQL",), ("marketing qualified lead",), ("marketing qualified",)),
    "sal": Pattern(("sal",), ("SAL",), ("sales accepted lead",), ("sales accepted",), _OPPORTUNITY),
    "sql": Pattern(("sql",), ("SQL",), ("sales qualified lead",), ("sales qualified",), _OPPORTUNITY),
    "opportunity": Pattern(("opportunity", "opp"), (), ("opportunity", "opp")),
    "evaluation": Pattern(("evaluation",), (), (), ("evaluation", "use case", "trial")),
    "won": Pattern(
        ("closed-won", "won", "closedwon"),
        (),
        ("closed won", "won", "closedwon", "deal won", "renewed"),
        ("won",),
        ("lost", "not", "back"),
    ),
    "lost": Pattern(
        ("closed-lost", "lost", "closedlost", "disqualified"),
        (),
        ("closed lost", "lost", "disqualified", "not renewed"),
        ("lost", "disqualified", "not renewed"),
        ("won",),
    ),
    "customer": Pattern(("customer",), (), ("customer",)),
    "early-adoption": Pattern(
        ("early-adoption", "ftv"),
        ("FTV",),
        ("early adoption", "first time to value", "first value"),
        ("early adoption", "first time to value", "first value"),
    ),
    "mature-adoption": Pattern(("mature-adoption",), (), ("mature adoption",), ("mature adoption",)),
    "churned": Pattern(("churned", "churn"), (), ("churned", "churn"), ("churned",)),
    "former-customer": Pattern(("former-customer",), (), ("former customer",), ("former customer",)),
    "evangelist": Pattern(("evangelist",), (), ("evangelist", "advocate")),
}
"""Well-known stages by role."""

TERMS: dict[str, Pattern] = {
    "ftv": Pattern(("ftv", "first-time-to-value"), ("FTV",), ("first time to value",), ("first time to value",)),
    "contact-status": Pattern(("contact-status",), (), ("contact status",), ("contact status",), ("lifecycle",)),
}
"""Well-known terms by role (matched on the term's id, its words and its text)."""


def words(text: str) -> list[str]:
    """Lower-case words of a name: `Pre-Onboarding (CS)` -> ['pre', 'onboarding', 'cs']."""
    return re.findall(r"[^\W_]+", text.casefold())


def norm(text: str) -> str:
    """A name reduced to its words, for comparisons that ignore case, spacing and punctuation."""
    return " ".join(words(text))


def _normed(items: Iterable[str]) -> frozenset[str]:
    return frozenset(norm(item) for item in items)


def _contains(text: str, pattern: Pattern) -> bool:
    """The text holds one of the pattern's phrases as whole words, and no excluded word."""
    found = f" {norm(text)} "
    hit = any(f" {norm(p)} " in found for p in pattern.phrases)
    return hit and not any(f" {norm(x)} " in found for x in pattern.exclude)


@functools.cache
def _stage_passes(key: str) -> tuple[Callable[[Stage], bool], ...]:
    pattern = STAGES[key]
    ids, abbrs, names = _normed(pattern.ids), _normed(pattern.abbrs), _normed(pattern.names)
    return (
        lambda s: norm(s.id) in ids,
        lambda s: bool(s.abbr) and norm(s.abbr or "") in abbrs,
        lambda s: norm(s.name) in names,
        lambda s: _contains(s.name, pattern),
    )


def find(stages: Sequence[Stage], key: str) -> Stage | None:
    """The stage among `stages` playing the well-known role `key`, or None."""
    return _first(stages, _stage_passes(key))


def stage(project: Project, key: str) -> Stage | None:
    """The client's stage playing the well-known role `key`, or None."""
    return find(project.stages, key)


def standard_check(project: Project, item: dict[str, Any]) -> dict[str, Any]:
    """A standard maintenance item as this client reads it: its `otherwise` wording in place of
    its `check` when the client has no stage for a role its example names (`needs`), so a
    client without an MQL is not told to check MQL to SAL."""
    if item.get("otherwise") and any(stage(project, key) is None for key in item.get("needs") or ()):
        return {**item, "check": item["otherwise"]}
    return item


def plays(item: Stage, key: str) -> bool:
    """True when the stage could play the role `key` (any pass matches it)."""
    return any(matches(item) for matches in _stage_passes(key))


def closes_lost(item: Stage) -> bool:
    """A stage where a record leaves the flow unsuccessfully: lost, disqualified, not renewed, churned."""
    return plays(item, "lost") or plays(item, "churned")


def outcome(item: Stage) -> bool:
    """A won or lost outcome: the flow does not continue to the next stage of its domain from it."""
    return plays(item, "won") or closes_lost(item)


def term(project: Project, key: str) -> Term | None:
    """The client's term playing the well-known role `key`, or None."""
    pattern = TERMS[key]
    ids, abbrs, names = _normed(pattern.ids), _normed(pattern.abbrs), _normed(pattern.names)
    passes: tuple[Callable[[Term], bool], ...] = (
        lambda t: norm(t.id or "") in ids,
        lambda t: bool(abbrs & set(words(t.term))),
        lambda t: norm(t.term) in names,
        lambda t: _contains(t.term, pattern),
    )
    return _first(project.terms, passes)


def _first(items: Sequence[T], passes: Sequence[Callable[[T], bool]]) -> T | None:
    """The first item matched by the most trusted pass that matches any."""
    for matches in passes:
        found = next((item for item in items if matches(item)), None)
        if found is not None:
            return found
    return None


_MEASURED_ONLY = re.compile(
    r"\b(?:measured|tracked|counted|recorded|reported)\s+(?:in|by|with|through)\s+(?P<where>[\w\s-]{1,40}?)\s+only\b",
    re.IGNORECASE,
)
_NOT_IN_CRM = re.compile(r"\b(?:outside|not in|never in)\s+(?:the\s+)?crm\b|\bno\s+crm\s+record\b", re.IGNORECASE)


def outside_crm(item: Stage) -> bool:
    """A stage the client measures outside the CRM ("measured in web analytics only"),
    judged from its definition and notes; a stage with its own `crm:` mapping is in the CRM."""
    if item.crm is not None:
        return False
    text = " ".join(part for part in (item.definition, item.notes) if part)
    measured = _MEASURED_ONLY.search(text)
    if measured and "crm" not in words(measured["where"]) and "salesforce" not in words(measured["where"]):
        return "hubspot" not in words(measured["where"])
    return bool(_NOT_IN_CRM.search(text))


_BOOKED = re.compile(
    r"\b(?:meeting|call|demo|discovery)\b[^.;]*\b(?:booked|scheduled)\b|\b(?:books?|booked|schedules?|scheduled)\b[^.;]*\b(?:meeting|call|demo)\b",
    re.IGNORECASE,
)


def booked_meeting(criterion: str) -> bool:
    """True when a criterion is met by booking a meeting ("Discovery call booked")."""
    return bool(_BOOKED.search(criterion))


def meeting_conflict(project: Project) -> tuple[Stage, Stage, str] | None:
    """(SAL, SQL, criterion) when the standard automation, which sets the Sales Accepted stage
    when a meeting is booked, contradicts an SQL entry criterion met by a booked meeting."""
    leads = project.stages_in("lead")
    sal, sql = find(leads, "sal"), find(leads, "sql") or stage(project, "sql")
    if sal is None or sql is None:
        return None
    criterion = next((c for c in sql.entry if booked_meeting(c)), None)
    return (sal, sql, criterion) if criterion else None
