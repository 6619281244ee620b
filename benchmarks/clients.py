"""Generate client files for benchmarks: the example renamed, and a large client."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme-analytics.yaml"
DOMAINS = ("lead", "sales", "customer", "company", "poc", "renewal")


def renamed(name: str, target: Path) -> Path:
    """The example under another client name."""
    yaml = YAML()
    data = yaml.load(EXAMPLE.read_text(encoding="utf-8"))
    data["client"]["name"] = name
    data["client"]["slug"] = None
    del data["client"]["slug"]
    with target.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    # The audit's CRM exports are named relative to the client file.
    shutil.copytree(EXAMPLE.parent / "exports", target.parent / "exports", dirs_exist_ok=True)
    return target


def large(stages: int, target: Path) -> Path:
    """A client with `stages` stages spread over six domains, with long criteria."""
    lines = [
        "client: {name: Large Client Holdings, crm: salesforce}",
        "version: 2",
        "meeting: refinement-1",
        "date: 2026-11-20",
        "architect: Sam Rivera",
        "stakeholders:",
        "  - {id: revops, name: Dana Ortiz, title: VP RevOps, department: revops}",
        "stages:",
    ]
    per_domain = -(-stages // len(DOMAINS))
    for i in range(stages):
        domain = DOMAINS[min(i // per_domain, len(DOMAINS) - 1)]
        golden = "true" if i % 17 == 5 else "false"
        status = "confirmed" if i % 3 else "assumed"
        lines += [
            f"  - id: s{i:03d}",
            f"    name: Stage {i} {domain.title()} Milestone Reached",
            f"    abbr: S{i}",
            f"    domain: {domain}",
            f"    definition: The record in domain {domain} has met every requirement of step {i}, confirmed by the owning team"
            " and visible in the weekly pipeline review with the supporting evidence attached.",
            "    entry:",
            f"      - Qualifying activity for step {i} logged with date and outcome",
            f"    owner: {('marketing', 'sales', 'cs', 'revops')[i % 4]}",
            f"    golden: {golden}",
            f"    status: {status}",
        ]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


ENTERPRISE_DOMAINS = (
    ("lead", ("marketing", "sdr"), ("Inquiry", "Engaged Lead", "Marketing Qualified Lead", "Sales Accepted Lead")),
    (
        "sales",
        ("sales",),
        ("Discovery", "Solution Design", "Business Case", "Negotiation", "Closed Won", "Closed Lost"),
    ),
    ("poc", ("sales",), ("POC Scoped", "POC Running", "POC Passed", "POC Failed")),
    ("customer", ("cs",), ("Onboarding", "Early Adoption", "Mature Adoption", "At Risk", "Churned")),
    ("renewal", ("cs",), ("Renewal Open", "Renewal Forecast", "Renewed", "Renewal Lost")),
    ("expansion", ("cs", "sales"), ("Expansion Identified", "Expansion Proposed", "Expansion Won", "Expansion Lost")),
    ("company", ("revops",), ("Target Account", "Engaged Account", "Customer Account", "Former Customer")),
)
"""The seven domains of an enterprise client: id, owning departments, stage name stems."""

CRM_OBJECTS = {
    "lead": "object: lead",
    "sales": "object: opportunity, pipeline: New Business",
    "poc": "object: opportunity, pipeline: New Business",
    "renewal": "object: opportunity, pipeline: Renewal",
    "expansion": "object: opportunity, pipeline: Expansion",
    "customer": "object: account",
    "company": "object: account",
}
REGIONS = ("North America", "EMEA", "APAC", "LATAM", "Public Sector", "Strategic", "Partner", "Mid-Market")


def enterprise(stages: int, target: Path) -> Path:
    """A post-merger Salesforce client with `stages` stages over seven domains, six
    teams and long entry criteria: each stage stem repeated per region."""
    lines = [
        "client: {name: Meridian Holdings, crm: salesforce}",
        "version: 2",
        "meeting: refinement-1",
        "date: 2026-11-20",
        "architect: Sam Rivera",
        "departments: [sdr]",
        "stakeholders:",
        "  - {id: dana, name: Dana Ortiz, title: VP RevOps, department: revops}",
        "  - {id: lee, name: Lee Park, title: CMO, department: marketing}",
        "stages:",
    ]
    weights = [len(stems) for _, _, stems in ENTERPRISE_DOMAINS]
    counts = [max(2, stages * w // sum(weights)) for w in weights]
    counts[1] += stages - sum(counts)
    n = 0
    for (domain, owners, stems), count in zip(ENTERPRISE_DOMAINS, counts):
        for i in range(count):
            stem = stems[i % len(stems)]
            region = REGIONS[(i // len(stems)) % len(REGIONS)]
            round_ = i // (len(stems) * len(REGIONS))
            name = f"{stem} {region}" + (f" {round_ + 1}" if round_ else "")
            owner = owners[i * len(owners) // count]
            status = "confirmed" if n % 3 else "assumed"
            golden = (
                "true"
                if stem in ("Sales Accepted Lead", "Closed Won", "Early Adoption") and i < len(stems)
                else "false"
            )
            lines += [
                f"  - id: {domain}-{i:03d}",
                f"    name: {name}",
                f"    domain: {domain}",
                f"    definition: A {region} record in the {stem.lower()} step, agreed by the owning team after the"
                " post-merger review. It is visible in the weekly pipeline review with its supporting evidence"
                " attached, and the regional operations lead signs it off.",
                "    entry:",
                f"      - The {stem.lower()} checklist for {region} is complete, with the date and outcome of every"
                " qualifying activity logged on the record",
                "      - The owning team has reviewed the record in the weekly pipeline meeting and agreed the next step",
                f"      - Required fields for {region} (segment, territory, currency and primary contact) are filled in",
                f"    owner: {owner}",
                f"    golden: {golden}",
                f"    status: {status}",
                f"    crm: {{{CRM_OBJECTS[domain]}, field: Lifecycle_Stage_Enterprise_Region__c, value: "
                f"{domain.upper()}_{i:03d}_{stem.upper().replace(' ', '_')}}}",
            ]
            n += 1
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    if sys.argv[1] == "enterprise":
        enterprise(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        large(int(sys.argv[1]), Path(sys.argv[2]))
