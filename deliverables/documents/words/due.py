"""When next steps are due: the next meeting (with its date when the client file gives
one), else the sign-off. Shared by the decks and the Definition Alignment Document; the
wording lives in `templates/next-steps.j2`."""

from __future__ import annotations

from deliverables.core.context import Context
from deliverables.core.dates import long_date
from deliverables.core.model import Project
from deliverables.documents.words import templates as wording

MEETINGS = ("kickoff", "refinement-1", "refinement-2", "final-review", "handoff")
"""The engagement's meetings in order."""


def meeting_name(key: str) -> str:
    """`refinement-1` -> `Refinement 1`."""
    return key.replace("-", " ").capitalize()


def meetings_after(project: Project) -> tuple[str, ...]:
    """The meetings still to come after this version's meeting, up to the final review."""
    later = MEETINGS[MEETINGS.index(project.meeting) + 1 :]
    return tuple(m for m in later if m != "handoff")


def meeting_after(project: Project) -> str | None:
    """The key of the meeting after this version's (the handoff after the final review), or None after the handoff."""
    index = MEETINGS.index(project.meeting) + 1
    return MEETINGS[index] if index < len(MEETINGS) else None


def next_day(project: Project) -> str:
    """The next meeting's date in the house long style, or "" when the file gives none."""
    return long_date(project.next_meeting) if project.next_meeting is not None else ""


def _macros(ctx: Context) -> wording.Macros:
    return wording.Macros(ctx, "next-steps.j2")


def due_point(project: Project, ctx: Context) -> str:
    """`by 4 December 2026 (Refinement 2)`, else `before the Refinement 2 meeting`; after the
    last meeting before sign-off: `before sign-off`, with the date when known."""
    later, day, words = meetings_after(project), next_day(project), _macros(ctx)
    return words("due_meeting", meeting_name(later[0]), day) if later else words("due_signoff", day)


def next_meeting(project: Project) -> str:
    """The name of the meeting after this version's (`Refinement 2`), or "" after the handoff."""
    index = MEETINGS.index(project.meeting) + 1
    return meeting_name(MEETINGS[index]) if index < len(MEETINGS) else ""


def next_meeting_on(project: Project, ctx: Context) -> str:
    """`Refinement 2 on 4 December 2026` when the client file dates the next meeting, else ""."""
    name, day = next_meeting(project), next_day(project)
    return _macros(ctx)("meeting_on", name, day) if name and day else ""


def next_meeting_line(project: Project, ctx: Context) -> str:
    """`Next meeting: Refinement 2 on 4 December 2026` for a cover, or "" when it is not dated."""
    upcoming = next_meeting_on(project, ctx)
    return _macros(ctx)("next_line", upcoming) if upcoming else ""


def at_next(project: Project, ctx: Context) -> str:
    """`the Refinement 2 meeting on 4 December 2026` when the next meeting is dated, else `the next meeting`."""
    return _macros(ctx)("at_next", next_meeting(project), next_day(project))


def send_next(project: Project, ctx: Context) -> str:
    """When the next version reaches the client: ahead of the next meeting, on its date when known."""
    return _macros(ctx)("send_next", next_meeting(project), next_day(project))


def answer_by(project: Project, ctx: Context) -> str:
    """`by 4 December 2026`, else `by the next meeting`."""
    return _macros(ctx)("answer_by", next_day(project))


def open_items_due(project: Project, ctx: Context) -> str:
    """The sentence a list of open items ends with when the next meeting has a date, else ""."""
    return _macros(ctx)("open_items_due", due_point(project, ctx)) if project.next_meeting is not None else ""
