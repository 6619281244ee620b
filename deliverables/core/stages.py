"""Find the playbook's well-known stages and terms in any client's architecture.

Clients rename and re-abbreviate freely, so a stage is found by id, then by
abbreviation, then by a phrase in its name (case-insensitive), in that order
of trust: `sal` is the stage with id `sal`, else abbr `SAL`, else a name
containing "Sales Accepted" that is not an opportunity stage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from deliverables.core.model import Project, Stage, Term

T = TypeVar("T")


@dataclass(frozen=True)
class Pattern:
    """How to recognise one well-known stage or term."""

    ids: tuple[str, ...] = ()
    abbrs: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


STAGES: dict[str, Pattern] = {
    "mql": Pattern(("mql",), ("MQL",), ("marketing qualified",)),
    "sal": Pattern(("sal",), ("SAL",), ("sales accepted lead", "sales accepted"), ("opportunit",)),
    "sql": Pattern(("sql",), ("SQL",), ("sales qualified lead", "sales qualified"), ("opportunit",)),
    "early-adoption": Pattern(
        ("early-adoption", "early_adoption", "ftv"), ("FTV",), ("early adoption", "first time to value", "first value")
    ),
    "churned": Pattern(("churned", "churn"), (), ("churn",)),
    "former-customer": Pattern(("former-customer", "former_customer"), (), ("former customer",)),
}
"""Well-known stages by key."""

TERMS: dict[str, Pattern] = {
    "ftv": Pattern(("ftv", "first-time-to-value"), ("FTV",), ("first time to value",)),
    "contact-status": Pattern(("contact-status",), (), ("contact status",), ("lifecycle",)),
}
"""Well-known terms by key (matched on the term's id, its words and its text)."""


def stage(project: Project, key: str) -> Stage | None:
    """The client's stage playing the well-known role `key`, or None."""
    pattern = STAGES[key]
    passes = (
        lambda s: s.id.casefold() in pattern.ids,
        lambda s: (s.abbr or "").casefold() in {a.casefold() for a in pattern.abbrs},
        lambda s: _phrase(s.name, pattern),
    )
    return _first(project.stages, passes)


def term(project: Project, key: str) -> Term | None:
    """The client's term playing the well-known role `key`, or None."""
    pattern = TERMS[key]
    abbrs = {a.casefold() for a in pattern.abbrs}
    passes = (
        lambda t: (t.id or "").casefold() in pattern.ids,
        lambda t: bool(abbrs & set(_words(t.term))),
        lambda t: _phrase(t.term, pattern),
    )
    return _first(project.terms, passes)


def _first(items: Sequence[T], passes: Sequence[Callable[[T], bool]]) -> T | None:
    """The first item matched by the most trusted pass that matches any."""
    for matches in passes:
        found = next((item for item in items if matches(item)), None)
        if found is not None:
            return found
    return None


def _phrase(text: str, pattern: Pattern) -> bool:
    folded = text.casefold()
    return any(p in folded for p in pattern.phrases) and not any(x in folded for x in pattern.exclude)


def _words(text: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in text.casefold()).split()
