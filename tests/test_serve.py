"""`deliver serve`: the routes, the event stream, the session's rebuilds and what the
page lists, without a browser."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from deliverables.core.flow import exits_of
from deliverables.preview import pagedata
from deliverables.preview.app import Hub, create_app, sse
from deliverables.preview.derived import NOTES, Renderings
from deliverables.preview.session import Session
from deliverables.preview.tools import Box, Word, find_phrase

CLIENT = """\
client: {name: Route Co}
version: 1
stages:
  - {id: mql, name: Marketing Qualified Lead, abbr: MQL, domain: lead, entry: [Score 60], owner: marketing}
  - {id: sql, name: Sales Qualified Lead, domain: sales, entry: [Call booked], golden: true, status: confirmed}
terms:
  - {term: MQL, definition: A lead worth a call.}
"""
ONLY = ["summary", "diagram", "faq"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Session:
    root = tmp_path_factory.mktemp("serve")
    source = root / "client.yaml"
    source.write_text(CLIENT, encoding="utf-8")
    session = Session(source, root / "out")
    assert session.rebuild(ONLY)["type"] == "updated"
    return session


@pytest.fixture()
def client(built: Session) -> TestClient:
    views = Renderings(built.out_root / ".deliver" / "preview")
    return TestClient(create_app(built, views, Hub()), base_url="http://127.0.0.1")


def test_the_page_and_its_assets_are_served_with_a_strict_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/app.css").status_code == 200
    assert "http" not in client.get("/static/app.js").text.replace("http.", "")  # nothing from a CDN


def test_state_lists_stages_open_items_and_the_files_built(client: TestClient, built: Session) -> None:
    state = client.get("/api/state").json()
    page = state["page"]
    assert [s["name"] for s in page["stages"]] == ["Marketing Qualified Lead", "Sales Qualified Lead"]
    project = built.snapshot.project  # exits are the model's (the next stage, or a hand-off), named for the page
    expected = [
        {"to": e.to, "name": project.stage(e.to).label, "when": e.when} for e in exits_of(project, project.stages[0])
    ]
    assert page["stages"][0]["exits"] == expected and page["stages"][0]["node"] == "n0"
    assert page["stages"][1]["exits"] == []
    assert [(i["kind"], i["id"], i["stages"]) for i in page["open"]] == [
        ("stage", "mql", ["mql"]),
        ("term", "mql", ["mql"]),
    ]
    assert state["views"]["diagram"] == "lifecycle-architecture-v1.svg"
    assert "stage-summary-v1.md" in state["files"] and state["errors"] == []


def test_a_built_file_is_served_and_nothing_else(client: TestClient, built: Session) -> None:
    svg = client.get("/files/lifecycle-architecture-v1.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert "Route Co" in svg.text
    for name in ("manifest.json", "../client.yaml", "%2e%2e/client.yaml", "/etc/passwd", "", "crm", "out"):
        assert client.get(f"/files/{name}").status_code == 404, name
    assert client.get("/files/").status_code == 404  # no listing


def test_a_symbolic_link_in_the_output_is_not_followed(built: Session, client: TestClient) -> None:
    shot = built.snapshot
    name = "stage-summary-v1.md"
    target = shot.folder / name
    saved = target.read_bytes()
    target.unlink()
    os.symlink(built.source, target)
    try:
        assert client.get(f"/files/{name}").status_code == 404
    finally:
        target.unlink()
        target.write_bytes(saved)


def test_another_host_header_is_refused(built: Session) -> None:
    app = create_app(built, Renderings(built.out_root / ".deliver" / "preview"), Hub())
    assert TestClient(app, base_url="http://evil.example").get("/api/state").status_code == 400


def test_unknown_views_and_slides_are_not_found(client: TestClient) -> None:
    assert client.get("/view/nothing").status_code == 404
    assert client.get("/view/card/1.png").status_code == 404


def test_a_broken_edit_keeps_the_last_good_build_and_names_the_line(tmp_path: Path) -> None:
    source = tmp_path / "client.yaml"
    source.write_text(CLIENT, encoding="utf-8")
    session = Session(source, tmp_path / "out")
    assert session.rebuild(["summary"])["type"] == "updated"
    good = session.snapshot
    source.write_text(CLIENT.replace("domain: sales", "domain: salez"), encoding="utf-8")
    event = session.rebuild(["summary"])
    assert event["type"] == "failed"
    assert event["errors"][0] == f"{source}:5:51: stages[id=sql].domain: unknown domain 'salez' (did you mean 'sales'?)"
    assert session.snapshot is good and session.state()["errors"] == event["errors"]
    source.write_text(CLIENT.replace("Sales Qualified Lead", "Sales Ready Lead"), encoding="utf-8")
    event = session.rebuild(["summary"])
    assert event["type"] == "updated" and session.errors == []
    assert event["changes"] == ["Sales Ready Lead: Renamed from Sales Qualified Lead"]
    assert event["rebuilt"] == ["stage summary"] and session.snapshot.revision == good.revision + 1


def test_the_event_stream_sends_hello_then_each_event_and_ends_on_close() -> None:
    async def run() -> list[str]:
        hub = Hub()
        stream = hub.stream({"type": "hello", "revision": 3}, heartbeat=0.05)
        chunks = [await stream.__anext__()]
        hub.publish({"type": "building"})
        chunks.append(await stream.__anext__())
        chunks.append(await stream.__anext__())  # nothing for a while: a keep-alive comment
        hub.close()
        chunks += [chunk async for chunk in stream]
        assert hub.listeners == 0
        return chunks

    chunks = asyncio.run(run())
    assert chunks == [
        'retry: 1000\ndata: {"type":"hello","revision":3}\n\n',
        sse({"type": "building"}),
        ": still here\n\n",
    ]


def test_events_carry_json_in_one_data_line() -> None:
    text = sse({"type": "failed", "errors": ["a.yaml:1:2: bad\nvalue"]})
    assert text.count("\n") == 2 and json.loads(text[len("data: ") :])["errors"] == ["a.yaml:1:2: bad\nvalue"]


def test_views_wait_for_their_files_and_say_so_without_tools(built: Session, monkeypatch) -> None:
    views = Renderings(built.out_root / ".deliver" / "preview")
    assert views.stale(built.snapshot) == ["faq"]
    assert views.summary()["faq"]["state"] == "pending"
    views.refresh(built.snapshot, ["faq"])
    assert views.stale(built.snapshot) == []
    faq = views.get("faq")
    assert faq.state == "ready" and "Marketing Qualified Lead" in faq.html


def test_missing_converters_give_a_note_for_the_client(built: Session, monkeypatch) -> None:
    views = Renderings(built.out_root / ".deliver" / "preview")
    monkeypatch.setattr(views.tools, "available", lambda program: False)
    card = views._card(built.snapshot, "stage-summary-v1.md")
    assert (card.state, card.note) == ("text", NOTES["card-missing"])
    for word in ("pdftoppm", "poppler", "soffice", "LibreOffice", "install"):
        assert word not in " ".join(NOTES.values())


def test_a_phrase_is_found_where_it_starts_a_line() -> None:
    def word(text: str, x: float, first: bool) -> Word:
        return Word(text, Box(x, 0.1, 0.05, 0.02), first)

    words = [word("a", 0, True), word("Known", 0.1, False), word("Lead", 0.2, False), word("Known", 0.5, True)]
    words.append(word("Lead", 0.6, False))
    found = find_phrase(words, "Known Lead")
    assert (found.left, found.top, found.width, found.height) == pytest.approx((0.5, 0.1, 0.15, 0.02))
    assert find_phrase(words, "Lost") is None


def test_what_changed_is_said_in_plain_lines(built: Session) -> None:
    before = built.snapshot.project
    after = before.model_copy(update={"version": 2})
    assert pagedata.what_changed(before, after) == ["Version v1 → v2"]
    assert pagedata.since_previous(before, None)["note"] == "There is no earlier version to compare with yet."


def test_serving_beyond_this_machine_warns() -> None:
    from deliverables.commands.serve import warn_about_host

    assert warn_about_host("127.0.0.1") is None
    assert "anyone who can reach this machine" in warn_about_host("0.0.0.0")


def test_a_taken_port_is_a_clear_error() -> None:
    from deliverables.core.errors import DeliverError
    from deliverables.preview.server import bind

    first = bind("127.0.0.1", 0)
    first.listen()
    try:
        with pytest.raises(DeliverError, match=r"port \d+ on 127.0.0.1 is in use; choose another with --port"):
            bind("127.0.0.1", first.getsockname()[1])
    finally:
        first.close()
