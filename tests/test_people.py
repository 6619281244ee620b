"""One name per person: a person the file names twice, typed two ways, is printed one way.

The architect or a trainer written as a stakeholder's name in another case, spacing or
with other accents is that stakeholder; a name with a no-break space pasted from Word
has a plain one; two stakeholders with one name, or initials that stand for a
stakeholder, are warnings at the name.
"""

from __future__ import annotations

from pathlib import Path

from deliverables.core.enablement import sessions
from deliverables.core.validate import load_project

PEOPLE = """\
client: {{name: Acme, crm: hubspot}}
version: 1
date: 2026-11-20
architect: {architect}
stakeholders:
  - {{id: dana, name: "Dana\\u00a0Ortiz", title: VP RevOps, department: revops}}
  - {{id: marcus, name: Marcus Bell, title: VP Sales, department: sales}}{more}
stages:
  - {{id: sql, name: Sales Qualified Lead, domain: sales, owner: sales}}
enablement:
  trainer: {trainer}
  audiences: [{{team: sales}}]
"""


def _load(tmp_path: Path, architect: str = "Sam Rivera", trainer: str = "Sam Rivera", more: str = ""):
    path = tmp_path / "c.yaml"
    path.write_text(PEOPLE.format(architect=architect, trainer=trainer, more=more), encoding="utf-8")
    project, warnings = load_project(path)
    return path, project, [str(w) for w in warnings]


def test_a_name_pasted_with_a_no_break_space_gets_a_plain_one(tmp_path: Path) -> None:
    _, project, warnings = _load(tmp_path)
    assert project.stakeholders[0].name == "Dana Ortiz"
    assert (project.architect, warnings) == ("Sam Rivera", [])


def test_the_architect_typed_another_way_takes_the_stakeholders_spelling(tmp_path: Path) -> None:
    path, project, warnings = _load(tmp_path, architect="'dana  ORTÍZ'")
    assert project.architect == "Dana Ortiz"
    assert warnings == [
        f"{path}:4:12: architect: warning: 'dana  ORTÍZ' is stakeholder 'dana'; the documents spell it 'Dana Ortiz'"
    ]


def test_a_trainer_typed_as_a_stakeholders_name_is_named_as_that_stakeholder(tmp_path: Path) -> None:
    path, project, warnings = _load(tmp_path, trainer="DANA ORTIZ")
    assert [s.trainer for s in sessions(project)] == ["Dana Ortiz, VP RevOps"]
    assert warnings == [
        f"{path}:11:12: enablement.trainer: warning: 'DANA ORTIZ' is stakeholder 'dana'; the documents name them 'Dana Ortiz'"
    ]


def test_initials_standing_for_a_stakeholder_are_a_warning(tmp_path: Path) -> None:
    path, _, warnings = _load(tmp_path, trainer="M. Bell")
    assert warnings == [
        f"{path}:11:12: enablement.trainer: warning: 'M. Bell' looks like stakeholder 'marcus' ('Marcus Bell');"
        " write 'marcus' to name them one way in every document"
    ]


def test_two_stakeholders_with_one_name_are_a_warning(tmp_path: Path) -> None:
    more = "\n  - {id: dana2, name: dana ortiz, department: revops}"
    path, _, warnings = _load(tmp_path, more=more)
    assert warnings == [
        f"{path}:8:23: stakeholders[id=dana2].name: warning: 'dana ortiz' is the name of stakeholder 'dana'"
        " ('Dana Ortiz') too; if they are one person, keep one entry and use its id everywhere"
    ]


def test_a_person_named_in_one_place_only_is_left_as_written(tmp_path: Path) -> None:
    _, project, warnings = _load(tmp_path, architect="Lone Architect", trainer="Outside Trainer")
    assert (project.architect, [s.trainer for s in sessions(project)], warnings) == (
        "Lone Architect",
        ["Outside Trainer"],
        [],
    )
