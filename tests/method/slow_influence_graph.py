"""Slow, obviously-correct graphs of influences, for checking the fast implementation.

Exact rational arithmetic (``fractions.Fraction``) and explicit loops: the full power
``M^k`` by repeated products, rescaled once to the total of ``M``; every off-diagonal
cell as a candidate link; sort them, count ``ceil(share x links)``, keep every link at
least as strong as the last one counted (within the documented tolerance: ``1e-9``
times the strongest link).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from tests.method.slow_structural_analysis import RTOL, matmul


def exact(matrix: list[list[float]]) -> list[list[Fraction]]:
    n = len(matrix)
    return [[Fraction(0) if i == j else Fraction(matrix[i][j]) for j in range(n)] for i in range(n)]


def power(m: list[list[Fraction]], k: int) -> list[list[Fraction]]:
    """``M^k`` rescaled to the total of ``M`` (zero when it vanishes)."""
    result = m
    for _ in range(k - 1):
        result = matmul(result, m)
    total = sum((sum(row, Fraction(0)) for row in m), Fraction(0))
    scale = sum((sum(row, Fraction(0)) for row in result), Fraction(0))
    if scale == 0:
        return [[Fraction(0)] * len(m) for _ in m]
    return [[v * total / scale for v in row] for row in result]


def graph(matrix: list[list[float]], codes: list[str], share: float, k: int = 1) -> dict[str, Any]:
    weights = power(exact(matrix), k)
    n = len(codes)
    cells = [(weights[i][j], i, j) for i in range(n) for j in range(n) if i != j]
    largest = max((w for w, _, _ in cells), default=Fraction(0))
    links = [(w, i, j) for w, i, j in cells if w > RTOL * largest]
    if not links:
        return {"links_total": 0, "threshold": None, "links": []}
    links.sort(key=lambda c: -c[0])
    count = max(1, math.ceil(Fraction(str(share)) * len(links)))  # 10 % of 30 is 3
    cut = links[count - 1][0]
    kept = [(w, i, j) for w, i, j in links if w >= cut - RTOL * largest]
    return {
        "links_total": len(links),
        "threshold": min(w for w, _, _ in kept),
        "links": {(codes[i], codes[j]): w for w, i, j in kept},
        "largest": largest,
    }
