"""Client files for the Stage Reference Card tests, generated so sizes are easy to vary."""

from __future__ import annotations

DOMAINS = ("lead", "sales", "customer", "company", "poc", "renewal", "expansion")
LONG_CRITERION = (
    "Lead score reaches {n}0 points within 30 days, or a demo request arrives from a company "
    "on the target account list with a confirmed budget owner"
)
TOKEN_CRITERION = "Field contact.properties.hs_lifecyclestage_{n}_entered_date_custom_field is set"
DEFINITION = (
    "Stage {n} of the lifecycle, where the owning team has verified the record against the agreed "
    "definition. It is reviewed every quarter. Exceptions are logged by RevOps."
)


def client_yaml(
    count: int,
    criteria: int = 1,
    long_every: int = 4,
    token_every: int = 10,
    name: str = "Generated Co",
    split: str | None = None,
) -> str:
    """A valid client file with `count` stages over the domains; every third golden, every second confirmed.

    Each stage has `criteria` short criteria, every `long_every`-th one a long
    criterion and every `token_every`-th one an unbreakable token (a CRM field
    path); 0 turns either off. `split` sets `card.split`.
    """
    lines = [
        f"client: {{name: {name}, crm: hubspot}}",
        "version: 3",
        "date: 2026-11-20",
        "architect: Sam Rivera",
        *([f"card: {{split: {split}}}"] if split else []),
        "stages:",
    ]
    for n in range(1, count + 1):
        lines += _stage(n, count, long_every)
        lines += [f"      - Criterion {n}.{j} is met" for j in range(1, criteria + 1)]
        if long_every and n % long_every == 0:
            lines.append(f"      - {LONG_CRITERION.format(n=n)}")
        if token_every and n % token_every == 0:
            lines.append(f"      - {TOKEN_CRITERION.format(n=n)}")
    return "\n".join(lines) + "\n"


def _stage(n: int, count: int, long_every: int) -> list[str]:
    domain = DOMAINS[min((n - 1) * len(DOMAINS) // count, len(DOMAINS) - 1)]
    long_name = long_every and n % long_every == 0
    return [
        f"  - id: s{n}",
        f"    name: Stage {n} Reached" + (" After Qualification Review" if long_name else ""),
        f"    abbr: S{n}",
        f"    domain: {domain}",
        f"    definition: {DEFINITION.format(n=n)}",
        f"    owner: {('marketing', 'sales', 'cs', 'revops')[n % 4]}",
        f"    golden: {'true' if n % 3 == 0 else 'false'}",
        f"    status: {'confirmed' if n % 2 else 'assumed'}",
        "    entry:",
    ]
