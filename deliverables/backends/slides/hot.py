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
or reloaded: the same names as the walk gives, and so the same files.

Installed once, when the slides backend is imported.
"""

from __future__ import annotations

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
    Each reached relationship collection points here, by `HELD`.
    """

    HELD = "_deliver_reach"

    def __init__(self, package: OpcPackage) -> None:
        self.package = package
        self.parts: set[Part] = set()
        self.rels: dict[int, _Relationships] = {}
        """The reached collections by id (kept, so an id stays theirs)."""
        self.stale = True

    def holds(self, rels: _Relationships) -> bool:
        """True when `rels` is the package's or a reached part's collection."""
        return not self.stale and self.rels.get(id(rels)) is rels

    def reached(self) -> set[Part]:
        """Every part the package reaches now."""
        if self.stale:
            self.parts.clear()
            self.rels.clear()
            self.stale = False
            self.walk(self.package._rels)
        return self.parts

    def add(self, part: Part) -> None:
        """`part` has just been related from a reached collection."""
        if part not in self.parts:
            self.parts.add(part)
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
                    self.parts.add(part)
                    pending.append(part.rels)


def _reach(package: OpcPackage) -> Reach:
    found = package.__dict__.get(Reach.HELD)
    if found is None:
        found = package.__dict__[Reach.HELD] = Reach(package)
    return found


def _next_partname(self: OpcPackage, tmpl: str) -> PackURI:
    """`OpcPackage.next_partname` on the kept parts: the same name, without the walk."""
    prefix = tmpl[: (tmpl % 42).find("42")]
    partnames = {p.partname for p in _reach(self).reached() if p.partname.startswith(prefix)}
    for n in range(len(partnames) + 1, 0, -1):
        candidate_partname = tmpl % n
        if candidate_partname not in partnames:
            return PackURI(candidate_partname)
    raise Exception("ProgrammingError: ran out of candidate_partnames")  # pragma: no cover


def _adding(original):
    """`_Relationships._add_relationship` that reaches the new target from a reached collection."""

    def add_relationship(self: _Relationships, reltype: str, target, is_external: bool = False) -> str:
        rId = original(self, reltype, target, is_external)
        reach = self.__dict__.get(Reach.HELD)
        if reach is not None and not is_external and reach.holds(self):
            reach.add(target)
        return rId

    add_relationship.__wrapped__ = original  # type: ignore[attr-defined]
    return add_relationship


def _dropping(original):
    """A `_Relationships` method that removes or replaces relationships: a reached
    collection's change makes its package walk again at the next question."""

    def drop(self: _Relationships, *args, **kwargs):
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
