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

A factor no expert gave a point to is never selected: the vote gave it no support, so
when ``N`` is larger than the number of factors with points, the shortlist is those
factors only (shorter than ``N``, ``decided`` True) rather than ``N`` completed by an
arbitrary choice among the factors nobody voted for.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, TypedDict

import numpy as np
from numpy.typing import ArrayLike, NDArray

from anticipe.method.concordance import KendallW, kendall_w
from anticipe.method.errors import MethodInputError
from anticipe.method.validation import numeric_table, unique_codes

__all__ = [
    "TIE_POLICIES",
    "ExpertTotal",
    "RankingRow",
    "Shortlist",
    "TallyRow",
    "WeightedVote",
    "WeightedVoteParameters",
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
    return unique_codes(out, what, article="an")


def _points_from_input(
    x: NDArray[np.float64],
    factors: list[str],
    experts: list[str],
    method: str,
    points_per_expert: float | None,
    allow_unspent: bool,
) -> NDArray[np.float64]:
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
            _check_budgets(filled, factors, experts, points_per_expert, allow_unspent)
        return filled
    return _borda_points(filled, factors, experts)


def _check_budgets(
    points: NDArray[np.float64],
    factors: list[str],
    experts: list[str],
    points_per_expert: float,
    allow_unspent: bool,
) -> None:
    """Every expert spent their budget (or no more than it, with ``allow_unspent``)."""
    totals = points.sum(axis=1)
    for i in range(points.shape[0]):
        total = float(totals[i])
        over = total > points_per_expert + _BUDGET_TOLERANCE
        under = total < points_per_expert - _BUDGET_TOLERANCE
        if over or (under and not allow_unspent):
            given = ", ".join(
                f"'{factors[j]}': {points[i, j]:g}"
                for j in range(points.shape[1])
                if points[i, j] > 0
            )
            raise MethodInputError(
                f"expert '{experts[i]}' gave {total:g} points, expected "
                f"{'at most ' if allow_unspent else ''}{points_per_expert:g}"
                f" ({given or 'no points'})"
            )


def _borda_points(
    ranks: NDArray[np.float64], factors: list[str], experts: list[str]
) -> NDArray[np.float64]:
    """Borda points ``n - r + 1`` of ranks ``r`` (0 = unranked gets 0 points)."""
    n = ranks.shape[1]
    not_whole = np.argwhere((ranks != np.round(ranks)) | (ranks > n))
    if not_whole.size:
        i, j = (int(v) for v in not_whole[0])
        raise MethodInputError(
            f"expert '{experts[i]}' gave rank {ranks[i, j]:g} to factor '{factors[j]}': "
            f"ranks must be whole numbers from 1 to {n}"
        )
    return np.where(ranks > 0, n - ranks + 1.0, 0.0)


class Shortlist(TypedDict):
    """The top-``N`` cut of the ranking (``shortlist`` of :func:`weighted_vote`)."""

    size_requested: int
    selected: list[str]  #: factor codes, best first
    tied_at_cut: list[str]  #: factor codes tied across the cut, empty if none
    #: places the facilitator still has to fill from ``tied_at_cut`` (policy "facilitator")
    seats_left: int
    decided: bool


def _shortlist(
    order: list[int],
    ranks: list[int],
    factors: list[str],
    size: int,
    policy: str,
    with_points: int,
) -> Shortlist:
    def cut(selected: list[str], tied: list[str], seats_left: int = 0) -> Shortlist:
        # undecided only when the facilitator still has seats to fill from the tied group
        return {
            "size_requested": size,
            "selected": selected,
            "tied_at_cut": tied,
            "seats_left": seats_left,
            "decided": seats_left == 0,
        }

    n = with_points  # the factors with points come first in the order (totals descending)
    if size >= n:
        return cut([factors[i] for i in order[:n]], [])
    cut_rank = ranks[size - 1]
    # the group sharing the rank of the N-th factor; it straddles the cut if the
    # (N+1)-th factor has the same rank
    if ranks[size] != cut_rank:
        return cut([factors[order[k]] for k in range(size)], [])
    above = [factors[order[k]] for k in range(n) if ranks[k] < cut_rank]
    group = [factors[order[k]] for k in range(n) if ranks[k] == cut_rank]
    if policy == "include_all":
        return cut(above + group, group)
    if policy == "exclude_all":
        return cut(above, group)
    return cut(above, group, seats_left=size - len(above))


class TallyRow(TypedDict):
    """One factor's total in the vote (``tally`` of :func:`weighted_vote`, input order)."""

    factor: str
    points: float  #: total points
    support: int  #: experts who gave it points
    mean: float  #: points / number of experts
    mean_among_supporters: float | None  #: points / support, None without support


class RankingRow(TypedDict):
    """One factor's place in the ranking (``ranking`` of :func:`weighted_vote`, best first)."""

    factor: str
    rank: int  #: competition ranking ("1, 2, 2, 4")
    tied: bool
    points: float
    support: int


class ExpertTotal(TypedDict):
    """The points one expert gave in all (``expert_totals`` of :func:`weighted_vote`)."""

    expert: str
    points: float


class WeightedVoteParameters(TypedDict):
    """The options of :func:`weighted_vote` (its ``parameters``)."""

    method: str
    points_per_expert: float | None
    allow_unspent: bool
    rank_to_points: str | None  #: the Borda rule (method "ranks"), or None
    shortlist_size: int | None
    tie_policy: str
    tie_break: str


class WeightedVote(TypedDict):
    """The result of :func:`weighted_vote`."""

    method: str
    factors: list[str]  #: as given
    experts: list[str]  #: as given
    tally: list[TallyRow]  #: one row per factor, input order
    ranking: list[RankingRow]  #: one row per factor, best first
    shortlist: Shortlist | None  #: None without ``shortlist_size``
    expert_totals: list[ExpertTotal]  #: one row per expert, input order
    #: Kendall's W over the experts' points (experts = raters, factors = items;
    #: unvoted factors tie at the bottom of an expert's order)
    concordance: KendallW
    parameters: WeightedVoteParameters


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
) -> WeightedVote:
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
    WeightedVote
        The tally (input order), the ranking with ties (best first), the
        shortlist (None without ``shortlist_size``), each expert's total, Kendall's
        W over the experts' points and the ``parameters``.

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
    _check_options(method, tie_policy, tie_break, points_per_expert)
    x = numeric_table(scores, "the vote", "is", "experts x factors")
    m, n = x.shape
    factor_codes = _labels(factors, n, "factor", "columns")
    expert_ids = _labels(experts, m, "expert", "rows")
    if n == 0:
        raise MethodInputError("the vote has no factors")
    if m == 0:
        raise MethodInputError("the vote has no experts")
    _check_shortlist_size(shortlist_size)
    points = _points_from_input(
        x, factor_codes, expert_ids, method, points_per_expert, allow_unspent
    )
    totals = points.sum(axis=0)
    support = (points > 0).sum(axis=0)
    order, ranks, ranking = _ranking(factor_codes, totals, support, tie_break)
    return {
        "method": method,
        "factors": factor_codes,
        "experts": expert_ids,
        "tally": _tally(factor_codes, totals, support, m),
        "ranking": ranking,
        "shortlist": None
        if shortlist_size is None
        else _shortlist(
            order,
            ranks,
            factor_codes,
            int(shortlist_size),
            tie_policy,
            with_points=int((totals > 0).sum()),
        ),
        "expert_totals": [
            {"expert": expert_ids[i], "points": float(points[i].sum())} for i in range(m)
        ],
        "concordance": kendall_w(
            points, higher_is_better=True, raters=expert_ids, items=factor_codes
        ),
        "parameters": _parameters(
            method, points_per_expert, allow_unspent, shortlist_size, tie_policy, tie_break
        ),
    }


def _parameters(
    method: str,
    points_per_expert: float | None,
    allow_unspent: bool,
    shortlist_size: int | None,
    tie_policy: str,
    tie_break: str,
) -> WeightedVoteParameters:
    return {
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
    }


def _check_options(
    method: str, tie_policy: str, tie_break: str, points_per_expert: float | None
) -> None:
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


def _check_shortlist_size(shortlist_size: int | None) -> None:
    if shortlist_size is not None and (
        isinstance(shortlist_size, bool)
        or not isinstance(shortlist_size, int | np.integer)
        or shortlist_size < 1
    ):
        raise MethodInputError(
            f"the shortlist size must be a whole number >= 1, got {shortlist_size!r}"
        )


def _ranking(
    factors: list[str], totals: NDArray[np.float64], support: NDArray[np.int_], tie_break: str
) -> tuple[list[int], list[int], list[RankingRow]]:
    """Order (factor indices, best first), competition ranks and the ranking's rows."""
    n = len(factors)
    keys: list[list[float]] = (
        [[float(totals[j]), float(support[j])] for j in range(n)]
        if tie_break == "support"
        else [[float(totals[j])] for j in range(n)]
    )
    order, ranks, tied = competition_ranking(keys)
    rows: list[RankingRow] = [
        {
            "factor": factors[j],
            "rank": ranks[k],
            "tied": tied[k],
            "points": float(totals[j]),
            "support": int(support[j]),
        }
        for k, j in enumerate(order)
    ]
    return order, ranks, rows


def _tally(
    factors: list[str], totals: NDArray[np.float64], support: NDArray[np.int_], experts: int
) -> list[TallyRow]:
    return [
        {
            "factor": factors[j],
            "points": float(totals[j]),
            "support": int(support[j]),
            "mean": float(totals[j]) / experts,
            "mean_among_supporters": float(totals[j]) / int(support[j]) if support[j] else None,
        }
        for j in range(len(factors))
    ]
