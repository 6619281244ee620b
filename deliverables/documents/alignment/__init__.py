"""Definition Alignment Document (.docx): the terms and stage definitions the
client's leadership approves and signs before any CRM work starts."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from deliverables.core import marks, tags
from deliverables.core.changes import since_previous
from deliverables.core.context import Context
from deliverables.core.dates import long_date, shown_date
from deliverables.core.flow import exits_of, routes_of
from deliverables.core.model import STANDARD_DEPARTMENTS, Project, Stage, Term, department_title
from deliverables.documents.words import due, grammar, prose
from deliverables.documents.words import templates as wording

NAME = "definition-alignment"
SUFFIXES = (".docx",)
DESCRIPTION = (
    "Definition Alignment Document: terms to approve, stage definitions per domain, open items, sign-off (Word), "
    "and a copy showing the changes since the previous version as tracked changes."
)
TITLE = "Definition Alignment Document"
CONSUMES = ()
EXTERNAL = ("base.docx", "logo")

CRM_NAMES = {"hubspot": "HubSpot", "salesforce": "Salesforce"}
NEXT = "Next stage in the flow"
TO_BE_NAMED = "Owner to be named"
"""Who confirms an open item when the file names nobody: said once, for the whole group."""
SIGN_LINE = "______________"
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
COMMENT_PLACEHOLDER = "Comment"
"""What an empty comment box shows until the approver types in it."""
OPEN_COLUMN = "Approved?"
"""The one approval column of a file that names no approvers: boxes to tick on paper."""


def meeting_title(meeting: str) -> str:
    """`refinement-1` -> `Refinement 1`."""
    return meeting.replace("-", " ").capitalize()


def files(project: Project) -> tuple[str, ...]:
    """The file names this deliverable writes for the project's version: from v1 on also the redline."""
    clean = f"definition-alignment-v{project.version}.docx"
    return (clean, f"definition-alignment-v{project.version}-redline.docx") if project.version else (clean,)


def view(project: Project, ctx: Context) -> dict[str, Any]:
    """Everything the document says, in order, as plain data; from v1 on, with the
    previous version's document for the redline."""
    found = document(project, ctx)
    found["redline"] = _redline(project, ctx, found)
    return found


def _redline(project: Project, ctx: Context, current: dict[str, Any]) -> dict[str, Any] | None:
    """From v1 on: the previous version's document as the current code writes it, for the redline.

    Its changes section is the current one, so the redline leaves that section
    unmarked: it is itself the list of changes. With the previous version unknown
    (the build has warned) the redline has no revisions, as the document has no
    changes section."""
    if not project.version:
        return None
    earlier = None
    if ctx.previous is not None and current["changes"] is not None:
        earlier = document(ctx.previous, replace(ctx, project=ctx.previous, previous=None, warnings=[]))
        earlier["changes"] = current["changes"]
    return {
        "file": f"definition-alignment-v{project.version}-redline.docx",
        "previous": earlier,
        "author": project.architect or TITLE,
        "date": ctx.date,
    }


def document(project: Project, ctx: Context) -> dict[str, Any]:
    """What one version's document says, in order, as plain data."""
    final, state = project.is_final(), project.state
    client = project.client.name
    return {
        "file": f"definition-alignment-v{project.version}.docx",
        "title": TITLE,
        "client": client,
        "author": project.architect,
        "date": ctx.date,
        "header": f"{client}  ·  {TITLE} v{project.version}  ·  {state}",
        "footer": f"{TITLE} v{project.version}",
        "cover": _cover(project, ctx, state),
        "logo": _logo(project, ctx),
        "how_to": prose.blocks(
            wording.render(
                ctx,
                "definition-alignment/how-to-use.txt.j2",
                client=client,
                final=final,
                crm=CRM_NAMES.get(project.client.crm, "the CRM"),
                assumed=project.assumed_count(),
                pending_terms=sum(not t.approved for t in project.terms),
                terms=len(project.terms),
                teams=grammar.and_list(_teams(project)),
            )
        ),
        "legend": [marks.GOLDEN_LEGEND, marks.ASSUMED_LEGEND],
        "changes": _changes(project, ctx),
        "approvers": [project.person_label(key) for key in _approvers(project)] or [OPEN_COLUMN],
        "terms": [_term(project, term) for term in project.terms],
        "boxes": _boxes(project),
        "domains": [_domain(project, domain) for domain in project.domain_order()],
        "open_items": _open_items(project),
        "open_summary": open_summary(project),
        "open_due": due.open_items_due(project, ctx),
        "statuses": _statuses(project, ctx),
        "signoffs": _signoffs(project),
    }


def _cover(project: Project, ctx: Context, state: str) -> dict[str, Any]:
    if state == "FINAL":
        note = "Every stage is confirmed and every term approved."
    else:
        note = f"{open_summary(project)}; see the open items."
    meta = [
        f"Version v{project.version}  ·  {shown_date(project)}",
        f"Prepared for the {meeting_title(project.meeting)} meeting",
    ]
    if project.client.crm in CRM_NAMES:
        meta.append(f"CRM: {CRM_NAMES[project.client.crm]}")
    if project.architect:
        meta.append(f"Architect: {project.architect}")
    return {"meta": meta, "state": state, "note": note}


def _logo(project: Project, ctx: Context) -> str | None:
    """The logo's file name when the cover shows it (a PNG or JPEG), else None with a warning."""
    data = ctx.input("logo")
    if data is None:
        return None
    if not data.startswith(IMAGE_SIGNATURES):
        path = Path(ctx.document.path).parent / (project.client.logo or "")
        ctx.warn(("client", "logo"), f"logo file '{path}' is not a PNG or JPEG image; the cover has no logo")
        return None
    return Path(project.client.logo or "").name


def _changes(project: Project, ctx: Context) -> dict[str, Any] | None:
    """The changes section: None for v0 or when the previous version is unknown, else rows or a note."""
    found = since_previous(ctx)
    if found is None:
        return None
    previous, changes = found
    rows: dict[str, list[dict[str, Any]]] = {}
    for change in changes:
        rows.setdefault(change.subject, []).append({"summary": change.summary, "detail": list(change.detail)})
    note = "" if rows else f"Nothing in the definitions changed since v{previous.version}."
    return {
        "title": f"Changes since v{previous.version}",
        "note": note,
        "rows": [{"subject": subject, "changes": items} for subject, items in rows.items()],
    }


def open_summary(project: Project) -> str:
    """`16 of 43 items still ASSUMED (8 stages, 8 terms)`, `All 43 items still ASSUMED (...)`."""
    stages = sum(s.status == "assumed" for s in project.stages)
    terms = sum(t.status == "assumed" for t in project.terms)
    total = len(project.stages) + len(project.terms)
    parts = [grammar.count(stages, "stage"), grammar.count(terms, "term")] if stages and terms else []
    detail = f" ({', '.join(parts)})" if parts else ""
    return f"{grammar.capital(grammar.of(stages + terms, total, 'item'))} still ASSUMED{detail}"


def _approvers(project: Project) -> list[str]:
    """Everyone asked to approve a term: stakeholders in file order, then the rest as first named."""
    named = list(dict.fromkeys(key for term in project.terms for key in term.approvals))
    people = [p.id for p in project.stakeholders if p.id in named]
    return people + [key for key in named if key not in people]


def _term(project: Project, term: Term) -> dict[str, Any]:
    keys = _approvers(project)
    approvals = [term.approvals.get(k) for k in keys] if keys else ["open"]
    return {
        "term": term.term,
        "definition": term.definition or "Not defined yet.",
        "assumed": term.status == "assumed",
        "approvals": approvals,
        # Per approver column: the tags of its answer boxes, None where the person is not asked.
        "tags": [_tags(project, term, k, term.approvals[k]) if k in term.approvals else None for k in keys],
    }


def _tags(project: Project, term: Term, approver: str, sent: str) -> dict[str, tuple[str, str]]:
    """Per answer (yes, no, comment): the box's tag and its hidden bookmark name."""
    found = {}
    for answer in tags.ANSWERS:
        parts = (project.slug, project.version, term.key, approver, answer)
        found[answer] = (tags.tag(*parts), tags.mark(*parts, None if answer == "comment" else sent))
    return found


def _boxes(project: Project) -> dict[str, Any]:
    """What the clickable answer boxes call themselves in Word: the approver's name per column."""
    return {"names": [project.person_label(key) for key in _approvers(project)], "comment": COMMENT_PLACEHOLDER}


def _domain(project: Project, domain: str) -> dict[str, Any]:
    return {
        "id": domain,
        "title": project.domain_title(domain),
        "colour": marks.domain_colour(domain, project.domain_order()),
        "stages": [_stage(project, stage) for stage in project.stages_in(domain)],
    }


def _stage(project: Project, stage: Stage) -> dict[str, Any]:
    return {
        "label": stage.label,
        "golden": stage.golden,
        "definition": stage.definition,
        "entry": list(stage.entry),
        "exits": _exits(project, stage),
        "owner": project.owner_name(stage.owner),
        "assumed": stage.status == "assumed",
        "confirm_with": project.person_label(project.confirmer(stage)),
    }


def _exits(project: Project, stage: Stage) -> list[dict[str, str]]:
    """Each way out: destination label, condition, and the domain when it crosses one."""
    out = []
    for exit_ in exits_of(project, stage):
        target = routes_of(project).by_id.get(exit_.to)
        label = target.label if target else exit_.to
        crossing = target is not None and target.domain != stage.domain
        when = exit_.when
        if not stage.exit:
            when = f"Hand-off to the {project.domain_title(target.domain)} stages" if crossing and target else NEXT
        out.append(
            {"to": label, "when": when, "domain": project.domain_title(target.domain) if crossing and target else ""}
        )
    return out


def _open_items(project: Project) -> list[dict[str, Any]]:
    """Every stage and term still ASSUMED, grouped by who confirms it; the unnamed last."""
    groups: dict[str, list[dict[str, str]]] = {}
    for stage in project.flow():
        if stage.status == "assumed":
            item = {"name": stage.label, "where": f"{project.domain_title(stage.domain)} stage", "what": "Confirm"}
            groups.setdefault(project.confirmer(stage) or "", []).append(item)
    for term in project.terms:
        if term.status != "assumed":
            continue
        waiting = {k: v for k, v in term.approvals.items() if v != "approved"} or {"": "pending"}
        for key, state in waiting.items():
            what = "Rework: rejected" if state == "rejected" else "Approve"
            groups.setdefault(key, []).append({"name": term.term, "where": "Term", "what": what})
    order = [p.id for p in project.stakeholders if p.id in groups]
    order += [k for k in groups if k not in order and k] + ([""] if "" in groups else [])
    return [{"who": project.person_label(k) if k else TO_BE_NAMED, "items": groups[k]} for k in order]


def _statuses(project: Project, ctx: Context) -> dict[str, Any]:
    lead_flow = [s.name for s in project.stages_in("lead")]
    text = wording.render(
        ctx,
        "definition-alignment/lifecycle-vs-status.txt.j2",
        client=project.client.name,
        statuses=bool(project.contact_statuses),
        lead_flow=lead_flow,
    )
    rows = [{"name": s.name, "definition": s.definition} for s in project.contact_statuses]
    return {"blocks": prose.blocks(text), "rows": rows}


def _signoffs(project: Project) -> list[dict[str, Any]]:
    """A row per sign-off entry, then one per stakeholder who has none yet."""
    rows = [_signoff_row(project, s.by, s.scope, s.date) for s in project.signoffs]
    signed = {s.by for s in project.signoffs}
    rows += [_signoff_row(project, p.id, "definitions", None) for p in project.stakeholders if p.id not in signed]
    # With nobody named yet, leave a line for each department lead the playbook expects to sign.
    return rows or [_signoff_row(project, d, "definitions", None) for d in STANDARD_DEPARTMENTS]


def _signoff_row(project: Project, key: str, scope: str, date: dt.date | None) -> dict[str, Any]:
    person = project.stakeholder(key)
    return {
        "name": project.person_label(key),
        "role": [person.email] if person and person.email else [],
        "scope": scope.replace("-", " ").capitalize().replace("Crm ", "CRM "),
        "date": long_date(date) if date else SIGN_LINE,
    }


def render(view: dict[str, Any], ctx: Context) -> dict[str, bytes]:
    """The .docx file, and from v1 on the redline against the previous version."""
    from deliverables.documents.alignment.word import write

    clean = write(view, ctx)
    files = {view["file"]: clean}
    if view["redline"]:
        from deliverables.backends.word.redline import redline

        red = view["redline"]
        old = write(red["previous"], ctx) if red["previous"] else clean
        files[red["file"]] = redline(old, clean, red["author"], red["date"])
    return files


def _teams(project: Project) -> list[str]:
    """The departments whose leads review the definitions, in flow order: each stage owner's,
    then each stakeholder's."""
    keys = []
    for stage in project.flow():
        person = project.stakeholder(stage.owner)
        keys.append(person.department if person and person.department else stage.owner)
    keys += [p.department for p in project.stakeholders]
    return [department_title(k) for k in dict.fromkeys(k for k in keys if k)]
