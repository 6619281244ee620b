"""Kickoff deck (.pptx): current state, the proposed architecture, what to confirm and who does what next."""

from __future__ import annotations

from deliverables.backends.slides.model import BULLETS, TABLE, Deck, Slide, Table, cell, flagged, para
from deliverables.core.context import Context
from deliverables.core.dates import long_date
from deliverables.core.model import Project
from deliverables.documents.decks.agenda import assemble
from deliverables.documents.decks.architecture import architecture_slides
from deliverables.documents.decks.common import (
    DECK_CONSUMES,
    DECK_EXTERNAL,
    Words,
    answer_by,
    assumed_items,
    footer,
    meeting_row,
    next_steps,
    questions_slide,
    render_deck,
    send_next,
    title_slide,
)
from deliverables.documents.words import due, grammar
from deliverables.documents.words.due import meetings_after

NAME = "kickoff-deck"
SUFFIXES = (".pptx",)
DESCRIPTION = "Kickoff deck: agenda, current-state findings, architecture diagram, terms to align, open questions and next steps (PowerPoint)."
CONSUMES = DECK_CONSUMES
EXTERNAL = (*DECK_EXTERNAL, "exports")
_STATE_STYLE = {"approved": "", "pending": "muted", "rejected": "assumed"}


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes."""
    return (f"kickoff-deck-v{project.version}.pptx",)


def view(project: Project, ctx: Context) -> Deck:
    """Every slide of the kickoff deck, in order; sections with nothing to show are left out."""
    words, common = Words(ctx, "kickoff"), Words(ctx, "common")
    body = [*_measured(project, ctx, words), *_current_state(project, words)]
    if project.version > 0:
        from deliverables.documents.decks.changes import changes_slide

        body += [slide for slide in (changes_slide(ctx, common, "architecture"),) if slide is not None]
    body += architecture_slides(project, common, "architecture")
    body += [questions_slide(project, common, "assumptions"), _terms(project, words)]
    body += [_next_steps(project, words, common), _plan(project, words, common)]
    upcoming = due.next_meeting_on(project, ctx)
    head = [title_slide(project, ctx, words, common, upcoming=True)]
    slides, sections = assemble(words, head, body, project.version, upcoming, project.assumed_count() == 0)
    name = files(project)[0]
    return Deck(
        name, words("title", project.client.name), project.architect, footer(project, words, common), slides, sections
    )


def _measured(project: Project, ctx: Context, words: Words) -> list[Slide]:
    """The current-state slides drawn from the audit of the CRM exports, when there is one."""
    if project.audit is None:
        return []
    from deliverables.backends.data import measure
    from deliverables.core.dates import long_date
    from deliverables.documents import measured

    result = measure(project, ctx)
    metrics = result.metrics
    as_of = long_date(result.as_of)
    rows = []
    for row in measured.funnel_rows(project, metrics):
        stage = row["stage"]
        onward = f"{measured.pct(row['rate'])} to {row['next']}" if row["next"] else "—"
        stuck = "—" if row["outcome"] else f"{row['stuck']:,}"
        rows.append(
            (
                flagged(stage.short, "confirmed", stage.golden),
                cell(f"{row['current']:,}"),
                cell(f"{row['entered']:,}"),
                cell(onward),
                cell(measured.days(row["median_days"])),
                cell(stuck),
            )
        )
    records = sum(s.records for s in result.sources if s.format != "Salesforce field history")
    funnel = Slide(
        TABLE,
        measured.funnel_title(project, metrics, measured.wording(ctx)),
        words("funnel_notes", as_of, records),
        topic=words("funnel_topic"),
        section="current-state",
        lead=words("funnel_lead", as_of, records, len(result.sources)),
        table=Table(words.cells("funnel_columns"), (3, 1.5, 1.5, 2.2, 1.6, 1.2), tuple(rows)),
    )
    return [funnel, _audit_findings(project, result, words)]


def _by_rule(found: list[dict]) -> list[tuple[str, str]]:
    """The misused values grouped by the gotcha they show, in the order first found: one line
    a gotcha (`'Nurture' and 'Working'`), not the same explanation once a value."""
    from deliverables.documents.measured import shown

    groups: dict[str, list[str]] = {}
    for item in found:
        groups.setdefault(item["rule"], []).append(f"'{shown(item['value'])}'")
    out = []
    for rule, values in groups.items():
        named = values[:3] + ([grammar.count(len(values) - 3, "other")] if len(values) > 3 else [])
        out.append((rule, grammar.and_list(named)))
    return out


def _audit_findings(project: Project, result, words: Words) -> Slide:
    """What the audit found besides the funnel: values no stage maps, misuse, stalls, quality."""
    from deliverables.documents import measured

    metrics = result.metrics
    unmapped = metrics["unmapped"]
    held = sum(u["records"] for u in unmapped)
    paras = []
    if unmapped:
        shown = ", ".join(f"{measured.shown(u['value'])} ({u['records']:,})" for u in unmapped[:5])
        paras.append(para(words("unmapped_line", len(unmapped), held, shown, len(unmapped[5:]))))
    for rule, values in _by_rule(measured.misuse(project, result.values))[:3]:
        paras.append(para(words("misuse_line", values, rule), level=0))
    rows = measured.funnel_rows(project, metrics)
    stuck = [r for r in rows if r["stuck"] and not r["outcome"]]
    if stuck:
        worst = max(stuck, key=lambda r: r["stuck"])
        paras.append(para(words("stuck_line", sum(r["stuck"] for r in stuck), worst["stage"].short, worst["stuck"])))
    skipped = [r for r in rows if r["skipped"]]
    if skipped:
        worst = max(skipped, key=lambda r: r["skipped"])
        paras.append(para(words("skipped_line", worst["stage"].short, worst["skipped"])))
    q = metrics["quality"]
    paras.append(para(words("quality_line", q["records_without_dates"], q["future_dates"], q["out_of_order"])))
    return Slide(
        BULLETS,
        words("audit_title", len(unmapped), held),
        words("audit_notes"),
        topic=words("audit_topic"),
        section="current-state",
        paras=tuple(paras),
    )


def _current_state(project: Project, words: Words) -> list[Slide]:
    """The audit's findings and the comparison, when an audit is recorded."""
    state = project.current_state
    if state is None:
        return []
    slides = [_findings(project, words)] if state.domains else []
    if state.comparison:
        slides.append(_comparison(project, words))
    return slides


def _findings(project: Project, words: Words) -> Slide:
    state = project.current_state
    rows = tuple(
        (cell(project.domain_title(d.domain), "bold"), cell("; ".join(d.fields)), _problems(d.problems))
        for d in sorted(state.domains, key=lambda d: _domain_rank(project, d.domain))
    )
    audited = long_date(state.audited) if state.audited else ""
    problems = sum(len(d.problems) for d in state.domains)
    table = Table(words.cells("findings_columns"), (2, 4, 6), rows)
    return Slide(
        TABLE,
        words("findings_title", problems, len(rows)),
        words("findings_notes", audited, problems),
        topic=words("findings_topic"),
        section="current-state",
        lead=words("findings_lead", audited),
        table=table,
    )


def _problems(problems) -> tuple:
    return tuple((("\n" if i else "") + f"• {p}", "") for i, p in enumerate(problems))


def _domain_rank(project: Project, domain: str) -> int:
    order = project.domain_order()
    return order.index(domain) if domain in order else len(order)


def _comparison(project: Project, words: Words) -> Slide:
    rows = tuple(
        (cell(project.domain_title(r.domain) if r.domain else ""), cell(r.current), cell(r.recommended))
        for r in project.current_state.comparison
    )
    table = Table(words.cells("comparison_columns"), (2, 5, 5), rows)
    return Slide(
        TABLE,
        words("comparison_title", len(rows)),
        words("comparison_notes", len(rows)),
        topic=words("comparison_topic"),
        section="current-state",
        table=table,
    )


def _terms(project: Project, words: Words) -> Slide:
    rows = tuple((flagged(t.term, t.status), cell(t.definition), _approvals(project, t, words)) for t in project.terms)
    table = Table(words.cells("terms_columns"), (2.2, 6, 3.5), rows)
    open_terms = sum(t.status == "assumed" for t in project.terms)
    return Slide(
        TABLE,
        words("terms_title", len(rows), open_terms),
        words("terms_notes", len(rows), open_terms),
        topic=words("terms_topic"),
        section="terms",
        table=table,
    )


def _approvals(project: Project, term, words: Words) -> tuple:
    if not term.approvals:
        return cell(words("no_approvals"), "muted")
    runs = []
    for index, (who, state) in enumerate(term.approvals.items()):
        runs.append((("\n" if index else "") + f"{project.person_label(who)}: ", ""))
        runs.append((state, _STATE_STYLE[state]))
    return tuple(runs)


def _next_steps(project: Project, words: Words, common: Words) -> Slide:
    upcoming = due.next_meeting_on(project, common.ctx)
    meetings = len(meetings_after(project))  # the plan on the next slide
    lines = words("next_steps", project.version + 1, send_next(project, common), upcoming, meetings).splitlines()
    paras = [para(line) for line in lines if line.strip()]
    steps = next_steps(project, common)
    if steps:
        paras.append(para(common("next_steps_heading"), "bold"))
        paras += steps
    people = sum(1 for key in assumed_items(project, common) if key)
    return Slide(
        BULLETS,
        words("next_title", project.version + 1, people),
        words("next_notes", people, answer_by(project, common), upcoming, due.next_meeting(project)),
        topic=words("next_topic"),
        section="next-steps",
        paras=tuple(paras),
    )


def _plan(project: Project, words: Words, common: Words) -> Slide:
    rows = tuple(meeting_row(project, key, common) for key in meetings_after(project))
    table = Table(common.cells("meeting_columns"), (2, 4.5, 4, 2.5), rows)
    return Slide(
        TABLE,
        words("plan_title", len(rows), project.version),
        words("plan_notes", due.next_meeting_on(project, common.ctx)),
        topic=words("plan_topic"),
        section="next-steps",
        table=table,
    )


render = render_deck
