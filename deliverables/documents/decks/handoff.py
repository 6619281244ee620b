"""Handoff deck (.pptx): the final architecture, what is delivered, how to maintain it and when to call back."""

from __future__ import annotations

from deliverables.backends.slides.model import BULLETS, TABLE, Deck, Slide, Table, cell, para
from deliverables.core.context import EVERY, Consumes, Context
from deliverables.core.model import Project
from deliverables.documents.decks.common import (
    DECK_CONSUMES,
    DECK_EXTERNAL,
    Words,
    diagram_slide,
    render_deck,
    title_slide,
)

NAME = "handoff-deck"
SUFFIXES = (".pptx",)
DESCRIPTION = "Handoff deck: final architecture, documentation package, maintenance schedule, refinement triggers, escalation guide (PowerPoint)."

CONSUMES = (*DECK_CONSUMES, Consumes(EVERY))
EXTERNAL = DECK_EXTERNAL
"""The diagram's PNG, and every deliverable's file names for the documentation package."""


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes."""
    return (f"handoff-deck-v{project.version}.pptx",)


def view(project: Project, ctx: Context) -> Deck:
    """Every slide of the handoff deck, in order."""
    words, common = Words(ctx, "handoff"), Words(ctx, "common")
    slides = (
        title_slide(project, ctx, words, common),
        _agenda(words),
        diagram_slide(
            project, common, words("diagram_title", project.version, project.is_final(), project.assumed_count())
        ),
        _package(project, ctx, words),
        *_schedule(project, words),
        _after_launch(project, words),
        _triggers(project, words),
        _escalation(project, words),
        _callback(project, words),
    )
    footer = common("footer", project.client.name, words("deck_name"), project.version, ctx.date.isoformat())
    return Deck(files(project)[0], words("title", project.client.name), project.architect, footer, slides)


def _agenda(words: Words) -> Slide:
    rows = tuple((cell(minutes, "bold"), cell(topic)) for minutes, topic in words.rows("agenda_rows"))
    table = Table(words.cells("agenda_columns"), (1.2, 9), rows)
    return Slide(TABLE, words("agenda_title"), words("agenda_notes"), table=table)


def package_files(project: Project, ctx: Context) -> list[tuple[str, tuple[str, ...], str]]:
    """(deliverable, its files for this version, its description) for every deliverable with files."""
    return [(name, item.files, item.description) for name, item in ctx.listing.items() if item.files]


def _package(project: Project, ctx: Context, words: Words) -> Slide:
    listed = package_files(project, ctx)
    rows = tuple(
        (cell(title, "bold"), cell("\n".join(found)), cell(what))
        for title, what, found in (_described(name, description) + (found,) for name, found, description in listed)
    )
    count = sum(len(found) for _, found, _ in listed)
    table = Table(words.cells("package_columns"), (2.5, 3.5, 6), rows, empty=words("package_empty"))
    lead = words("package_lead", count, project.version)
    return Slide(TABLE, words("package_title"), words("package_notes", count), lead=lead, table=table)


def _described(name: str, description: str) -> tuple[str, str]:
    """A registry description split into the document's name and what it is."""
    head, sep, rest = description.partition(": ")
    if sep and len(head) <= 60:
        return head, rest[:1].upper() + rest[1:]
    return name.replace("-", " ").capitalize(), description


def owner(project: Project) -> str:
    """Who runs maintenance: the customer, or the architect on a dedicated engagement."""
    if project.client.engagement == "dedicated":
        return project.architect or project.client.name
    return project.client.name


def _schedule(project: Project, words: Words) -> tuple[Slide, Slide]:
    plan, who = project.maintenance, owner(project)
    dedicated = project.client.engagement == "dedicated"
    lead = words("owner_lead", who, dedicated)
    monthly = tuple((cell(t.task, "bold"), cell(t.check), cell(t.red_flag, "alert")) for t in plan.monthly)
    quarterly = tuple((cell(t.task, "bold"), cell(t.check), cell(t.action)) for t in plan.quarterly)
    return (
        Slide(
            TABLE,
            words("monthly_title"),
            words("schedule_notes", "monthly", len(monthly), who),
            lead=lead,
            table=Table(words.cells("monthly_columns"), (3, 5, 4), monthly, empty=words("monthly_empty")),
        ),
        Slide(
            TABLE,
            words("quarterly_title"),
            words("schedule_notes", "quarterly", len(quarterly), who),
            lead=lead,
            table=Table(words.cells("quarterly_columns"), (3, 5, 4), quarterly, empty=words("quarterly_empty")),
        ),
    )


def _after_launch(project: Project, words: Words) -> Slide:
    launch = project.client.launch_date.isoformat() if project.client.launch_date else ""
    paras = [para(line) for line in words("launch_checks").splitlines()]
    paras.append(para(words("launch_owner", owner(project), launch), "bold"))
    return Slide(BULLETS, words("launch_title"), words("launch_notes"), paras=tuple(paras))


def _triggers(project: Project, words: Words) -> Slide:
    rows = tuple((cell(t.trigger, "bold"), cell(t.threshold), cell(t.response)) for t in project.maintenance.triggers)
    table = Table(words.cells("triggers_columns"), (4, 3, 5), rows, empty=words("triggers_empty"))
    return Slide(TABLE, words("triggers_title"), words("triggers_notes", len(rows)), table=table)


def _escalation(project: Project, words: Words) -> Slide:
    style = {"Architect": "bold", "Specialist": "accent"}
    rows = tuple((cell(a), cell(b, style.get(b, "bold")), cell(c)) for a, b, c in words.rows("escalation_rows"))
    table = Table(words.cells("escalation_columns"), (6, 2.5, 4), rows)
    lead = words("escalation_lead", project.architect)
    return Slide(TABLE, words("escalation_title"), words("escalation_notes"), lead=lead, table=table)


def _callback(project: Project, words: Words) -> Slide:
    paras = [para(words("callback_intro"), "bold")]
    paras += [para(words("callback_trigger", t.trigger, t.threshold), level=1) for t in project.maintenance.triggers]
    paras += [para(line, level=1) for line in words("callback_standard").splitlines()]
    paras.append(para(words("callback_checkin", project.client.engagement == "dedicated")))
    return Slide(BULLETS, words("callback_title"), words("callback_notes"), paras=tuple(paras))


render = render_deck
