"""Open CRM exports as tables of text: CSV (UTF-8 with or without BOM, UTF-16 or
UTF-32 with one, else Windows-1252) and XLSX read by DuckDB, or tables already in a
database. A workbook is known by its first bytes, whatever its file's name.

Every cell stays text: nothing is evaluated, so a cell starting with `=`, `+`,
`-` or `@` is data like any other. `_row` is the spreadsheet row of each record
(the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import itertools
import os
import re
import tempfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis

ROW = "_row"


class NoSheet(Exception):
    """An export's `sheet` that its file does not have, or a file that is no workbook."""


class Unreadable(Exception):
    """An export that cannot be opened or parsed; `row` is the line of the file at fault, when known."""

    def __init__(self, message: str, row: int | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.row = row
        self.detail = detail
        """What is wrong at `row`, for the `EXPORT:ROW: ...` line."""


@dataclass(frozen=True)
class Read:
    """What opening an export found besides its rows."""

    sheet: str = ""
    """The worksheet read, for a workbook of several."""
    footer: int = 0
    """Rows of a report's footer left out below the records (`_drop_footer`)."""
    columns: tuple[str, ...] = ()
    """The export's whole header row, also the columns the table leaves out (`load_file`)."""
    headers: tuple[int, ...] = ()
    """Rows repeating the header row, left out (`_drop_headers`)."""


ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of an XLSX workbook (a zip archive) and of an Excel 97-2003 one."""
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
"""Byte order marks of the Unicode text Excel and other tools save (UTF-8 needs no copy)."""
ENCODINGS = "UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1252 text"


def _head(path: Path, size: int = 8) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def _scan(path: Path) -> tuple[bool, bool]:
    """In one read: whether the file is valid UTF-8, and whether an empty line comes before
    its last line. DuckDB skips empty lines, which would shift the row number of every
    record after one (a spreadsheet shows it as a row); at the end they shift nothing."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, empty, tail = True, False, b"\n"  # an empty first line is one too
    with open(path, "rb") as handle:
        chunk = handle.read(1 << 20)
        # One search a chunk: the file's own line ending, as its first lines have it.
        needle = b"\n\r\n" if b"\r\n" in chunk[:4096] else b"\n\n"
        while chunk:
            following = handle.read(1 << 20)
            if utf8:
                try:
                    decoder.decode(chunk, final=not following)
                except UnicodeDecodeError:
                    utf8 = False
            if not empty:
                text = chunk if following else chunk.rstrip(b"\r\n")
                edge = tail + text[:2]
                empty = needle in edge or needle in text
                tail = chunk[-2:]
            if not utf8 and empty:
                break
            chunk = following
    return utf8, empty


def _encoding(path: Path) -> tuple[str | None, bool]:
    """The encoding to copy the file from into UTF-8 (None when it is UTF-8 already), and
    whether it has empty lines (`_scan`; for a copy, the copy tells)."""
    head = _head(path, 4)
    found = next((name for bom, name in BOMS if head.startswith(bom)), None)
    if found is not None:
        return found, False
    utf8, empty = _scan(path)
    return (None, empty) if utf8 else ("cp1252", False)


def _utf8_else_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Read the bytes UTF-8 cannot as Windows-1252: a file saved in either decodes alike,
    and so does one mixing them (a UTF-8 export a spreadsheet added a line to), where
    reading it all as Windows-1252 turned every 'é' of its UTF-8 lines into 'Ã©'."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("deliver-utf8-else-cp1252", _utf8_else_cp1252)


def _transcode(path: Path, folder: str, encoding: str = "cp1252") -> Path:
    """A UTF-8 copy of a file in another encoding (its byte order mark, if any, dropped);
    for Windows-1252, whatever of it is UTF-8 read as UTF-8 (`_utf8_else_cp1252`)."""
    target = Path(folder) / (path.stem + ".utf8.csv")
    encoding, errors = ("utf-8-sig", "deliver-utf8-else-cp1252") if encoding == "cp1252" else (encoding, "replace")
    with open(path, encoding=encoding, errors=errors, newline="") as src, open(target, "w", encoding="utf-8") as out:
        while chunk := src.read(1 << 20):
            out.write(chunk)
    return target


def _blank(path: Path) -> bool:
    """Whether the file holds nothing but a byte order mark and white space."""
    if os.path.getsize(path) > 1 << 16:
        return False
    return not _head(path, 1 << 16).removeprefix(codecs.BOM_UTF8).strip()


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


SCANNED = 100
"""Leading rows of a worksheet searched for its header row."""


def _header_at(rows: list[tuple]) -> int:
    """Index of a worksheet's header row among its first rows: the first holding at least
    two values and half as many as the fullest of them. A report saved from a CRM may
    open with its title, its filters or blank rows, one or two cells each; its header
    names (nearly) every column, one left unnamed being no reason to pass it by."""
    counts = [sum(1 for v in row if _filled(v)) for row in rows]
    enough = max(2, (max(counts, default=0) + 1) // 2)
    found = next((i for i, n in enumerate(counts) if n >= enough), 0)
    if found + 1 < len(rows) and _groups(rows[found], rows[found + 1]):
        return found + 1
    return found


def _filled(value: object) -> bool:
    return value is not None and bool(str(value).strip())


def _groups(row: tuple, below: tuple) -> bool:
    """Whether `row` reads as headings grouping the columns of the header `below` (merged
    cells, each spanning several columns: 'Deal' over 'Record ID' and 'Stage'): `below`
    names more columns, all as text, and `row` leaves at least two of them without a
    heading of its own. One blank cell is no group: a header may leave a column unnamed."""
    named = [i for i, v in enumerate(below) if _filled(v)]
    if not named or not all(isinstance(below[i], str) for i in named):
        return False
    blank = sum(1 for i in named if i >= len(row) or not _filled(row[i]))
    return len(named) > sum(1 for v in row if _filled(v)) and blank >= 2


def _sheet(sheets: list, wanted: str | None) -> tuple[Any, str]:
    """The worksheet named `wanted` (case and surrounding spaces aside), else the first; and
    how a message names it when the choice is not plain."""
    if wanted is None:
        first = sheets[0]
        return first, f"worksheet '{first.title}', the first of {len(sheets)}" if len(sheets) > 1 else ""
    for sheet in sheets:
        if sheet.title.strip().lower() == wanted.strip().lower():
            return sheet, f"worksheet '{sheet.title}'"
    names = ", ".join(f"'{s.title}'" for s in sheets)
    raise NoSheet(f"has no worksheet '{wanted}'; its worksheets: {names}")


MAX_SHARED_STRINGS = 512 * 2**20
"""The most text a workbook's shared strings may unpack to: openpyxl holds them all in
memory (the rows it streams), and a workbook of a million CRM records keeps well under."""


def _held_strings(handle) -> None:
    """Refuse a workbook whose shared strings would not fit in memory, by their declared
    size, before any of them is read (a small file can declare gigabytes)."""
    import zipfile

    try:
        with zipfile.ZipFile(handle) as package:
            size = sum(i.file_size for i in package.infolist() if i.filename.lower() == "xl/sharedstrings.xml")
    except zipfile.BadZipFile:
        return  # openpyxl says what is wrong with it
    finally:
        handle.seek(0)
    if size > MAX_SHARED_STRINGS:
        raise Unreadable(
            f"is an XLSX workbook whose text unpacks to {size / 2**20:,.0f} MiB, past the"
            f" {MAX_SHARED_STRINGS // 2**20} MiB an export may hold; export it as CSV instead"
        )


def _xlsx(path: Path, folder: str, wanted: str | None = None) -> tuple[Path, str, int]:
    """A worksheet (`wanted`, else the first) as a UTF-8 CSV from its header row on; which
    sheet that is when the workbook has more than one; and the rows above the header.
    Formulas are kept as their text, never evaluated."""
    from openpyxl import load_workbook

    target = Path(folder) / (path.stem + ".xlsx.csv")
    try:
        with open(path, "rb") as handle:  # by content: a workbook saved under any name
            _held_strings(handle)
            book = load_workbook(handle, read_only=True, data_only=False)
            try:
                sheets = book.worksheets
                if not sheets:
                    raise Unreadable("is an XLSX workbook without a worksheet")
                chosen, sheet = _sheet(sheets, wanted)
                rows = chosen.iter_rows(values_only=True)
                first = list(itertools.islice(rows, SCANNED))
                skipped = _header_at(first)
                with open(target, "w", encoding="utf-8", newline="") as out:
                    writer = csv.writer(out)
                    for row in itertools.chain(first[skipped:], rows):
                        writer.writerow([_cell(v) for v in row])
            finally:
                book.close()
    except (Unreadable, NoSheet):
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise Unreadable(f"is not a readable XLSX workbook ({exc.__class__.__name__})") from None
    return target, sheet, skipped


def _dialect(con: ibis.BaseBackend, source: Path) -> dict[str, object]:
    """Python's `csv` options for the dialect DuckDB finds in the file."""
    literal = str(source).replace("'", "''")
    query = f"SELECT Delimiter, Quote, Escape FROM sniff_csv('{literal}', header = true, null_padding = true)"
    try:
        delimiter, quote, escape = con.raw_sql(query).fetchone()
    except Exception as exc:  # the same reasons as reading it
        raise _csv_error(str(exc), exc) from None
    quote = "" if quote == "(empty)" else quote
    escape = "" if escape == "(empty)" else escape
    if not quote:
        return {"delimiter": delimiter, "quoting": csv.QUOTE_NONE, "escapechar": escape or None}
    return {
        "delimiter": delimiter,
        "quotechar": quote,
        "doublequote": escape in ("", quote),
        "escapechar": None if escape in ("", quote) else escape,
    }


def _without_blank_lines(con: ibis.BaseBackend, source: Path, folder: str) -> tuple[Path, list[tuple[int, int]]]:
    """A copy of the CSV without its empty lines (outside quoted cells), and where they
    were: (first record after them, numbered from 0 below the header, empty lines
    above it in all)."""
    options = _dialect(con, source)
    target = Path(folder) / (source.stem + ".rows.csv")
    shifts: list[tuple[int, int]] = []
    limit = csv.field_size_limit()
    csv.field_size_limit(LINE_LIMIT)
    try:
        with (
            open(source, encoding="utf-8-sig", newline="") as src,
            open(target, "w", encoding="utf-8", newline="") as out,
        ):
            reader = csv.reader(src, **options)  # type: ignore[arg-type]
            writer = csv.writer(out, delimiter=str(options["delimiter"]), lineterminator="\n")
            records = empty = 0
            for row in reader:
                if not row:
                    empty += 1
                    continue
                if empty and (not shifts or shifts[-1][1] != empty):
                    shifts.append((max(records - 1, 0), empty))
                writer.writerow(row)
                records += 1
    except csv.Error as exc:
        raise Unreadable(f"cannot be read as CSV: {exc}") from None
    finally:
        csv.field_size_limit(limit)
    return target, shifts


XLSX = (".xlsx", ".xlsm")
CSV_EXPECTED = "comma, semicolon, tab or pipe separated values with a header row"
LINE_LIMIT = 2_000_000
"""Bytes a CSV line may hold (DuckDB's default)."""


Keep = Callable[[tuple[str, ...]], "Collection[str] | None"]
"""Given an export's header, the columns the audit reads of it (None: every one)."""


def load_file(
    con: ibis.BaseBackend, path: Path, name: str, folder: str, wanted: str | None = None, keep: Keep | None = None
) -> tuple[ibis.Table, Read]:
    """The export at `path` as table `name` of `con` (DuckDB), all text, with `_row`: an
    expression over the table by name, for `Database` to run as SQL; and what opening it
    found: for a workbook of several sheets, which one was read (`wanted`, by name, else
    the first), and the whole header. A workbook is known by its first bytes, whatever
    its name (an XLSX saved as .csv, a CSV saved as .xlsx). With `keep`, the table holds
    only the columns it names of the header (an export of every CRM property has hundreds
    the audit never reads, and holding them costs more than reading the file), with the
    first column and any values beyond the header, which the checks read."""
    head = _head(path)
    if head.startswith(OLE):
        raise Unreadable("is an Excel 97-2003 workbook (.xls); expected an XLSX workbook or a CSV file: save it as one")
    sheet, skipped, empty = "", 0, False
    if head.startswith(ZIP):
        source, sheet, skipped = _xlsx(path, folder, wanted)
    elif wanted is not None:
        raise NoSheet(f"is a text file, not an XLSX workbook: it has no worksheet '{wanted}' to read")
    else:
        encoding, empty = _encoding(path)
        source = path if encoding is None else _transcode(path, folder, encoding)
        empty = empty or (source is not path and _scan(source)[1])
    if _blank(source):
        raise Unreadable("is empty; expected a header row, then a row per record")
    shifts: list[tuple[int, int]] = []
    hint = "" if head.startswith(ZIP) else UNQUOTED
    try:
        if empty:
            source, shifts = _without_blank_lines(con, source, folder)
        whole = _header(con, source) if keep is not None and _many_columns(source) else None
        named = None if whole is None else tuple(h for h in whole if not _unnamed(whole, h))
        reads = None if named is None else keep(named)
        columns = None
        if reads is not None and whole and len(set(reads) & set(whole)) < len(named):
            columns = [h for i, h in enumerate(whole) if i == 0 or h in reads or _unnamed(whole, h)]
        kept = _opened(con, source, name, columns, whole, (skipped, shifts), hint)
        footer = _drop_footer(con, name, kept, {k for k, _ in shifts})
        if footer and columns is not None:
            # Seen through its columns alone, a last record could look like a footer's
            # line: read it whole, as without `keep`, to tell (a footer seen whole is
            # one in any of its columns, so nothing else needs this).
            kept = _opened(con, source, name, None, whole, (skipped, shifts), hint)
            footer = _drop_footer(con, name, kept, {k for k, _ in shifts})
    except Unreadable as exc:
        if path.suffix.lower() in XLSX and not head.startswith(ZIP):
            raise Unreadable("is not an XLSX workbook (not a zip archive), nor a CSV file") from None
        raise Unreadable(str(exc).replace(str(source), path.name), exc.row, exc.detail) from None
    headers = _drop_headers(con, name, kept)
    header = named if named is not None else tuple(kept)
    table = ibis.table({ROW: "int64", **dict.fromkeys(kept, "string")}, name=f"{name}_rows")
    return table, Read(sheet, footer, columns=header, headers=headers)


def _opened(
    con: ibis.BaseBackend,
    source: Path,
    name: str,
    columns: list[str] | None,
    whole: list[str] | None,
    rows: tuple[int, list[tuple[int, int]]],
    hint: str,
) -> list[str]:
    """Read the CSV (`columns` of its `whole` header, or all) into table `name`, numbered
    (`rows`: the rows skipped above the header, the empty lines among the records) and
    checked; the names of its columns within the header."""
    _read(con, source, name, columns)
    header = [row[0] for row in con.raw_sql(f'DESCRIBE "{name}"').fetchall()]
    _numbered(con, name, 2 + rows[0], rows[1])
    full = header if whole is None else whole
    _check_header(con, name, full, hint)
    beyond = {h for h in full if _unnamed(full, h)}  # dropped by `_check_header`
    return [h for h in header if h not in beyond]


FEW_COLUMNS = 24
"""Columns of an export loaded whole, without first asking which the audit reads:
reading the header costs more than holding so few."""


def _many_columns(source: Path) -> bool:
    """Whether the first line of the CSV may name more than FEW_COLUMNS columns (counted
    by its most frequent delimiter, quoted ones included: at worst, one question too many)."""
    with open(source, "rb") as handle:
        line = handle.readline(1 << 20)
    return max(line.count(d) for d in (b",", b";", b"\t", b"|")) >= FEW_COLUMNS


def _header(con: ibis.BaseBackend, source: Path) -> list[str]:
    """The names DuckDB gives the CSV's columns, from its header row (Unreadable with its reason)."""
    return [row[0] for row in _csv(con, source, "DESCRIBE SELECT * FROM {csv}").fetchall()]


def _ident(column: str) -> str:
    """A column name quoted for SQL (a header may hold any character, quotes included)."""
    return '"' + column.replace('"', '""') + '"'


FOOTER_SCAN = 50
"""Last rows of an export searched for a report's footer."""


def _drop_footer(con: ibis.BaseBackend, name: str, header: list[str], after_empty: set[int]) -> int:
    """Delete a report's footer from the end of the table and say how many rows it had,
    the empty one above it included: below an empty row, rows with a value in their first
    cell only. Salesforce ends a report export so (its copyright, 'Confidential
    Information - Do Not Distribute', who generated it and when); read as records, each
    would count as one. The empty row is a row of blank cells, or an empty line the
    table no longer holds (`after_empty`: the rows that followed one)."""
    if len(header) < 2:
        return 0
    total = con.raw_sql(f'SELECT count(*) FROM "{name}"').fetchone()[0]
    first = f"trim(coalesce({_ident(header[0])}, '')) <> ''"
    rest = " OR ".join(f"trim(coalesce({_ident(c)}, '')) <> ''" for c in header[1:])
    tail = con.raw_sql(
        f'SELECT rowid, {first}, {rest} FROM "{name}" WHERE rowid >= {total - FOOTER_SCAN} ORDER BY rowid'
    ).fetchall()
    start, line = None, 0
    for rowid, has_first, has_rest in reversed(tail):
        if has_rest:
            break
        if not has_first:
            start, line = rowid, 0
        elif rowid in after_empty:
            start, line = rowid, 1
    if start is None or not any(has_first for rowid, has_first, _ in tail if rowid >= start):
        return 0
    con.raw_sql(f'DELETE FROM "{name}" WHERE rowid >= {start}')
    return total - start + line


def _drop_headers(con: ibis.BaseBackend, name: str, header: list[str]) -> tuple[int, ...]:
    """Delete the rows that repeat the header row and give their spreadsheet rows: exports
    pasted one below another each bring their own, which would read as a record whose
    stage is 'Lifecycle Stage' and whose dates are unreadable. Columns without a name
    (DuckDB's `column<N>`) are not compared."""
    named = [c for c in header if not re.fullmatch(r"column\d+", c)]
    if len(named) < 2:
        return ()
    same = " AND ".join(f"trim(coalesce({_ident(c)}, '')) = '{c.strip().replace(chr(39), chr(39) * 2)}'" for c in named)
    found = con.raw_sql(f'SELECT "{ROW}" FROM "{name}_rows" WHERE {same} ORDER BY "{ROW}"').fetchall()
    if found:
        con.raw_sql(f'DELETE FROM "{name}" WHERE {same}')
    return tuple(row for (row,) in found)


def _read(con: ibis.BaseBackend, source: Path, name: str, columns: list[str] | None = None) -> None:
    """Read the CSV (`columns` of it, or all) into a temporary table of text (Unreadable
    with DuckDB's reason)."""
    chosen = ", ".join(_ident(c) for c in columns) if columns is not None else "*"
    _csv(con, source, f'CREATE OR REPLACE TEMP TABLE "{name}" AS SELECT {chosen} FROM {{csv}}')


def _csv(con: ibis.BaseBackend, source: Path, query: str) -> Any:
    """Run `query` with `{csv}` standing for the CSV read as text (Unreadable with DuckDB's reason)."""
    literal = str(source).replace("'", "''")
    options = "header = true, all_varchar = true, null_padding = true"
    # DuckDB's parallel reader cannot pad short rows of a file with line breaks inside
    # quoted cells; the serial one can, and only such files pay for it.
    for extra in ("", ", parallel = false"):
        try:
            return con.raw_sql(query.format(csv=f"read_csv('{literal}', {options}{extra})"))
        except Exception as exc:  # DuckDB's parser errors carry the reason
            text = str(exc)
            if not extra and "parallel=false" in text:
                continue
            raise _csv_error(text, exc) from None
    raise AssertionError("unreachable")


def _csv_error(text: str, exc: Exception) -> Unreadable:
    """What DuckDB's CSV error means for the user, with the line at fault when it says."""
    line = re.search(r"CSV Error on Line: (\d+)", text)
    counts = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if line and counts:
        detail = f"more values than the {_columns(int(counts[1]))} its header names{UNQUOTED}"
        return Unreadable("has a row with more values than its header has columns", int(line[1]), detail)
    if "Maximum line size" in text:
        return Unreadable(f"has a line longer than {LINE_LIMIT:,} bytes, more than a CSV line may hold")
    if "sniffing" in text:
        return Unreadable(f"cannot be read as CSV: no consistent delimiter found; expected {CSV_EXPECTED}")
    first = text.strip().splitlines()[0] if text.strip() else exc.__class__.__name__
    return Unreadable(f"cannot be read as CSV: {first}")


UNQUOTED = " (a value with an unquoted delimiter?)"


def _columns(count: int) -> str:
    return f"{count} column" if count == 1 else f"{count} columns"


def _unnamed(header: list[str], column: str) -> bool:
    """Whether a column is one DuckDB named itself after the header's last name: values
    beyond the header (`column5`, or `column05` among ten or more)."""
    position = header.index(column)
    named = len(header)
    while named and re.fullmatch(r"column\d+", header[named - 1]) and int(header[named - 1][6:]) == named - 1:
        named -= 1
    return position >= named


def _numbered(con: ibis.BaseBackend, name: str, first: int, shifts: list[tuple[int, int]]) -> None:
    """The view `<name>_rows` of the table with `_row`, the spreadsheet row of each record:
    `first` for the first, plus the empty lines above it (`shifts`) when there were any."""
    row = f"rowid + {first}"
    if shifts:
        con.raw_sql(f'CREATE OR REPLACE TEMP TABLE "{name}_empty" (k BIGINT, shift BIGINT)')
        con.raw_sql(f'INSERT INTO "{name}_empty" VALUES ' + ", ".join(f"({k}, {n})" for k, n in shifts))
        row += f' + coalesce((SELECT max(shift) FROM "{name}_empty" WHERE k <= t.rowid), 0)'
    con.raw_sql(f'CREATE OR REPLACE TEMP VIEW "{name}_rows" AS SELECT {row} AS "{ROW}", * FROM "{name}" AS t')


def _check_header(con: ibis.BaseBackend, name: str, header: list[str], hint: str) -> None:
    """Unreadable when the header row holds a NUL character, or when a row has values
    beyond the header's last column (blank ones, as from trailing delimiters, are fine)."""
    for i, column in enumerate(header):
        if "\x00" in column:
            shown = column.replace("\x00", "")[:40]
            raise Unreadable(
                f"has a NUL character in column {i + 1} of its header row ('{shown}'); expected {ENCODINGS}"
            )
    beyond = [c for c in header if _unnamed(header, c)]
    if not beyond:
        return
    named = len(header) - len(beyond)
    filled = [f"trim({_ident(c)}) <> ''" for c in beyond]
    last = ", ".join(f"CASE WHEN {f} THEN {named + i + 1} ELSE 0 END" for i, f in enumerate(filled))
    found = con.raw_sql(
        f'SELECT "{ROW}", greatest(0, {last}), count(*) OVER () FROM "{name}_rows" '
        f'WHERE {" OR ".join(filled)} ORDER BY "{ROW}" LIMIT 1'
    ).fetchall()
    if found:
        row, values, total = found[0]
        detail = f"{values} values, more than the {_columns(named)} its header names{hint}"
        rows = "a row" if total == 1 else f"{total:,} rows"
        raise Unreadable(f"has {rows} with more values than its header has columns", row, detail)
    for column in beyond:  # blank values past the header: trailing delimiters
        con.raw_sql(f'ALTER TABLE "{name}" DROP COLUMN {_ident(column)}')


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
