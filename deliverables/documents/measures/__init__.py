"""Lifecycle Measurement Framework (.docx): the playbook's six metric categories on the
client's own stages, plus CAC, CLTV, NRR, GRR and lead response time, each with its
formula in stage names, the CRM fields it reads, where to build it, cadence and owner."""

from __future__ import annotations

import datetime as dt
from typing import Any

from deliverables.backends.ical import add_months
from deliverables.core import marks, teams
from deliverables.core.context import Context
from deliverables.core.crmfields import Fields
from deliverables.core.dates import long_date
from deliverables.core.model import Project, Stage
from deliverables.documents.measures import metrics
from deliverables.documents.words import data as tdata
from deliverables.documents.words import grammar, prose

NAME = "measurement-framework"
SUFFIXES = (".docx",)
DESCRIPTION = (
    "Lifecycle Measurement Framework: every metric on the client's own stages with its formula,"
    " CRM fields, report, cadence and owner (Word)."
)
CONSUMES = ()
EXTERNAL = ("base.docx", "exports")
"""The CRM exports, when the client has an audit: its rates and times become the baselines,
read from the build's one measurement (as the kickoff deck and the maintenance schedule do),
so the framework renders beside the audit document instead of after it."""
CATEGORIES = ("conversion", "velocity", "production", "drop-off", "cost", "segmentation")
BUSINESS = ("cac", "cltv", "nrr", "grr", "response-time")


def files(project: Project) -> tuple[str, ...]:
    """The one file this deliverable writes."""
    return (f"measurement-framework-v{project.version}.docx",)


def view(project: Project, ctx: Context) -> dict[str, Any]:
    """What the framework says: the categories and business metrics with targets and baselines."""
    text = tdata.load(ctx, "measures/framework.yaml")
    fields = Fields(project, tdata.load(ctx, "crm/defaults.yaml"), text)
    book = Book(project, text, fields)
    client = project.client.name
    categories = [book.category(key) for key in CATEGORIES]
    business = [b for b in (book.business(key) for key in BUSINESS) if b is not None]
    found = {
        "file": files(project)[0],
        **prose.cover(project, ctx, text["title"]),
        "intro": [
            tdata.fill(text["purpose"], client=client),
            tdata.fill(text["owner"], owner=book.owner),
            tdata.fill(text["platform"], platform=fields.platform),
            _baselines(project, text),
            text["cohort"],
        ],
        "golden_legend": f"{marks.GOLDEN} golden stage transition" if any(r["golden"] for r in book.all_rows) else "",
        "categories": categories,
        "business": business,
        "rhythm": book.rhythm(categories, business),
        "rhythm_intro": text["rhythm_intro"],
        "baselines_audit": _audit_note(project, text),
        "to_measure": text["to_measure"],
    }
    if project.audit is None:
        return found
    from deliverables.backends.data import measure

    return with_audit(found, measure(project, ctx).metrics)


def _audit_note(project: Project, text: dict[str, Any]) -> str:
    """What the baselines sentence says when the audit supplies them."""
    if project.audit is None:
        return ""
    day = project.audit.as_of or project.date
    return tdata.fill(text["baselines_audit"], day=long_date(day) if day else "")


def _baselines(project: Project, text: dict[str, Any]) -> str:
    """When the baselines are measured: the first month after launch, dated when known."""
    launch = project.client.launch_date
    if any(t.baseline for t in project.measures.targets):
        return tdata.fill(text["baselines_given"], client=project.client.name)
    if launch is None:
        return text["baselines_undated"]
    window = f"{long_date(launch)} to {long_date(add_months(launch, 1) - dt.timedelta(days=1))}"
    return tdata.fill(text["baselines_open"], window=window)


class Book:
    """Builds the rows of each category from the client's stages and targets."""

    def __init__(self, project: Project, text: dict[str, Any], fields: Fields):
        self.project, self.text, self.fields = project, text, fields
        owner = project.measures.owner or "revops"
        self.owner_key = owner
        self.owner = project.owner_name(owner)
        self.all_rows: list[dict[str, Any]] = []
        self.teams = teams.stage_teams(project)

    def category(self, key: str) -> dict[str, Any]:
        """One of the six categories: what it answers, how, where, when, who, and its rows."""
        spec = self.text["categories"][key]
        rows = getattr(self, "_" + key.replace("-", "_"))()
        self.all_rows += rows
        about = [
            ("Answers", spec["question"]),
            ("Formula", spec["formula"]),
            ("CRM fields", self.fields.summary()),
            ("Where to build it", self.fields.where(spec["report"])),
            ("Cadence", self.text["cadences"][spec["cadence"]]),
            ("Owner", self.owner),
        ]
        if key == "cost":
            about.insert(2, ("Spend", self._spend()))
        if key == "segmentation":
            about.insert(2, ("Rule", spec["rule"].strip()))
        return {"key": key, "title": spec["title"], "about": about, "rows": rows, "cadence": spec["cadence"]}

    def business(self, key: str) -> dict[str, Any] | None:
        """A business metric, written with the client's stage names; None when its stages are missing."""
        spec = self.text["business"][key]
        names = self._business_names(key)
        if names is None:
            return None
        target = metrics.target_for(self.project, key)
        cadence = target.cadence if target and target.cadence else spec["cadence"]
        reads = [self.text["revenue_fields"][self.fields.crm][r] for r in spec.get("reads", ())]
        default = (
            self._team(names["second"])
            if key == "response-time"
            else self.project.owner_name(spec.get("owner") or self.owner_key)
        )
        about = [
            ("Answers", spec["question"]),
            ("Formula", tdata.fill(spec["formula"], **{k: v.name for k, v in names.items()})),
            ("CRM fields", "; ".join([self.fields.of(list(names.values()))] + reads)),
            ("Where to build it", self.fields.where(spec["report"])),
            ("Cadence", self.text["cadences"][cadence]),
            ("Owner", self._owner(target, default)),
            ("Target", target.target if target else self.text["to_agree"]),
            ("Baseline", target.baseline if target and target.baseline else self.text["to_measure"]),
        ]
        if key == "cac":
            about.insert(2, ("Spend", self._spend()))
        if key == "cltv":
            about.insert(2, ("Also reads", self.text["margin"]))
        return {"key": key, "title": spec["title"], "about": about, "cadence": cadence}

    def _business_names(self, key: str) -> dict[str, Stage] | None:
        won, churned = metrics.won_stage(self.project), metrics.churned_stage(self.project)
        if key == "cac":
            return {"won": won} if won else None
        if key == "cltv":
            return {"won": won, "churned": churned} if won and churned else None
        if key in ("nrr", "grr"):
            return {"churned": churned} if churned else None
        pair = metrics.response_pair(self.project)
        return {"first": pair[0], "second": pair[1]} if pair else None

    def rhythm(self, categories: list[dict[str, Any]], business: list[dict[str, Any]]) -> list[tuple[str, str]]:
        """Which reports are read weekly, monthly and quarterly."""
        by: dict[str, list[str]] = {}
        for item in categories + business:
            by.setdefault(item["cadence"], []).append(item["title"])
        for item in categories:
            for row in item["rows"]:
                if row.get("cadence") and row["cadence"] != item["cadence"]:
                    by.setdefault(row["cadence"], []).append(f"{item['title']}: {row['measure']}")
        return [
            (self.text["cadences"][c], grammar.and_list(by[c])) for c in ("weekly", "monthly", "quarterly") if c in by
        ]

    # -------------------------------------------------------------- categories

    def _row(
        self, metric: str, measure: str, formula: str, stages: list[Stage], golden: bool = False
    ) -> dict[str, Any]:
        target = metrics.target_for(self.project, metric, stages)
        return {
            "measure": measure,
            "formula": formula,
            "field": self.fields.of(stages, short=True),
            "owner": self._owner(target, self._team(stages[-1])),
            "target": target.target if target else self.text["to_agree"],
            "baseline": target.baseline if target and target.baseline else self.text["to_measure"],
            "golden": golden,
            "cadence": target.cadence if target else None,
            "metric": metric,
            "ids": [s.id for s in stages],
        }

    def _owner(self, target: Any, default: str) -> str:
        """The target's owner when the client named one, else the default."""
        return self.project.owner_name(target.owner) if target and target.owner else default

    def _team(self, stage: Stage) -> str:
        """The team accountable for records reaching `stage`: the team owning entry to it."""
        return self.teams[stage.id]

    def _pair_row(self, metric: str, pair: metrics.Pair, formula: str) -> dict[str, Any]:
        a, b = pair.first, pair.second
        label = f"{a.short} → {b.short}" + (f" {marks.GOLDEN}" if pair.golden else "")
        return self._row(metric, label, formula.format(a=a.short, b=b.short), [a, b], pair.golden)

    def _conversion(self) -> list[dict[str, Any]]:
        pairs = metrics.forward_pairs(self.project)
        pairs += [p for p in metrics.golden_pairs(self.project) if (p.first, p.second) not in _ids(pairs)]
        rows = [self._pair_row("conversion", p, "{b} ÷ {a}") for p in pairs]
        return rows + self._extra("conversion", "{b} ÷ {a}")

    def _velocity(self) -> list[dict[str, Any]]:
        rows = [
            self._row("velocity", f"Time in {s.short}", f"Median days in {s.short}", [s])
            for s in metrics.open_stages(self.project)
        ]
        for pair in metrics.golden_pairs(self.project):
            rows.append(self._pair_row("velocity", pair, "Median days from {a} to {b}"))
        start, won = metrics.first_sales(self.project), metrics.won_stage(self.project)
        if start and won:
            target = metrics.target_for(self.project, "sales-cycle")
            row = self._row(
                "sales-cycle",
                "Sales cycle length",
                f"Median days from {start.short} to a won or lost close",
                [start, won],
            )
            if target:
                row.update(target=target.target, owner=self._owner(target, row["owner"]), cadence=target.cadence)
            rows.append(row)
        return rows + self._extra("velocity", "Median days from {a} to {b}")

    def _production(self) -> list[dict[str, Any]]:
        return [
            self._row("production", s.short, f"Records entering {s.short} per month", [s]) for s in self.project.flow()
        ]

    def _drop_off(self) -> list[dict[str, Any]]:
        rows = []
        for stage in metrics.drop_stages(self.project):
            left = metrics.drop_exits(self.project, stage)
            to = grammar.and_list([s.short for s in left], "or") if left else "no further stage"
            row = self._row("drop-off", stage.short, f"Left {stage.short} for {to} ÷ entered {stage.short}", [stage])
            reasons = self.fields.reasons(stage)
            row["reasons"] = reasons if isinstance(reasons, str) else list(reasons)
            rows.append(row)
        return rows

    def _cost(self) -> list[dict[str, Any]]:
        won = metrics.won_stage(self.project)
        rows = []
        for stage in metrics.cost_stages(self.project):
            spend = "(Marketing + Sales spend)" if stage is won else "Marketing spend"
            rows.append(
                self._row("cost", f"Cost per {stage.short}", f"{spend} ÷ records entering {stage.short}", [stage])
            )
        return rows

    def _segmentation(self) -> list[dict[str, Any]]:
        dims = self.project.measures.segments or tuple(self.text["default_segments"])
        return [
            {
                "measure": dim,
                "formula": "Every metric above, split by " + dim[0].lower() + dim[1:],
                "field": "",
                "owner": self.owner,
                "target": "",
                "baseline": "",
                "golden": False,
                "cadence": None,
            }
            for dim in dims
        ]

    def _extra(self, metric: str, formula: str) -> list[dict[str, Any]]:
        """Rows for targets the client set between two stages the framework does not list itself."""
        listed = {tuple(s.id for s in stages) for stages in self._listed(metric)}
        extra = []
        for target in self.project.measures.targets:
            if target.id != metric or target.stages in listed or len(target.stages) != 2:
                continue
            a, b = (self.project.stage(i) for i in target.stages)
            if a and b:
                extra.append(self._pair_row(metric, metrics.Pair(a, b, a.golden and b.golden), formula))
        return extra

    def _listed(self, metric: str) -> list[tuple[Stage, ...]]:
        if metric == "conversion":
            pairs = metrics.forward_pairs(self.project) + metrics.golden_pairs(self.project)
            return [(p.first, p.second) for p in pairs]
        return [(p.first, p.second) for p in metrics.golden_pairs(self.project)] + [
            (s,) for s in metrics.open_stages(self.project)
        ]

    def _spend(self) -> str:
        spend = self.project.measures.spend
        if spend is None or (spend.marketing is None and spend.sales is None):
            return self.text["spend_open"].strip()
        per = {"month": "a month", "quarter": "a quarter", "year": "a year"}[spend.period]
        parts = [
            f"{_money(v, spend.currency)} {per} for {who}"
            for who, v in (("Marketing", spend.marketing), ("Sales", spend.sales))
            if v is not None
        ]
        return tdata.fill(self.text["spend_given"], spend=grammar.and_list(parts))


def _ids(pairs: list[metrics.Pair]) -> set[tuple[Stage, Stage]]:
    return {(p.first, p.second) for p in pairs}


SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def _money(value: float, currency: str) -> str:
    """`$180,000`, `€90,500`, `CHF 12,000`."""
    amount = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"
    return f"{SYMBOLS[currency]}{amount}" if currency in SYMBOLS else f"{currency} {amount}"


def render(view: dict[str, Any], ctx: Context) -> dict[str, bytes]:
    """The framework document."""
    from deliverables.documents.measures import word

    return {view["file"]: word.write(view, ctx)}


def with_audit(view: dict[str, Any], audit: dict[str, Any]) -> dict[str, Any]:
    """The view with each conversion and time the audit measured as its baseline."""
    found = {(t["from"], t["to"]): t for t in audit.get("transitions", ())}
    filled = 0
    categories = []
    for category in view["categories"]:
        rows = []
        for row in category["rows"]:
            measured = found.get(tuple(row.get("ids", ()))) if len(row.get("ids", ())) == 2 else None
            if measured and row["baseline"] == view["to_measure"]:
                value = _measured(row["metric"], measured)
                if value:
                    row, filled = {**row, "baseline": value}, filled + 1
            rows.append(row)
        categories.append({**category, "rows": rows})
    intro = list(view["intro"])
    if filled:
        intro[3] = view["baselines_audit"]
    return {**view, "categories": categories, "intro": intro}


def _measured(metric: str, transition: dict[str, Any]) -> str:
    """`33%` for a conversion, `10 days` for a time between stages, from the audit."""
    if metric == "conversion" and transition.get("rate") is not None:
        return f"{round(transition['rate'] * 100)}%"
    if metric == "velocity" and transition.get("median_days") is not None:
        days = round(transition["median_days"])
        return f"{days} day" + ("" if days == 1 else "s")
    return ""
