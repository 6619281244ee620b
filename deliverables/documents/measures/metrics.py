"""The metrics of the Lifecycle Measurement Framework on one client's own stages.

Plain data only: which stage pairs are converted between, which stages have
a time, a volume, a drop-off and a cost, which targets the client set, and
which CRM field each reads. The wording lives in `templates/measures/`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from deliverables.core import stages as known
from deliverables.core.flow import exits_of
from deliverables.core.model import MeasureTarget, Project, Stage


@dataclass(frozen=True)
class Pair:
    """Two stages a conversion or a time is measured between."""

    first: Stage
    second: Stage
    golden: bool = False


def leaves(stage: Stage) -> bool:
    """A stage where a record leaves the lifecycle: lost, churned, former customer."""
    return known.closes_lost(stage) or known.plays(stage, "former-customer")


def forward_pairs(project: Project) -> list[Pair]:
    """Each stage and each stage it moves on to (not back, not to a lost outcome), in flow order."""
    order = {stage.id: i for i, stage in enumerate(project.flow())}
    pairs = []
    for stage in project.flow():
        if leaves(stage):
            continue
        for exit_ in exits_of(project, stage):
            target = project.stage(exit_.to)
            if target is None or leaves(target) or order[target.id] <= order[stage.id]:
                continue
            pairs.append(Pair(stage, target, stage.golden and target.golden))
    return pairs


def golden_pairs(project: Project) -> list[Pair]:
    """Each golden stage and the next golden stage in flow order."""
    golden = [stage for stage in project.flow() if stage.golden]
    return [Pair(a, b, True) for a, b in zip(golden, golden[1:])]


def open_stages(project: Project) -> list[Stage]:
    """Stages a record spends time in: every stage but won and lost outcomes."""
    return [stage for stage in project.flow() if not known.outcome(stage) and not leaves(stage)]


def drop_exits(project: Project, stage: Stage) -> list[Stage]:
    """The stages a record leaves `stage` for without moving forward: lost outcomes and earlier stages."""
    order = project.derived.get("flow-order")
    if not isinstance(order, dict):
        order = project.derived["flow-order"] = {s.id: i for i, s in enumerate(project.flow())}
    found = []
    for exit_ in exits_of(project, stage):
        target = project.stage(exit_.to)
        if target is not None and (leaves(target) or order[target.id] < order[stage.id]):
            found.append(target)
    return found


def drop_stages(project: Project) -> list[Stage]:
    """Stages with a way out that is not forward, or drop-off reasons of their own."""
    return [s for s in open_stages(project) if drop_exits(project, s) or s.drop_off_reasons]


def cost_stages(project: Project) -> list[Stage]:
    """MQL, SQL and the won stage of Sales, as the client names them, and any stage with a cost target."""
    roles = [known.stage(project, "mql"), known.stage(project, "sql"), won_stage(project)]
    chosen = [s for s in roles if s is not None]
    for target in project.measures.targets:
        if target.id == "cost" and (stage := project.stage(target.stages[0])) and stage not in chosen:
            chosen.append(stage)
    order = {s.id: i for i, s in enumerate(project.flow())}
    return sorted(dict.fromkeys(chosen), key=lambda s: order[s.id])


def won_stage(project: Project) -> Stage | None:
    """The Sales stage where a deal is won, else any won stage."""
    return known.find(project.stages_in("sales"), "won") or known.stage(project, "won")


def churned_stage(project: Project) -> Stage | None:
    """The stage a customer reaches on leaving: churned, else former customer."""
    return known.stage(project, "churned") or known.stage(project, "former-customer")


def response_pair(project: Project) -> tuple[Stage, Stage] | None:
    """MQL to SAL (else MQL to SQL): the hand-off whose speed is the lead response time."""
    mql = known.stage(project, "mql")
    after = known.stage(project, "sal") or known.stage(project, "sql")
    return (mql, after) if mql and after else None


def first_sales(project: Project) -> Stage | None:
    """Where the sales cycle starts: the first Sales stage."""
    sales = project.stages_in("sales")
    return sales[0] if sales else None


def target_for(project: Project, metric: str, stages: Sequence[Stage] = ()) -> MeasureTarget | None:
    """The client's target for a metric on exactly these stages, if set."""
    ids = tuple(s.id for s in stages)
    return next((t for t in project.measures.targets if t.id == metric and t.stages == ids), None)


def extra_targets(project: Project, metric: str, covered: Sequence[Sequence[Stage]]) -> Iterator[MeasureTarget]:
    """Targets of a metric on stages the framework does not list by itself."""
    seen = {tuple(s.id for s in stages) for stages in covered}
    for target in project.measures.targets:
        if target.id == metric and target.stages not in seen:
            yield target
