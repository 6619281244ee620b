"""Recognise a CRM export by its header row: which column holds the id, the current
stage value, the pipeline, the creation date and the date each stage was entered.

Known shapes, without configuration:

- HubSpot record exports (one row per record), with labels or internal names as
  headers: `Record ID`/`hs_object_id`, `Lifecycle Stage`, `Deal Stage`,
  `Lead Status`, ticket `Pipeline Stage`, `Became a <label> Date`
  (`hs_lifecyclestage_<value>_date`) and `Date entered "<stage> (<pipeline>)"`
  (`hs_v2_date_entered_<value>`, `hs_date_entered_<value>`);
- Salesforce report exports of records (`Lead ID`/`Opportunity ID`/`Id`,
  `Lead Status`/`Stage`/`Opportunity Stage`/`StageName`, `Created Date`) and of field history (one
  row per change: id, `Field/Event`, `Old Value`, `New Value`, `Edit Date`);
- Pipedrive deal exports, each column named after its item type: `Deal - ID`,
  `Deal - Stage` (the stage's name, API field `stage_id`), `Deal - Status`
  (open, won, lost), `Deal - Pipeline` and `Deal - Deal created`.

Anything else is described by an explicit `columns:` mapping. Pure Python: no
data library is imported here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from deliverables.core.model import AuditColumns

LETTERS_AND_DIGITS = (
    "a-z0-9"
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff"  # Latin letters with accents (not × ÷, nor combining marks)
    "\u0370-\u1fff\u2c00-\u2dff\u2e80-\u2fff"  # Greek, Cyrillic and the scripts of Asia and Africa
    "\u3040-\u30fa\u30fc-\ud7ff\uf900-\ufdff\ufe70-\ufefe"  # kana (not its middle dot), CJK, Hangul
    "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff66-\uffef"  # full-width letters and digits, half-width kana
    "\U00010000-\U0001efff\U00020000-\U0010ffff"  # beyond the emoji
)
NOT_KEPT = f"[^{LETTERS_AND_DIGITS}]"
"""What `key` removes after lower-casing: spaces (no-break and ideographic ones too),
punctuation and symbols. Written with literal characters in plain ranges, so that
Python, DuckDB (RE2) and PostgreSQL read the one pattern alike: a value in Japanese,
Greek or Cyrillic keeps its letters instead of matching everything else so written."""


def key(text: str) -> str:
    """The matching form of a value, label, name or header: lower case, letters and digits only."""
    # Character by character, as SQL's lower() does it (no final sigma by context).
    return re.sub(NOT_KEPT, "", "".join(c.lower() for c in text))


@dataclass(frozen=True)
class DateColumn:
    """A column holding the date a record entered one stage, named by value or label."""

    column: str
    field: str
    stage: str
    """The stage's value, label or name as the header gives it (or a stage id for `columns:`)."""
    pipeline: str | None = None
    by_id: bool = False


@dataclass(frozen=True)
class Layout:
    """What each column of an export holds."""

    format: str
    id: str
    current: tuple[tuple[str, str], ...] = ()
    """(column, CRM field) of each current-value column."""
    pipeline: str | None = None
    created: str | None = None
    created_is_entry: bool = False
    """Salesforce: the creation date is the entry date of the object's first stage."""
    dates: tuple[DateColumn, ...] = ()
    history: tuple[str | None, str, str] | None = None
    """History exports: (field column or None, new-value column, change-date column)."""
    history_field: str | None = None
    """History exports without a field column: the field every row changes."""
    columns_used: tuple[str, ...] = field(default=())


HUBSPOT_IDS = ("Record ID", "hs_object_id")
HUBSPOT_CURRENT = {
    "lifecyclestage": "lifecyclestage",
    "dealstage": "dealstage",
    "leadstatus": "hs_lead_status",
    "hsleadstatus": "hs_lead_status",
    "pipelinestage": "hs_pipeline_stage",
    "hspipelinestage": "hs_pipeline_stage",
    "ticketstatus": "hs_pipeline_stage",
}
HUBSPOT_PIPELINES = ("Pipeline", "pipeline", "hs_pipeline")
HUBSPOT_CREATED = ("Create Date", "createdate", "Created Date")
SALESFORCE_IDS = ("Lead ID", "Opportunity ID", "Contact ID", "Account ID", "Case ID", "Id", "ID")
SALESFORCE_CURRENT = {
    "leadstatus": "Status",
    "status": "Status",
    "stage": "StageName",
    "stagename": "StageName",
    "opportunitystage": "StageName",
}
SALESFORCE_CREATED = ("Created Date", "CreatedDate", "Create Date")
PIPEDRIVE_IDS = ("Deal - ID",)
PIPEDRIVE_CURRENT = {"dealstage": "stage_id", "dealstatus": "status"}
"""Pipedrive's columns (by key) -> the API field of the deal they hold."""
PIPEDRIVE_PIPELINES = ("Deal - Pipeline",)
PIPEDRIVE_CREATED = ("Deal - Deal created",)
HISTORY_IDS = ("Opportunity ID", "Lead ID", "OpportunityId", "LeadId", "Contact ID", "Case ID", "Id")
HISTORY_FIELD = ("Field/Event", "Field")
HISTORY_NEW = ("New Value", "NewValue")
HISTORY_DATE = ("Edit Date", "CreatedDate", "Created Date")
FIELD_ALIASES = {
    "stage": "StageName",
    "opportunitystage": "StageName",
    "leadstatus": "Status",
    "status": "Status",
    "stagename": "StageName",
}
"""History `Field/Event` values -> the Salesforce field they name."""

_BECAME = re.compile(r"^became an? (.+) date$", re.IGNORECASE)
_LIFECYCLE_DATE = re.compile(r"^hs_lifecyclestage_(.+)_date$")
_ENTERED_LABEL = re.compile(r'^date entered ["“](.+?)(?: \((.+)\))?["”]$', re.IGNORECASE)
_ENTERED_VALUE = re.compile(r"^hs_(?:v2_)?date_entered_(.+)$")


class UnknownFormat(Exception):
    """A header row no known export shape matches."""


def _first(header: tuple[str, ...], names: tuple[str, ...]) -> str | None:
    by_key = {key(h): h for h in reversed(header)}
    return next((by_key[key(n)] for n in names if key(n) in by_key), None)


def recognise(header: tuple[str, ...], kind: str) -> Layout:
    """The layout of an export from its header row (UnknownFormat when none fits)."""
    if kind == "history":
        return _salesforce_history(header)
    layout = _hubspot(header) or _salesforce(header) or _pipedrive(header)
    if layout is None:
        raise UnknownFormat(
            "its header row matches no known export "
            "(HubSpot, Salesforce or Pipedrive records with an id and a stage column)"
        )
    return layout


def _hubspot(header: tuple[str, ...]) -> Layout | None:
    ident = _first(header, HUBSPOT_IDS)
    if ident is None:
        return None
    current = tuple((h, HUBSPOT_CURRENT[key(h)]) for h in header if key(h) in HUBSPOT_CURRENT)
    stage_field = next((f for _, f in current if f != "hs_lead_status"), current[0][1] if current else "")
    dates = []
    for h in header:
        if (m := _BECAME.match(h.strip())) or (m := _LIFECYCLE_DATE.match(h.strip())):
            dates.append(DateColumn(h, "lifecyclestage", m.group(1)))
        elif m := _ENTERED_LABEL.match(h.strip()):
            dates.append(DateColumn(h, stage_field, m.group(1), m.group(2)))
        elif m := _ENTERED_VALUE.match(h.strip()):
            dates.append(DateColumn(h, stage_field, m.group(1)))
    if not current and not dates:
        return None
    return Layout(
        "HubSpot records",
        ident,
        current,
        _first(header, HUBSPOT_PIPELINES),
        _first(header, HUBSPOT_CREATED),
        dates=tuple(dates),
    )


def _salesforce(header: tuple[str, ...]) -> Layout | None:
    ident = _first(header, SALESFORCE_IDS)
    current = tuple((h, SALESFORCE_CURRENT[key(h)]) for h in header if key(h) in SALESFORCE_CURRENT)
    if ident is None or not current:
        return None
    return Layout("Salesforce records", ident, current[:1], None, _first(header, SALESFORCE_CREATED), True)


def _pipedrive(header: tuple[str, ...]) -> Layout | None:
    """A Pipedrive deal export: `Deal - ID` and `Deal - Stage` at least. A deal is created
    in any stage of its pipeline, so its creation dates no stage."""
    ident = _first(header, PIPEDRIVE_IDS)
    current = tuple((h, PIPEDRIVE_CURRENT[key(h)]) for h in header if key(h) in PIPEDRIVE_CURRENT)
    if ident is None or not any(f == "stage_id" for _, f in current):
        return None
    pipeline, created = _first(header, PIPEDRIVE_PIPELINES), _first(header, PIPEDRIVE_CREATED)
    return Layout("Pipedrive deals", ident, current, pipeline, created)


def _salesforce_history(header: tuple[str, ...]) -> Layout:
    ident, new, date = _first(header, HISTORY_IDS), _first(header, HISTORY_NEW), _first(header, HISTORY_DATE)
    if ident is None or new is None or date is None:
        raise UnknownFormat("its header row is not a field history export (an id, `New Value` and `Edit Date` columns)")
    return Layout("Salesforce field history", ident, history=(_first(header, HISTORY_FIELD), new, date))


def explicit(columns: AuditColumns, kind: str) -> Layout:
    """The layout an explicit `columns:` mapping describes."""
    dates = tuple(DateColumn(column, columns.field or "", stage, by_id=True) for stage, column in columns.dates.items())
    if kind == "history":
        history = (columns.changed_field, columns.new_value or "", columns.changed_at or "")
        return Layout("columns", columns.id or "", history=history, history_field=columns.field)
    current = ((columns.current, columns.field or columns.current),) if columns.current else ()
    return Layout("columns", columns.id or "", current, columns.pipeline, columns.created, dates=dates)


COLUMN_KEYS = ("id", "current", "pipeline", "created", "changed_field", "new_value", "changed_at")
"""Keys of `columns:` that name a column of the export."""


def history_field(value: str) -> str:
    """The CRM field a history row's `Field/Event` names (`Stage` -> `StageName`)."""
    return FIELD_ALIASES.get(key(value), value)
