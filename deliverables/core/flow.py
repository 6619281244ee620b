"""Where a record can go from each stage: the stage's own exits, else the defaults.

Every document reads the ways out from here, so the diagram's arrows, the
alignment document's exit column, the summary, the FAQ and the CRM spec's
conversion reports tell one story. The default rule, in the playbook's flow:

- within a domain, a stage moves on to the next stage of its domain; a lost
  or churned stage is never the default next step (only the domain's last
  open stage also leads to its lost outcome), and no default leads on from a
  won or lost outcome;
- the end of a domain hands off to the entry stage of the next domain: the
  last Lead stage to the first Sales stage (SAL -> SQL), the Sales won stage to
  the first Customer stage;
- the Customer stage where renewal opens (Mature Adoption, else Early
  Adoption, else the last Customer stage still open) hands off to the first
  Renewal and the first Expansion stage; their won stage returns to it, their
  lost stage goes to the churned Customer stage;
- a POC starts from the Sales evaluation stage and returns to the Sales stage
  after it.

A stage with its own `exit:` list keeps exactly those exits, and a default
hand-off into a domain is added only when no stage already leads into it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from deliverables.core import stages as known

if TYPE_CHECKING:
    from deliverables.core.model import Exit, Project, Stage

MAIN_LINE = ("lead", "sales", "customer")
"""The playbook's main flow of domains; a domain not in use is skipped."""
SIDE_LOOPS = ("renewal", "expansion")
"""Domains entered from the Customer stage where renewal opens, returning to it when won."""


def routes_of(project: Project) -> Routes:
    """Every stage's ways out of the project, computed once per project."""
    found = project.derived.get("routes")
    if not isinstance(found, Routes):
        found = project.derived["routes"] = Routes(project)
    return found


def exits_of(project: Project, stage: Stage) -> tuple[Exit, ...]:
    """A stage's exits: its own, else the default next stage or hand-off."""
    return routes_of(project).exits(stage)


class Routes:
    """Every stage's exits (own or default), computed once in linear time."""

    def __init__(self, project: Project):
        self.by_id = {stage.id: stage for stage in project.stages}
        self._flows = {domain: project.stages_in(domain) for domain in project.domain_order()}
        self._default: dict[str, list[str]] = {}
        self._made: dict[str, tuple[Exit, ...]] | None = None
        """Default exits by stage id, made when first asked for once every default is known
        (frozen: shared by every caller)."""
        self._next_in_domain()
        self._main_line()
        self._side_loops()
        self._poc()
        self._made = {}

    def exits(self, stage: Stage) -> tuple[Exit, ...]:
        """The stage's own exits, else its default ones (next stage, hand-off), made once."""
        if stage.exit:
            return stage.exit
        found = None if self._made is None else self._made.get(stage.id)
        if found is None:
            from deliverables.core.model import Exit

            found = tuple(Exit(to=target) for target in self._default.get(stage.id, ()))
            if self._made is not None:
                self._made[stage.id] = found
        return found

    def targets(self, stage: Stage) -> tuple[Stage, ...]:
        """The stages the exits lead to, skipping unknown ids."""
        return tuple(self.by_id[e.to] for e in self.exits(stage) if e.to in self.by_id)

    @functools.cached_property
    def incoming(self) -> dict[str, list[Stage]]:
        """Stage id -> the stages with a way into it, in file order."""
        found: dict[str, list[Stage]] = {}
        for stage in self.by_id.values():
            for target in self.targets(stage):
                found.setdefault(target.id, []).append(stage)
        return found

    def crossing(self) -> Iterator[tuple[Stage, Stage]]:
        """Every (stage, target) pair whose exit leaves the stage's domain."""
        for stage in self.by_id.values():
            yield from ((stage, t) for t in self.targets(stage) if t.domain != stage.domain)

    # ------------------------------------------------------------ defaults

    def _add(self, stage: Stage | None, target: Stage | None) -> None:
        if stage is not None and target is not None and not stage.exit and target.id != stage.id:
            self._default.setdefault(stage.id, [])
            if target.id not in self._default[stage.id]:
                self._default[stage.id].append(target.id)

    def _next_in_domain(self) -> None:
        for flow in self._flows.values():
            for index, stage in enumerate(flow):
                if not known.outcome(stage):
                    self._add(stage, next((s for s in flow[index + 1 :] if not known.closes_lost(s)), None))
            last_open = next((s for s in reversed(flow) if not known.outcome(s)), None)
            for lost in (s for s in flow if known.closes_lost(s)):
                self._add(last_open, lost)

    def _entered(self, domain: str, source: str) -> bool:
        """True when a stage of the `source` domain already has its own exit into `domain`."""
        return any(
            e.to in self.by_id and self.by_id[e.to].domain == domain for s in self._flows[source] for e in s.exit
        )

    def _entry(self, domain: str) -> Stage | None:
        """A domain's entry stage: its first stage that is not a lost outcome."""
        return next((s for s in self._flows.get(domain, ()) if not known.closes_lost(s)), None)

    def _end(self, domain: str) -> Stage | None:
        """Where a domain's forward flow ends: its won stage, else its last open stage."""
        flow = self._flows.get(domain, ())
        won = known.find(flow, "won")
        return won or next((s for s in reversed(flow) if not known.outcome(s)), None)

    def _main_line(self) -> None:
        used = [d for d in MAIN_LINE if d in self._flows]
        for here, there in zip(used, used[1:]):
            if not self._entered(there, here):
                self._add(self._end(here), self._entry(there))

    def _renewal_source(self) -> Stage | None:
        flow = self._flows.get("customer", ())
        return (
            known.find(flow, "mature-adoption")
            or known.find(flow, "early-adoption")
            or next((s for s in reversed(flow) if not known.outcome(s)), None)
        )

    def _side_loops(self) -> None:
        source = self._renewal_source()
        churned = known.find(self._flows.get("customer", ()), "churned")
        for domain in (d for d in SIDE_LOOPS if d in self._flows):
            if source is not None and not self._entered(domain, "customer"):
                self._add(source, self._entry(domain))
            flow = self._flows[domain]
            self._add(known.find(flow, "won"), source)
            lost = next((s for s in flow if known.closes_lost(s)), None)
            self._add(lost, churned)

    def _poc(self) -> None:
        sales, poc = self._flows.get("sales", ()), self._flows.get("poc", ())
        if not sales or not poc:
            return
        source = known.find(sales, "evaluation") or next((s for s in sales if not known.outcome(s)), None)
        if source is None:
            return
        after = next((t for t in self.targets(source) if t.domain == "sales"), None)
        if not self._entered("poc", "sales"):
            self._add(source, self._entry("poc"))
        self._add(self._end("poc"), after)
