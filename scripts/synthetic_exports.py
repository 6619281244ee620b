"""Generate realistic synthetic CRM exports for a client file's stages.

    python scripts/synthetic_exports.py CLIENT.yaml OUT_DIR [--shape hubspot|salesforce]
        [--contacts N] [--deals N] [--tickets N] [--seed S] [--as-of YYYY-MM-DD]

HubSpot shape: contacts.csv, deals.csv and tickets.csv with labels as headers
(`Record ID`, `Lifecycle Stage`, `Became a <stage> Date`, `Deal Stage`,
`Pipeline`, `Date entered "<stage> (<pipeline>)"`). Salesforce shape:
opportunities.csv (a report export) and opportunity-field-history.csv.

Records walk the stages of their object in flow order and stop, are lost, or
go on; the data carries what real exports carry: skipped stages, duplicate
rows, values no stage maps and misused ones (a working status or a deal
outcome as a lifecycle stage), dates in two formats, a few in the future and
a few out of order. The same seed gives the same files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

from deliverables.core import stages as known
from deliverables.core.validate import load_project

SOURCES = ("Organic Search", "Paid Search", "Paid Social", "Direct Traffic", "Referrals", "Offline Sources")
JUNK = {
    "contact": ("Subscriber", "Opportunity", "Customer", "Other", "Working", "Nurture", "Closed Lost"),
    "deal": ("Appointment Scheduled", "Demo", "Trial", "Contract Sent", "Onboarding"),
    "ticket": ("Waiting on contact",),
    "opportunity": ("Negotiation/Review", "Demo"),
}
CONTINUE = 0.62
"""Chance a record moves on to the next stage."""


def _pipeline_label(pipeline: str | None) -> str:
    return (pipeline or "").replace("-", " ").replace("_", " ").title()


def tracks(project) -> dict[str, tuple[list, list]]:
    """Object -> (open and won stages in flow order, lost stages)."""
    found: dict[str, tuple[list, list]] = {}
    for stage in project.flow():
        if stage.crm is None:
            continue
        flow, lost = found.setdefault(stage.crm.object, ([], []))
        (lost if known.closes_lost(stage) else flow).append(stage)
    return found


class Walker:
    """Random walks of records through one object's stages."""

    def __init__(self, rng: random.Random, as_of: dt.date, flow: list, lost: list):
        self.rng, self.as_of, self.flow, self.lost = rng, as_of, flow, lost

    def record(self) -> tuple[object, dict, dt.datetime]:
        """(current stage or junk text, stage id -> entry time or None when skipped, created)."""
        rng = self.rng
        start = dt.datetime.combine(self.as_of, dt.time(9)) - dt.timedelta(
            days=rng.randint(5, 420), minutes=rng.randint(0, 600)
        )
        when, entries, current = start, {}, self.flow[0]
        now = dt.datetime.combine(self.as_of, dt.time(18))
        for i, stage in enumerate(self.flow):
            if i and when > now:
                break
            entries[stage.id] = when
            current = stage
            if i == len(self.flow) - 1 or rng.random() > CONTINUE:
                if self.lost and i > 0 and rng.random() < 0.35:
                    when = min(when + dt.timedelta(days=rng.expovariate(1 / 15)), now)
                    current = self.lost[0]
                    entries[current.id] = when
                break
            when += dt.timedelta(days=rng.expovariate(1 / 11), hours=rng.randint(0, 12))
        for stage in self.flow[1:-1]:
            if stage.id in entries and stage is not current and rng.random() < 0.05:
                entries[stage.id] = None  # skipped: reached later stages without this one's date
        if rng.random() < 0.01 and len(entries) > 1:
            first, second = list(entries)[:2]
            entries[first], entries[second] = entries[second], entries[first]  # dates against the flow
        if rng.random() < 0.005:
            entries[current.id] = dt.datetime.combine(self.as_of + dt.timedelta(days=rng.randint(3, 40)), dt.time(10))
        if rng.random() < 0.07:
            return rng.choice(JUNK.get(self.flow[0].crm.object, ("Other",))), entries, start
        return current, entries, start


def _date(rng: random.Random, when: dt.datetime | None) -> str:
    if when is None:
        return ""
    if rng.random() < 0.03:
        return when.strftime("%m/%d/%Y %H:%M")
    return when.strftime("%Y-%m-%d %H:%M")


def _value(rng: random.Random, current) -> str:
    if isinstance(current, str):
        return current
    return current.crm.value if rng.random() < 0.1 else current.name


def _write(path: Path, header: list[str], rows) -> int:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        count = 0
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def hubspot(project, out: Path, counts: dict[str, int], rng: random.Random, as_of: dt.date) -> list[tuple[str, str]]:
    """HubSpot record exports, one per object with stages; returns (file, object) pairs."""
    written = []
    for obj, (flow, lost) in tracks(project).items():
        n = counts.get(obj, 0)
        if not n or not flow:
            continue
        walker = Walker(rng, as_of, flow, lost)
        stages = flow + lost
        pipeline = _pipeline_label(flow[0].crm.pipeline)
        if obj == "contact":
            header = ["Record ID", "Lifecycle Stage", "Original Source", "Create Date"]
            header += [f"Became a {s.name} Date" for s in stages]
        else:
            field = {"deal": "Deal Stage", "ticket": "Pipeline Stage"}.get(obj, "Deal Stage")
            header = ["Record ID", field, "Pipeline", "Create Date"]
            header += [f'Date entered "{s.name} ({pipeline})"' for s in stages]

        def rows(n=n, walker=walker, stages=stages, obj=obj, pipeline=pipeline):
            for i in range(n):
                current, entries, created = walker.record()
                third = rng.choice(SOURCES) if obj == "contact" else pipeline
                row = [str(100000 + i), _value(rng, current), third, _date(rng, created)]
                row += [_date(rng, entries.get(s.id)) for s in stages]
                yield row
                if rng.random() < 0.01:
                    yield row[:1] + [_value(rng, current)] + row[2:]  # a duplicate row of the same record

        name = f"{obj}s.csv"
        _write(out / name, header, rows())
        written.append((name, obj))
    return written


def salesforce(project, out: Path, counts: dict[str, int], rng: random.Random, as_of: dt.date) -> list[tuple[str, str]]:
    """Salesforce opportunity report export and its field history; returns (file, object) pairs."""
    found = tracks(project)
    obj = next((o for o in ("opportunity", "deal") if o in found), None)
    if obj is None:
        return []
    flow, lost = found[obj]
    walker = Walker(rng, as_of, flow, lost)
    history = []

    def rows():
        for i in range(counts.get("deal", 0)):
            ident = f"006{i:012d}"
            current, entries, created = walker.record()
            yield [ident, f"Opportunity {i}", _value(rng, current), created.strftime("%m/%d/%Y"), rng.choice(SOURCES)]
            timed = sorted((w, s) for s, w in entries.items() if w is not None and s != flow[0].id)
            previous = flow[0].name
            for when, stage_id in timed:
                name = next(s.name for s in flow + lost if s.id == stage_id)
                history.append([ident, "Stage", previous, name, when.strftime("%m/%d/%Y %I:%M %p")])
                previous = name
            if rng.random() < 0.3:
                history.append(
                    [ident, "Amount", "", str(rng.randint(5, 90) * 1000), created.strftime("%m/%d/%Y %I:%M %p")]
                )

    _write(
        out / "opportunities.csv",
        ["Opportunity ID", "Opportunity Name", "Stage", "Created Date", "Lead Source"],
        rows(),
    )
    _write(
        out / "opportunity-field-history.csv",
        ["Opportunity ID", "Field/Event", "Old Value", "New Value", "Edit Date"],
        history,
    )
    return [("opportunities.csv", "opportunity"), ("opportunity-field-history.csv", "opportunity")]


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments and write the exports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("client", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--shape", choices=("hubspot", "salesforce"), default="hubspot")
    parser.add_argument("--contacts", type=int, default=400)
    parser.add_argument("--deals", type=int, default=120)
    parser.add_argument("--tickets", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 11, 6))
    args = parser.parse_args(argv)
    project, _ = load_project(args.client)
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    counts = {"contact": args.contacts, "deal": args.deals, "ticket": args.tickets, "opportunity": args.deals}
    make = hubspot if args.shape == "hubspot" else salesforce
    for name, obj in make(project, args.out, counts, rng, args.as_of):
        print(f"{args.out / name} ({obj})")


if __name__ == "__main__":
    main()
