"""The slides of a training deck, as plain data from the model and the team's stages."""

from __future__ import annotations

import functools

from deliverables.backends.slides.model import BULLETS, TABLE, Para, Slide, Table, cell, para
from deliverables.core import enablement, marks
from deliverables.core import stages as known
from deliverables.core.crmfields import Fields
from deliverables.core.dates import long_date
from deliverables.core.enablement import Session
from deliverables.core.flow import exits_of
from deliverables.core.model import Project, Stage
from deliverables.documents.decks.common import Words
from deliverables.documents.words import grammar
from deliverables.lint import RULES

CATEGORIES = ("conversion", "velocity", "production", "drop-off", "cost", "segmentation")
"""The measurement framework's six categories, in the order the playbook gives them."""
END_USER_RULES = ("status-as-stage", "internal-signal-stage")
TECHNICAL_RULES = ("status-as-stage", "cs-stage-in-sales-pipeline", "time-based-stage", "missing-entry-criteria")


class Parts:
    """Builds each slide of one audience's deck."""

    def __init__(self, project: Project, words: Words, fields: Fields, teams: dict[str, str]):
        self.project, self.words, self.fields, self.teams = project, words, fields, teams
        order = {s.id: i for i, s in enumerate(project.flow())}
        self.order = order
        self.framework: dict = {}
        self.maintenance: dict = {}

    # ------------------------------------------------------------ opening

    def why(self, session: Session) -> Slide:
        """Why one set of definitions matters, and which stages are golden."""
        w = self.words
        golden = grammar.and_list([s.short for s in self.project.flow() if s.golden])
        paras = [para(w("why_shared", self.project.is_final())), para(w("why_criteria"))]
        if golden:
            paras.append(Para(((f"{marks.GOLDEN} ", "golden"), (w("why_golden", golden), ""))))
        paras.append(para(w("why_status")))
        return Slide(
            BULLETS,
            w("why_title", grammar.possessive(self.project.client.name)),
            w("why_notes", session.team),
            topic=w("why_topic"),
            section="why",
            paras=tuple(paras),
        )

    def changes(self, session: Session) -> Slide:
        """What the team does differently from launch: the audit's comparisons in its domains, then the rules."""
        w = self.words
        domains = {s.domain for s in session.stages}
        paras = []
        state = self.project.current_state
        for row in state.comparison if state else ():
            if row.domain in domains:
                paras.append(Para(((row.recommended, "bold"),)))
                paras.append(Para(((w("change_before", row.current), "muted"),), 1))
        paras.append(para(w("change_owns", grammar.and_list([s.short for s in session.stages]))))
        paras.append(para(w("change_criteria")))
        if any(self._drops(s) for s in session.stages):
            paras.append(para(w("change_reasons")))
        if any(s.domain == "lead" for s in session.stages):
            paras.append(para(w("change_status")))
        receivers = self._receivers(session)
        if receivers:
            paras.append(para(w("change_handoffs", grammar.and_list(receivers))))
        paras.append(para(w("change_card")))
        count = sum(1 for p in paras if p.level == 0)
        return Slide(
            BULLETS,
            w("changes_title", session.team, count),
            w("changes_notes", session.team),
            topic=w("changes_topic"),
            section="changes",
            paras=tuple(paras),
        )

    def _receivers(self, session: Session) -> list[str]:
        """The other teams the session's stages hand records to, in flow order."""
        mine = {s.id for s in session.stages}
        found: dict[str, None] = {}
        for stage in session.stages:
            for exit_ in exits_of(self.project, stage):
                target = self.project.stage(exit_.to)
                if target is None or target.id in mine or known.closes_lost(target):
                    continue
                if self.teams[target.id] != session.team:
                    found.setdefault(self.teams[target.id], None)
        return list(found)

    # ------------------------------------------------------------- stages

    def stage(self, session: Session, stage: Stage) -> Slide:
        """One stage: meaning, entry criteria, where records come from and go to, reasons."""
        w = self.words
        # Without a definition the stage's name would stand under "What it means" as its meaning.
        paras = [para(w("stage_meaning"), "bold"), para(stage.definition, level=1)] if stage.definition else []
        if stage.entry:
            paras.append(para(w("stage_entry"), "bold"))
            paras += [para(c, level=1) for c in stage.entry]
        paras.append(para(w("stage_in"), "bold"))
        incoming = [self._named(s) for s in self._incoming(stage)]
        paras += [para(text, level=1) for text in incoming] or [para(w("stage_first"), "muted", 1)]
        paras.append(para(w("stage_out"), "bold"))
        outgoing = []
        for exit_ in exits_of(self.project, stage):
            target = self.project.stage(exit_.to)
            if target is not None:
                outgoing.append(self._named(target) + (f": {exit_.when}" if exit_.when else ""))
        paras += [para(text, level=1) for text in outgoing] or [para(w("stage_last"), "muted", 1)]
        if stage.drop_off_reasons:
            paras.append(para(w("stage_reasons"), "bold"))
            paras.append(para("; ".join(stage.drop_off_reasons), level=1))
        if stage.golden:
            paras.append(Para(((f"{marks.GOLDEN} ", "golden"), (w("stage_golden"), ""))))
        if stage.status == "assumed":
            paras.append(para(w("stage_assumed"), "assumed"))
        return Slide(
            BULLETS,
            w("stage_title", stage.label, len(stage.entry)),
            w("stage_notes", stage.label, session.team),
            topic=w("stage_topic", stage.short),
            section="stages",
            paras=tuple(paras),
        )

    def _named(self, stage: Stage) -> str:
        """`Sales Qualified Lead (SDR team)`: a stage with the team that owns it."""
        return f"{stage.label} ({self.teams[stage.id]})"

    def _incoming(self, stage: Stage) -> list[Stage]:
        """The stages with a way into `stage`, in flow order."""
        return list(self._into.get(stage.id, ()))

    @functools.cached_property
    def _into(self) -> dict[str, list[Stage]]:
        found: dict[str, list[Stage]] = {}
        for source in self.project.flow():
            for target in dict.fromkeys(e.to for e in exits_of(self.project, source)):
                found.setdefault(target, []).append(source)
        return found

    def _drops(self, stage: Stage) -> list[tuple[Stage, str]]:
        """(target, condition) of the ways out of `stage` that do not move it forward."""
        found = []
        for exit_ in exits_of(self.project, stage):
            target = self.project.stage(exit_.to)
            if target is None:
                continue
            if known.closes_lost(target) or self.order[target.id] < self.order[stage.id]:
                found.append((target, exit_.when))
        return found

    # ------------------------------------------------------------- fields

    def fields_slide(self, session: Session) -> Slide:
        """The stage fields the team sets, the drop-off reason field and the contact status field."""
        w = self.words
        grouped: dict[str, list[str]] = {}
        for stage in session.stages:
            obj, field, value = self.fields.field(stage)
            grouped.setdefault(f"{obj} · {field}", []).append(
                f"{value} ({stage.short})" if value != stage.short else value
            )
        rows = [
            (cell(name, "bold"), cell(", ".join(values)), cell(w("fields_stage_when")))
            for name, values in grouped.items()
        ]
        platform = self.fields.crm if self.fields.crm != "other" else "salesforce"
        table = self.fields.defaults[platform]
        by_object: dict[str, set[str]] = {}
        for stage in session.stages:
            if self._drops(stage):
                by_object.setdefault(self.fields.field(stage)[0], set()).update(self.fields.reasons_list(stage))
        for obj, reasons in by_object.items():
            name = f"{obj} · {table['drop_off_field']}"
            rows.append(
                (cell(name, "bold"), cell(w("fields_reason_values", len(reasons))), cell(w("fields_reason_when")))
            )
        if any(s.domain == "lead" for s in session.stages):
            status = table["contact_status"]
            values = [c.name for c in self.project.contact_statuses] or [
                c["name"] for c in self.fields.defaults["contact_statuses"]
            ]
            name = f"{self.fields.object_name(status['object'])} · {status['field']}"
            rows.append((cell(name, "bold"), cell(", ".join(values)), cell(w("fields_status_when"))))
        return Slide(
            TABLE,
            w("fields_title", self.fields.platform, len(rows)),
            w("fields_notes", self.fields.platform),
            topic=w("fields_topic"),
            section="fields",
            lead=w("fields_lead"),
            table=Table(w.cells("fields_columns"), (3.2, 5, 3.8), tuple(rows)),
        )

    def field_map(self, session: Session) -> Slide | None:
        """Technical sessions: every stage of the lifecycle by the field holding it."""
        if session.kind != "technical":
            return None
        w = self.words
        grouped: dict[str, list[str]] = {}
        for stage in self.project.flow():
            obj, field, _ = self.fields.field(stage)
            grouped.setdefault(f"{obj} · {field}", []).append(stage.short)
        rows = tuple((cell(name, "bold"), cell(", ".join(stages))) for name, stages in grouped.items())
        return Slide(
            TABLE,
            w("map_title", self.fields.platform, len(self.project.stages), len(rows)),
            w("map_notes", self.fields.platform),
            topic=w("map_topic"),
            section="fields",
            table=Table(w.cells("map_columns"), (4, 8), rows),
        )

    def metrics(self) -> Slide:
        """Leadership: the framework's six categories, what each answers and how often it is read."""
        w, text = self.words, self.framework
        rows = tuple(
            (cell(c["title"], "bold"), cell(c["question"]), cell(text["cadences"][c["cadence"]]))
            for c in (text["categories"][key] for key in CATEGORIES)
        )
        return Slide(
            TABLE,
            w("metrics_title", len(rows)),
            w("metrics_notes"),
            topic=w("metrics_topic"),
            section="metrics",
            table=Table(w.cells("metrics_columns"), (3, 7, 2), rows),
        )

    def flags(self) -> Slide:
        """Leadership: the monthly checks' red flags, the client's own or the standard ones."""
        w = self.words
        own = self.project.maintenance.monthly
        items = [(t.task, t.red_flag) for t in own] or [(t["task"], t["red_flag"]) for t in self.maintenance["monthly"]]
        rows = tuple((cell(task, "bold"), cell(flag, "alert")) for task, flag in items if flag)
        return Slide(
            TABLE,
            w("flags_title", len(rows)),
            w("flags_notes"),
            topic=w("flags_topic"),
            section="flags",
            table=Table(w.cells("flags_columns"), (4, 8), rows),
        )

    # ---------------------------------------------------------- scenarios

    def scenarios(self, session: Session) -> Slide:
        """Two or three situations built from the team's own criteria and exits."""
        w = self.words
        rows: list[tuple] = []
        used: set[str] = set()
        for stage in session.stages:
            before = self._incoming(stage)
            if stage.entry and before and not known.closes_lost(stage):
                text = w("scenario_enter", before[0].short, _clause(stage.entry[0]))
                rows.append((cell(text), cell(w("scenario_enter_answer", stage.label, len(stage.entry)), "bold")))
                used.add(stage.id)
                break
        for stage in session.stages:
            if len(stage.entry) >= 2 and stage.id not in used:
                text = w("scenario_partial", stage.short, _clause(stage.entry[-1]))
                rows.append((cell(text), cell(w("scenario_partial_answer", stage.short), "bold")))
                break
        else:
            for stage in session.stages:
                if len(stage.entry) >= 2:
                    text = w("scenario_partial", stage.short, _clause(stage.entry[-1]))
                    rows.append((cell(text), cell(w("scenario_partial_answer", stage.short), "bold")))
                    break
        for stage in (s for s in session.stages if not known.outcome(s)):
            drops = [(t, when) for t, when in self._drops(stage) if when]
            if drops:
                target, when = drops[0]
                reason = (stage.drop_off_reasons or ("",))[0]
                text = w("scenario_drop", stage.short, _clause(when))
                rows.append((cell(text), cell(w("scenario_drop_answer", target.label, reason), "bold")))
                break
        return Slide(
            TABLE,
            w("scenarios_title", len(rows)),
            w("scenarios_notes"),
            topic=w("scenarios_topic"),
            section="scenarios",
            table=Table(w.cells("scenarios_columns"), (6.5, 5.5), tuple(rows[:3])),
        )

    # ----------------------------------------------------------- mistakes

    def mistakes(self, session: Session) -> Slide:
        """The behaviours that break the reports, then the playbook's rules that fit the audience."""
        w = self.words
        rows = []
        behaviours = (
            ("mistake_rogue",) if session.kind == "technical" else ("mistake_skip", "mistake_back", "mistake_reason")
        )
        for macro in behaviours:
            wrong, right = w.cells(macro)
            rows.append((cell(wrong, "bold"), cell(right)))
        for rule in TECHNICAL_RULES if session.kind == "technical" else END_USER_RULES:
            fix = RULES[rule].fix
            rows.append((cell(w("rule_mistake", rule), "bold"), cell(fix[:1].upper() + fix[1:] + ".")))
        return Slide(
            TABLE,
            w("mistakes_title", len(rows)),
            w("mistakes_notes"),
            topic=w("mistakes_topic"),
            section="mistakes",
            table=Table(w.cells("mistakes_columns"), (5, 7), tuple(rows)),
        )

    # --------------------------------------------------------------- help

    def help(self, session: Session) -> Slide:
        """Where to ask: the channel, the team's lead, the office hours, the documents."""
        w, plan = self.words, self.project.enablement
        paras = []
        if plan.help:
            paras.append(para(w("help_channel", plan.help)))
        lead = next((p for p in self.project.stakeholders if p.department == session.department), None)
        if lead is not None:
            paras.append(para(w("help_lead", lead.label)))
        hours = enablement.office_hours(self.project)
        if hours:
            paras.append(para(w("help_hours", grammar.and_list([long_date(d) for d in hours]))))
        else:
            paras.append(para(w("help_hours_open", plan.hypercare_weeks)))
        paras.append(para(w("help_docs")))
        revops = next((p for p in self.project.stakeholders if p.department == "revops"), None)
        paras.append(para(w("help_changes", revops.label if revops else self.project.owner_name("revops"))))
        return Slide(
            BULLETS,
            w("help_title", plan.hypercare_weeks),
            w("help_notes"),
            topic=w("help_topic"),
            section="questions",
            paras=tuple(paras),
        )


def _clause(text: str) -> str:
    """A criterion inside a sentence: no closing full stop, a lower-case first word unless it is a name."""
    text = text.strip().rstrip(".")
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower() and first not in PROPER:
        return text[:1].lower() + text[1:]
    return text


PROPER = {"HubSpot", "Salesforce", "Sales", "Marketing"}
