"""Slides more than one deck shows, built as plain data from the model.

Wording comes from Jinja macros in `templates/decks/*.j2` (a client theme may
override them); grouping and order are decided here. No office library.
"""

from __future__ import annotations

from typing import Any

from deliverables.backends.slides.model import TABLE, TITLE, Deck, Para, Slide, Table, cell, flagged, para
from deliverables.core.context import Consumes, Context
from deliverables.core.dates import shown_date
from deliverables.core.model import Project
from deliverables.documents.words import due, grammar
from deliverables.documents.words import templates as wording

DECK_CONSUMES = (Consumes("diagram", ".png"),)
"""Every deck shows the architecture diagram: the diagram's own PNG."""
DECK_EXTERNAL = ("base.pptx",)

UNASSIGNED = ""
"""Group key of ASSUMED items nobody is named to confirm; listed last."""

# Who attends which meeting, by department, following the playbook's meeting
# structure; the first RevOps stakeholder stands for "VP RevOps".
MEETING_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "refinement-1": ("marketing", "sales", "sdr", "bdr"),
    "refinement-2": ("cs", "support"),
}


class Words:
    """The macros of one deck wording template, called by name; each call goes through
    the wording guard (a theme's macro that fails, loops or floods is an error naming
    its file and line)."""

    def __init__(self, ctx: Context, name: str):
        self.name, self.ctx = name, ctx
        self.macros = wording.Macros(ctx, f"decks/{name}.j2")

    def __call__(self, macro: str, *args: Any, **kwargs: Any) -> str:
        """The macro's text, each line stripped, blank lines at the ends dropped."""
        text = self.macros(macro, *args, **kwargs)
        return "\n".join(line.strip() for line in text.strip().splitlines())

    def cells(self, macro: str, *args: Any) -> tuple[str, ...]:
        """A " | "-separated line of our own wording split into cells."""
        return tuple(part.strip() for part in self(macro, *args).split(" | "))

    def rows(self, macro: str, *args: Any) -> tuple[tuple[str, ...], ...]:
        """One row of cells per line."""
        return tuple(tuple(p.strip() for p in line.split(" | ")) for line in self(macro, *args).splitlines() if line)


def title_slide(project: Project, ctx: Context, words: Words, common: Words, upcoming: bool = False) -> Slide:
    """The opening slide: deck title, version, date and architect; with `upcoming`, for a
    deck that leads up to the next meeting, that meeting's date when the file gives it."""
    subtitle = common("subtitle", project.version, shown_date(project), project.architect)
    line = due.next_meeting_line(project, ctx) if upcoming else ""
    subtitle += f"\n{line}" if line else ""
    return Slide(
        TITLE,
        words("title", project.client.name),
        words("title_notes", project.client.name, project.version),
        subtitle=subtitle,
    )


def footer(project: Project, words: Words, common: Words) -> str:
    """The footer of every content slide: client, deck and version."""
    return common("footer", project.client.name, words("deck_name"), project.version)


def _party_order(project: Project) -> list[str]:
    return [s.id for s in project.stakeholders]


def assumed_items(project: Project, common: Words) -> dict[str, list[tuple[str, tuple, tuple, str]]]:
    """Every ASSUMED stage and term as (kind, item, what to settle, plain name) rows, by who must confirm it."""
    groups: dict[str, list[tuple[str, tuple, tuple, str]]] = {}
    for stage in project.flow():
        if stage.status == "assumed":
            item = flagged(common("stage_item", project.domain_title(stage.domain), stage.label), "", stage.golden)
            what = stage.notes or "; ".join(stage.entry) or common("no_criteria")
            row = ("stage", item, cell(what), stage.name)
            groups.setdefault(project.confirmer(stage) or UNASSIGNED, []).append(row)
    for term in project.terms:
        if term.status != "assumed":
            continue
        waiting = {who: state for who, state in term.approvals.items() if state != "approved"} or {UNASSIGNED: ""}
        for who, state in waiting.items():
            note = common("term_rejected") if state == "rejected" else common("term_pending") if state else ""
            what = cell(term.definition) + ((f" ({note})", "assumed" if state == "rejected" else "muted"),) * bool(note)
            groups.setdefault(who, []).append(("term", cell(common("term_item", term.term)), what, term.term))
    return _ordered(project, groups)


def next_milestone(project: Project, common: Words) -> str:
    """What the next steps are due by: the next meeting, else the sign-off; with its date when known."""
    return due.due_point(project, common.ctx)


def send_next(project: Project, common: Words) -> str:
    """When the next version reaches the client: ahead of the next meeting, on its date when known."""
    return due.send_next(project, common.ctx)


def answer_by(project: Project, common: Words) -> str:
    """By when the people named answer: the next meeting's date when known."""
    return due.answer_by(project, common.ctx)


def next_steps(project: Project, common: Words) -> list[Para]:
    """One line per person with open items: what they confirm or approve, and by when;
    the items nobody is named for, once, last."""
    due, out = next_milestone(project, common), []
    for key, items in assumed_items(project, common).items():
        stages = [name for kind, _, _, name in items if kind == "stage"]
        terms = [name for kind, _, _, name in items if kind == "term"]
        if key:
            line = common(
                "next_step", party_label(project, key, common), _named(stages, "stage"), _named(terms, "term"), due
            )
            out.append(para(line, level=1))
        else:
            out.append(para(common("next_step_unassigned", len(items), due), "bold", level=1))
    return out


def _named(names: list[str], noun: str) -> str:
    """Up to three items by name (`A, B and C`), more by count (`5 stages`). Names are
    quoted when one of them holds an "and" of its own, so the list reads one way."""
    unique = list(dict.fromkeys(names))
    if not unique:
        return ""
    if len(unique) > 3:
        return grammar.count(len(unique), noun)
    if len(unique) > 1 and any(" and " in name or ", " in name for name in unique):
        unique = [f"\u201c{name}\u201d" for name in unique]
    return grammar.and_list(unique)


def _ordered(project: Project, groups: dict[str, list]) -> dict[str, list]:
    """Stakeholders in file order, other parties as first met, the unassigned last."""
    order = [p for p in _party_order(project) if p in groups]
    order += [p for p in groups if p not in order and p != UNASSIGNED]
    order += [UNASSIGNED] if UNASSIGNED in groups else []
    return {key: groups[key] for key in order}


def party_label(project: Project, key: str, common: Words) -> str:
    """Readable name of a group key: the person's name and title, or "owner to be named"."""
    return project.person_label(key) if key else common("unassigned")


def questions_slide(project: Project, common: Words, section: str) -> Slide:
    """Every ASSUMED item grouped by the stakeholder who must confirm it."""
    groups = assumed_items(project, common)
    rows = tuple(
        (cell(party_label(project, key, common), "bold"), item, what)
        for key, items in groups.items()
        for _, item, what, _ in items
    )
    count = project.assumed_count()
    people = sum(1 for key in groups if key != UNASSIGNED)
    table = Table(common.cells("questions_columns"), (2, 3, 5), rows, group=True)
    return Slide(
        TABLE,
        common("questions_title", count, people),
        common("questions_notes", count),
        topic=common("questions_topic"),
        section=section,
        lead=common("questions_lead") if rows else "",
        table=table,
    )


def meeting_people(project: Project, key: str, common: Words) -> str:
    """Names of the stakeholders who attend a meeting, from the file."""
    people = project.stakeholders
    if key in MEETING_DEPARTMENTS:
        revops = (
            [p for p in people if p.department == "revops"][:1]
            if key == "refinement-1"
            else [p for p in people if p.department == "revops"]
        )
        chosen = {p.id for p in revops} | {p.id for p in people if p.department in MEETING_DEPARTMENTS[key]}
        people = tuple(p for p in people if p.id in chosen)
    names = "; ".join(p.label for p in people)
    return names or common("to_be_named", common("meeting_roles", key))


def _when(name: str, day: str) -> tuple:
    """The meeting's name in bold, its date (when known) muted on the line below."""
    return ((name, "bold"),) + (((f"\n{day}", "muted"),) if day else ())


def meeting_row(project: Project, key: str, common: Words) -> tuple:
    """One row of a meeting plan: name (with its date for the next meeting, when known),
    focus, who attends, what it produces."""
    later = due.meetings_after(project)
    day = due.next_day(project) if later and key == later[0] else ""
    return (
        _when(common("meeting_name", key), day),
        cell(common("meeting_focus", key)),
        cell(meeting_people(project, key, common)),
        cell(common("meeting_output", key)),
    )


def render_deck(view: Deck | None, ctx: Context) -> dict[str, bytes]:
    """A deck's .pptx file (nothing for no deck), with the diagram's own PNG on its diagram slide."""
    if view is None:
        return {}
    from deliverables.backends.slides.build import build

    return {view.file: build(view, ctx, {"diagram": ctx.artefact("diagram", ".png")})}
