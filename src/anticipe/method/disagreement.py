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

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from anticipe.method.concordance import kendall_w
from anticipe.method.errors import MethodInputError
from anticipe.method.structural_analysis import (
    QUADRANTS,
    STOP_REASONS,
    Aggregation,
    SelectionBasis,
    SelectionOrder,
    _analyse_arrays,
    _cell_values,
    _check_analysis_options,
    _check_int,
    _indirect_batch,
    _quadrants,
    _ranks,
    _select_batch,
    _validate,
)

__all__ = ["bootstrap_experts", "expert_concordance", "leave_one_expert_out"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_MAX_LEVELS = 16
_CHUNK_CELLS = 2_000_000  # resamples x n x n cells handled at once


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


def _resampled_matrices(
    idx: IntArray,
    values: FloatArray,
    filled: FloatArray,
    answered: FloatArray,
    aggregation: str,
    n: int,
) -> FloatArray:
    """Aggregated matrices of a block of resamples (``idx``: resamples x experts).

    ``values`` is experts x cells with NaN where unanswered, ``filled`` the same
    with 0 there, ``answered`` 1.0 / 0.0.
    """
    b, e = idx.shape
    flat = (idx + e * np.arange(b)[:, None]).ravel()
    weights = np.bincount(flat, minlength=b * e).reshape(b, e).astype(np.float64)
    if aggregation == "mean":
        num = weights @ filled
        den = weights @ answered
        out = np.divide(num, den, out=np.zeros(num.shape), where=den > 0)
    else:
        finite = values[~np.isnan(values)]
        levels = np.unique(finite)
        if levels.size <= _MAX_LEVELS:
            out = _median_by_levels(weights, values, answered, levels)
        else:
            out = _median_by_gather(idx, values)
    return np.asarray(out.reshape(b, n, n), dtype=np.float64)


def _planes_batch(
    matrices: FloatArray, max_power: int, stable_powers: int
) -> dict[str, NDArray[Any]]:
    """Direct and indirect values, ranks and quadrants of a stack of matrices."""
    r = matrices.sum(axis=2)
    c = matrices.sum(axis=1)
    total = r.sum(axis=1, keepdims=True)
    vi, vd, _, reason, _, _ = _indirect_batch(matrices, max_power, stable_powers)
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
) -> dict[str, Any]:
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
    dict
        - ``parameters``: the options above (``seed``, ``n_resamples``,
          ``rank_interval``, ``aggregation``, ``potential_weight``,
          ``max_power``, ``stable_powers``, ``selection_basis``,
          ``selection_order``, ``target_count``) and ``borderline_tolerance``
          (unused here, recorded as None);
        - ``factors``, ``experts``;
        - ``quadrant_probability``: ``{"direct": {code: {quadrant: p}},
          "indirect": {...}}`` (plus ``"potential_direct"`` or
          ``"potential_indirect"`` when that is the selection basis);
        - ``selection_probability``: code -> share of resamples in which the
          factor is selected;
        - ``rank_intervals``: ``{"direct_influence", "direct_dependence",
          "indirect_influence", "indirect_dependence"}`` -> code ->
          ``{"low": int, "median": float, "high": int}``;
        - ``stop_reasons``: stop reason -> number of resamples (indirect
          classification of the actual matrix).

    References
    ----------
    .. [1] Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the
       Bootstrap*. Chapman & Hall.
    """
    params = _check_analysis_options(
        aggregation,
        potential_weight,
        max_power,
        stable_powers,
        0.0,
        selection_basis,
        selection_order,
        target_count,
    )
    params["borderline_tolerance"] = None
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
    s, p, codes, labels = _validate(scores, factors, potential, experts)
    e, n = s.shape[0], len(codes)
    direct_v, pot_v, answered = _cell_values(s, p, params["potential_weight"])
    d_vals = direct_v.reshape(e, n * n)
    p_vals = pot_v.reshape(e, n * n)
    ans = answered.reshape(e, n * n).astype(np.float64)
    d_fill = np.nan_to_num(d_vals)
    p_fill = np.nan_to_num(p_vals)
    use_potential = selection_basis.startswith("potential")

    rng = np.random.default_rng(int(seed))
    draws = rng.integers(0, e, size=(n_resamples, e))
    chunk = max(1, _CHUNK_CELLS // (n * n))
    keys = [
        "direct_influence",
        "direct_dependence",
        "indirect_influence",
        "indirect_dependence",
    ]
    ranks = {k: np.zeros((n_resamples, n), dtype=np.int64) for k in keys}
    planes = ["direct", "indirect"]
    if use_potential:
        planes.append(selection_basis)
    quads = {k: np.zeros((n_resamples, n), dtype=np.int64) for k in planes}
    selected = np.zeros((n_resamples, n), dtype=bool)
    reasons = np.zeros(n_resamples, dtype=np.int64)
    done = 0
    while done < n_resamples:
        stop = min(n_resamples, done + chunk)
        idx = draws[done:stop]
        mats = _resampled_matrices(idx, d_vals, d_fill, ans, params["aggregation"], n)
        res = _planes_batch(mats, params["max_power"], params["stable_powers"])
        for k in keys:
            ranks[k][done:stop] = _ranks(res[k])
        quads["direct"][done:stop] = res["direct_quadrant"]
        quads["indirect"][done:stop] = res["indirect_quadrant"]
        reasons[done:stop] = res["reason"]
        basis: str = selection_basis
        if use_potential:
            pmats = _resampled_matrices(idx, p_vals, p_fill, ans, params["aggregation"], n)
            res = _planes_batch(pmats, params["max_power"], params["stable_powers"])
            basis = selection_basis.removeprefix("potential_")
            quads[selection_basis][done:stop] = res[f"{basis}_quadrant"]
        sel, _ = _select_batch(
            res[f"{basis}_influence"],
            res[f"{basis}_dependence"],
            res[f"{basis}_quadrant"],
            params["selection_order"],
            params["target_count"],
        )
        selected[done:stop] = sel
        done = stop
        if progress is not None:
            progress(done, n_resamples)

    def interval(r: IntArray) -> dict[str, dict[str, float | int]]:
        low = np.percentile(r, lo_pct, axis=0, method="lower")
        high = np.percentile(r, hi_pct, axis=0, method="higher")
        mid = np.median(r, axis=0)
        return {
            c: {"low": int(low[j]), "median": float(mid[j]), "high": int(high[j])}
            for j, c in enumerate(codes)
        }

    params.update(
        {"seed": int(seed), "n_resamples": n_resamples, "rank_interval": [lo_pct, hi_pct]}
    )
    return {
        "parameters": params,
        "factors": codes,
        "experts": labels,
        "quadrant_probability": {
            plane: {
                c: {q: float(np.mean(quads[plane][:, j] == k)) for k, q in enumerate(QUADRANTS)}
                for j, c in enumerate(codes)
            }
            for plane in planes
        },
        "selection_probability": {c: float(np.mean(selected[:, j])) for j, c in enumerate(codes)},
        "rank_intervals": {k: interval(ranks[k]) for k in keys},
        "stop_reasons": {
            reason: int(np.sum(reasons == k)) for k, reason in enumerate(STOP_REASONS)
        },
    }


_RANK_KEYS = (
    ("direct", "influence_rank", "direct_influence"),
    ("direct", "dependence_rank", "direct_dependence"),
    ("indirect", "influence_rank", "indirect_influence"),
    ("indirect", "dependence_rank", "indirect_dependence"),
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
) -> dict[str, Any]:
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
    dict
        - ``parameters``: the options above;
        - ``factors``, ``experts``;
        - ``full``: ``{"selected": [codes], "quadrant": {"direct": {code:
          quadrant}, "indirect": {...}}}`` with every expert;
        - ``by_expert``: one entry per expert, in order: ``expert`` (label),
          ``selected`` (codes), ``selection_dropped`` and ``selection_added``
          (codes, compared with ``full``), ``quadrant_changes``
          (``{"direct": [...], "indirect": [...]}``, each item ``{"code",
          "from", "to"}``), ``rank_shifts`` (code -> ``{"direct_influence",
          "direct_dependence", "indirect_influence", "indirect_dependence"}``:
          full rank minus rank without the expert, positive = moves up without
          them), ``max_abs_rank_shift`` (int) and ``stop_reason`` (indirect);
        - ``selection_changed_by``: labels of the experts whose absence changes
          the selection.

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
    s, p, codes, labels = _validate(scores, factors, potential, experts)
    e = s.shape[0]
    if e < 2:
        raise MethodInputError(f"leaving one expert out needs at least two experts, got {e}")
    full = _analyse_arrays(s, p, codes, labels, params)
    full_sel = full["selection"]["selected"]
    by_expert: list[dict[str, Any]] = []
    changed_by: list[str] = []
    for k in range(e):
        keep = np.arange(e) != k
        res = _analyse_arrays(s[keep], p[keep], codes, labels[:k] + labels[k + 1 :], params)
        sel = res["selection"]["selected"]
        shifts = {
            c: {
                name: int(full[plane][key][c] - res[plane][key][c])
                for plane, key, name in _RANK_KEYS
            }
            for c in codes
        }
        entry = {
            "expert": labels[k],
            "selected": sel,
            "selection_dropped": [c for c in full_sel if c not in sel],
            "selection_added": [c for c in sel if c not in full_sel],
            "quadrant_changes": {
                plane: [
                    {"code": c, "from": full[plane]["quadrant"][c], "to": res[plane]["quadrant"][c]}
                    for c in codes
                    if full[plane]["quadrant"][c] != res[plane]["quadrant"][c]
                ]
                for plane in ("direct", "indirect")
            },
            "rank_shifts": shifts,
            "max_abs_rank_shift": max(abs(v) for d in shifts.values() for v in d.values()),
            "stop_reason": res["indirect"]["stop_reason"],
        }
        if entry["selection_dropped"] or entry["selection_added"]:
            changed_by.append(labels[k])
        by_expert.append(entry)
        if progress is not None:
            progress(k + 1, e)
    return {
        "parameters": params,
        "factors": codes,
        "experts": labels,
        "full": {
            "selected": full_sel,
            "quadrant": {
                "direct": full["direct"]["quadrant"],
                "indirect": full["indirect"]["quadrant"],
            },
        },
        "by_expert": by_expert,
        "selection_changed_by": changed_by,
    }


def expert_concordance(
    scores: ArrayLike | Sequence[ArrayLike],
    factors: Sequence[str],
    *,
    potential: ArrayLike | Sequence[ArrayLike] | None = None,
    experts: Sequence[str] | None = None,
) -> dict[str, Any]:
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
    dict
        ``parameters`` (``measure``), ``factors``, ``experts``, ``influence``
        (expert label -> code -> float, None for an unanswered row),
        ``included_experts`` and ``excluded_experts`` (lists of labels), and
        ``kendall``: the result of
        :func:`anticipe.method.concordance.kendall_w` on the included experts
        (its ``w`` is None when fewer than two experts remain).

    References
    ----------
    .. [1] Kendall, M. G. & Babington Smith, B. (1939). The problem of m
       rankings. *The Annals of Mathematical Statistics*, 10(3), 275-287.
    """
    s, p, codes, labels = _validate(scores, factors, potential, experts)
    n = len(codes)
    direct_v, _, answered = _cell_values(s, p, 0.0)
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
