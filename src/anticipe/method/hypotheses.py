"""Step 4 of the method: votes on evolution hypotheses, and the retained hypothesis.

For each key factor the facilitator writes two to five evolution hypotheses
(Scenario A-D in the seed report's Table 3). Each expert votes, for each
hypothesis, its **probability** and its **desirability** on integer scales,
1 to 4 by default:

========  ===================================  ==========================================
value     probability                          desirability
========  ===================================  ==========================================
1         very unlikely / très peu probable    not desirable / pas souhaitable
2         unlikely / peu probable              hardly desirable / peu souhaitable
3         likely / probable                    desirable / souhaitable
4         very likely / très probable          very desirable / très souhaitable
========  ===================================  ==========================================

(the words are shown by :func:`anticipe.presentation.scale_words`). "Don't know" is an
empty cell (NaN): it is counted, and left out of every statistic.

A question answered by fewer experts than ``min_answers`` (1 by default; a study's
minimum number of answers, 3 by default in Anticipe) has its statistics withheld: no
median, quartiles, consensus nor distribution, only its counts; and a factor any of whose
hypotheses is below the minimum on a scale has no most probable (or most desirable)
hypothesis, so the retention rule proposes nothing there.

A caller runs, for one factor::

    stats = hypothesis_statistics("A19", ["A", "B", "C"], experts, prob, des)
    proposal = retain(stats, actions_can_reach_desirable=True)
    merged = merge_hypotheses(stats, ["B", "C"], code="BC", text="...")
    decision = retain(stats, actions_can_reach_desirable=True,
                      override="BC", reason="...", merges=[merged])

Retention rule (seed report, section 4): when the panel judges that actions can
reach the most desirable hypothesis, it is retained; otherwise the most
probable one is. The facilitator may override the rule with a stated reason
(an arbitration), which is how a merged hypothesis is retained.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import numpy as np
from numpy.typing import ArrayLike, NDArray

from anticipe.method.errors import MethodInputError
from anticipe.method.validation import unique_codes

__all__ = [
    "QUANTILE_METHOD",
    "BelowMinimum",
    "BestHypotheses",
    "HypothesisStatistics",
    "HypothesisStatisticsParameters",
    "HypothesisVotes",
    "Merge",
    "Override",
    "Retention",
    "RetentionParameters",
    "VoteStatistics",
    "hypothesis_statistics",
    "merge_hypotheses",
    "retain",
    "vote_statistics",
]

QUANTILE_METHOD = "linear"
"""numpy's quantile method: Hyndman & Fan (1996) definition 7."""

MIN_HYPOTHESES = 2
MAX_HYPOTHESES = 5

_TIE_RULE = "highest median, then highest mean, then fewest don't-know; still tied: no choice"


class VoteStatistics(TypedDict):
    """The panel's answers to one question (one hypothesis, one scale): :func:`vote_statistics`.

    The statistics are None without answers. Quartiles use numpy's ``"linear"`` method,
    Hyndman & Fan's definition 7 (the default of R and of spreadsheets' QUARTILE.INC).
    """

    n_answers: int  #: answers with a value
    n_dont_know: int  #: experts who answered "don't know"
    n_no_answer: int  #: experts who did not answer
    enough: bool  #: at least ``min_answers`` answers: the statistics are given
    mean: float | None
    median: float | None
    q1: float | None
    q3: float | None
    iqr: float | None
    #: answers per scale value, from the lowest; None when withheld (some answers, fewer
    #: than ``min_answers``)
    distribution: list[int] | None
    scale_values: list[int]
    consensus: bool | None  #: interquartile range at most ``consensus_max_iqr``


class HypothesisVotes(TypedDict):
    """One hypothesis' statistics on both scales."""

    hypothesis: str
    probability: VoteStatistics
    desirability: VoteStatistics


class BestHypotheses(TypedDict):
    """The most probable (or desirable) hypotheses: one, or all those tied."""

    hypotheses: list[str]
    decided: bool  #: exactly one


class BelowMinimum(TypedDict):
    """A question answered by fewer experts than the minimum (its statistics withheld)."""

    hypothesis: str
    question: str  #: "probability" or "desirability"
    n_answers: int


class HypothesisStatisticsParameters(TypedDict):
    """The options of :func:`hypothesis_statistics` (its ``parameters``)."""

    probability_scale: list[int]
    desirability_scale: list[int]
    consensus_max_iqr: float
    consensus_rule: str
    quantile_method: str
    tie_rule: str
    min_answers: int


class HypothesisStatistics(TypedDict):
    """The result of :func:`hypothesis_statistics`.

    "Most probable" is the hypothesis with the highest median probability, then the
    highest mean, then the fewest don't-know; hypotheses equal on all three are all
    reported and none is chosen. Hypotheses nobody answered are never the most
    probable (or desirable).
    """

    factor: str
    hypotheses: list[HypothesisVotes]  #: input order
    most_probable: BestHypotheses
    most_desirable: BestHypotheses
    both: str | None  #: the code when both are decided and the same hypothesis
    experts: list[str]
    #: the questions answered by fewer experts than the minimum, in the factor's order
    below_minimum: list[BelowMinimum]
    parameters: HypothesisStatisticsParameters


class Merge(TypedDict):
    """The result of :func:`merge_hypotheses`."""

    factor: str
    hypothesis: str  #: the new code
    text: str
    merged_from: list[str]  #: in the factor's order


class Override(TypedDict):
    """The facilitator's arbitration: the hypothesis retained against the rule, and why."""

    hypothesis: str
    reason: str


class RetentionParameters(TypedDict):
    """The options of :func:`retain` (its ``parameters``)."""

    actions_can_reach_desirable: bool
    retention_rule: str
    override: str | None
    reason: str | None


class Retention(TypedDict):
    """The result of :func:`retain`."""

    factor: str
    retained: str | None  #: None when the rule's target is tied and nothing overrides it
    rule: str  #: "most_desirable", "most_probable" or "override"
    proposal: str | None  #: the rule's proposal, None when tied
    candidates: list[str]  #: the codes the rule points to: one, or all those tied
    decided: bool
    actions_can_reach_desirable: bool
    most_probable: list[str]
    most_desirable: list[str]
    both: str | None
    override: Override | None
    merged_from: list[str] | None  #: when the retained hypothesis is a merge
    text: str | None  #: the merged hypothesis' text
    note: str | None  #: what the facilitator must still decide
    parameters: RetentionParameters


def _check_scale(scale: tuple[int, int], what: str) -> tuple[int, int]:
    if len(scale) != 2:
        raise MethodInputError(f"the {what} scale must be (lowest, highest), got {scale!r}")
    low, high = scale
    for v in (low, high):
        if isinstance(v, bool) or not isinstance(v, int | np.integer):
            raise MethodInputError(f"the {what} scale must have whole-number ends, got {scale!r}")
    if low >= high:
        raise MethodInputError(f"the {what} scale must go from low to high, got {scale!r}")
    return int(low), int(high)


def vote_statistics(
    votes: ArrayLike,
    *,
    scale: tuple[int, int] = (1, 4),
    consensus_max_iqr: float = 1.0,
    what: str = "vote",
    answered: ArrayLike | None = None,
    min_answers: int = 1,
) -> VoteStatistics:
    """Statistics of the panel's answers to one question (one hypothesis, one scale).

    Parameters
    ----------
    votes : array_like
        One answer per expert: a whole number on the scale, or NaN for
        "don't know".
    scale : (int, int), default (1, 4)
        Lowest and highest values of the scale.
    consensus_max_iqr : float, default 1.0
        The panel is said to agree (``consensus`` True) when the interquartile
        range of the answers is at most this value.
    what : str
        How to name the question in error messages.
    answered : array_like of bool, optional
        Whether each expert answered (a value or "don't know"); a NaN of an
        expert who did not answer is counted in ``n_no_answer``, not as a
        "don't know". By default every expert answered.
    min_answers : int, default 1
        Below this many answers (values, not "don't know") the statistics and the
        distribution are withheld (None) and ``enough`` is False.

    Returns
    -------
    VoteStatistics
        Counts, mean, quartiles, distribution and consensus; for sorted answers
        ``x_1..x_k`` the ``p``-quantile is interpolated at position ``1 + (k - 1) p``.

    Raises
    ------
    MethodInputError
        An answer off the scale or not a whole number.

    References
    ----------
    .. [1] Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical
       packages. *The American Statistician*, 50(4), 361-365.
    """
    low, high = _check_scale(scale, what)
    try:
        v = np.asarray(votes, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise MethodInputError(f"the answers to {what} are not numbers ({exc})") from exc
    minimum = _check_minimum(min_answers)
    return _stats(
        v, low, high, float(consensus_max_iqr), what, None, _answered(answered, v.shape), minimum
    )


def _check_minimum(min_answers: int) -> int:
    """The minimum number of answers, a whole number from 1."""
    whole = not isinstance(min_answers, bool) and isinstance(min_answers, int | np.integer)
    if not whole or min_answers < 1:
        raise MethodInputError(
            f"the minimum number of answers must be a whole number from 1, got {min_answers!r}"
        )
    return int(min_answers)


def _answered(answered: ArrayLike | None, shape: tuple[int, ...]) -> NDArray[np.bool_]:
    """Who answered (a value or "don't know"), checked against the answers' shape."""
    if answered is None:
        return np.ones(shape, dtype=bool)
    mask = np.asarray(answered)
    if mask.shape != shape or mask.dtype != np.bool_:
        raise MethodInputError(
            f"'answered' must be a table of True/False of the answers' shape {shape}, "
            f"got {mask.dtype} {mask.shape}"
        )
    return mask


def _stats(
    v: NDArray[np.float64],
    low: int,
    high: int,
    consensus_max_iqr: float,
    what: str,
    experts: Sequence[str] | None,
    answered: NDArray[np.bool_],
    min_answers: int = 1,
) -> VoteStatistics:
    known = ~np.isnan(v)
    if np.any(known & ~answered):
        k = int(np.flatnonzero(known & ~answered)[0])
        who = f"expert '{experts[k]}'" if experts is not None else f"answer {k + 1}"
        raise MethodInputError(f"{who} has a value for {what} but is marked as not answering")
    bad = np.flatnonzero(known & ((v != np.round(v)) | (v < low) | (v > high)))
    if bad.size:
        k = int(bad[0])
        who = f"expert '{experts[k]}'" if experts is not None else f"answer {k + 1}"
        raise MethodInputError(
            f"{who} answered {v[k]:g} to {what}: expected a whole number from {low} to "
            f"{high}, or empty for don't know"
        )
    answers = v[known]
    counts = [int(np.count_nonzero(answers == value)) for value in range(low, high + 1)]
    enough = int(answers.size) >= min_answers
    out: VoteStatistics = {
        "n_answers": int(answers.size),
        "n_dont_know": int(np.count_nonzero(~known & answered)),
        "n_no_answer": int(np.count_nonzero(~answered)),
        "enough": enough,
        "mean": None,
        "median": None,
        "q1": None,
        "q3": None,
        "iqr": None,
        "distribution": counts if enough or not answers.size else None,
        "scale_values": list(range(low, high + 1)),
        "consensus": None,
    }
    if answers.size and enough:
        q1, median, q3 = (
            float(q) for q in np.quantile(answers, [0.25, 0.5, 0.75], method="linear")
        )
        out["mean"] = float(answers.mean())
        out["median"] = median
        out["q1"] = q1
        out["q3"] = q3
        out["iqr"] = q3 - q1
        out["consensus"] = bool(q3 - q1 <= consensus_max_iqr + 1e-12)
    return out


def _codes(codes: Sequence[str], what: str) -> list[str]:
    return unique_codes(codes, what, article="a")


def _best(hypotheses: list[str], stats: list[VoteStatistics]) -> BestHypotheses:
    """The best hypotheses on one scale, by the documented tie rule; none when a hypothesis
    has fewer answers than the minimum."""
    candidates = [k for k, s in enumerate(stats) if s["n_answers"] > 0]
    if not candidates or not all(s["enough"] for s in stats):
        return {"hypotheses": [], "decided": False}

    def key(k: int) -> tuple[float, float, int]:
        s = stats[k]
        median, mean = s["median"], s["mean"]
        # a candidate has answers, hence a median and a mean
        assert median is not None
        assert mean is not None
        return (float(median), float(mean), -int(s["n_dont_know"]))

    top = max(key(k) for k in candidates)
    best = [hypotheses[k] for k in candidates if _same(key(k), top)]
    return {"hypotheses": best, "decided": len(best) == 1}


def _same(a: tuple[float, float, int], b: tuple[float, float, int]) -> bool:
    return (
        math.isclose(a[0], b[0], abs_tol=1e-12)
        and math.isclose(a[1], b[1], rel_tol=1e-12, abs_tol=1e-12)
        and a[2] == b[2]
    )


def hypothesis_statistics(
    factor: str,
    hypotheses: Sequence[str],
    experts: Sequence[str],
    probability: ArrayLike,
    desirability: ArrayLike,
    *,
    probability_scale: tuple[int, int] = (1, 4),
    desirability_scale: tuple[int, int] = (1, 4),
    consensus_max_iqr: float = 1.0,
    probability_answered: ArrayLike | None = None,
    desirability_answered: ArrayLike | None = None,
    min_answers: int = 1,
) -> HypothesisStatistics:
    """Statistics of the votes on every hypothesis of one key factor.

    Parameters
    ----------
    factor : str
        The key factor's code (e.g. ``"A19"``).
    hypotheses : sequence of str
        The factor's hypothesis codes (2 to 5, unique), one per column.
    experts : sequence of str
        Expert ids, one per row, unique.
    probability, desirability : array_like
        ``experts x hypotheses`` answers: whole numbers on the scale, NaN for
        "don't know".
    probability_scale, desirability_scale : (int, int), default (1, 4)
        Lowest and highest values of each scale.
    consensus_max_iqr : float, default 1.0
        Consensus rule: interquartile range at most this value.
    probability_answered, desirability_answered : array_like of bool, optional
        ``experts x hypotheses``: whether the expert answered (a value or
        "don't know"). A NaN where the expert did not answer counts as no
        answer (``n_no_answer``), not as "don't know". By default every
        expert answered every question.
    min_answers : int, default 1
        The minimum number of answers (values) a question needs for its statistics;
        below it they are withheld (:func:`vote_statistics`), the question is listed in
        ``below_minimum`` and the factor has no most probable (or most desirable)
        hypothesis on that scale.

    Returns
    -------
    HypothesisStatistics
        Each hypothesis' statistics on both scales (as :func:`vote_statistics`),
        the most probable and the most desirable hypotheses (see
        :class:`HypothesisStatistics` for the tie rule).

    Raises
    ------
    MethodInputError
        Fewer than 2 or more than 5 hypotheses, duplicate codes, tables that do
        not match the codes, or an answer off its scale.

    References
    ----------
    .. [1] Le Forem (2018). *Médiateur numérique, un métier d'avenir ?*,
       section 4 (Abilitic2Perform, evolution hypotheses and retention).
    .. [2] Godet, M. (2007). *Manuel de prospective stratégique*, tome 2.
       Dunod (hypotheses on key variables).
    .. [3] Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical
       packages. *The American Statistician*, 50(4), 361-365.
    """
    factor = str(factor)
    codes = _codes(hypotheses, "hypothesis")
    expert_ids = _codes(experts, "expert")
    if not MIN_HYPOTHESES <= len(codes) <= MAX_HYPOTHESES:
        raise MethodInputError(
            f"factor '{factor}' has {len(codes)} hypotheses, expected "
            f"{MIN_HYPOTHESES} to {MAX_HYPOTHESES}"
        )
    p_scale = _check_scale(probability_scale, "probability")
    d_scale = _check_scale(desirability_scale, "desirability")
    shape = (len(expert_ids), len(codes))
    prob = _vote_table(probability, "probability", factor, shape)
    des = _vote_table(desirability, "desirability", factor, shape)
    p_answered = _answered(probability_answered, shape)
    d_answered = _answered(desirability_answered, shape)
    iqr = float(consensus_max_iqr)
    minimum = _check_minimum(min_answers)
    per_hypothesis: list[HypothesisVotes] = [
        {
            "hypothesis": code,
            "probability": _stats(
                prob[:, j],
                *p_scale,
                iqr,
                f"the probability of hypothesis '{code}' of factor '{factor}'",
                expert_ids,
                p_answered[:, j],
                minimum,
            ),
            "desirability": _stats(
                des[:, j],
                *d_scale,
                iqr,
                f"the desirability of hypothesis '{code}' of factor '{factor}'",
                expert_ids,
                d_answered[:, j],
                minimum,
            ),
        }
        for j, code in enumerate(codes)
    ]
    most_probable = _best(codes, [h["probability"] for h in per_hypothesis])
    most_desirable = _best(codes, [h["desirability"] for h in per_hypothesis])
    return {
        "factor": factor,
        "hypotheses": per_hypothesis,
        "most_probable": most_probable,
        "most_desirable": most_desirable,
        "both": _both(most_probable, most_desirable),
        "experts": expert_ids,
        "below_minimum": [
            {
                "hypothesis": item["hypothesis"],
                "question": question,
                "n_answers": stats["n_answers"],
            }
            for item in per_hypothesis
            for question, stats in (
                ("probability", item["probability"]),
                ("desirability", item["desirability"]),
            )
            if not stats["enough"]
        ],
        "parameters": {
            "probability_scale": list(p_scale),
            "desirability_scale": list(d_scale),
            "consensus_max_iqr": iqr,
            "consensus_rule": "interquartile range <= consensus_max_iqr",
            "quantile_method": "numpy 'linear' (Hyndman & Fan type 7)",
            "tie_rule": _TIE_RULE,
            "min_answers": minimum,
        },
    }


def _both(most_probable: BestHypotheses, most_desirable: BestHypotheses) -> str | None:
    """The hypothesis both most probable and most desirable, each decided; else None."""
    if (
        most_probable["decided"]
        and most_desirable["decided"]
        and most_probable["hypotheses"] == most_desirable["hypotheses"]
    ):
        return most_probable["hypotheses"][0]
    return None


def _vote_table(
    table: ArrayLike, name: str, factor: str, shape: tuple[int, int]
) -> NDArray[np.float64]:
    """One scale's votes on a factor, experts x hypotheses."""
    try:
        arr = np.asarray(table, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise MethodInputError(
            f"the {name} votes on factor '{factor}' are not numbers ({exc})"
        ) from exc
    if arr.shape != shape:
        raise MethodInputError(
            f"the {name} votes on factor '{factor}' are a "
            f"{'x'.join(str(s) for s in arr.shape) or 'scalar'} table, expected "
            f"{shape[0]} experts x {shape[1]} hypotheses"
        )
    return arr


def merge_hypotheses(
    statistics: Mapping[str, Any],
    merged_from: Sequence[str],
    *,
    code: str,
    text: str,
) -> Merge:
    """Record a merge of two or more hypotheses of one factor into a new one.

    The votes on the original hypotheses stay as they were cast; the merged
    hypothesis has no votes of its own. It can be retained only by a decision
    (:func:`retain` with ``override``), which records the reason.

    Parameters
    ----------
    statistics : mapping
        The factor's result of :func:`hypothesis_statistics`.
    merged_from : sequence of str
        Codes of the hypotheses merged (at least two, of this factor).
    code : str
        The new hypothesis' code; must differ from the factor's codes.
    text : str
        The new hypothesis' wording.

    Returns
    -------
    Merge
        The new hypothesis and the codes it merges, in the factor's order.

    Raises
    ------
    MethodInputError
        Fewer than two originals, unknown or repeated codes, a new code already
        used, or an empty text.

    References
    ----------
    .. [1] Le Forem (2018). *Médiateur numérique, un métier d'avenir ?*,
       Table 3 (factor A19: hypotheses b and c merged).
    """
    factor = str(statistics["factor"])
    existing = [str(h["hypothesis"]) for h in statistics["hypotheses"]]
    sources = [str(c) for c in merged_from]
    if len(set(sources)) != len(sources):
        raise MethodInputError(f"a hypothesis is listed twice in the merge on factor '{factor}'")
    if len(sources) < 2:
        raise MethodInputError(
            f"a merge on factor '{factor}' needs at least two hypotheses, got {len(sources)}"
        )
    for c in sources:
        if c not in existing:
            raise MethodInputError(f"factor '{factor}' has no hypothesis '{c}' to merge")
    new = str(code)
    if not new.strip():
        raise MethodInputError(f"the merged hypothesis of factor '{factor}' needs a code")
    if new in existing:
        raise MethodInputError(
            f"factor '{factor}' already has a hypothesis '{new}': choose a new code for the merge"
        )
    if not str(text).strip():
        raise MethodInputError(f"the merged hypothesis '{new}' of factor '{factor}' needs a text")
    return {
        "factor": factor,
        "hypothesis": new,
        "text": str(text),
        "merged_from": [c for c in existing if c in sources],
    }


def retain(
    statistics: Mapping[str, Any],
    *,
    actions_can_reach_desirable: bool,
    override: str | None = None,
    reason: str | None = None,
    merges: Sequence[Mapping[str, Any]] = (),
) -> Retention:
    """Propose or record the retained hypothesis of one factor.

    Rule of the seed report: when the panel judges that actions can reach the
    most desirable hypothesis, that one is retained (rule ``"most_desirable"``);
    otherwise the most probable one (rule ``"most_probable"``). If the rule's
    target is tied, nothing is retained until the facilitator decides. An
    ``override`` (arbitration) retains another hypothesis, or a merged one,
    with a mandatory reason (rule ``"override"``).

    A hypothesis merged into another is never retained: when the rule's
    hypothesis is one of a merge's, the rule proposes the merge (its
    ``candidates`` still name the hypothesis voted on); when it is part of
    several merges, the rule proposes nothing. An override of a merged
    hypothesis is an error: retain the merge.

    Parameters
    ----------
    statistics : mapping
        The factor's result of :func:`hypothesis_statistics`.
    actions_can_reach_desirable : bool
        The panel's judgement: can actions bring about the most desirable
        hypothesis?
    override : str, optional
        Code of the hypothesis the facilitator retains instead of the rule's
        proposal: one of the factor's hypotheses or of ``merges``.
    reason : str, optional
        Why; mandatory with ``override``.
    merges : sequence of mappings
        Results of :func:`merge_hypotheses` for this factor.

    Returns
    -------
    Retention
        The retained hypothesis (None while the rule's target is tied and nothing
        overrides it), the rule applied, its proposal and candidates, and a ``note``
        of what the facilitator must still decide.

    Raises
    ------
    MethodInputError
        An override without a reason, an unknown override code, an override
        of a hypothesis merged into another, a reason without an override, or a
        merge of another factor.

    References
    ----------
    .. [1] Le Forem (2018). *Médiateur numérique, un métier d'avenir ?*,
       section 4: "Lorsque le groupe d'experts estimait qu'il était possible de
       mettre en œuvre des actions ... le scénario le plus souhaitable".
    """
    factor = str(statistics["factor"])
    existing = [str(h["hypothesis"]) for h in statistics["hypotheses"]]
    merged = _merges_by_code(factor, merges)
    out = _rule_proposal(statistics, actions_can_reach_desirable, override, reason)
    _proposal_through_merges(out, merged)
    if override is None:
        if reason is not None:
            raise MethodInputError(
                f"a reason was given for factor '{factor}' without an override hypothesis"
            )
        below = _below_minimum_note(statistics, out["rule"])
        if out["proposal"] is None and below is not None:
            out["note"] = below
        elif out["proposal"] is None and out["note"] is None:
            what = "most desirable" if actions_can_reach_desirable else "most probable"
            candidates = out["candidates"]
            out["note"] = (
                f"no single {what} hypothesis ("
                + (", ".join(f"'{c}'" for c in candidates) if candidates else "no answers")
                + "): the facilitator must choose one, with a reason"
            )
        return out
    code = str(override)
    if code not in existing and code not in merged:
        known = ", ".join(f"'{c}'" for c in [*existing, *merged])
        raise MethodInputError(
            f"factor '{factor}' has no hypothesis '{code}' to retain (known: {known})"
        )
    into = [new for new, mg in merged.items() if code in mg["merged_from"]]
    if into:
        raise MethodInputError(
            f"hypothesis '{code}' of factor '{factor}' is merged into '{into[0]}': "
            "retain the merge instead"
        )
    if reason is None or not str(reason).strip():
        raise MethodInputError(
            f"retaining hypothesis '{code}' of factor '{factor}' against the rule needs a reason"
        )
    out["retained"] = code
    out["rule"] = "override"
    out["decided"] = True
    out["override"] = {"hypothesis": code, "reason": str(reason)}
    out["merged_from"] = [str(c) for c in merged[code]["merged_from"]] if code in merged else None
    out["text"] = str(merged[code]["text"]) if code in merged else None
    return out


def _below_minimum_note(statistics: Mapping[str, Any], rule: str) -> str | None:
    """Why the rule proposes nothing when questions of its scale are below the minimum."""
    question = "desirability" if rule == "most_desirable" else "probability"
    below = [b for b in statistics.get("below_minimum", []) if b["question"] == question]
    if not below:
        return None
    minimum = statistics["parameters"].get("min_answers", 1)
    listed = ", ".join(f"'{b['hypothesis']}' ({b['n_answers']})" for b in below)
    return (
        f"fewer answers than the minimum of {minimum} on the {question} of {listed}: "
        "the rule proposes nothing"
    )


def _proposal_through_merges(out: Retention, merged: Mapping[str, Mapping[str, Any]]) -> None:
    """A merged hypothesis is never retained: when the rule's hypothesis is merged into
    another, the rule proposes the merge, which stands for it in the scenario; merged into
    several, it proposes nothing (the facilitator chooses)."""
    proposal = out["proposal"]
    into = [new for new, mg in merged.items() if proposal in mg["merged_from"]]
    if proposal is None or not into:
        return
    if len(into) > 1:
        out["proposal"] = out["retained"] = None
        out["decided"] = False
        out["note"] = (
            f"the rule's hypothesis '{proposal}' is merged into "
            + ", ".join(f"'{c}'" for c in into)
            + ": the facilitator must choose one, with a reason"
        )
        return
    out["proposal"] = out["retained"] = into[0]
    out["merged_from"] = [str(c) for c in merged[into[0]]["merged_from"]]
    out["text"] = str(merged[into[0]]["text"])


def _merges_by_code(
    factor: str, merges: Sequence[Mapping[str, Any]]
) -> dict[str, Mapping[str, Any]]:
    """The factor's merges by their new code; a merge of another factor is an error."""
    merged: dict[str, Mapping[str, Any]] = {}
    for mg in merges:
        if str(mg["factor"]) != factor:
            raise MethodInputError(
                f"the merge '{mg['hypothesis']}' belongs to factor '{mg['factor']}', "
                f"not to '{factor}'"
            )
        merged[str(mg["hypothesis"])] = mg
    return merged


def _rule_proposal(
    statistics: Mapping[str, Any],
    actions_can_reach_desirable: bool,
    override: str | None,
    reason: str | None,
) -> Retention:
    """What the rule retains (nothing when its target is tied), before any override."""
    rule_name = "most_desirable" if actions_can_reach_desirable else "most_probable"
    target = statistics[rule_name]
    candidates = [str(c) for c in target["hypotheses"]]
    proposal = candidates[0] if target["decided"] else None
    return {
        "factor": str(statistics["factor"]),
        "retained": proposal,
        "rule": rule_name,
        "proposal": proposal,
        "candidates": candidates,
        "decided": proposal is not None,
        "actions_can_reach_desirable": bool(actions_can_reach_desirable),
        "most_probable": list(statistics["most_probable"]["hypotheses"]),
        "most_desirable": list(statistics["most_desirable"]["hypotheses"]),
        "both": statistics["both"],
        "override": None,
        "merged_from": None,
        "text": None,
        "note": None,
        "parameters": {
            "actions_can_reach_desirable": bool(actions_can_reach_desirable),
            "retention_rule": (
                "most desirable if actions can reach it, otherwise most probable; "
                "an override with a reason replaces the rule"
            ),
            "override": override,
            "reason": reason,
        },
    }
