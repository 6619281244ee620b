"""The rules about the terms table: abbreviations used in definitions that it does
not define, and terms CONFIRMED against an approver's rejection.

Only ALL-CAPS abbreviations (2-6 characters, like SAO or FTV) are looked at:
ordinary words cannot be told apart from terms reliably. Common business
abbreviations (CRM, ICP, ARR, ...) and shouting (NOT, ONLY) are let through to
keep false positives low.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from deliverables.core.model import STANDARD_DEPARTMENTS, Project
from deliverables.lint.base import Hit, rule

ABBREVIATION = re.compile(r"\b([A-Z][A-Z0-9]{1,5})(?:s|'s)?\b")

COMMON = frozenset(
    [
        "CRM",
        "ICP",
        "CSM",
        "CSMS",
        "SDR",
        "BDR",
        "AE",
        "AM",
        "CS",
        "VP",
        "SVP",
        "EVP",
        "CEO",
        "CFO",
        "CTO",
        "CRO",
        "CMO",
        "COO",
        "CIO",
        "CISO",
        "ARR",
        "MRR",
        "ACV",
        "TCV",
        "LTV",
        "CLV",
        "CAC",
        "ROI",
        "KPI",
        "OKR",
        "SLA",
        "SLO",
        "API",
        "SSO",
        "URL",
        "PDF",
        "CSV",
        "USD",
        "EUR",
        "GBP",
        "FAQ",
        "ID",
        "UTM",
        "SEO",
        "SEM",
        "PPC",
        "B2B",
        "B2C",
        "SMB",
        "SME",
        "QA",
        "HR",
        "IT",
        "PO",
        "RFP",
        "RFI",
        "RFQ",
        "NDA",
        "MSA",
        "SOW",
        "EMEA",
        "APAC",
        "AMER",
        "LATAM",
        "NA",
        "US",
        "USA",
        "UK",
        "EU",
        "OK",
        "BANT",
        "MEDDIC",
        "SPICED",
        "CHAMP",
        "GPCT",
        "NPS",
        "CSAT",
        "CES",
        "QBR",
        "EBR",
        "POC",
        "POV",
        "PLG",
        "SLG",
        "TBD",
        "TBC",
        "AI",
        "ML",
        "ETL",
        "ERP",
        "CPQ",
        "CMS",
        "IP",
        "VAT",
        "GDPR",
        "CCPA",
        "SOC",
        "ISO",
        "HIPAA",
        "SAAS",
        "SKU",
        "CTA",
        "AB",
        "ABM",
        "IQL",
        "RACI",
        "DM",
        "FY",
        "FYI",
        "ASAP",
        "EOD",
        "EOW",
        "AKA",
        "NB",
        "PS",
        "NOT",
        "AND",
        "OR",
        "NO",
        "ALL",
        "ANY",
        "ONLY",
        "MUST",
        "THE",
        "IS",
        "IN",
        "ON",
        "AT",
        "TO",
        "IF",
        "BY",
        "OF",
        "FOR",
        "NEW",
        "NEVER",
        "NONE",
        "YES",
        "THEN",
        "AFTER",
        "BEFORE",
        "BOTH",
        "EACH",
        "EVERY",
        "WITH",
        "WITHOUT",
        "ONE",
        "TWO",
        "NOTE",
        "ALSO",
        "TODO",
        "WIP",
        "ETA",
        "BUT",
        "NOR",
        "SO",
        "AS",
        "BE",
        "ARE",
        "WILL",
        "MAY",
        "CAN",
        "SHALL",
        "SHOULD",
        "HAS",
        "HAVE",
        "THIS",
        "THAT",
        "WHEN",
        "WHERE",
        "WHO",
        "WHAT",
        "WHY",
        "HOW",
        "OUT",
        "UP",
        "DO",
        "DONE",
        "NOW",
        "EVEN",
        "ALWAYS",
        "FIRST",
        "LAST",
        "NEXT",
        "KEY",
        "STOP",
        "WAIT",
        "SEE",
        "ASK",
    ]
)
"""Abbreviations and emphasis words that need no entry in the terms table."""


def _tokens(text: str) -> list[str]:
    """Abbreviations in a text, with at least two letters (so Q4 or H1 are not terms).

    A text written mostly in capitals is shouting, not abbreviations: skipped.
    """
    letters = [c for c in text if c.isalpha()]
    if len(letters) > 12 and sum(c.isupper() for c in letters) > len(letters) / 2:
        return []
    found = (m.group(1) for m in ABBREVIATION.finditer(text))
    return [t for t in found if sum(c.isalpha() for c in t) >= 2]


def defined(project: Project) -> set[str]:
    """Abbreviations the file defines: terms, stage abbreviations, departments, stakeholder ids."""
    known = set(COMMON)
    for term in project.terms:
        known.update(_tokens(term.term))
        known.add(term.key.upper())
    for stage in project.stages:
        known.update(_tokens(stage.abbr or ""))
    known.update(d.upper() for d in (*STANDARD_DEPARTMENTS, *project.departments))
    known.update(p.id.upper() for p in project.stakeholders)
    return known


def texts(project: Project) -> Iterator[tuple[tuple[str | int, ...], str, str | None]]:
    """Every definition-like text: (path, text, stage id)."""
    for i, stage in enumerate(project.stages):
        yield ("stages", i, "name"), stage.name, stage.id
        yield ("stages", i, "definition"), stage.definition, stage.id
        for k, criterion in enumerate(stage.entry):
            yield ("stages", i, "entry", k), criterion, stage.id
        for k, exit_ in enumerate(stage.exit):
            yield ("stages", i, "exit", k, "when"), exit_.when, stage.id
    for j, term in enumerate(project.terms):
        yield ("terms", j, "definition"), term.definition, None


@rule(
    "undefined-term",
    "warning",
    "An abbreviation (e.g. SAO, FTV) used in definitions or criteria that the terms table does not define.",
    "add the term to `terms` (or give the stage that abbreviation) so every reader shares its meaning",
)
def undefined_term(project: Project) -> Iterator[Hit]:
    """First use of each abbreviation missing from a non-empty terms table."""
    if not project.terms:
        return
    known = defined(project)
    first: dict[str, tuple[tuple[str | int, ...], str | None]] = {}
    count: dict[str, int] = {}
    for path, text, stage in texts(project):
        for token in _tokens(text):
            if token not in known:
                first.setdefault(token, (path, stage))
                count[token] = count.get(token, 0) + 1
    for token, (path, stage) in first.items():
        times = f" (used {count[token]} times)" if count[token] > 1 else ""
        yield Hit(path, f"'{token}' is not defined in the terms table{times}", stage)


@rule(
    "confirmed-term-rejected",
    "warning",
    "A term marked CONFIRMED that an approver rejected.",
    "settle the rejection with the approver: record their new approval, or mark the term ASSUMED until it is agreed",
    draft=True,  # at sign-off, final-term-not-approved says it
)
def confirmed_term_rejected(project: Project) -> Iterator[Hit]:
    """A CONFIRMED term with a rejected approval: the documents would show both."""
    for j, term in enumerate(project.terms):
        rejected = [key for key, value in term.approvals.items() if value == "rejected"]
        if term.status == "confirmed" and rejected:
            names = " and ".join(_who(project, key) for key in rejected)
            yield Hit(
                ("terms", j, "approvals", rejected[0]), f"term '{term.term}' is CONFIRMED, yet {names} rejected it"
            )


def _who(project: Project, key: str) -> str:
    """A stakeholder's name, else the department's title (`person_label` adds the title)."""
    person = project.stakeholder(key)
    return person.name if person else project.person_label(key)
