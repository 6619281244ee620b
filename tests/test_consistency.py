"""Every file tells the same story: the stage names, their order, count and statuses, the
domain order and the way each person is named, read back from each client-facing file,
agree with the client file and with each other."""

from __future__ import annotations

import re

import pytest
from client_files import KEY_CLIENTS, OTHER_CLIENTS, client_files, client_texts, label, project_of
from test_diagram import expected_name, names_in_svg

from deliverables.core import marks
from deliverables.core.model import DEPARTMENT_TITLES, Project, department_title

GOLD = f" {marks.GOLDEN}"


def one(texts: dict[str, str], prefix: str) -> str:
    """The text of the one file named `prefix` + version + suffix (not its redline or per-team copies)."""
    found = [text for name, text in texts.items() if re.fullmatch(re.escape(prefix) + r"\d+\.\w+", name)]
    assert len(found) == 1, (prefix, sorted(texts))
    return found[0]


def tables(text: str, header: str) -> list[list[list[str]]]:
    """Every table (rows of cells, header left out) whose header row starts with `header`."""
    found, rows, inside = [], [], False
    for line in [*text.splitlines(), ""]:
        if line.startswith("|---"):
            continue
        if line.startswith("| "):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            if line.startswith(header):
                inside, rows = True, []
                found.append(rows)
            elif inside:
                rows.append(cells)
        else:
            inside = False
    return found


def bare(name: str) -> str:
    """A stage cell without its marks: `Closed Won ★ ASSUMED` -> `Closed Won`."""
    return name.removesuffix(f" / {marks.ASSUMED}").replace(GOLD, "").replace(f" {marks.ASSUMED}", "").strip()


def expected(project: Project) -> tuple[list[str], list[str]]:
    """Stage labels in presentation order and their statuses, from the model."""
    flow = project.flow()
    return [s.label for s in flow], [marks.status_text(s.status) for s in flow]


def alignment(project: Project, texts: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """Stage labels, statuses and domain headings of the Definition Alignment Document."""
    text = one(texts, "definition-alignment-v")
    rows = [row for table in tables(text, "| Stage | Definition |") for row in table]
    headings = re.findall(r"^\[Heading 2\] (.+) stages$", text, re.MULTILINE)
    return [bare(r[0]) for r in rows], [r[-1].split(" / ")[0] for r in rows], headings


def summary(texts: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """Stage labels, statuses and domain headings of the stage summary."""
    text = one(texts, "stage-summary-v")
    rows = [row for table in tables(text, "| Stage | Entry criteria |") for row in table]
    return [bare(r[0]) for r in rows], [r[-1] for r in rows], re.findall(r"^## (.+)$", text, re.MULTILINE)


def crm_spec(texts: dict[str, str]) -> list[tuple[list[str], list[str], list[str]]]:
    """Stage labels, statuses and domain order of each stage table of the CRM spec (one per
    platform it addresses: both when the client's CRM is neither)."""
    found = []
    for rows in tables(one(texts, "crm-config-spec-v"), "| Stage | Domain | Object |"):
        statuses = [marks.ASSUMED if r[0].endswith(f" {marks.ASSUMED}") else marks.CONFIRMED for r in rows]
        found.append(([bare(r[0]) for r in rows], statuses, list(dict.fromkeys(r[1] for r in rows))))
    return found


def card(project: Project, texts: dict[str, str]) -> tuple[int, list[str]]:
    """How many stage labels the reference card prints in flow order, and their statuses
    (the domain headings left out, so a stage named like its domain is found as the stage)."""
    headings = {project.domain_title(d) for d in project.domain_order()}
    lines = [line.strip() for line in one(texts, "stage-reference-card-v").splitlines()]
    text = " ".join(line for line in lines if line not in headings)
    position, statuses = 0, []
    for stage in project.flow():
        found = text.find(stage.label, position)
        if found < 0:
            break
        position = found + len(stage.label)
        after = text[position : position + len(GOLD) + len(marks.ASSUMED) + 1]
        statuses.append(marks.ASSUMED if marks.ASSUMED in after else marks.CONFIRMED)
    return len(statuses), statuses


def people_labels(texts: dict[str, str]) -> set[str]:
    """Every name under which a person appears in a table of a document or deck."""
    found: set[str] = set()
    for name, text in texts.items():
        for table in tables(text, "| Who confirms |"):
            found |= {row[0] for row in table if row[0]}
        for table in tables(text, "| Name | Scope |"):
            found |= {row[0].split(" / ")[0] for row in table}  # a second line holds the e-mail
        for line in text.splitlines():
            if line.startswith("| Term | Definition | ") and name.startswith("definition-alignment-v"):
                found |= {c.strip() for c in line.strip("| \n").split(" | ")[2:]}
        for table in tables(text, "| Term | Proposed definition | Approvals |"):
            for row in table:
                found |= {part.rsplit(": ", 1)[0] for part in row[2].split(" / ") if ": " in part}
    return found


def _agree(path) -> None:
    project, texts = project_of(path), client_texts(path)
    names, statuses = expected(project)
    domains = [project.domain_title(d) for d in project.domain_order()]
    doc_names, doc_statuses, doc_domains = alignment(project, texts)
    assert (doc_names, doc_statuses, doc_domains) == (names, statuses, domains), "alignment document"
    assert summary(texts) == (names, statuses, domains), "stage summary"
    platforms = 2 if project.client.crm == "other" else 1
    assert crm_spec(texts) == [(names, statuses, domains)] * platforms, "CRM spec"
    assert card(project, texts) == (len(names), statuses), "reference card"
    svg = next(
        data for name, data in client_files(path).items() if re.fullmatch(r"lifecycle-architecture-v\d+\.svg", name)
    )
    assert sorted(names_in_svg(svg)) == sorted(expected_name(s) for s in project.stages), "diagram"
    people = {p.label for p in project.stakeholders}
    # Without a stakeholder, a department stands for its lead (approvals, sign-off rows).
    others = {department_title(k) for t in project.terms for k in t.approvals if project.stakeholder(k) is None}
    others |= {department_title(k) for k in (*DEPARTMENT_TITLES, *project.departments)} | {"Approved?"}
    labels = people_labels(texts)
    assert labels and labels <= people | others | {"Owner to be named"}
    assert not {p.id for p in project.stakeholders} & labels


@pytest.mark.parametrize("path", KEY_CLIENTS, ids=label)
def test_every_file_of_the_key_clients_tells_the_same_story(path):
    _agree(path)


@pytest.mark.slow
@pytest.mark.parametrize("path", [p for p in OTHER_CLIENTS if "diagram" not in p.parts], ids=label)
def test_every_file_of_every_fixture_tells_the_same_story(path):
    _agree(path)


def test_a_renamed_stage_in_one_file_is_caught():
    """The readers see a stage name that differs from the model, so the test can fail."""
    path = KEY_CLIENTS[1]
    project, texts = project_of(path), dict(client_texts(path))
    name = one(texts, "stage-summary-v")
    summary_name = next(n for n in texts if n.startswith("stage-summary-v"))
    texts[summary_name] = name.replace("| Sales Accepted Lead (SAL) |", "| Sales Accepted Leads (SAL) |")
    assert summary(texts)[0] != expected(project)[0]
    texts[summary_name] = name.replace("| ASSUMED |", "| CONFIRMED |", 1)
    assert summary(texts)[1] != expected(project)[1]
