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


def changes_slide(ctx: Context, common: Words) -> Slide | None:
    """What changed since the previous version; None (and a build warning) when it is unknown."""
    found = since_previous(ctx)
    if found is None:
        return None
    project, (previous, changes) = ctx.project, found
    columns = common.cells("changes_columns")
    rows = tuple((cell(c.subject, "bold"), cell(c.summary), detail_runs(c)) for c in changes)
    confirmed = sum(c.kind == "status-changed" and c.summary.endswith("CONFIRMED") for c in changes)
    table = Table(columns, (3, 3, 5), rows, empty=common("changes_none", previous.version, project.version), group=True)
    lead = common("changes_lead", len(rows), previous.version, project.version) if rows else ""
    notes = common("changes_notes", len(rows), confirmed)
    return Slide(TABLE, common("changes_title", previous.version), notes, lead=lead, table=table)
