"""Current State Audit (.docx), its metrics (audit-vN.json) and its charts (SVG, PNG),
computed from the client's CRM exports named under `audit:`.

The view decides every sentence and number; the metrics come from
`backends.data.measure`, so the kickoff deck and the maintenance schedule
show the same figures. The export files are external inputs: changing one
rebuilds the audit.
"""

from __future__ import annotations

import json
from typing import Any

from deliverables.core.context import Context
from deliverables.core.dates import long_date, version_line
from deliverables.core.model import Project
from deliverables.documents import measured as findings
from deliverables.documents.words import data as tdata

NAME = "current-state-audit"
SUFFIXES = (".docx", ".json", ".svg", ".png")
DESCRIPTION = (
    "Current State Audit from the CRM exports: values in use, funnel, time in stage, data quality (Word, JSON, charts)."
)
CONSUMES = ()
EXTERNAL = ("exports", "base.docx")
TITLE = "Current State Audit"


def files(project: Project) -> tuple[str, ...]:
    """The audit's files; none without an `audit:` section."""
    if project.audit is None:
        return ()
    v = project.version
    charts = tuple(f"audit-{name}-v{v}.{kind}" for name in ("funnel", "time-in-stage") for kind in ("svg", "png"))
    return (f"current-state-audit-v{v}.docx", f"audit-v{v}.json", *charts)


def view(project: Project, ctx: Context) -> dict[str, Any] | None:
    """What the audit says: sources, values in use, misuse, funnel, quality, recommendations."""
    if project.audit is None:
        return None
    from deliverables.backends.data import measure

    result = measure(project, ctx)
    for where, message in result.warnings:
        ctx.warn(where, message)
    names = files(project)
    client, state = project.client.name, project.state
    data = findings.summary(project, result, findings.wording(ctx))
    return {
        "files": names,
        "title": TITLE,
        "client": client,
        "author": project.architect,
        "date": ctx.date,
        "state": state,
        "header": f"{client} · {TITLE}",
        "footer": f"v{project.version} · {state}",
        "meta": [version_line(project), f"Prepared by {project.architect}" if project.architect else ""],
        "as_of": long_date(result.as_of),
        "metrics": result.metrics,
        "words": tdata.load(ctx, "audit/document.yaml"),
        **data,
    }


def render(view: dict[str, Any] | None, ctx: Context) -> dict[str, bytes]:
    """The document, the metrics file and the two charts in SVG and PNG."""
    if view is None:
        return {}
    from deliverables.backends.data.charts import PER_PICTURE, bars, pictures
    from deliverables.documents.audit import word

    docx, metrics, funnel_svg, funnel_png, time_svg, time_png = view["files"]
    funnel = bars(view["funnel_chart"]["title"], view["funnel_chart"]["bars"], view["funnel_chart"]["unit"])
    timing = bars(view["time_chart"]["title"], view["time_chart"]["bars"], view["time_chart"]["unit"])
    out = {
        metrics: (json.dumps(view["metrics"], indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
        funnel_svg: funnel["svg"],
        funnel_png: funnel["png"],
        time_svg: timing["svg"],
        time_png: timing["png"],
    }
    shown = []
    for chart, drawn in ((view["funnel_chart"], funnel), (view["time_chart"], timing)):
        many = len(chart["bars"]) > PER_PICTURE  # the document's pages show it in parts
        shown.append(
            pictures(chart["title"], chart["bars"], chart["unit"]) if many else [(drawn["png"], len(chart["bars"]))]
        )
    out[docx] = word.write(view, ctx, *shown)
    return out
