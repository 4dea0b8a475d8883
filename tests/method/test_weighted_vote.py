"""Tests of the weighted vote (step 2): tally, ranking with ties, shortlist, W."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anticipe.method import MethodInputError
from anticipe.method.concordance import kendall_w
from anticipe.method.weighted_vote import competition_ranking, weighted_vote

NAN = math.nan
FACTORS = ["A1", "A2", "A3", "A4", "A5"]
EXPERTS = ["E1", "E2", "E3"]
# 10 points each
POINTS = [
    [5, 3, 2, 0, NAN],
    [4, 0, 4, 2, 0],
    [6, 2, 0, 0, 2],
]


def test_hand_computed_tally_and_ranking() -> None:
    r = weighted_vote(POINTS, FACTORS, EXPERTS, points_per_expert=10)
    tally = {t["factor"]: t for t in r["tally"]}
    assert tally["A1"] == {
        "factor": "A1",
        "points": 15.0,
        "support": 3,
        "mean": 5.0,
        "mean_among_supporters": 5.0,
    }
    assert tally["A2"]["points"] == 5.0
    assert tally["A2"]["support"] == 2
    assert tally["A2"]["mean_among_supporters"] == 2.5
    assert tally["A5"]["points"] == 2.0
    assert tally["A5"]["support"] == 1
    # A1 15, A3 6, A2 5, A4 2, A5 2 -> ranks 1, 2, 3, 4, 4
    assert [(x["factor"], x["rank"], x["tied"]) for x in r["ranking"]] == [
        ("A1", 1, False),
        ("A3", 2, False),
        ("A2", 3, False),
        ("A4", 4, True),
        ("A5", 4, True),
    ]
    assert r["expert_totals"] == [
        {"expert": "E1", "points": 10.0},
        {"expert": "E2", "points": 10.0},
        {"expert": "E3", "points": 10.0},
    ]
    assert r["shortlist"] is None
    # concordance is Kendall's W over the experts' points, zeros tied at the bottom
    expected = kendall_w(np.nan_to_num(np.array(POINTS, dtype=float)))
    assert r["concordance"]["w"] == pytest.approx(expected["w"])
    assert r["concordance"]["m"] == 3
    assert r["concordance"]["n"] == 5
    assert json.loads(json.dumps(r)) == r


def test_competition_ranking_1_2_2_4() -> None:
    order, ranks, tied = competition_ranking([[7.0], [9.0], [7.0], [3.0]])
    assert order == [1, 0, 2, 3]
    assert ranks == [1, 2, 2, 4]
    assert tied == [False, True, True, False]


def test_tie_break_by_support() -> None:
    pts = [[3, 3, 0], [0, 0, 3], [0, 0, 0]]
    r = weighted_vote(pts, ["X", "Y", "Z"], EXPERTS, tie_break="none")
    assert [x["rank"] for x in r["ranking"]] == [1, 1, 1]
    pts = [[2, 3, 0], [1, 0, 3], [0, 0, 0]]  # X 3 pts by 2 experts, Y and Z 3 pts by 1
    r = weighted_vote(pts, ["X", "Y", "Z"], EXPERTS, tie_break="support")
    assert [(x["factor"], x["rank"], x["tied"]) for x in r["ranking"]] == [
        ("X", 1, False),
        ("Y", 2, True),
        ("Z", 2, True),
    ]
    assert r["parameters"]["tie_break"] == "support"


@pytest.mark.parametrize(
    ("policy", "selected", "seats", "decided"),
    [
        ("facilitator", ["A1", "A3", "A2"], 1, False),
        ("include_all", ["A1", "A3", "A2", "A4", "A5"], 0, True),
        ("exclude_all", ["A1", "A3", "A2"], 0, True),
    ],
)
def test_tie_at_the_cut(policy: str, selected: list[str], seats: int, decided: bool) -> None:
    r = weighted_vote(POINTS, FACTORS, EXPERTS, shortlist_size=4, tie_policy=policy)
    s = r["shortlist"]
    assert s["selected"] == selected
    assert s["tied_at_cut"] == ["A4", "A5"]
    assert s["seats_left"] == seats
    assert s["decided"] is decided
    assert r["parameters"]["tie_policy"] == policy
    assert r["parameters"]["shortlist_size"] == 4


def test_no_tie_at_the_cut_and_oversized_shortlist() -> None:
    r = weighted_vote(POINTS, FACTORS, EXPERTS, shortlist_size=3)
    assert r["shortlist"] == {
        "size_requested": 3,
        "selected": ["A1", "A3", "A2"],
        "tied_at_cut": [],
        "seats_left": 0,
        "decided": True,
    }
    # a tie inside the shortlist is not a tie at the cut
    r = weighted_vote(POINTS, FACTORS, EXPERTS, shortlist_size=5)
    assert r["shortlist"]["selected"] == ["A1", "A3", "A2", "A4", "A5"]
    assert r["shortlist"]["decided"] is True
    assert weighted_vote(POINTS, FACTORS, EXPERTS, shortlist_size=9)["shortlist"]["decided"]


def test_ranks_method_uses_borda() -> None:
    ranks = [[1, 2, 3, NAN], [2, 1, 0, 3], [1, 3, 2, 4]]
    r = weighted_vote(ranks, ["A", "B", "C", "D"], EXPERTS, method="ranks")
    # 4 factors: rank r -> 5 - r points; unranked -> 0
    # A: 4 + 3 + 4 = 11, B: 3 + 4 + 2 = 9, C: 2 + 0 + 3 = 5, D: 0 + 2 + 1 = 3
    assert [t["points"] for t in r["tally"]] == [11.0, 9.0, 5.0, 3.0]
    assert [t["support"] for t in r["tally"]] == [3, 3, 2, 2]
    assert "Borda" in r["parameters"]["rank_to_points"]
    assert r["concordance"]["w"] is not None


def test_budget_errors_name_the_expert() -> None:
    bad = [[5, 3, 2, 0, 0], [4, 0, 4, 2, 1], [6, 2, 0, 0, 2]]
    with pytest.raises(MethodInputError, match=r"expert 'E2' gave 11 points, expected 10"):
        weighted_vote(bad, FACTORS, EXPERTS, points_per_expert=10)
    short = [[5, 3, 0, 0, 0], [4, 0, 4, 2, 0], [6, 2, 0, 0, 2]]
    with pytest.raises(MethodInputError, match=r"expert 'E1' gave 8 points"):
        weighted_vote(short, FACTORS, EXPERTS, points_per_expert=10)
    r = weighted_vote(short, FACTORS, EXPERTS, points_per_expert=10, allow_unspent=True)
    assert r["parameters"]["allow_unspent"] is True
    with pytest.raises(MethodInputError, match=r"expert 'E3' gave -1 to factor 'A2'"):
        weighted_vote([[1, 0, 0, 0, 0], [1, 0, 0, 0, 0], [1, -1, 0, 0, 0]], FACTORS, EXPERTS)


def test_input_errors() -> None:
    with pytest.raises(MethodInputError, match="factor 'A1' appears twice"):
        weighted_vote(POINTS, ["A1", "A1", "A3", "A4", "A5"], EXPERTS)
    with pytest.raises(MethodInputError, match="5 columns but 4 factor codes"):
        weighted_vote(POINTS, FACTORS[:4], EXPERTS)
    with pytest.raises(MethodInputError, match=r"rank 2\.5 to factor 'B'"):
        weighted_vote([[1, 2.5], [1, 2]], ["A", "B"], ["E1", "E2"], method="ranks")
    with pytest.raises(MethodInputError, match="whole numbers from 1 to 2"):
        weighted_vote([[1, 3], [1, 2]], ["A", "B"], ["E1", "E2"], method="ranks")
    with pytest.raises(MethodInputError, match="tie policy"):
        weighted_vote(POINTS, FACTORS, EXPERTS, tie_policy="coin")
    with pytest.raises(MethodInputError, match="shortlist size"):
        weighted_vote(POINTS, FACTORS, EXPERTS, shortlist_size=0)
    with pytest.raises(MethodInputError, match="'points' method only"):
        weighted_vote(POINTS, FACTORS, EXPERTS, method="ranks", points_per_expert=10)


def test_single_expert_has_no_concordance() -> None:
    r = weighted_vote([[3, 2, 1]], ["A", "B", "C"], ["E1"])
    assert r["concordance"]["w"] is None
    assert [x["factor"] for x in r["ranking"]] == ["A", "B", "C"]


def _slow_ranks(points: list[float]) -> list[int]:
    return [1 + sum(1 for q in points if q > p) for p in points]


vote_tables = st.integers(min_value=1, max_value=8).flatmap(
    lambda n: st.lists(
        st.lists(st.integers(min_value=0, max_value=6), min_size=n, max_size=n),
        min_size=1,
        max_size=7,
    )
)


@settings(max_examples=150, deadline=None)
@given(table=vote_tables, data=st.data())
def test_tally_invariant_under_factor_permutation(
    table: list[list[int]], data: st.DataObject
) -> None:
    n = len(table[0])
    factors = [f"F{j}" for j in range(n)]
    experts = [f"E{i}" for i in range(len(table))]
    base = weighted_vote(table, factors, experts)
    perm = data.draw(st.permutations(range(n)))
    shuffled = weighted_vote(
        [[row[j] for j in perm] for row in table], [factors[j] for j in perm], experts
    )
    by_factor = {t["factor"]: t for t in base["tally"]}
    for t in shuffled["tally"]:
        assert t == by_factor[t["factor"]]
    base_ranks = {x["factor"]: (x["rank"], x["tied"]) for x in base["ranking"]}
    assert {x["factor"]: (x["rank"], x["tied"]) for x in shuffled["ranking"]} == base_ranks
    if base["concordance"]["w"] is not None:
        assert shuffled["concordance"]["w"] == pytest.approx(base["concordance"]["w"])


@settings(max_examples=150, deadline=None)
@given(table=vote_tables, size=st.integers(min_value=1, max_value=9))
def test_ranking_and_shortlist_properties(table: list[list[int]], size: int) -> None:
    n = len(table[0])
    factors = [f"F{j}" for j in range(n)]
    experts = [f"E{i}" for i in range(len(table))]
    policies = ("facilitator", "include_all", "exclude_all")
    results = {
        p: weighted_vote(table, factors, experts, shortlist_size=size, tie_policy=p)
        for p in policies
    }
    r = results["facilitator"]
    # ranks agree with a slow count of strictly better factors
    points = [t["points"] for t in r["tally"]]
    slow = dict(zip(factors, _slow_ranks(points), strict=True))
    assert {x["factor"]: x["rank"] for x in r["ranking"]} == slow
    # totals add up, support counts experts with points
    assert sum(points) == pytest.approx(float(np.sum(table)))
    for j, t in enumerate(r["tally"]):
        assert t["support"] == sum(1 for row in table if row[j] > 0)
    inc = results["include_all"]["shortlist"]
    exc = results["exclude_all"]["shortlist"]
    fac = r["shortlist"]
    # a factor no expert gave a point to is never selected, whatever the policy
    voted = [f for f in factors if any(row[factors.index(f)] > 0 for row in table)]
    for shortlist in (inc, exc, fac):
        assert set(shortlist["selected"]) <= set(voted)
    seats = min(size, len(voted))
    assert len(exc["selected"]) <= seats <= len(inc["selected"])
    assert set(exc["selected"]) <= set(fac["selected"]) <= set(inc["selected"])
    assert len(fac["selected"]) + fac["seats_left"] == seats
    if fac["tied_at_cut"]:
        assert fac["decided"] is False
        assert 0 < fac["seats_left"] < len(fac["tied_at_cut"])
        assert set(inc["selected"]) - set(exc["selected"]) == set(fac["tied_at_cut"])
    else:
        assert inc["selected"] == exc["selected"] == fac["selected"]
        assert len(fac["selected"]) == seats
    # every selected factor has at least as many points as every unselected one
    sel = set(fac["selected"])
    tally = {t["factor"]: t["points"] for t in r["tally"]}
    if sel and len(sel) < n:
        assert min(tally[f] for f in sel) >= max(tally[f] for f in factors if f not in sel)


def test_a_factor_nobody_voted_for_is_never_selected() -> None:
    # 4 factors, only F0 and F1 got points; a shortlist of 3 is those two, decided
    table = [[5, 3, 0, 0], [4, 0, 0, 0]]
    result = weighted_vote(
        table, ["F0", "F1", "F2", "F3"], ["E1", "E2"], shortlist_size=3, tie_policy="include_all"
    )
    shortlist = result["shortlist"]
    assert shortlist is not None
    assert shortlist["selected"] == ["F0", "F1"]
    assert shortlist["tied_at_cut"] == []
    assert shortlist["decided"] is True
