"""Indirect influence and dependence (MICMAC): the successive powers of influence matrices.

The row and column sums of the powers ``M^k`` of an influence matrix, rescaled after
every product, ranked at every power until the rankings are stable over a whole period
of the influence graph, with the fallbacks for nilpotent, zero and periodic matrices.
Every function works on a stack of matrices at once (the first axis indexes them), for
one analysis as for the thousand resamples of the bootstrap. The conventions (ties,
periods, stop reasons) are those of :mod:`anticipe.method.structural_analysis`, which
turns these values into planes.

References
----------
.. [1] Godet, M. (1994). *From Anticipation to Action*, chapter 4. UNESCO.
.. [2] Horn, R. A. & Johnson, C. R. (2013). *Matrix Analysis*, 2nd ed.,
   chapter 8 (Perron-Frobenius theory: primitive and periodic matrices).
   Cambridge University Press.
.. [3] Denardo, E. V. (1977). Periods of connected networks and powers of
   nonnegative matrices. *Mathematics of Operations Research*, 2(1), 20-24.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["INDIRECT_METHODS", "STOP_REASONS"]

#: Why the successive powers stopped, in the order of the integer codes.
STOP_REASONS: tuple[str, ...] = ("stable", "nilpotent", "zero_matrix", "periodic", "max_power")

#: How the indirect values were obtained, in the order of the integer codes: from the
#: successive powers, from the Perron vectors (periodic rankings, simple Perron root), or
#: as the mean of the normalised powers over one period of the rankings (periodic, with
#: several classes of factors sharing the spectral radius: no unique Perron vector).
INDIRECT_METHODS: tuple[str, ...] = ("powers", "perron", "period_average")

#: Sorted values closer than this fraction of the largest one are tied.
RANK_RTOL = 1e-9
_SIMPLE_ROOT_RTOL = 1e-6

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def ranks(values: FloatArray) -> IntArray:
    """Competition ranks along the last axis, rank 1 = highest, near-ties tied.

    The sort need not be stable: equal values get the rank of their group
    whichever order the sort leaves them in.
    """
    v = np.atleast_2d(values)
    order = np.argsort(-v, axis=1)
    sv = np.take_along_axis(v, order, axis=1)
    scale = np.max(np.abs(v), axis=1, keepdims=True)
    tol = RANK_RTOL * scale
    new_group = np.ones(sv.shape, dtype=bool)
    new_group[:, 1:] = (sv[:, :-1] - sv[:, 1:]) > tol
    idx = np.broadcast_to(np.arange(v.shape[1]), v.shape)
    start = np.maximum.accumulate(np.where(new_group, idx, 0), axis=1)
    ranks = np.empty(v.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, start + 1, axis=1)
    return ranks.reshape(values.shape)


def _graph_periods(adjacency: BoolArray) -> IntArray:
    """Period of the influence graph of each matrix of a stack.

    The period of a strongly connected class of factors (one holding a cycle)
    is the greatest common divisor of the lengths of its cycles; the period of
    the graph is the least common multiple of the periods of its classes (1
    when the graph has no cycle or every class is aperiodic). Once the powers
    ``M^k`` are past their transient, their rankings can only cycle with a
    period dividing it.

    ``adjacency`` is ``b x n x n`` (True where the row factor influences the
    column factor). Each distinct pattern is computed once
    (:func:`_graph_period`, linear in the size of the matrix) and remembered:
    the resamples of a bootstrap mostly share one pattern.
    """
    return _per_pattern(adjacency, "period", _graph_period)


def _per_pattern(adjacency: BoolArray, kind: str, compute: Callable[[BoolArray], int]) -> IntArray:
    """``compute`` of each ``n x n`` pattern of a stack, each distinct pattern computed once.

    The values are remembered across calls (the last :data:`_PERIODS_KEPT`
    patterns, keyed by the kind of value, the size and the packed pattern).
    """
    b, n = adjacency.shape[0], adjacency.shape[1]
    packed = np.packbits(adjacency.reshape(b, n * n), axis=1)
    prefix = f"{kind}:{n}:".encode()
    values = np.ones(b, dtype=np.int64)
    for i in range(b):
        key = prefix + packed[i].tobytes()
        with _PERIODS_LOCK:
            known = _PERIODS.get(key)
        if known is None:
            known = compute(adjacency[i])
            with _PERIODS_LOCK:
                if len(_PERIODS) >= _PERIODS_KEPT:
                    del _PERIODS[next(iter(_PERIODS))]
                _PERIODS[key] = known
        values[i] = known
    return values


#: The values of the adjacency patterns seen last (kind, size, packed pattern -> value),
#: oldest first; see :func:`_per_pattern`.
_PERIODS: dict[bytes, int] = {}
_PERIODS_KEPT = 256
_PERIODS_LOCK = threading.Lock()


def _graph_period(adjacency: BoolArray) -> int:
    """Period of one influence graph (``n x n`` adjacency), in O(n^2) steps.

    Classes from Kosaraju's two depth-first searches (:func:`_classes`). The
    period of a class is the gcd, over its edges ``u -> v``, of
    ``level(u) + 1 - level(v)``, the levels being breadth-first distances from
    any factor of the class (Denardo's method: a closed walk's length is the
    sum of these shifts along it, and the shifts of the edges of a
    breadth-first tree are 0).

    References
    ----------
    .. [1] Denardo, E. V. (1977). Periods of connected networks and powers of
       nonnegative matrices. *Mathematics of Operations Research*, 2(1), 20-24.
    .. [2] Sharir, M. (1981). A strong-connectivity algorithm and its
       applications in data flow analysis. *Computers & Mathematics with
       Applications*, 7(1), 67-72.
    """
    label = _classes(adjacency)
    period = 1
    for cls in range(int(label.max()) + 1 if label.size else 0):
        members = np.flatnonzero(label == cls)
        if members.size < 2:  # a single factor: a cycle only through itself, period 1
            continue
        inner = adjacency[np.ix_(members, members)]
        level = np.full(members.size, -1, dtype=np.int64)
        level[0] = 0
        frontier = np.zeros(members.size, dtype=bool)
        frontier[0] = True
        depth = 0
        while frontier.any():
            depth += 1
            frontier = inner[frontier].any(axis=0) & (level < 0)
            level[frontier] = depth
        u, v = np.nonzero(inner)
        period = math.lcm(period, int(np.gcd.reduce(np.abs(level[u] + 1 - level[v]))))
    return period


def _classes(adjacency: BoolArray) -> IntArray:
    """Strongly connected class of each factor (0, 1, ...) of one ``n x n`` adjacency.

    Kosaraju's algorithm: a depth-first search gives the finishing order; a
    search on the reversed graph, from the last finished factor down, reaches
    exactly one class at a time. Each step of the first search looks for the
    first unvisited successor in a whole row at once, so both searches take
    O(n) vectorised steps of O(n) each.
    """
    n = adjacency.shape[0]
    unseen = np.ones(n, dtype=bool)
    finished: list[int] = []
    for start in range(n):
        if not unseen[start]:
            continue
        unseen[start] = False
        stack = [start]
        while stack:
            candidates = adjacency[stack[-1]] & unseen
            nxt = int(candidates.argmax())
            if candidates[nxt]:
                unseen[nxt] = False
                stack.append(nxt)
            else:
                finished.append(stack.pop())
    reverse = np.ascontiguousarray(adjacency.T)
    label = np.full(n, -1, dtype=np.int64)
    count = 0
    for start in reversed(finished):
        if label[start] >= 0:
            continue
        frontier = np.zeros(n, dtype=bool)
        frontier[start] = True
        while frontier.any():
            label[frontier] = count
            frontier = reverse[frontier].any(axis=0) & (label < 0)
        count += 1
    return label


def _required_runs(matrices: FloatArray, stable_powers: int) -> tuple[IntArray, IntArray]:
    """Graph period of each matrix and the run of equal rankings that counts as stable.

    Rankings unchanged over ``stable_powers`` successive powers are accepted
    only if the run also covers a whole period of the influence graph: a
    matrix of period 3 may rank ``X, X, Y, X, X, Y, ...`` and must not stop at
    the second ``X``. See :func:`_run_period`; each distinct pattern is
    computed once.
    """
    adjacency: BoolArray = np.asarray(matrices > 0, dtype=np.bool_)
    period = _per_pattern(adjacency, "run", _run_period)
    return period, np.maximum(period, stable_powers)


def _run_period(adjacency: BoolArray) -> int:
    """The period a stable run must cover, for one ``n x n`` adjacency.

    The graph's period where it can exceed 2 (some factor with both an
    influence and a dependence lies on no 2-cycle); elsewhere every class
    holds a 2-cycle, the period divides 2, is returned as 1, and
    ``stable_powers >= 2`` already covers it.
    """
    two_cycle = np.any(adjacency & adjacency.T, axis=1)
    may_cycle = adjacency.any(axis=1) & adjacency.any(axis=0)
    return _graph_period(adjacency) if bool((may_cycle & ~two_cycle).any()) else 1


def _find_period(hist_i: list[IntArray], hist_d: list[IntArray], graph_period: int) -> int | None:
    """Period ``p >= 2`` with which the last rankings repeat, None if they do not.

    The smallest ``p`` such that every one of the last ``max(p, graph_period)``
    ranking pairs equals the pair ``p`` powers before it (so that every
    residue modulo the graph's period is checked); ``p = 1`` (a constant tail)
    is not periodic.
    """
    count = len(hist_i)
    for p in range(1, count // 2 + 1):
        span = min(max(p, graph_period), count - p)
        if all(
            np.array_equal(hist_i[count - 1 - j], hist_i[count - 1 - j - p])
            and np.array_equal(hist_d[count - 1 - j], hist_d[count - 1 - j - p])
            for j in range(span)
        ):
            return p if p >= 2 else None
    return None


def _perron(matrix: FloatArray) -> tuple[FloatArray, FloatArray] | None:
    """Right (influence) and left (dependence) Perron vectors, non-negative; None when the
    Perron root is not simple (several classes of factors share the spectral radius), as
    the eigenvectors are then not unique and any one the solver returns is arbitrary."""
    vals = np.linalg.eigvals(matrix)
    radius = float(np.max(np.abs(vals)))
    # eigenvalues of a defective matrix are perturbed by about sqrt(eps): hence 1e-6
    if np.count_nonzero(np.abs(vals - radius) <= _SIMPLE_ROOT_RTOL * radius) != 1:
        return None

    def dominant(m: FloatArray) -> FloatArray:
        values, vecs = np.linalg.eig(m)
        k = int(np.argmin(np.abs(values - radius)))
        vec = np.abs(vecs[:, k].real)
        vec[vec < 1e-12 * max(float(vec.max()), 1e-300)] = 0.0
        return np.asarray(vec, dtype=np.float64)

    return dominant(matrix), dominant(matrix.T)


def _period_average(
    matrix: FloatArray, r: FloatArray, c: FloatArray, period: int
) -> tuple[FloatArray, FloatArray]:
    """The mean of the next `period` normalised powers' row and column sums, from the last
    ones (`r`, `c`): over a whole cycle of rankings, it does not depend on where the cycle
    is cut, and it is unchanged when the matrix is scaled (each power is normalised)."""
    sum_r = np.zeros_like(r)
    sum_c = np.zeros_like(c)
    for _ in range(period):
        r = matrix @ r
        c = c @ matrix
        r = r / r.sum()
        c = c / c.sum()
        sum_r += r
        sum_c += c
    return sum_r / period, sum_c / period


@dataclass
class _Indirect:
    """What :func:`indirect_batch` returns for a stack of ``b`` matrices of ``n`` factors."""

    influence: FloatArray  # b x n row sums, normalised to sum 1 (0 for a zero matrix)
    dependence: FloatArray  # b x n column sums, likewise
    power: IntArray  # the power used
    reason: IntArray  # index in STOP_REASONS
    period: IntArray  # period of the rankings, 0 when not periodic
    method: IntArray  # index in INDIRECT_METHODS

    @classmethod
    def zeros(cls, b: int, n: int) -> _Indirect:
        def codes() -> IntArray:
            return np.zeros(b, dtype=np.int64)

        return cls(np.zeros((b, n)), np.zeros((b, n)), codes() + 1, codes(), codes(), codes())


def indirect_batch(
    matrices: FloatArray,
    max_power: int,
    stable_powers: int,
    sums: tuple[FloatArray, FloatArray] | None = None,
) -> tuple[FloatArray, FloatArray, IntArray, IntArray, IntArray, IntArray]:
    """Indirect influence and dependence of a stack of matrices.

    ``sums`` are the matrices' row and column sums when the caller has them.
    Returns row and column sums (normalised to sum 1, zero for a zero matrix),
    the power used, the stop reason code (index in STOP_REASONS), the period
    (0 when not periodic) and the method code (index in INDIRECT_METHODS).
    """
    # one loop over the powers for the whole stack: the hot path of the bootstrap
    out = _Indirect.zeros(matrices.shape[0], matrices.shape[1])
    active, r, c = _first_power(matrices, out, sums)
    hist_i: list[IntArray] = [ranks(r)]
    hist_d: list[IntArray] = [ranks(c)]
    # the active matrices are rows `at` of `m`, copied again only when fewer than half of
    # its matrices are active: a few stopping must not cost a copy of the whole stack
    m = matrices if active.size == matrices.shape[0] else matrices[active]
    at = np.arange(active.size)
    graph_period, required = _required_runs(m, stable_powers)
    same = np.ones(active.size, dtype=np.int64)  # successive powers with equal rankings
    k = 1
    while active.size and k < max_power:
        k += 1
        r_new, c_new = _next_power(m, at, r, c)
        t = r_new.sum(axis=1)
        dead = t <= 0
        if dead.any():
            gone = active[dead]
            out.reason[gone] = STOP_REASONS.index("nilpotent")
            out.power[gone] = k - 1
        keep = ~dead
        r_new = r_new[keep] / t[keep, None]
        c_new = c_new[keep] / t[keep, None]
        active, same, at = active[keep], same[keep], at[keep]
        graph_period, required = graph_period[keep], required[keep]
        ri, rd = ranks(r_new), ranks(c_new)
        prev_i, prev_d = hist_i[-1][keep], hist_d[-1][keep]
        equal = np.all(ri == prev_i, axis=1) & np.all(rd == prev_d, axis=1)
        same = np.where(equal, same + 1, 1)
        out.influence[active] = r_new
        out.dependence[active] = c_new
        out.power[active] = k
        done = same >= required
        out.reason[active[done]] = STOP_REASONS.index("stable")
        # the rank history stays aligned with the active set
        if dead.any() or done.any():
            alive = np.flatnonzero(keep)[~done]
            hist_i = [h[alive] for h in hist_i]
            hist_d = [h[alive] for h in hist_d]
        hist_i.append(ri[~done])
        hist_d.append(rd[~done])
        active, same, at = active[~done], same[~done], at[~done]
        graph_period, required = graph_period[~done], required[~done]
        r, c = r_new[~done], c_new[~done]
        if 2 * at.size < m.shape[0]:
            m, at = m[at], np.arange(at.size)
    _settle_unstable(matrices, out, active, r, c, hist_i, hist_d, graph_period)
    return out.influence, out.dependence, out.power, out.reason, out.period, out.method


def _next_power(
    m: FloatArray, at: IntArray, r: FloatArray, c: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """``M r`` and ``c M`` for the matrices ``m[at]`` and their vectors ``r`` and ``c``.

    When some matrices of ``m`` are no longer active, the products run over the
    whole stack (with zero vectors for them) and the active rows are kept: the
    same numbers as over a copy of the active matrices, without the copy.
    """
    if at.size == m.shape[0]:
        return np.einsum("bij,bj->bi", m, r), np.einsum("bi,bij->bj", c, m)
    r_all = np.zeros((m.shape[0], m.shape[1]))
    c_all = np.zeros((m.shape[0], m.shape[1]))
    r_all[at], c_all[at] = r, c
    return np.einsum("bij,bj->bi", m, r_all)[at], np.einsum("bi,bij->bj", c_all, m)[at]


def _first_power(
    matrices: FloatArray, out: _Indirect, sums: tuple[FloatArray, FloatArray] | None
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Normalised row and column sums of ``M``; zero matrices stop here."""
    r, c = (matrices.sum(axis=2), matrices.sum(axis=1)) if sums is None else sums
    tot = r.sum(axis=1)
    zero = tot <= 0
    out.reason[zero] = STOP_REASONS.index("zero_matrix")
    active = np.flatnonzero(~zero)
    r = r[active] / tot[active, None]
    c = c[active] / tot[active, None]
    out.influence[active] = r
    out.dependence[active] = c
    return active, r, c


def _settle_unstable(
    matrices: FloatArray,
    out: _Indirect,
    active: IntArray,
    r: FloatArray,
    c: FloatArray,
    hist_i: list[IntArray],
    hist_d: list[IntArray],
    graph_period: IntArray,
) -> None:
    """The matrices still ``active`` at ``max_power``: periodic rankings, or none stable."""
    for pos, idx in enumerate(active):
        p = _find_period([h[pos] for h in hist_i], [h[pos] for h in hist_d], int(graph_period[pos]))
        if p is None:
            out.reason[idx] = STOP_REASONS.index("max_power")
            continue
        out.reason[idx] = STOP_REASONS.index("periodic")
        out.period[idx] = p
        vectors = _perron(matrices[idx])
        if vectors is None:
            vi, vd = _period_average(matrices[idx], r[pos], c[pos], p)
            out.method[idx] = INDIRECT_METHODS.index("period_average")
        else:
            vi, vd = vectors
            out.method[idx] = INDIRECT_METHODS.index("perron")
        out.influence[idx] = vi / vi.sum() if vi.sum() > 0 else vi
        out.dependence[idx] = vd / vd.sum() if vd.sum() > 0 else vd
