"""Slow, obviously-correct Kendall's W by the textbook formula, with explicit loops.

Siegel & Castellan (1988), formula 9.16:
W = [12 sum R_j^2 - 3 m^2 n (n+1)^2] / [m^2 n (n^2 - 1) - m sum_i T_i],
T_i = sum over groups of ties of rater i of (t^3 - t).
"""

from __future__ import annotations

from fractions import Fraction


def slow_midranks(row: list[float], higher_is_better: bool) -> list[Fraction]:
    """Rank by counting: rank = 1 + #better + (#equal - 1) / 2."""
    out = []
    for a in row:
        better = 0
        equal = 0
        for b in row:
            if (b > a) if higher_is_better else (b < a):
                better += 1
            elif b == a:
                equal += 1
        out.append(Fraction(1 + better) + Fraction(equal - 1, 2))
    return out


def slow_kendall_w(
    scores: list[list[float]], higher_is_better: bool = True, tie_correction: bool = True
) -> Fraction | None:
    m = len(scores)
    n = len(scores[0])
    if m < 2 or n < 2:
        return None
    ranks = [slow_midranks(row, higher_is_better) for row in scores]
    rank_sums = []
    for j in range(n):
        total = Fraction(0)
        for i in range(m):
            total += ranks[i][j]
        rank_sums.append(total)
    sum_sq = Fraction(0)
    for r in rank_sums:
        sum_sq += r * r
    ties = 0
    if tie_correction:
        for row in scores:
            seen: list[float] = []
            for v in row:
                if v in seen:
                    continue
                seen.append(v)
                t = sum(1 for u in row if u == v)
                ties += t**3 - t
    numerator = 12 * sum_sq - 3 * m * m * n * (n + 1) ** 2
    denominator = m * m * n * (n * n - 1) - m * ties
    if denominator == 0:
        return None
    return Fraction(numerator) / denominator
