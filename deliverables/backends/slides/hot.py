"""Faster python-pptx lookups the deck builder makes thousands of times a deck.

python-pptx finds a shape's placeholder element with an XPath query each time
it is asked (`./*[1]/p:nvPr/p:ph`), and asks on every shape it walks when it
adds a slide, looks a placeholder up or drops the empty ones. The same answer
comes from two direct child lookups at a fraction of the cost; the result is
the same element, so the files are byte-identical.

python-pptx also names each new part (a slide's notes page) by walking every
part of the package for the names already taken, so a deck of n slides costs
n^2 steps. The parts the package reaches are kept here instead, added to as
relationships are added, and walked afresh after any relationship is removed
or reloaded: the same names as the walk gives, and so the same files. Relating
one part to another first scans every relationship of that type for one to
reuse (every slide, for each new slide); each collection keeps an index of its
first relationship by type and target instead, dropped when one is removed.

Installed once, when the slides backend is imported.
"""

from __future__ import annotations

from typing import ClassVar

import pptx.oxml.ns
from lxml import etree
from pptx.opc.package import OpcPackage, PackURI, Part, _Relationships
from pptx.oxml.ns import qn
from pptx.oxml.shapes.shared import BaseShapeElement

from deliverables.backends import qnames

_NV_PR = qn("p:nvPr")
_PH = qn("p:ph")


def _ph(self: BaseShapeElement):
    """The `p:ph` element under the shape's first child's `p:nvPr`, or None."""
    first = next(self.iterchildren(etree.Element), None)
    if first is None:
        return None
    properties = first.find(_NV_PR)
    return None if properties is None else properties.find(_PH)


class Reach:
    """The parts a package's relationships reach, as `OpcPackage.iter_parts` finds them.

    Adding a relationship from a reached part (or the package) to a part not yet reached
    adds that part and all it reaches; removing or reloading one of a reached part's
    relationships may leave parts unreached, so the next question walks everything again.
    Each reached relationship collection points here, by `HELD`. The names taken under a
    prefix are kept too, added to with the parts, and read afresh after any part anywhere
    is renamed (`renames` counts them).
    """

    HELD = "_deliver_reach"
    renames: ClassVar[int] = 0
    """Parts renamed so far, in any package."""

    def __init__(self, package: OpcPackage) -> None:
        self.package = package
        self.parts: set[Part] = set()
        self.rels: dict[int, _Relationships] = {}
        """The reached collections by id (kept, so an id stays theirs)."""
        self.stale = True
        self.names: dict[str, set[str]] = {}
        """The reached parts' names by prefix, as of `self.renamed` renames."""
        self.renamed = Reach.renames

    def holds(self, rels: _Relationships) -> bool:
        """True when `rels` is the package's or a reached part's collection."""
        return not self.stale and self.rels.get(id(rels)) is rels

    def reached(self) -> set[Part]:
        """Every part the package reaches now."""
        if self.stale:
            self.parts.clear()
            self.rels.clear()
            self.names.clear()
            self.stale = False
            self.walk(self.package._rels)
        return self.parts

    def taken(self, prefix: str) -> set[str]:
        """The names of the reached parts that start with `prefix`."""
        parts = self.reached()
        if self.renamed != Reach.renames:
            self.names.clear()
            self.renamed = Reach.renames
        found = self.names.get(prefix)
        if found is None:
            found = self.names[prefix] = {p.partname for p in parts if p.partname.startswith(prefix)}
        return found

    def add(self, part: Part) -> None:
        """`part` has just been related from a reached collection."""
        if part not in self.parts:
            self._take(part)
            self.walk(part.rels)

    def walk(self, rels: _Relationships) -> None:
        """Mark `rels` reached and add every part it leads to, depth first like the library."""
        pending = [rels]
        while pending:
            current = pending.pop()
            self.rels[id(current)] = current
            current.__dict__[self.HELD] = self
            for rel in current.values():
                if rel.is_external:
                    continue
                part = rel.target_part
                if part not in self.parts:
                    self._take(part)
                    pending.append(part.rels)

    def _take(self, part: Part) -> None:
        """`part` is reached: its name joins those kept under each prefix it starts with."""
        self.parts.add(part)
        for prefix, found in self.names.items():
            if part.partname.startswith(prefix):
                found.add(part.partname)


def _reach(package: OpcPackage) -> Reach:
    found = package.__dict__.get(Reach.HELD)
    if found is None:
        found = package.__dict__[Reach.HELD] = Reach(package)
    return found


def _next_partname(self: OpcPackage, tmpl: str) -> PackURI:
    """`OpcPackage.next_partname` on the kept parts: the same name, without the walk."""
    prefix = tmpl[: (tmpl % 42).find("42")]
    partnames = _reach(self).taken(prefix)
    for n in range(len(partnames) + 1, 0, -1):
        candidate_partname = tmpl % n
        if candidate_partname not in partnames:
            return PackURI(candidate_partname)
    raise Exception("ProgrammingError: ran out of candidate_partnames")  # pragma: no cover


MATCHES = "_deliver_matches"
"""A collection's first relationship by (type, external, target), once asked for."""


def _key(rel) -> tuple:
    return (rel.reltype, rel.is_external, rel.target_ref if rel.is_external else rel.target_part)


def _get_matching(self: _Relationships, reltype: str, target, is_external: bool = False) -> str | None:
    """`_Relationships._get_matching` from the collection's kept index: the library scans every
    relationship of the type (every slide of the presentation) each time one is added."""
    index = self.__dict__.get(MATCHES)
    if index is None:
        index = {}
        for rel in self.values():  # in the library's order: the first match is kept
            index.setdefault(_key(rel), rel.rId)
        self.__dict__[MATCHES] = index
    return index.get((reltype, is_external, target))


def _adding(original):
    """`_Relationships._add_relationship` that reaches the new target from a reached collection
    and adds the relationship to the collection's index."""

    def add_relationship(self: _Relationships, reltype: str, target, is_external: bool = False) -> str:
        rId = original(self, reltype, target, is_external)
        index = self.__dict__.get(MATCHES)
        if index is not None:
            index.setdefault(_key(self[rId]), rId)
        reach = self.__dict__.get(Reach.HELD)
        if reach is not None and not is_external and reach.holds(self):
            reach.add(target)
        return rId

    add_relationship.__wrapped__ = original  # type: ignore[attr-defined]
    return add_relationship


def _renaming(partname: property) -> property:
    """`Part.partname` whose setter counts the rename, so that every `Reach` reads names afresh."""

    def rename(self: Part, value: PackURI) -> None:
        partname.fset(self, value)
        Reach.renames += 1

    rename.__wrapped__ = partname.fset  # type: ignore[attr-defined]
    return property(partname.fget, rename, doc=partname.__doc__)


def _dropping(original):
    """A `_Relationships` method that removes or replaces relationships: a reached
    collection's change makes its package walk again at the next question."""

    def drop(self: _Relationships, *args, **kwargs):
        self.__dict__.pop(MATCHES, None)
        reach = self.__dict__.get(Reach.HELD)
        if reach is not None and reach.holds(self):
            reach.stale = True
        return original(self, *args, **kwargs)

    drop.__wrapped__ = original  # type: ignore[attr-defined]
    drop.__doc__ = original.__doc__
    return drop


def install() -> None:
    """Replace the XPath lookup of `BaseShapeElement.ph` with direct child lookups, the
    library's `qn` with one that remembers its answers (see `qnames`), and its walk over
    every part for a new part's name with the kept parts (`Reach`)."""
    BaseShapeElement.ph = property(_ph, doc=BaseShapeElement.ph.__doc__)
    qnames.install(pptx.oxml.ns)
    if not hasattr(OpcPackage.next_partname, "__wrapped__"):
        _next_partname.__wrapped__ = OpcPackage.next_partname  # type: ignore[attr-defined]
        OpcPackage.next_partname = _next_partname
        _Relationships._add_relationship = _adding(_Relationships._add_relationship)
        _Relationships.pop = _dropping(_Relationships.pop)
        _Relationships.load_from_xml = _dropping(_Relationships.load_from_xml)
        Part.partname = _renaming(Part.partname)
        _get_matching.__wrapped__ = _Relationships._get_matching  # type: ignore[attr-defined]
        _Relationships._get_matching = _get_matching
