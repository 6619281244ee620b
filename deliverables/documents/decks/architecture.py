"""The architecture slides every deck shows: the diagram, and for large
architectures an overview followed by one legible slide per domain.

Up to OVERVIEW_LIMIT stages the diagram's own picture carries every stage
name at a readable size. Beyond that the picture is the overview, and each
domain is drawn natively on its own slide (stage names at 12 pt or more),
in the domain's lane colour, with the stages it hands off to.
"""

from __future__ import annotations

from deliverables.backends.slides.model import FLOW, IMAGE, Flow, Para, Slide, Step
from deliverables.core import marks
from deliverables.core.flow import exits_of
from deliverables.core.model import Project
from deliverables.documents.decks.common import Words

OVERVIEW_LIMIT = 25
"""More stages than this and the picture alone is no longer legible when projected."""


def architecture_slides(project: Project, common: Words, section: str) -> list[Slide]:
    """The diagram slide, or the overview and one slide per domain."""
    stages, domains = project.stages, project.domain_order()
    golden = sum(s.golden for s in stages)
    assumed = [s for s in stages if s.status == "assumed"]
    where = _domains_of(project, assumed)
    facts = (
        Para(((common("fact_stages", len(stages), len(domains)), "bold"),)),
        Para(((f"{marks.GOLDEN} ", "golden"), (common("fact_golden", golden), ""))),
        Para(((common("fact_assumed", len(assumed)), "assumed" if assumed else ""),)),
    )
    titles = (project.version, len(stages), len(domains), len(assumed), where)
    overview = len(stages) > OVERVIEW_LIMIT
    notes = common(
        "diagram_notes", project.version, len(stages), _titles(project, domains), golden, len(assumed), overview
    )
    picture = Slide(
        IMAGE,
        common("overview_title" if overview else "diagram_title", *titles),
        notes,
        topic=common("diagram_topic"),
        section=section,
        image="diagram",
        facts=facts,
    )
    if not overview:
        return [picture]
    return [picture, *(_domain_slide(project, common, d, section) for d in domains if project.stages_in(d))]


def _titles(project: Project, domains) -> str:
    return ", ".join(project.domain_title(d) for d in domains)


def _domains_of(project: Project, stages) -> str:
    """The domains the given stages belong to, in domain order, as a readable list."""
    present = {s.domain for s in stages}
    names = [project.domain_title(d) for d in project.domain_order() if d in present]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + (f" and {names[-1]}" if names else "")


def _domain_slide(project: Project, common: Words, domain: str, section: str) -> Slide:
    flow = project.stages_in(domain)
    steps = tuple(
        Step(s.label, project.owner_name(s.owner) or common("owner_unset"), s.golden, s.status == "assumed")
        for s in flow
    )
    colour = marks.domain_colour(domain, project.domain_order())
    golden, assumed = sum(s.golden for s in steps), sum(s.assumed for s in steps)
    name = project.domain_title(domain)
    return Slide(
        FLOW,
        common("domain_title", name, len(steps), golden, assumed),
        common("domain_notes", name, len(steps), assumed),
        topic=common("domain_topic", name),
        section=section,
        flow=Flow(steps, colour, _handoffs(project, domain)),
    )


def _handoffs(project: Project, domain: str) -> str:
    """The stages of other domains this domain's stages exit to, each once, in flow order."""
    seen: dict[str, None] = {}
    for stage in project.stages_in(domain):
        for exit_ in exits_of(project, stage):
            target = project.stage(exit_.to)
            if target is not None and target.domain != domain:
                seen.setdefault(f"{target.label} ({project.domain_title(target.domain)})", None)
    return ", ".join(seen)
