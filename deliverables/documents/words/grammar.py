"""English a partner would sign: counts with real plurals, possessives, lists.

Used from Python and, as Jinja filters, from every wording template, so no
document ever prints "item(s)" or "Holdings's".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

IRREGULAR = {"entry": "entries", "person": "people", "company": "companies", "query": "queries"}


def plural_of(noun: str) -> str:
    """The plural of an English noun: `stage` -> `stages`, `entry` -> `entries`, `box` -> `boxes`."""
    if noun in IRREGULAR:
        return IRREGULAR[noun]
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def count(number: int, noun: str, many: str | None = None) -> str:
    """`1 stage`, `3 stages`, `0 stages`; `many` names an irregular plural."""
    return f"{number} {noun if number == 1 else many or plural_of(noun)}"


def of(number: int, total: int, noun: str) -> str:
    """A count with its meaning: `5 of 21 stages`, `all 21 stages`, `both stages`, `1 stage` (the whole of one)."""
    if number == total == 1:
        return count(total, noun)
    if number == total == 2:
        return f"both {plural_of(noun)}"
    if number == total > 1:
        return f"all {count(total, noun)}"
    return f"{number} of {count(total, noun)}"


def possessive(name: str) -> str:
    """`Acme's`, `Big Enterprise Holdings'`: a name ending in s takes the apostrophe alone."""
    name = name.strip()
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


def and_list(items: Iterable[str], conjunction: str = "and") -> str:
    """`a`, `a and b`, `a, b and c`."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def capital(text: str) -> str:
    """The text with its first letter upper-case, as at the start of a line: `Undated draft`."""
    return text[:1].upper() + text[1:]


def verb(number: int, singular: str, plural: str) -> str:
    """The verb form agreeing with a count: `is` / `are`."""
    return singular if number == 1 else plural


_ENDS = ".!?…。！？:;"


def sentence(text: str) -> str:
    """Client text ending as a sentence, so that the next sentence does not run on from it:
    `A lead that asked for a demo` gains its full stop; text already ending in punctuation
    (inside a closing quote or bracket too) or in a CJK character is left as written."""
    text = text.rstrip()
    if not text or text[-1] in _ENDS or unicodedata.east_asian_width(text[-1]) in ("W", "F"):
        return text
    if text[-1] in "\"'”’»)]" and len(text) > 1 and text[-2] in _ENDS:
        return text
    return f"{text}."


FILTERS = {
    "count": count,
    "sentence": sentence,
    "of": of,
    "possessive": possessive,
    "and_list": and_list,
    "verb": verb,
    "capital": capital,
}
"""The Jinja filters every wording template may use: `{{ n | count("stage") }}`."""
