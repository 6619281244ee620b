"""What the audit reads of each export, decided in Python before any data is touched:
the layout of its columns, which stages each value and date column can map to,
and the stage pairs the metrics follow (later stages, transitions)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from deliverables.backends.data import formats
from deliverables.backends.data.formats import Layout, key
from deliverables.core.flow import exits_of, routes_of
from deliverables.core.model import AuditExport, Project, Stage

ANY = "*"
"""Pipeline key of a stage stored without a pipeline."""


@dataclass(frozen=True)
class Mapped:
    """A stage the audit can observe: its position in the file and where the CRM keeps it."""

    pos: int
    stage: Stage
    object: str
    field: str
    pipeline: str
    keys: frozenset[str]


def mapped_stages(project: Project) -> list[Mapped]:
    """Every stage with a `crm:` mapping, in file order."""
    found = []
    for pos, stage in enumerate(project.stages):
        crm = stage.crm
        if crm is None:
            continue
        keys = frozenset(k for k in (key(crm.value), key(crm.label or ""), key(stage.name)) if k)
        found.append(Mapped(pos, stage, key(crm.object), key(crm.field), key(crm.pipeline or "") or ANY, keys))
    return found


@dataclass
class ExportPlan:
    """One export: its layout and the stage candidates of its columns."""

    index: int
    export: AuditExport
    layout: Layout
    object: str
    values: dict[str, list[Mapped]] = field(default_factory=dict)
    """Column key (see `column_key`) -> stages its values may map to."""
    dates: list[tuple[str, int]] = field(default_factory=list)
    """(column, stage position) of each date column that maps to a stage."""
    created_stage: int | None = None
    segments: dict[str, str] = field(default_factory=dict)
    """Segment name -> column of this export."""

    def column_key(self, field_name: str) -> str:
        """The key of a value column in the mapping table."""
        return f"{self.index}:{key(field_name)}"


def plan_export(
    index: int,
    export: AuditExport,
    layout: Layout,
    stages: list[Mapped],
    header: tuple[str, ...],
    segments: tuple[str, ...],
) -> ExportPlan:
    """Resolve an export's columns against the mapped stages."""
    obj = key(export.object)
    mine = [m for m in stages if m.object == obj]
    plan = ExportPlan(index, export, layout, obj)
    for column, field_name in layout.current:
        accepted = {key(field_name), key(column)}
        candidates = [m for m in mine if m.field in accepted]
        if candidates:  # a field no stage is stored in (e.g. Lead Status) is not audited
            plan.values[plan.column_key(field_name)] = candidates
    if layout.history is not None:
        for field_key in {m.field for m in mine}:
            plan.values[plan.column_key(field_key)] = [m for m in mine if m.field == field_key]
    for date in layout.dates:
        pos = _date_stage(date, mine)
        if pos is not None:
            plan.dates.append((date.column, pos))
    if layout.created_is_entry and layout.created and mine:
        plan.created_stage = mine[0].pos
    by_key = {key(h): h for h in header}
    plan.segments = {name: by_key[key(name)] for name in segments if key(name) in by_key}
    return plan


def _date_stage(date: formats.DateColumn, mine: list[Mapped]) -> int | None:
    if date.by_id:
        return next((m.pos for m in mine if m.stage.id == date.stage), None)
    wanted, pipeline = key(date.stage), key(date.pipeline or "")
    for strict in (True, False):
        for m in mine:
            if strict and m.field != key(date.field):
                continue
            if wanted in m.keys and (not pipeline or m.pipeline in (pipeline, ANY) or pipeline in m.keys):
                return m.pos
    return None


def _reachable(project: Project, start: Stage, track: set[str]) -> set[str]:
    """Stages reachable from `start` through exits that stay on its object and pipeline."""
    seen, todo = set(), [start]
    while todo:
        for target in routes_of(project).targets(todo.pop()):
            if target.id in track and target.id not in seen:
                seen.add(target.id)
                todo.append(target)
    return seen


def later_pairs(project: Project, stages: list[Mapped]) -> Iterator[tuple[int, int]]:
    """(stage, later stage) of the same object and pipeline: after it in the file,
    reachable from it through that pipeline's exits, and not a lost outcome (a deal
    lost early has not skipped the stages it never needed)."""
    from deliverables.core import stages as known

    for m in stages:
        same = [o for o in stages if (o.object, o.pipeline) == (m.object, m.pipeline)]
        reach = _reachable(project, m.stage, {o.stage.id for o in same})
        for other in same:
            if other.pos > m.pos and other.stage.id in reach and not known.closes_lost(other.stage):
                yield m.pos, other.pos


def transitions(project: Project, stages: list[Mapped]) -> list[tuple[int, int]]:
    """Every exit (own or default) whose target is stored on the same object and pipeline, in flow order."""
    by_id = {m.stage.id: m for m in stages}
    pairs = []
    for stage in project.flow():
        source = by_id.get(stage.id)
        if source is None:
            continue
        for exit_ in exits_of(project, stage):
            target = by_id.get(exit_.to)
            if target is not None and (target.object, target.pipeline) == (source.object, source.pipeline):
                pairs.append((source.pos, target.pos))
    return list(dict.fromkeys(pairs))
