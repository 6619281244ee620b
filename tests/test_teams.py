"""The split of an architecture into teams, from owners and domains."""

from __future__ import annotations

from deliverables.core.model import Project
from deliverables.core.teams import handoffs, team_split


def project(stages: list[dict], **extra) -> Project:
    return Project.model_validate({"client": {"name": "Team Co"}, "stages": stages, **extra})


def ids(split: dict) -> dict[str, list[str]]:
    return {team: [s.id for s in stages] for team, stages in split.items()}


def test_owners_decide_and_unowned_stages_follow_their_domain() -> None:
    made = project(
        [
            {"id": "lead", "name": "Lead", "domain": "lead"},
            {"id": "mql", "name": "MQL", "domain": "lead", "owner": "marketing"},
            {"id": "sal", "name": "SAL", "domain": "lead", "owner": "sdr"},
            {"id": "sql", "name": "SQL", "domain": "sales", "owner": "dana"},
            {"id": "won", "name": "Closed Won", "domain": "sales"},
            {"id": "onb", "name": "Onboarding", "domain": "customer"},
            {"id": "t1", "name": "Target", "domain": "territory"},
        ],
        stakeholders=[{"id": "dana", "name": "Dana Ortiz", "department": "sales"}],
        departments=["sdr"],
        domains=[{"id": "territory", "name": "Territory"}],
    )
    assert ids(team_split(made)) == {
        "Marketing": ["lead", "mql"],
        "SDR team": ["sal"],
        "Sales": ["sql", "won"],
        "Customer Success": ["onb"],
        "Territory": ["t1"],
    }
    crossing = [(h.source.id, h.target.id, h.source_team, h.target_team) for h in handoffs(made)]
    assert crossing == [
        ("mql", "sal", "Marketing", "SDR team"),
        ("sal", "sql", "SDR team", "Sales"),
        ("won", "onb", "Sales", "Customer Success"),
    ]
