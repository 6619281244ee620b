"""Handoff deck (.pptx): the final architecture, what is delivered, how to maintain it and when to call back."""

from __future__ import annotations

import inspect
from contextvars import ContextVar

from .. import registry
from ..context import Context
from ..errors import DeliverError
from ..deckparts import Words, diagram_slide, title_slide
from ..model import Project
from ..slides import BULLETS, TABLE, Deck, Slide, Table, cell, para

NAME = "handoff-deck"
SUFFIXES = (".pptx",)
DESCRIPTION = "Handoff deck: final architecture, documentation package, maintenance schedule, refinement triggers, escalation guide (PowerPoint)."

# Set while the documentation package is being listed, so that a deliverable
# that bundles others (and so renders this deck) does not list it again forever.
_LISTING: ContextVar[bool] = ContextVar("handoff_listing", default=False)


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes."""
    return (f"handoff-deck-v{project.version}.pptx",)


def view(project: Project, ctx: Context) -> Deck:
    """Every slide of the handoff deck, in order."""
    words, common = Words(ctx, "handoff"), Words(ctx, "common")
    slides = (
        title_slide(project, ctx, words, common),
        _agenda(words),
        diagram_slide(project, common, words("diagram_title", project.version, project.is_final(), project.assumed_count())),
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
    """(deliverable, its files for this version, its description) for every registered deliverable."""
    if _LISTING.get():
        return []
    token = _LISTING.set(True)
    try:
        return [(name, found, module.DESCRIPTION) for name, module in _modules() if (found := _files_of(module, project, ctx))]
    finally:
        _LISTING.reset(token)


def _modules():
    return [(name, registry.load(name)) for name in registry.names()]


def _files_of(module, project: Project, ctx: Context) -> tuple[str, ...]:
    """A deliverable's file names: from its `files` hook, else by rendering it.

    One that cannot be built from this file is not in the package: it is left
    out with a warning instead of failing the deck (`--only handoff-deck`)."""
    hook = getattr(module, "files", None)
    if callable(hook):
        takes_ctx = len(inspect.signature(hook).parameters) > 1
        return tuple(sorted(hook(project, ctx) if takes_ctx else hook(project)))
    try:
        return tuple(sorted(module.render(module.view(project, ctx), ctx)))
    except DeliverError:
        ctx.warn((), f"the handoff deck's documentation package leaves out '{module.NAME}', which cannot be built")
        return ()


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
        Slide(TABLE, words("monthly_title"), words("schedule_notes", "monthly", len(monthly), who), lead=lead,
              table=Table(words.cells("monthly_columns"), (3, 5, 4), monthly, empty=words("monthly_empty"))),
        Slide(TABLE, words("quarterly_title"), words("schedule_notes", "quarterly", len(quarterly), who), lead=lead,
              table=Table(words.cells("quarterly_columns"), (3, 5, 4), quarterly, empty=words("quarterly_empty"))),
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


def render(view: Deck, ctx: Context) -> dict[str, bytes]:
    """The .pptx file, with the final architecture diagram."""
    from ..deckbuild import build
    from ..deckimages import diagram

    return {view.file: build(view, ctx, {"diagram": diagram(ctx)})}
