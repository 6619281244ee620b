"""Dates in CRM exports, read by the database itself as seconds since 1970 (UTC).

The accepted shapes are regular expressions with the role of each group, so
one ibis expression reads them on any backend (DuckDB, PostgreSQL, ...), with
plain arithmetic instead of backend-specific parsing functions: ISO 8601 (with
or without time and zone), `YYYY-MM-DD HH:MM`, `MM/DD/YYYY[ HH:MM[ AM]]`, and an
export's own `date_format` (strftime directives). One shape, a valid `YYYY-MM-DD
HH:MM` (nearly every date of most exports), is also read cell by cell with a plain
cast to a timestamp (`read_minutes`), to the same seconds.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

import ibis

EXPECTED = "ISO 8601, YYYY-MM-DD HH:MM or MM/DD/YYYY[ HH:MM]"


@dataclass(frozen=True)
class Shape:
    """One accepted date shape: an anchored pattern and the role of each group."""

    pattern: str
    roles: tuple[str, ...]


ISO = Shape(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)? *(Z|[+-]\d{2}:?\d{2})?$",
    ("Y", "m", "d", "H", "M", "S", "z"),
)
US = Shape(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))? *([AaPp][Mm])?)?$",
    ("m", "d", "Y", "H", "M", "S", "p"),
)
EPOCH_MS = Shape(r"^(\d{13})$", ("ms",))
"""Milliseconds since 1970, as HubSpot's API and its internal-name exports write dates
(13 digits: September 2001 to 2286)."""
NO_DATE = ("null", "none", "n/a", "na", "nan", "nat", "-", "--")
"""Texts that say "no date" (lower-cased), read as a blank cell: `NULL` from a database
dump, `N/A` typed in a spreadsheet."""
DIRECTIVES = {
    "Y": r"(\d{4})",
    "y": r"(\d{2})",
    "m": r"(\d{1,2})",
    "d": r"(\d{1,2})",
    "H": r"(\d{1,2})",
    "I": r"(\d{1,2})",
    "M": r"(\d{2})",
    "S": r"(\d{2})",
    "p": r"([AaPp][Mm])",
    "z": r"(Z|[+-]\d{2}:?\d{2})",
    "b": r"([A-Za-z]{3})",
}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


class BadFormat(Exception):
    """A `date_format` with a directive this reader does not know."""


def shape_of(date_format: str) -> Shape:
    """The shape a strftime pattern describes (`%d.%m.%Y` -> day, month, year)."""
    pattern, roles, i = "^", [], 0
    while i < len(date_format):
        char = date_format[i]
        if char == "%" and i + 1 < len(date_format):
            directive = date_format[i + 1]
            if directive == "%":
                pattern += "%"
            elif directive in DIRECTIVES:
                pattern += DIRECTIVES[directive]
                roles.append({"I": "H", "y": "y"}.get(directive, directive))
            else:
                raise BadFormat(f"unknown directive '%{directive}'; known: %{', %'.join(DIRECTIVES)}")
            i += 2
            continue
        pattern += re.escape(char) if char != " " else " +"
        i += 1
    if not {"d"} <= set(roles) or not ({"m", "b"} & set(roles)) or not ({"Y", "y"} & set(roles)):
        raise BadFormat("it needs a day, a month and a year (%d, %m or %b, %Y or %y)")
    return Shape(pattern + "$", tuple(roles))


def serial_hint(text: str) -> str:
    """For a whole number a spreadsheet's date serial could be (1954 to 2119): which date it
    would be, and what to do. A workbook's date cell formatted as a number, or a date pasted
    as its value, reads so: the day count since Excel's 30 December 1899."""
    import datetime as dt

    if not re.fullmatch(r"\d{5}", text.strip()) or not 20_000 <= int(text) <= 80_000:
        return ""
    day = dt.date(1899, 12, 30) + dt.timedelta(days=int(text))
    return f" (a number: read as a spreadsheet's date serial, {day.isoformat()}; format the column as dates in the workbook)"


GUESSES = tuple(
    f"{day}{time}"
    for day in (
        "%d.%m.%Y",
        "%d.%m.%y",
        "%Y/%m/%d",
        "%d/%m/%Y",
        "%d-%m-%Y",
        "%Y.%m.%d",
        "%b %d, %Y",
        "%d %b %Y",
        "%d-%b-%Y",
    )
    for time in ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p")
)
"""Date formats common in exports from other locales and CRMs, tried on unreadable dates
to say which `date_format` would read them."""


def guess(texts: list[str]) -> str | None:
    """The first of `GUESSES` that reads every one of `texts`, as this reader and
    Python's strptime both read it (a day its month lacks is no match)."""
    import datetime as dt

    cells = [t.strip() for t in texts if t.strip()]
    for date_format in GUESSES if cells else ():
        pattern = re.compile(shape_of(date_format).pattern)
        try:
            if all(pattern.match(c) and dt.datetime.strptime(re.sub(" +", " ", c), date_format) for c in cells):
                return date_format
        except ValueError:
            continue
    return None


STANDARD = (ISO, US, EPOCH_MS)
"""The shapes read in an export without a `date_format` of its own."""


def shapes(date_format: str | None) -> tuple[Shape, ...]:
    """The shapes read in one export: its own format first, then the standard ones."""
    return ((shape_of(date_format),) if date_format else ()) + STANDARD


EDGES = string.whitespace + "\u00a0\u2007\u202f\u3000\ufeff"
"""What a cell loses at either end: white space, and the spaces a copy from a web page or
a word processor brings (no-break, figure, narrow no-break, ideographic, zero-width no-break)."""
_EDGED = f"^[{EDGES}]+|[{EDGES}]+$"


def strip(value: ibis.Value) -> ibis.Value:
    """The text without leading and trailing white space (EDGES), trimmed only when it starts
    or ends with some: most cells do neither, and testing two characters costs far less
    than a trim. Literal characters in the pattern, as PostgreSQL and DuckDB both read them."""
    spaces = ibis.literal(EDGES)
    edged = spaces.contains(value.left(1)) | spaces.contains(value.right(1))
    return edged.ifelse(value.re_replace(_EDGED, ""), value)


def _number(text: ibis.Value) -> ibis.Value:
    return text.nullif("").cast("int64")


ROLE_NAMES = {
    "Y": "year",
    "y": "year2",
    "m": "month",
    "b": "mon",
    "d": "day",
    "H": "hour",
    "M": "minute",
    "S": "second",
    "p": "half",
    "z": "zone",
    "ms": "ms",
}
"""Column name of each part (the database may not tell `M` from `m`)."""


def _parts(value: ibis.Value, joined: ibis.Value | None, shape: Shape) -> dict[str, ibis.Value]:
    """The text of each part of a value known to match the shape: ISO by position, any
    other shape from `joined`, the value rewritten by its pattern into parts joined by '|'."""
    if shape is ISO:
        return _iso_parts(value)
    pieces = joined.split("|")
    return {role: pieces[i] for i, role in enumerate(shape.roles)}


def _joined(value: ibis.Value, shape: Shape) -> ibis.Value:
    return value.re_replace(shape.pattern, "|".join(f"\\{i + 1}" for i in range(len(shape.roles))))


def _iso_parts(value: ibis.Value) -> dict[str, ibis.Value]:
    """ISO parts by position (fixed widths), cheaper than one regular expression per part;
    only the optional zone needs one."""
    timed = value.length() >= 16
    seconds = timed & (value.length() >= 19) & (value.substr(16, 1) == ":")
    return {
        "Y": value.substr(0, 4),
        "m": value.substr(5, 2),
        "d": value.substr(8, 2),
        "H": timed.ifelse(value.substr(11, 2), ""),
        "M": timed.ifelse(value.substr(14, 2), ""),
        "S": seconds.ifelse(value.substr(17, 2), ""),
        "z": (value.length() > 16).ifelse(value.re_extract(r"(Z|[+-]\d{2}:?\d{2})$", 1), ""),
    }


FIELDS = ("year", "month", "day", "hour", "minute", "second", "offset")


def _fields(parts: dict[str, ibis.Value]) -> dict[str, ibis.Value]:
    """The numbers of one shape's parts: year, month, day, hour, minute, second, zone offset."""
    year = _number(parts["Y"]) if "Y" in parts else _number(parts["y"]) + 2000
    if "b" in parts:
        name = parts["b"].lower()
        month = ibis.cases(*((name == m, i + 1) for i, m in enumerate(MONTHS)), else_=ibis.null("int64"))
    else:
        month = _number(parts["m"])
    zero = ibis.literal(0, "int64")
    hour = _number(parts["H"]).coalesce(0) if "H" in parts else zero
    if "p" in parts:
        half = parts["p"].lower()
        hour = ibis.cases(
            ((half == "pm") & (hour < 12), hour + 12), ((half == "am") & (hour == 12), hour - 12), else_=hour
        )
    return {
        "year": year,
        "month": month,
        "day": _number(parts["d"]),
        "hour": hour,
        "minute": _number(parts["M"]).coalesce(0) if "M" in parts else zero,
        "second": _number(parts["S"]).coalesce(0) if "S" in parts else zero,
        "offset": _offset(parts["z"]) if "z" in parts else zero,
    }


def _month_days(year: ibis.Value, month: ibis.Value) -> ibis.Value:
    """Days in the month (proleptic Gregorian): 2026-02-30 is no date at all."""
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    return ibis.cases(
        (month == 2, leap.ifelse(29, 28)), (month.isin([4, 6, 9, 11]), 30), else_=ibis.literal(31, "int64")
    )


def _days(year: ibis.Value, month: ibis.Value, day: ibis.Value) -> ibis.Value:
    """Days since 1970-01-01 of a civil date, in integer arithmetic (proleptic Gregorian,
    years counted from March so the leap day ends the year)."""
    march = year - (month <= 2).ifelse(1, 0)
    doy = (153 * (month + (month > 2).ifelse(-3, 9)) + 2) // 5 + day - 1
    return march * 365 + march // 4 - march // 100 + march // 400 + doy - 719468


def _offset(zone: ibis.Value) -> ibis.Value:
    digits = zone.re_replace(r"[^0-9]", "")
    hours, minutes = _number(digits.substr(0, 2)).coalesce(0), _number(digits.substr(2, 2)).coalesce(0)
    sign = (zone.left(1) == "-").ifelse(-1, 1)
    return (zone.nullif("").isnull() | (zone == "Z")).ifelse(0, sign * (hours * 3600 + minutes * 60))


def read(
    table: ibis.Table, column: str, known: tuple[Shape, ...], keep: tuple[str, ...] = (), order: bool = False
) -> ibis.Table:
    """The `keep` columns of `table` with `ts`, the seconds since 1970 of text column
    `column` (null when blank or unreadable), and `ok`: readable (blank is readable);
    with `order`, also `order`, what a valid `MM/DD/YYYY` date says of the order of its
    day and month (`MONTH_FIRST`, `EITHER`, else null).

    Small projections, so the query stays small on any backend: which shape the text
    matches first (one regular expression per shape); its parts (by position for ISO,
    else one rewrite, only for the rows of that shape); its numbers; then the date
    arithmetic and its checks (month, day of that month, hour, minute,
    second), written once whatever the number of shapes."""
    found = table.select(*keep, _text=strip(table[column]))
    text = found._text
    shape = ibis.cases(*((text.re_search(s.pattern), i) for i, s in enumerate(known)), else_=ibis.null("int64"))
    found = found.select(*keep, "_text", _shape=shape)
    joined = {
        f"_j{i}": (found._shape == i).ifelse(_joined(found._text, s), ibis.null("string"))
        for i, s in enumerate(known)
        if s is not ISO
    }
    found = found.select(*keep, "_text", "_shape", **joined)
    texts = {}
    for i, s in enumerate(known):
        for role, part in _parts(found._text, found[f"_j{i}"] if s is not ISO else None, s).items():
            texts[f"_{i}{ROLE_NAMES[role]}"] = part
    split = found.select(*keep, "_text", "_shape", **texts)
    numbers = [
        _fields({role: split[f"_{i}{ROLE_NAMES[role]}"] for role in s.roles}) if s is not EPOCH_MS else _no_fields()
        for i, s in enumerate(known)
    ]
    picked = {
        name: ibis.cases(*((split._shape == i, n[name]) for i, n in enumerate(numbers)), else_=ibis.null("int64"))
        for name in FIELDS
    }
    epochs = [(split._shape == i, _number(split[f"_{i}ms"]) // 1000) for i, s in enumerate(known) if s is EPOCH_MS]
    given = ibis.cases(*epochs, else_=ibis.null("int64")) if epochs else ibis.null("int64")
    blank = split._text.nullif("").isnull() | split._text.lower().isin(NO_DATE)
    slash = split._shape == known.index(US) if order and US in known else ibis.literal(False)
    parts = split.select(*keep, _blank=blank, _given=given, _slash=slash, **{f"_{k}": v for k, v in picked.items()})
    year, month, day = parts._year, parts._month, parts._day
    hour, minute, second = parts._hour, parts._minute, parts._second
    valid = (
        month.between(1, 12)
        & day.between(1, 31)
        & (day <= _month_days(year, month))
        & hour.between(0, 23)
        & minute.between(0, 59)
        & second.between(0, 60)
    ).fill_null(False)
    seconds = _days(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - parts._offset
    read = parts._given.notnull()
    ordered = {}
    if order:
        slash = parts._slash & valid
        ordered["order"] = ibis.cases(
            (slash & (day > 12), MONTH_FIRST), (slash & (day != month), EITHER), else_=ibis.null("int64")
        )
    return parts.select(
        *keep,
        ts=read.ifelse(parts._given, valid.ifelse(seconds, ibis.null("int64"))),
        ok=parts._blank | valid | read,
        **ordered,
    )


MONTH_FIRST = 2
"""`read`'s `order` of a slash date only month first reads (`03/25/2026`: no month 25)."""
EITHER = 1
"""`read`'s `order` of a slash date either order reads, to different days (`03/04/2026`)."""


def either_way(text: str) -> tuple[str, str, str]:
    """What a slash date that reads both ways (`EITHER`) is month first, as it was read,
    and day first, and the `date_format` that reads it day first:
    `03/04/2026` -> ('4 March 2026', '3 April 2026', '%d/%m/%Y')."""
    import datetime as dt

    first, second, year = (int(n) for n in re.match(US.pattern, text.strip()).groups()[:3])
    month_first, day_first = dt.date(year, first, second), dt.date(year, second, first)
    return _day(month_first), _day(day_first), guess([text]) or "%d/%m/%Y"


def _day(when) -> str:
    return f"{when.day} {when:%B %Y}"


def day_first_hint(text: str) -> str:
    """For a slash date only day first reads (`25/02/2026`), what it reads as that way."""
    found = re.match(US.pattern, text.strip())
    if not found or not 12 < int(found[1]) <= 31 or not 1 <= int(found[2]) <= 12:
        return ""
    return f" (no month {int(found[1])}: written day first?)"


def _no_fields() -> dict[str, ibis.Value]:
    """The civil fields of a shape that gives its seconds directly (`EPOCH_MS`): none."""
    return dict.fromkeys(FIELDS, ibis.null("int64"))


_YEAR = r"(?:[1-9]\d{3}|0[1-9]\d{2}|00[1-9]\d|000[1-9])"  # 0001-9999: no database has a year 0
_MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])"  # the months of 31 days
    r"|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)"  # of 30
    r"|02-(?:0[1-9]|1\d|2[0-8]))"  # February, but for its leap day
)
MINUTES = rf"^{_YEAR}-{_MONTH_DAY} (?:[01]\d|2[0-3]):[0-5]\d$"
"""A valid `YYYY-MM-DD HH:MM`, the shape most exports write nearly every date in: year
0001 to 9999, a real month, a day that month has in every year (29 February is left
to `read`, which knows leap years), hour 00-23 and minute 00-59, nothing around it."""
PLACEHOLDER = "1970-01-01 00:00"


def minutes(text: ibis.Value) -> ibis.Value:
    """Whether the text is a valid `YYYY-MM-DD HH:MM` (`MINUTES`)."""
    return text.re_search(MINUTES)


def read_minutes(table: ibis.Table, column: str, fixed: str, keep: tuple[str, ...] = ()) -> ibis.Table:
    """The `keep` columns with `ts`: where boolean column `fixed` says the text of `column`
    is a valid `YYYY-MM-DD HH:MM` (`minutes`), the seconds `read` gives it (ISO 8601
    without seconds or zone, so UTC), cell by cell with no shape to find, nothing to strip
    and nothing left to check. Such a text, with its seconds added, is the SQL timestamp
    literal itself, read by the database's own cast at a fraction of the cost of its parts'
    arithmetic. The other rows are read as a placeholder, so the cast never meets anything
    else: their `ts` means nothing."""
    return table.select(*keep, ts=minute_seconds(table[column], table[fixed]))


def minute_seconds(text: ibis.Value, fixed: ibis.Value) -> ibis.Value:
    """The seconds of `text` where `fixed` says it is a valid `YYYY-MM-DD HH:MM` (`minutes`),
    meaningless elsewhere (see `read_minutes`)."""
    # With its seconds written out, the text is the canonical timestamp literal of every
    # SQL dialect (BigQuery, for one, does not read a time without seconds). A timestamp
    # without zone: its epoch is the civil time read as UTC, whatever the session's zone.
    return fixed.ifelse(text, PLACEHOLDER).concat(":00").cast("timestamp").epoch_seconds().cast("int64")


def epoch(day) -> int:
    """Seconds since 1970 of the start of a `datetime.date`."""
    import datetime as dt

    return (day - dt.date(1970, 1, 1)).days * 86400
