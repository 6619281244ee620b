"""Handoff deck (.pptx): the final architecture, what is delivered, how to maintain it and when to call back."""

from __future__ import annotations

from pathlib import PurePosixPath as Path

from deliverables.backends.slides.model import BULLETS, TABLE, Deck, Slide, Table, cell, para
from deliverables.core import stages
from deliverables.core.context import EVERY, Consumes, Context
from deliverables.core.dates import long_date
from deliverables.core.model import Project
from deliverables.documents.decks.agenda import assemble
from deliverables.documents.decks.architecture import architecture_slides
from deliverables.documents.decks.common import (
    DECK_CONSUMES,
    DECK_EXTERNAL,
    Words,
    footer,
    render_deck,
    title_slide,
)
from deliverables.documents.words import data as tdata
from deliverables.lint import final_ready

NAME = "handoff-deck"
SUFFIXES = (".pptx",)
DESCRIPTION = "Handoff deck: the architecture handed over, documentation package, maintenance schedule, refinement triggers, escalation guide (PowerPoint)."

CONSUMES = (*DECK_CONSUMES, Consumes(EVERY))
EXTERNAL = DECK_EXTERNAL
"""The diagram's PNG, and every deliverable's file names for the documentation package."""


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes."""
    return (f"handoff-deck-v{project.version}.pptx",)


def view(project: Project, ctx: Context) -> Deck:
    """Every slide of the handoff deck, in order; sections with nothing to show are left out."""
    words, common = Words(ctx, "handoff"), Words(ctx, "common")
    plan = maintenance_plan(project, ctx)
    body = [
        *architecture_slides(project, common, "architecture"),
        _package(project, ctx, words),
        *_schedule(project, plan, words),
        _after_launch(project, words),
        _questions(project, words),
        _triggers(plan, words),
        _escalation(project, words),
        _callback(project, plan, words),
    ]
    slides, sections = assemble(words, [title_slide(project, ctx, words, common)], body, project.version)
    name = files(project)[0]
    return Deck(
        name, words("title", project.client.name), project.architect, footer(project, words, common), slides, sections
    )


def package_files(project: Project, ctx: Context) -> list[tuple[str, tuple[str, ...], str]]:
    """(deliverable, its files for this version, its description) for every deliverable with files."""
    return [(name, item.files, item.description) for name, item in ctx.listing.items() if item.files]


GROUPS = {
    "summary": "architecture",
    "definition-alignment": "architecture",
    "diagram": "architecture",
    "reference-card": "architecture",
    "faq": "architecture",
    "crm-config": "crm",
    "current-state-audit": "crm",
    "maintenance": "running",
    "measurement-framework": "running",
    "hypercare": "running",
    "training": "training",
    "kickoff-deck": "meetings",
    "refinement-deck": "meetings",
    "handoff-deck": "meetings",
}
"""Which group of the package slide each deliverable belongs to (by its reader); any other
deliverable is listed under "other"."""
GROUP_ORDER = ("architecture", "crm", "running", "training", "meetings", "other")


def _package(project: Project, ctx: Context, words: Words) -> Slide:
    """The package on one slide, whatever the number of stages: one row per group of documents
    (by who reads them), each document by name with its file count, and the group's file kinds;
    never the paths themselves (those are in the package's index)."""
    listed = package_files(project, ctx)
    groups: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for name, found, description in listed:
        groups.setdefault(GROUPS.get(name, "other"), []).append((_described(name, description)[0], found))
    rows = []
    for key in (k for k in GROUP_ORDER if k in groups):
        members = groups[key]
        found = [f for _, files in members for f in files]
        kinds = sorted({Path(f).suffix.lstrip(".").upper() for f in found if Path(f).suffix})
        documents = "; ".join(words("package_document", title, len(files)) for title, files in members)
        rows.append(
            (
                cell(words("package_group", key), "bold"),
                cell(documents),
                cell(words("package_count", len(found), ", ".join(kinds))),
            )
        )
    count = sum(len(found) for _, found, _ in listed)
    table = Table(words.cells("package_columns"), (2.6, 6.6, 2.8), tuple(rows))
    return Slide(
        TABLE,
        words("package_title", len(listed), count),
        words("package_notes", count),
        topic=words("package_topic"),
        section="package",
        lead=words("package_lead", project.version),
        table=table,
    )


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


def maintenance_plan(project: Project, ctx: Context) -> dict[str, list[dict[str, str]]]:
    """The monthly checks, quarterly reviews and triggers of the client file, each list
    falling back to the standard one the Maintenance Schedule also prints."""
    standard = tdata.load(ctx, "maintenance/standard.yaml")
    fields = {
        "monthly": ("task", "check", "red_flag"),
        "quarterly": ("task", "check", "action"),
        "triggers": ("trigger", "threshold", "response"),
    }
    plan = {}
    for key, names in fields.items():
        own = getattr(project.maintenance, key)
        items = (
            [{f: getattr(item, f) for f in names} for item in own]
            if own
            else [stages.standard_check(project, item) for item in standard[key]]
        )
        plan[key] = [{f: item.get(f, "") for f in names} for item in items]
    return plan


def _schedule(project: Project, plan: dict[str, list[dict[str, str]]], words: Words) -> tuple[Slide, Slide]:
    who = owner(project)
    lead = words("owner_lead", who, project.client.engagement == "dedicated")
    monthly = tuple((cell(t["task"], "bold"), cell(t["check"]), cell(t["red_flag"], "alert")) for t in plan["monthly"])
    quarterly = tuple((cell(t["task"], "bold"), cell(t["check"]), cell(t["action"])) for t in plan["quarterly"])
    return (
        Slide(
            TABLE,
            words("monthly_title", len(monthly)),
            words("schedule_notes", "monthly", len(monthly), who),
            topic=words("monthly_topic"),
            section="maintenance",
            lead=lead,
            table=Table(words.cells("monthly_columns"), (3, 5, 4), monthly),
        ),
        Slide(
            TABLE,
            words("quarterly_title", len(quarterly)),
            words("schedule_notes", "quarterly", len(quarterly), who),
            topic=words("quarterly_topic"),
            section="maintenance",
            lead=lead,
            table=Table(words.cells("quarterly_columns"), (3, 5, 4), quarterly),
        ),
    )


def _after_launch(project: Project, words: Words) -> Slide:
    launch = long_date(project.client.launch_date) if project.client.launch_date else ""
    paras = [para(line) for line in words("launch_checks").splitlines()]
    paras.append(para(words("launch_owner", owner(project), launch), "bold"))
    return Slide(
        BULLETS,
        words("launch_title"),
        words("launch_notes"),
        topic=words("launch_topic"),
        section="maintenance",
        paras=tuple(paras),
    )


def _questions(project: Project, words: Words) -> Slide:
    """The questions-and-answers block: what to ask about before the lifecycle changes hands."""
    paras = [para(words("questions_intro"), "bold")]
    paras += [para(line, level=1) for line in words("questions_prompts", project.client.crm).splitlines()]
    paras.append(para(words("questions_after")))
    return Slide(
        BULLETS,
        words("questions_title"),
        words("questions_notes"),
        topic=words("questions_topic"),
        section="questions",
        paras=tuple(paras),
    )


def _triggers(plan: dict[str, list[dict[str, str]]], words: Words) -> Slide:
    rows = tuple((cell(t["trigger"], "bold"), cell(t["threshold"]), cell(t["response"])) for t in plan["triggers"])
    return Slide(
        TABLE,
        words("triggers_title", len(rows)),
        words("triggers_notes", len(rows)),
        topic=words("triggers_topic"),
        section="close",
        table=Table(words.cells("triggers_columns"), (4, 3, 5), rows),
    )


def _escalation(project: Project, words: Words) -> Slide:
    style = {"Architect": "bold", "Specialist": "accent"}
    rows = tuple((cell(a), cell(b, style.get(b, "bold")), cell(c)) for a, b, c in words.rows("escalation_rows"))
    return Slide(
        TABLE,
        words("escalation_title"),
        words("escalation_notes"),
        topic=words("escalation_topic"),
        section="close",
        lead=words("escalation_lead", project.architect),
        table=Table(words.cells("escalation_columns"), (6, 2.5, 4), rows),
    )


def _callback(project: Project, plan: dict[str, list[dict[str, str]]], words: Words) -> Slide:
    done = final_ready(project)
    paras = [para(words("callback_intro"), "bold")]
    paras += [para(words("callback_trigger", t["trigger"], t["threshold"]), level=1) for t in plan["triggers"]]
    paras += [para(line, level=1) for line in words("callback_standard").splitlines()]
    paras.append(para(words("callback_checkin", project.client.engagement == "dedicated")))
    return Slide(
        BULLETS,
        words("callback_title", done),
        words("callback_notes", done),
        topic=words("callback_topic"),
        section="close",
        paras=tuple(paras),
    )


render = render_deck
