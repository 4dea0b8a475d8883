"""Step 2 of the method: the weighted vote that shortlists the change factors.

Each expert either distributes a budget of points over the change factors
(method ``"points"``) or ranks them (method ``"ranks"``, converted to points by
the Borda rule below). The points are tallied per factor, the factors ranked
with ties shown (competition ranking, "1, 2, 2, 4"), the top ``N`` selected with
any tie at the cut reported, and the panel's agreement measured by Kendall's W.

Borda rule (method ``"ranks"``): with ``n`` factors, a factor ranked ``r`` by an
expert (1 = most important) receives ``n - r + 1`` points from that expert; a
factor the expert did not rank (empty cell, NaN or 0) receives 0 points. Ranks
must be whole numbers from 1 to ``n``; an expert may give the same rank to
several factors (a tie) and may rank only some factors.

Tie at the cut: when the ``N``-th and the ``(N+1)``-th factors of the ranking are
tied, the shortlist cannot be cut at ``N`` without an arbitrary choice. The
policy says what happens:

``"facilitator"`` (default)
    the factors strictly above the tied group are selected, the tied group is
    reported in ``tied_at_cut`` with the number of ``seats_left``, and
    ``decided`` is False: the facilitator chooses (and records why).
``"include_all"``
    the whole tied group is selected (the shortlist is longer than ``N``).
``"exclude_all"``
    none of the tied group is selected (the shortlist is shorter than ``N``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from anticipe.method.concordance import kendall_w
from anticipe.method.errors import MethodInputError

__all__ = [
    "TIE_POLICIES",
    "competition_ranking",
    "weighted_vote",
]

Method = Literal["points", "ranks"]
TiePolicy = Literal["facilitator", "include_all", "exclude_all"]
TieBreak = Literal["none", "support"]

TIE_POLICIES: tuple[str, ...] = ("facilitator", "include_all", "exclude_all")
_TIE_BREAKS: tuple[str, ...] = ("none", "support")
_BUDGET_TOLERANCE = 1e-9


def competition_ranking(keys: Sequence[Sequence[float]]) -> tuple[list[int], list[int], list[bool]]:
    """Order items by descending keys and give them competition ranks ("1, 2, 2, 4").

    Parameters
    ----------
    keys : sequence of sequences of float
        One key tuple per item, compared lexicographically; larger is better.
        Items with equal keys are tied.

    Returns
    -------
    order : list of int
        Item indices from best to worst; tied items keep their input order.
    ranks : list of int
        ``ranks[k]`` is the rank of item ``order[k]``: one plus the number of
        items strictly better.
    tied : list of bool
        ``tied[k]`` is True when item ``order[k]`` shares its rank.
    """
    tuples = [tuple(float(v) for v in key) for key in keys]
    order = sorted(range(len(tuples)), key=lambda i: tuple(-v for v in tuples[i]))
    ranks: list[int] = []
    for pos, idx in enumerate(order):
        if pos > 0 and tuples[idx] == tuples[order[pos - 1]]:
            ranks.append(ranks[-1])
        else:
            ranks.append(pos + 1)
    counts: dict[int, int] = {}
    for r in ranks:
        counts[r] = counts.get(r, 0) + 1
    tied = [counts[r] > 1 for r in ranks]
    return order, ranks, tied


def _labels(labels: Sequence[str], size: int, what: str, axis: str) -> list[str]:
    out = [str(v) for v in labels]
    if len(out) != size:
        raise MethodInputError(f"the vote has {size} {axis} but {len(out)} {what} codes were given")
    seen: set[str] = set()
    for label in out:
        if not label.strip():
            raise MethodInputError(f"an {what} code is empty")
        if label in seen:
            raise MethodInputError(f"{what} '{label}' appears twice")
        seen.add(label)
    return out


def _points_from_input(
    x: NDArray[np.float64],
    factors: list[str],
    experts: list[str],
    method: str,
    points_per_expert: float | None,
    allow_unspent: bool,
) -> NDArray[np.float64]:
    m, n = x.shape
    if np.isinf(x).any():
        i, j = (int(v) for v in np.argwhere(np.isinf(x))[0])
        raise MethodInputError(
            f"expert '{experts[i]}' gave an infinite value to factor '{factors[j]}'"
        )
    filled = np.where(np.isnan(x), 0.0, x)
    negative = np.argwhere(filled < 0)
    if negative.size:
        i, j = (int(v) for v in negative[0])
        raise MethodInputError(
            f"expert '{experts[i]}' gave {filled[i, j]:g} to factor '{factors[j]}': "
            "values cannot be negative"
        )
    if method == "points":
        if points_per_expert is not None:
            totals = filled.sum(axis=1)
            for i in range(m):
                total = float(totals[i])
                over = total > points_per_expert + _BUDGET_TOLERANCE
                under = total < points_per_expert - _BUDGET_TOLERANCE
                if over or (under and not allow_unspent):
                    given = ", ".join(
                        f"'{factors[j]}': {filled[i, j]:g}" for j in range(n) if filled[i, j] > 0
                    )
                    raise MethodInputError(
                        f"expert '{experts[i]}' gave {total:g} points, expected "
                        f"{'at most ' if allow_unspent else ''}{points_per_expert:g}"
                        f" ({given or 'no points'})"
                    )
        return filled
    # method == "ranks": Borda points n - r + 1, unranked -> 0
    not_whole = np.argwhere((filled != np.round(filled)) | (filled > n))
    if not_whole.size:
        i, j = (int(v) for v in not_whole[0])
        raise MethodInputError(
            f"expert '{experts[i]}' gave rank {filled[i, j]:g} to factor '{factors[j]}': "
            f"ranks must be whole numbers from 1 to {n}"
        )
    return np.where(filled > 0, n - filled + 1.0, 0.0)


def _shortlist(
    order: list[int],
    ranks: list[int],
    factors: list[str],
    size: int,
    policy: str,
) -> dict[str, Any]:
    n = len(order)
    if size >= n:
        return {
            "size_requested": size,
            "selected": [factors[i] for i in order],
            "tied_at_cut": [],
            "seats_left": 0,
            "decided": True,
        }
    cut_rank = ranks[size - 1]
    # the group sharing the rank of the N-th factor; it straddles the cut if the
    # (N+1)-th factor has the same rank
    if ranks[size] != cut_rank:
        return {
            "size_requested": size,
            "selected": [factors[order[k]] for k in range(size)],
            "tied_at_cut": [],
            "seats_left": 0,
            "decided": True,
        }
    above = [factors[order[k]] for k in range(n) if ranks[k] < cut_rank]
    group = [factors[order[k]] for k in range(n) if ranks[k] == cut_rank]
    seats = size - len(above)
    if policy == "include_all":
        return {
            "size_requested": size,
            "selected": above + group,
            "tied_at_cut": group,
            "seats_left": 0,
            "decided": True,
        }
    if policy == "exclude_all":
        return {
            "size_requested": size,
            "selected": above,
            "tied_at_cut": group,
            "seats_left": 0,
            "decided": True,
        }
    return {
        "size_requested": size,
        "selected": above,
        "tied_at_cut": group,
        "seats_left": seats,
        "decided": False,
    }


def weighted_vote(
    scores: ArrayLike,
    factors: Sequence[str],
    experts: Sequence[str],
    *,
    method: Method = "points",
    points_per_expert: float | None = None,
    allow_unspent: bool = False,
    shortlist_size: int | None = None,
    tie_policy: TiePolicy = "facilitator",
    tie_break: TieBreak = "none",
) -> dict[str, Any]:
    """Tally a weighted vote on change factors, rank them and cut a shortlist.

    Parameters
    ----------
    scores : array_like
        ``experts x factors`` table. Method ``"points"``: the points each expert
        gave each factor (empty cell, NaN or 0 = no points). Method ``"ranks"``:
        the rank each expert gave each factor, 1 = most important (NaN or 0 =
        not ranked).
    factors : sequence of str
        Factor codes, one per column (e.g. ``"A1"``), unique.
    experts : sequence of str
        Expert ids, one per row, unique.
    method : {"points", "ranks"}, default "points"
        How the experts voted. Ranks are converted to points by the Borda rule
        (module docstring).
    points_per_expert : float, optional
        Method ``"points"`` only: each expert's budget. When given, every
        expert's total must equal it (or not exceed it with
        ``allow_unspent=True``); the error names the expert and lists what they
        gave.
    allow_unspent : bool, default False
        Accept experts who spent less than their budget.
    shortlist_size : int, optional
        Number ``N`` of factors to select. None: no shortlist.
    tie_policy : {"facilitator", "include_all", "exclude_all"}, default "facilitator"
        What to do with factors tied across the cut (module docstring).
    tie_break : {"none", "support"}, default "none"
        ``"none"``: factors with equal points are tied. ``"support"``: equal
        points are ordered by the number of experts who gave points (more is
        better); factors equal on both are tied.

    Returns
    -------
    dict
        ``method``, ``factors`` and ``experts`` (lists, as given);
        ``tally``: one dict per factor in input order with ``factor``,
        ``points`` (float, total), ``support`` (int, experts who gave it
        points), ``mean`` (float, points / number of experts) and
        ``mean_among_supporters`` (float, points / support, or None);
        ``ranking``: one dict per factor from best to worst with ``factor``,
        ``rank`` (int, competition ranking), ``tied`` (bool), ``points``,
        ``support``;
        ``shortlist``: None, or a dict with ``size_requested`` (int),
        ``selected`` (list of factor codes, best first), ``tied_at_cut`` (factor
        codes tied across the cut, empty if none), ``seats_left`` (int: places
        the facilitator still has to fill from ``tied_at_cut``, non-zero only
        with policy "facilitator") and ``decided`` (bool);
        ``expert_totals``: one dict per expert with ``expert`` and ``points``;
        ``concordance``: :func:`anticipe.method.concordance.kendall_w` over the
        experts' points (experts = raters, factors = items; unvoted factors tie
        at the bottom of an expert's order);
        ``parameters``: ``method``, ``points_per_expert``, ``allow_unspent``,
        ``rank_to_points`` (the Borda rule, or None), ``shortlist_size``,
        ``tie_policy``, ``tie_break``.

    Raises
    ------
    MethodInputError
        Shape/code mismatch, duplicate codes, negative or infinite values, a
        budget not respected, a rank that is not a whole number from 1 to the
        number of factors, or an invalid option.

    References
    ----------
    .. [1] Godet, M. (2007). *Manuel de prospective stratégique*, tome 2,
       3rd ed. Dunod (the workshop and the selection of key variables).
    .. [2] de Borda, J.-C. (1781). Mémoire sur les élections au scrutin.
       *Histoire de l'Académie royale des sciences*.
    .. [3] Kendall, M. G. & Babington Smith, B. (1939). The problem of m
       rankings. *The Annals of Mathematical Statistics*, 10(3), 275-287.
    """
    if method not in ("points", "ranks"):
        raise MethodInputError(f"unknown vote method {method!r}: use 'points' or 'ranks'")
    if tie_policy not in TIE_POLICIES:
        raise MethodInputError(
            f"unknown tie policy {tie_policy!r}: use one of {', '.join(TIE_POLICIES)}"
        )
    if tie_break not in _TIE_BREAKS:
        raise MethodInputError(f"unknown tie break {tie_break!r}: use 'none' or 'support'")
    if points_per_expert is not None:
        if method != "points":
            raise MethodInputError("points_per_expert applies to the 'points' method only")
        if not (math.isfinite(points_per_expert) and points_per_expert > 0):
            raise MethodInputError(
                f"points_per_expert must be a positive number, got {points_per_expert!r}"
            )
    try:
        x = np.asarray(scores, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise MethodInputError(f"the vote is not a table of numbers ({exc})") from exc
    if x.ndim != 2:
        raise MethodInputError(
            f"the vote must be a table experts x factors, got {x.ndim} dimension(s)"
        )
    m, n = x.shape
    factor_codes = _labels(factors, n, "factor", "columns")
    expert_ids = _labels(experts, m, "expert", "rows")
    if n == 0:
        raise MethodInputError("the vote has no factors")
    if m == 0:
        raise MethodInputError("the vote has no experts")
    if shortlist_size is not None and (
        isinstance(shortlist_size, bool)
        or not isinstance(shortlist_size, int | np.integer)
        or shortlist_size < 1
    ):
        raise MethodInputError(
            f"the shortlist size must be a whole number >= 1, got {shortlist_size!r}"
        )

    points = _points_from_input(
        x, factor_codes, expert_ids, method, points_per_expert, allow_unspent
    )
    totals = points.sum(axis=0)
    support = (points > 0).sum(axis=0)

    tally = [
        {
            "factor": factor_codes[j],
            "points": float(totals[j]),
            "support": int(support[j]),
            "mean": float(totals[j]) / m,
            "mean_among_supporters": float(totals[j]) / int(support[j]) if support[j] else None,
        }
        for j in range(n)
    ]
    keys: list[list[float]] = (
        [[float(totals[j]), float(support[j])] for j in range(n)]
        if tie_break == "support"
        else [[float(totals[j])] for j in range(n)]
    )
    order, ranks, tied = competition_ranking(keys)
    ranking = [
        {
            "factor": factor_codes[j],
            "rank": ranks[k],
            "tied": tied[k],
            "points": float(totals[j]),
            "support": int(support[j]),
        }
        for k, j in enumerate(order)
    ]
    shortlist = (
        None
        if shortlist_size is None
        else _shortlist(order, ranks, factor_codes, int(shortlist_size), tie_policy)
    )
    return {
        "method": method,
        "factors": factor_codes,
        "experts": expert_ids,
        "tally": tally,
        "ranking": ranking,
        "shortlist": shortlist,
        "expert_totals": [
            {"expert": expert_ids[i], "points": float(points[i].sum())} for i in range(m)
        ],
        "concordance": kendall_w(
            points, higher_is_better=True, raters=expert_ids, items=factor_codes
        ),
        "parameters": {
            "method": method,
            "points_per_expert": None if points_per_expert is None else float(points_per_expert),
            "allow_unspent": allow_unspent,
            "rank_to_points": (
                "Borda: rank r of n factors -> n - r + 1 points, unranked -> 0"
                if method == "ranks"
                else None
            ),
            "shortlist_size": None if shortlist_size is None else int(shortlist_size),
            "tie_policy": tie_policy,
            "tie_break": tie_break,
        },
    }
