"""Slow, obviously-correct cross-impact balance reference (explicit loops).

Used by the tests to check :mod:`anticipe.method.cross_impact`: brute-force
enumeration of every scenario, balances summed cell by cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product


def blocks(variant_counts: Sequence[int]) -> list[list[int]]:
    """Row/column indices of each descriptor's variants."""
    result: list[list[int]] = []
    first = 0
    for count in variant_counts:
        result.append(list(range(first, first + count)))
        first += count
    return result


def balances(
    matrix: Sequence[Sequence[float]], variant_counts: Sequence[int], scenario: Sequence[int]
) -> list[list[float]]:
    """balances[d][k] = sum over descriptors e of matrix[chosen row of e][column of (d, k)]."""
    groups = blocks(variant_counts)
    chosen_rows = [groups[e][scenario[e]] for e in range(len(groups))]
    result: list[list[float]] = []
    for group in groups:
        row: list[float] = []
        for column in group:
            total = 0.0
            for source in chosen_rows:
                total += matrix[source][column]
            row.append(total)
        result.append(row)
    return result


def scores(
    matrix: Sequence[Sequence[float]], variant_counts: Sequence[int], scenario: Sequence[int]
) -> dict[str, object]:
    """Inconsistency, consistency value and total impact score of one scenario."""
    table = balances(matrix, variant_counts, scenario)
    gaps = []
    margins = []
    total = 0.0
    for d, row in enumerate(table):
        own = row[scenario[d]]
        total += own
        gaps.append(max(row) - own)
        others = [value for k, value in enumerate(row) if k != scenario[d]]
        if others:
            margins.append(own - max(others))
    return {
        "inconsistency": max(gaps),
        "descriptor_inconsistency": gaps,
        "consistency_value": min(margins) if margins else None,
        "total_impact_score": total,
    }


def consistent_scenarios(
    matrix: Sequence[Sequence[float]],
    variant_counts: Sequence[int],
    max_inconsistency: float = 0,
) -> list[tuple[int, ...]]:
    """Every scenario with inconsistency <= max_inconsistency, by full enumeration."""
    found = []
    for scenario in product(*(range(count) for count in variant_counts)):
        worst = scores(matrix, variant_counts, scenario)["inconsistency"]
        assert isinstance(worst, float)
        if worst <= max_inconsistency:
            found.append(scenario)
    return found
