"""The method core's results have exactly the keys their TypedDicts declare.

Each public function runs on small real inputs; :func:`tests.method.typed_results.check`
walks the result along its declared type (no undeclared key, every required key, values
of the declared types), and every declared key, ``NotRequired`` ones included, must
appear in at least one result.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

import numpy as np
import pytest

from anticipe.method import (
    concordance,
    cross_impact,
    disagreement,
    hypotheses,
    impacts,
    influence_graph,
)
from anticipe.method import structural_analysis as micmac
from anticipe.method.weighted_vote import WeightedVote, weighted_vote
from tests.method.typed_results import KeysSeen, check

CODES = ["F1", "F2", "F3", "F4"]
EXPERTS = ["E1", "E2", "E3"]
SCORES = np.array(
    [
        [[0, 3, 2, 1], [1, 0, 1, np.nan], [0, 1, 0, 3], [2, 0, 1, 0]],
        [[0, 2, 3, 0], [0, 0, 1, 2], [0, np.nan, 0, 1], [3, 1, 0, 0]],
        [[0, 1, 1, 1], [2, 0, 3, 0], [1, 2, 0, 0], [0, 0, 2, 0]],
    ]
)
# P cells (no score there): E2 marks F2 -> F1 (scored 0) and F3 -> F2 (don't know)
POTENTIAL = np.zeros(SCORES.shape, dtype=bool)
POTENTIAL[1, 1, 0] = POTENTIAL[1, 2, 1] = True

CIB = [
    [0, 0, 2, -2, 1, -1],
    [0, 0, -1, 1, -1, 1],
    [2, -2, 0, 0, 0, 0],
    [-1, 1, 0, 0, 0, 0],
    [1, -1, 2, -2, 0, 0],
    [-1, 1, -2, 2, 0, 0],
]


def results() -> list[tuple[Any, Any]]:
    """(result, its declared type) for every public function of the core."""
    vote = weighted_vote(
        [[5, 3, 2, 0], [4, 0, 6, 0], [0, 6, 4, 0]], CODES, EXPERTS, shortlist_size=2
    )
    ranks = weighted_vote(
        [[1, 2, 3, 4], [2, 1, 4, 3], [1, 3, 2, np.nan]], CODES, EXPERTS, method="ranks"
    )
    options: dict[str, Any] = {"potential": POTENTIAL, "experts": EXPERTS}
    analysis = micmac.structural_analysis(SCORES, CODES, **options)
    stats = hypotheses.hypothesis_statistics(
        "F1",
        ["A", "B", "C"],
        EXPERTS,
        [[4, 2, 1], [3, np.nan, 2], [4, 1, np.nan]],
        [[3, 4, 1], [4, 3, 2], [np.nan, 4, 1]],
        probability_answered=np.array([[True] * 3, [True] * 3, [True, True, False]]),
    )
    merge = hypotheses.merge_hypotheses(stats, ["B", "C"], code="BC", text="b and c")
    return [
        (vote, WeightedVote),
        (ranks, WeightedVote),
        (concordance.kendall_w([[1, 2], [2, 1]]), concordance.KendallW),
        (concordance.kendall_w([[1, 2]]), concordance.KendallW),
        (micmac.aggregate(SCORES, CODES, **options), micmac.AggregatedMatrices),
        (micmac.classify(analysis["matrix"], CODES), micmac.Classification),
        (analysis, micmac.StructuralAnalysis),
        (micmac.select_key_factors(analysis["direct"]), micmac.KeyFactorSelection),
        *((s, micmac.KeyFactorSelection) for s in micmac.plane_selections(analysis).values()),
        *(
            (g, influence_graph.InfluenceGraph)
            for g in influence_graph.analysis_graphs(analysis).values()
        ),
        (
            influence_graph.influence_graph(np.zeros((2, 2)), ["A", "B"]),
            influence_graph.InfluenceGraph,
        ),
        (
            micmac.finalise_key_factors(analysis["selection"], [("F4", "the panel asked")]),
            micmac.FinalKeyFactors,
        ),
        (
            disagreement.bootstrap_experts(
                SCORES, CODES, seed=1, n_resamples=20, selection_basis="potential_direct", **options
            ),
            disagreement.Bootstrap,
        ),
        (disagreement.leave_one_expert_out(SCORES, CODES, **options), disagreement.LeaveOneOut),
        (disagreement.expert_concordance(SCORES, CODES, **options), disagreement.ExpertConcordance),
        (hypotheses.vote_statistics([1, 2, np.nan]), hypotheses.VoteStatistics),
        (stats, hypotheses.HypothesisStatistics),
        (merge, hypotheses.Merge),
        (hypotheses.retain(stats, actions_can_reach_desirable=False), hypotheses.Retention),
        (
            hypotheses.retain(
                stats,
                actions_can_reach_desirable=True,
                override="BC",
                reason="the panel merged them",
                merges=[merge],
            ),
            hypotheses.Retention,
        ),
        (
            impacts.impact_table(
                ["H1", "H2"],
                ["a1", "a2", "a3"],
                [("H1", "a1", ["Écouter"]), ("H2", "a1", ["écouter ", "Guider"]), ("H2", "a2")],
            ),
            impacts.ImpactTable,
        ),
        (
            cross_impact.scenario_consistency(
                CIB, [2, 2, 2], [0, 0, 0], descriptors=["D1", "D2", "D3"], variants=[["a", "b"]] * 3
            ),
            cross_impact.ScenarioConsistency,
        ),
        (
            cross_impact.scenario_consistency(CIB, [2, 2, 2], [0, 1, 0]),
            cross_impact.ScenarioConsistency,
        ),
        (cross_impact.succession(CIB, [2, 2, 2], [1, 0, 1]), cross_impact.Succession),
        (cross_impact.consistent_scenarios(CIB, [2, 2, 2]), cross_impact.ConsistentScenarios),
        (
            cross_impact.consistent_scenarios_from_labels(
                CIB, [("D1", ["a", "b"]), ("D2", ["a", "b"]), ("D3", ["a", "b"])]
            ),
            cross_impact.ConsistentScenarios,
        ),
    ]


def test_every_result_has_the_keys_of_its_type() -> None:
    seen = KeysSeen()
    problems = [p for result, declared in results() for p in check(result, declared, seen)]
    assert problems == []
    # no key is declared that no result has
    assert seen.never_seen() == {}


class _Inner(TypedDict):
    value: float | None


class _Outer(TypedDict):
    code: str
    rows: list[_Inner]
    by_code: dict[str, int]
    note: NotRequired[str]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"code": "A", "rows": [], "by_code": {}, "extra": 1}, "key 'extra' is not declared"),
        ({"code": "A", "rows": []}, "required key 'by_code' of _Outer is missing"),
        ({"code": 1, "rows": [], "by_code": {}}, "$.code: 1 is not str"),
        ({"code": "A", "rows": [{"value": "x"}], "by_code": {}}, "$.rows[0].value"),
        ({"code": "A", "rows": [], "by_code": {"F1": True}}, "$.by_code.F1: True is not int"),
        ({"code": "A", "rows": [{}], "by_code": {}}, "required key 'value' of _Inner"),
    ],
)
def test_check_finds_what_differs_from_the_type(value: Any, problem: str) -> None:
    problems = check(value, _Outer)
    assert any(problem in p for p in problems), problems


def test_check_accepts_a_matching_value_and_records_its_keys() -> None:
    seen = KeysSeen()
    value = {"code": "A", "rows": [{"value": None}, {"value": 2}], "by_code": {"F1": 3}}
    assert check(value, _Outer, seen) == []
    assert seen.never_seen() == {"_Outer": {"note"}}
    assert check({**value, "note": "n"}, _Outer, seen) == []
    assert seen.never_seen() == {}
