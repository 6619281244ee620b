"""FAQ (.docx and .md): the playbook's standard questions answered from this
client's own stage definitions, then the client's own questions.

A standard question is asked only when the stages it is about exist; a client
entry with the same question replaces it in place. Wording lives in
`templates/faq/*.txt.j2` (first line: the question); client text goes in as
data through `prose.keep`, never as template source.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from deliverables.core import marks
from deliverables.core import stages as lookup
from deliverables.core.context import Context
from deliverables.core.dates import shown_date
from deliverables.core.flow import exits_of, routes_of
from deliverables.core.model import Project, Stage, Term
from deliverables.documents.words import due, prose
from deliverables.documents.words import templates as wording

NAME = "faq"
SUFFIXES = (".docx", ".md")
DESCRIPTION = (
    "FAQ: common questions answered from the client's own definitions, plus its own entries (Word and Markdown)."
)
CONSUMES = ()
EXTERNAL = ("base.docx",)
TITLE = "Frequently asked questions"
MARK = f" {marks.GOLDEN}"
EMPTY = (
    "The questions your teams ask most (SAL or SQL, when a lead becomes an MQL, what First Time to Value"
    " means here) are answered here once the stage definitions are drafted."
)


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes for the project's version."""
    return (f"faq-v{project.version}.docx", f"faq-v{project.version}.md")


def view(project: Project, ctx: Context) -> dict[str, Any]:
    """Questions in order, each with its answer as paragraphs and bullet items."""
    at_next = due.at_next(project, ctx)  # where an ASSUMED answer may still change
    entries = [
        _standard(ctx, key, {**data, "at_next": at_next}) for key, data in _standard_data(project) if data is not None
    ]
    for own in project.faq:
        entry = {"q": own.q, "asked": [own.q], "blocks": [("p", prose.keep(own.a))], "source": "client"}
        index = next((i for i, e in enumerate(entries) if any(same_question(q, own.q) for q in e["asked"])), None)
        if index is None:
            entries.append(entry)
        else:
            entries[index] = entry
    version = project.version
    return {
        "title": TITLE,
        "client": project.client.name,
        "version": version,
        "date": shown_date(project),
        "next": due.next_meeting_line(project, ctx),
        "day": ctx.date,
        "author": project.architect,
        "entries": entries,
        "empty": "" if entries else EMPTY,
        "legend": _legend(entries),
        "docx": f"faq-v{version}.docx",
        "md": f"faq-v{version}.md",
    }


def _legend(entries: list[dict[str, Any]]) -> list[str]:
    """The legend of the marks the answers show, and of no other."""
    shown = " ".join(f"{e['q']} {' '.join(text for _, text in e['blocks'])}" for e in entries)
    legend = [marks.GOLDEN_LEGEND] if marks.GOLDEN in shown else []
    return legend + ([marks.ASSUMED_LEGEND] if "ASSUMED" in shown else [])


def same_question(a: str, b: str) -> bool:
    """Questions match ignoring case, punctuation and spacing."""
    return _norm(a) == _norm(b)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def _standard(ctx: Context, key: str, data: dict[str, Any]) -> dict[str, Any]:
    text = wording.render(ctx, f"faq/{key}.txt.j2", mark=MARK, **data)
    question, _, answer = text.strip().partition("\n")
    question = question.strip()
    return {"q": question, "asked": _asked(question, data), "blocks": prose.blocks(answer), "source": "standard"}


def _asked(question: str, data: dict[str, Any]) -> list[str]:
    """The question as written, and as a client would ask it with the abbreviations alone
    (`SAL and SQL`): a client entry asking either replaces the standard answer."""
    short = question
    for item in data.values():
        if isinstance(item, dict) and item.get("short") and item.get("label"):
            short = short.replace(item["label"], item["short"])
    return [question, short]


def _standard_data(project: Project) -> list[tuple[str, dict[str, Any] | None]]:
    """Template data per standard question, or None when its stages are absent."""
    builders: list[tuple[str, Callable[[Project], dict[str, Any] | None]]] = [
        ("sal-vs-sql", _sal_vs_sql),
        ("mql", _mql),
        ("ftv", _ftv),
        ("drop-off", _drop_off),
        ("churn", _churn),
        ("status", _status),
    ]
    client = prose.keep(project.client.name)
    out = []
    for key, build in builders:
        data = build(project)
        out.append((key, None if data is None else {"client": client, **data}))
    return out


def _sal_vs_sql(project: Project) -> dict[str, Any] | None:
    sal, sql = lookup.stage(project, "sal"), lookup.stage(project, "sql")
    if sal is None or sql is None:
        return None
    exit_ = next((e for e in exits_of(project, sal) if e.to == sql.id), None)
    handoff = exit_ is not None and not sal.exit and sal.domain != sql.domain
    move = exit_.when if exit_ else ""
    return {"sal": _stage(project, sal), "sql": _stage(project, sql), "move": prose.keep(move), "handoff": handoff}


def _mql(project: Project) -> dict[str, Any] | None:
    mql = lookup.stage(project, "mql")
    return None if mql is None else {"mql": _stage(project, mql)}


def _ftv(project: Project) -> dict[str, Any] | None:
    term, stage = lookup.term(project, "ftv"), lookup.stage(project, "early-adoption")
    if term is None and stage is None:
        return None
    return {"term": _term(term), "stage": _stage(project, stage) if stage else None}


def _drop_off(project: Project) -> dict[str, Any] | None:
    flow = [s for s in project.flow() if s.drop_off_reasons]
    return {"stages": [_stage(project, s) for s in flow]} if flow else None


def _churn(project: Project) -> dict[str, Any] | None:
    churned = lookup.stage(project, "churned")
    if churned is None:
        return None
    former = lookup.stage(project, "former-customer")
    return {"churned": _stage(project, churned), "former": _stage(project, former) if former else None}


def _status(project: Project) -> dict[str, Any] | None:
    if not project.stages:
        return None
    statuses = [{"name": prose.keep(s.name), "definition": prose.keep(s.definition)} for s in project.contact_statuses]
    return {
        "lead_flow": [prose.keep(s.name) for s in project.stages_in("lead")],
        "statuses": statuses,
        "term": _term(lookup.term(project, "contact-status")),
    }


def _stage(project: Project, stage: Stage) -> dict[str, Any]:
    """A stage as template data; every client string made safe by `prose.keep`."""
    keep = prose.keep
    exits = []
    for exit_ in exits_of(project, stage):
        target = project.stage(exit_.to)
        exits.append({"to": keep(target.label if target else exit_.to), "when": keep(exit_.when)})
    incoming = [keep(s.label) for s in routes_of(project).incoming.get(stage.id, ())]
    return {
        "label": keep(stage.label),
        "name": keep(stage.name),
        "short": keep(stage.short),
        "definition": keep(stage.definition),
        "entry": [keep(c) for c in stage.entry],
        "owner": keep(project.owner_name(stage.owner)),
        "golden": stage.golden,
        "assumed": stage.status == "assumed",
        "exits": exits,
        "incoming": incoming,
        "domain": keep(project.domain_title(stage.domain)),
        "reasons": [keep(r) for r in stage.drop_off_reasons],
    }


def _term(term: Term | None) -> dict[str, Any] | None:
    if term is None:
        return None
    return {
        "term": prose.keep(term.term),
        "definition": prose.keep(term.definition),
        "assumed": term.status == "assumed",
    }


def render(view: dict[str, Any], ctx: Context) -> dict[str, bytes]:
    """The Word file and the Markdown file."""
    from deliverables.documents.faq.word import write

    return {view["docx"]: write(view, ctx), view["md"]: _markdown(view, ctx).encode("utf-8")}


def _markdown(view: dict[str, Any], ctx: Context) -> str:
    md = wording.md
    entries = [{"q": md(e["q"]), "chunks": _chunks(e["blocks"])} for e in view["entries"]]
    return wording.render(
        ctx,
        "faq.md.j2",
        title=md(view["title"]),
        client=md(view["client"]),
        empty=md(view["empty"]),
        version=view["version"],
        date=view["date"],
        next=md(view["next"]),
        entries=entries,
        legend=[md(line) for line in view["legend"]],
    )


def _chunks(blocks: list[tuple[str, str]]) -> list[str]:
    """Markdown paragraphs; consecutive bullet items form one list."""
    chunks: list[str] = []
    for index, (kind, text) in enumerate(blocks):
        if kind == "li":
            item = "- " + wording.md_block(text, indent="  ")
            if index and blocks[index - 1][0] == "li":
                chunks[-1] += "\n" + item
                continue
            chunks.append(item)
        else:
            chunks.append(wording.md_block(text))
    return chunks
