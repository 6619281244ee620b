"""The talk track of a training deck: a timed script, block by block, from the slides' notes."""

from __future__ import annotations

from deliverables.backends.slides.model import Deck, Slide
from deliverables.core.dates import long_date
from deliverables.core.enablement import Session
from deliverables.documents.decks.common import Words
from deliverables.documents.words.templates import md


def talk_track(deck: Deck, session: Session, words: Words) -> str:
    """Markdown: per agenda block its minutes, then each slide's title and what to say, ask and decide."""
    agenda = deck.slides[1]
    times = {row[1][0][0]: row[0][0][0] for row in agenda.table.rows} if agenda.table else {}
    date = long_date(session.date) if session.date else ""
    lines = [f"# {md(words('track_title', session.team))}", ""]
    lines += [md(words("track_intro", session.minutes, session.kind, date, session.trainer)), ""]
    blocks: dict[str, list] = {}
    for slide in deck.slides:
        blocks.setdefault(slide.section or next(iter(times), ""), []).append(slide)
    for label, slides in blocks.items():
        lines += [f"## {times.get(label, '')} min · {md(label)}", ""]
        for slide in slides:
            lines += [f"**{md(words('track_slide', slide.title))}**", ""]
            screen = _screen(slide)
            if screen:
                lines += [md(words("track_screen")), "", *screen, ""]
            lines += [f"- {md(line)}" for line in slide.notes.splitlines() if line.strip()]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _screen(slide: Slide) -> list[str]:
    """What the slide shows, as a nested list: its bullets, or its table rows."""
    if slide.table is not None and slide.section not in ("", None):
        return [f"- {' — '.join(md(_text(c)) for c in row)}" for row in slide.table.rows]
    return [f"{'  ' * p.level}- {md(_text(p.runs))}" for p in slide.paras]


def _text(runs) -> str:
    return "".join(text for text, _ in runs)
