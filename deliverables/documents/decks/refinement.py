"""Refinement deck (.pptx, versions above 0): what changed, what is still assumed and the next meeting's focus."""

from __future__ import annotations

from deliverables.backends.slides.model import BULLETS, Deck, Slide, para
from deliverables.core.context import Context
from deliverables.core.model import Project
from deliverables.documents.decks.common import (
    DECK_CONSUMES,
    DECK_EXTERNAL,
    Words,
    diagram_slide,
    meeting_people,
    questions_slide,
    render_deck,
    title_slide,
)

NAME = "refinement-deck"
SUFFIXES = (".pptx",)
DESCRIPTION = "Refinement deck: changes since the previous version, items still ASSUMED by stakeholder, the next meeting's focus (PowerPoint)."
CONSUMES = DECK_CONSUMES
EXTERNAL = DECK_EXTERNAL


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes: none before kickoff (version 0)."""
    return (f"refinement-deck-v{project.version}.pptx",) if project.version > 0 else ()


def view(project: Project, ctx: Context) -> Deck | None:
    """Every slide of the refinement deck, or None for version 0."""
    if project.version == 0:
        return None
    from deliverables.documents.decks.changes import changes_slide

    words, common = Words(ctx, "refinement"), Words(ctx, "common")
    slides = tuple(
        slide
        for slide in (
            title_slide(project, ctx, words, common),
            changes_slide(ctx, common),
            diagram_slide(project, common, words("diagram_title", project.version)),
            questions_slide(project, common, words("questions_title")),
            _focus(project, words, common),
        )
        if slide is not None
    )
    footer = common("footer", project.client.name, words("deck_name"), project.version, ctx.date.isoformat())
    return Deck(files(project)[0], words("title", project.client.name), project.architect, footer, slides)


def _focus(project: Project, words: Words, common: Words) -> Slide:
    key = project.meeting
    paras = [
        para(words("focus_label"), "bold"),
        para(common("meeting_focus", key), level=1),
        para(words("people_label"), "bold"),
        para(meeting_people(project, key, common), level=1),
        para(words("output_label"), "bold"),
        para(common("meeting_output", key), level=1),
        para(words("remaining", project.assumed_count()), "assumed" if project.assumed_count() else ""),
    ]
    if key == "refinement-2":
        paras.append(para(words("edge_cases")))
    return Slide(BULLETS, words("focus_title", common("meeting_name", key)), words("focus_notes"), paras=tuple(paras))


render = render_deck
