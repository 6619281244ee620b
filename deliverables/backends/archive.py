"""Deterministic zip re-packing for office files (.docx, .pptx).

python-docx and python-pptx stamp every zip entry with the wall clock, so two
builds of the same input differ. Re-packing with fixed dates, a fixed entry
order and fixed compression gives the same bytes for the same input.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

DateTime = tuple[int, int, int, int, int, int]

# Office readers expect the content-types part first; the rest keep a sorted order.
_FIRST = "[Content_Types].xml"


def normalize_zip(data: bytes, date_time: DateTime = (1980, 1, 1, 0, 0, 0)) -> bytes:
    """The same archive with entries in a fixed order, fixed dates and fixed compression."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(entries, key=lambda n: (n != _FIRST, n)):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()


UNDATED_PROPERTIES = (
    "{http://purl.org/dc/terms/}created",
    "{http://purl.org/dc/terms/}modified",
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastPrinted",
)
"""Core properties that carry a date: left out of an undated draft."""


CORE_PROPERTY_MAX = 255
"""Longest text Word and PowerPoint keep in a core property (title, subject, author)."""


def core_text(text: str, limit: int = CORE_PROPERTY_MAX) -> str:
    """`text` cut to fit a core property, with an ellipsis when cut (the pages keep it whole)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def drop_dates(core_properties: Any) -> None:
    """Remove the dates from an Office file's core properties element, so a version the
    client file gives no date never claims one."""
    for tag in UNDATED_PROPERTIES:
        for found in core_properties.findall(tag):
            core_properties.remove(found)
