"""Kendall's coefficient of concordance W, with the correction for ties.

The panel's agreement on an order of items (change factors in the weighted vote,
for instance) is measured by Kendall's W over ``m`` raters (experts) and ``n``
items. Each rater's scores are turned into ranks (rank 1 = best, tied scores get
the mean of the ranks they occupy, "mid-ranks"); ``R_j`` is the sum of the ranks of
item ``j`` over the raters and ``S = sum_j (R_j - m(n+1)/2)^2``. Then

``W = 12 S / (m^2 (n^3 - n) - m T)``

where ``T = sum_i sum_g (t_g^3 - t_g)`` runs over every group ``g`` of ``t_g`` tied
items in the ranking of rater ``i`` (``T = 0`` without ties, or when the
correction is switched off). ``W`` lies in ``[0, 1]``: 1 when every rater gives
the same order, near 0 when the orders are unrelated.

Significance uses the chi-square approximation ``chi2 = m (n - 1) W`` with
``n - 1`` degrees of freedom (with ties this is Friedman's statistic corrected
for ties). The survival function of the chi-square distribution is computed
here, without scipy, from the regularised upper incomplete gamma function
(:func:`chi2_sf`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypedDict

import numpy as np
from numpy.typing import ArrayLike, NDArray

from anticipe.method.errors import MethodInputError
from anticipe.method.validation import numeric_table, unique_codes

__all__ = [
    "KendallParameters",
    "KendallW",
    "chi2_sf",
    "kendall_w",
    "midranks",
    "rank_rows",
    "regularized_upper_gamma",
]

_EPS = 1e-15
_TINY = 1e-300
_MAX_ITER = 10_000


def regularized_upper_gamma(a: float, x: float) -> float:
    """Regularised upper incomplete gamma function ``Q(a, x) = Γ(a, x) / Γ(a)``.

    Parameters
    ----------
    a : float
        Shape, ``a > 0``.
    x : float
        Lower limit of integration, ``x >= 0`` (``inf`` gives 0).

    Returns
    -------
    float
        ``Q(a, x)`` in ``[0, 1]``.

    Notes
    -----
    For ``x < a + 1`` the power series of the lower function ``P(a, x)`` is summed
    and ``Q = 1 - P``; otherwise the continued fraction of ``Q`` is evaluated with
    the modified Lentz algorithm. Relative accuracy is about ``1e-14``.

    References
    ----------
    .. [1] Abramowitz, M. & Stegun, I. A. (1964). *Handbook of Mathematical
       Functions*, formulas 6.5.29 and 6.5.31. National Bureau of Standards.
    .. [2] Press, W. H., Teukolsky, S. A., Vetterling, W. T. & Flannery, B. P.
       (2007). *Numerical Recipes*, 3rd ed., section 6.2. Cambridge University
       Press.
    """
    _check_positive(a, "the gamma shape")
    edge = _tail_at_edges(x, "the gamma argument")
    if edge is not None:
        return edge
    log_prefactor = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1.0:
        p = _lower_gamma_series(a, x) * math.exp(log_prefactor)
        return min(1.0, max(0.0, 1.0 - p))
    return min(1.0, max(0.0, math.exp(log_prefactor) * _upper_gamma_fraction(a, x)))


def _check_positive(value: float, subject: str) -> None:
    if math.isnan(value) or not value > 0 or math.isinf(value):
        raise MethodInputError(f"{subject} must be positive and finite, got {value!r}")


def _tail_at_edges(x: float, subject: str) -> float | None:
    """An upper-tail probability at ``x = 0`` (1) and ``x = inf`` (0); None elsewhere.

    ``x`` must be a number >= 0 (``subject`` names it in the error)."""
    if math.isnan(x) or x < 0:
        raise MethodInputError(f"{subject} must be >= 0, got {x!r}")
    if x == 0:
        return 1.0
    if math.isinf(x):
        return 0.0
    return None


def _lower_gamma_series(a: float, x: float) -> float:
    """``sum_k x^k / (a (a+1)...(a+k))``: ``P(a, x)`` without its prefactor ``x^a e^-x / Γ(a)``."""
    term = 1.0 / a
    total = term
    for k in range(1, _MAX_ITER):
        term *= x / (a + k)
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total


def _upper_gamma_fraction(a: float, x: float) -> float:
    """The continued fraction ``1/(x+1-a- 1(1-a)/(x+3-a- 2(2-a)/(x+5-a- ...)))`` of
    ``Q(a, x)`` without its prefactor, by the modified Lentz algorithm."""
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, _MAX_ITER):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        if abs(d) < _TINY:
            d = _TINY
        c = b + an / c
        if abs(c) < _TINY:
            c = _TINY
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return h


def chi2_sf(x: float, dof: float) -> float:
    """Survival function ``P(X >= x)`` of the chi-square distribution.

    Parameters
    ----------
    x : float
        The statistic, ``x >= 0``.
    dof : float
        Degrees of freedom, ``dof > 0``.

    Returns
    -------
    float
        The upper-tail probability ``Q(dof/2, x/2)``.

    Notes
    -----
    For integer ``dof`` the closed forms are used (``y = x/2``):
    even ``dof``: ``Q = e^-y sum_{i=0}^{dof/2-1} y^i / i!``;
    odd ``dof``: ``Q = erfc(sqrt(y)) + e^-y sum_{j=1}^{(dof-1)/2} y^(j-1/2) / Γ(j+1/2)``,
    each term computed in log space so large ``x`` and ``dof`` neither overflow nor
    lose precision. Other ``dof`` go through :func:`regularized_upper_gamma`.

    References
    ----------
    .. [1] Abramowitz, M. & Stegun, I. A. (1964). *Handbook of Mathematical
       Functions*, formulas 26.4.4 and 26.4.5. National Bureau of Standards.
    """
    _check_positive(dof, "degrees of freedom")
    edge = _tail_at_edges(x, "a chi-square statistic")
    if edge is not None:
        return edge
    if float(dof).is_integer():
        k = int(dof)
        y = x / 2.0
        if y == 0:  # x so small that x / 2 underflows
            return 1.0
        log_y = math.log(y)
        if k % 2 == 0:
            total = 0.0
            for i in range(k // 2):
                total += math.exp(-y + i * log_y - math.lgamma(i + 1.0))
        else:
            total = math.erfc(math.sqrt(y))
            for j in range(1, (k - 1) // 2 + 1):
                total += math.exp(-y + (j - 0.5) * log_y - math.lgamma(j + 0.5))
        return min(1.0, max(0.0, total))
    return regularized_upper_gamma(dof / 2.0, x / 2.0)


def midranks(values: ArrayLike) -> NDArray[np.float64]:
    """Ranks 1..n of a 1-D array, ascending, ties given the mean of their ranks.

    Parameters
    ----------
    values : array_like
        Finite numbers.

    Returns
    -------
    numpy.ndarray
        Float ranks; the smallest value has rank 1, tied values share the mean
        of the positions they occupy ("mid-ranks").
    """
    v = np.asarray(values, dtype=np.float64)
    n = v.shape[0]
    order = np.argsort(v, kind="stable")
    sorted_v = v[order]
    # start index of each run of equal values
    starts = np.flatnonzero(np.r_[True, sorted_v[1:] != sorted_v[:-1]])
    ends = np.r_[starts[1:], n]
    run_rank = (starts + ends + 1) / 2.0  # mean of positions start+1 .. end
    lengths = ends - starts
    ranks = np.empty(n, dtype=np.float64)
    ranks[order] = np.repeat(run_rank, lengths)
    return ranks


def _tie_term(row: NDArray[np.float64]) -> float:
    """``sum (t^3 - t)`` over the groups of tied values of one row."""
    _, counts = np.unique(row, return_counts=True)
    c = counts.astype(np.float64)
    return float(np.sum(c**3 - c))


def rank_rows(scores: ArrayLike, *, higher_is_better: bool = True) -> NDArray[np.float64]:
    """Rank each row of an ``m x n`` array, rank 1 = best, ties get mid-ranks.

    Parameters
    ----------
    scores : array_like
        ``m x n`` finite numbers, one row per rater.
    higher_is_better : bool, default True
        True: the highest score of a row gets rank 1. False: the lowest value
        gets rank 1 (the values are ranks already, or costs).

    Returns
    -------
    numpy.ndarray
        ``m x n`` float array of ranks.
    """
    x = np.asarray(scores, dtype=np.float64)
    if higher_is_better:
        x = -x
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        out[i] = midranks(x[i])
    return out


def _check_labels(labels: Sequence[str] | None, size: int, what: str) -> list[str]:
    if labels is None:
        return [str(k + 1) for k in range(size)]
    out = [str(label) for label in labels]
    if len(out) != size:
        raise MethodInputError(f"{len(out)} {what} labels given for {size} {what}s")
    return unique_codes(out, what, article=None)


class KendallParameters(TypedDict):
    """How :func:`kendall_w` ranked and tested (its ``parameters``)."""

    higher_is_better: bool
    tie_correction: bool
    ranking: str
    p_value_method: str


class KendallW(TypedDict):
    """The result of :func:`kendall_w`."""

    w: float | None
    chi2: float | None
    dof: int
    p_value: float | None
    m: int
    n: int
    reason: str | None
    rank_sums: list[float]
    mean_ranks: list[float]
    s: float | None
    tie_term: float
    raters_with_ties: int
    tie_correction_applied: bool
    parameters: KendallParameters


def kendall_w(
    scores: ArrayLike,
    *,
    higher_is_better: bool = True,
    tie_correction: bool = True,
    raters: Sequence[str] | None = None,
    items: Sequence[str] | None = None,
) -> KendallW:
    """Kendall's coefficient of concordance W of ``m`` raters over ``n`` items.

    Parameters
    ----------
    scores : array_like
        ``m x n`` array, one row per rater (expert), one column per item
        (factor). Every cell must be a finite number.
    higher_is_better : bool, default True
        True: the values are scores, the highest is the best (rank 1).
        False: the values are ranks (1 = best) or anything where lower is better.
        Either way each row is re-ranked with mid-ranks, so ranks given with
        ties (``1, 2, 2, 4`` or ``1, 2.5, 2.5, 4``) are handled alike. W does not
        depend on this choice; the reported ``mean_ranks`` do.
    tie_correction : bool, default True
        Subtract the tie term ``m T`` from the denominator (Kendall & Babington
        Smith; Siegel & Castellan, formula 9.16). Without it W is biased
        downwards when raters tie items.
    raters, items : sequence of str, optional
        Labels used in error messages (default ``"1"``, ``"2"``, ...).

    Returns
    -------
    KendallW
        ``w`` (float or None), ``chi2`` (float or None), ``dof`` (int, ``n - 1``),
        ``p_value`` (float or None, chi-square approximation), ``m``, ``n``,
        ``reason`` (None, or why W is undefined), ``rank_sums`` and
        ``mean_ranks`` (lists of n floats, rank 1 = best, in item order),
        ``s`` (sum of squared deviations of the rank sums), ``tie_term``
        (``T = sum (t^3 - t)`` over all raters), ``raters_with_ties`` (int),
        ``tie_correction_applied`` (bool: correction on and ``T > 0``) and
        ``parameters`` (``higher_is_better``, ``tie_correction``, ``ranking``,
        ``p_value_method``).

        W is undefined (``w``, ``chi2`` and ``p_value`` None, ``reason`` set)
        with fewer than two raters, fewer than two items, or when the
        corrected denominator is zero (every rater tied every item).

    Raises
    ------
    MethodInputError
        If ``scores`` is not two-dimensional, or a cell is missing or not finite,
        or the labels do not match the shape.

    References
    ----------
    .. [1] Kendall, M. G. & Babington Smith, B. (1939). The problem of m
       rankings. *The Annals of Mathematical Statistics*, 10(3), 275-287.
    .. [2] Siegel, S. & Castellan, N. J. (1988). *Nonparametric Statistics for
       the Behavioral Sciences*, 2nd ed., section 9.4. McGraw-Hill.
    .. [3] Legendre, P. (2005). Species associations: the Kendall coefficient
       of concordance revisited. *Journal of Agricultural, Biological, and
       Environmental Statistics*, 10(2), 226-245.
    """
    x = numeric_table(scores, "the scores", "are", "raters x items")
    m, n = x.shape
    rater_labels = _check_labels(raters, m, "rater")
    item_labels = _check_labels(items, n, "item")
    bad = np.argwhere(~np.isfinite(x))
    if bad.size:
        i, j = (int(v) for v in bad[0])
        raise MethodInputError(
            f"the score of rater '{rater_labels[i]}' for item '{item_labels[j]}' is "
            f"missing or not finite ({x[i, j]!r})"
        )
    result = _undefined_w(m, n, higher_is_better, tie_correction)
    if n >= 1 and m >= 1:
        _add_rank_statistics(result, rank_rows(x, higher_is_better=higher_is_better))
    if m < 2:
        result["reason"] = f"W needs at least two raters, got {m}"
    elif n < 2:
        result["reason"] = f"W needs at least two items, got {n}"
    else:
        _add_w(result, tie_correction)
    return result


def _undefined_w(m: int, n: int, higher_is_better: bool, tie_correction: bool) -> KendallW:
    """The result before anything is computed: W undefined, no ranks."""
    return {
        "w": None,
        "chi2": None,
        "dof": max(n - 1, 0),
        "p_value": None,
        "m": m,
        "n": n,
        "reason": None,
        "rank_sums": [],
        "mean_ranks": [],
        "s": None,
        "tie_term": 0.0,
        "raters_with_ties": 0,
        "tie_correction_applied": False,
        "parameters": {
            "higher_is_better": higher_is_better,
            "tie_correction": tie_correction,
            "ranking": "mid-ranks for ties, rank 1 = best",
            "p_value_method": "chi-square approximation, chi2 = m (n - 1) W, dof = n - 1",
        },
    }


def _add_rank_statistics(result: KendallW, ranks: NDArray[np.float64]) -> None:
    """Rank sums, mean ranks, tie term and ``S`` of the raters' ranks (``m x n``)."""
    m, n = ranks.shape
    rank_sums = ranks.sum(axis=0)
    result["rank_sums"] = [float(v) for v in rank_sums]
    result["mean_ranks"] = [float(v) / m for v in rank_sums]
    ties = [_tie_term(ranks[i]) for i in range(m)]
    result["tie_term"] = float(sum(ties))
    result["raters_with_ties"] = sum(1 for t in ties if t > 0)
    result["s"] = float(np.sum((rank_sums - m * (n + 1) / 2.0) ** 2))


def _add_w(result: KendallW, tie_correction: bool) -> None:
    """W, chi-square and p-value from the rank statistics (at least two raters and items)."""
    m, n, tie_term = result["m"], result["n"], result["tie_term"]
    s = result["s"]
    assert s is not None  # set by _add_rank_statistics
    correction = m * tie_term if tie_correction else 0.0
    denominator = m * m * float(n**3 - n) - correction
    if denominator <= 0:
        result["reason"] = "every rater tied every item: there is no order to agree on"
        return
    w = min(1.0, max(0.0, 12.0 * s / denominator))
    chi2 = m * (n - 1) * w
    result["w"] = w
    result["chi2"] = chi2
    result["p_value"] = chi2_sf(chi2, n - 1)
    result["tie_correction_applied"] = bool(tie_correction and tie_term > 0)
