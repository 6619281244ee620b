"""The typed, immutable model of a client file.

Every field carries a docstring: the README's client-file reference and the
JSON Schema (`deliver schema`) are generated from these classes, never written
by hand. Cross-references between fields are checked in `validate.py`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

CANONICAL_DOMAINS: tuple[str, ...] = (
    "lead",
    "sales",
    "poc",
    "customer",
    "renewal",
    "expansion",
    "company",
)
"""The built-in domains, in the order every deliverable presents them: the playbook's flow (a lead
becomes a deal, a POC proves it, the customer renews and expands), then the company view of accounts."""

DOMAIN_TITLES: dict[str, str] = {
    "lead": "Lead",
    "sales": "Sales",
    "customer": "Customer",
    "company": "Company",
    "poc": "POC / POV",
    "renewal": "Renewal",
    "expansion": "Expansion",
}

STANDARD_DEPARTMENTS: tuple[str, ...] = ("marketing", "sales", "cs", "revops")
"""Departments every client file may name without declaring them."""

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


def _lowered(value: object) -> object:
    """A marker as the playbook writes it (ASSUMED, CONFIRMED, APPROVED) is the same marker."""
    return value.strip().lower() if isinstance(value, str) else value


def _upper(value: object) -> object:
    """A currency code in any case (`usd`) is the code."""
    return value.strip().upper() if isinstance(value, str) else value


Status = Annotated[Literal["assumed", "confirmed"], BeforeValidator(_lowered)]
Approval = Annotated[Literal["approved", "rejected", "pending"], BeforeValidator(_lowered)]


def _one_or_many(value: object) -> object:
    """Accept a single string where a list of strings is expected."""
    if isinstance(value, str):
        return [value]
    return value


TextList = Annotated[tuple[str, ...], BeforeValidator(_one_or_many)]


YEARS = (1980, 2099)
"""The years a date may fall in: what zip archives, Word and calendars all carry."""


def _in_years(value: dt.date) -> dt.date:
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise ValueError(f"expected a date in the years {YEARS[0]} to {YEARS[1]}")
    return value


Date = Annotated[dt.date, AfterValidator(_in_years)]
"""A calendar date within `YEARS`."""


class Model(BaseModel):
    """Base of every client-file class: immutable, unknown keys refused."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        use_attribute_docstrings=True,
        str_strip_whitespace=True,
    )


class Client(Model):
    """Who the engagement is for and how it is run."""

    name: str = Field(min_length=1)
    """The client's name as it appears on every document."""
    crm: Literal["hubspot", "salesforce", "other"] = "other"
    """The CRM the architecture is configured in."""
    methodology: Literal[
        "foundation-only",
        "foundation-single-depth",
        "foundation-all-depth",
        "reunification",
    ] = "foundation-single-depth"
    """The engagement's methodology option from the playbook."""
    engagement: Literal["single-project", "dedicated"] = "single-project"
    """Single project: the customer owns maintenance; dedicated: the architect does."""
    slug: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)
    """Folder name under the output root; derived from `name` when absent."""
    launch_date: Date | None = None
    """The date the configured lifecycle goes live; anchors the maintenance calendar."""
    logo: str | None = None
    """Path to the client's logo image (PNG or JPEG), relative to the client file."""


class Stakeholder(Model):
    """A person on the client side who confirms, approves or signs."""

    id: str = Field(pattern=ID_PATTERN)
    """Unique short id used by owners, approvals and sign-offs."""
    name: str = Field(min_length=1)
    """Full name."""
    title: str = ""
    """Job title, e.g. VP RevOps."""
    department: str = ""
    """Department id (marketing, sales, cs, revops or one declared in `departments`)."""
    email: str | None = None
    """Email address, shown in sign-off tables when given."""

    @property
    def label(self) -> str:
        """How every document names the person: `Dana Ortiz, VP RevOps` (the name alone without a title)."""
        return f"{self.name}, {self.title}" if self.title else self.name


class Exit(Model):
    """One way out of a stage."""

    to: str
    """Id of the stage the record moves to."""
    when: str = ""
    """The condition that triggers the move."""


class CrmMapping(Model):
    """Where a stage lives in the CRM."""

    object: str = Field(min_length=1)
    """CRM object, e.g. contact, lead, deal, opportunity, company, account."""
    field: str = Field(min_length=1)
    """Field (property) holding the stage."""
    value: str = Field(min_length=1)
    """Internal value of the picklist option."""
    pipeline: str | None = None
    """Deal pipeline the stage belongs to, for pipeline stages."""
    label: str | None = None
    """The option's label as the CRM shows it, when it differs from the value (matched in audit exports)."""


class LintIgnore(Model):
    """A lint rule silenced for one stage, with the reason why."""

    rule: str
    """Id of the rule to silence."""
    reason: str = Field(min_length=1)
    """Why the rule does not apply here (required; shown by `check --verbose`)."""


class Stage(Model):
    """One lifecycle stage. Order within a domain is the flow."""

    id: str = Field(pattern=ID_PATTERN)
    """Unique slug; exits and approvals refer to it."""
    name: str = Field(min_length=1)
    """Display name, e.g. Marketing Qualified Lead."""
    abbr: str | None = None
    """Optional abbreviation, e.g. MQL."""
    domain: str
    """lead, sales, poc, customer, renewal, expansion, company, or a declared domain; every document presents domains in this order, declared ones last."""
    definition: str = ""
    """What the stage means, in the client's words."""
    entry: TextList = ()
    """Entry criteria: what must be true for a record to enter the stage."""
    exit: tuple[Exit, ...] = ()
    """Ways out of the stage; when empty, the next stage of the domain."""
    owner: str | None = None
    """Department or stakeholder id owning entry to this stage."""
    golden: bool = False
    """A golden stage (SQL, Closed Won, Early Adoption in the standard architecture)."""
    status: Status = "assumed"
    """assumed until a stakeholder confirms it, then confirmed."""
    probability: int | None = Field(default=None, ge=0, le=100)
    """Pipeline stages only: win probability in percent."""
    crm: CrmMapping | None = None
    """Where the stage is stored in the CRM."""
    drop_off_reasons: TextList = ()
    """Picklist values for why a record does not advance from this stage."""
    confirm_with: str | None = None
    """Stakeholder or department who must confirm an assumed stage."""
    notes: str = ""
    """Architect's notes, e.g. what is standard and what may need customisation."""
    lint_ignore: tuple[LintIgnore, ...] = ()
    """Lint rules silenced for this stage, each with a reason."""

    @property
    def label(self) -> str:
        """Name with abbreviation, e.g. `Marketing Qualified Lead (MQL)`."""
        if self.abbr and self.abbr != self.name:
            return f"{self.name} ({self.abbr})"
        return self.name

    @property
    def short(self) -> str:
        """The abbreviation when there is one, else the name."""
        return self.abbr or self.name


class Comment(Model):
    """A comment an approver wrote on a term in a returned copy of the alignment document."""

    who: str = Field(min_length=1)
    """Stakeholder or department id of the approver whose box it was written in."""
    text: str = Field(min_length=1)
    """The comment as written."""
    file: str = ""
    """The returned document it was read from (`deliver ingest` fills this in)."""


class Term(Model):
    """A term the client's leadership must align on."""

    term: str = Field(min_length=1)
    """The term as written in the documents, e.g. MQL."""
    definition: str = ""
    """The proposed definition."""
    approvals: dict[str, Approval] = Field(default_factory=dict)
    """Stakeholder or department id -> approved, rejected or pending."""
    id: str | None = Field(default=None, pattern=ID_PATTERN)
    """Id for `deliver confirm`; derived from the term when absent."""
    status: Status = "assumed"
    """assumed or confirmed; when absent, confirmed once every approver has approved, else assumed."""
    comments: tuple[Comment, ...] = ()
    """Approvers' comments read back from returned documents by `deliver ingest` (optional)."""

    @model_validator(mode="before")
    @classmethod
    def _status_from_approvals(cls, data: object) -> object:
        """A term every approver approved is confirmed unless the file says otherwise."""
        if isinstance(data, dict) and "status" not in data and _all_approved(data.get("approvals")):
            return {**data, "status": "confirmed"}
        return data

    @property
    def key(self) -> str:
        """The id, or a slug of the term."""
        return self.id or slugify(self.term)

    @property
    def approved(self) -> bool:
        """True when the term has approvers and every one of them approved."""
        return _all_approved(self.approvals)


def _all_approved(approvals: object) -> bool:
    return isinstance(approvals, dict) and bool(approvals) and all(v == "approved" for v in approvals.values())


class Signoff(Model):
    """A sign-off given, or expected, by a stakeholder or department."""

    by: str
    """Stakeholder or department id."""
    scope: str = "definitions"
    """What is signed: definitions, architecture, crm-configuration, ..."""
    date: Date | None = None
    """When it was signed; empty leaves a line to sign."""


class MonthlyTask(Model):
    """A monthly maintenance check."""

    task: str
    """Name of the check."""
    check: str = ""
    """What to look at."""
    red_flag: str = ""
    """The threshold that calls for action."""


class QuarterlyTask(Model):
    """A quarterly maintenance review."""

    task: str
    """Name of the review."""
    check: str = ""
    """What to review."""
    action: str = ""
    """What to do when it is off track."""


class Trigger(Model):
    """A refinement trigger: when to re-engage."""

    trigger: str
    """The event."""
    threshold: str = ""
    """When it counts."""
    response: str = ""
    """What to do."""


class Maintenance(Model):
    """Governance after launch."""

    monthly: tuple[MonthlyTask, ...] = ()
    """Monthly checks with red-flag thresholds."""
    quarterly: tuple[QuarterlyTask, ...] = ()
    """Quarterly reviews with the action when off track."""
    triggers: tuple[Trigger, ...] = ()
    """Refinement triggers with threshold and response."""


class FaqEntry(Model):
    """A question and answer; replaces a standard question with the same text."""

    q: str = Field(min_length=1)
    """The question."""
    a: str = Field(min_length=1)
    """The answer."""


class ContactStatus(Model):
    """A working-state value kept apart from the lifecycle stage."""

    name: str = Field(min_length=1)
    """Status value, e.g. Working."""
    definition: str = ""
    """What it means."""


class DomainDecl(Model):
    """A domain beyond the built-in seven."""

    id: str = Field(pattern=ID_PATTERN)
    """Id used in `stages[].domain`."""
    name: str = ""
    """Display name; defaults to the id title-cased."""


class CurrentDomain(Model):
    """What the current-state audit found in one domain."""

    domain: str
    """Domain id."""
    fields: TextList = ()
    """Lifecycle, status and pipeline fields in use."""
    problems: TextList = ()
    """Problems found."""


class Comparison(Model):
    """One row of the current vs recommended table."""

    current: str
    """What the client does today."""
    recommended: str
    """What the architecture recommends."""
    domain: str | None = None
    """Domain the row belongs to."""


class CurrentState(Model):
    """The current-state audit presented at kickoff."""

    audited: Date | None = None
    """When the audit was run."""
    domains: tuple[CurrentDomain, ...] = ()
    """Findings per domain."""
    comparison: tuple[Comparison, ...] = ()
    """Current vs recommended rows."""


def _days_per_stage(value: object) -> object:
    """`stuck_after_days: 60` means 60 for every stage."""
    return value if isinstance(value, dict) else {"default": value}


class AuditColumns(Model):
    """Which columns of an export hold what, for an export whose header no known format matches."""

    id: str | None = None
    """Column with the record id."""
    current: str | None = None
    """Column with the record's current stage value (record exports)."""
    field: str | None = None
    """CRM field the current column holds; default: the column name. History exports: the field every row changes, or with `changed_field`, how that column names the stage field when not by its API name (e.g. Phase)."""
    pipeline: str | None = None
    """Column with the record's pipeline."""
    created: str | None = None
    """Column with the record's creation date."""
    dates: dict[str, str] = Field(default_factory=dict)
    """Stage id -> column with the date the record entered that stage."""
    changed_field: str | None = None
    """History exports: column naming the field that changed (rows of other fields are ignored)."""
    new_value: str | None = None
    """History exports: column with the value the field changed to."""
    changed_at: str | None = None
    """History exports: column with the date of the change."""


class AuditExport(Model):
    """One CRM export file read by the current-state audit."""

    path: str = Field(min_length=1)
    """CSV (UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252) or XLSX file, relative to the client file."""
    object: str = Field(min_length=1)
    """CRM object of its rows, as in the stages' `crm.object` (contact, deal, lead, opportunity, ticket...)."""
    kind: Literal["records", "history"] = "records"
    """records: one row per record; history: one row per field change."""
    columns: AuditColumns | None = None
    """Explicit column mapping; when absent the header row is recognised (HubSpot, Salesforce, Pipedrive deals)."""
    date_format: str | None = None
    """strftime pattern of its dates when they are not ISO 8601, YYYY-MM-DD HH:MM or MM/DD/YYYY[ HH:MM]."""
    sheet: str | None = Field(default=None, min_length=1)
    """XLSX: the worksheet to read, by name; default: the first."""


class Audit(Model):
    """The current-state audit computed from the client's CRM exports."""

    as_of: Date | None = None
    """The day the exports were taken; default: the file's `date`."""
    exports: tuple[AuditExport, ...] = Field(min_length=1)
    """The export files, each with its CRM object."""
    segments: TextList = ()
    """Columns to break every metric down by, e.g. Original Source."""
    stuck_after_days: Annotated[dict[str, int], BeforeValidator(_days_per_stage)] = {"default": 90}
    """Days in a stage after which a record counts as stuck (default 90): a number, or stage id -> days with `default`."""
    source: str | None = None
    """Connection URL of a database holding the exports' rows (e.g. postgres://...), read through ibis."""
    tables: dict[str, str] = Field(default_factory=dict)
    """Export path -> table name at `source`; exports not named here are read from their files."""

    def stuck_days(self, stage_id: str) -> int:
        """The stuck threshold of one stage."""
        return self.stuck_after_days.get(stage_id, self.stuck_after_days.get("default", 90))


class CardOptions(Model):
    """Layout options of the Stage Reference Card."""

    page: Literal["letter", "a4"] = "letter"
    """Paper size; each card file is always one landscape page."""
    split: Literal["auto", "never", "teams"] = "auto"
    """auto: one card while the whole architecture fits one page with body type of at least
    7 pt, else one card per team (its stages in full, with the hand-offs into and out of
    them) and an overview card of every stage name by domain; teams: always split; never:
    always one card (down to 6.5 pt), and `check` reports an error when it cannot fit."""


class DiagramOptions(Model):
    """Printing options of the Lifecycle Architecture Diagram."""

    page: Literal["letter", "a4", "a3", "a2"] = "letter"
    """Landscape paper size of the PDF; a3 or a2 prints a large architecture as a poster.
    Beyond 30 stages the PDF has an overview page and one page per domain."""


METRIC_IDS: tuple[str, ...] = (
    "conversion",
    "velocity",
    "sales-cycle",
    "production",
    "drop-off",
    "cost",
    "cac",
    "cltv",
    "nrr",
    "grr",
    "response-time",
)
"""Metrics of the Lifecycle Measurement Framework a target may be set for."""

METRIC_STAGES: dict[str, tuple[int, ...]] = {
    "conversion": (2,),
    "velocity": (1, 2),
    "production": (1,),
    "drop-off": (1,),
    "cost": (1,),
}
"""How many stage ids each metric's target names; the others name none."""

Cadence = Literal["weekly", "monthly", "quarterly"]


class MeasureTarget(Model):
    """A target the client sets for one metric of the measurement framework."""

    id: str
    """Metric: conversion, velocity, sales-cycle, production, drop-off, cost, cac, cltv, nrr, grr or response-time."""
    stages: TextList = ()
    """Stage ids it applies to: from and to for a conversion or time between stages, one for time in stage, production, drop-off or cost."""
    target: str = Field(min_length=1)
    """The target as the client states it, e.g. `25%`, `under 4 hours`, `$3,500`."""
    baseline: str = ""
    """Today's value, when it is known without an audit."""
    owner: str | None = None
    """Department or stakeholder id accountable for the metric; default: the framework's owner."""
    cadence: Cadence | None = None
    """How often it is reviewed; default: the framework's cadence for the metric."""


class Spend(Model):
    """Go-to-market spend per period, for cost per stage and CAC."""

    period: Literal["month", "quarter", "year"] = "month"
    """The period the amounts cover."""
    currency: Annotated[str, BeforeValidator(_upper)] = Field(default="USD", pattern=r"^[A-Z]{3}$")
    """ISO 4217 currency code of the amounts."""
    marketing: float | None = Field(default=None, ge=0, le=1e12, allow_inf_nan=False)
    """Marketing spend per period: programmes, media, tools and the team's cost."""
    sales: float | None = Field(default=None, ge=0, le=1e12, allow_inf_nan=False)
    """Sales spend per period: SDRs, account executives, tools and commissions."""


class Measures(Model):
    """The Lifecycle Measurement Framework's client inputs: targets, spend and segments."""

    targets: tuple[MeasureTarget, ...] = ()
    """Targets per metric, with owner and cadence."""
    spend: Spend | None = None
    """Go-to-market spend, for cost per stage and CAC."""
    segments: TextList = ()
    """Dimensions every metric is split by (e.g. Source, Segment, Region, Product)."""
    owner: str | None = None
    """Department or stakeholder id owning the framework; default: revops."""


SessionKind = Literal["leadership", "technical", "end-user"]


class Audience(Model):
    """One audience of the training: a team, with its session."""

    team: str = Field(pattern=ID_PATTERN)
    """Department id (or `leadership`); the stages it owns are its stages."""
    name: str = ""
    """Display name; default: the department's title."""
    kind: SessionKind | None = None
    """Session type: technical for RevOps, leadership for `leadership`, else end-user."""
    minutes: int | None = Field(default=None, ge=15, le=180)
    """Session length in minutes; default: its type's length under `enablement.sessions`."""
    date: Date | None = None
    """When the session is held."""
    trainer: str = ""
    """Who runs it: a stakeholder id or a name; default: `enablement.trainer`."""


SESSION_MINUTES: dict[str, int] = {"leadership": 30, "technical": 45, "end-user": 30}
"""The playbook's session lengths in minutes, by session type."""

Minutes = Annotated[int, Field(ge=15, le=180)]


class Enablement(Model):
    """Training and hypercare after launch (playbook phase 3)."""

    sessions: dict[SessionKind, Minutes] = Field(default_factory=dict)
    """Session length in minutes by type (leadership, technical, end-user); default 30, 45 and 30."""
    audiences: tuple[Audience, ...] = ()
    """Audiences and their sessions; default: every team that owns stages."""
    trainer: str = ""
    """Who runs the sessions by default: a stakeholder id or a name; default: the architect."""
    help: str = ""
    """Where people ask questions after the training, e.g. a chat channel."""
    hypercare_weeks: int = Field(default=2, ge=1, le=8)
    """Weeks of support after go-live, with one office hours slot each week."""


class Project(Model):
    """A client file: the single source of truth of one engagement."""

    client: Client
    """Who the engagement is for."""
    version: int = Field(default=0, ge=0, le=999)
    """The vN of the documents: 0 before kickoff, then one more per meeting."""
    meeting: Literal["kickoff", "refinement-1", "refinement-2", "final-review", "handoff"] = "kickoff"
    """The meeting this version is prepared for."""
    date: Date | None = None
    """Date of this version; when absent the documents say "undated draft" and `check` warns."""
    next_meeting: Date | None = None
    """Date of the next meeting (the one after `meeting`); next steps are due by it, and the decks' title slides and the FAQ's cover name it."""
    architect: str = ""
    """The architect running the engagement; author of every document."""
    stakeholders: tuple[Stakeholder, ...] = ()
    """The client-side people who confirm, approve and sign."""
    departments: tuple[str, ...] = ()
    """Departments beyond marketing, sales, cs and revops."""
    domains: tuple[DomainDecl, ...] = ()
    """Domains beyond the built-in seven."""
    stages: tuple[Stage, ...] = ()
    """The stage architecture, ordered: order within a domain is the flow."""
    terms: tuple[Term, ...] = ()
    """The terms table of the Definition Alignment Document."""
    contact_statuses: tuple[ContactStatus, ...] = ()
    """Contact status values, kept apart from lifecycle stages."""
    signoffs: tuple[Signoff, ...] = ()
    """Sign-offs given or expected."""
    maintenance: Maintenance = Maintenance()
    """The maintenance schedule handed over at the end."""
    faq: tuple[FaqEntry, ...] = ()
    """The client's own FAQ entries."""
    current_state: CurrentState | None = None
    """The current-state audit, when one was run."""
    audit: Audit | None = None
    """CRM exports to compute the current-state audit from."""
    theme: str | None = None
    """Folder with a branded base.docx / base.pptx, relative to the client file."""
    card: CardOptions = CardOptions()
    """Stage Reference Card options."""
    diagram: DiagramOptions = DiagramOptions()
    """Lifecycle Architecture Diagram options."""
    measures: Measures = Measures()
    """Lifecycle Measurement Framework inputs: targets, spend and segments."""
    enablement: Enablement = Enablement()
    """Training sessions and hypercare."""

    @property
    def slug(self) -> str:
        """Folder name of this client under the output root.

        A name with no Latin letters or digits (e.g. in CJK script) gets a stable
        short hash so two such clients never share a folder."""
        if self.client.slug:
            return slugify(self.client.slug)
        return name_slug(self.client.name)

    def domain_order(self) -> tuple[str, ...]:
        """Domains in use, canonical ones first, then declared ones."""
        used = {stage.domain for stage in self.stages}
        declared = tuple(d.id for d in self.domains)
        order = CANONICAL_DOMAINS + tuple(d for d in declared if d not in CANONICAL_DOMAINS)
        return tuple(d for d in order if d in used)

    def domain_title(self, domain: str) -> str:
        """Display name of a domain."""
        for decl in self.domains:
            if decl.id == domain and decl.name:
                return decl.name
        return DOMAIN_TITLES.get(domain, domain.replace("-", " ").replace("_", " ").title())

    def stages_in(self, domain: str) -> tuple[Stage, ...]:
        """Stages of one domain in flow order."""
        found = self.derived.get("stages-in")
        if not isinstance(found, dict):
            found = {}
            for stage in self.stages:
                found.setdefault(stage.domain, []).append(stage)
            found = self.derived["stages-in"] = {domain: tuple(stages) for domain, stages in found.items()}
        return found.get(domain, ())

    def stage(self, stage_id: str) -> Stage | None:
        """The stage with this id, if any (the first, should a file repeat one)."""
        found = self.derived.get("stage-ids")
        if not isinstance(found, dict):
            found = {}
            for stage in self.stages:
                found.setdefault(stage.id, stage)
            self.derived["stage-ids"] = found
        return found.get(stage_id)

    def flow(self) -> tuple[Stage, ...]:
        """Every stage in presentation order: domains in order, flow order within each."""
        found = self.derived.get("flow")
        if not isinstance(found, tuple):
            found = self.derived["flow"] = tuple(
                stage for domain in self.domain_order() for stage in self.stages_in(domain)
            )
        return found

    @functools.cached_property
    def derived(self) -> dict[str, object]:
        """Values modules above the model compute once from this frozen project, by name
        (`core.flow` keeps every stage's ways out here)."""
        return {}

    def stakeholder(self, key: str | None) -> Stakeholder | None:
        """The stakeholder with this id, if any."""
        return next((p for p in self.stakeholders if p.id == key), None) if key else None

    def person_label(self, key: str | None) -> str:
        """Who a key names, for confirming, approving or signing: the stakeholder's name and
        title (`Dana Ortiz, VP RevOps`), else the department's title."""
        person = self.stakeholder(key)
        return person.label if person else department_title(key or "")

    def owner_name(self, owner: str | None) -> str:
        """Readable owner: the department, or a stakeholder's name and title.

        A stakeholder whose id is their department's id (`marketing`) stands for
        the department here: stages are owned by teams."""
        person = self.stakeholder(owner)
        if person is not None and person.department == owner:
            return department_title(owner)
        return self.person_label(owner)

    def confirmer(self, stage: Stage) -> str | None:
        """Who confirms an ASSUMED stage: `confirm_with`, else the owner when a person,
        else the first stakeholder of the owning department; None when nobody is named."""
        if stage.confirm_with:
            return stage.confirm_with
        owner = self.stakeholder(stage.owner)
        if owner is not None:
            return owner.id
        return next((p.id for p in self.stakeholders if stage.owner and p.department == stage.owner), None)

    def assumed_count(self) -> int:
        """Stages and terms still ASSUMED."""
        return sum(s.status == "assumed" for s in self.stages) + sum(t.status == "assumed" for t in self.terms)

    def is_final(self) -> bool:
        """True when nothing is ASSUMED and every term is approved by all its approvers."""
        return self.assumed_count() == 0 and all(t.approved for t in self.terms)

    @property
    def state(self) -> str:
        """FINAL or DRAFT, as every document's cover and footer print it."""
        return "FINAL" if self.is_final() else "DRAFT"


DEPARTMENT_TITLES: dict[str, str] = {
    "marketing": "Marketing",
    "sales": "Sales",
    "cs": "Customer Success",
    "revops": "RevOps",
    "sdr": "SDR team",
    "bdr": "BDR team",
    "product": "Product",
    "finance": "Finance",
    "support": "Support",
}


def department_title(key: str) -> str:
    """A department's display name (`cs` -> `Customer Success`), else the id title-cased."""
    return DEPARTMENT_TITLES.get(key, key.replace("-", " ").replace("_", " ").title())


_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$")


def name_slug(name: str) -> str:
    """The folder name a client's name gives: its slug, or for a name with no Latin letters or
    digits (e.g. in CJK script) a stable short hash, so two such clients never share a folder."""
    import hashlib

    return slugify(name) or f"client-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


_SPELLED = str.maketrans(
    {"ø": "o", "Ø": "O", "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L"}
    | {"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i", "ħ": "h", "Ħ": "H"}
)
"""Latin letters that do not decompose to an ASCII letter and an accent, as they are spelled in ASCII."""


def new_slug(name: str) -> str:
    """The slug `deliver new` writes into a new client file: `name_slug`, with the letters
    that do not decompose spelled out (`Ørsted Strauß` -> `orsted-strauss`, not `rsted-strau`).
    Only for new files: the folder of an existing file without a slug stays where it is."""
    return name_slug(name.translate(_SPELLED))


def slugify(text: str) -> str:
    """Lower-case ASCII slug of a text: `Acme Analytics, Inc.` -> `acme-analytics-inc`.

    Safe as a folder name everywhere: no separators or dots, and never a name
    Windows reserves (`CON` becomes `con-client`)."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return f"{slug}-client" if _RESERVED.match(slug) else slug
