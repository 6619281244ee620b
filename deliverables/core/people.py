"""One name per person: the people a client file names in free text are its stakeholders.

A file often names one person twice: as a stakeholder, and again as the architect or a
trainer, typed another way (`dana  ortiz`, `DANA ORTIZ`, `Dana Ortíz`, a no-break space
pasted from Word). Every document would then print two names for one person. Before the
model is built, names are given single spaces, and a free-text name that is a
stakeholder's name (case, spacing and accents aside) becomes that stakeholder: the
architect takes the stakeholder's spelling, a trainer the stakeholder's id (so it prints
as every other mention of them does). Two stakeholders with one name get a warning.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from typing import Any

from deliverables.core.errors import Problem
from deliverables.core.source import Document

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def spaced(name: str) -> str:
    """A name with single spaces: no-break spaces, tabs, line breaks and runs of spaces become one
    space; soft hyphens and zero-width characters go."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", name)).strip()


def person_key(name: str) -> str:
    """What two spellings of one name share: case, spacing and accents aside."""
    decomposed = unicodedata.normalize("NFKD", spaced(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def one_name_per_person(doc: Document) -> tuple[Any, list[Problem]]:
    """The document's data with every person named one way, and a warning for each name changed
    to a stakeholder's spelling or shared by two stakeholders. The document itself is unchanged."""
    data = doc.data
    people = data.get("stakeholders") if isinstance(data, dict) else None
    if not isinstance(people, list) or not any(_named(p) for p in people):
        return data, []
    data = copy.deepcopy(data)
    warnings: list[Problem] = []
    known: dict[str, dict[str, Any]] = {}
    for index, person in enumerate(data["stakeholders"]):
        if not _named(person):
            continue
        person["name"] = spaced(person["name"]) or person["name"]
        first = known.setdefault(person_key(person["name"]), person)
        if first is not person:
            message = (
                f"'{person['name']}' is the name of stakeholder '{first.get('id')}' ('{first['name']}') too;"
                " if they are one person, keep one entry and use its id everywhere"
            )
            warnings.append(doc.problem(("stakeholders", index, "name"), message, severity="warning"))
    if isinstance(data.get("architect"), str):
        data["architect"] = _as_name(doc, ("architect",), data["architect"], known, warnings)
    enablement = data.get("enablement")
    if isinstance(enablement, dict):
        ids = {p.get("id") for p in data["stakeholders"] if isinstance(p, dict)}
        _trainer(doc, enablement, ("enablement",), known, ids, warnings)
        audiences = enablement.get("audiences")
        for index, audience in enumerate(audiences if isinstance(audiences, list) else []):
            if isinstance(audience, dict):
                _trainer(doc, audience, ("enablement", "audiences", index), known, ids, warnings)
    return data, warnings


def _named(person: Any) -> bool:
    return isinstance(person, dict) and isinstance(person.get("name"), str)


def _as_name(doc: Document, path: tuple, name: str, known: dict, warnings: list[Problem]) -> str:
    """The architect as the stakeholder they are, spelled as under `stakeholders`."""
    person = known.get(person_key(name))
    if person is None:
        _warn_initials(doc, path, name, known, warnings)
        return spaced(name) or name
    if person["name"] != spaced(name):
        message = f"'{name}' is stakeholder '{person.get('id')}'; the documents spell it '{person['name']}'"
        warnings.append(doc.problem(path, message, severity="warning"))
    return person["name"]


def _trainer(doc: Document, holder: dict, path: tuple, known: dict, ids: set, warnings: list[Problem]) -> None:
    """A trainer written as a stakeholder's name is that stakeholder (named as everywhere else)."""
    name = holder.get("trainer")
    if not isinstance(name, str) or name in ids:
        return
    person = known.get(person_key(name))
    if person is None or not isinstance(person.get("id"), str):
        _warn_initials(doc, path + ("trainer",), name, known, warnings)
        if name and spaced(name) != name:
            holder["trainer"] = spaced(name)
        return
    holder["trainer"] = person["id"]
    if person["name"] != spaced(name):
        message = f"'{name}' is stakeholder '{person['id']}'; the documents name them '{person['name']}'"
        warnings.append(doc.problem(path + ("trainer",), message, severity="warning"))


def _warn_initials(doc: Document, path: tuple, name: str, known: dict, warnings: list[Problem]) -> None:
    """`M. Bell` for stakeholder Marcus Bell: the documents would name one person two ways."""
    words = person_key(name).replace(".", ". ").split()
    if len(words) < 2 or not all(w.endswith(".") and len(w) <= 3 for w in words[:-1]):
        return
    matches = [
        p
        for key, p in known.items()
        if key.split()[-1] == words[-1]
        and [w[0] for w in key.split()[:-1]][: len(words) - 1] == [w[0] for w in words[:-1]]
    ]
    if len(matches) == 1 and isinstance(matches[0].get("id"), str):
        person = matches[0]
        message = (
            f"'{name}' looks like stakeholder '{person['id']}' ('{person['name']}'); write '{person['id']}'"
            " to name them one way in every document"
        )
        warnings.append(doc.problem(path, message, severity="warning"))
