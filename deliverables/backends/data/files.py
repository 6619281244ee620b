"""Open CRM exports as tables of text: CSV (UTF-8 with or without BOM, else
Windows-1252) and XLSX read by DuckDB, or tables already in a database.

Every cell stays text: nothing is evaluated, so a cell starting with `=`, `+`,
`-` or `@` is data like any other. `_row` is the spreadsheet row of each record
(the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import tempfile
from pathlib import Path

import ibis

ROW = "_row"


class Unreadable(Exception):
    """An export that cannot be opened or parsed."""


def _utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _transcode(path: Path, folder: str) -> Path:
    """A UTF-8 copy of a Windows-1252 file."""
    target = Path(folder) / (path.stem + ".utf8.csv")
    with open(path, encoding="cp1252", errors="replace", newline="") as src, open(target, "w", encoding="utf-8") as out:
        while chunk := src.read(1 << 20):
            out.write(chunk)
    return target


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx(path: Path, folder: str) -> Path:
    """The first worksheet as a UTF-8 CSV; formulas are kept as their text, never evaluated."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise Unreadable(f"is not a readable XLSX workbook ({exc.__class__.__name__})") from None
    target = Path(folder) / (path.stem + ".xlsx.csv")
    with open(target, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        for row in book.worksheets[0].iter_rows(values_only=True):
            writer.writerow([_cell(v) for v in row])
    book.close()
    return target


def load_file(con: ibis.BaseBackend, path: Path, name: str, folder: str) -> ibis.Table:
    """The export at `path` as table `name` of `con` (DuckDB), all text, with `_row`: an
    expression over the table by name, for `Database` to run as SQL."""
    source = _xlsx(path, folder) if path.suffix.lower() in (".xlsx", ".xlsm") else path
    if source is path and not _utf8(path):
        source = _transcode(path, folder)
    if os.path.getsize(source) == 0:
        raise Unreadable("is empty")
    literal = str(source).replace("'", "''")
    try:
        con.raw_sql(
            f"CREATE OR REPLACE TEMP TABLE \"{name}\" AS SELECT * FROM read_csv('{literal}', header = true, "
            "all_varchar = true, null_padding = true)"
        )
    except Exception as exc:  # DuckDB's parser errors carry the reason
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise Unreadable(f"cannot be read as CSV: {first}") from None
    con.raw_sql(f'CREATE OR REPLACE TEMP VIEW "{name}_rows" AS SELECT rowid + 2 AS "{ROW}", * FROM "{name}"')
    header = [row[0] for row in con.raw_sql(f'DESCRIBE "{name}"').fetchall()]
    return ibis.table({ROW: "int64", **dict.fromkeys(header, "string")}, name=f"{name}_rows")


def load_table(con: ibis.BaseBackend, table: str) -> ibis.Table:
    """A table already in the database, every column as text, numbered in the database's order."""
    try:
        found = con.table(table)
    except Exception as exc:
        raise Unreadable(f"table '{table}' cannot be read: {exc.__class__.__name__}") from None
    texts = {c: found[c].cast("string") for c in found.columns}
    return found.select(**texts).mutate(**{ROW: ibis.row_number() + 2})


def workspace() -> tempfile.TemporaryDirectory:
    """A private folder for transcoded copies, removed when the audit ends."""
    return tempfile.TemporaryDirectory(prefix="deliver-audit-")
