"""What the current-state audit measured, as plain data for every deliverable that
shows it (the audit itself, the kickoff deck, the maintenance baselines): the
funnel rows, the chart titles that state the finding, the values in use per
domain, the misuse the playbook warns about (the lint rules run over the CRM's
own values), quality and recommendations. Their sentences come from the template
`audit/findings.yaml` (a theme may replace it), loaded once per view by `wording`."""

from __future__ import annotations

from typing import Any

from deliverables.core import stages as known
from deliverables.core.model import Project, slugify
from deliverables.documents.words import data as tdata
from deliverables.documents.words.data import fill
from deliverables.documents.words.grammar import and_list, capital
from deliverables.documents.words.grammar import count as plural

Words = dict[str, Any]

OBJECT_DOMAINS = {
    "contact": "lead",
    "lead": "lead",
    "deal": "sales",
    "opportunity": "sales",
    "ticket": "customer",
    "company": "company",
    "account": "company",
}
"""Domain a CRM object's values belong to when no stage of that object says otherwise."""
NAMING_RULES = (
    "activity-name",
    "deal-outcome-in-lifecycle",
    "status-as-stage",
    "cs-stage-in-sales-pipeline",
    "time-based-stage",
    "internal-signal-stage",
    "task-level-stage",
    "company-type-as-stage",
)


def wording(ctx) -> Words:
    """The findings' sentences: the theme's `audit/findings.yaml`, else the built-in one."""
    return tdata.load(ctx, "audit/findings.yaml")


def pct(rate: float | None) -> str:
    """A rate as a whole percentage ("33%"), or a dash."""
    return "—" if rate is None else f"{round(rate * 100):d}%"


def days(value: float | None) -> str:
    """Median days as written in the tables."""
    return "—" if value is None else f"{value:.1f}"


def _number(n: int) -> str:
    return f"{n:,}"


def forward(project: Project, move: dict[str, Any]) -> bool:
    """A move on to a later, not lost stage (not a recycle back, not a loss)."""
    order = {s.id: i for i, s in enumerate(project.stages)}
    target = project.stage(move["to"])
    return target is not None and not known.closes_lost(target) and order[move["to"]] > order[move["from"]]


def funnel_rows(project: Project, metrics: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per observed stage in presentation order, with the conversion to its first next stage."""
    onward: dict[str, dict[str, Any]] = {}
    for move in metrics["transitions"]:
        if forward(project, move):
            onward.setdefault(move["from"], move)
    rows = []
    for stage in project.flow():
        found = metrics["stages"].get(stage.id)
        if found is None:
            continue
        move = onward.get(stage.id)
        rows.append(
            {
                "stage": stage,
                **found,
                "next": project.stage(move["to"]).short if move else "",
                "rate": move["rate"] if move else None,
                "median_days": move["median_days"] if move else None,
                "outcome": known.outcome(stage),
            }
        )
    return rows


def _largest_drop(project: Project, metrics: dict[str, Any]) -> dict[str, Any] | None:
    """The forward move that loses the most records."""
    moves = [m for m in metrics["transitions"] if m["rate"] is not None and m["entered_from"] and forward(project, m)]
    return max(moves, key=lambda m: (m["entered_from"] - m["converted"], -m["rate"]), default=None)


def funnel_title(project: Project, metrics: dict[str, Any], words: Words) -> str:
    """The funnel chart's title: its largest drop, as a sentence."""
    said = words["funnel_chart"]
    drop = _largest_drop(project, metrics)
    if drop is None:
        return fill(said["title_none"])
    a, b = project.stage(drop["from"]).short, project.stage(drop["to"]).short
    share = drop["rate"]
    lost = _number(drop["entered_from"] - drop["converted"])
    if 0.45 <= share <= 0.55:
        return fill(said["title_half"], stage=a, next=b, lost=lost)
    title = said["title_low"] if share < 0.5 else said["title"]
    return fill(title, share=pct(share), stage=a, next=b, lost=lost)


def time_title(project: Project, metrics: dict[str, Any], words: Words) -> str:
    """The time-in-stage chart's title: the slowest step."""
    said = words["time_chart"]
    timed = [m for m in metrics["transitions"] if m["median_days"] is not None and forward(project, m)]
    if not timed:
        return fill(said["title_none"])
    slow = max(timed, key=lambda m: m["median_days"])
    a, b = project.stage(slow["from"]).short, project.stage(slow["to"]).short
    return fill(said["title"], stage=a, next=b, days=days(slow["median_days"]))


def charts(project: Project, metrics: dict[str, Any], words: Words) -> tuple[dict[str, Any], dict[str, Any]]:
    """The funnel and time-in-stage charts as plain data (bars with their direct labels)."""
    from deliverables.backends.data.charts import Bar

    said, timed = words["funnel_chart"], words["time_chart"]
    funnel = []
    for row in funnel_rows(project, metrics):
        entered = _number(row["entered"])
        if row["rate"] is None:
            note = fill(said["bar"], entered=entered)
        else:
            note = fill(said["bar_onward"], entered=entered, rate=pct(row["rate"]), next=row["next"])
        funnel.append(Bar(row["stage"].short, row["entered"], note, row["stage"].golden))
    timing = []
    for move in metrics["transitions"]:
        if move["median_days"] is None or not forward(project, move):
            continue
        a, b = project.stage(move["from"]), project.stage(move["to"])
        note = fill(timed["bar"], days=days(move["median_days"]), records=plural(move["converted"], "record"))
        label = fill(timed["label"], stage=a.short, next=b.short)
        timing.append(Bar(label, move["median_days"], note, b.golden))
    return (
        {"title": funnel_title(project, metrics, words), "bars": funnel, "unit": fill(said["unit"])},
        {"title": time_title(project, metrics, words), "bars": timing, "unit": fill(timed["unit"])},
    )


def _domain_of(project: Project, obj: str) -> str:
    for stage in project.stages:
        if stage.crm and slugify(stage.crm.object) == slugify(obj):
            return stage.domain
    return OBJECT_DOMAINS.get(obj.lower(), "lead")


def misuse(project: Project, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The playbook's naming gotchas found in the CRM's own values: the lint rules run over them."""
    from deliverables.core.model import Project as Model
    from deliverables.lint import RULES

    pseudo, origin = [], {}
    for i, item in enumerate(values):
        ident = f"v{i}"
        domain = _domain_of(project, item["object"])
        pseudo.append({"id": ident, "name": item["value"][:200] or "-", "domain": domain})
        origin[ident] = item
    if not pseudo:
        return []
    probe = Model.model_validate({"client": {"name": project.client.name}, "stages": pseudo})
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for rule_id in NAMING_RULES:
        rule = RULES.get(rule_id)
        if rule is None:
            continue
        for hit in rule.check(probe):
            item = origin.get(hit.stage or "")
            if item is None:
                continue
            found.setdefault((rule_id, item["value"]), {"rule": rule.summary, "fix": rule.fix, **item})
    return sorted(found.values(), key=lambda f: (-f["records"], f["value"]))


def by_rule(abuse: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The misused values grouped by the gotcha they show, most records first (then as
    found): one finding a gotcha naming each value that shows it, not the same
    explanation again for every value."""
    groups: dict[str, dict[str, Any]] = {}
    for item in abuse:
        group = groups.setdefault(item["rule"], {"rule": item["rule"], "fix": item["fix"], "values": [], "records": 0})
        group["values"].append(item)
        group["records"] += item["records"]
    return sorted(groups.values(), key=lambda g: -g["records"])


def quoted_values(group: dict[str, Any], limit: int = 3) -> str:
    """`'Nurture' and 'Working'`; past `limit` values, the rest counted (`and 2 others`)."""
    named = [f"'{v['value']}'" for v in group["values"]]
    if len(named) > limit:
        named = named[:limit] + [plural(len(named) - limit, "other")]
    return and_list(named)


def values_by_domain(project: Project, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per domain: each proposed stage with the CRM values found for it, then the values no stage maps."""
    out = []
    for domain in project.domain_order():
        rows = []
        for stage in project.stages_in(domain):
            seen = [v for v in values if v["stage"] == stage.id]
            rows.append({"stage": stage, "values": seen, "records": sum(v["records"] for v in seen)})
        extra = [v for v in values if v["stage"] is None and _domain_of(project, v["object"]) == domain]
        if any(r["values"] for r in rows) or extra:
            out.append({"domain": project.domain_title(domain), "rows": rows, "unmapped": extra})
    return out


def _listed(said: Words, items: list[tuple[str, int]], limit: int = 3) -> str:
    shown = ", ".join(fill(said["item"], name=name, records=_number(n)) for name, n in items[:limit])
    if len(items) <= limit:
        return shown
    return fill(said["more"], listed=shown, more=plural(len(items) - limit, "more", "more"))


def recommendations(project: Project, metrics: dict[str, Any], abuse: list[dict[str, Any]], words: Words) -> list[str]:
    """What to do about each finding, each pointing at the proposed stages concerned."""
    said = words["recommendations"]
    out = []
    unmapped = metrics["unmapped"]
    if unmapped:
        held = sum(u["records"] for u in unmapped)
        values = _listed(said, [(fill(said["value"], value=u["value"]), u["records"]) for u in unmapped])
        out.append(fill(said["unmapped"], records=plural(held, "record"), listed=values))
    rows = funnel_rows(project, metrics)
    stuck = sorted(
        ((r["stage"].short, r["stuck"]) for r in rows if r["stuck"] and not r["outcome"]), key=lambda x: -x[1]
    )
    if stuck:
        out.append(fill(said["stuck"], listed=_listed(said, stuck)))
    skipped = sorted(((r["stage"].short, r["skipped"]) for r in rows if r["skipped"]), key=lambda x: -x[1])
    if skipped:
        out.append(fill(said["skipped"], listed=_listed(said, skipped)))
    for group in by_rule(abuse)[:3]:
        fix = capital(group["fix"])
        out.append(fill(said["misuse"], values=quoted_values(group), value=group["values"][0]["value"], fix=fix))
    quality = metrics["quality"]
    if quality["future_dates"]:
        out.append(fill(said["future"], dates=plural(quality["future_dates"], "entry date")))
    if quality["out_of_order"]:
        out.append(fill(said["out_of_order"], records=plural(quality["out_of_order"], "record")))
    return out


SHOWN_VALUE = 80
"""Characters of a CRM value a page shows: a stage field may hold a pasted paragraph."""


def shown(value: str) -> str:
    """A CRM value as a page shows it: past SHOWN_VALUE characters (a note pasted into the
    stage field, 10,000 characters of it) cut at a word's end, with an ellipsis."""
    if len(value) <= SHOWN_VALUE:
        return value
    cut = value[:SHOWN_VALUE]
    space = cut.rfind(" ", SHOWN_VALUE // 2)
    return (cut[:space] if space > 0 else cut).rstrip() + "…"


def _shown_all(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**item, "value": shown(item["value"])} for item in items]


def summary(project: Project, result, words: Words) -> dict[str, Any]:
    """Everything the document needs besides the cover, told in `words` (see `wording`);
    the CRM's values as a page shows them (`shown`), the metrics' own left whole."""
    metrics = {**result.metrics, "unmapped": _shown_all(result.metrics["unmapped"])}
    abuse = _shown_all(misuse(project, result.values))
    funnel, timing = charts(project, metrics, words)
    return {
        "sources": [vars(s) for s in result.sources],
        "domains": values_by_domain(project, _shown_all(result.values)),
        "unmapped": metrics["unmapped"],
        "misuse": abuse,
        "funnel": funnel_rows(project, metrics),
        "funnel_chart": funnel,
        "time_chart": timing,
        "quality": metrics["quality"],
        "records_total": sum(s.records for s in result.sources if s.format != "Salesforce field history"),
        "recommendations": recommendations(project, metrics, abuse, words),
        "stuck_days": project.audit.stuck_after_days,
    }
