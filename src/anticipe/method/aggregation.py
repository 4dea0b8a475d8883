"""The experts' influence matrices: checks and cell-by-cell aggregation (MICMAC's input).

The conventions (scores 0-3, NaN for "don't know", ``P`` cells, the diagonal ignored)
are those of :mod:`anticipe.method.structural_analysis`, which re-exports
:func:`aggregate`.

References
----------
.. [1] Godet, M. (1994). *From Anticipation to Action*, chapter 4. UNESCO.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, TypedDict

import numpy as np
from numpy.typing import ArrayLike, NDArray

from anticipe.method.errors import MethodInputError

__all__ = [
    "AggregatedMatrices",
    "AggregationParameters",
    "Dispersion",
    "aggregate",
]

Aggregation = Literal["mean", "median"]

MAX_SCORE = 3.0

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


# --------------------------------------------------------------------------- #
# Validation
# --------------------------------------------------------------------------- #


def check_codes(factors: Sequence[str]) -> list[str]:
    if isinstance(factors, str):
        raise MethodInputError("the factor codes must be a list of codes, not one string")
    codes = _distinct_names(factors, "factor", "code")
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
    return _distinct_names(labels, "expert", "label")


def _distinct_names(values: Sequence[object], what: str, word: str) -> list[str]:
    """Non-empty strings, each once ("factor 2 has an empty code ('')")."""
    names: list[str] = []
    seen: set[str] = set()
    for position, value in enumerate(values, start=1):
        if not isinstance(value, str) or not value.strip():
            raise MethodInputError(f"{what} {position} has an empty {word} ({value!r})")
        if value in seen:
            raise MethodInputError(f"{what} '{value}' appears twice")
        seen.add(value)
        names.append(value)
    return names


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


def validate(
    scores: ArrayLike | Sequence[ArrayLike],
    factors: Sequence[str],
    potential: ArrayLike | Sequence[ArrayLike] | None,
    experts: Sequence[str] | None,
) -> tuple[FloatArray, BoolArray, list[str], list[str]]:
    """Return (scores, potential) as clean arrays, the factor codes and expert labels.

    The diagonal of both arrays is cleared (scores 0, potential False).
    """
    codes = check_codes(factors)
    n = len(codes)
    s = _stack(scores, n, codes, "scores", float, experts).astype(np.float64)
    labels = _expert_labels(experts, s.shape[0])
    diag = np.eye(n, dtype=bool)[None, :, :]
    s = np.where(diag, 0.0, s)
    p = _potential_marks(potential, s.shape, codes, labels)
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


def _potential_marks(
    potential: ArrayLike | Sequence[ArrayLike] | None,
    shape: tuple[int, ...],
    codes: list[str],
    labels: list[str],
) -> BoolArray:
    """The P cells as a boolean array of the scores' shape, the diagonal cleared."""
    if potential is None:
        return np.zeros(shape, dtype=bool)
    n = len(codes)
    p_raw = _stack(potential, n, codes, "potential", None, labels)
    if p_raw.shape[0] != shape[0]:
        raise MethodInputError(
            f"the potential marks cover {p_raw.shape[0]} expert(s), the scores {shape[0]}"
        )
    if p_raw.dtype != np.bool_:
        if p_raw.dtype.kind not in "iuf":
            raise MethodInputError(
                f"the potential marks must be True/False (or 1/0), got values of type {p_raw.dtype}"
            )
        bad_p = (p_raw != 0) & (p_raw != 1)
        if bad_p.any():
            e, i, j = (int(v) for v in np.argwhere(bad_p)[0])
            raise MethodInputError(
                f"the potential mark of expert '{labels[e]}' for the influence of "
                f"'{codes[i]}' on '{codes[j]}' is {p_raw[e, i, j]!r}, expected True or False"
            )
    diag = np.eye(n, dtype=bool)[None, :, :]
    return np.asarray(p_raw.astype(bool) & ~diag, dtype=np.bool_)


# --------------------------------------------------------------------------- #
# Aggregation
# --------------------------------------------------------------------------- #


def cell_values(
    s: FloatArray, p: BoolArray, potential_weight: float
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Per-expert direct values, potential values and answered mask (NaN where unanswered).

    A P cell counts as answered, 0 in the direct values and ``potential_weight``
    in the potential ones; the diagonal is never answered.
    """
    n = s.shape[1]
    answered = ~np.isnan(s)
    answered |= p
    answered[:, np.arange(n), np.arange(n)] = False
    direct = np.where(answered, s, np.nan)
    marked = p & answered
    pot = direct.copy()
    direct[marked] = 0.0
    pot[marked] = potential_weight
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


def check_aggregation(aggregation: str) -> None:
    if aggregation not in ("mean", "median"):
        raise MethodInputError(f"the aggregation must be 'mean' or 'median', got {aggregation!r}")


def check_weight(potential_weight: float) -> float:
    w = float(potential_weight)
    if not np.isfinite(w) or w < 0:
        raise MethodInputError(
            f"the weight of potential (P) cells must be a non-negative number, "
            f"got {potential_weight!r}"
        )
    return w


def nested(a: NDArray[Any], *, none_where: BoolArray | None = None) -> list[list[Any]]:
    """Plain nested lists (``tolist`` gives Python int/float), None where masked."""
    rows: list[list[Any]] = a.tolist()
    if none_where is not None:
        for i, j in np.argwhere(none_where):
            rows[int(i)][int(j)] = None
    return rows


def aggregate_arrays(
    s: FloatArray, p: BoolArray, aggregation: str, potential_weight: float
) -> tuple[FloatArray, FloatArray, Dispersion, IntArray]:
    direct_v, pot_v, answered = cell_values(s, p, potential_weight)
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
    dispersion: Dispersion = {
        "iqr": nested(iqr, none_where=none),
        "share_at_least_1": nested(share1, none_where=none),
        "share_potential": nested(sharep, none_where=none),
        "n_answers": nested(n_answers),
    }
    return matrix, pmatrix, dispersion, n_answers


class AggregationParameters(TypedDict):
    """The options of :func:`aggregate` (its ``parameters``)."""

    aggregation: str
    potential_weight: float


class Dispersion(TypedDict):
    """How the experts' answers of each cell spread (``n x n`` lists, row influences column).

    The float tables hold None on the diagonal and in cells nobody answered.
    """

    iqr: list[list[float | None]]  #: interquartile range of the direct scores
    share_at_least_1: list[list[float | None]]  #: share of answers scoring 1 or more
    share_potential: list[list[float | None]]  #: share of answers marked P
    n_answers: list[list[int]]  #: answers (P included, "don't know" not); 0 on the diagonal


class AggregatedMatrices(TypedDict):
    """The result of :func:`aggregate`."""

    parameters: AggregationParameters
    factors: list[str]
    experts: list[str]
    matrix: list[list[float]]  #: the aggregated direct matrix
    potential_matrix: list[list[float]]  #: P cells counted as ``potential_weight``
    dispersion: Dispersion
    unanswered_cells: list[list[str]]  #: ``[row code, column code]`` of cells nobody answered


def aggregate(
    scores: ArrayLike | Sequence[ArrayLike],
    factors: Sequence[str],
    *,
    potential: ArrayLike | Sequence[ArrayLike] | None = None,
    experts: Sequence[str] | None = None,
    aggregation: Aggregation = "mean",
    potential_weight: float = 3.0,
) -> AggregatedMatrices:
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
    AggregatedMatrices
        The aggregated direct and potential matrices, the dispersion of the answers
        of every cell and the cells nobody answered.

    Raises
    ------
    MethodInputError
        On malformed codes, shapes, scores out of 0-3, or a cell marked both
        ``P`` and with a non-zero score.

    References
    ----------
    .. [1] Godet, M. (1994). *From Anticipation to Action*, chapter 4. UNESCO.
    """
    check_aggregation(aggregation)
    weight = check_weight(potential_weight)
    s, p, codes, labels = validate(scores, factors, potential, experts)
    matrix, pmatrix, dispersion, n_answers = aggregate_arrays(s, p, aggregation, weight)
    return {
        "parameters": {"aggregation": aggregation, "potential_weight": weight},
        "factors": codes,
        "experts": labels,
        "matrix": nested(matrix),
        "potential_matrix": nested(pmatrix),
        "dispersion": dispersion,
        "unanswered_cells": unanswered_cells(codes, n_answers),
    }


def unanswered_cells(codes: list[str], n_answers: IntArray) -> list[list[str]]:
    """``[row code, column code]`` of the off-diagonal cells with no answer."""
    off = ~np.eye(len(codes), dtype=bool)
    return [[codes[int(i)], codes[int(j)]] for i, j in np.argwhere((n_answers == 0) & off)]
