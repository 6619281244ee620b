"""A redline of two Word documents: the new one, with what changed since the old one as
tracked changes (`w:ins` / `w:del`) that Word's Review pane lists and Accept All applies.

Both documents come from the same renderer, so their bodies line up block by block:
paragraphs and tables are matched in order, changed paragraphs get a word-level
diff, tables are compared row by row and cell by cell, and blocks or rows only one
side has are inserted or deleted whole. Content controls and bookmarks are unwrapped
first: the redline is for reading the changes, the clean document for answering.
Accepting every change gives the new document's text exactly.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import io
import zipfile

from lxml import etree

from deliverables.backends.archive import normalize_zip
from deliverables.core.worddiff import word_diff

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT = "word/document.xml"
_SPECIAL = 0xE000  # private-use characters stand for breaks, tabs and drawings in the diff


def q(name: str) -> str:
    return f"{{{W}}}{name}"


class Marker:
    """Writes revision elements with one author and date and ids counted up from 1."""

    def __init__(self, author: str, date: dt.date):
        self.author, self.date, self.next = author, f"{date.isoformat()}T00:00:00Z", 0

    def make(self, kind: str) -> etree._Element:
        self.next += 1
        element = etree.Element(q(kind))
        element.set(q("id"), str(self.next))
        element.set(q("author"), self.author)
        element.set(q("date"), self.date)
        return element


def redline(old: bytes, new: bytes, author: str, date: dt.date) -> bytes:
    """The new document with its differences from the old one as tracked changes."""
    old_body = _body(_read(old, DOCUMENT))
    with zipfile.ZipFile(io.BytesIO(new)) as package:
        parts = {info.filename: package.read(info.filename) for info in package.infolist()}
    root = etree.fromstring(parts[DOCUMENT])
    body = root.find(q("body"))
    for tree in (old_body, body):
        _plain(tree)
    marker = Marker(author, date)
    _blocks(marker, body, _children(old_body), _children(body))
    parts[DOCUMENT] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return normalize_zip(buffer.getvalue(), (max(date.year, 1980), date.month, date.day, 0, 0, 0))


def _read(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def _body(root: etree._Element) -> etree._Element:
    return root.find(q("body"))


def _children(container: etree._Element) -> list[etree._Element]:
    return [c for c in container if c.tag in (q("p"), q("tbl"))]


def _plain(tree: etree._Element) -> None:
    """Unwrap content controls and drop bookmarks: plain text of the same reading."""
    for sdt in list(tree.iter(q("sdt"))):
        content = sdt.find(q("sdtContent"))
        parent = sdt.getparent()
        at = parent.index(sdt)
        for child in list(content if content is not None else []):
            parent.insert(at, child)
            at += 1
        parent.remove(sdt)
    for mark in list(tree.iter(q("bookmarkStart"), q("bookmarkEnd"))):
        mark.getparent().remove(mark)


# ------------------------------------------------------------------ blocks


def _key(block: etree._Element) -> str:
    return f"{_style(block) if block.tag == q('p') else 'tbl'}:{etree.tostring(block)!r}"


def _style(paragraph: etree._Element) -> str:
    style = paragraph.find(f"{q('pPr')}/{q('pStyle')}")
    return style.get(q("val"), "") if style is not None else ""


def _text(element: etree._Element | None) -> str:
    return "" if element is None else "".join(t.text or "" for t in element.iter(q("t")))


def _blocks(marker: Marker, container, old: list, new: list) -> None:
    """Mark the differences between two runs of blocks, in place in `container` (holding `new`)."""
    matcher = difflib.SequenceMatcher(None, [_key(b) for b in old], [_key(b) for b in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = old[i1:i2], new[j1:j2]
        paired = 0
        for before, after in zip(olds, news):
            if not _comparable(before, after):
                break
            if after.tag == q("tbl"):
                _table(marker, before, after)
            else:
                _paragraph(marker, before, after)
            paired += 1
        for after in news[paired:]:
            _inserted(marker, after)
        # Deleted blocks go where they stood: before the rest of the new stretch.
        point = news[paired] if paired < len(news) else (new[j2] if j2 < len(new) else None)
        for before in olds[paired:]:
            _place_deleted(marker, container, before, point)
    _trailing(marker, container)


def _deleted_mark(paragraph) -> bool:
    return paragraph.find(f"{q('pPr')}/{q('rPr')}/{q('del')}") is not None


def _trailing(marker: Marker, container) -> None:
    """Deleted paragraphs at the end of a cell or the body: the mark that goes is the one
    before them, as Word records it, so accepting leaves no empty paragraph behind."""
    blocks = _children(container)
    group = []
    while blocks and blocks[-1].tag == q("p") and _deleted_mark(blocks[-1]):
        group.insert(0, blocks.pop())
    if not group or not blocks or blocks[-1].tag != q("p") or _deleted_mark(blocks[-1]):
        return
    kept, last = blocks[-1], group[-1]
    last_pr = last.find(q("pPr"))
    mark = last_pr.find(f"{q('rPr')}/{q('del')}")
    mark.getparent().remove(mark)
    # The merged paragraph takes the last mark's properties: give it the kept paragraph's.
    kept_pr = kept.find(q("pPr"))
    last.remove(last_pr)
    if kept_pr is not None:
        replacement = copy.deepcopy(kept_pr)
        for sect in replacement.findall(q("sectPr")):
            replacement.remove(sect)
        last.insert(0, replacement)
    _mark_paragraph(marker, kept, "del")


def _comparable(before, after) -> bool:
    if before.tag != after.tag:
        return False
    if before.tag == q("p"):
        return _style(before) == _style(after)
    return _columns(before) == _columns(after) and _text(before.find(q("tr"))) == _text(after.find(q("tr")))


def _columns(table) -> int:
    return len(table.findall(f"{q('tblGrid')}/{q('gridCol')}"))


def _place_deleted(marker: Marker, container, before, point) -> None:
    """Put a deleted copy of an old block before `point` (None: at the end of the container)."""
    gone = copy.deepcopy(before)
    _deleted(marker, gone)
    if point is None:
        point = container.find(q("sectPr"))
    if point is not None:
        point.addprevious(gone)
    else:
        container.append(gone)


# ------------------------------------------------------------------ tables


def _table(marker: Marker, before, after) -> None:
    old_rows, new_rows = before.findall(q("tr")), after.findall(q("tr"))
    matcher = difflib.SequenceMatcher(
        None, [etree.tostring(r) for r in old_rows], [etree.tostring(r) for r in new_rows], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = old_rows[i1:i2], new_rows[j1:j2]
        pairs, gone, added = _pair_rows(olds, news)
        for old_row, new_row in pairs:
            for old_cell, new_cell in zip(old_row.findall(q("tc")), new_row.findall(q("tc"))):
                _blocks(marker, new_cell, _children(old_cell), _children(new_cell))
        for row in added:
            _row(marker, row, "ins")
        point = news[0] if news else (new_rows[j2] if j2 < len(new_rows) else None)
        for row in gone:
            deleted = copy.deepcopy(row)
            _row(marker, deleted, "del")
            if point is not None:
                point.addprevious(deleted)
            else:
                after.append(deleted)


def _pair_rows(olds: list, news: list):
    """Rows of a changed stretch paired by their first cell's text (a term, a stage), in order."""
    firsts = {id(r): _text(r.find(q("tc"))) for r in olds + news}
    pairs, used = [], set()
    for new_row in news:
        match = next((o for o in olds if id(o) not in used and firsts[id(o)] == firsts[id(new_row)]), None)
        if match is not None and len(match.findall(q("tc"))) == len(new_row.findall(q("tc"))):
            used.add(id(match))
            pairs.append((match, new_row))
    # A renamed stage keeps its row: pair what is left when most of the row reads the same.
    for new_row in news:
        if any(n is new_row for _, n in pairs):
            continue
        text = "".join(new_row.itertext())
        for old_row in olds:
            if id(old_row) in used or len(old_row.findall(q("tc"))) != len(new_row.findall(q("tc"))):
                continue
            if difflib.SequenceMatcher(None, "".join(old_row.itertext()), text, autojunk=False).ratio() >= 0.6:
                used.add(id(old_row))
                pairs.append((old_row, new_row))
                break
    paired_new = {id(n) for _, n in pairs}
    return pairs, [o for o in olds if id(o) not in used], [n for n in news if id(n) not in paired_new]


def _row(marker: Marker, row, kind: str) -> None:
    """A whole row inserted or deleted: the row's mark and every paragraph in it."""
    pr = row.find(q("trPr"))
    if pr is None:
        pr = etree.Element(q("trPr"))
        row.insert(next((i for i, c in enumerate(row) if c.tag == q("tc")), len(row)), pr)
    pr.append(marker.make(kind))
    for paragraph in row.iter(q("p")):
        (_inserted if kind == "ins" else _deleted)(marker, paragraph)


# -------------------------------------------------------------- paragraphs


def _inserted(marker: Marker, block) -> None:
    """Every run and paragraph mark of a new block, as inserted."""
    if block.tag == q("tbl"):
        for row in block.findall(q("tr")):
            _row(marker, row, "ins")
        return
    runs = [r for r in block if r.tag == q("r")]
    if runs:
        wrapper = marker.make("ins")
        runs[0].addprevious(wrapper)
        for run in runs:
            wrapper.append(run)
    _mark_paragraph(marker, block, "ins")


def _deleted(marker: Marker, block) -> None:
    """Every run and paragraph mark of an old block, as deleted."""
    if block.tag == q("tbl"):
        for row in block.findall(q("tr")):
            _row(marker, row, "del")
        return
    pr = block.find(q("pPr"))
    if pr is not None and pr.find(q("sectPr")) is not None:
        pr.remove(pr.find(q("sectPr")))
    runs = [r for r in block if r.tag == q("r")]
    for run in runs:
        _to_deleted_text(run)
    if runs:
        wrapper = marker.make("del")
        runs[0].addprevious(wrapper)
        for run in runs:
            wrapper.append(run)
    _mark_paragraph(marker, block, "del")


def _to_deleted_text(run) -> None:
    for t in run.findall(q("t")):
        t.tag = q("delText")
    for t in run.findall(q("instrText")):
        t.tag = q("delInstrText")


def _mark_paragraph(marker: Marker, paragraph, kind: str) -> None:
    """The paragraph mark as inserted or deleted (`w:pPr/w:rPr/w:ins|w:del`, first in rPr)."""
    pr = paragraph.find(q("pPr"))
    if pr is None:
        pr = etree.Element(q("pPr"))
        paragraph.insert(0, pr)
    rpr = pr.find(q("rPr"))
    if rpr is None:
        rpr = etree.Element(q("rPr"))
        later = [c for c in pr if c.tag in (q("sectPr"), q("pPrChange"))]
        if later:
            later[0].addprevious(rpr)
        else:
            pr.append(rpr)
    rpr.insert(0, marker.make(kind))


def _paragraph(marker: Marker, before, after) -> None:
    """A word-level diff of two paragraphs, written into `after` with the new formatting."""
    specials: dict[bytes, str] = {}
    old_atoms, new_atoms = _atoms(before, specials), _atoms(after, specials)
    old_text = "".join(a[0] for a in old_atoms)
    new_text = "".join(a[0] for a in new_atoms)
    if old_text == new_text:
        return
    pieces: list[tuple[str, list]] = []
    i = j = 0
    for op, text in word_diff(old_text, new_text):
        if op == "-":
            pieces.append(("-", old_atoms[i : i + len(text)]))
            i += len(text)
        else:
            pieces.append((op, new_atoms[j : j + len(text)]))
            j += len(text)
            i += len(text) if op == "=" else 0
    for run in [c for c in after if c.tag == q("r")]:
        after.remove(run)
    for op, atoms in pieces:
        for run in _runs(atoms, deleted=op == "-"):
            if op == "=":
                after.append(run)
            else:
                wrapper = marker.make("del" if op == "-" else "ins")
                wrapper.append(run)
                after.append(wrapper)


def _atoms(paragraph, specials: dict[bytes, str]) -> list[tuple[str, bytes, etree._Element | None]]:
    """(character, run properties, special element) for every character of the paragraph's runs."""
    atoms = []
    for run in (c for c in paragraph if c.tag == q("r")):
        pr = run.find(q("rPr"))
        props = etree.tostring(pr) if pr is not None else b""
        for child in run:
            if child.tag == q("rPr"):
                continue
            if child.tag == q("t"):
                atoms += [(ch, props, None) for ch in child.text or ""]
            else:
                key = etree.tostring(child)
                if key not in specials:
                    specials[key] = chr(_SPECIAL + len(specials))
                atoms.append((specials[key], props, child))
    return atoms


def _runs(atoms, deleted: bool) -> list[etree._Element]:
    """Runs for consecutive atoms of the same properties; text of deleted runs as `w:delText`."""
    runs: list[etree._Element] = []
    last = None
    for char, props, special in atoms:
        if last != props or not runs:
            run = etree.Element(q("r"))
            if props:
                run.append(etree.fromstring(props))
            runs.append(run)
            last = props
        run = runs[-1]
        if special is not None:
            run.append(copy.deepcopy(special))
            continue
        tail = run[-1] if len(run) else None
        kind = q("delText") if deleted else q("t")
        if tail is None or tail.tag != kind:
            tail = etree.SubElement(run, kind)
            tail.text = ""
        tail.text += char
        if tail.text != tail.text.strip():
            tail.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return runs
