"""The semantic changelog between two versions of a client file."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_golden

from deliverables.core.changes import Change, changelog, format_text, marked, word_diff
from deliverables.core.validate import load_project

CASES = Path(__file__).parent / "cases" / "versions"


def project(name: str):
    """A fixture client file as a typed project."""
    return load_project(CASES / name)[0]


def edited(base: str, old: str, new: str):
    """The fixture with one text replaced."""
    text = (CASES / base).read_text(encoding="utf-8")
    assert old in text
    return load_project(CASES / base, text.replace(old, new, 1))[0]


def test_changelog_of_first_refinement_matches_golden():
    changes = changelog(project("v0.yaml"), project("v1.yaml"))
    assert_golden("changes-v0-v1.txt", format_text(changes, 0, 1))


def test_no_previous_version_means_no_changes():
    assert changelog(None, project("v0.yaml")) == ()


def test_identical_versions_report_no_changes():
    assert changelog(project("v0.yaml"), project("v0.yaml")) == ()
    assert format_text((), 0, 1) == "No changes from v0 to v1.\n"


def test_order_is_new_flow_then_removed_stages_then_terms_then_signoffs():
    kinds = [c.kind for c in changelog(project("v0.yaml"), project("v1.yaml"))]
    first_term = kinds.index("term-changed")
    assert kinds.index("stage-removed") < first_term < kinds.index("signoff-changed")
    assert all(not k.startswith("term") for k in kinds[:first_term])


def test_confirming_and_reverting_a_stage_is_reported_both_ways():
    old = project("v0.yaml")
    new = edited("v0.yaml", "    owner: marketing\n", "    owner: marketing\n    status: confirmed\n")
    assert changelog(old, new) == (Change("status-changed", "Lead", "ASSUMED → CONFIRMED"),)
    assert changelog(new, old) == (Change("status-changed", "Lead", "CONFIRMED → ASSUMED"),)


def test_one_word_change_in_a_definition_gives_a_word_diff():
    new = edited("v0.yaml", "showed interest", "showed real interest")
    (change,) = changelog(project("v0.yaml"), new)
    assert change.kind == "definition-changed"
    assert marked(change.detail) == "A contact who showed {+real +}interest."


def test_moving_a_stage_to_another_domain_is_one_move():
    new = edited(
        "v0.yaml", "    domain: lead\n    definition: Sales agrees", "    domain: sales\n    definition: Sales agrees"
    )
    changes = changelog(project("v0.yaml"), new)
    assert [c.kind for c in changes] == ["stage-moved"]
    assert changes[0].summary == "Moved from Lead to Sales, first in the flow"


def test_golden_flag_and_owner_changes_are_named():
    new = edited("v0.yaml", "    owner: sales\n    golden: true", "    owner: lee")
    summaries = [c.summary for c in changelog(project("v0.yaml"), new)]
    assert summaries == ["Owner: Sales → Lee Park, CRO", "No longer a golden stage"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Lead score reaches 60", "Lead score reaches 70", "Lead score reaches [-60-]{+70+}"),
        ("a b c", "a x y c", "a [-b-]{+x y+} c"),
        ("", "new text", "{+new text+}"),
        ("漢字です", "漢字でした", "漢字で[-す-]{+した+}"),
        ("Café crème", "Café au lait", "Café [-crème-]{+au lait+}"),
    ],
)
def test_word_diff_marks_only_the_changed_words(old, new, expected):
    segments = word_diff(old, new)
    assert marked(segments) == expected
    assert "".join(t for op, t in segments if op != "+") == old
    assert "".join(t for op, t in segments if op != "-") == new


def test_word_diff_of_huge_texts_falls_back_to_whole_replacement():
    old, new = "word " * 3000, "other " * 3000
    assert word_diff(old, new) == (("-", old), ("+", new))


def big(order: list[int], extra: tuple[str, ...] = ()):
    """A 60-stage client in one domain, stages in the given order."""
    from deliverables.core.model import Client, Project, Stage

    stages = [Stage(id=f"s{n}", name=f"Stage {n}", domain="lead", definition="Long text " * 40) for n in order]
    stages += [Stage(id=x, name=x, domain="lead") for x in extra]
    return Project(client=Client(name="Big"), stages=tuple(stages))


def test_one_stage_moved_among_sixty_is_reported_once():
    order = list(range(60))
    moved = order[:10] + order[11:40] + [10] + order[40:]
    changes = changelog(big(order), big(moved))
    assert changes == (Change("stage-moved", "Stage 10", "Moved within Lead: now after Stage 39"),)


def test_inserting_a_stage_moves_nothing_else():
    order = list(range(60))
    changes = changelog(big(order), big(order, extra=("new",)))
    assert [c.kind for c in changes] == ["stage-added"]
    assert changes[0].summary == "New stage in Lead, after Stage 59 (ASSUMED)"


def test_renaming_an_exit_target_changes_only_that_stage():
    old = edited(
        "v0.yaml", "    owner: marketing\n", "    owner: marketing\n    exit: [{to: sal, when: Sales accepts}]\n"
    )
    text = (
        (CASES / "v0.yaml")
        .read_text(encoding="utf-8")
        .replace("    owner: marketing\n", "    owner: marketing\n    exit: [{to: sal, when: Sales accepts}]\n", 1)
        .replace("abbr: SAL", "abbr: SAL2")
    )
    new = load_project(CASES / "v0.yaml", text)[0]
    assert [c.kind for c in changelog(old, new)] == ["stage-renamed"]


def test_a_signoff_change_names_its_scope_in_words_and_its_date_as_every_page_does():
    old = project("v0.yaml")
    new = edited("v0.yaml", "{by: dana, scope: definitions}", "{by: dana, scope: edge-cases, date: 2026-11-09}")
    subjects = {c.subject: c.summary for c in changelog(old, new)}
    assert subjects["Sign-off (edge cases): Dana Ortiz, VP RevOps"] == "Not expected → signed 9 November 2026"
