"""Deterministic re-packing of zip-based office files (.docx, .pptx, .xlsx).

Office libraries stamp every zip entry with the wall clock and may write
entries in any order; re-packing fixes both so the same input gives the same
bytes.
"""

from __future__ import annotations

import io
import zipfile

# OPC readers look for the content-types part first; keep it and the package
# relationships at the front, everything else in name order.
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def _order(name: str) -> tuple[int, str]:
    return (_FIRST.index(name) if name in _FIRST else len(_FIRST), name)


def normalize_zip(data: bytes, date_time: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)) -> bytes:
    """The same archive with entries in a fixed order, fixed dates and fixed compression."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist() if not info.is_dir()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(entries, key=_order):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()
