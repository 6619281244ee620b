"""The agenda of a deck, built from the slides it shows.

A deck's template lists its meeting's sections with their minutes. Slides
name the section they belong to; a section with no slide is left off the
agenda and its minutes go to the deck's open-discussion section, which is
always listed, so the timings still add up to the meeting's length. The same
sections drive the tracker on every content slide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from deliverables.backends.slides.model import BULLETS, TABLE, Slide, Table, cell
from deliverables.documents.decks.common import Words


@dataclass(frozen=True)
class Section:
    """One block of the meeting: its key, its name in the agenda and tracker, its minutes and purpose."""

    key: str
    label: str
    minutes: int
    purpose: str


def sections(words: Words, *args) -> tuple[Section, ...]:
    """The meeting's sections from the template's `agenda_rows` (key | minutes | label | purpose)."""
    return tuple(
        Section(key, label, int(minutes), purpose) for key, minutes, label, purpose in words.rows("agenda_rows", *args)
    )


def shown(plan: Sequence[Section], slides: Sequence[Slide], spare: str) -> tuple[Section, ...]:
    """The sections that have a slide (and the spare one), the others' minutes given to the spare."""
    used = {slide.section for slide in slides}
    kept = [s for s in plan if s.key in used or s.key == spare]
    freed = sum(s.minutes for s in plan if s not in kept)
    return tuple(replace(s, minutes=s.minutes + freed) if s.key == spare else s for s in kept)


def visible(slide: Slide) -> bool:
    """False for a slide with nothing to show (a table without rows, a flow without stages, no bullets)."""
    if slide.table is not None:
        return bool(slide.table.rows)
    if slide.flow is not None:
        return bool(slide.flow.steps)
    return slide.kind != BULLETS or bool(slide.paras)


def timings(blocks: Sequence[Section]) -> list[str]:
    """Each section's start and end in minutes from the start of the meeting ("0–20")."""
    out, start = [], 0
    for block in blocks:
        out.append(f"{start}–{start + block.minutes}")
        start += block.minutes
    return out


def assemble(
    words: Words, head: Sequence[Slide], body: Sequence[Slide], *args
) -> tuple[tuple[Slide, ...], tuple[str, ...]]:
    """The deck's slides with the agenda after `head`, each body slide's section named as the tracker shows it."""
    body = [slide for slide in body if visible(slide)]
    plan = sections(words, *args)
    blocks = shown(plan, body, words("agenda_spare"))
    labels = {s.key: s.label for s in blocks}
    rows = tuple((cell(t, "bold"), cell(b.label, "bold"), cell(b.purpose)) for t, b in zip(timings(blocks), blocks))
    minutes = sum(b.minutes for b in blocks)
    table = Table(words.cells("agenda_columns"), (1.3, 3, 7.5), rows)
    agenda = Slide(
        TABLE,
        words("agenda_title", minutes, len(blocks), *args),
        words("agenda_notes", minutes, *args),
        topic=words("agenda_topic", minutes),
        table=table,
    )
    named = tuple(replace(slide, section=labels.get(slide.section, "")) for slide in body)
    return (*head, agenda, *named), tuple(b.label for b in blocks)
