"""Validate a parsed client file into a `Project`, collecting every problem.

Type errors come from the model; cross-references (exit targets, owners,
approvers, domains, unique ids) are checked here. Each problem is positioned
and named by a breadcrumb, with a did-you-mean for near misses.
"""

from __future__ import annotations

import re
import typing
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pydantic

from deliverables.core import model
from deliverables.core.bullets import without_pasted_bullets
from deliverables.core.errors import InputError, Problem
from deliverables.core.people import one_name_per_person, person_key
from deliverables.core.source import Document, describe, load_document
from deliverables.core.suggest import did_you_mean


def load_project(path: Path | str, text: str | None = None) -> tuple[model.Project, list[Problem]]:
    """Load, validate and cross-check a client file; return the project and warnings."""
    doc, project = load(path, text)
    return project, doc.warnings


def load(path: Path | str, text: str | None = None) -> tuple[Document, model.Project]:
    """Load and validate a client file; return the parsed document (values, positions,
    loader warnings) and the typed project. Lint needs both."""
    doc = load_document(path, text)
    return doc, validate_document(doc)


def validate_document(doc: Document) -> model.Project:
    """The typed project of a parsed document, or `InputError` with all problems."""
    problems = list(cross_check(doc))
    data, renamed = one_name_per_person(doc)
    data, unmarked = without_pasted_bullets(doc, data)
    doc.warnings += [w for w in renamed + unmarked if w not in doc.warnings]
    try:
        project = model.Project.model_validate(data)
    except pydantic.ValidationError as exc:
        problems = list(_type_problems(doc, exc)) + problems
    if problems:
        raise InputError(problems + doc.warnings)
    if project.date and project.next_meeting and project.next_meeting < project.date:
        raise InputError([doc.problem(("next_meeting",), _early_meeting(project.date))] + doc.warnings)
    _warn_undated(doc, project)
    _warn_placeholder_architect(doc, project)
    _warn_launch_passed(doc, project)
    _warn_dates_out_of_order(doc, project)
    _warn_repeated_segments(doc, project)
    _warn_emails(doc, project)
    _warn_backward_targets(doc, project)
    return project


NO_STAGES = (
    "no stages to build documents from: list the stage architecture under `stages`"
    " (each with id, name and domain; `deliver new NAME --from standard` scaffolds one)"
)


def unbuildable_problems(doc: Document, project: model.Project) -> list[Problem]:
    """What stops every document from being built: each is the stage architecture, and
    without a stage they would count 0 stages read lane by lane."""
    return [] if project.stages else [doc.problem(("stages",), NO_STAGES)]


UNDATED = 'no `date` for this version: the documents say "undated draft" where the date goes; add `date: YYYY-MM-DD`'


def _early_meeting(day) -> str:
    """The next meeting cannot come before the version it follows."""
    return f"the next meeting comes before this version's date {day.isoformat()}; expected a date (YYYY-MM-DD) on or after it"


def _warn(doc: Document, path: tuple[Any, ...], message: str) -> None:
    """Record a warning at `path`, once (check and build both validate the same document)."""
    warning = doc.problem(path, message, severity="warning")
    if warning not in doc.warnings:
        doc.warnings.append(warning)


def _warn_undated(doc: Document, project: model.Project) -> None:
    """A version without a date is a draft nobody can cite: say so at check and at build."""
    if project.date is None:
        _warn(doc, ("date",), UNDATED)


def _warn_launch_passed(doc: Document, project: model.Project) -> None:
    """A launch before a version that prepares it (every meeting up to the final review) is
    most often a mistyped year: the schedules and countdowns would all lie in the past."""
    launch, day = project.client.launch_date, project.date
    if launch is None or day is None or launch >= day or project.meeting == "handoff":
        return
    message = (
        f"the launch date {launch.isoformat()} comes before this version's date {day.isoformat()},"
        f" yet the version prepares the {project.meeting} meeting: the schedules built from it would"
        " all lie in the past; check the year"
    )
    _warn(doc, ("client", "launch_date"), message)


def _warn_dates_out_of_order(doc: Document, project: model.Project) -> None:
    """Dates that contradict the version's own (a mistyped year, most often): a training
    session before the version is written or after the launch it prepares for, and exports
    taken after the version they are audited for."""
    day, launch = project.date, project.client.launch_date
    for i, audience in enumerate(project.enablement.audiences):
        when = audience.date
        if when is None:
            continue
        if day is not None and when < day:
            _warn(
                doc,
                ("enablement", "audiences", i, "date"),
                f"the {audience.team} session on {when.isoformat()} comes before this version's date"
                f" {day.isoformat()}: the training materials would invite people to a session already held",
            )
        elif launch is not None and when > launch:
            _warn(
                doc,
                ("enablement", "audiences", i, "date"),
                f"the {audience.team} session on {when.isoformat()} comes after the launch on {launch.isoformat()};"
                " teams are trained before they work in the new stages",
            )
    as_of = project.audit.as_of if project.audit is not None else None
    if as_of is not None and day is not None and as_of > day:
        _warn(
            doc,
            ("audit", "as_of"),
            f"the exports are dated {as_of.isoformat()}, after this version's date {day.isoformat()}:"
            " the audit counts records as stuck or dated in the future against that later day",
        )


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def _warn_emails(doc: Document, project: model.Project) -> None:
    """An email that is not an address, or one two stakeholders share: the sign-off tables
    print each signer's email under their name."""
    first: dict[str, int] = {}
    for i, person in enumerate(project.stakeholders):
        email = (person.email or "").strip()
        if not email:
            continue
        if not EMAIL.match(email):
            _warn(doc, ("stakeholders", i, "email"), f"'{email}' is not an email address (name@company.com)")
        elif email.casefold() in first:
            earlier = project.stakeholders[first[email.casefold()]]
            message = f"{person.name} has the email of {earlier.name} ('{earlier.id}'); give each person their own"
            _warn(doc, ("stakeholders", i, "email"), message)
        else:
            first[email.casefold()] = i


def _warn_backward_targets(doc: Document, project: model.Project) -> None:
    """A target from a stage to one before it in the same domain's flow (`stages: [sql, sal]`)
    measures a way back the flow does not take: most often the two ids are swapped."""
    for i, target in enumerate(project.measures.targets):
        if len(target.stages) != 2:
            continue
        start, end = (project.stage(s) for s in target.stages)
        if start is None or end is None or start.domain != end.domain:
            continue
        order = [s.id for s in project.stages_in(start.domain)]
        if order.index(end.id) < order.index(start.id):
            _warn(
                doc,
                ("measures", "targets", i, "stages"),
                f"this {target.id} target runs from '{start.name}' back to '{end.name}', which comes before it;"
                f" if it measures the way forward, write stages: [{end.id}, {start.id}]",
            )


def _warn_repeated_segments(doc: Document, project: model.Project) -> None:
    """A segment listed twice (case and spacing aside) splits every metric twice by it."""
    lists = [(("measures", "segments"), project.measures.segments)]
    if project.audit is not None:
        lists.append((("audit", "segments"), project.audit.segments))
    for path, names in lists:
        seen: dict[str, int] = {}
        for i, name in enumerate(names):
            key = " ".join(name.split()).casefold()
            if key in seen:
                _warn(doc, path + (i,), f"segment '{name}' is listed already (item {seen[key] + 1}); list it once")
            else:
                seen[key] = i


SCAFFOLD_ARCHITECT = "Your Name"
"""The architect the reference architectures leave for `deliver new` to scaffold."""
PLACEHOLDER_ARCHITECT = (
    f'`architect` is still "{SCAFFOLD_ARCHITECT}": the documents print it on their covers and title slides '
    "and as their author; put the architect's name"
)


def _warn_placeholder_architect(doc: Document, project: model.Project) -> None:
    """A scaffolded file keeps the architectures' placeholder until the architect writes a name."""
    if project.architect.strip() == SCAFFOLD_ARCHITECT:
        _warn(doc, ("architect",), PLACEHOLDER_ARCHITECT)


# ---------------------------------------------------------------- type errors


def _type_problems(doc: Document, exc: pydantic.ValidationError) -> Iterator[Problem]:
    seen: set[tuple[Any, ...]] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and "[" in p))
        if loc in seen:
            continue  # unions report one error per branch; one is enough
        seen.add(loc)
        kind = error["type"]
        if "[key]" in error["loc"]:
            yield doc.problem(loc, _bad_key(error, loc), key=True)
        elif kind == "extra_forbidden":
            yield _split_by_comma(doc, loc) or doc.problem(loc, _unknown_key(loc), key=True)
        elif kind == "missing":
            yield _missing(doc, loc)
        else:
            yield doc.problem(loc, _type_message(kind, error, doc.value(loc), loc))


def _bad_key(error: dict[str, Any], loc: tuple[Any, ...]) -> str:
    """A mapping key outside its allowed values (e.g. a session type)."""
    choices = [
        c.strip().strip("'") for c in str((error.get("ctx") or {}).get("expected", "")).replace(" or ", ", ").split(",")
    ]
    hint = did_you_mean(str(loc[-1]), choices)
    return f"unknown key '{loc[-1]}'{hint or '; expected one of: ' + ', '.join(choices)}"


def _missing(doc: Document, loc: tuple[Any, ...]) -> Problem:
    line, column = doc.position(loc[:-1])
    crumb = doc.problem(loc, "").where
    return Problem(doc.path, line, column, crumb, f"required key '{loc[-1]}' is missing")


def _unknown_key(loc: tuple[Any, ...]) -> str:
    fields = _fields_at(loc[:-1])
    key = str(loc[-1])
    hint = did_you_mean(key, fields) if fields else ""
    if not hint and fields:
        hint = f"; expected one of: {', '.join(fields)}"
    return f"unknown key '{key}'{hint}"


def _split_by_comma(doc: Document, loc: tuple[Any, ...]) -> Problem | None:
    """Text after a comma in `{term: X, definition: A, B}` reads as a key without a value: say
    so at the value it was cut from, and how to quote it, instead of listing the keys it is
    not. None when that is not it."""
    parent, key = doc.value(loc[:-1]), str(loc[-1])
    if not isinstance(parent, dict) or parent.get(key) is not None or " " not in key.strip():
        return None
    keys = list(parent)
    before = keys[keys.index(key) - 1] if keys.index(key) else None
    if before is None or not isinstance(parent[before], str):
        return None
    quoted = f"{parent[before]}, {key}".replace('"', '\\"')
    message = (
        f"a comma inside {{...}} ends this value, and '{key}' after it reads as an unknown key;"
        f' quote the whole value: {before}: "{quoted}"'
    )
    return doc.problem((*loc[:-1], before), message)


def _fields_at(loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model class found at `loc` (for did-you-mean)."""
    cls: Any = model.Project
    for part in loc:
        if isinstance(part, int):
            continue
        field = cls.model_fields.get(part) if hasattr(cls, "model_fields") else None
        if field is None:
            return []
        cls = _model_in(field.annotation)
        if cls is None:
            return []
    return list(cls.model_fields) if hasattr(cls, "model_fields") else []


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


_EXPECTED = {
    "int_parsing": "an integer",
    "float_parsing": "a number",
    "float_type": "a number",
    "finite_number": "a finite number",
    "int_type": "an integer",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "date_from_datetime_parsing": "a real date (YYYY-MM-DD)",
    "date_parsing": "a real date (YYYY-MM-DD)",
    "date_type": "a real date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date without a time (YYYY-MM-DD)",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)",
    "string_too_short": "non-empty text",
}


def _bound(value: Any) -> str:
    """A limit as the file would write it: `0`, not `0.0`; `1,000,000,000,000`, not `1e12`."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) and abs(value) >= 10_000 else str(value)


_CURRENCY_SIGNS = {"€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS"}
"""Currency signs of one currency each ('$' and 'kr' name several)."""


def _type_message(kind: str, error: dict[str, Any], value: Any, loc: tuple[Any, ...]) -> str:
    ctx = error.get("ctx") or {}
    found = describe(value)
    if kind == "literal_error":
        choices = [c.strip().strip("'") for c in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(value), choices) if isinstance(value, str) else ""
        return f"unknown value {found}{hint}; expected one of: {', '.join(choices)}"
    if kind == "greater_than_equal":
        return f"expected a number >= {_bound(ctx.get('ge'))}, found {found}"
    if kind == "less_than_equal":
        return f"expected a number <= {_bound(ctx.get('le'))}, found {found}"
    if kind == "string_pattern_mismatch":
        if loc and loc[-1] == "slug":
            return f"expected a slug of lower-case letters, digits and '-', found {found}"
        if loc and loc[-1] == "currency":
            code = _CURRENCY_SIGNS.get(str(value).strip())
            hint = f" (did you mean '{code}'?)" if code else ""
            return f"expected a three-letter ISO 4217 currency code such as USD, EUR or GBP, found {found}{hint}"
        return (
            f"expected an id of plain letters (a-z, no accents), digits, '-', '_' or '.', without spaces, found {found}"
        )
    if kind == "int_parsing_size":  # beyond Python's 4300 digits: far past every limit of the file
        return f"expected an integer, found a number of {len(str(value))} digits"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, found {found}"
    if kind == "value_error":
        return f"{str(error['msg']).removeprefix('Value error, ')}, found {found}"
    return f"{error['msg']}, found {found}"


# ---------------------------------------------------------- cross references


def cross_check(doc: Document) -> Iterator[Problem]:
    """Problems with references between parts of the file (run on raw data, so they
    are reported together with type errors)."""
    data = doc.data
    stages = _items(data, "stages")
    stakeholders = _items(data, "stakeholders")
    declared = _items(data, "domains")
    yield from _unique(doc, "stakeholders", stakeholders, "stakeholder id")
    yield from _unique(doc, "stages", stages, "stage id")
    yield from _unique(doc, "domains", declared, "domain id")
    yield from _unique_terms(doc)
    yield from _crm_names(doc, stages)
    domains = set(model.CANONICAL_DOMAINS) | {str(d.get("id")) for _, d in declared}
    stage_ids = [str(s.get("id")) for _, s in stages if s.get("id") is not None]
    parties, people = party_ids(data), _people_named(data)
    for i, stage in stages:
        here = ("stages", i)
        domain = stage.get("domain")
        if isinstance(domain, str) and domain not in domains:
            yield doc.problem(here + ("domain",), _unknown("domain", domain, domains, "declare it under `domains`"))
        for j, exit_ in _items(stage, "exit"):
            target = exit_.get("to")
            if isinstance(target, str) and target not in stage_ids:
                yield doc.problem(
                    here + ("exit", j, "to"), f"unknown stage '{target}'{did_you_mean(target, stage_ids)}"
                )
        for key in ("owner", "confirm_with"):
            value = stage.get(key)
            if isinstance(value, str) and value not in parties:
                yield doc.problem(here + (key,), _unknown_party(value, parties, people))
    for i, term in _items(data, "terms"):
        approvals = term.get("approvals")
        for approver in approvals if isinstance(approvals, dict) else ():
            if approver not in parties:
                problem = _unknown_party(approver, parties, people)
                yield doc.problem(("terms", i, "approvals", approver), problem, key=True)
        for j, comment in _items(term, "comments"):
            who = comment.get("who")
            if isinstance(who, str) and who not in parties:
                yield doc.problem(("terms", i, "comments", j, "who"), _unknown_party(who, parties, people))
    for i, signoff in _items(data, "signoffs"):
        by = signoff.get("by")
        if isinstance(by, str) and by not in parties:
            yield doc.problem(("signoffs", i, "by"), _unknown_party(by, parties, people))
    yield from _check_measures(doc, stage_ids, parties)
    yield from _check_enablement(doc, parties)
    current = data.get("current_state") if isinstance(data, dict) else None
    for i, finding in _items(current, "domains"):
        domain = finding.get("domain")
        if isinstance(domain, str) and domain not in domains:
            yield doc.problem(("current_state", "domains", i, "domain"), _unknown("domain", domain, domains, ""))
    yield from _audit_references(doc, stage_ids)


def _audit_references(doc: Document, stage_ids: list[str]) -> Iterator[Problem]:
    """Stage ids and export paths named inside `audit:`."""
    audit = doc.data.get("audit") if isinstance(doc.data, dict) else None
    if not isinstance(audit, dict):
        return
    stuck = audit.get("stuck_after_days")
    for key, days in stuck.items() if isinstance(stuck, dict) else [("", stuck)]:
        where = ("audit", "stuck_after_days", key) if key else ("audit", "stuck_after_days")
        if key and key != "default" and key not in stage_ids:
            yield doc.problem(where, _unknown("stage", str(key), stage_ids, ""), key=True)
        elif isinstance(days, str) and days.isdigit() and int(days) < 1:
            yield doc.problem(where, f"expected a number of days >= 1, found {days}")
    exports = _items(audit, "exports")
    paths = [str(e.get("path")) for _, e in exports]
    for i, export in exports:
        columns = export.get("columns")
        dates = columns.get("dates") if isinstance(columns, dict) else None
        for key in dates if isinstance(dates, dict) else ():
            if key not in stage_ids:
                where = ("audit", "exports", i, "columns", "dates", key)
                yield doc.problem(where, _unknown("stage", str(key), stage_ids, ""), key=True)
        if isinstance(columns, dict) and export.get("kind") == "history":
            for key in ("id", "new_value", "changed_at"):
                if not columns.get(key):
                    where = ("audit", "exports", i, "columns")
                    yield doc.problem(where, f"a history export's columns need '{key}'")
    tables = audit.get("tables")
    for key in tables if isinstance(tables, dict) else ():
        if key not in paths:
            yield doc.problem(("audit", "tables", key), _unknown("export path", str(key), paths, ""), key=True)
    if isinstance(tables, dict) and tables and not audit.get("source"):
        yield doc.problem(("audit", "tables"), "tables need a `source`: the connection URL of their database")


def _crm_names(doc: Document, stages: list[tuple[int, dict[str, Any]]]) -> Iterator[Problem]:
    """CRM object and field names become file names of the deployable configuration:
    one that could leave its folder is refused where it is written."""
    for i, stage in stages:
        mapping = stage.get("crm")
        if not isinstance(mapping, dict):
            continue
        for key in ("object", "field", "pipeline"):
            value = mapping.get(key)
            if isinstance(value, str) and ("/" in value or "\\" in value or value.strip().startswith(".")):
                yield doc.problem(
                    ("stages", i, "crm", key),
                    f"expected a CRM {key} name without '/', '\\' or a leading '.', found {describe(value)}",
                )


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """(index, mapping) of the list under `key`, skipping malformed entries."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _people_named(data: Any) -> dict[str, tuple[str, str]]:
    """Stakeholder ids, and which of their fields matched, by the name or title an owner or
    approver may be written as instead (`Dana Ortiz`, `VP RevOps`: case, spacing and accents
    aside); a title two people share names neither."""
    found: dict[str, tuple[str, str]] = {}
    titles: dict[str, set[str]] = {}
    for _, person in _items(data, "stakeholders"):
        ident = person.get("id")
        if not isinstance(ident, str):
            continue
        if isinstance(person.get("name"), str) and person["name"].strip():
            found.setdefault(person_key(person["name"]), (ident, "name"))
        if isinstance(person.get("title"), str) and person["title"].strip():
            titles.setdefault(person_key(person["title"]), set()).add(ident)
    for title, ids in titles.items():
        if len(ids) == 1:
            found.setdefault(title, (next(iter(ids)), "title"))
    return found


def party_ids(data: Any) -> set[str]:
    """Every id an owner, approver or signer may name."""
    departments = set(model.STANDARD_DEPARTMENTS)
    declared = data.get("departments") if isinstance(data, dict) else None
    departments |= {str(d) for d in declared if d} if isinstance(declared, list) else set()
    for _, person in _items(data, "stakeholders"):
        departments |= {str(person[k]) for k in ("department", "id") if person.get(k)}
    return departments


def _unique_terms(doc: Document) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for i, term in _items(doc.data, "terms"):
        key = term.get("id") or model.slugify(str(term.get("term") or ""))
        if not key:
            continue
        if key in first:
            line = doc.position(("terms", first[key]))[0]
            yield doc.problem(("terms", i, "term"), f"duplicate term '{term.get('term')}' (first at line {line})")
        else:
            first[key] = i


def _unique(doc: Document, section: str, items: list[tuple[int, dict[str, Any]]], what: str) -> Iterator[Problem]:
    first: dict[str, tuple[int, str]] = {}
    for i, item in items:
        ident = item.get("id")
        if not isinstance(ident, str):
            continue
        # One id whatever its case or Unicode form: `confirm mql` must never reach `MQL`.
        key = unicodedata.normalize("NFKC", ident).casefold()
        if key in first:
            index, earlier = first[key]
            line = doc.position((section, index))[0]
            same = "" if earlier == ident else f", '{earlier}' differing only in case"
            yield doc.problem((section, i, "id"), f"duplicate {what} '{ident}' (first at line {line}{same})")
        else:
            first[key] = (i, ident)


def _unknown(what: str, found: str, choices: Iterable[str], advice: str) -> str:
    hint = did_you_mean(found, choices)
    tail = f"; {advice}" if advice and not hint else ""
    return f"unknown {what} '{found}'{hint}{tail}"


def _unknown_party(found: str, parties: set[str], people: dict[str, tuple[str, str]] | None = None) -> str:
    if person_key(found) in (people or {}):
        ident, what = (people or {})[person_key(found)]
        return f"unknown stakeholder or department '{found}' (did you mean '{ident}'? it is that stakeholder's {what})"
    hint = did_you_mean(found, parties)
    if hint:
        return f"unknown stakeholder or department '{found}'{hint}"
    return (
        f"unknown stakeholder or department '{found}'; expected a stakeholder id or a department"
        f" ({', '.join(sorted(parties))}), or add it to `departments`"
    )


def _check_measures(doc: Document, stage_ids: list[str], parties: set[str]) -> Iterator[Problem]:
    """Each target names a known metric, the right number of known stages, and a known owner."""
    measures = doc.data.get("measures") if isinstance(doc.data, dict) else None
    if isinstance(measures, dict) and isinstance(measures.get("owner"), str) and measures["owner"] not in parties:
        yield doc.problem(("measures", "owner"), _unknown_party(measures["owner"], parties))
    first: dict[tuple[str, tuple[str, ...]], int] = {}
    for i, target in _items(measures, "targets"):
        here = ("measures", "targets", i)
        metric = target.get("id")
        if isinstance(metric, str) and metric not in model.METRIC_IDS:
            yield doc.problem(here + ("id",), _unknown_metric(metric))
            continue
        stages = target.get("stages")
        stages = [stages] if isinstance(stages, str) else stages if isinstance(stages, list) else []
        for k, stage in enumerate(stages):
            if isinstance(stage, str) and stage not in stage_ids:
                loc = here + ("stages",) + ((k,) if isinstance(target.get("stages"), list) else ())
                yield doc.problem(loc, f"unknown stage '{stage}'{did_you_mean(stage, stage_ids)}")
        wanted = model.METRIC_STAGES.get(str(metric), (0,))
        if isinstance(metric, str) and len(stages) not in wanted:
            yield doc.problem(here + (("stages",) if "stages" in target else ("id",)), _stage_count(metric, wanted))
        elif len(stages) == 2 and stages[0] == stages[1] and isinstance(stages[0], str):
            message = f"a {metric} target runs from '{stages[0]}' to itself; name the stage it starts at, then another"
            yield doc.problem(here + ("stages",), message)
        key = (str(metric), tuple(str(x) for x in stages))
        if key in first:
            line = doc.position(("measures", "targets", first[key]))[0]
            named = f" for {' to '.join(key[1])}" if key[1] else ""
            yield doc.problem(here + ("id",), f"a second {metric} target{named} (first at line {line}); keep one")
        else:
            first[key] = i
        owner = target.get("owner")
        if isinstance(owner, str) and owner not in parties:
            yield doc.problem(here + ("owner",), _unknown_party(owner, parties))


def _unknown_metric(found: str) -> str:
    hint = did_you_mean(found, model.METRIC_IDS)
    return f"unknown metric '{found}'{hint or '; expected one of: ' + ', '.join(model.METRIC_IDS)}"


def _stage_count(metric: str, wanted: tuple[int, ...]) -> str:
    if wanted == (0,):
        return f"a {metric} target applies to no stage; remove `stages`"
    if wanted == (1, 2):
        return f"a {metric} target needs one stage id (time in it) or two (from, to) under `stages`"
    return f"a {metric} target needs {'one stage id' if wanted == (1,) else 'two stage ids (from, to)'} under `stages`"


def _check_enablement(doc: Document, parties: set[str]) -> Iterator[Problem]:
    """Each audience is a known team (or leadership), named once."""
    enablement = doc.data.get("enablement") if isinstance(doc.data, dict) else None
    teams = parties | {"leadership"}
    first: dict[str, int] = {}
    for i, audience in _items(enablement, "audiences"):
        team = audience.get("team")
        if not isinstance(team, str):
            continue
        if team not in teams:
            yield doc.problem(("enablement", "audiences", i, "team"), _unknown_party(team, teams))
        elif team in first:
            line = doc.position(("enablement", "audiences", first[team]))[0]
            yield doc.problem(
                ("enablement", "audiences", i, "team"), f"duplicate audience '{team}' (first at line {line})"
            )
        else:
            first[team] = i
