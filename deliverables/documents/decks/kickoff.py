"""Kickoff deck (.pptx): current state, the proposed architecture, what to confirm and who does what next."""

from __future__ import annotations

from deliverables.backends.slides.model import BULLETS, TABLE, Deck, Para, Slide, Table, cell, flagged, para
from deliverables.core import marks
from deliverables.core.context import Context
from deliverables.core.model import Project
from deliverables.documents.decks.common import (
    DECK_CONSUMES,
    DECK_EXTERNAL,
    Words,
    assumed_items,
    diagram_slide,
    meeting_row,
    party_label,
    questions_slide,
    render_deck,
    title_slide,
)

NAME = "kickoff-deck"
SUFFIXES = (".pptx",)
DESCRIPTION = "Kickoff deck: agenda, current-state findings, architecture diagram, terms to align, open questions and next steps (PowerPoint)."
CONSUMES = DECK_CONSUMES
EXTERNAL = DECK_EXTERNAL
PLAN = ("refinement-1", "refinement-2", "final-review")
_STATE_STYLE = {"approved": "", "pending": "muted", "rejected": "assumed"}


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes."""
    return (f"kickoff-deck-v{project.version}.pptx",)


def view(project: Project, ctx: Context) -> Deck:
    """Every slide of the kickoff deck, in order."""
    words, common = Words(ctx, "kickoff"), Words(ctx, "common")
    slides = [title_slide(project, ctx, words, common), _agenda(project, words)]
    if project.version > 0:
        from deliverables.documents.decks.changes import changes_slide

        slides += [slide for slide in (changes_slide(ctx, common),) if slide is not None]
    slides += [
        _findings(project, words),
        diagram_slide(project, common, words("diagram_title", project.version)),
        _comparison(project, words),
        _terms(project, words),
        questions_slide(project, common, words("questions_title")),
        _next_steps(project, words, common),
        _plan(project, words, common),
    ]
    footer = common("footer", project.client.name, words("deck_name"), project.version, ctx.date.isoformat())
    return Deck(files(project)[0], words("title", project.client.name), project.architect, footer, tuple(slides))


def _agenda(project: Project, words: Words) -> Slide:
    rows = tuple((cell(a, "bold"), cell(b, "bold"), cell(c)) for a, b, c in words.rows("agenda_rows"))
    table = Table(words.cells("agenda_columns"), (1.3, 3, 7), rows)
    return Slide(TABLE, words("agenda_title"), words("agenda_notes", project.assumed_count()), table=table)


def _findings(project: Project, words: Words) -> Slide:
    state = project.current_state
    columns = words.cells("findings_columns")
    if state is None:
        table = Table(columns, (2, 4, 6), (), empty=words("findings_empty"))
        return Slide(TABLE, words("findings_title"), words("findings_notes", None, 0), table=table)
    rows = tuple(
        (cell(project.domain_title(d.domain), "bold"), cell("; ".join(d.fields)), _problems(d.problems))
        for d in sorted(state.domains, key=lambda d: _domain_rank(project, d.domain))
    )
    audited = state.audited.isoformat() if state.audited else ""
    problems = sum(len(d.problems) for d in state.domains)
    table = Table(columns, (2, 4, 6), rows, empty=words("findings_none"))
    notes = words("findings_notes", audited, problems)
    return Slide(TABLE, words("findings_title"), notes, lead=words("findings_lead", audited), table=table)


def _problems(problems) -> tuple:
    return tuple((("\n" if i else "") + f"• {p}", "") for i, p in enumerate(problems))


def _domain_rank(project: Project, domain: str) -> int:
    order = project.domain_order()
    return order.index(domain) if domain in order else len(order)


def _comparison(project: Project, words: Words) -> Slide:
    state = project.current_state
    rows = tuple(
        (cell(project.domain_title(r.domain) if r.domain else ""), cell(r.current), cell(r.recommended))
        for r in (state.comparison if state else ())
    )
    table = Table(words.cells("comparison_columns"), (2, 5, 5), rows, empty=words("comparison_empty"))
    return Slide(TABLE, words("comparison_title"), words("comparison_notes", len(rows)), table=table)


def _terms(project: Project, words: Words) -> Slide:
    rows = tuple((flagged(t.term, t.status), cell(t.definition), _approvals(project, t, words)) for t in project.terms)
    table = Table(words.cells("terms_columns"), (2.2, 6, 3.5), rows, empty=words("terms_empty"))
    lead = marks.ASSUMED_LEGEND + "." if any(t.status == "assumed" for t in project.terms) else ""
    return Slide(TABLE, words("terms_title"), words("terms_notes", len(rows)), lead=lead, table=table)


def _approvals(project: Project, term, words: Words) -> tuple:
    if not term.approvals:
        return cell(words("no_approvals"), "muted")
    runs = []
    for index, (who, state) in enumerate(term.approvals.items()):
        runs.append((("\n" if index else "") + f"{project.person_label(who)}: ", ""))
        runs.append((state, _STATE_STYLE[state]))
    return tuple(runs)


def _next_steps(project: Project, words: Words, common: Words) -> Slide:
    paras = [para(line) for line in words("next_steps", project.version + 1).splitlines()]
    paras.append(para(words("homework_heading"), "bold"))
    paras += _homework(project, words, common) or [para(words("homework_none"), level=1)]
    return Slide(BULLETS, words("next_title"), words("next_notes"), paras=tuple(paras))


def _homework(project: Project, words: Words, common: Words) -> list[Para]:
    out = []
    for key, items in assumed_items(project, common).items():
        terms = sum(kind == "term" for kind, _, _ in items)
        if key:
            out.append(para(words("homework", party_label(project, key, common), len(items) - terms, terms), level=1))
        else:
            out.append(para(words("homework_unassigned", len(items)), "assumed", level=1))
    return out


def _plan(project: Project, words: Words, common: Words) -> Slide:
    rows = tuple(meeting_row(project, key, common) for key in PLAN)
    table = Table(common.cells("meeting_columns"), (2, 4.5, 4, 2.5), rows)
    return Slide(TABLE, words("plan_title"), words("plan_notes"), table=table)


render = render_deck
