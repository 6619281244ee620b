"""Did-you-mean hints for names the user mistyped."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(found: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for a close match, else an empty string."""
    matches = difflib.get_close_matches(found, sorted(set(choices)), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
