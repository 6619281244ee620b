"""Refinement deck (.pptx, versions above 0): this meeting's focus, what changed, what is still assumed, next steps."""

from __future__ import annotations

from deliverables.backends.slides.model import BULLETS, Deck, Slide, para
from deliverables.core.context import Context
from deliverables.core.model import Project
from deliverables.documents.decks.agenda import assemble
from deliverables.documents.decks.architecture import architecture_slides
from deliverables.documents.decks.common import (
    DECK_CONSUMES,
    DECK_EXTERNAL,
    Words,
    assumed_items,
    footer,
    meeting_people,
    next_steps,
    questions_slide,
    render_deck,
    send_next,
    title_slide,
)
from deliverables.documents.words import due
from deliverables.documents.words.due import meeting_after, meetings_after

NAME = "refinement-deck"
SUFFIXES = (".pptx",)
DESCRIPTION = "Refinement deck: the meeting's focus, changes since the previous version, items still ASSUMED by stakeholder, next steps (PowerPoint)."
CONSUMES = DECK_CONSUMES
EXTERNAL = DECK_EXTERNAL


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes: none before kickoff (version 0)."""
    return (f"refinement-deck-v{project.version}.pptx",) if project.version > 0 else ()


def view(project: Project, ctx: Context) -> Deck | None:
    """Every slide of the refinement deck, or None for version 0: this meeting's focus,
    the changes, the architecture, the open items, then the next steps and the next meeting."""
    if project.version == 0:
        return None
    words, common = Words(ctx, "refinement"), Words(ctx, "common")
    from deliverables.documents.decks.changes import changes_slide

    body = [_focus(project, words, common)]
    body += [slide for slide in (changes_slide(ctx, common, "changes"),) if slide is not None]
    body += architecture_slides(project, common, "architecture")
    body += [questions_slide(project, common, "open-items"), _next(project, words, common)]
    head = [title_slide(project, ctx, words, common, upcoming=True)]
    settled = project.assumed_count() == 0
    slides, sections = assemble(words, head, body, project.version, due.next_meeting_on(project, ctx), settled)
    name = files(project)[0]
    return Deck(
        name, words("title", project.client.name), project.architect, footer(project, words, common), slides, sections
    )


def _focus(project: Project, words: Words, common: Words) -> Slide:
    """What this meeting settles, who attends and what it produces."""
    key, assumed = project.meeting, project.assumed_count()
    paras = [
        para(words("focus_label"), "bold"),
        para(common("meeting_focus", key), level=1),
        para(words("people_label"), "bold"),
        para(meeting_people(project, key, common), level=1),
        para(words("output_label"), "bold"),
        para(common("meeting_output", key), level=1),
        para(words("remaining", assumed), "assumed" if assumed else ""),
    ]
    if key == "refinement-2":
        paras.append(para(words("edge_cases")))
    return Slide(
        BULLETS,
        words("focus_title", common("meeting_name", key), assumed),
        words("focus_notes", assumed),
        topic=words("focus_topic"),
        section="focus",
        paras=tuple(paras),
    )


def _next(project: Project, words: Words, common: Words) -> Slide:
    """Who does what before the next meeting, and that meeting's focus and attendees."""
    later = meetings_after(project)
    steps = next_steps(project, common)
    people = sum(1 for key in assumed_items(project, common) if key)
    paras = [para(words("next_version", project.version + 1, send_next(project, common)))]
    if steps:
        paras += [para(common("next_steps_heading"), "bold"), *steps]
    after = meeting_after(project)  # the handoff too, after the final review
    if after:
        paras += [
            para(words("after_label", common("meeting_name", after), due.next_day(project)), "bold"),
            para(common("meeting_focus", after), level=1),
            para(words("after_people", meeting_people(project, after, common)), level=1),
        ]
    meeting = common("meeting_name", later[0]) if later else ""
    return Slide(
        BULLETS,
        words("next_title", project.version + 1, people, meeting, due.next_day(project)),
        words("next_notes", people, meeting, due.next_day(project) if meeting else ""),
        topic=words("next_topic"),
        section="next-steps",
        paras=tuple(paras),
    )


render = render_deck
