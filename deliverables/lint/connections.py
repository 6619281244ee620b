"""How domains connect: a domain no record can enter, or leave, is worth a look.

The ways out are the ones every document shows (`core.flow`): a stage's own
exits, else the default next stage and the playbook's hand-offs between
domains. The Company lifecycle rolls up from contacts in parallel, so it is
not expected to connect; the first domain of the flow needs no way in and the
Customer domain (or the last of the main line) no way out.
"""

from __future__ import annotations

from collections.abc import Iterator

from deliverables.core.flow import MAIN_LINE, routes_of
from deliverables.core.model import Project
from deliverables.lint.base import Hit, at, rule

PARALLEL = ("company",)
"""Domains that roll up beside the flow instead of taking part in it."""


@rule(
    "domain-unconnected",
    "note",
    "A domain that no other domain leads into, or that leads to no other domain.",
    "add an exit from the stage where the records come from or go to, e.g. `exit: [{to: <stage id>, when: ...}]`",
)
def unconnected(project: Project) -> Iterator[Hit]:
    """Domains in use without a way in (all but the first) or a way out (all but the end of the flow)."""
    domains = [d for d in project.domain_order() if d not in PARALLEL]
    if len(domains) < 2:
        return
    crossing = list(routes_of(project).crossing())
    entered = {target.domain for _, target in crossing}
    left = {stage.domain for stage, _ in crossing}
    main = [d for d in MAIN_LINE if d in domains]
    terminal = {"customer", main[-1]} if main else {"customer"}
    for domain in domains:
        flow, title = project.stages_in(domain), project.domain_title(domain)
        if domain != domains[0] and domain not in entered:
            yield at(project, flow[0], f"no stage of another domain leads into the {title} stages")
        if domain not in terminal and domain not in left:
            yield at(project, flow[-1], f"no {title} stage leads on to another domain")
