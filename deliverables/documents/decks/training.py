"""Training decks (.pptx) and talk tracks (.md), one per audience: why, what changes,
the team's stages with entry criteria and hand-offs, the CRM fields it touches,
scenarios from its own criteria, common mistakes, and where to ask."""

from __future__ import annotations

from typing import Any

from deliverables.backends.slides.model import TITLE, Deck, Slide
from deliverables.core import enablement
from deliverables.core.context import Context
from deliverables.core.crmfields import Fields
from deliverables.core.dates import long_date
from deliverables.core.enablement import Session
from deliverables.core.model import Project
from deliverables.core.teams import stage_teams
from deliverables.documents.decks.agenda import assemble
from deliverables.documents.decks.common import Words
from deliverables.documents.decks.talktrack import talk_track
from deliverables.documents.decks.trainingparts import Parts
from deliverables.documents.words import data as tdata

NAME = "training"
SUFFIXES = (".pptx", ".md")
DESCRIPTION = (
    "Training decks and talk tracks: one session per team with its stages, CRM fields, scenarios"
    " and common mistakes, and a timed script for each (PowerPoint and Markdown)."
)
CONSUMES = ()
EXTERNAL = ("base.pptx",)
WEIGHTS = {
    "end-user": {"why": 2, "changes": 3, "stages": 9, "fields": 3, "scenarios": 7, "mistakes": 3, "questions": 3},
    "technical": {"why": 2, "changes": 3, "stages": 9, "fields": 3, "scenarios": 7, "mistakes": 3, "questions": 3},
    "leadership": {"why": 3, "stages": 7, "metrics": 9, "flags": 7, "questions": 4},
}
"""Share of a session per agenda block, by session type: at 30 minutes, exactly these minutes."""


def files(project: Project) -> tuple[str, ...]:
    """A deck and a talk track per audience owning stages."""
    names = []
    for session in _sessions(project):
        names += [
            f"training-{session.slug}-v{project.version}.pptx",
            f"talk-track-{session.slug}-v{project.version}.md",
        ]
    return tuple(names)


def _sessions(project: Project) -> tuple[Session, ...]:
    return tuple(s for s in enablement.sessions(project) if s.stages)


def view(project: Project, ctx: Context) -> dict[str, Any]:
    """Every audience's deck and talk track."""
    for session in enablement.sessions(project):
        if not session.stages and session.index is not None:
            ctx.warn(
                ("enablement", "audiences", session.index, "team"),
                f"no stage belongs to the team '{session.department}': no training deck is made for it",
            )
    words, common = Words(ctx, "training"), Words(ctx, "common")
    fields = Fields(project, tdata.load(ctx, "crm/defaults.yaml"), tdata.load(ctx, "measures/framework.yaml"))
    parts = Parts(project, words, fields, stage_teams(project))
    parts.framework = tdata.load(ctx, "measures/framework.yaml")
    parts.maintenance = tdata.load(ctx, "maintenance/standard.yaml")
    decks, tracks = [], {}
    for session in _sessions(project):
        deck = _deck(project, session, words, common, parts)
        decks.append(deck)
        tracks[f"talk-track-{session.slug}-v{project.version}.md"] = talk_track(deck, session, words)
    return {"decks": decks, "tracks": tracks}


def split(minutes: int, kind: str = "end-user") -> dict[str, int]:
    """The session's minutes per agenda block, scaled from its type's `WEIGHTS`; questions take
    the remainder; a block the type does not hold gets none (and shows no slide)."""
    weights = WEIGHTS[kind]
    total = sum(weights.values())
    shares = dict.fromkeys(WEIGHTS["end-user"], 0) | {"metrics": 0, "flags": 0}
    shares |= {key: max(1, round(w * minutes / total)) for key, w in weights.items() if key != "questions"}
    shares["questions"] = max(1, minutes - sum(v for k, v in shares.items() if k != "questions"))
    return shares


def _deck(project: Project, session: Session, words: Words, common: Words, parts: Parts) -> Deck:
    date = long_date(session.date) if session.date else ""
    head = Slide(
        TITLE,
        words("title", project.client.name, session.team),
        words("title_notes", session.team, session.minutes, len(session.stages)),
        subtitle=words("subtitle", session.minutes, session.kind, date, session.trainer),
    )
    if session.kind == "leadership":
        body = [parts.why(session), *(parts.stage(session, stage) for stage in session.stages)]
        body += [parts.metrics(), parts.flags(), parts.help(session)]
    else:
        body = [parts.why(session), parts.changes(session)]
        body += [parts.stage(session, stage) for stage in session.stages]
        body += [parts.fields_slide(session), parts.field_map(session)]
        body += [parts.scenarios(session), parts.mistakes(session), parts.help(session)]
    body = [slide for slide in body if slide is not None]
    slides, sections = assemble(words, [head], body, split(session.minutes, session.kind))
    name = f"training-{session.slug}-v{project.version}.pptx"
    deck_name = words("deck_name", session.team)
    return Deck(
        name,
        words("title", project.client.name, session.team),
        project.architect,
        common("footer", project.client.name, deck_name, project.version),
        slides,
        sections,
    )


def render(view: dict[str, Any], ctx: Context) -> dict[str, bytes]:
    """Each audience's deck and its talk track."""
    from deliverables.backends.slides.build import build

    out = {deck.file: build(deck, ctx, {}) for deck in view["decks"]}
    out.update({name: text.encode("utf-8") for name, text in view["tracks"].items()})
    return out
