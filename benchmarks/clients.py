"""Generate client files for benchmarks: the example renamed, and a large client."""

from __future__ import annotations

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


if __name__ == "__main__":
    large(int(sys.argv[1]), Path(sys.argv[2]))
