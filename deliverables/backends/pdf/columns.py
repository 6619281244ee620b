"""Column packing for the Stage Reference Card: plain arithmetic on heights.

Stages are atomic blocks placed in reading order, top to bottom, column after
column. A domain header opens each domain and is repeated (as "continued") at
the top of a column a domain runs into, so every block is read under its domain.
"""

from __future__ import annotations

from dataclasses import dataclass

SPLIT_SLACK = 0.15
"""How much taller than the even height a column may grow to keep a domain together."""
SPLIT_STEPS = 6


@dataclass(frozen=True)
class Unit:
    """One stage block: its domain's position and its measured height."""

    domain: int
    height: float


@dataclass(frozen=True)
class Spacing:
    """Vertical space around blocks, in points."""

    headers: tuple[float, ...]
    """Height of each domain's header bar, by domain position."""
    gap: float
    """Between two stages of the same domain."""
    domain_gap: float
    """Before a domain header that is not at the top of a column."""


def _cost(column: list[int], unit: Unit, units: list[Unit], spacing: Spacing) -> float:
    """Height `unit` adds to `column`, including any header and gap it brings."""
    if not column:
        return spacing.headers[unit.domain] + unit.height
    if units[column[-1]].domain != unit.domain:
        return spacing.domain_gap + spacing.headers[unit.domain] + unit.height
    return spacing.gap + unit.height


def greedy(units: list[Unit], spacing: Spacing, capacity: float) -> list[list[int]] | None:
    """Fill columns of height `capacity` in order; None when one block alone is taller."""
    columns: list[list[int]] = [[]]
    used = 0.0
    for index, unit in enumerate(units):
        cost = _cost(columns[-1], unit, units, spacing)
        if columns[-1] and used + cost > capacity:
            columns.append([])
            cost = _cost(columns[-1], unit, units, spacing)
            used = 0.0
        if cost > capacity:
            return None
        columns[-1].append(index)
        used += cost
    return columns


def column_height(column: list[int], units: list[Unit], spacing: Spacing) -> float:
    """Total height of a packed column."""
    total = 0.0
    for position, index in enumerate(column):
        total += _cost(column[:position], units[index], units, spacing)
    return total


def pack(units: list[Unit], spacing: Spacing, capacity: float, count: int) -> list[list[int]] | None:
    """Stages in at most `count` columns of `capacity`, as evenly tall as order allows; None if they do not fit."""
    first = greedy(units, spacing, capacity)
    if first is None or len(first) > count:
        return None
    low, high = 0.0, capacity
    # Bisect the column height: the lowest one still fitting in `count` columns
    # spreads the stages evenly instead of leaving the last column nearly empty.
    for _ in range(24):
        middle = (low + high) / 2
        trial = greedy(units, spacing, middle)
        if trial is not None and len(trial) <= count:
            high = middle
        else:
            low = middle
    return _fewest_splits(units, spacing, high, capacity, count)


def _fewest_splits(units: list[Unit], spacing: Spacing, even: float, capacity: float, count: int) -> list[list[int]]:
    """Among column heights up to SPLIT_SLACK taller than the even one, the packing that
    starts the fewest columns in the middle of a domain (a domain read in one piece)."""
    options = []
    for step in range(SPLIT_STEPS + 1):
        height = min(even * (1 + SPLIT_SLACK * step / SPLIT_STEPS), capacity)
        columns = greedy(units, spacing, height)
        if columns is not None and len(columns) <= count:
            options.append((splits(columns, units), step, columns))
    return min(options, key=lambda option: option[:2])[2]


def splits(columns: list[list[int]], units: list[Unit]) -> int:
    """How many columns open in the middle of a domain."""
    return sum(1 for column in columns[1:] if column[0] > 0 and units[column[0] - 1].domain == units[column[0]].domain)


def excess(units: list[Unit], spacing: Spacing, capacity: float, count: int) -> float | None:
    """How much more height the stages need than `count` columns hold (0.25 = 25 % more).

    None when a single stage is taller than a whole column.
    """
    columns = greedy(units, spacing, capacity)
    if columns is None:
        return None
    filled = len(columns) - 1 + column_height(columns[-1], units, spacing) / capacity
    return filled / count - 1.0
