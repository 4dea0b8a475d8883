"""The minimum number of answers in the method core: below it a question's statistics are
withheld and a factor has no most probable or most desirable hypothesis."""

from __future__ import annotations

import math

import pytest

from anticipe.method.errors import MethodInputError
from anticipe.method.hypotheses import hypothesis_statistics, retain, vote_statistics

NAN = math.nan


def test_a_question_below_the_minimum_shows_its_counts_only() -> None:
    enough = vote_statistics([3, 4, 4], min_answers=3)
    assert enough["enough"] is True
    assert enough["distribution"] == [0, 0, 1, 2]
    withheld = vote_statistics([3, 4, NAN], min_answers=3)
    assert (withheld["n_answers"], withheld["n_dont_know"]) == (2, 1)
    assert withheld["enough"] is False
    for key in ("mean", "median", "q1", "q3", "iqr", "consensus", "distribution"):
        assert withheld[key] is None, key
    # nothing to withhold: no answer at all
    assert vote_statistics([NAN, NAN], min_answers=3)["distribution"] == [0, 0, 0, 0]


def test_a_factor_below_the_minimum_decides_nothing() -> None:
    # x has 3 answers on both scales, y has 2 probabilities (one "don't know")
    probability = [[4, 1], [4, 2], [4, NAN]]
    desirability = [[1, 4], [1, 4], [1, 4]]
    s = hypothesis_statistics(
        "F", ["x", "y"], ["1", "2", "3"], probability, desirability, min_answers=3
    )
    assert s["below_minimum"] == [{"hypothesis": "y", "question": "probability", "n_answers": 2}]
    assert s["most_probable"] == {"hypotheses": [], "decided": False}
    assert s["most_desirable"] == {"hypotheses": ["y"], "decided": True}
    assert s["both"] is None
    assert s["parameters"]["min_answers"] == 3
    unreachable = retain(s, actions_can_reach_desirable=False)
    assert unreachable["proposal"] is None
    assert unreachable["note"] == (
        "fewer answers than the minimum of 3 on the probability of 'y' (2): "
        "the rule proposes nothing"
    )
    assert retain(s, actions_can_reach_desirable=True)["proposal"] == "y"
    # the facilitator may still decide, with a reason
    decided = retain(s, actions_can_reach_desirable=False, override="x", reason="workshop 3")
    assert decided["retained"] == "x"
    # without a minimum (1), as before: x is the most probable
    free = hypothesis_statistics("F", ["x", "y"], ["1", "2", "3"], probability, desirability)
    assert free["most_probable"] == {"hypotheses": ["x"], "decided": True}
    assert free["below_minimum"] == []


@pytest.mark.parametrize("bad", [0, -1, True, 2.5, "3"])
def test_the_minimum_is_a_whole_number_from_1(bad: object) -> None:
    with pytest.raises(MethodInputError, match="minimum number of answers"):
        vote_statistics([1, 2], min_answers=bad)  # type: ignore[arg-type]


def test_a_hypothesis_nobody_answered_stops_the_choice() -> None:
    # z was written after the vote: nobody answered it; even with a minimum of 1 the
    # factor's most probable is not chosen among the others
    s = hypothesis_statistics(
        "F", ["x", "z"], ["1", "2"], [[4, NAN], [3, NAN]], [[2, NAN], [2, NAN]]
    )
    assert s["most_probable"] == {"hypotheses": [], "decided": False}
    assert {b["hypothesis"] for b in s["below_minimum"]} == {"z"}
