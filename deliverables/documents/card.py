"""Stage Reference Card (PDF): every stage, its entry criteria and the owner of
the transition, on exactly one printed page per file.

The view decides the wording, the order and the page size; the layout (columns,
type size, how far definitions are shortened) is searched in the PDF backend,
which fails with a clear error rather than spill onto a second page.

An architecture too large for one legible page (body type of at least 7 pt) is
split (`card.split`): one card per team (`core.teams`) with its stages in full
and the hand-offs into and out of them, and an overview card of every stage
name by domain. A team whose card still does not fit gets one card per domain
it works in, and a domain too long for one page is cut into parts.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from deliverables.core import marks, teams
from deliverables.core.context import Context
from deliverables.core.dates import shown_date
from deliverables.core.model import Project, Stage, department_title, slugify
from deliverables.documents.words import grammar

# A sentence ends at . ! or ? followed by a space and a capital letter, a digit
# or an opening quote/bracket: "e.g. a lead" or "3.5 points" do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[“‘]?[A-Z0-9À-ÞΑ-ΩА-Я])")


def first_sentence(text: str) -> str:
    """The text up to the end of its first sentence (the whole text if it has one)."""
    text = " ".join(text.split())
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def definition_levels(text: str) -> tuple[str, str]:
    """The whole definition and its first sentence (levels 0 and 1 of the card).

    Level 2, the first sentence cut to the words that fit one line of the
    column, depends on the layout and is made with `fit_words`. Stage names and
    entry criteria are never shortened.
    """
    whole = " ".join(text.split())
    return whole, first_sentence(whole)


NAME = "reference-card"
SUFFIXES = (".pdf",)
DESCRIPTION = "Stage Reference Card: every stage with entry criteria and owner on exactly one page (PDF)."
CONSUMES = ()
EXTERNAL = ()

NO_ENTRY = "No entry criteria defined yet"
UNASSIGNED = "Owner to be named"
TITLE = "Stage Reference Card"
LEGIBLE = 7.0
"""Smallest body size (pt) a card split by team is set in: below it the card splits."""
FLOOR = 6.5
"""Smallest body size (pt) of a card that never splits."""
OVERVIEW_NOTE = "Stage names only: each team's card lists its stages in full, with their entry criteria and owners."


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes for the project's version."""
    return tuple(card["file"] for card in cards(project))


def view(project: Project, ctx: Context) -> dict[str, Any]:
    """Every card file: title, domains with their stages in flow order, legend and footer."""
    _font_warnings(project, ctx)
    return {"cards": cards(project)}


def base_name(project: Project) -> str:
    """`stage-reference-card-v<N>`: the single card's (or the overview's) file name stem."""
    return f"stage-reference-card-v{project.version}"


def cards(project: Project) -> list[dict[str, Any]]:
    """The card views to print: the whole architecture on one card, or split by team
    (see the module docstring), each with the body size floor it is set at.

    Laid out once per project (the file names need the layout too): callers get
    their own copy."""
    found = project.derived.get("cards")
    if not isinstance(found, list):
        found = project.derived["cards"] = _laid_out(project)
    return copy.deepcopy(found)


def _laid_out(project: Project) -> list[dict[str, Any]]:
    whole = _card(project, project.flow(), f"{base_name(project)}.pdf", TITLE)
    split = project.card.split
    team_split = teams.team_split(project)
    if split == "never" or len(team_split) < 2 or (split == "auto" and _fits(whole, LEGIBLE)):
        single = [_set(whole, FLOOR if split == "never" else LEGIBLE if _fits(whole, LEGIBLE) else FLOOR)]
        return single if split == "never" else single + _training_cards(project, team_split)
    found = _overviews(project)
    for team, stages in team_split.items():
        found += _team_cards(project, team, stages)
    return found


def _training_cards(project: Project, team_split: dict[str, tuple[Stage, ...]]) -> list[dict[str, Any]]:
    """The cards of the teams `enablement.audiences` trains, beside the whole card: each
    team takes its own card to its training, even when the whole architecture fits one."""
    trained = dict.fromkeys(department_title(a.team) for a in project.enablement.audiences)
    return [card for team in trained if team in team_split for card in _team_cards(project, team, team_split[team])]


def _team_cards(project: Project, team: str, stages: tuple[Stage, ...]) -> list[dict[str, Any]]:
    """One team's cards: one when its stages fit, else one per domain, each cut into
    parts when a domain alone does not fit."""
    stem = f"{base_name(project)}-{slugify(team) or 'team'}"
    card = _team_card(project, team, stages, f"{stem}.pdf", f"{TITLE} · {team}")
    if _fits(card, LEGIBLE):
        return [_set(card, LEGIBLE)]
    found = []
    domains = list(dict.fromkeys(s.domain for s in stages))
    for domain in domains:
        own = tuple(s for s in stages if s.domain == domain)
        title = f"{TITLE} · {team}: {project.domain_title(domain)} stages"
        parts = _parts(project, team, own, title)
        for number, part in enumerate(parts, 1):
            suffix = f"-{slugify(domain)}" + (f"-{number}" if len(parts) > 1 else "")
            shown = f"{title} ({number} of {len(parts)})" if len(parts) > 1 else title
            found.append(_set(_team_card(project, team, part, f"{stem}{suffix}.pdf", shown), LEGIBLE))
    return found


def _parts(project: Project, team: str, stages: tuple[Stage, ...], title: str) -> list[tuple[Stage, ...]]:
    """`stages` cut into the fewest even runs that each fit one page (one stage per run at worst)."""
    for count in range(1, len(stages) + 1):
        size = -(-len(stages) // count)
        runs = [stages[i : i + size] for i in range(0, len(stages), size)]
        if all(_fits(_team_card(project, team, run, "probe.pdf", title), LEGIBLE) for run in runs):
            return runs
    return [(stage,) for stage in stages]


def _card(project: Project, stages: tuple[Stage, ...], file: str, title: str) -> dict[str, Any]:
    """One card's view: `stages` grouped under their domains, in presentation order."""
    draft = not project.is_final()
    order = project.domain_order()
    domains = [
        {
            "title": project.domain_title(domain),
            "colour": marks.domain_colour(domain, order),
            "stages": [_stage(project, s, draft) for s in stages if s.domain == domain],
        }
        for domain in order
    ]
    return {
        "file": file,
        "page": page_size(project),
        "client": project.client.name,
        "title": title,
        "version": f"v{project.version}",
        "date": shown_date(project),
        "status": "Draft" if draft else "Final",
        "architect": project.architect,
        "domains": [d for d in domains if d["stages"]],
        "legend": _legend(draft),
        "footer": _footer(project),
    }


def _overviews(project: Project) -> list[dict[str, Any]]:
    """The overview card; for an architecture whose names alone overflow a page (some
    300 stages), the fewest even parts of it that each fit, the first under the usual name."""
    whole = _overview(project, project.flow(), f"{base_name(project)}.pdf", f"{TITLE} · Overview")
    for floor in (LEGIBLE, FLOOR):
        if _fits(whole, floor):
            return [_set(whole, floor)]
    flow = project.flow()
    for count in range(2, len(flow) + 1):
        size = -(-len(flow) // count)
        runs = [flow[i : i + size] for i in range(0, len(flow), size)]
        parts = [
            _overview(
                project,
                run,
                f"{base_name(project)}.pdf" if number == 1 else f"{base_name(project)}-overview-{number}.pdf",
                f"{TITLE} · Overview ({number} of {len(runs)})",
            )
            for number, run in enumerate(runs, 1)
        ]
        if all(_fits(part, LEGIBLE) for part in parts):
            return [_set(part, LEGIBLE) for part in parts]
    return [_set(whole, FLOOR)]


def _overview(project: Project, shown: tuple[Stage, ...], file: str, title: str) -> dict[str, Any]:
    """The names of the `shown` stages by domain; each domain's header names the teams working
    in it, and where a domain has several, the first stage of each run of one team says whose."""
    card = _card(project, shown, file, title)
    team_of = teams.stage_teams(project)
    draft = not project.is_final()
    ids = {s.id for s in shown}
    order = [d for d in project.domain_order() if any(s.id in ids for s in project.stages_in(d))]
    for entry, domain in zip(card["domains"], order):
        stages = tuple(s for s in project.stages_in(domain) if s.id in ids)
        names = list(dict.fromkeys(team_of[s.id] for s in project.stages_in(domain)))
        entry["title"] = f"{entry['title']} · {', '.join(names)}"
        entry["stages"] = []
        for number, stage in enumerate(stages):
            starts = len(names) > 1 and (number == 0 or team_of[stages[number - 1].id] != team_of[stage.id])
            brief = _brief(stage.label, stage.golden, draft and stage.status == "assumed", "")
            entry["stages"].append({**brief, "tag": team_of[stage.id] if starts else "", "compact": True})
    card["legend"] = [item for item in card["legend"] if item["mark"] != "Owner:"]
    card["legend"].append({"mark": "· Team", "text": "the team whose card lists the stages from here on"})
    card["note"] = OVERVIEW_NOTE
    card["compact"] = True
    return card


def _brief(label: str, golden: bool, assumed: bool, note: str) -> dict[str, Any]:
    """A block of a name and a muted note only (the overview's stages, the hand-offs)."""
    return {"label": label, "golden": golden, "assumed": assumed, "brief": True, "note": note, "definitions": ("", "")}


def _team_card(project: Project, team: str, stages: tuple[Stage, ...], file: str, title: str) -> dict[str, Any]:
    """A team's card: its stages in full, then the hand-offs into and out of them."""
    card = _card(project, stages, file, title)
    ids = {s.id for s in stages}
    into = [h for h in teams.handoffs(project) if h.target.id in ids and h.source_team != team]
    out = [h for h in teams.handoffs(project) if h.source.id in ids and h.target_team != team]
    for heading, found, other in (("Hand-offs in", into, "source"), ("Hand-offs out", out, "target")):
        if found:
            card["domains"].append(
                {
                    "title": heading,
                    "colour": marks.MUTED,
                    "stages": [_handoff(h, other) for h in found],
                }
            )
    return card


def _handoff(handoff: teams.Handoff, other: str) -> dict[str, Any]:
    """One hand-off: from where to where, the other team, and when."""
    from deliverables.backends import direction

    # A label that reads right to left runs from the right: its arrow points left.
    arrow = "←" if direction.rtl_paragraph(handoff.source.short) else "→"
    label = f"{handoff.source.short} {arrow} {handoff.target.short}"
    team = handoff.source_team if other == "source" else handoff.target_team
    note = f"from {team}" if other == "source" else f"to {team}"
    if handoff.when:
        note += f": {handoff.when}"
    return _brief(label, False, False, note)


_FITS: dict[str, list[float] | None] = {}


def _fit(card: dict[str, Any], floor: float) -> list[float] | None:
    """The definition level and body size the card's page is set at with body type of at
    least `floor` pt, None when it cannot fit (measured once per card content: `files` and
    `view` ask the same questions, and the render starts from the answer)."""
    key = json.dumps([card, floor], sort_keys=True, default=str)
    if key not in _FITS:
        from deliverables.backends.pdf.card import fitting

        if len(_FITS) > 512:
            _FITS.clear()
        _FITS[key] = fitting(card, floor)
    return _FITS[key]


def _fits(card: dict[str, Any], floor: float) -> bool:
    """True when the card fits its one page at body type of at least `floor` pt."""
    return _fit(card, floor) is not None


def _set(card: dict[str, Any], floor: float) -> dict[str, Any]:
    """The card with the floor it is set at and the layout found for it (None: the render
    reports why it cannot fit)."""
    return {**card, "floor": floor, "fit": _fit(card, floor)}


def fit_problems(project: Project) -> list[tuple[tuple[str | int, ...], str]]:
    """The card that cannot fit one page, where to say so and why: with `card.split: never` the
    whole card; otherwise a stage too long to print even alone on a page, which no split helps."""
    from deliverables.backends.pdf.card import overflow

    if project.card.split != "never":
        return _stages_too_long(project, overflow)

    whole = _card(project, project.flow(), f"{base_name(project)}.pdf", TITLE)
    reason = overflow(whole, FLOOR)
    if reason is None:
        return []
    reason = reason.removeprefix("reference-card: ").replace("split the card by team", "set card.split to auto")
    return [(("card", "split"), f"the reference card does not fit one page: {reason}")]


LONGEST_CHECKED = 3
"""Stages tried alone on a page by `check`: the longest by their criteria and name."""


def _stages_too_long(project: Project, overflow: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """The longest stages that do not fit a page of their own even at the floor (a split card fails on them)."""
    index = {id(stage): i for i, stage in enumerate(project.stages)}
    longest = sorted(project.stages, key=lambda s: -(sum(len(e) + 40 for e in s.entry) + len(s.name)))
    found = []
    for stage in longest[:LONGEST_CHECKED]:
        reason = overflow(_card(project, (stage,), f"{base_name(project)}.pdf", TITLE), FLOOR)
        if reason is not None:
            message = (
                f"'{stage.name}' does not fit a page of the reference card even alone, at the smallest type;"
                " shorten or merge its entry criteria (the card is not written)"
            )
            found.append((("stages", index[id(stage)], "entry"), message))
    return found


def _stage(project: Project, stage: Stage, draft: bool) -> dict[str, Any]:
    """One stage as the card prints it."""
    return {
        "label": stage.label,
        "golden": stage.golden,
        "assumed": draft and stage.status == "assumed",
        "definitions": definition_levels(stage.definition),
        "entry": list(stage.entry),
        "no_entry": NO_ENTRY,
        "owner": project.owner_name(stage.owner) or UNASSIGNED,
    }


def _legend(draft: bool) -> list[dict[str, str]]:
    """Legend entries: the golden mark always, the ASSUMED flag while a draft."""
    items = [{"mark": marks.GOLDEN, "text": marks.GOLDEN_LEGEND.removeprefix(marks.GOLDEN).strip()}]
    if draft:
        items.append({"mark": marks.ASSUMED, "text": marks.ASSUMED_LEGEND.removeprefix(marks.ASSUMED + ":").strip()})
    items.append({"mark": "Owner:", "text": "who moves a record into the stage"})
    return items


def _footer(project: Project) -> str:
    """Version, what is still assumed, and whom to ask."""
    count = project.assumed_count()
    if count:
        status = f"{grammar.capital(grammar.of(count, len(project.stages) + len(project.terms), 'item'))} still ASSUMED"
    else:
        status = "every stage and term CONFIRMED"
    ask = f"Questions about a stage: {project.architect}, lifecycle architect" if project.architect else ""
    parts = [f"{project.client.name} · v{project.version}", status, ask]
    return " · ".join(p for p in parts if p)


def _checks(project: Project) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Every client text the card prints, with its path and a name, for the font coverage check."""
    checks: list[tuple[tuple[str | int, ...], str, str]] = [
        (("client", "name"), "client name", project.client.name),
        (("architect",), "architect", project.architect),
    ]
    for i, stage in enumerate(project.stages):
        checks.append((("stages", i, "name"), "stage name", stage.label))
        checks.append((("stages", i, "definition"), "definition", stage.definition))
        for j, criterion in enumerate(stage.entry):
            checks.append((("stages", i, "entry", j), "entry criterion", criterion))
        checks.append((("stages", i, "owner"), "owner", project.owner_name(stage.owner)))
    for k, decl in enumerate(project.domains):
        checks.append((("domains", k, "name"), "domain name", project.domain_title(decl.id)))
    return [c for c in checks if c[2]]


def _font_warnings(project: Project, ctx: Context) -> None:
    """Warn, per field, about characters the card's font cannot draw or join."""
    from deliverables.backends import direction
    from deliverables.backends import text as measure

    for path, field_name, text in _checks(project):
        lacking = list(dict.fromkeys(measure.missing(text, condensed=True) + measure.missing(text, True, True)))
        if lacking:
            ctx.warn(
                path,
                f"the reference card's font has no glyph for {_listed(lacking)} in this {field_name}; they print as empty boxes",
            )
        unjoined = [c for c in direction.unjoined(text) if c not in lacking]
        if unjoined:
            ctx.warn(
                path, f"the reference card prints {_listed(unjoined)} in this {field_name} unjoined, in isolated form"
            )


def _listed(chars: list[str]) -> str:
    """Up to eight characters with their code points, and how many more."""
    shown = " ".join(f"{c} (U+{ord(c):04X})" for c in chars[:8])
    return shown + (f" and {len(chars) - 8} more" if len(chars) > 8 else "")


def page_size(project: Project) -> str:
    """letter or a4, from the client file's `card.page` (validated by the model)."""
    return project.card.page


def render(view: dict[str, Any], ctx: Context) -> dict[str, bytes]:
    """Every card file, each one page."""
    from deliverables.backends.pdf.card import render_card

    return {card["file"]: render_card(card, ctx, card["floor"]) for card in view["cards"]}
