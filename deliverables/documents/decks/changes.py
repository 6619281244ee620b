"""The "Changes since vN-1" slide shared by the kickoff and refinement decks."""

from __future__ import annotations

from deliverables.backends.slides.model import TABLE, Slide, Table, cell
from deliverables.backends.text import Run
from deliverables.core.changes import Change, since_previous
from deliverables.core.context import Context
from deliverables.documents.decks.common import Words

# Word-diff segments as styled runs: removed text struck through, added in green.
_SEGMENT_STYLE = {"=": "", "-": "removed", "+": "added"}


def detail_runs(change: Change) -> tuple[Run, ...]:
    """The word diff of a change as styled runs; empty when it has none."""
    return tuple((text, _SEGMENT_STYLE[op]) for op, text in change.detail if text)


def changes_slide(ctx: Context, common: Words, section: str) -> Slide | None:
    """What changed since the previous version; None (and a build warning) when it is unknown."""
    found = since_previous(ctx)
    if found is None:
        return None
    previous, changes = found
    rows = tuple((cell(c.subject, "bold"), cell(c.summary), detail_runs(c)) for c in changes)
    confirmed = sum(c.kind == "status-changed" and c.summary.endswith("CONFIRMED") for c in changes)
    table = Table(common.cells("changes_columns"), (3, 3, 5), rows, group=True)
    return Slide(
        TABLE,
        common("changes_title", len(rows), previous.version, confirmed),
        common("changes_notes", len(rows), confirmed, previous.version),
        topic=common("changes_topic", previous.version),
        section=section,
        lead=common("changes_lead") if rows else "",
        table=table,
    )
