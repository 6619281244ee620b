"""Rules about the shape of the architecture: the stages it must have, golden
stages, pipelines and their probabilities, entry criteria.

Well-known stages are found by `core.stages`, the recognizer the FAQ and the
CRM spec use too, so a client's own ids and names do not hide them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from deliverables.core import stages as known
from deliverables.core.model import Project, Stage
from deliverables.core.probability import hubspot_percent
from deliverables.lint.base import PIPELINE_DOMAINS, Hit, at, is_pipeline, rule

GOLDEN: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("SQL", "sql", ("lead", "sales")),
    ("Closed Won", "won", ("sales",)),
    ("Early Adoption", "early-adoption", ("customer",)),
)
"""The playbook's golden stages: label, well-known role, where it belongs."""


def find(project: Project, key: str, domains: tuple[str, ...] = ()) -> Stage | None:
    """The stage playing the well-known role `key` (see `core.stages`), within `domains` when given."""
    stages = [s for s in project.stages if s.domain in domains] if domains else project.stages
    return known.find(stages, key)


@rule(
    "missing-sal",
    "warning",
    "No Sales Accepted Lead (SAL) stage between MQL and SQL.",
    "add a SAL stage between MQL and SQL so the speed and acceptance rate of the Marketing-to-Sales"
    " hand-off can be measured",
)
def missing_sal(project: Project) -> Iterator[Hit]:
    """MQL and SQL present, SAL absent."""
    mql, sql = find(project, "mql"), find(project, "sql")
    if mql and sql and not find(project, "sal"):
        yield at(project, mql, f"no Sales Accepted Lead stage between '{mql.name}' and '{sql.name}'")


@rule(
    "missing-entry-criteria",
    "warning",
    "A stage without entry criteria.",
    "write objective entry criteria on paper and get them signed off before building the stage in the CRM",
)
def missing_entry(project: Project) -> Iterator[Hit]:
    """Stages whose `entry` is empty."""
    for stage in project.stages:
        if not any(criterion.strip() for criterion in stage.entry):
            yield at(project, stage, f"'{stage.name}' has no entry criteria", "entry")


def _unclaimed_golden(project: Project, domains: tuple[str, ...], claimed: set[str]) -> bool:
    """True when some golden stage in `domains` is not one of the recognised ones."""
    return any(s.golden and s.domain in domains and s.id not in claimed for s in project.stages)


@rule(
    "golden-stage-missing",
    "warning",
    "A domain in use lacks its golden stage (SQL or Closed Won in sales, Early Adoption in customer)"
    " and marks no other stage golden instead.",
    "add the stage, or mark the client's equivalent stage `golden: true`",
)
def golden_missing(project: Project) -> Iterator[Hit]:
    """Golden concepts with neither a recognised stage nor a golden stand-in."""
    found = {label: find(project, key, domains) for label, key, domains in GOLDEN}
    claimed = {stage.id for stage in found.values() if stage}
    for label, _, domains in GOLDEN:
        flow = project.stages_in(domains[-1])
        # A domain not in use is another rule's concern (e.g. lifecycle-ends-at-closed-won).
        if flow and found[label] is None and not _unclaimed_golden(project, domains, claimed):
            where = f"the {project.domain_title(domains[-1])} domain"
            yield at(project, flow[0], f"no {label} stage and no golden stage in {where}")


@rule(
    "golden-stage-not-marked",
    "warning",
    "SQL, Closed Won or Early Adoption is present but not marked golden.",
    "set `golden: true`: these are the three most critical transitions and get the most specific criteria",
)
def golden_not_marked(project: Project) -> Iterator[Hit]:
    """Recognised golden stages with `golden: false`."""
    for label, key, domains in GOLDEN:
        stage = find(project, key, domains)
        if stage is not None and not stage.golden:
            yield at(project, stage, f"'{stage.name}' is the {label} golden stage but is not marked golden", "golden")


def pipelines(project: Project) -> dict[str, list[Stage]]:
    """Deal-pipeline stages grouped by pipeline (the CRM pipeline, else the domain), in flow order."""
    groups: dict[str, list[Stage]] = {}
    for stage in project.stages:
        if stage.domain in PIPELINE_DOMAINS or (is_pipeline(stage) and stage.domain != "poc"):
            key = stage.crm.pipeline if stage.crm and stage.crm.pipeline else stage.domain
            groups.setdefault(key, []).append(stage)
    return groups


@rule(
    "too-many-pipelines",
    "warning",
    "More than 3 sales pipelines.",
    "consolidate to at most 3 pipelines: New Business, Renewal and Expansion",
)
def too_many_pipelines(project: Project) -> Iterator[Hit]:
    """More than three distinct deal pipelines."""
    groups = pipelines(project)
    if len(groups) > 3:
        fourth = list(groups.values())[3][0]
        # A pipeline named by no CRM mapping is its domain's: shown by the domain's title.
        named = _crm_pipelines(project)
        names = ", ".join(key if key in named else project.domain_title(key) for key in groups)
        yield at(project, fourth, f"{len(groups)} sales pipelines ({names}); the playbook recommends at most 3")


def _crm_pipelines(project: Project) -> set[str]:
    """The pipelines the stages' CRM mappings name."""
    return {s.crm.pipeline for s in project.stages if s.crm and s.crm.pipeline}


@rule(
    "stage-name-shared",
    "warning",
    "Two stages of one domain with the same name (case and spacing aside).",
    "give each stage a name of its own: every document, the card and the CRM picklist show the name,"
    " and readers cannot tell the two apart",
)
def stage_name_shared(project: Project) -> Iterator[Hit]:
    """A stage named as an earlier stage of its domain."""
    for stage, earlier in _repeats(project, lambda s: (s.domain, _plain(s.name))):
        message = f"'{stage.name}' is also the name of stage '{earlier.id}' in the same domain"
        yield at(project, stage, message, "name")


def _plain(text: str | None) -> str:
    """A text compared case and spacing aside."""
    return " ".join(str(text or "").split()).casefold()


def _repeats(project: Project, key: Callable[[Stage], object]) -> Iterator[tuple[Stage, Stage]]:
    """Each stage whose `key` an earlier stage has, with the first such stage (a key of None: none)."""
    first: dict[object, Stage] = {}
    for stage in project.stages:
        found = key(stage)
        if found is not None:
            earlier = first.setdefault(found, stage)
            if earlier is not stage:
                yield stage, earlier


@rule(
    "abbr-shared",
    "warning",
    "Two stages with the same abbreviation (case aside).",
    "give each stage an abbreviation of its own, or none: the diagram, the card and the decks"
    " show the abbreviation where the name does not fit, and readers cannot tell the two apart",
)
def abbr_shared(project: Project) -> Iterator[Hit]:
    """A stage abbreviated as an earlier stage is."""
    for stage, earlier in _repeats(project, lambda s: _plain(s.abbr) if s.abbr else None):
        message = f"'{stage.name}' is abbreviated '{stage.abbr}', as '{earlier.name}' is"
        yield at(project, stage, message, "abbr")


@rule(
    "exit-to-itself",
    "warning",
    "An exit that leads back to the stage it leaves.",
    "point the exit at the stage the record moves on to, or remove it: a record that meets the"
    " condition stays where it is, so the exit moves nothing",
)
def exit_to_itself(project: Project) -> Iterator[Hit]:
    """An exit whose target is its own stage."""
    for stage in project.stages:
        for i, way in enumerate(stage.exit):
            if way.to == stage.id:
                yield at(project, stage, f"'{stage.name}' has an exit to itself", "exit", i, "to")


@rule(
    "crm-value-shared",
    "warning",
    "Two stages stored as one CRM value (the same object, field, pipeline and value).",
    "give each stage its own picklist value: the CRM, its reports and the audit cannot tell apart"
    " two stages that share one",
)
def crm_value_shared(project: Project) -> Iterator[Hit]:
    """Stages whose `crm` mapping is another stage's: the CRM holds them as one stage."""

    def stored(stage: Stage) -> tuple[str, ...] | None:
        m = stage.crm
        return None if m is None else tuple(_plain(v) for v in (m.object, m.field, m.pipeline, m.value))

    for stage, earlier in _repeats(project, stored):
        mapping = stage.crm
        assert mapping is not None
        where = f"{mapping.object}.{mapping.field} = '{mapping.value}'"
        message = f"'{stage.name}' is stored as {where}, as '{earlier.name}' is; the CRM cannot tell them apart"
        yield at(project, stage, message, "crm", "value")


def _is_lost(stage: Stage) -> bool:
    return known.closes_lost(stage) or stage.probability == 0


@rule(
    "probability-decreasing",
    "warning",
    "Win probability decreases along a pipeline's flow.",
    "make probabilities rise stage by stage; only the lost outcome (0) may come after Closed Won",
)
def probability_decreasing(project: Project) -> Iterator[Hit]:
    """A probability lower than one earlier in the same pipeline."""
    for name, flow in pipelines(project).items():
        best: Stage | None = None
        for stage in flow:
            if stage.probability is None or _is_lost(stage):
                continue
            if best is not None and best.probability is not None and stage.probability < best.probability:
                message = (
                    f"probability {stage.probability} is lower than {best.probability} at"
                    f" '{best.name}' earlier in the {name} pipeline"
                )
                yield at(project, stage, message, "probability")
            elif best is None or stage.probability > (best.probability or 0):
                best = stage


@rule(
    "closed-won-not-100",
    "warning",
    "A Closed Won stage whose probability is not 100.",
    "set `probability: 100` on Closed Won",
)
def closed_won_not_100(project: Project) -> Iterator[Hit]:
    """Won stages of a pipeline that uses probabilities, without 100."""
    for flow in pipelines(project).values():
        uses = any(s.probability is not None for s in flow)
        for stage in flow:
            if known.plays(stage, "won") and uses and stage.probability != 100:
                found = "no probability" if stage.probability is None else f"probability {stage.probability}"
                yield at(project, stage, f"'{stage.name}' has {found}, expected 100", "probability")


@rule(
    "hubspot-probability-step",
    "warning",
    "On HubSpot, a deal stage probability that is not a multiple of 10.",
    "use a multiple of 10; HubSpot holds stage probabilities in steps of 10% and the HubSpot files round to the nearest",
)
def hubspot_probability_step(project: Project) -> Iterator[Hit]:
    """A deal stage whose probability HubSpot cannot hold as given."""
    if project.client.crm == "salesforce":
        return
    for flow in pipelines(project).values():
        for stage in flow:
            if stage.probability is not None and hubspot_percent(stage.probability) != stage.probability:
                used = hubspot_percent(stage.probability)
                message = f"probability {stage.probability} is not a multiple of 10; the HubSpot files use {used}"
                yield at(project, stage, message, "probability")


@rule(
    "automation-contradicts-criteria",
    "warning",
    "The standard CRM automation sets the Sales Accepted stage when a meeting is booked, but a booked meeting"
    " is an entry criterion of SQL.",
    "decide with Sales which stage a booked meeting sets; until then the CRM spec shows the meeting rule"
    " as a decision to make, not a rule to build",
)
def automation_contradicts_criteria(project: Project) -> Iterator[Hit]:
    """The meeting-booked automation against an SQL entry met by booking a meeting."""
    conflict = known.meeting_conflict(project)
    if conflict:
        sal, sql, criterion = conflict
        message = (
            f"the CRM automation would set '{sal.name}' when a meeting is booked, but '{criterion}'"
            f" is an entry criterion of '{sql.name}'"
        )
        yield at(project, sql, message, "entry", sql.entry.index(criterion))


@rule(
    "lifecycle-ends-at-closed-won",
    "warning",
    "The lifecycle ends at Closed Won: no customer stages follow the sale.",
    "add customer domain stages (Onboarding, Implementation, Early Adoption, ...) in a dedicated customer pipeline",
)
def ends_at_closed_won(project: Project) -> Iterator[Hit]:
    """A Closed Won with no customer domain and no exit into a post-sale domain."""
    won = find(project, "won", ("sales",))
    if won is None or project.stages_in("customer"):
        return
    post_sale = [e.to for e in won.exit if (target := project.stage(e.to)) and target.domain not in _PRE_SALE]
    if not post_sale:
        yield at(project, won, f"the lifecycle ends at '{won.name}': no customer stages follow it")


_PRE_SALE = ("lead", "sales", "company", "poc")
