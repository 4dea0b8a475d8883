"""Tests of step 4: statistics of the probability/desirability votes, retention, merges."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anticipe.method import MethodInputError
from anticipe.method.hypotheses import (
    hypothesis_statistics,
    merge_hypotheses,
    retain,
    vote_statistics,
)

NAN = math.nan
EXPERTS = ["E1", "E2", "E3", "E4", "E5", "E6"]


def _type7(sorted_x: list[float], p: float) -> float:
    """Hyndman & Fan definition 7, written out: position h = (n - 1) p (0-based)."""
    h = (len(sorted_x) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(sorted_x) - 1)
    return sorted_x[lo] + (h - lo) * (sorted_x[hi] - sorted_x[lo])


def test_quartiles_follow_type_7_reference_values() -> None:
    # Microsoft's QUARTILE.INC documentation example (same definition as numpy
    # 'linear' and R type 7): data 1, 2, 4, 7, 8, 9, 10, 12 -> first quartile 3.5.
    s = vote_statistics([1, 2, 4, 7, 8, 9, 10, 12], scale=(1, 12))
    assert s["q1"] == 3.5
    assert s["median"] == 7.5
    assert s["q3"] == 9.25
    # R: quantile(c(1, 2, 3, 4)) -> 1.75, 2.5, 3.25
    s = vote_statistics([4, 2, 1, 3])
    assert (s["q1"], s["median"], s["q3"], s["iqr"]) == (1.75, 2.5, 3.25, 1.5)
    assert s["consensus"] is False


def test_hand_computed_statistics_with_dont_know() -> None:
    s = vote_statistics([3, 4, NAN, 3, 2, 4, 4, NAN])
    assert s == {
        "n_answers": 6,
        "n_dont_know": 2,
        "n_no_answer": 0,
        "enough": True,
        "mean": pytest.approx(20 / 6),
        "median": 3.5,
        "q1": 3.0,
        "q3": 4.0,
        "iqr": 1.0,
        "distribution": [0, 1, 2, 3],
        "scale_values": [1, 2, 3, 4],
        "consensus": True,
    }
    empty = vote_statistics([NAN, NAN])
    assert empty["n_answers"] == 0
    assert empty["n_dont_know"] == 2
    assert empty["median"] is None
    assert empty["consensus"] is None
    assert empty["distribution"] == [0, 0, 0, 0]


def test_an_expert_who_did_not_answer_is_not_a_dont_know() -> None:
    # 5 experts: 3 and 4 given, one "don't know", two who never answered.
    s = vote_statistics([3, NAN, 4, NAN, NAN], answered=[True, True, True, False, False])
    assert (s["n_answers"], s["n_dont_know"], s["n_no_answer"]) == (2, 1, 2)
    assert s["median"] == 3.5
    with pytest.raises(MethodInputError, match="marked as not answering"):
        vote_statistics([3, 4], answered=[True, False])
    with pytest.raises(MethodInputError, match="True/False"):
        vote_statistics([3, 4], answered=[1, 1])


def test_tie_rule_counts_dont_know_not_missing_answers() -> None:
    # A and B have the same probabilities (median 3, mean 3); A has a "don't know" (E3),
    # B has an expert who never answered it (E3): B has fewer don't-knows, so B wins.
    probability = [[3, 3], [3, 3], [NAN, NAN]]
    desirability = [[2, 2], [2, 2], [2, 2]]
    answered = [[True, True], [True, True], [True, False]]
    r = hypothesis_statistics(
        "F1",
        ["A", "B"],
        ["E1", "E2", "E3"],
        probability,
        desirability,
        probability_answered=answered,
    )
    assert r["most_probable"] == {"hypotheses": ["B"], "decided": True}
    by = {h["hypothesis"]: h for h in r["hypotheses"]}
    assert by["A"]["probability"]["n_dont_know"] == 1
    assert by["B"]["probability"]["n_no_answer"] == 1
    # without the mask, both NaN are don't-knows: a tie
    tied = hypothesis_statistics("F1", ["A", "B"], ["E1", "E2", "E3"], probability, desirability)
    assert tied["most_probable"] == {"hypotheses": ["A", "B"], "decided": False}


def test_scale_is_a_parameter_and_is_validated() -> None:
    s = vote_statistics([0, 5, 10], scale=(0, 10), consensus_max_iqr=5.0)
    assert len(s["distribution"]) == 11
    assert s["iqr"] == 5.0
    assert s["consensus"] is True
    with pytest.raises(MethodInputError, match="answered 5"):
        vote_statistics([1, 5])
    with pytest.raises(MethodInputError, match=r"answered 2\.5"):
        vote_statistics([1, 2.5])
    with pytest.raises(MethodInputError, match="scale"):
        vote_statistics([1], scale=(4, 1))


# Factor A19 of the seed report: three hypotheses (a, b, c), b and c merged.
PROB = [
    [3, 3, 2],
    [2, 3, 2],
    [3, 4, 1],
    [NAN, 3, 2],
    [2, 2, 3],
    [3, 3, NAN],
]
DES = [
    [1, 3, 4],
    [1, 4, 4],
    [2, 3, 4],
    [1, 3, 3],
    [1, 4, 4],
    [2, NAN, 4],
]


def test_factor_statistics_most_probable_and_desirable() -> None:
    s = hypothesis_statistics("A19", ["a", "b", "c"], EXPERTS, PROB, DES)
    by = {h["hypothesis"]: h for h in s["hypotheses"]}
    assert by["a"]["probability"]["n_dont_know"] == 1
    assert by["b"]["probability"]["median"] == 3.0
    assert by["c"]["desirability"]["median"] == 4.0
    assert s["most_probable"] == {"hypotheses": ["b"], "decided": True}
    assert s["most_desirable"] == {"hypotheses": ["c"], "decided": True}
    assert s["both"] is None
    assert s["parameters"]["quantile_method"].startswith("numpy 'linear'")
    assert s["parameters"]["consensus_max_iqr"] == 1.0
    assert json.loads(json.dumps(s)) == s


def test_tie_rule_median_then_mean_then_dont_know() -> None:
    # same median 3; mean decides
    s = hypothesis_statistics(
        "F", ["x", "y"], ["1", "2", "3"], [[3, 3], [3, 3], [2, 4]], [[1, 1]] * 3
    )
    assert s["most_probable"]["hypotheses"] == ["y"]
    # same median and mean; fewer don't-know decides
    s = hypothesis_statistics(
        "F", ["x", "y"], ["1", "2", "3"], [[3, 3], [3, 3], [NAN, 3]], [[1, 1]] * 3
    )
    assert s["most_probable"]["hypotheses"] == ["y"]
    # equal on all three: both reported, none chosen, no "both"
    s = hypothesis_statistics("F", ["x", "y"], ["1", "2"], [[3, 3], [2, 2]], [[4, 4], [4, 4]])
    assert s["most_probable"] == {"hypotheses": ["x", "y"], "decided": False}
    assert s["most_desirable"] == {"hypotheses": ["x", "y"], "decided": False}
    assert s["both"] is None


def test_both_when_most_probable_is_most_desirable() -> None:
    s = hypothesis_statistics("F", ["x", "y"], ["1", "2"], [[4, 1], [4, 2]], [[4, 1], [3, 2]])
    assert s["both"] == "x"
    r = retain(s, actions_can_reach_desirable=False)
    assert r["retained"] == "x"
    assert r["rule"] == "most_probable"
    assert r["both"] == "x"


def test_retention_rule_proposal_then_decision_with_merge() -> None:
    stats = hypothesis_statistics("A19", ["a", "b", "c"], EXPERTS, PROB, DES)
    reachable = retain(stats, actions_can_reach_desirable=True)
    assert reachable["retained"] == "c"
    assert reachable["rule"] == "most_desirable"
    assert reachable["decided"] is True
    assert reachable["override"] is None
    unreachable = retain(stats, actions_can_reach_desirable=False)
    assert unreachable["retained"] == "b"
    assert unreachable["rule"] == "most_probable"

    merged = merge_hypotheses(stats, ["c", "b"], code="bc", text="b and c together")
    assert merged == {
        "factor": "A19",
        "hypothesis": "bc",
        "text": "b and c together",
        "merged_from": ["b", "c"],
    }
    decision = retain(
        stats,
        actions_can_reach_desirable=True,
        override="bc",
        reason="the panel merged b and c in workshop 3",
        merges=[merged],
    )
    assert decision["retained"] == "bc"
    assert decision["rule"] == "override"
    assert decision["proposal"] == "bc"  # the rule's 'c' is merged: the merge stands for it
    assert decision["candidates"] == ["c"]
    assert decision["merged_from"] == ["b", "c"]
    assert decision["text"] == "b and c together"
    assert decision["override"] == {
        "hypothesis": "bc",
        "reason": "the panel merged b and c in workshop 3",
    }
    assert decision["parameters"]["override"] == "bc"
    # the votes cast on the originals are untouched
    assert stats == hypothesis_statistics("A19", ["a", "b", "c"], EXPERTS, PROB, DES)
    assert json.loads(json.dumps(decision)) == decision


def test_a_merged_hypothesis_is_never_retained() -> None:
    """The rule's hypothesis merged into another: the rule proposes the merge; merged into
    two, nothing; an override of a merged hypothesis is refused."""
    stats = hypothesis_statistics("A19", ["a", "b", "c"], EXPERTS, PROB, DES)
    bc = merge_hypotheses(stats, ["b", "c"], code="bc", text="b and c together")
    proposal = retain(stats, actions_can_reach_desirable=True, merges=[bc])
    assert proposal["proposal"] == proposal["retained"] == "bc"
    assert proposal["candidates"] == ["c"]
    assert proposal["rule"] == "most_desirable"
    assert proposal["decided"] is True
    assert proposal["merged_from"] == ["b", "c"]
    assert proposal["text"] == "b and c together"
    # a merge that leaves the rule's hypothesis alone changes nothing
    ab = merge_hypotheses(stats, ["a", "b"], code="ab", text="a and b together")
    alone = retain(stats, actions_can_reach_desirable=True, merges=[ab])
    assert (alone["proposal"], alone["merged_from"]) == ("c", None)
    # an override of a hypothesis that is not a merge does not carry the rule's merge
    other = retain(stats, actions_can_reach_desirable=True, override="a", reason="r", merges=[bc])
    assert (other["retained"], other["merged_from"], other["text"]) == ("a", None, None)
    # 'b' in two merges: the rule cannot say which one stands for it
    ambiguous = retain(stats, actions_can_reach_desirable=False, merges=[bc, ab])
    assert ambiguous["proposal"] is None
    assert ambiguous["retained"] is None
    assert ambiguous["decided"] is False
    assert "'b' is merged into 'bc', 'ab'" in ambiguous["note"]
    with pytest.raises(MethodInputError, match="'c' of factor 'A19' is merged into 'bc'"):
        retain(stats, actions_can_reach_desirable=True, override="c", reason="r", merges=[bc])


def test_tied_target_needs_the_facilitator() -> None:
    s = hypothesis_statistics(
        "F", ["x", "y", "z"], ["1", "2"], [[3, 3, 1], [2, 2, 1]], [[1] * 3] * 2
    )
    r = retain(s, actions_can_reach_desirable=False)
    assert r["retained"] is None
    assert r["decided"] is False
    assert r["candidates"] == ["x", "y"]
    assert "'x', 'y'" in r["note"]
    d = retain(s, actions_can_reach_desirable=False, override="y", reason="closer to the field")
    assert d["retained"] == "y"
    assert d["rule"] == "override"
    assert d["decided"] is True


def test_retention_and_merge_errors() -> None:
    stats = hypothesis_statistics("A19", ["a", "b", "c"], EXPERTS, PROB, DES)
    with pytest.raises(MethodInputError, match="needs a reason"):
        retain(stats, actions_can_reach_desirable=True, override="a")
    with pytest.raises(MethodInputError, match="needs a reason"):
        retain(stats, actions_can_reach_desirable=True, override="a", reason="  ")
    with pytest.raises(MethodInputError, match="no hypothesis 'q' to retain"):
        retain(stats, actions_can_reach_desirable=True, override="q", reason="x")
    with pytest.raises(MethodInputError, match="without an override"):
        retain(stats, actions_can_reach_desirable=True, reason="x")
    with pytest.raises(MethodInputError, match="at least two"):
        merge_hypotheses(stats, ["b"], code="bc", text="t")
    with pytest.raises(MethodInputError, match="no hypothesis 'd'"):
        merge_hypotheses(stats, ["b", "d"], code="bc", text="t")
    with pytest.raises(MethodInputError, match="already has a hypothesis 'a'"):
        merge_hypotheses(stats, ["b", "c"], code="a", text="t")
    with pytest.raises(MethodInputError, match="needs a text"):
        merge_hypotheses(stats, ["b", "c"], code="bc", text="")
    other = hypothesis_statistics("A2", ["a", "b"], ["1"], [[1, 2]], [[1, 2]])
    foreign = merge_hypotheses(other, ["a", "b"], code="ab", text="t")
    with pytest.raises(MethodInputError, match="belongs to factor 'A2'"):
        retain(stats, actions_can_reach_desirable=True, merges=[foreign])


def test_factor_input_errors() -> None:
    with pytest.raises(MethodInputError, match="1 hypotheses, expected 2 to 5"):
        hypothesis_statistics("F", ["x"], ["1"], [[1]], [[1]])
    with pytest.raises(MethodInputError, match="6 hypotheses"):
        hypothesis_statistics("F", list("abcdef"), ["1"], [[1] * 6], [[1] * 6])
    with pytest.raises(MethodInputError, match="desirability votes on factor 'F' are a 2x3"):
        hypothesis_statistics("F", ["x", "y"], ["1", "2"], [[1, 1], [1, 1]], [[1, 1, 1]] * 2)
    with pytest.raises(
        MethodInputError, match=r"expert '2' answered 7 to the probability of hypothesis 'y'"
    ):
        hypothesis_statistics("F", ["x", "y"], ["1", "2"], [[1, 1], [1, 7]], [[1, 1]] * 2)
    with pytest.raises(MethodInputError, match="hypothesis 'x' appears twice"):
        hypothesis_statistics("F", ["x", "x"], ["1"], [[1, 1]], [[1, 1]])


answers = st.lists(
    st.one_of(st.integers(min_value=1, max_value=4).map(float), st.just(NAN)),
    min_size=1,
    max_size=15,
)


@settings(max_examples=200, deadline=None)
@given(votes=answers)
def test_statistics_match_slow_reference(votes: list[float]) -> None:
    s = vote_statistics(votes)
    known = sorted(v for v in votes if not math.isnan(v))
    assert s["n_answers"] == len(known)
    assert s["n_answers"] + s["n_dont_know"] == len(votes)
    assert s["n_no_answer"] == 0
    assert sum(s["distribution"]) == len(known)
    assert s["distribution"] == [known.count(float(v)) for v in (1, 2, 3, 4)]
    if known:
        assert s["mean"] == pytest.approx(sum(known) / len(known))
        assert s["median"] == pytest.approx(_type7(known, 0.5))
        assert s["q1"] == pytest.approx(_type7(known, 0.25))
        assert s["q3"] == pytest.approx(_type7(known, 0.75))
        assert 1 <= s["q1"] <= s["median"] <= s["q3"] <= 4
        assert s["consensus"] == (s["iqr"] <= 1.0)


@settings(max_examples=100, deadline=None)
@given(
    data=st.data(),
    k=st.integers(min_value=2, max_value=5),
    m=st.integers(min_value=1, max_value=8),
)
def test_most_probable_invariant_under_expert_and_hypothesis_order(
    data: st.DataObject, k: int, m: int
) -> None:
    cell = st.one_of(st.integers(1, 4).map(float), st.just(NAN))
    prob = np.array(
        data.draw(st.lists(st.lists(cell, min_size=k, max_size=k), min_size=m, max_size=m))
    )
    des = np.array(
        data.draw(st.lists(st.lists(cell, min_size=k, max_size=k), min_size=m, max_size=m))
    )
    codes = [f"h{j}" for j in range(k)]
    experts = [f"e{i}" for i in range(m)]
    base = hypothesis_statistics("F", codes, experts, prob, des)
    rows = data.draw(st.permutations(range(m)))
    cols = data.draw(st.permutations(range(k)))
    other = hypothesis_statistics(
        "F",
        [codes[j] for j in cols],
        [experts[i] for i in rows],
        prob[np.ix_(rows, cols)],
        des[np.ix_(rows, cols)],
    )
    for key in ("most_probable", "most_desirable"):
        assert set(other[key]["hypotheses"]) == set(base[key]["hypotheses"])
        assert other[key]["decided"] == base[key]["decided"]
    assert other["both"] == base["both"]
    # the chosen hypothesis has the highest median among those answered
    if base["most_probable"]["decided"]:
        best = base["most_probable"]["hypotheses"][0]
        medians = {
            h["hypothesis"]: h["probability"]["median"]
            for h in base["hypotheses"]
            if h["probability"]["median"] is not None
        }
        assert medians[best] == max(medians.values())
