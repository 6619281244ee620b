"""Stage Reference Card (PDF): every stage, its entry criteria and the owner of
the transition, on exactly one printed page.

The view decides the wording, the order and the page size; the layout (columns,
type size, how far definitions are shortened) is searched in `_card_pdf`, which
fails with a clear error rather than spill onto a second page.
"""

from __future__ import annotations

import re
from typing import Any

from deliverables.core import marks
from deliverables.core.context import Context
from deliverables.core.dates import shown_date
from deliverables.core.model import Project, Stage
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


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes for the project's version."""
    return (f"stage-reference-card-v{project.version}.pdf",)


def view(project: Project, ctx: Context) -> dict[str, Any]:
    """Title, domains with their stages in flow order, legend and footer."""
    _font_warnings(project, ctx)
    draft = not project.is_final()
    order = project.domain_order()
    domains = [
        {
            "title": project.domain_title(domain),
            "colour": marks.domain_colour(domain, order),
            "stages": [_stage(project, s, draft) for s in project.stages_in(domain)],
        }
        for domain in order
    ]
    return {
        "file": f"stage-reference-card-v{project.version}.pdf",
        "page": page_size(project),
        "client": project.client.name,
        "title": "Stage Reference Card",
        "version": f"v{project.version}",
        "date": shown_date(project),
        "status": "Draft" if draft else "Final",
        "architect": project.architect,
        "domains": domains,
        "legend": _legend(draft),
        "footer": _footer(project),
    }


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
        status = f"{grammar.of(count, len(project.stages) + len(project.terms), 'item')} still ASSUMED"
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
    """Warn, per field, about characters the card's font cannot draw or order."""
    from deliverables.backends import text as measure

    for path, field_name, text in _checks(project):
        if measure.right_to_left(text):
            ctx.warn(
                path,
                f"the reference card prints the right-to-left text of this {field_name} left to right, letters unjoined",
            )
        lacking = list(dict.fromkeys(measure.missing(text, condensed=True) + measure.missing(text, True, True)))
        if lacking:
            shown = " ".join(f"{c} (U+{ord(c):04X})" for c in lacking[:8])
            more = f" and {len(lacking) - 8} more" if len(lacking) > 8 else ""
            ctx.warn(
                path,
                f"the reference card's font has no glyph for {shown}{more} in this {field_name}; they print as empty boxes",
            )


def page_size(project: Project) -> str:
    """letter or a4, from the client file's `card.page` (validated by the model)."""
    return project.card.page


def render(view: dict[str, Any], ctx: Context) -> dict[str, bytes]:
    """The one-page PDF."""
    from deliverables.backends.pdf.card import render_card

    return {view["file"]: render_card(view, ctx)}
