"""Step 3 of the method: structural analysis (Godet's MICMAC).

Each expert scores how strongly each change factor (row) influences each other
factor (column): 0 none, 1 weak, 2 medium, 3 strong, ``P`` potential, or
"don't know". This module aggregates the experts' matrices, computes the
direct, indirect and potential classifications (influence = row sums,
dependence = column sums), places every factor in one of the four quadrants of
the influence/dependence map and selects the key factors.

Conventions used throughout:

- ``scores`` is an ``experts x n x n`` array of floats, NaN meaning "don't
  know"; ``potential`` an optional boolean array of the same shape marking the
  ``P`` cells. A ``P`` cell is an answer: it counts as 0 in the direct matrix
  (no influence today) and as ``potential_weight`` in the potential matrix; its
  score must be 0 or NaN. The diagonal is ignored (forced to 0).
- Ranks are competition ranks, rank 1 = highest value, ties share the best rank
  (``1, 2, 2, 4``); sorted values closer than ``1e-9`` times the largest value
  are ties (ties chain), so floating-point noise never reorders factors. This
  also settles a primitive matrix whose limit ties two factors that the
  successive powers approach from alternating sides: their order flips at
  every power while the gap shrinks, until it falls under the tolerance and
  the rankings stop changing (exact arithmetic would never stop).
- The indirect classification stops once the influence and dependence
  rankings are unchanged over ``stable_powers`` successive powers *and* over a
  whole period of the influence graph (the least common multiple of the
  periods of its strongly connected classes, a class's period being the gcd of
  its cycle lengths): a graph of period 3 can rank ``X, X, Y, X, X, Y, ...``
  and must not stop at the second ``X``.
- Indirect values are computed from the row and column sums of the successive
  powers ``M^k`` and rescaled to the total of the direct matrix, so the direct
  and indirect maps share their axes and split lines.

References
----------
.. [1] Godet, M. (1994). *From Anticipation to Action: a Handbook of Strategic
   Prospective*, chapter 4 "Identifying the key variables: structural
   analysis". UNESCO Publishing.
.. [2] Arcade, J., Godet, M., Meunier, F. & Roubelat, F. (1999). Structural
   analysis with the MICMAC method & actors' strategy with MACTOR method.
   *Futures Research Methodology*, AC/UNU Millennium Project.
.. [3] Godet, M. & Durance, P. (2011). *La prospective stratégique*, 2e éd.,
   chapitre 4. Dunod.
.. [4] Horn, R. A. & Johnson, C. R. (2013). *Matrix Analysis*, 2nd ed.,
   chapter 8 (Perron-Frobenius theory: primitive and periodic matrices).
   Cambridge University Press.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from anticipe.method.errors import MethodInputError

__all__ = [
    "QUADRANTS",
    "STOP_REASONS",
    "aggregate",
    "classify",
    "finalise_key_factors",
    "select_key_factors",
    "structural_analysis",
]

Aggregation = Literal["mean", "median"]
SelectionOrder = Literal["influence_minus_dependence", "corner_distance"]
SelectionBasis = Literal["direct", "indirect", "potential_direct", "potential_indirect"]

#: The four quadrants of the influence/dependence map, in the order used by
#: the integer codes inside the module.
QUADRANTS: tuple[str, ...] = ("driving", "relay", "dependent", "autonomous")

#: Why the successive powers stopped, in the order of the integer codes.
STOP_REASONS: tuple[str, ...] = ("stable", "nilpotent", "zero_matrix", "periodic", "max_power")

#: How the indirect values were obtained, in the order of the integer codes: from the
#: successive powers, from the Perron vectors (periodic rankings, simple Perron root), or
#: as the mean of the normalised powers over one period of the rankings (periodic, with
#: several classes of factors sharing the spectral radius: no unique Perron vector).
INDIRECT_METHODS: tuple[str, ...] = ("powers", "perron", "period_average")

MAX_SCORE = 3.0
_RANK_RTOL = 1e-9
_SIMPLE_ROOT_RTOL = 1e-6
_SELECTION_ORDERS = ("influence_minus_dependence", "corner_distance")
_SELECTION_BASES = ("direct", "indirect", "potential_direct", "potential_indirect")

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


# --------------------------------------------------------------------------- #
# Validation
# --------------------------------------------------------------------------- #


def _check_codes(factors: Sequence[str]) -> list[str]:
    if isinstance(factors, str):
        raise MethodInputError("the factor codes must be a list of codes, not one string")
    codes: list[str] = []
    seen: set[str] = set()
    for position, code in enumerate(factors, start=1):
        if not isinstance(code, str) or not code.strip():
            raise MethodInputError(f"factor {position} has an empty code ({code!r})")
        if code in seen:
            raise MethodInputError(f"factor '{code}' appears twice")
        seen.add(code)
        codes.append(code)
    if len(codes) < 2:
        raise MethodInputError(
            f"the structural analysis needs at least two factors, got {len(codes)}"
        )
    return codes


def _expert_labels(experts: Sequence[str] | None, count: int) -> list[str]:
    if experts is None:
        return [f"expert {i + 1}" for i in range(count)]
    if isinstance(experts, str):
        raise MethodInputError("the expert labels must be a list of labels, not one string")
    labels = list(experts)
    if len(labels) != count:
        raise MethodInputError(
            f"{len(labels)} expert label(s) given for {count} expert matrix(ces)"
        )
    seen: set[str] = set()
    for position, label in enumerate(labels, start=1):
        if not isinstance(label, str) or not label.strip():
            raise MethodInputError(f"expert {position} has an empty label ({label!r})")
        if label in seen:
            raise MethodInputError(f"expert '{label}' appears twice")
        seen.add(label)
    return labels


def _stack(
    data: ArrayLike | Sequence[ArrayLike],
    n: int,
    codes: list[str],
    what: str,
    dtype: type | None,
    experts: Sequence[str] | None,
) -> NDArray[Any]:
    """Stack per-expert matrices, naming the expert whose matrix has a wrong shape."""
    if isinstance(data, np.ndarray):
        items: list[Any] = [data[i] for i in range(data.shape[0])] if data.ndim == 3 else []
        if data.ndim != 3:
            raise MethodInputError(
                f"the {what} must be experts x factors x factors (3 dimensions), "
                f"got {data.ndim} dimension(s)"
            )
    else:
        items = list(data)  # type: ignore[arg-type]
    if not items:
        raise MethodInputError(f"the {what} hold no expert matrix")
    labels = (
        list(experts)
        if experts is not None and len(experts) == len(items)
        else [f"{i + 1}" for i in range(len(items))]
    )
    out = []
    for i, item in enumerate(items):
        try:
            arr = np.asarray(item, dtype=dtype)
        except (TypeError, ValueError) as exc:
            raise MethodInputError(
                f"the {what} of expert '{labels[i]}' are not a table of numbers ({exc})"
            ) from exc
        if arr.shape != (n, n):
            shape = " x ".join(str(s) for s in arr.shape) or "a single value"
            raise MethodInputError(
                f"the {what} matrix of expert '{labels[i]}' is {shape}, expected {n} x {n} "
                f"for the {n} factors ({', '.join(codes[:3])}{', ...' if n > 3 else ''})"
            )
        out.append(arr)
    return np.stack(out)


def _validate(
    scores: ArrayLike | Sequence[ArrayLike],
    factors: Sequence[str],
    potential: ArrayLike | Sequence[ArrayLike] | None,
    experts: Sequence[str] | None,
) -> tuple[FloatArray, BoolArray, list[str], list[str]]:
    """Return (scores, potential) as clean arrays, the factor codes and expert labels.

    The diagonal of both arrays is cleared (scores 0, potential False).
    """
    codes = _check_codes(factors)
    n = len(codes)
    s = _stack(scores, n, codes, "scores", float, experts).astype(np.float64)
    labels = _expert_labels(experts, s.shape[0])
    diag = np.eye(n, dtype=bool)[None, :, :]
    s = np.where(diag, 0.0, s)
    if potential is None:
        p = np.zeros(s.shape, dtype=bool)
    else:
        p_raw = _stack(potential, n, codes, "potential", None, labels)
        if p_raw.shape[0] != s.shape[0]:
            raise MethodInputError(
                f"the potential marks cover {p_raw.shape[0]} expert(s), the scores {s.shape[0]}"
            )
        if p_raw.dtype != np.bool_:
            if p_raw.dtype.kind not in "iuf":
                raise MethodInputError(
                    "the potential marks must be True/False (or 1/0), "
                    f"got values of type {p_raw.dtype}"
                )
            bad_p = (p_raw != 0) & (p_raw != 1)
            if bad_p.any():
                e, i, j = (int(v) for v in np.argwhere(bad_p)[0])
                raise MethodInputError(
                    f"the potential mark of expert '{labels[e]}' for the influence of "
                    f"'{codes[i]}' on '{codes[j]}' is {p_raw[e, i, j]!r}, expected True or False"
                )
        p = p_raw.astype(bool) & ~diag
    bad = np.isinf(s) | ((s < 0) | (s > MAX_SCORE)) & ~np.isnan(s)
    if bad.any():
        e, i, j = (int(v) for v in np.argwhere(bad)[0])
        raise MethodInputError(
            f"expert '{labels[e]}' scored {s[e, i, j]:g} for the influence of '{codes[i]}' "
            f"on '{codes[j]}'; scores go from 0 to {MAX_SCORE:g} (NaN for don't know)"
        )
    clash = p & ~np.isnan(s) & (s != 0)
    if clash.any():
        e, i, j = (int(v) for v in np.argwhere(clash)[0])
        raise MethodInputError(
            f"expert '{labels[e]}' gave both the score {s[e, i, j]:g} and P for the influence "
            f"of '{codes[i]}' on '{codes[j]}'; a P cell must have no score (or 0)"
        )
    return s, p, codes, labels


# --------------------------------------------------------------------------- #
# Aggregation
# --------------------------------------------------------------------------- #


def _cell_values(
    s: FloatArray, p: BoolArray, potential_weight: float
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Per-expert direct values, potential values and answered mask (NaN where unanswered)."""
    answered = ~np.isnan(s) | p
    direct = np.where(p, 0.0, s)
    pot = np.where(p, potential_weight, s)
    n = s.shape[1]
    diag = np.eye(n, dtype=bool)[None, :, :]
    answered = answered & ~diag
    direct = np.where(answered, direct, np.nan)
    pot = np.where(answered, pot, np.nan)
    return direct, pot, answered


def _nan_quantiles(values: FloatArray, qs: Sequence[float]) -> FloatArray:
    """Quantiles over axis 0 ignoring NaN (linear interpolation, as numpy's default).

    Cells with no value give 0. Vectorised: ``numpy.nanpercentile`` loops in
    Python over the cells.
    """
    srt = np.sort(values, axis=0)  # NaN sort last
    count = (~np.isnan(values)).sum(axis=0)
    out = np.zeros((len(qs), *values.shape[1:]))
    has = count > 0
    last = np.maximum(count - 1, 0)
    for k, q in enumerate(qs):
        pos = last * q
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, last)
        frac = pos - lo
        a = np.take_along_axis(srt, lo[None], axis=0)[0]
        b = np.take_along_axis(srt, hi[None], axis=0)[0]
        out[k] = np.where(has, a + (b - a) * frac, 0.0)
    return out


def _aggregate_values(values: FloatArray, aggregation: str) -> FloatArray:
    """Aggregate over axis 0 ignoring NaN; cells nobody answered give 0."""
    answered = ~np.isnan(values)
    counts = answered.sum(axis=0)
    if aggregation == "mean":
        total = np.where(answered, values, 0.0).sum(axis=0)
        out = np.divide(total, counts, out=np.zeros(total.shape), where=counts > 0)
    else:
        out = _nan_quantiles(values, [0.5])[0]
    return np.asarray(out, dtype=np.float64)


def _check_aggregation(aggregation: str) -> None:
    if aggregation not in ("mean", "median"):
        raise MethodInputError(f"the aggregation must be 'mean' or 'median', got {aggregation!r}")


def _check_weight(potential_weight: float) -> float:
    w = float(potential_weight)
    if not np.isfinite(w) or w < 0:
        raise MethodInputError(
            f"the weight of potential (P) cells must be a non-negative number, "
            f"got {potential_weight!r}"
        )
    return w


def _nested(a: NDArray[Any], *, none_where: BoolArray | None = None) -> list[list[Any]]:
    """Plain nested lists (``tolist`` gives Python int/float), None where masked."""
    rows: list[list[Any]] = a.tolist()
    if none_where is not None:
        for i, j in np.argwhere(none_where):
            rows[int(i)][int(j)] = None
    return rows


def _aggregate_arrays(
    s: FloatArray, p: BoolArray, aggregation: str, potential_weight: float
) -> tuple[FloatArray, FloatArray, dict[str, Any], IntArray]:
    direct_v, pot_v, answered = _cell_values(s, p, potential_weight)
    matrix = _aggregate_values(direct_v, aggregation)
    pmatrix = _aggregate_values(pot_v, aggregation)
    n_answers = answered.sum(axis=0).astype(np.int64)
    none = n_answers == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        q = _nan_quantiles(direct_v, [0.25, 0.75])
        iqr = q[1] - q[0]
        strong = np.where(answered, np.nan_to_num(direct_v) >= 1.0, False).sum(axis=0)
        share1 = np.divide(strong, n_answers, out=np.zeros(matrix.shape), where=~none)
        sharep = np.divide(
            (p & answered).sum(axis=0), n_answers, out=np.zeros(matrix.shape), where=~none
        )
    dispersion = {
        "iqr": _nested(iqr, none_where=none),
        "share_at_least_1": _nested(share1, none_where=none),
        "share_potential": _nested(sharep, none_where=none),
        "n_answers": _nested(n_answers),
    }
    return matrix, pmatrix, dispersion, n_answers


def aggregate(
    scores: ArrayLike | Sequence[ArrayLike],
    factors: Sequence[str],
    *,
    potential: ArrayLike | Sequence[ArrayLike] | None = None,
    experts: Sequence[str] | None = None,
    aggregation: Aggregation = "mean",
    potential_weight: float = 3.0,
) -> dict[str, Any]:
    """Aggregate the experts' influence matrices cell by cell.

    Parameters
    ----------
    scores : array_like
        ``experts x n x n`` scores (or a list of ``n x n`` matrices, one per
        expert): row factor influences column factor, 0 none, 1 weak,
        2 medium, 3 strong, NaN "don't know". The diagonal is ignored.
    factors : sequence of str
        The ``n`` factor codes, in row/column order (unique, non-empty).
    potential : array_like of bool, optional
        Same shape as ``scores``; True marks a ``P`` (potential influence) cell,
        whose score must be 0 or NaN.
    experts : sequence of str, optional
        Expert labels, used in messages and in the result.
    aggregation : {"mean", "median"}, default "mean"
        How the answers of one cell are combined; "don't know" answers are left
        out. A cell nobody answered aggregates to 0 and is listed in
        ``unanswered_cells``.
    potential_weight : float, default 3.0
        Value of a ``P`` cell in the potential matrix (Godet's MICMAC uses the
        intensity of a strong influence).

    Returns
    -------
    dict
        ``parameters`` (``aggregation``, ``potential_weight``), ``factors``,
        ``experts``, ``matrix`` (aggregated direct matrix, list of lists),
        ``potential_matrix`` (``P`` cells counted as ``potential_weight``),
        ``dispersion`` (``iqr``, ``share_at_least_1``, ``share_potential``:
        lists of lists of float, None on the diagonal and in unanswered cells;
        ``n_answers``: list of lists of int, 0 on the diagonal) and
        ``unanswered_cells`` (list of ``[row code, column code]``).

    Raises
    ------
    MethodInputError
        On malformed codes, shapes, scores out of 0-3, or a cell marked both
        ``P`` and with a non-zero score.

    References
    ----------
    .. [1] Godet, M. (1994). *From Anticipation to Action*, chapter 4. UNESCO.
    """
    _check_aggregation(aggregation)
    weight = _check_weight(potential_weight)
    s, p, codes, labels = _validate(scores, factors, potential, experts)
    matrix, pmatrix, dispersion, n_answers = _aggregate_arrays(s, p, aggregation, weight)
    off = ~np.eye(len(codes), dtype=bool)
    unanswered = [[codes[int(i)], codes[int(j)]] for i, j in np.argwhere((n_answers == 0) & off)]
    return {
        "parameters": {"aggregation": aggregation, "potential_weight": weight},
        "factors": codes,
        "experts": labels,
        "matrix": _nested(matrix),
        "potential_matrix": _nested(pmatrix),
        "dispersion": dispersion,
        "unanswered_cells": unanswered,
    }


# --------------------------------------------------------------------------- #
# Ranks, powers, quadrants (batched: the first axis indexes matrices)
# --------------------------------------------------------------------------- #


def _ranks(values: FloatArray) -> IntArray:
    """Competition ranks along the last axis, rank 1 = highest, near-ties tied."""
    v = np.atleast_2d(values)
    order = np.argsort(-v, axis=1, kind="stable")
    sv = np.take_along_axis(v, order, axis=1)
    scale = np.max(np.abs(v), axis=1, keepdims=True)
    tol = _RANK_RTOL * scale
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
    column factor, diagonal False). Classes come from the transitive closure
    (repeated squaring). The period of a class is the gcd, over its edges
    ``u -> v``, of ``level(u) + 1 - level(v)``, the levels being breadth-first
    distances from any factor of the class (Denardo's method: a closed walk's
    length is the sum of these shifts along it, and the shifts of the edges of
    a breadth-first tree are 0).

    References
    ----------
    .. [1] Denardo, E. V. (1977). Periods of connected networks and powers of
       nonnegative matrices. *Mathematics of Operations Research*, 2(1), 20-24.
    """
    n = adjacency.shape[1]
    a = adjacency.astype(np.float32)  # walk counts stay exact: they are <= n
    reach = adjacency.copy()  # paths of length >= 1
    while True:
        r = reach.astype(np.float32)
        wider = reach | (np.matmul(r, r) > 0)
        if np.array_equal(wider, reach):
            break
        reach = wider
    same = reach & reach.transpose(0, 2, 1)  # same class (diagonal: on a cycle)
    on_cycle = np.diagonal(same, axis1=1, axis2=2)
    inner = a * same  # edges inside a class
    # breadth-first levels from one root per class (its first factor), all
    # classes at once: edges inside a class never leave it
    first = np.argmax(same, axis=2)
    roots = on_cycle & (first == np.arange(n))
    level = np.where(roots, 0, -1).astype(np.int64)
    frontier = roots.astype(np.float32)
    depth = 0
    while frontier.any():
        depth += 1
        reached = (np.einsum("bi,bij->bj", frontier, inner) > 0) & (level < 0)
        level[reached] = depth
        frontier = reached.astype(np.float32)
    # the period of a class is the gcd of level(u) + 1 - level(v) over its edges u -> v
    shift = np.where(inner > 0, level[:, :, None] + 1 - level[:, None, :], 0)
    gcd = np.gcd.reduce(np.abs(shift), axis=2)
    class_period = np.gcd.reduce(np.where(same, gcd[:, None, :], 0), axis=2)
    return np.asarray(np.lcm.reduce(np.maximum(class_period, 1), axis=1), dtype=np.int64)


def _required_runs(matrices: FloatArray, stable_powers: int) -> tuple[IntArray, IntArray]:
    """Graph period of each matrix and the run of equal rankings that counts as stable.

    Rankings unchanged over ``stable_powers`` successive powers are accepted
    only if the run also covers a whole period of the influence graph: a
    matrix of period 3 may rank ``X, X, Y, X, X, Y, ...`` and must not stop at
    the second ``X``. The period is computed only where it can exceed 2 (some
    factor with both an influence and a dependence lies on no 2-cycle);
    elsewhere every class holds a 2-cycle, the period divides 2, is returned
    as 1, and ``stable_powers >= 2`` already covers it.
    """
    adjacency: BoolArray = np.asarray(matrices > 0, dtype=np.bool_)
    two_cycle = np.any(adjacency & adjacency.transpose(0, 2, 1), axis=2)
    may_cycle = adjacency.any(axis=2) & adjacency.any(axis=1)
    check = np.flatnonzero((may_cycle & ~two_cycle).any(axis=1))
    period = np.ones(matrices.shape[0], dtype=np.int64)
    if check.size:
        period[check] = _graph_periods(adjacency[check])
    return period, np.maximum(period, stable_powers)


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


def _indirect_batch(
    matrices: FloatArray, max_power: int, stable_powers: int
) -> tuple[FloatArray, FloatArray, IntArray, IntArray, IntArray, IntArray]:
    """Indirect influence and dependence of a stack of matrices.

    Returns row and column sums (normalised to sum 1, zero for a zero matrix),
    the power used, the stop reason code (index in STOP_REASONS), the period
    (0 when not periodic) and the method code (index in INDIRECT_METHODS).
    """
    b, n, _ = matrices.shape
    infl = np.zeros((b, n))
    dep = np.zeros((b, n))
    power = np.ones(b, dtype=np.int64)
    reason = np.zeros(b, dtype=np.int64)
    period = np.zeros(b, dtype=np.int64)
    method = np.zeros(b, dtype=np.int64)

    r = matrices.sum(axis=2)
    c = matrices.sum(axis=1)
    tot = r.sum(axis=1)
    zero = tot <= 0
    reason[zero] = STOP_REASONS.index("zero_matrix")
    active = np.flatnonzero(~zero)
    r = r[active] / tot[active, None]
    c = c[active] / tot[active, None]
    infl[active] = r
    dep[active] = c
    hist_i: list[IntArray] = [_ranks(r)]
    hist_d: list[IntArray] = [_ranks(c)]
    graph_period, required = _required_runs(matrices[active], stable_powers)
    same = np.ones(active.size, dtype=np.int64)  # successive powers with equal rankings
    k = 1
    while active.size and k < max_power:
        k += 1
        m = matrices[active]
        r_new = np.einsum("bij,bj->bi", m, r)
        c_new = np.einsum("bi,bij->bj", c, m)
        t = r_new.sum(axis=1)
        dead = t <= 0
        if dead.any():
            gone = active[dead]
            reason[gone] = STOP_REASONS.index("nilpotent")
            power[gone] = k - 1
        keep = ~dead
        r_new = r_new[keep] / t[keep, None]
        c_new = c_new[keep] / t[keep, None]
        active, same = active[keep], same[keep]
        graph_period, required = graph_period[keep], required[keep]
        ri, rd = _ranks(r_new), _ranks(c_new)
        prev_i, prev_d = hist_i[-1][keep], hist_d[-1][keep]
        equal = np.all(ri == prev_i, axis=1) & np.all(rd == prev_d, axis=1)
        same = np.where(equal, same + 1, 1)
        infl[active] = r_new
        dep[active] = c_new
        power[active] = k
        done = same >= required
        reason[active[done]] = STOP_REASONS.index("stable")
        # the rank history stays aligned with the active set
        if dead.any() or done.any():
            alive = np.flatnonzero(keep)[~done]
            hist_i = [h[alive] for h in hist_i]
            hist_d = [h[alive] for h in hist_d]
        hist_i.append(ri[~done])
        hist_d.append(rd[~done])
        active, same = active[~done], same[~done]
        graph_period, required = graph_period[~done], required[~done]
        r, c = r_new[~done], c_new[~done]
    # whatever is still active reached max_power without stable rankings
    for pos, idx in enumerate(active):
        p = _find_period([h[pos] for h in hist_i], [h[pos] for h in hist_d], int(graph_period[pos]))
        if p is None:
            reason[idx] = STOP_REASONS.index("max_power")
            continue
        reason[idx] = STOP_REASONS.index("periodic")
        period[idx] = p
        vectors = _perron(matrices[idx])
        if vectors is None:
            vi, vd = _period_average(matrices[idx], r[pos], c[pos], p)
            method[idx] = INDIRECT_METHODS.index("period_average")
        else:
            vi, vd = vectors
            method[idx] = INDIRECT_METHODS.index("perron")
        infl[idx] = vi / vi.sum() if vi.sum() > 0 else vi
        dep[idx] = vd / vd.sum() if vd.sum() > 0 else vd
    return infl, dep, power, reason, period, method


def _quadrants(infl: FloatArray, dep: FloatArray) -> tuple[IntArray, FloatArray, FloatArray]:
    """Quadrant codes (index in QUADRANTS), split at the means (high = strictly above)."""
    mi = infl.mean(axis=-1, keepdims=True)
    md = dep.mean(axis=-1, keepdims=True)
    high_i = infl > mi + _RANK_RTOL * np.abs(mi)
    high_d = dep > md + _RANK_RTOL * np.abs(md)
    q = np.where(high_i, np.where(high_d, 1, 0), np.where(high_d, 2, 3)).astype(np.int64)
    return q, mi[..., 0], md[..., 0]


def _selection_scores(infl: FloatArray, dep: FloatArray, order: str) -> FloatArray:
    """Higher is better: influence - dependence, or minus the distance to the corner."""
    if order == "influence_minus_dependence":
        return np.asarray(infl - dep, dtype=np.float64)
    mi = np.max(infl, axis=-1, keepdims=True)
    md = np.max(dep, axis=-1, keepdims=True)
    x = np.divide(dep, md, out=np.zeros(dep.shape), where=md > 0)
    y = np.divide(infl, mi, out=np.zeros(infl.shape), where=mi > 0)
    return np.asarray(-np.sqrt(x**2 + (1.0 - y) ** 2), dtype=np.float64)


def _select_batch(
    infl: FloatArray, dep: FloatArray, quadrant: IntArray, order: str, target: int | None
) -> tuple[BoolArray, IntArray]:
    """Selected mask and the candidates' order (indices, best first, driving ones only)."""
    score = _selection_scores(infl, dep, order)
    n = infl.shape[-1]
    # sort by score desc, then influence desc, then input order
    rs = _ranks(score)
    ri = _ranks(infl)
    key = (rs * (n + 1) + ri) * (n + 1) + np.arange(n)
    driving = quadrant == 0
    key = np.where(driving, key, np.iinfo(np.int64).max)
    order_idx = np.argsort(key, axis=-1, kind="stable")
    pos = np.empty_like(order_idx)
    np.put_along_axis(pos, order_idx, np.broadcast_to(np.arange(n), order_idx.shape), axis=-1)
    selected = driving.copy()
    if target is not None:
        selected &= pos < target
    return selected, order_idx


# --------------------------------------------------------------------------- #
# Classification of one matrix
# --------------------------------------------------------------------------- #


def _check_int(value: int, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise MethodInputError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_tolerance(value: float) -> float:
    v = float(value)
    if not np.isfinite(v) or v < 0:
        raise MethodInputError(f"the borderline tolerance must be >= 0, got {value!r}")
    return v


def _plane(codes: list[str], infl: FloatArray, dep: FloatArray, tolerance: float) -> dict[str, Any]:
    q, mi, md = _quadrants(infl[None, :], dep[None, :])
    mean_i, mean_d = float(mi[0]), float(md[0])
    ri, rd = _ranks(infl), _ranks(dep)
    axes: dict[str, list[str]] = {}
    for k, code in enumerate(codes):
        near = []
        if abs(infl[k] - mean_i) <= tolerance * abs(mean_i) + _RANK_RTOL * abs(mean_i):
            near.append("influence")
        if abs(dep[k] - mean_d) <= tolerance * abs(mean_d) + _RANK_RTOL * abs(mean_d):
            near.append("dependence")
        axes[code] = near
    return {
        "influence": {c: float(infl[k]) for k, c in enumerate(codes)},
        "dependence": {c: float(dep[k]) for k, c in enumerate(codes)},
        "influence_rank": {c: int(ri[k]) for k, c in enumerate(codes)},
        "dependence_rank": {c: int(rd[k]) for k, c in enumerate(codes)},
        "quadrant": {c: QUADRANTS[int(q[0, k])] for k, c in enumerate(codes)},
        "borderline": {c: bool(axes[c]) for c in codes},
        "borderline_axes": axes,
        "means": {"influence": mean_i, "dependence": mean_d},
        "total": float(infl.sum()),
    }


def _classify_arrays(
    matrix: FloatArray, codes: list[str], max_power: int, stable_powers: int, tolerance: float
) -> dict[str, Any]:
    m = matrix.copy()
    np.fill_diagonal(m, 0.0)
    r = m.sum(axis=1)
    c = m.sum(axis=0)
    total = float(r.sum())
    vi, vd, power, reason, period, method = _indirect_batch(m[None], max_power, stable_powers)
    direct = _plane(codes, r, c, tolerance)
    indirect = _plane(codes, vi[0] * total, vd[0] * total, tolerance)
    stop = STOP_REASONS[int(reason[0])]
    indirect["power"] = int(power[0])
    indirect["stop_reason"] = stop
    indirect["period"] = int(period[0]) if stop == "periodic" else None
    indirect["method"] = INDIRECT_METHODS[int(method[0])]
    return {"direct": direct, "indirect": indirect}


def _displacement(
    codes: list[str], before: dict[str, Any], after: dict[str, Any]
) -> dict[str, dict[str, int]]:
    return {
        c: {
            "influence": before["influence_rank"][c] - after["influence_rank"][c],
            "dependence": before["dependence_rank"][c] - after["dependence_rank"][c],
        }
        for c in codes
    }


def classify(
    matrix: ArrayLike,
    factors: Sequence[str],
    *,
    max_power: int = 30,
    stable_powers: int = 2,
    borderline_tolerance: float = 0.05,
) -> dict[str, Any]:
    """Direct and indirect MICMAC classification of one influence matrix.

    Parameters
    ----------
    matrix : array_like
        ``n x n`` non-negative influence matrix (row influences column), for
        example an aggregated matrix. The diagonal is ignored.
    factors : sequence of str
        The ``n`` factor codes.
    max_power : int, default 30
        Highest power ``M^k`` examined.
    stable_powers : int, default 2
        Stop at the first power ``k`` such that the influence and the
        dependence rankings are the same for ``stable_powers`` successive
        powers (2: ``M^(k-1)`` and ``M^k`` rank alike), and for at least ``p``
        successive powers when the influence graph has period ``p`` (see
        Notes).
    borderline_tolerance : float, default 0.05
        A factor whose influence (dependence) is within this fraction of the
        mean influence (dependence) of a split line is flagged borderline.

    Returns
    -------
    dict
        ``parameters``, ``factors``, ``direct`` and ``indirect`` planes and
        ``displacement`` (see :func:`structural_analysis`).

    Notes
    -----
    Row (column) sums of ``M^k`` are ``M^k 1`` (``1' M^k``), computed by
    multiplying a vector by ``M`` ``k`` times and rescaling it to sum 1 after
    every product, so nothing overflows or underflows. Stop reasons:

    - ``"stable"``: rankings unchanged over ``max(stable_powers, p)``
      successive powers, where ``p`` is the period of the influence graph: the
      least common multiple of the periods of its strongly connected classes
      (gcd of the cycle lengths of each class; 1 without cycles). Past the
      transient, the rankings can only cycle with a period dividing ``p``, so a run of
      ``p`` equal rankings covers a whole cycle and a pattern such as ``X, X,
      Y`` (period 3) is not mistaken for stability. Two factors whose values
      converge to a tie count as tied once they are within the rank
      tolerance (``1e-9`` relative), even when the exact values keep
      swapping order;
    - ``"nilpotent"``: ``M^k = 0`` (the influence graph has no cycle); the last
      non-zero power ``k - 1`` is used;
    - ``"zero_matrix"``: ``M = 0``; every value is 0 (power 1);
    - ``"periodic"``: ``max_power`` reached with the last rankings repeating
      with a period ``q >= 2`` (checked over at least a whole period of the
      graph), reported as ``period``: a periodic, i.e. imprimitive, matrix
      whose powers never settle, or a primitive one whose swapping near-ties
      close too slowly to fall under the tolerance by ``max_power``; the
      dominant right eigenvector (influence) and left eigenvector
      (dependence), to which the rankings of a primitive matrix converge
      (Perron-Frobenius), are used instead (``method`` ``"perron"``); when the
      Perron root is not simple (several classes of factors share the spectral
      radius, so the eigenvectors are not unique), the mean of the normalised
      powers over one period is used (``method`` ``"period_average"``), which,
      like everything else here, does not change when the matrix is scaled;
    - ``"max_power"``: ``max_power`` reached without stable nor periodic
      rankings (including rankings constant at the end but over fewer powers
      than the graph's period); the last power is used.

    Like any stopping rule on a finite number of powers, this one reads the
    transient: rankings may agree over the required run and still change
    later for a matrix whose powers have not yet converged (a large
    ``stable_powers`` guards against it, at the cost of more powers).

    Indirect values are rescaled to the total of the direct matrix.

    References
    ----------
    .. [1] Godet, M. (1994). *From Anticipation to Action*, chapter 4. UNESCO.
    .. [2] Horn, R. A. & Johnson, C. R. (2013). *Matrix Analysis*, 2nd ed.,
       sections 8.4-8.5 (the cyclic structure of irreducible matrices, primitive
       matrices). Cambridge University Press.
    """
    codes = _check_codes(factors)
    n = len(codes)
    try:
        m = np.asarray(matrix, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise MethodInputError(f"the influence matrix is not a table of numbers ({exc})") from exc
    if m.shape != (n, n):
        shape = " x ".join(str(s) for s in m.shape) or "a single value"
        raise MethodInputError(f"the influence matrix is {shape}, expected {n} x {n}")
    off = ~np.eye(n, dtype=bool)
    bad = off & (~np.isfinite(m) | (m < 0))
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise MethodInputError(
            f"the influence of '{codes[i]}' on '{codes[j]}' is {m[i, j]:g}; "
            "it must be a finite number >= 0"
        )
    max_power = _check_int(max_power, "max_power", 2)
    stable_powers = _check_int(stable_powers, "stable_powers", 2)
    tol = _check_tolerance(borderline_tolerance)
    planes = _classify_arrays(np.where(off, m, 0.0), codes, max_power, stable_powers, tol)
    return {
        "parameters": {
            "max_power": max_power,
            "stable_powers": stable_powers,
            "borderline_tolerance": tol,
        },
        "factors": codes,
        **planes,
        "displacement": _displacement(codes, planes["direct"], planes["indirect"]),
    }


# --------------------------------------------------------------------------- #
# Selection of the key factors
# --------------------------------------------------------------------------- #


def select_key_factors(
    plane: dict[str, Any],
    *,
    order: SelectionOrder = "influence_minus_dependence",
    target_count: int | None = None,
) -> dict[str, Any]:
    """Select the key factors: the driving quadrant (upper-left of the map).

    Parameters
    ----------
    plane : dict
        One plane of :func:`classify` or :func:`structural_analysis` (for
        example ``result["direct"]``).
    order : {"influence_minus_dependence", "corner_distance"}
        How the driving factors are ordered: by influence minus dependence
        (descending) or by the distance to the upper-left corner of the map,
        axes scaled to [0, 1] by their maxima (ascending). Ties: higher
        influence first, then the input order.
    target_count : int, optional
        Keep at most this many driving factors (the best by ``order``). None
        keeps the whole driving quadrant. Fewer driving factors than the
        target are not topped up: add them with :func:`finalise_key_factors`.

    Returns
    -------
    dict
        ``parameters`` (``rule`` = "driving_quadrant", ``order``,
        ``target_count``), ``factors`` (all codes), ``candidates`` (the driving
        factors, best first), ``selected`` (codes, best first), ``scores``
        (code -> ordering score of every factor, higher is better).

    References
    ----------
    .. [1] Godet, M. (1994). *From Anticipation to Action*, chapter 4: the
       "influent" (driving) variables of the upper-left sector are the key
       variables of the system. UNESCO.
    """
    if order not in _SELECTION_ORDERS:
        raise MethodInputError(
            f"the selection order must be one of {', '.join(_SELECTION_ORDERS)}, got {order!r}"
        )
    if target_count is not None:
        target_count = _check_int(target_count, "the target count", 1)
    codes = list(plane["influence"])
    infl = np.array([plane["influence"][c] for c in codes], dtype=np.float64)
    dep = np.array([plane["dependence"][c] for c in codes], dtype=np.float64)
    quad = np.array([QUADRANTS.index(plane["quadrant"][c]) for c in codes], dtype=np.int64)
    selected, order_idx = _select_batch(infl[None], dep[None], quad[None], order, target_count)
    score = _selection_scores(infl, dep, order)
    candidates = [codes[int(k)] for k in order_idx[0] if quad[int(k)] == 0]
    return {
        "parameters": {
            "rule": "driving_quadrant",
            "order": order,
            "target_count": target_count,
        },
        "factors": codes,
        "candidates": candidates,
        "selected": [c for c in candidates if selected[0, codes.index(c)]],
        "scores": {c: float(score[k]) for k, c in enumerate(codes)},
    }


def finalise_key_factors(
    selection: dict[str, Any], additions: Sequence[tuple[str, str]] = ()
) -> dict[str, Any]:
    """Final key factors: the rule's selection plus the panel's additions.

    Parameters
    ----------
    selection : dict
        The result of :func:`select_key_factors` (or
        ``structural_analysis(...)["selection"]``).
    additions : sequence of (code, reason)
        Factors the panel adds on request, each with a non-empty reason (the
        seed report's panel added A16 "à la demande des experts").

    Returns
    -------
    dict
        ``parameters`` (the selection's parameters plus ``additions``, a list
        of ``{"code", "reason"}``), ``key_factors`` (list of ``{"code",
        "origin", "reason"}``: origin "rule" (reason None) in the selection's
        order, then origin "addition" in the given order) and ``codes``.

    Raises
    ------
    MethodInputError
        If an added code is unknown, already selected, added twice, or has no
        reason.
    """
    factors = list(selection["factors"])
    chosen = list(selection["selected"])
    seen = set(chosen)
    key: list[dict[str, Any]] = [{"code": c, "origin": "rule", "reason": None} for c in chosen]
    recorded: list[dict[str, str]] = []
    for item in additions:
        try:
            code, reason = item
        except (TypeError, ValueError) as exc:
            raise MethodInputError(
                f"each addition must be a pair (factor code, reason), got {item!r}"
            ) from exc
        if code not in factors:
            raise MethodInputError(f"factor '{code}' added as a key factor is not a factor")
        if code in seen:
            if code in chosen:
                raise MethodInputError(f"factor '{code}' is already selected by the rule")
            raise MethodInputError(f"factor '{code}' is added twice")
        if not isinstance(reason, str) or not reason.strip():
            raise MethodInputError(f"the addition of factor '{code}' needs a reason")
        seen.add(code)
        key.append({"code": code, "origin": "addition", "reason": reason})
        recorded.append({"code": code, "reason": reason})
    return {
        "parameters": {**selection["parameters"], "additions": recorded},
        "key_factors": key,
        "codes": [k["code"] for k in key],
    }


# --------------------------------------------------------------------------- #
# The whole analysis
# --------------------------------------------------------------------------- #


def _check_analysis_options(
    aggregation: str,
    potential_weight: float,
    max_power: int,
    stable_powers: int,
    borderline_tolerance: float,
    selection_basis: str,
    selection_order: str,
    target_count: int | None,
) -> dict[str, Any]:
    _check_aggregation(aggregation)
    if selection_basis not in _SELECTION_BASES:
        raise MethodInputError(
            f"the selection basis must be one of {', '.join(_SELECTION_BASES)}, "
            f"got {selection_basis!r}"
        )
    if selection_order not in _SELECTION_ORDERS:
        raise MethodInputError(
            f"the selection order must be one of {', '.join(_SELECTION_ORDERS)}, "
            f"got {selection_order!r}"
        )
    return {
        "aggregation": aggregation,
        "potential_weight": _check_weight(potential_weight),
        "max_power": _check_int(max_power, "max_power", 2),
        "stable_powers": _check_int(stable_powers, "stable_powers", 2),
        "borderline_tolerance": _check_tolerance(borderline_tolerance),
        "selection_basis": selection_basis,
        "selection_order": selection_order,
        "target_count": None
        if target_count is None
        else _check_int(target_count, "the target count", 1),
    }


def _analyse_arrays(
    s: FloatArray, p: BoolArray, codes: list[str], labels: list[str], params: dict[str, Any]
) -> dict[str, Any]:
    matrix, pmatrix, dispersion, n_answers = _aggregate_arrays(
        s, p, params["aggregation"], params["potential_weight"]
    )
    args = (params["max_power"], params["stable_powers"], params["borderline_tolerance"])
    actual = _classify_arrays(matrix, codes, *args)
    pot = _classify_arrays(pmatrix, codes, *args)
    planes = {
        "direct": actual["direct"],
        "indirect": actual["indirect"],
        "potential_direct": pot["direct"],
        "potential_indirect": pot["indirect"],
    }
    selection = select_key_factors(
        planes[params["selection_basis"]],
        order=params["selection_order"],
        target_count=params["target_count"],
    )
    selection["parameters"]["basis"] = params["selection_basis"]
    off = ~np.eye(len(codes), dtype=bool)
    return {
        "parameters": dict(params),
        "factors": codes,
        "experts": labels,
        "matrix": _nested(matrix),
        "potential_matrix": _nested(pmatrix),
        "dispersion": dispersion,
        "unanswered_cells": [
            [codes[int(i)], codes[int(j)]] for i, j in np.argwhere((n_answers == 0) & off)
        ],
        **planes,
        "displacement": _displacement(codes, planes["direct"], planes["indirect"]),
        "potential_displacement": _displacement(
            codes, planes["direct"], planes["potential_indirect"]
        ),
        "selection": selection,
    }


def structural_analysis(
    scores: ArrayLike | Sequence[ArrayLike],
    factors: Sequence[str],
    *,
    potential: ArrayLike | Sequence[ArrayLike] | None = None,
    experts: Sequence[str] | None = None,
    aggregation: Aggregation = "mean",
    potential_weight: float = 3.0,
    max_power: int = 30,
    stable_powers: int = 2,
    borderline_tolerance: float = 0.05,
    selection_basis: SelectionBasis = "direct",
    selection_order: SelectionOrder = "influence_minus_dependence",
    target_count: int | None = None,
) -> dict[str, Any]:
    """Structural analysis (MICMAC) of the experts' influence matrices.

    Parameters
    ----------
    scores, factors, potential, experts, aggregation, potential_weight
        As in :func:`aggregate`.
    max_power, stable_powers, borderline_tolerance
        As in :func:`classify`.
    selection_basis : {"direct", "indirect", "potential_direct", "potential_indirect"}
        The plane whose driving quadrant gives the key factors (default
        "direct", the compiled map the seed report's panel read).
    selection_order, target_count
        As ``order`` and ``target_count`` in :func:`select_key_factors`.

    Returns
    -------
    dict
        - ``parameters``: every option above (``aggregation``,
          ``potential_weight``, ``max_power``, ``stable_powers``,
          ``borderline_tolerance``, ``selection_basis``, ``selection_order``,
          ``target_count``);
        - ``factors`` (codes), ``experts`` (labels);
        - ``matrix``, ``potential_matrix``, ``dispersion``,
          ``unanswered_cells``: as in :func:`aggregate`;
        - ``direct``, ``indirect``, ``potential_direct``,
          ``potential_indirect``: planes, each with ``influence``,
          ``dependence`` (code -> float), ``influence_rank``,
          ``dependence_rank`` (code -> int, 1 = highest), ``quadrant`` (code ->
          "driving" | "relay" | "dependent" | "autonomous"), ``borderline``
          (code -> bool), ``borderline_axes`` (code -> list of "influence" /
          "dependence"), ``means`` (``{"influence", "dependence"}``: the split
          lines) and ``total``; the indirect planes add ``power`` (int),
          ``stop_reason`` (one of :data:`STOP_REASONS`), ``period`` (int or
          None) and ``method`` ("powers", "perron" or "period_average");
        - ``displacement`` (direct -> indirect) and ``potential_displacement``
          (direct -> potential indirect): code -> ``{"influence": int,
          "dependence": int}``, the direct rank minus the other rank (positive:
          the factor moves up);
        - ``selection``: as :func:`select_key_factors`, its ``parameters``
          also holding ``basis``.

        A factor is "driving" when its influence is above the mean influence
        and its dependence is not above the mean dependence; "relay" above
        both; "dependent" above the mean dependence only; "autonomous"
        otherwise. A value equal to a mean counts as not above it (and is
        flagged borderline).

    References
    ----------
    .. [1] Godet, M. (1994). *From Anticipation to Action*, chapter 4. UNESCO.
    .. [2] Arcade, J., Godet, M., Meunier, F. & Roubelat, F. (1999).
       Structural analysis with the MICMAC method. AC/UNU Millennium Project.
    """
    params = _check_analysis_options(
        aggregation,
        potential_weight,
        max_power,
        stable_powers,
        borderline_tolerance,
        selection_basis,
        selection_order,
        target_count,
    )
    s, p, codes, labels = _validate(scores, factors, potential, experts)
    return _analyse_arrays(s, p, codes, labels, params)
