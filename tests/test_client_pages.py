"""Client pages speak to the client: no tool text, no broken English, no date nobody chose.

Every client-facing file (docx, pptx, pdf, svg, md, ics, html) of every fixture client
and reference architecture is scanned for phrases that belong in the terminal, not on
a page the partner sends.
"""

from __future__ import annotations

import re

import pytest
from client_files import KEY_CLIENTS, OTHER_CLIENTS, client_texts, label, project_of

TOOL_TEXT = {
    "the client file": r"\bclient file\b",
    "YAML": r"\byaml\b",
    "rebuilding": r"\brebuil[dt]\b|\bbuild (it into|the previous|again)\b",
    "output folders": r"\boutput folder\b|\bsame --out\b",
    "a missing earlier version": r"\bno earlier version\b",
    "backticks": r"`",
    "a deliver command": r"\bdeliver (build|check|new|confirm|package|snapshot|serve|diff)\b",
    "a command-line option": r"(?<![\w-])--(final|strict|out|only|force|update)\b",
    "a client-file key": r"\b(launch_date|current_state|red_flag|drop_off_reasons|confirm_with|lint_ignore|"
    r"contact_statuses|maintenance\.(monthly|quarterly|triggers)|client\.[a-z_]+)\b",
    "a tentative plural": r"\w\((s|es)\)",
    "a doubled possessive": r"\w[sS]'s\b",
    "a date nobody chose": r"\b2000-01-01\b|\b1 January 2000\b|\b20000101\b",
    "'Unassigned'": r"\bunassigned\b",
    "a count of itself": r"\b(\d+) of \1 \w+s\b|\b(\d+) stages\b[^;]*; \2 still\b|\b1 of 1 (stage|term|item)s?\b|\ball [01] \w+",
    "a plural after one": r"(?<![\d.,])\b1 (golden )?(stages|terms|items|people|owners|domains|meetings|questions|"
    r"changes|approvals|records|values|rows|days|weeks|months)\b",
    "a count of none": r"(?<![\d.,])\b0 (golden )?(stages|terms|items|people|owners|domains|meetings|questions)\b",
}
"""What must never appear on a client page, by what it is."""

DRAFT_CLAIMS = r"\bproject is complete\b|\bfinal architecture\b|\b(architecture|version|lifecycle) is (final|complete|signed[- ]off)\b"
"""How a page would call a draft finished."""


def offenders(texts: dict[str, str], pattern: str) -> list[str]:
    """`file: line` for every line of every file matching `pattern` (case-insensitive)."""
    found = re.compile(pattern, re.IGNORECASE)
    return [
        f"{name}: {line.strip()[:160]}"
        for name, text in texts.items()
        for line in text.splitlines()
        if found.search(line)
    ]


def _scan(path) -> None:
    texts = client_texts(path)
    assert texts, f"no client-facing file built for {path}"
    problems = [f"{what}: {hit}" for what, pattern in TOOL_TEXT.items() for hit in offenders(texts, pattern)]
    if not project_of(path).is_final():
        problems += [f"a draft called finished: {hit}" for hit in offenders(texts, DRAFT_CLAIMS)]
    assert problems == []


@pytest.mark.parametrize("path", KEY_CLIENTS, ids=label)
def test_client_pages_of_the_key_clients_carry_no_tool_text(path):
    _scan(path)


@pytest.mark.slow
@pytest.mark.parametrize("path", OTHER_CLIENTS, ids=label)
def test_client_pages_of_every_fixture_and_architecture_carry_no_tool_text(path):
    _scan(path)


def test_the_scan_finds_each_kind_of_offender():
    """Every pattern catches the text it is named for, so the scan can fail."""
    samples = {
        "the client file": "Add them under terms in the client file.",
        "YAML": "Edit the YAML.",
        "rebuilding": "Set the date and rebuild.",
        "output folders": "No earlier version was built in this output folder.",
        "a missing earlier version": "No earlier version of this client is known.",
        "backticks": "Add `terms`.",
        "a deliver command": "Run deliver build acme.yaml.",
        "a command-line option": "Use --final to check.",
        "a client-file key": "Set client.launch_date first.",
        "a tentative plural": "3 item(s) remain",
        "a doubled possessive": "Big Enterprise Holdings's leadership",
        "a date nobody chose": "Version v0 · 1 January 2000",
        "'Unassigned'": "Unassigned",
        "a count of itself": "42 of 42 items still ASSUMED",
        "a plural after one": "this is v0, 1 stages read lane by lane",
        "a count of none": "0 golden stages mark the transitions",
    }
    assert set(samples) == set(TOOL_TEXT)
    for what, text in samples.items():
        assert offenders({"page.docx": text}, TOOL_TEXT[what]) == [f"page.docx: {text}"], what
    assert offenders({"deck.pptx": "The project is complete"}, DRAFT_CLAIMS)


def test_the_scan_leaves_client_language_alone():
    """Ordinary client wording is not mistaken for tool text."""
    fine = [
        "Big Enterprise Holdings' leadership team",
        "Build the dashboards and reports.",
        "| Rule | What it does | How to build it |",
        "Owner to be named",
        "Lead Status (contacts.hs_lead_status) records the working state.",
        "3 meetings take v0 to a signed-off lifecycle",
        "Version v0 · undated draft",
        "5 of 21 stages still ASSUMED · Page 1 of 1",
        "Lead runs through 5 stages; all 5 still need confirming",
    ]
    hits = [
        hit for pattern in (*TOOL_TEXT.values(), DRAFT_CLAIMS) for hit in offenders({"p.md": "\n".join(fine)}, pattern)
    ]
    assert hits == []
