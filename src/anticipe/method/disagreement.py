"""How much the structural analysis depends on which experts answered.

Three views of the panel's disagreement on the influence matrices (step 3):

- :func:`bootstrap_experts`: resample the experts with replacement and redo
  the whole MICMAC classification for every resample, giving for each factor
  the probability of each quadrant, the probability of being selected as a
  key factor and intervals of its ranks;
- :func:`leave_one_expert_out`: redo the analysis without each expert in turn
  and show what changes (quadrants, selection, ranks);
- :func:`expert_concordance`: Kendall's W over the experts' own rankings of
  the factors by direct influence.

The per-cell dispersion of the answers (interquartile range, share of experts
scoring at least 1, number of answers) is part of
:func:`anticipe.method.structural_analysis.aggregate`.

References
----------
.. [1] Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the
   Bootstrap*, chapters 6 and 13. Chapman & Hall.
.. [2] Godet, M. (1994). *From Anticipation to Action*, chapter 4. UNESCO.
.. [3] Kendall, M. G. & Babington Smith, B. (1939). The problem of m rankings.
   *The Annals of Mathematical Statistics*, 10(3), 275-287.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypedDict

import numpy as np
from numpy.typing import ArrayLike, NDArray

from anticipe.method.aggregation import Aggregation, cell_values, validate
from anticipe.method.concordance import KendallW, kendall_w
from anticipe.method.errors import MethodInputError
from anticipe.method.indirect_influence import STOP_REASONS, indirect_batch, ranks
from anticipe.method.structural_analysis import (
    QUADRANTS,
    AnalysisParameters,
    SelectionBasis,
    SelectionOrder,
    StructuralAnalysis,
    _analyse_arrays,
    _check_analysis_options,
    _check_int,
    _quadrants,
    _select_batch,
)

__all__ = [
    "Bootstrap",
    "BootstrapParameters",
    "ExpertConcordance",
    "ExpertLeftOut",
    "LeaveOneOut",
    "QuadrantChange",
    "RankInterval",
    "RankIntervals",
    "RankShift",
    "bootstrap_experts",
    "expert_concordance",
    "leave_one_expert_out",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_MAX_LEVELS = 16
_CHUNK_CELLS = 8_000_000  # resamples x n x n cells handled at once
_MAX_TABLE = 1 << 18  # codes of the table of means (2 MB: in cache), else they are split
_DECODE_CELLS = 500_000  # cells of the packed sums decoded at once (a few MB: in cache)

#: The four rank distributions of the bootstrap and the rank shifts of leave-one-out:
#: (plane, key of the plane's ranks, name in the result).
_RANK_KEYS = (
    ("direct", "influence_rank", "direct_influence"),
    ("direct", "dependence_rank", "direct_dependence"),
    ("indirect", "influence_rank", "indirect_influence"),
    ("indirect", "dependence_rank", "indirect_dependence"),
)


class BootstrapParameters(TypedDict):
    """The options of :func:`bootstrap_experts` (its ``parameters``)."""

    aggregation: str
    potential_weight: float
    max_power: int
    stable_powers: int
    borderline_tolerance: None  #: unused by the bootstrap, recorded as None
    selection_basis: str
    selection_order: str
    target_count: int | None
    seed: int
    n_resamples: int
    rank_interval: list[float]  #: the low and high percentiles


class RankInterval(TypedDict):
    """The spread of one factor's rank over the resamples."""

    low: int  #: the low percentile, rounded down to an observed rank
    median: float
    high: int  #: the high percentile, rounded up to an observed rank


class RankIntervals(TypedDict):
    """Each rank's interval, code -> :class:`RankInterval`."""

    direct_influence: dict[str, RankInterval]
    direct_dependence: dict[str, RankInterval]
    indirect_influence: dict[str, RankInterval]
    indirect_dependence: dict[str, RankInterval]


class Bootstrap(TypedDict):
    """The result of :func:`bootstrap_experts`."""

    parameters: BootstrapParameters
    factors: list[str]
    experts: list[str]
    #: plane -> code -> quadrant -> share of resamples: "direct", "indirect" and, when
    #: it is the selection basis, "potential_direct" or "potential_indirect"
    quadrant_probability: dict[str, dict[str, dict[str, float]]]
    selection_probability: dict[str, float]  #: code -> share of resamples selecting it
    rank_intervals: RankIntervals
    stop_reasons: dict[str, int]  #: stop reason -> resamples (indirect, actual matrix)


#: A factor whose quadrant changes without an expert ("from" is a Python keyword).
QuadrantChange = TypedDict("QuadrantChange", {"code": str, "from": str, "to": str})


class QuadrantChanges(TypedDict):
    """The quadrant changes in the direct and the indirect plane."""

    direct: list[QuadrantChange]
    indirect: list[QuadrantChange]


class RankShift(TypedDict):
    """Full rank minus the rank without the expert (positive: moves up without them)."""

    direct_influence: int
    direct_dependence: int
    indirect_influence: int
    indirect_dependence: int


class ExpertLeftOut(TypedDict):
    """What changes without one expert (``by_expert`` of :func:`leave_one_expert_out`)."""

    expert: str
    selected: list[str]
    selection_dropped: list[str]  #: selected with every expert, not without this one
    selection_added: list[str]  #: selected without this expert only
    quadrant_changes: QuadrantChanges
    rank_shifts: dict[str, RankShift]  #: code -> shifts
    max_abs_rank_shift: int
    stop_reason: str  #: of the indirect classification without the expert


class PlaneQuadrants(TypedDict):
    """Code -> quadrant in the direct and the indirect plane."""

    direct: dict[str, str]
    indirect: dict[str, str]


class FullPanel(TypedDict):
    """The selection and the quadrants with every expert."""

    selected: list[str]
    quadrant: PlaneQuadrants


class LeaveOneOut(TypedDict):
    """The result of :func:`leave_one_expert_out`."""

    parameters: AnalysisParameters
    factors: list[str]
    experts: list[str]
    full: FullPanel
    by_expert: list[ExpertLeftOut]  #: one per expert, in order
    selection_changed_by: list[str]  #: experts whose absence changes the selection


class ExpertConcordanceParameters(TypedDict):
    """How :func:`expert_concordance` measured each expert's influence."""

    measure: str


class ExpertConcordance(TypedDict):
    """The result of :func:`expert_concordance`."""

    parameters: ExpertConcordanceParameters
    factors: list[str]
    experts: list[str]
    influence: dict[str, dict[str, float | None]]  #: expert -> code -> (None: row unanswered)
    included_experts: list[str]
    excluded_experts: list[str]
    kendall: KendallW  #: over the included experts


def _median_by_levels(
    weights: FloatArray, values: FloatArray, answered: FloatArray, levels: FloatArray
) -> FloatArray:
    """Weighted median of few distinct values: counts per level, then the middle.

    ``weights`` is resamples x experts (how many times each expert is drawn),
    ``values`` experts x cells (NaN where unanswered). Matches ``nanmedian``
    (the mean of the two middle answers for an even number of answers).
    """
    total = weights @ answered
    cum = np.zeros(total.shape)
    lo_val = np.zeros(total.shape)
    hi_val = np.zeros(total.shape)
    lo_pos = np.floor((total - 1) / 2)
    hi_pos = np.floor(total / 2)
    lo_found = np.zeros(total.shape, dtype=bool)
    hi_found = np.zeros(total.shape, dtype=bool)
    for level in levels:
        cum = cum + weights @ (values == level).astype(np.float64)
        lo_new = ~lo_found & (cum > lo_pos)
        hi_new = ~hi_found & (cum > hi_pos)
        lo_val[lo_new] = level
        hi_val[hi_new] = level
        lo_found |= lo_new
        hi_found |= hi_new
    return np.where(total > 0, (lo_val + hi_val) / 2.0, 0.0)


def _median_by_gather(idx: IntArray, values: FloatArray) -> FloatArray:
    gathered = values[idx]  # resamples x experts x cells
    has = ~np.all(np.isnan(gathered), axis=1)
    out = np.zeros((idx.shape[0], values.shape[1]))
    if has.any():
        filled = np.where(np.isnan(gathered), np.inf, gathered)
        # nanmedian without warnings: sort with NaN as +inf, pick the middle answers
        srt = np.sort(filled, axis=1)
        count = (~np.isnan(gathered)).sum(axis=1)
        lo = np.clip((count - 1) // 2, 0, None)[:, None, :]
        hi = (count // 2)[:, None, :]
        lo_v = np.take_along_axis(srt, lo, axis=1)[:, 0, :]
        hi_v = np.take_along_axis(srt, np.minimum(hi, idx.shape[1] - 1), axis=1)[:, 0, :]
        out = np.where(has, (lo_v + hi_v) / 2.0, 0.0)
    return out


class _Resampled(NamedTuple):
    """The aggregated matrices of a block of resamples (``b x n x n``), with their row
    sums (direct influence) and column sums (direct dependence)."""

    matrices: FloatArray
    rows: FloatArray
    columns: FloatArray


class _Workspace:
    """The arrays of the packed means, allocated once for every block of resamples: a new
    array of tens of MB for each block costs as much in page faults as filling it."""

    def __init__(self, resamples: int, n: int) -> None:
        self.products = np.empty((resamples, n * n), dtype=np.float32)
        self.matrices = np.empty((resamples, n, n))


def _resampled_matrices(
    idx: IntArray,
    plane: _PlaneCells,
    cells: _Cells,
    aggregation: str,
    workspace: _Workspace | None = None,
) -> _Resampled:
    """Aggregated matrices of a block of resamples (``idx``: resamples x experts).

    ``plane`` holds the experts' values (experts x cells, NaN where unanswered),
    one of ``cells``' planes. The packed means are written in ``workspace`` when
    given (the matrices returned are then its arrays, until the next block).
    """
    b, e = idx.shape
    n = cells.n
    flat = (idx + e * np.arange(b)[:, None]).ravel()
    counts = np.bincount(flat, minlength=b * e).reshape(b, e)
    if aggregation == "mean" and plane.packed is not None:
        workspace = workspace or _Workspace(b, n)
        return _mean_from_packed(counts, plane.packed, plane.scale, workspace)
    if aggregation == "mean":
        weights = counts.astype(np.float64)
        num = weights @ plane.filled
        den = weights @ cells.answered
        out = np.divide(num, den, out=np.zeros(num.shape), where=den > 0)
    else:
        weights = counts.astype(np.float64)
        finite = plane.values[~np.isnan(plane.values)]
        levels = np.unique(finite)
        if levels.size <= _MAX_LEVELS:
            out = _median_by_levels(weights, plane.values, cells.answered, levels)
        else:
            out = _median_by_gather(idx, plane.values)
    matrices = np.asarray(out.reshape(b, n, n), dtype=np.float64)
    return _Resampled(matrices, matrices.sum(axis=2), matrices.sum(axis=1))


def _mean_from_packed(
    counts: IntArray, packed: NDArray[np.float32], scale: int, workspace: _Workspace
) -> _Resampled:
    """The mean of each cell over a block of resamples, from one float32 product.

    ``packed`` is ``value + scale * answered`` per expert and cell, whole
    numbers with ``scale`` a power of two above any resample's sum of values:
    the product by the draw counts gives ``sum + scale * answers`` exactly
    (every partial sum is a whole number below 2^24). That code indexes a
    table of the means (:func:`_mean_table`, the float64 division of the sum
    by the number of answers, 0 without any), so the mean is the same to the
    last bit as the float64 products', at a quarter of the memory traffic.
    The matrices are decoded a few at a time, and summed while in the cache.
    """
    b = counts.shape[0]
    products = np.matmul(counts.astype(np.float32), packed, out=workspace.products[:b])
    draws = int(counts.sum(axis=1).max(initial=0))
    table = _mean_table(scale, draws) if scale * (draws + 1) <= _MAX_TABLE else None
    step = max(1, _DECODE_CELLS // packed.shape[1])
    out = workspace.matrices[:b]
    n = out.shape[1]
    rows, columns = np.empty((b, n)), np.empty((b, n))
    for start in range(0, b, step):  # in pieces that stay in cache
        piece = out[start : start + step]
        codes = products[start : start + step].astype(np.intp).reshape(piece.shape)
        if table is not None:
            np.take(table, codes, out=piece, mode="clip")
        else:  # a table too large to stay in the cache: split the codes
            answers = np.maximum(codes // scale, 1)  # no answer: the sum is 0, the mean 0
            np.divide(codes % scale, answers, out=piece, dtype=np.float64)
        piece.sum(axis=2, out=rows[start : start + step])
        piece.sum(axis=1, out=columns[start : start + step])
    return _Resampled(out, rows, columns)


def _mean_table(scale: int, draws: int) -> FloatArray:
    """Mean of every ``sum + scale * answers`` code (answers up to ``draws``)."""
    code = np.arange(scale * (draws + 1), dtype=np.int64)
    answers = np.maximum(code // scale, 1)  # no answer: the sum is 0, the mean 0
    return np.asarray(np.divide(code % scale, answers, dtype=np.float64))


def _planes_batch(
    resampled: _Resampled, max_power: int, stable_powers: int
) -> dict[str, NDArray[Any]]:
    """Direct and indirect values, ranks and quadrants of a stack of matrices."""
    matrices, r, c = resampled
    total = r.sum(axis=1, keepdims=True)
    vi, vd, _, reason, _, _ = indirect_batch(matrices, max_power, stable_powers, (r, c))
    vi, vd = vi * total, vd * total
    qd, _, _ = _quadrants(r, c)
    qi, _, _ = _quadrants(vi, vd)
    return {
        "direct_influence": r,
        "direct_dependence": c,
        "indirect_influence": vi,
        "indirect_dependence": vd,
        "direct_quadrant": qd,
        "indirect_quadrant": qi,
        "reason": reason,
    }


def bootstrap_experts(
    scores: ArrayLike | Sequence[ArrayLike],
    factors: Sequence[str],
    *,
    seed: int,
    n_resamples: int = 1000,
    potential: ArrayLike | Sequence[ArrayLike] | None = None,
    experts: Sequence[str] | None = None,
    aggregation: Aggregation = "mean",
    potential_weight: float = 3.0,
    max_power: int = 30,
    stable_powers: int = 2,
    selection_basis: SelectionBasis = "direct",
    selection_order: SelectionOrder = "influence_minus_dependence",
    target_count: int | None = None,
    rank_interval: tuple[float, float] = (5.0, 95.0),
    progress: Callable[[int, int], None] | None = None,
) -> Bootstrap:
    """Bootstrap over experts: how stable the classification and the selection are.

    Each resample draws as many experts as the panel has, with replacement,
    aggregates their matrices and classifies the factors exactly as
    :func:`anticipe.method.structural_analysis.structural_analysis` does with
    the same options.

    Parameters
    ----------
    scores, factors, potential, experts, aggregation, potential_weight
        As in :func:`anticipe.method.structural_analysis.aggregate`.
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same
        result.
    n_resamples : int, default 1000
        Number of bootstrap resamples.
    max_power, stable_powers, selection_basis, selection_order, target_count
        As in :func:`anticipe.method.structural_analysis.structural_analysis`.
    rank_interval : (float, float), default (5.0, 95.0)
        Percentiles of the rank distributions reported; the low bound is
        rounded down and the high bound up to an observed rank.
    progress : callable, optional
        Called as ``progress(done, total)`` with numbers of resamples.

    Returns
    -------
    Bootstrap
        For each factor, the probability of each quadrant and of being selected,
        and the intervals of its ranks; the stop reasons of the resamples.

    References
    ----------
    .. [1] Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the
       Bootstrap*. Chapman & Hall.
    """
    params = _bootstrap_parameters(
        aggregation,
        potential_weight,
        max_power,
        stable_powers,
        selection_basis,
        selection_order,
        target_count,
        seed,
        n_resamples,
        rank_interval,
    )
    s, p, codes, labels = validate(scores, factors, potential, experts)
    cells = _Cells.of(
        s, p, params["potential_weight"], with_potential=selection_basis.startswith("potential")
    )
    draws = np.random.default_rng(int(seed)).integers(0, s.shape[0], size=(n_resamples, s.shape[0]))
    outcome = _resample(cells, draws, params, selection_basis, progress)
    return _bootstrap_result(params, codes, labels, outcome)


def _bootstrap_result(
    params: BootstrapParameters, codes: list[str], labels: list[str], outcome: _Outcome
) -> Bootstrap:
    lo_pct, hi_pct = params["rank_interval"]

    def interval(r: IntArray) -> dict[str, RankInterval]:
        low = np.percentile(r, lo_pct, axis=0, method="lower")
        high = np.percentile(r, hi_pct, axis=0, method="higher")
        mid = np.median(r, axis=0)
        return {
            c: {"low": int(low[j]), "median": float(mid[j]), "high": int(high[j])}
            for j, c in enumerate(codes)
        }

    return {
        "parameters": params,
        "factors": codes,
        "experts": labels,
        "quadrant_probability": {
            plane: {
                c: {q: float(np.mean(quads[:, j] == k)) for k, q in enumerate(QUADRANTS)}
                for j, c in enumerate(codes)
            }
            for plane, quads in outcome.quadrants.items()
        },
        "selection_probability": {
            c: float(np.mean(outcome.selected[:, j])) for j, c in enumerate(codes)
        },
        "rank_intervals": {
            "direct_influence": interval(outcome.ranks["direct_influence"]),
            "direct_dependence": interval(outcome.ranks["direct_dependence"]),
            "indirect_influence": interval(outcome.ranks["indirect_influence"]),
            "indirect_dependence": interval(outcome.ranks["indirect_dependence"]),
        },
        "stop_reasons": {
            reason: int(np.sum(outcome.reasons == k)) for k, reason in enumerate(STOP_REASONS)
        },
    }


def _bootstrap_parameters(
    aggregation: Aggregation,
    potential_weight: float,
    max_power: int,
    stable_powers: int,
    selection_basis: SelectionBasis,
    selection_order: SelectionOrder,
    target_count: int | None,
    seed: int,
    n_resamples: int,
    rank_interval: tuple[float, float],
) -> BootstrapParameters:
    """The checked options of the bootstrap, as recorded in its result."""
    options = _check_analysis_options(
        aggregation,
        potential_weight,
        max_power,
        stable_powers,
        0.0,
        selection_basis,
        selection_order,
        target_count,
    )
    n_resamples = _check_int(n_resamples, "the number of resamples", 1)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise MethodInputError(f"the seed must be an integer, got {seed!r}")
    try:
        lo_pct, hi_pct = (float(v) for v in rank_interval)
    except (TypeError, ValueError) as exc:
        raise MethodInputError(
            f"the rank interval must be two percentiles, got {rank_interval!r}"
        ) from exc
    if not 0.0 <= lo_pct <= hi_pct <= 100.0:
        raise MethodInputError(
            f"the rank interval must satisfy 0 <= low <= high <= 100, got {rank_interval!r}"
        )
    return {
        **options,
        "borderline_tolerance": None,
        "seed": int(seed),
        "n_resamples": n_resamples,
        "rank_interval": [lo_pct, hi_pct],
    }


@dataclass(frozen=True)
class _PlaneCells:
    """One plane's answers, experts x cells: values (NaN unanswered), filled (0 there) and,
    when they allow it, packed for :func:`_mean_from_packed` (``scale``: its power of two)."""

    values: FloatArray
    filled: FloatArray
    packed: NDArray[np.float32] | None
    scale: int

    @classmethod
    def of(cls, values: FloatArray, answered: NDArray[np.bool_]) -> _PlaneCells:
        filled = np.where(answered, values, 0.0)
        e = values.shape[0]
        top = float(filled.max(initial=0.0))
        scale = 1 << math.ceil(math.log2(top * e + 1.0))
        whole = bool(filled.min(initial=0.0) >= 0.0) and np.array_equal(filled, np.floor(filled))
        if not whole or scale * (e + 1) > 1 << 24:
            return cls(values, filled, None, scale)
        packed = filled.astype(np.float32)
        packed += answered * np.float32(scale)
        return cls(values, filled, packed, scale)


@dataclass(frozen=True)
class _Cells:
    """The experts' answers: the direct plane's cells, the potential plane's (when the
    selection is on a potential plane), which cells are answered, experts x cells."""

    direct: _PlaneCells
    potential: _PlaneCells | None
    answers: NDArray[np.bool_]
    n: int  # factors

    @functools.cached_property
    def answered(self) -> FloatArray:
        """1.0 / 0.0 where answered, for the products of the float64 paths (made when
        first needed: the packed means never need it)."""
        return self.answers.astype(np.float64)

    @classmethod
    def of(
        cls, s: FloatArray, p: NDArray[np.bool_], potential_weight: float, with_potential: bool
    ) -> _Cells:
        e, n = s.shape[0], s.shape[1]
        direct_v, pot_v, answered = cell_values(s, p, potential_weight)
        ans = answered.reshape(e, n * n)
        direct = _PlaneCells.of(direct_v.reshape(e, n * n), ans)
        potential = _PlaneCells.of(pot_v.reshape(e, n * n), ans) if with_potential else None
        return cls(direct, potential, ans, n)


@dataclass(frozen=True)
class _Outcome:
    """Per resample: ranks (by rank key), quadrants (by plane), selection, stop reason."""

    ranks: dict[str, IntArray]
    quadrants: dict[str, IntArray]
    selected: NDArray[np.bool_]
    reasons: IntArray


def _resample(
    cells: _Cells,
    draws: IntArray,
    params: BootstrapParameters,
    selection_basis: str,
    progress: Callable[[int, int], None] | None,
) -> _Outcome:
    """Aggregate and classify every resample of experts (``draws``), block by block."""
    n_resamples = draws.shape[0]
    n = cells.n
    use_potential = selection_basis.startswith("potential")
    planes = ["direct", "indirect", *([selection_basis] if use_potential else [])]
    out = _Outcome(
        {name: np.zeros((n_resamples, n), dtype=np.int64) for _, _, name in _RANK_KEYS},
        {plane: np.zeros((n_resamples, n), dtype=np.int64) for plane in planes},
        np.zeros((n_resamples, n), dtype=bool),
        np.zeros(n_resamples, dtype=np.int64),
    )
    chunk = max(1, _CHUNK_CELLS // (n * n))
    workspace = _Workspace(min(chunk, n_resamples), n)
    for done in range(0, n_resamples, chunk):
        stop = min(n_resamples, done + chunk)
        _classify_block(cells, draws[done:stop], done, params, selection_basis, out, workspace)
        if progress is not None:
            progress(stop, n_resamples)
    return out


def _classify_block(
    cells: _Cells,
    idx: IntArray,
    done: int,
    params: BootstrapParameters,
    selection_basis: str,
    out: _Outcome,
    workspace: _Workspace,
) -> None:
    """Aggregate and classify a block of resamples (``idx``) into ``out``'s rows from
    ``done`` on."""
    stop = done + idx.shape[0]
    aggregation = params["aggregation"]
    powers = (params["max_power"], params["stable_powers"])
    mats = _resampled_matrices(idx, cells.direct, cells, aggregation, workspace)
    res = _planes_batch(mats, *powers)
    for name in out.ranks:
        out.ranks[name][done:stop] = ranks(res[name])
    out.quadrants["direct"][done:stop] = res["direct_quadrant"]
    out.quadrants["indirect"][done:stop] = res["indirect_quadrant"]
    out.reasons[done:stop] = res["reason"]
    basis: str = selection_basis
    if cells.potential is not None:
        pmats = _resampled_matrices(idx, cells.potential, cells, aggregation, workspace)
        res = _planes_batch(pmats, *powers)
        basis = selection_basis.removeprefix("potential_")
        out.quadrants[selection_basis][done:stop] = res[f"{basis}_quadrant"]
    out.selected[done:stop], _ = _select_batch(
        res[f"{basis}_influence"],
        res[f"{basis}_dependence"],
        res[f"{basis}_quadrant"],
        params["selection_order"],
        params["target_count"],
    )


def leave_one_expert_out(
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
    progress: Callable[[int, int], None] | None = None,
) -> LeaveOneOut:
    """Redo the structural analysis without each expert in turn.

    Parameters
    ----------
    scores, factors, potential, experts, aggregation, potential_weight,
    max_power, stable_powers, borderline_tolerance, selection_basis,
    selection_order, target_count
        As in :func:`anticipe.method.structural_analysis.structural_analysis`.
    progress : callable, optional
        Called as ``progress(done, total)`` with numbers of experts.

    Returns
    -------
    LeaveOneOut
        The selection and quadrants with every expert, and for each expert what
        changes without them (selection, quadrants, rank shifts).

    Raises
    ------
    MethodInputError
        On invalid input, or fewer than two experts.
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
    s, p, codes, labels = validate(scores, factors, potential, experts)
    e = s.shape[0]
    if e < 2:
        raise MethodInputError(f"leaving one expert out needs at least two experts, got {e}")
    full = _analyse_arrays(s, p, codes, labels, params)
    by_expert: list[ExpertLeftOut] = []
    for k in range(e):
        keep = np.arange(e) != k
        without = _analyse_arrays(s[keep], p[keep], codes, labels[:k] + labels[k + 1 :], params)
        by_expert.append(_compare(labels[k], codes, full, without))
        if progress is not None:
            progress(k + 1, e)
    return {
        "parameters": params,
        "factors": codes,
        "experts": labels,
        "full": {
            "selected": full["selection"]["selected"],
            "quadrant": {
                "direct": full["direct"]["quadrant"],
                "indirect": full["indirect"]["quadrant"],
            },
        },
        "by_expert": by_expert,
        "selection_changed_by": [
            entry["expert"]
            for entry in by_expert
            if entry["selection_dropped"] or entry["selection_added"]
        ],
    }


def _compare(
    expert: str, codes: list[str], full: StructuralAnalysis, without: StructuralAnalysis
) -> ExpertLeftOut:
    """What changes from the ``full`` analysis to the one ``without`` the expert."""
    full_sel = full["selection"]["selected"]
    sel = without["selection"]["selected"]
    shifts: dict[str, RankShift] = {
        c: {
            "direct_influence": full["direct"]["influence_rank"][c]
            - without["direct"]["influence_rank"][c],
            "direct_dependence": full["direct"]["dependence_rank"][c]
            - without["direct"]["dependence_rank"][c],
            "indirect_influence": full["indirect"]["influence_rank"][c]
            - without["indirect"]["influence_rank"][c],
            "indirect_dependence": full["indirect"]["dependence_rank"][c]
            - without["indirect"]["dependence_rank"][c],
        }
        for c in codes
    }
    return {
        "expert": expert,
        "selected": sel,
        "selection_dropped": [c for c in full_sel if c not in sel],
        "selection_added": [c for c in sel if c not in full_sel],
        "quadrant_changes": {
            "direct": _quadrant_changes(
                codes, full["direct"]["quadrant"], without["direct"]["quadrant"]
            ),
            "indirect": _quadrant_changes(
                codes, full["indirect"]["quadrant"], without["indirect"]["quadrant"]
            ),
        },
        "rank_shifts": shifts,
        "max_abs_rank_shift": max(
            max(
                abs(d["direct_influence"]),
                abs(d["direct_dependence"]),
                abs(d["indirect_influence"]),
                abs(d["indirect_dependence"]),
            )
            for d in shifts.values()
        ),
        "stop_reason": without["indirect"]["stop_reason"],
    }


def _quadrant_changes(
    codes: list[str], before: dict[str, str], after: dict[str, str]
) -> list[QuadrantChange]:
    return [{"code": c, "from": before[c], "to": after[c]} for c in codes if before[c] != after[c]]


def expert_concordance(
    scores: ArrayLike | Sequence[ArrayLike],
    factors: Sequence[str],
    *,
    potential: ArrayLike | Sequence[ArrayLike] | None = None,
    experts: Sequence[str] | None = None,
) -> ExpertConcordance:
    """Kendall's W over the experts' rankings of the factors by direct influence.

    Each expert's direct influence of a factor is the mean of their answered
    scores in its row times ``n - 1`` (so "don't know" answers neither count
    as 0 nor penalise the row; a ``P`` cell counts as 0). An expert who
    answered no cell of some row cannot rank that factor and is left out.

    Parameters
    ----------
    scores, factors, potential, experts
        As in :func:`anticipe.method.structural_analysis.aggregate`.

    Returns
    -------
    ExpertConcordance
        Each expert's influence per factor, who is included, and Kendall's W
        over the included experts (its ``w`` is None when fewer than two remain).

    References
    ----------
    .. [1] Kendall, M. G. & Babington Smith, B. (1939). The problem of m
       rankings. *The Annals of Mathematical Statistics*, 10(3), 275-287.
    """
    s, p, codes, labels = validate(scores, factors, potential, experts)
    n = len(codes)
    direct_v, _, answered = cell_values(s, p, 0.0)
    count = answered.sum(axis=2)
    total = np.nan_to_num(direct_v).sum(axis=2)
    infl = np.divide(total, count, out=np.full(count.shape, np.nan), where=count > 0) * (n - 1)
    ok = ~np.isnan(infl).any(axis=1)
    included = [labels[i] for i in range(len(labels)) if ok[i]]
    kw = kendall_w(infl[ok], higher_is_better=True, raters=included, items=codes)
    return {
        "parameters": {
            "measure": "direct influence: mean answered score of the row times (n - 1)",
        },
        "factors": codes,
        "experts": labels,
        "influence": {
            labels[i]: {
                c: None if np.isnan(infl[i, j]) else float(infl[i, j]) for j, c in enumerate(codes)
            }
            for i in range(len(labels))
        },
        "included_experts": included,
        "excluded_experts": [labels[i] for i in range(len(labels)) if not ok[i]],
        "kendall": kw,
    }
