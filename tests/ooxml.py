"""Validate a .docx or .pptx the way Word and PowerPoint read it, without Office.

`validate_package(path)` returns a sorted list of problems (empty when the package is valid):

- every XML part against the ISO/IEC 29500 transitional schemas (ECMA-376 Part 4, in `xsd/`),
  after markup-compatibility processing: `mc:AlternateContent` keeps its `mc:Fallback`, and
  elements or attributes of an ignorable namespace or of an Office extension namespace
  (w14, w15, wp14, a14, p14, ...) are set aside, as an Office 2007 reader would;
- every part has a content type (`Default` by extension or `Override` by name), and every
  `Override` names a part that exists;
- every internal relationship resolves to a part, relationship ids are unique per source, and
  every `r:` reference in a part (`r:id`, `r:embed`, ...) names one of its relationships;
- what Word and PowerPoint repair beyond the schemas: `wp:docPr` ids unique across the Word
  document, shape ids (`p:cNvPr`) unique within each slide part.

Each problem reads `PART:LINE: message`; schema errors name the element's path too
(`word/document.xml:2: /w:document/w:body/w:tbl[1]/w:tblPr/w:tblLayout[2]: Element ...`). The schemas load once per process (a few seconds).
"""

from __future__ import annotations

import functools
import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

XSD = Path(__file__).resolve().parent / "xsd"

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# Schema file per namespace: the wrapper schema imports them all.
SCHEMAS = {
    XML_NS: "xml.xsd",
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "wml.xsd",
    P: "pml.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "dml-main.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/picture": "dml-picture.xsd",
    WP: "dml-wordprocessingDrawing.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/chart": "dml-chart.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/diagram": "dml-diagram.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/lockedCanvas": "dml-lockedCanvas.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/math": "shared-math.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": (
        "shared-documentPropertiesExtended.xsd"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties": "shared-documentPropertiesCustom.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/customXml": "shared-customXmlDataProperties.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/bibliography": "shared-bibliography.xsd",
    "urn:schemas-microsoft-com:vml": "vml-main.xsd",
    "urn:schemas-microsoft-com:office:office": "vml-officeDrawing.xsd",
    "urn:schemas-microsoft-com:office:word": "vml-wordprocessingDrawing.xsd",
    "urn:schemas-microsoft-com:office:powerpoint": "vml-presentationDrawing.xsd",
    CT: "opc-contentTypes.xsd",
    RELS: "opc-relationships.xsd",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": "opc-coreProperties.xsd",
}
# Namespaces the schemas define without a root element of their own (imported by the others).
SCHEMA_NAMESPACES = set(SCHEMAS) | {
    R,
    "http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes",
    "http://schemas.openxmlformats.org/schemaLibrary/2006/main",
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "http://purl.org/dc/elements/1.1/",
    "http://purl.org/dc/terms/",
    "http://purl.org/dc/dcmitype/",
    "http://www.w3.org/2001/XMLSchema-instance",
    "urn:schemas-microsoft-com:office:excel",
}
# Remote locations the OPC schemas import by URL, served from the local copies.
LOCAL = {
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dc.xsd": "dc.xsd",
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dcterms.xsd": "dcterms.xsd",
    "http://www.w3.org/2001/03/xml.xsd": "xml.xsd",
    "http://www.w3.org/2001/xml.xsd": "xml.xsd",
}
# Office understands these extension namespaces (MS-DOCX, MS-PPTX, MS-ODRAWXML) without a
# schema here: their markup is set aside, not reported.
OFFICE_EXTENSIONS = ("http://schemas.microsoft.com/office/",)


class _Local(etree.Resolver):
    def resolve(self, url, pubid, context):
        name = LOCAL.get(url) or (posixpath.basename(url) if url.startswith("http") else None)
        if name and (XSD / name).is_file():
            return self.resolve_filename(str(XSD / name), context)
        return None


@functools.cache
def schema() -> etree.XMLSchema:
    """One schema importing every namespace of `SCHEMAS` (loaded once, offline)."""
    imports = "".join(f'<xs:import namespace="{ns}" schemaLocation="{name}"/>' for ns, name in SCHEMAS.items())
    text = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    root = etree.fromstring(text.encode(), parser, base_url=(XSD / "all.xsd").as_uri())
    return etree.XMLSchema(etree.ElementTree(root))


def validate_package(path: str | Path) -> list[str]:
    """Every problem Word or PowerPoint would repair or refuse in the package at `path`."""
    problems: list[str] = []
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        if len(names) != len(set(names)):
            problems.append("package: duplicate zip entries")
        parts = {name: archive.read(name) for name in names}
    trees = {}
    for name, data in sorted(parts.items()):
        if name.endswith((".xml", ".rels")):
            try:
                trees[name] = _parse(data)
            except etree.XMLSyntaxError as error:
                problems.append(f"{name}:{error.lineno}: not well-formed XML: {error.msg}")
    problems += _content_types(parts, trees)
    problems += _relationships(parts, trees)
    problems += _unique_ids(trees)
    for name in sorted(trees):
        problems += _schema_errors(name, parts[name])
    return sorted(problems)


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))


def _schema_errors(name: str, data: bytes) -> list[str]:
    problems: list[str] = []
    root = _compatible(name, data, problems)
    if etree.QName(root).namespace not in SCHEMAS:
        return problems  # custom XML data: no schema to hold it to
    validator = schema()
    if not validator.validate(root):
        for error in validator.error_log:
            problems.append(f"{name}:{error.line}: {error.path}: {error.message}")
    return problems


def _compatible(name: str, data: bytes, problems: list[str]) -> etree._Element:
    """The part with markup compatibility applied; unknown non-ignorable markup is reported."""
    root = _parse(data)
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        fallback = alternate.find(f"{{{MC}}}Fallback")
        parent = alternate.getparent()
        index = parent.index(alternate)
        for child in reversed(list(fallback) if fallback is not None else []):
            parent.insert(index, child)
        parent.remove(alternate)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        ignorable = _ignorable(element)
        for attribute in list(element.attrib):
            namespace = etree.QName(attribute).namespace
            if namespace and namespace not in SCHEMA_NAMESPACES:
                if namespace != MC and namespace not in ignorable and not namespace.startswith(OFFICE_EXTENSIONS):
                    problems.append(f"{name}:{element.sourceline}: attribute {attribute} is not understood")
                del element.attrib[attribute]
        namespace = etree.QName(element).namespace
        if element.getparent() is not None and namespace not in SCHEMA_NAMESPACES:
            if namespace not in ignorable and not (namespace or "").startswith(OFFICE_EXTENSIONS):
                problems.append(f"{name}:{element.sourceline}: element {element.tag} is not understood")
            element.getparent().remove(element)
    return root


def _ignorable(element: etree._Element) -> set[str]:
    """Namespaces declared ignorable on the element or an ancestor (`mc:Ignorable` prefixes)."""
    found: set[str] = set()
    node = element
    while node is not None:
        for prefix in (node.get(f"{{{MC}}}Ignorable") or "").split():
            if prefix in node.nsmap:
                found.add(node.nsmap[prefix])
        node = node.getparent()
    return found


def _content_types(parts: dict[str, bytes], trees: dict) -> list[str]:
    types = trees.get("[Content_Types].xml")
    if types is None:
        return ["[Content_Types].xml: missing"]
    defaults = {d.get("Extension", "").lower() for d in types.iter(f"{{{CT}}}Default")}
    overrides = {o.get("PartName", ""): o for o in types.iter(f"{{{CT}}}Override")}
    problems = []
    for name in sorted(parts):
        if name == "[Content_Types].xml":
            continue
        extension = posixpath.basename(name).rpartition(".")[2].lower()
        if "/" + name not in overrides and extension not in defaults:
            problems.append(f"[Content_Types].xml: part /{name} has no content type")
    for part, override in sorted(overrides.items()):
        if part.lstrip("/") not in parts:
            problems.append(f"[Content_Types].xml:{override.sourceline}: override for missing part {part}")
    return problems


def _relationships(parts: dict[str, bytes], trees: dict) -> list[str]:
    problems = []
    ids_of: dict[str, set[str]] = {}
    for name in sorted(trees):
        if not name.endswith(".rels"):
            continue
        folder, rels_name = posixpath.split(name)
        source = posixpath.join(posixpath.dirname(folder), rels_name[: -len(".rels")])
        ids: set[str] = set()
        for rel in trees[name].iter(f"{{{RELS}}}Relationship"):
            rid = rel.get("Id", "")
            if rid in ids:
                problems.append(f"{name}:{rel.sourceline}: relationship id {rid} used twice")
            ids.add(rid)
            if rel.get("TargetMode") == "External":
                continue
            target = unquote(rel.get("Target", ""))
            if target.startswith("/"):
                resolved = posixpath.normpath(target.lstrip("/"))
            else:
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
            if resolved not in parts:
                problems.append(f"{name}:{rel.sourceline}: relationship {rid} targets missing part /{resolved}")
        ids_of[source] = ids
    for name, tree in sorted(trees.items()):
        if name.endswith(".rels") or name == "[Content_Types].xml":
            continue
        known = ids_of.get(name, set())
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            for attribute, value in element.attrib.items():
                if attribute.startswith(f"{{{R}}}") and value and value not in known:
                    problems.append(f"{name}:{element.sourceline}: {attribute} names no relationship ({value})")
    return problems


def _unique_ids(trees: dict) -> list[str]:
    """Word repairs duplicate drawing ids across its stories; PowerPoint duplicate shape ids."""
    problems = []
    seen: dict[str, str] = {}
    for name in sorted(trees):
        if not name.startswith("word/"):
            continue
        for doc_pr in trees[name].iter(f"{{{WP}}}docPr"):
            key = doc_pr.get("id", "")
            if key in seen:
                problems.append(f"{name}:{doc_pr.sourceline}: wp:docPr id {key} also used in {seen[key]}")
            seen.setdefault(key, name)
    for name in sorted(trees):
        if not name.startswith("ppt/") or name.endswith(".rels"):
            continue
        shape_ids: set[str] = set()
        for c_nv_pr in trees[name].iter(f"{{{P}}}cNvPr"):
            key = c_nv_pr.get("id", "")
            if key in shape_ids:
                problems.append(f"{name}:{c_nv_pr.sourceline}: shape id {key} used twice")
            shape_ids.add(key)
    return problems
