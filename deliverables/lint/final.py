"""The `--final` gates of strategic sign-off (playbook phase 1d): nothing
ASSUMED, every term approved by all its approvers, every way out of a stage
has exit criteria, the RevOps, Marketing, Sales and CS leads have signed, the
measurement framework is agreed, the edge cases are addressed, and contact
status is agreed to stay apart from the lifecycle stage.

These rules run only with `deliver check --final` and cannot be silenced.
"""

from __future__ import annotations

from collections.abc import Iterator

from deliverables.core import stages as known
from deliverables.core.flow import exits_of
from deliverables.core.model import Project, Signoff
from deliverables.core.stages import norm, words
from deliverables.lint.base import Hit, at, rule


@rule(
    "final-assumed",
    "error",
    "A stage or term still ASSUMED at sign-off.",
    "confirm it with its stakeholder and set `status: confirmed`, or change it until they agree",
    final=True,
)
def final_assumed(project: Project) -> Iterator[Hit]:
    """Every assumed stage and term."""
    for stage in project.stages:
        if stage.status == "assumed":
            confirmer = project.confirmer(stage)
            who = f" (confirm with {project.person_label(confirmer)})" if confirmer else ""
            yield at(project, stage, f"stage '{stage.name}' is still ASSUMED{who}", "status")
    for j, term in enumerate(project.terms):
        if term.status == "assumed":
            yield Hit(("terms", j, "status"), f"term '{term.term}' is still ASSUMED")


@rule(
    "final-term-not-approved",
    "error",
    "A term not approved by every listed approver, or with no approvers.",
    "record each approver's decision under `approvals` and resolve every pending or rejected one",
    final=True,
)
def final_unapproved(project: Project) -> Iterator[Hit]:
    """Terms with no approvers, or with any approval other than approved."""
    for j, term in enumerate(project.terms):
        if not term.approvals:
            yield Hit(("terms", j), f"term '{term.term}' has no approvers")
            continue
        missing = [f"{who} ({value})" for who, value in term.approvals.items() if value != "approved"]
        if not term.approved:
            yield Hit(("terms", j, "approvals"), f"term '{term.term}' is not approved by {', '.join(missing)}")


@rule(
    "final-exit-without-criteria",
    "error",
    "A stage with a successor but no exit criteria (an exit without `when`).",
    "write each way out as `exit: [{to: <stage id>, when: <condition>}]`",
    final=True,
)
def final_exit_without_when(project: Project) -> Iterator[Hit]:
    """Default exits and explicit exits lacking `when`."""
    for stage in project.stages:
        if not stage.exit and (exits := exits_of(project, stage)):
            target = project.stage(exits[0].to)
            name = target.name if target else exits[0].to
            yield at(project, stage, f"'{stage.name}' moves on to '{name}' with no exit criteria")
        for k, exit_ in enumerate(stage.exit):
            if not exit_.when.strip():
                yield at(project, stage, f"the exit from '{stage.name}' to '{exit_.to}' has no `when`", "exit", k)


LEADS = {"revops": "RevOps", "marketing": "Marketing", "sales": "Sales", "cs": "Customer Success"}
STRATEGIC_SCOPES = frozenset({"definition", "definitions", "architecture", "strategy", "strategic", "lifecycle", "all"})
"""Sign-off scopes that count as the strategic sign-off (not, say, a current-state audit)."""


def _strategic(signoff: Signoff) -> bool:
    return bool(STRATEGIC_SCOPES & set(words(signoff.scope)))


@rule(
    "final-signoff-missing",
    "error",
    "No dated strategic sign-off from the RevOps, Marketing, Sales or CS lead.",
    "add `signoffs: [{by: <lead's stakeholder id>, scope: definitions, date: YYYY-MM-DD}]` once they sign",
    final=True,
)
def final_signoff(project: Project) -> Iterator[Hit]:
    """Each of the four leads needs a dated sign-off on definitions or architecture."""
    for department, title in LEADS.items():
        signers = {department} | {p.id for p in project.stakeholders if p.department == department}
        mine = [(k, s) for k, s in enumerate(project.signoffs) if s.by in signers and _strategic(s)]
        if any(s.date for _, s in mine):
            continue
        if mine:
            yield Hit(("signoffs", mine[0][0], "date"), f"the {title} lead's sign-off has no date")
        else:
            yield Hit(("signoffs",), f"no sign-off of the definitions or architecture from the {title} lead")


def _scoped(project: Project, scopes: frozenset[str]) -> list[tuple[int, Signoff]]:
    """Sign-offs whose scope names one of `scopes` (compared as words)."""
    return [(k, s) for k, s in enumerate(project.signoffs) if norm(s.scope) in scopes]


def _agreed(project: Project, scopes: frozenset[str], what: str, missing: str) -> Iterator[Hit]:
    """A dated sign-off of `what`; else one finding: undated, or none at all."""
    found = _scoped(project, scopes)
    if any(s.date for _, s in found):
        return
    if found:
        yield Hit(("signoffs", found[0][0], "date"), f"the sign-off of {what} has no date")
    else:
        yield Hit(("signoffs",), missing)


MEASUREMENT_SCOPES = frozenset({"measurement", "measurements", "measurement framework", "metrics"})
EDGE_CASE_SCOPES = frozenset({"edge cases", "edge case"})
STATUS_SCOPES = frozenset({"contact status", "lifecycle vs status", "status"})


@rule(
    "final-measurement-not-agreed",
    "error",
    "No dated sign-off of the measurement framework (which metric categories are tracked, with their targets).",
    "agree the Lifecycle Measurement Framework, then add `signoffs: [{by: <id>, scope: measurement, date: YYYY-MM-DD}]`",
    final=True,
)
def final_measurement(project: Project) -> Iterator[Hit]:
    """The playbook's sign-off asks for an agreed measurement framework."""
    yield from _agreed(
        project,
        MEASUREMENT_SCOPES,
        "the measurement framework",
        "no sign-off of the measurement framework: which metrics are tracked and their targets are not agreed",
    )


@rule(
    "final-edge-cases-open",
    "error",
    "No dated sign-off that the edge cases are addressed (recycling, re-activation, PLG).",
    "settle them in the refinement meetings, then add `signoffs: [{by: <id>, scope: edge-cases, date: YYYY-MM-DD}]`",
    final=True,
)
def final_edge_cases(project: Project) -> Iterator[Hit]:
    """Multi-product recycling, churned customers coming back and a PLG motion must be settled."""
    yield from _agreed(
        project,
        EDGE_CASE_SCOPES,
        "the edge cases",
        "no sign-off that the edge cases are addressed: multi-product lifecycle recycling, "
        "churned customer re-activation and PLG motion handling",
    )


@rule(
    "final-status-not-separated",
    "error",
    "Keeping contact status apart from the lifecycle stage is not agreed (no approved Contact Status term or sign-off).",
    "have every approver approve the Contact Status term, or add `signoffs: [{by: <id>, scope: contact-status, date: YYYY-MM-DD}]`",
    final=True,
)
def final_status(project: Project) -> Iterator[Hit]:
    """Agreed through the Contact Status term (approved by everyone asked) or its own sign-off."""
    if any(s.date for _, s in _scoped(project, STATUS_SCOPES)):
        return
    found = known.term(project, "contact-status")
    if found is not None and found.approved:
        return
    if found is not None:
        j = project.terms.index(found)
        yield Hit(
            ("terms", j, "approvals"),
            f"keeping contact status apart from the lifecycle stage is not agreed: '{found.term}' is not approved by everyone",
        )
        return
    yield from _agreed(
        project,
        STATUS_SCOPES,
        "contact status vs lifecycle stage",
        "keeping contact status apart from the lifecycle stage is not agreed: no Contact Status term and no sign-off of it",
    )
