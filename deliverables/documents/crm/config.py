"""One platform's whole configuration as plain data: picklists, pipelines with
probabilities, the contact lifecycle ladder, statuses and drop-off reasons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from deliverables.core import stages as known
from deliverables.core.model import Project, Stage
from deliverables.core.probability import hubspot_percent
from deliverables.documents.crm import mapping
from deliverables.documents.crm.mapping import StageMap

PIPELINE_FIELDS = {"salesforce": ("StageName",), "hubspot": ("dealstage", "hs_pipeline_stage")}


@dataclass(frozen=True)
class Option:
    """One picklist value."""

    label: str
    value: str
    proposed: bool
    stages: tuple[str, ...] = ()
    converted: bool = False


@dataclass(frozen=True)
class Picklist:
    """A picklist field (or property) and its values in order."""

    object: str
    field: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class PipelineStage:
    """A stage of a deal (or ticket) pipeline."""

    label: str
    value: str
    probability: int | None
    probability_proposed: bool
    closed: bool
    won: bool
    stage: Stage | None


@dataclass(frozen=True)
class Pipeline:
    """A pipeline: New Business, Renewal, Expansion, or a client's own."""

    name: str
    object: str
    field: str
    stages: tuple[PipelineStage, ...]

    @property
    def is_deal(self) -> bool:
        """Deal pipelines carry probabilities; ticket pipelines do not."""
        return self.object in ("Opportunity", "deals")


@dataclass(frozen=True)
class PlatformConfig:
    """Everything the spec and the deployable files say about one platform."""

    platform: str
    maps: tuple[StageMap, ...]
    pipelines: tuple[Pipeline, ...]
    picklists: tuple[Picklist, ...]
    ladder: Picklist
    statuses: Picklist
    drop_offs: tuple[Picklist, ...]


def build(project: Project, platform: str, defaults: dict[str, Any]) -> PlatformConfig:
    """The configuration of `platform` for this project."""
    maps = mapping.all_maps(project, platform, defaults)
    in_pipeline = [m for m in maps if m.field in PIPELINE_FIELDS[platform]]
    rest = [m for m in maps if m.field not in PIPELINE_FIELDS[platform]]
    ladder = contact_ladder(project, platform, defaults, maps)
    table = defaults[platform]
    picks = _group(rest, project, defaults)
    for key in ("contact_lifecycle", "company_lifecycle"):
        target = table[key]
        own = picks.pop((target["object"], target["field"]), ())
        picks[(target["object"], target["field"])] = _dedupe(ladder.options + tuple(own))
    picklists = tuple(Picklist(o, f, opts) for (o, f), opts in picks.items())
    ladder = next(p for p in picklists if (p.object, p.field) == (ladder.object, ladder.field))
    return PlatformConfig(
        platform,
        maps,
        pipelines(project, platform, in_pipeline, defaults),
        picklists,
        ladder,
        statuses(project, platform, defaults),
        drop_offs(project, maps, platform, defaults),
    )


def _group(
    maps: list[StageMap], project: Project, defaults: dict[str, Any]
) -> dict[tuple[str, str], tuple[Option, ...]]:
    groups: dict[tuple[str, str], list[Option]] = {}
    sql = mapping.sql_stage(project)
    position = {s.id: i for i, s in enumerate(project.stages_in("lead"))}
    converted_from = position.get(sql.id, len(position) - 1) if sql else len(position) - 1
    for m in maps:
        converted = position.get(m.stage.id, -1) >= converted_from
        option = Option(m.stage.name, m.value, m.proposed, (m.stage.id,), converted)
        groups.setdefault((m.object, m.field), []).append(option)
    return {key: _dedupe(tuple(opts)) for key, opts in groups.items()}


def _dedupe(options: tuple[Option, ...]) -> tuple[Option, ...]:
    seen: dict[str, Option] = {}
    for option in options:
        if option.value in seen:
            first = seen[option.value]
            seen[option.value] = Option(
                first.label,
                first.value,
                first.proposed and option.proposed,
                first.stages + option.stages,
                first.converted or option.converted,
            )
        else:
            seen[option.value] = option
    return tuple(seen.values())


def contact_ladder(project: Project, platform: str, defaults: dict[str, Any], maps: tuple[StageMap, ...]) -> Picklist:
    """The contact lifecycle values, earliest first: the Lead stages, then the
    opportunity and customer rungs the standard automation rules set."""
    target = defaults[platform]["contact_lifecycle"]
    by_id = {m.stage.id: m for m in maps}
    options = []
    for stage in project.stages_in("lead"):
        m = by_id.get(stage.id)
        if m is None:  # measured outside the CRM
            continue
        same_field = (m.object, m.field) == (target["object"], target["field"])
        value = m.value if same_field else mapping.default_value(stage, target, platform, defaults)
        options.append(Option(stage.name, value, m.proposed, (stage.id,)))
    leads = project.stages_in("lead")
    for role in ("opportunity", "customer"):
        if known.find(leads, role) is None:
            label = defaults["ladder"][role]
            value = label if platform == "salesforce" else role
            options.append(Option(label, value, True))
    return Picklist(target["object"], target["field"], _dedupe(tuple(options)))


def pipelines(project: Project, platform: str, maps: list[StageMap], defaults: dict[str, Any]) -> tuple[Pipeline, ...]:
    """Pipelines in order of first appearance, each closing with won and lost stages."""
    grouped: dict[str, list[StageMap]] = {}
    for m in maps:
        grouped.setdefault(m.pipeline or project.domain_title(m.stage.domain), []).append(m)
    steps = platform == "hubspot"
    return tuple(_pipeline(name, group, defaults, steps) for name, group in grouped.items())


def _pipeline(name: str, group: list[StageMap], defaults: dict[str, Any], steps: bool = False) -> Pipeline:
    """The pipeline's stages; with `steps`, probabilities in HubSpot's 10 % steps."""
    first = group[0]
    deal = first.object in ("Opportunity", "deals")
    stages = []
    for m, prob in zip(group, _probabilities([m.stage for m in group])):
        won, lost = known.plays(m.stage, "won"), known.closes_lost(m.stage)
        if steps:
            prob = hubspot_percent(prob)
        stages.append(
            PipelineStage(
                m.stage.name,
                m.value,
                prob if deal else None,
                deal and m.stage.probability is None,
                won or lost,
                won,
                m.stage,
            )
        )
    if deal and not any(s.won for s in stages):
        label = defaults["closed_won_stage"]
        stages.append(PipelineStage(label, _added_value(label, first), 100, True, True, True, None))
    if deal and not any(s.closed and not s.won for s in stages):
        label = defaults["closed_lost_stage"]
        stages.append(PipelineStage(label, _added_value(label, first), 0, True, True, False, None))
    return Pipeline(name, first.object, first.field, tuple(stages))


def _probabilities(flow: list[Stage]) -> list[int]:
    """Each stage's probability: the client's, else 100 won, 0 lost, and for an open stage
    the playbook's default, kept between its neighbours' (the midpoint when it is not)."""
    open_stages = [s for s in flow if not known.outcome(s)]
    rank = {s.id: i for i, s in enumerate(open_stages)}
    result, previous = [], 0
    for position, stage in enumerate(flow):
        if stage.probability is not None:
            value = stage.probability
        elif known.outcome(stage):
            value = 100 if known.plays(stage, "won") else 0
        else:
            value = _spread(rank[stage.id], len(open_stages))
            later = [s.probability for s in flow[position + 1 :] if s.probability is not None and not known.outcome(s)]
            upper = later[0] if later else 100
            if not previous < value < upper:
                value = (previous + upper) // 10 * 5
        if not known.outcome(stage):
            previous = value
        result.append(value)
    return result


def _added_value(label: str, first: StageMap) -> str:
    """Value of a stage we add: the label on Salesforce, HubSpot's own id style there."""
    return label if first.object == "Opportunity" else label.replace(" ", "").lower()


PLAYBOOK_PROBABILITIES = (25, 50, 75, 90)
"""The playbook's probabilities of the open standard opportunity stages (won is 100)."""


def _spread(index: int, count: int) -> int:
    """A proposed probability for the index-th of `count` open stages: the playbook's
    25/50/75/90 for the last four, earlier stages of a longer pipeline at 10, 15 or 20."""
    extra = max(count - len(PLAYBOOK_PROBABILITIES), 0)
    if index < extra:
        return min(10 + 5 * index, 20)
    return PLAYBOOK_PROBABILITIES[len(PLAYBOOK_PROBABILITIES) - (count - index)]


def statuses(project: Project, platform: str, defaults: dict[str, Any]) -> Picklist:
    """The contact status field (working state), kept apart from the lifecycle."""
    target = defaults[platform]["contact_status"]
    given = [(s.name, s.definition) for s in project.contact_statuses]
    rows = given or [(s["name"], s["definition"]) for s in defaults["contact_statuses"]]
    value = (lambda n: n) if platform == "salesforce" else (lambda n: n.upper().replace(" ", "_"))
    options = tuple(Option(name, value(name), not given) for name, _ in rows)
    return Picklist(target["object"], target["field"], _dedupe(options))


def drop_offs(
    project: Project, maps: tuple[StageMap, ...], platform: str, defaults: dict[str, Any]
) -> tuple[Picklist, ...]:
    """One drop-off reason picklist per object holding stages; the domain's standard
    reasons (proposed) when none of its stages lists any."""
    field = defaults[platform]["drop_off_field"]
    by_object: dict[str, list[StageMap]] = {}
    for m in maps:
        by_object.setdefault(m.object, []).append(m)
    result = []
    for obj, group in by_object.items():
        options = [Option(r, r, False, (m.stage.id,)) for m in group for r in m.stage.drop_off_reasons]
        if not options:
            domains = dict.fromkeys(m.stage.domain for m in group)
            table = defaults["drop_off_reasons"]
            options = [Option(r, r, True) for d in domains for r in table.get(d, table["other"])]
        result.append(Picklist(obj, field, _dedupe(tuple(options))))
    return tuple(result)
