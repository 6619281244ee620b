"""Client files for the deck tests: a generated large client that stresses every slide."""

from __future__ import annotations

import json

DOMAINS = ("lead", "sales", "customer", "company", "poc", "renewal", "expansion")
LONG = (
    "The record meets every qualification rule agreed by Marketing, Sales and Customer Success, "
    "including firmographic fit, a verified buying role and recent engagement across at least two channels"
)
WORLD = (
    "Größe über 50 Mitarbeiter · 顧客が製品の価値を初めて実感した時点 · العميل وقع العقد · 🚀 launch-ready · Ünïcödé ✓"
)


def _stage(i: int) -> dict:
    domain = DOMAINS[i % len(DOMAINS)]
    return {
        "id": f"s{i:02d}",
        "name": f"Stage {i:02d} " + ("with a deliberately long name for wrapping" if i % 5 == 0 else "Reached"),
        "abbr": f"S{i}" if i % 3 == 0 else None,
        "domain": domain,
        "definition": f"{LONG}. {WORLD}" if i % 4 == 0 else LONG,
        "entry": [f"{LONG} ({i}.{k})" for k in range(3)] + ([WORLD] if i % 6 == 0 else []),
        "owner": ("marketing", "sales", "cs", "revops", "p1")[i % 5],
        "golden": i % 11 == 0,
        "status": "confirmed" if i % 7 == 0 else "assumed",
        "confirm_with": (None, "p1", "p2", "marketing", "p3")[i % 5],
        "notes": "" if i % 2 else f"Confirm with the team: {LONG}.",
    }


def big_client(version: int = 0) -> str:
    """A 60-stage client file with long criteria and text in many scripts, as JSON (valid YAML)."""
    stages = [{k: v for k, v in _stage(i).items() if v is not None} for i in range(60)]
    people = [
        {
            "id": f"p{i}",
            "name": f"Person {i} Lastname-Hyphenated",
            "title": "Vice President of Revenue Operations",
            "department": ("revops", "marketing", "sales", "cs")[i % 4],
        }
        for i in range(1, 9)
    ]
    data = {
        "client": {
            "name": "Überlange Holdings International Group of Companies and Subsidiaries GmbH & Co. KG",
            "crm": "salesforce",
            "engagement": "dedicated",
        },
        "version": version,
        "meeting": "refinement-2" if version else "kickoff",
        "date": "2026-11-20",
        "architect": "Sam Rivera",
        "stakeholders": people,
        "stages": stages,
        "terms": [
            {
                "term": f"Term {i} {WORLD[:20]}",
                "definition": f"{LONG}. {WORLD}",
                "approvals": {"p1": "pending", "p2": "approved", "p3": "rejected", "marketing": "pending"},
            }
            for i in range(30)
        ],
        "current_state": {
            "audited": "2026-10-01",
            "domains": [
                {
                    "domain": d,
                    "fields": [f"Field {k} {WORLD[:12]}" for k in range(6)],
                    "problems": [f"{LONG} ({k})" for k in range(4)],
                }
                for d in DOMAINS
            ],
            "comparison": [
                {"domain": DOMAINS[k % 7], "current": f"{LONG} today ({k})", "recommended": f"{LONG} tomorrow ({k})"}
                for k in range(40)
            ],
        },
        "maintenance": {
            "monthly": [{"task": f"Monthly check {k}", "check": LONG, "red_flag": f"{LONG} ({k})"} for k in range(20)],
            "quarterly": [{"task": f"Quarterly review {k}", "check": LONG, "action": LONG} for k in range(20)],
            "triggers": [{"trigger": f"Trigger {k} {WORLD}", "threshold": LONG, "response": LONG} for k in range(25)],
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=1)
