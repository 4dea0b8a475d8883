"""Slow, obviously-correct MICMAC, for checking the fast implementation.

Explicit loops and exact rational arithmetic (``fractions.Fraction``): the
textbook procedure of Godet's MICMAC -- aggregate the experts' cells, take row
and column sums, multiply the matrix by itself until the influence and the
dependence rankings stop changing, place the factors at the means.
No numpy, no shortcuts (the full powers M^k are computed).

The documented tolerance is applied to the exact values: sorted values closer
than ``1e-9`` times the largest value are tied (the ties chain), and a value
counts as above a mean only if it exceeds it by more than ``1e-9`` times the
mean. Exact arithmetic without it would call "periodic" a primitive matrix
whose limit has two factors tied, approached from alternating sides (their
order flips at every power while the gap shrinks to nothing).
"""

from __future__ import annotations

import math
import statistics
from fractions import Fraction
from typing import Any

QUADRANTS = ("driving", "relay", "dependent", "autonomous")
RTOL = Fraction(1e-9)


def aggregate_cell(answers: list[Fraction], aggregation: str) -> Fraction:
    if not answers:
        return Fraction(0)
    if aggregation == "mean":
        return sum(answers, Fraction(0)) / len(answers)
    return Fraction(statistics.median(answers))


def aggregate(
    scores: list[list[list[float]]],
    potential: list[list[list[bool]]] | None,
    aggregation: str,
    weight: Fraction,
) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    experts = len(scores)
    n = len(scores[0])
    direct = [[Fraction(0)] * n for _ in range(n)]
    pot = [[Fraction(0)] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            d_answers: list[Fraction] = []
            p_answers: list[Fraction] = []
            for e in range(experts):
                is_p = potential is not None and potential[e][i][j]
                value = scores[e][i][j]
                if is_p:
                    d_answers.append(Fraction(0))
                    p_answers.append(weight)
                elif not math.isnan(value):
                    d_answers.append(Fraction(value))
                    p_answers.append(Fraction(value))
            direct[i][j] = aggregate_cell(d_answers, aggregation)
            pot[i][j] = aggregate_cell(p_answers, aggregation)
    return direct, pot


def matmul(a: list[list[Fraction]], b: list[list[Fraction]]) -> list[list[Fraction]]:
    n = len(a)
    out = [[Fraction(0)] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            total = Fraction(0)
            for k in range(n):
                total += a[i][k] * b[k][j]
            out[i][j] = total
    return out


def row_sums(m: list[list[Fraction]]) -> list[Fraction]:
    return [sum(row, Fraction(0)) for row in m]


def col_sums(m: list[list[Fraction]]) -> list[Fraction]:
    n = len(m)
    return [sum((m[i][j] for i in range(n)), Fraction(0)) for j in range(n)]


def ranks(values: list[Fraction]) -> list[int]:
    """Competition ranks, 1 = highest; values tied within RTOL x the largest chain."""
    order = sorted(range(len(values)), key=lambda k: -values[k])
    tol = RTOL * max(abs(v) for v in values)
    out = [0] * len(values)
    start = 0
    for pos, k in enumerate(order):
        if pos > 0 and values[order[pos - 1]] - values[k] > tol:
            start = pos
        out[k] = start + 1
    return out


def graph_period(m: list[list[Fraction]]) -> int:
    """Least common multiple of the periods of the classes of the influence graph.

    Classes: i and j reach each other (Warshall's closure). Period of a class:
    gcd of the lengths k <= n of the closed walks inside it, read on the
    diagonal of the k-th boolean power of the class's own adjacency matrix.
    """
    n = len(m)
    reach = [[m[i][j] > 0 for j in range(n)] for i in range(n)]
    for via in range(n):
        for i in range(n):
            for j in range(n):
                reach[i][j] = reach[i][j] or (reach[i][via] and reach[via][j])
    period = 1
    seen: set[int] = set()
    for i in range(n):
        if i in seen or not reach[i][i]:
            continue
        cls = [j for j in range(n) if reach[i][j] and reach[j][i]]
        seen.update(cls)
        adj = [[m[u][v] > 0 for v in cls] for u in cls]
        walks = adj
        g = 0
        for k in range(1, n + 1):
            if any(walks[t][t] for t in range(len(cls))):
                g = math.gcd(g, k)
            walks = [
                [any(walks[u][w] and adj[w][v] for w in range(len(cls))) for v in range(len(cls))]
                for u in range(len(cls))
            ]
        period = math.lcm(period, g)
    return period


def indirect(
    m: list[list[Fraction]], max_power: int, stable_powers: int
) -> tuple[list[Fraction], list[Fraction], int, str]:
    """Row and column sums of the power where MICMAC stops, the power and the reason.

    Rankings count as stable once unchanged over ``stable_powers`` successive
    powers and over a whole period of the influence graph. Periodic matrices
    are reported as "periodic" or "max_power" (values of the last power); the
    fast implementation is compared on the reason only then.
    """
    r, c = row_sums(m), col_sums(m)
    if sum(r) == 0:
        return r, c, 1, "zero_matrix"
    required = max(stable_powers, graph_period(m))
    history = [(ranks(r), ranks(c))]
    power = m
    same = 1
    for k in range(2, max_power + 1):
        power = matmul(power, m)
        r_new, c_new = row_sums(power), col_sums(power)
        if sum(r_new) == 0:
            return r, c, k - 1, "nilpotent"
        r, c = r_new, c_new
        current = (ranks(r), ranks(c))
        same = same + 1 if current == history[-1] else 1
        history.append(current)
        if same >= required:
            return r, c, k, "stable"
    return r, c, max_power, "periodic_or_max_power"


def quadrant(infl: Fraction, dep: Fraction, mean_i: Fraction, mean_d: Fraction) -> str:
    high_i = infl > mean_i + RTOL * abs(mean_i)
    high_d = dep > mean_d + RTOL * abs(mean_d)
    if high_i and not high_d:
        return "driving"
    if high_i and high_d:
        return "relay"
    if high_d:
        return "dependent"
    return "autonomous"


def plane(codes: list[str], r: list[Fraction], c: list[Fraction]) -> dict[str, Any]:
    n = len(codes)
    mean_i = sum(r, Fraction(0)) / n
    mean_d = sum(c, Fraction(0)) / n
    ri, rd = ranks(r), ranks(c)
    return {
        "influence": dict(zip(codes, r, strict=True)),
        "dependence": dict(zip(codes, c, strict=True)),
        "influence_rank": dict(zip(codes, ri, strict=True)),
        "dependence_rank": dict(zip(codes, rd, strict=True)),
        "quadrant": {codes[k]: quadrant(r[k], c[k], mean_i, mean_d) for k in range(n)},
        "means": {"influence": mean_i, "dependence": mean_d},
    }


def classify(
    m: list[list[Fraction]], codes: list[str], max_power: int = 30, stable_powers: int = 2
) -> dict[str, Any]:
    r, c = row_sums(m), col_sums(m)
    total = sum(r, Fraction(0))
    ir, ic, power, reason = indirect(m, max_power, stable_powers)
    s = sum(ir, Fraction(0))
    if s > 0:
        ir = [v * total / s for v in ir]
        ic = [v * total / s for v in ic]
    ind = plane(codes, ir, ic)
    ind["power"] = power
    ind["stop_reason"] = reason
    return {"direct": plane(codes, r, c), "indirect": ind}


def select(pl: dict[str, Any], codes: list[str], target: int | None) -> list[str]:
    """Driving factors by influence - dependence, then influence, then input order, each
    compared with the documented tolerance (:func:`ranks`: two factors whose scores differ
    by less than 1e-9 of the largest are tied, and the next key decides)."""
    score = ranks([pl["influence"][c] - pl["dependence"][c] for c in codes])
    influence = ranks([pl["influence"][c] for c in codes])
    driving = [k for k, c in enumerate(codes) if pl["quadrant"][c] == "driving"]
    driving.sort(key=lambda k: (score[k], influence[k], k))
    chosen = [codes[k] for k in driving]
    return chosen if target is None else chosen[:target]


def structural_analysis(
    scores: list[list[list[float]]],
    codes: list[str],
    potential: list[list[list[bool]]] | None = None,
    aggregation: str = "mean",
    weight: int = 3,
    target: int | None = None,
) -> dict[str, Any]:
    direct, pot = aggregate(scores, potential, aggregation, Fraction(weight))
    actual = classify(direct, codes)
    potential_planes = classify(pot, codes)
    return {
        "matrix": direct,
        "potential_matrix": pot,
        "direct": actual["direct"],
        "indirect": actual["indirect"],
        "potential_direct": potential_planes["direct"],
        "potential_indirect": potential_planes["indirect"],
        "selected": select(actual["direct"], codes, target),
    }
