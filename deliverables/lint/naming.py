"""Rules about what a stage is called and where it lives (the playbook's naming
gotchas and the Current State Audit's "look for" lists).

Name rules compare whole words of the name, never substrings, so that
`Marketing Engaged Lead` is not mistaken for the status `Engaged`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from deliverables.core.model import Project, Stage
from deliverables.core.stages import norm, words
from deliverables.lint.base import LIFECYCLE_DOMAINS, Hit, at, is_pipeline, rule

# Nouns and verbs that describe work being done. A name whose last word is one
# of these reads as an activity; `Demo Completed` ends in the milestone and passes.
ACTIVITY_WORDS = frozenset(
    [
        "demo",
        "demos",
        "call",
        "calls",
        "meeting",
        "meetings",
        "discovery",
        "outreach",
        "prospecting",
        "contacting",
        "calling",
        "qualifying",
        "qualify",
        "nurturing",
        "negotiate",
        "negotiating",
        "evaluate",
        "evaluating",
        "pitch",
        "presentation",
        "review",
        "reviewing",
        "followup",
    ]
)
ACTIVITY_PHRASES = ("follow up",)


@rule(
    "activity-name",
    "warning",
    "A stage named as an activity instead of a completed milestone (heuristic).",
    "name the milestone reached, in the past tense: 'Demo Completed', not 'Demo'",
)
def activity_name(project: Project) -> Iterator[Hit]:
    """Stages whose name ends in an activity word, e.g. `Demo` or `Discovery Call`."""
    for stage in project.stages:
        name = norm(stage.name)
        last = words(stage.name)[-1:] or [""]
        if last[0] in ACTIVITY_WORDS or name.endswith(ACTIVITY_PHRASES):
            yield at(project, stage, f"'{stage.name}' reads as an activity, not a completed milestone", "name")


DEAL_OUTCOMES = frozenset({"won", "lost"})


@rule(
    "deal-outcome-in-lifecycle",
    "warning",
    "A deal outcome (Won, Lost) used as a stage of the lead, customer or company lifecycle.",
    "keep lifecycle stages for forward progression; record Won and Lost in the deal pipeline (sales domain)",
)
def deal_outcome(project: Project) -> Iterator[Hit]:
    """Won or Lost stages outside the deal pipelines."""
    for stage in project.stages:
        if stage.domain in LIFECYCLE_DOMAINS and DEAL_OUTCOMES & set(words(stage.name)):
            domain = project.domain_title(stage.domain)
            yield at(project, stage, f"deal outcome '{stage.name}' is a stage of the {domain} lifecycle", "name")


STATUS_NAMES = frozenset(
    {
        "new",
        "open",
        "working",
        "in progress",
        "attempting contact",
        "attempting to contact",
        "attempted to contact",
        "contacted",
        "connected",
        "engaged",
        "nurture",
        "nurturing",
        "unqualified",
        "disqualified",
        "bad timing",
    }
)


@rule(
    "status-as-stage",
    "warning",
    "A contact-status word (New, Working, Nurture, Engaged, ...) used as a whole lifecycle stage name.",
    "keep working states in a separate Contact Status field and name the stage by funnel position",
)
def status_as_stage(project: Project) -> Iterator[Hit]:
    """Stages whose whole name is a status value (built-in list or the file's own statuses)."""
    statuses = STATUS_NAMES | {norm(s.name) for s in project.contact_statuses}
    for stage in project.stages:
        if norm(stage.name) in statuses:
            yield at(project, stage, f"'{stage.name}' is a contact status, not a lifecycle stage", "name")


CS_WORDS = frozenset(
    [
        "onboarding",
        "onboarded",
        "implementation",
        "implemented",
        "adoption",
        "adopted",
        "churn",
        "churned",
        "health",
        "healthy",
    ]
)


@rule(
    "cs-stage-in-sales-pipeline",
    "warning",
    "A customer-success stage inside a sales pipeline.",
    "move it to a dedicated customer pipeline (tickets in HubSpot, a custom object in Salesforce)"
    " so customer health stays out of the revenue forecast",
)
def cs_in_sales(project: Project) -> Iterator[Hit]:
    """CS-named stages in pipeline domains, and customer stages sharing a sales pipeline."""
    sales_pipelines = {s.crm.pipeline for s in project.stages if is_pipeline(s) and s.crm and s.crm.pipeline}
    for stage in project.stages:
        if stage.domain in LIFECYCLE_DOMAINS:
            shared = stage.crm.pipeline if stage.crm and stage.crm.pipeline in sales_pipelines else None
            if stage.domain == "customer" and shared:
                yield at(
                    project, stage, f"customer stage '{stage.name}' is kept in the sales pipeline '{shared}'", "crm"
                )
        elif is_pipeline(stage) and CS_WORDS & set(words(stage.name)):
            where = _pipeline_name(project, stage)
            yield at(project, stage, f"customer-success stage '{stage.name}' is inside the {where}", "name")


def _pipeline_name(project: Project, stage: Stage) -> str:
    if stage.crm and stage.crm.pipeline:
        return f"sales pipeline '{stage.crm.pipeline}'"
    return f"{project.domain_title(stage.domain)} pipeline"


COUNTDOWN = re.compile(r"\b\d+\s*-?\s*(?:days?|d|weeks?|wks?|months?|mos?)\b|\bcountdown\b", re.IGNORECASE)


@rule(
    "time-based-stage",
    "warning",
    "A time-based stage, such as a 120/90/60/30-day renewal countdown.",
    "replace countdowns with commercial progression stages that show the customer's intent"
    " (e.g. Renewal Review Held, Renewal Proposal Sent); keep the date in a date field",
)
def time_based(project: Project) -> Iterator[Hit]:
    """Stages named after a span of time."""
    for stage in project.stages:
        match = COUNTDOWN.search(stage.name)
        if match:
            yield at(project, stage, f"'{stage.name}' counts time ('{match.group(0)}'), not progress", "name")


SIGNAL = re.compile(r"\btrending\b|\bbest case\b|\bupside\b|\bgut feel\b", re.IGNORECASE)


@rule(
    "internal-signal-stage",
    "warning",
    "An internal signal used as a stage (Trending Up, Trending Down, Best Case).",
    "track forecast signals in a separate field (forecast category, health score); stages record progress",
)
def internal_signal(project: Project) -> Iterator[Hit]:
    """Stages named after a forecast or sentiment signal."""
    for stage in project.stages:
        if SIGNAL.search(norm(stage.name)):
            yield at(project, stage, f"'{stage.name}' is an internal signal, not a stage of progress", "name")


PERCENT = re.compile(r"\d+\s*(?:%|percent\b|pct\b)", re.IGNORECASE)


@rule(
    "task-level-stage",
    "warning",
    "A task-level stage, such as 50% / 75% / 90% complete.",
    "track task progress in tasks or a project field; name stages after milestones the buyer reaches",
)
def task_level(project: Project) -> Iterator[Hit]:
    """Stages named after a percentage of work done."""
    for stage in project.stages:
        match = PERCENT.search(stage.name)
        if match:
            yield at(project, stage, f"'{stage.name}' measures task completion ('{match.group(0)}')", "name")


COMPANY_TYPES = frozenset(
    [
        "partner",
        "reseller",
        "competitor",
        "vendor",
        "supplier",
        "agency",
        "investor",
        "press",
        "analyst",
        "integrator",
        "active",
        "inactive",
    ]
)


@rule(
    "company-type-as-stage",
    "warning",
    "A company type or account status (Partner, Competitor, Vendor, Active, ...) used as a company lifecycle stage.",
    "keep company type and status in their own fields; company stages roll up how far the account has progressed",
)
def company_type(project: Project) -> Iterator[Hit]:
    """Company stages whose whole name is a type or status."""
    for stage in project.stages_in("company"):
        names = set(words(stage.name))
        if names & COMPANY_TYPES and names <= COMPANY_TYPES | {"account", "company"}:
            yield at(project, stage, f"'{stage.name}' is a company type or status, not a lifecycle stage", "name")
