"""The diagram beyond 30 stages: an overview page and one page per domain in the
PDF, the SVG still one picture, and a poster paper size."""

from __future__ import annotations

import io
import re
from pathlib import Path

from card_fixtures import client_yaml
from conftest import write
from pypdf import PdfReader

from deliverables.core.validate import load_project
from deliverables.pipeline.build import build_file


def squeeze(text: str) -> str:
    return re.sub(r"[\s\-‐]+", "", text)


def diagram(tmp_path: Path, text: str) -> tuple[Path, dict[str, bytes]]:
    source = write(tmp_path / "client.yaml", text)
    folder = build_file(source, tmp_path / "out", only=["diagram"], jobs=1).folder
    return source, {p.suffix: p.read_bytes() for p in folder.glob("lifecycle-architecture-*")}


def test_more_than_thirty_stages_print_an_overview_and_a_page_per_domain(tmp_path: Path) -> None:
    source, made = diagram(tmp_path, client_yaml(40, long_every=0, token_every=0, name="Forty Co"))
    project, _ = load_project(source)
    reader = PdfReader(io.BytesIO(made[".pdf"]))
    domains = project.domain_order()
    assert len(reader.pages) == 1 + len(domains)
    texts = [squeeze(page.extract_text()) for page in reader.pages]
    assert "LifecycleArchitecturev3·Overview" in texts[0]
    for stage in project.stages:
        assert squeeze(stage.label) in texts[0], stage.label
    for number, domain in enumerate(domains, start=1):
        page = texts[number]
        assert f"LifecycleArchitecturev3·{squeeze(project.domain_title(domain))}" in page
        for stage in project.stages_in(domain):
            assert squeeze(stage.label) in page, (domain, stage.label)
            assert squeeze(project.owner_name(stage.owner)) in page
        others = [s for s in project.stages if s.domain != domain and squeeze(s.label) in page]
        if domain in ("lead", "sales", "customer"):  # the main line hands off between these
            assert others and "Otherdomains" in page, domain
    svg = made[".svg"].decode("utf-8")
    for stage in project.stages:
        assert stage.name in svg


def test_up_to_thirty_stages_stay_one_page_and_a3_is_a_poster(tmp_path: Path) -> None:
    _, made = diagram(tmp_path, client_yaml(30, long_every=0, token_every=0, name="Thirty Co"))
    assert len(PdfReader(io.BytesIO(made[".pdf"])).pages) == 1
    poster = client_yaml(40, long_every=0, token_every=0, name="Poster Co").replace(
        "stages:\n", "diagram: {page: a3}\nstages:\n", 1
    )
    (tmp_path / "a3").mkdir()
    _, made = diagram(tmp_path / "a3", poster)
    pages = PdfReader(io.BytesIO(made[".pdf"])).pages
    assert [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages[:1]] == [(1191, 842)]
