"""Tests of the structural analysis (MICMAC), step 3 of the method.

No published MICMAC output with its input matrix was at hand to pin (the seed
report gives the selected factors but neither the experts' matrices nor the
coordinates of Graph 1), so the values below are computed by hand from the
definitions in Godet (1994, chapter 4) and from Perron-Frobenius theory (Horn &
Johnson 2013, chapter 8), and the fast implementation is checked against the
exact, loop-based reference in ``slow_structural_analysis.py``.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from anticipe.method import MethodInputError
from anticipe.method.structural_analysis import (
    _graph_periods,
    aggregate,
    classify,
    finalise_key_factors,
    select_key_factors,
    structural_analysis,
)
from tests.method import slow_structural_analysis as slow

NAN = float("nan")


# --------------------------------------------------------------------------- #
# Hand-computed cases
# --------------------------------------------------------------------------- #


def test_aggregation_by_hand() -> None:
    # cell A->B: answers 1, 3, don't know; cell B->A: 0, P, 2
    scores = np.array(
        [
            [[0, 1], [0, 0]],
            [[0, 3], [NAN, 0]],
            [[0, NAN], [2, 0]],
        ],
        dtype=float,
    )
    potential = np.zeros(scores.shape, dtype=bool)
    potential[1, 1, 0] = True
    res = aggregate(scores, ["A", "B"], potential=potential, experts=["E1", "E2", "E3"])
    assert res["matrix"] == [[0.0, 2.0], [pytest.approx(2 / 3), 0.0]]
    assert res["potential_matrix"] == [[0.0, 2.0], [pytest.approx(5 / 3), 0.0]]
    disp = res["dispersion"]
    assert disp["n_answers"] == [[0, 2], [3, 0]]
    # quartiles of {1, 3} with linear interpolation: 1.5 and 2.5
    assert disp["iqr"] == [[None, 1.0], [pytest.approx(1.0), None]]
    assert disp["share_at_least_1"] == [[None, 1.0], [pytest.approx(1 / 3), None]]
    assert disp["share_potential"] == [[None, 0.0], [pytest.approx(1 / 3), None]]
    assert res["unanswered_cells"] == []
    med = aggregate(scores, ["A", "B"], potential=potential, aggregation="median")
    assert med["matrix"] == [[0.0, 2.0], [0.0, 0.0]]
    assert med["potential_matrix"] == [[0.0, 2.0], [2.0, 0.0]]
    assert med["parameters"] == {"aggregation": "median", "potential_weight": 3.0}
    json.dumps(res)


def test_unanswered_cell_and_ignored_diagonal() -> None:
    scores = np.array([[[9, NAN, 1], [2, 9, 0], [1, 1, 9]]], dtype=float)
    res = aggregate(scores, ["A", "B", "C"])
    assert res["matrix"] == [[0.0, 0.0, 1.0], [2.0, 0.0, 0.0], [1.0, 1.0, 0.0]]
    assert res["unanswered_cells"] == [["A", "B"]]
    assert res["dispersion"]["iqr"][0][1] is None


def test_nilpotent_chain() -> None:
    # A -> B -> C: M^2 has only A -> C, M^3 = 0
    m = [[0, 1, 0], [0, 0, 1], [0, 0, 0]]
    res = classify(m, ["A", "B", "C"])
    d, ind = res["direct"], res["indirect"]
    assert d["influence"] == {"A": 1.0, "B": 1.0, "C": 0.0}
    assert d["dependence"] == {"A": 0.0, "B": 1.0, "C": 1.0}
    assert d["quadrant"] == {"A": "driving", "B": "relay", "C": "dependent"}
    assert ind["stop_reason"] == "nilpotent"
    assert ind["power"] == 2
    assert ind["method"] == "powers"
    # the last non-zero power, rescaled to the direct total 2
    assert ind["influence"] == {"A": 2.0, "B": 0.0, "C": 0.0}
    assert ind["dependence"] == {"A": 0.0, "B": 0.0, "C": 2.0}
    assert res["displacement"]["B"] == {"influence": 1 - 2, "dependence": 1 - 2}


def test_two_cycle_with_isolated_factor() -> None:
    m = [[0, 2, 0], [2, 0, 0], [0, 0, 0]]
    res = classify(m, ["A", "B", "C"])
    ind = res["indirect"]
    assert ind["stop_reason"] == "stable"
    assert ind["power"] == 2
    assert ind["influence"] == {"A": 2.0, "B": 2.0, "C": 0.0}
    assert ind["influence_rank"] == {"A": 1, "B": 1, "C": 3}
    assert res["direct"]["quadrant"] == {"A": "relay", "B": "relay", "C": "autonomous"}
    assert res["direct"]["means"] == {"influence": pytest.approx(4 / 3), "dependence": 4 / 3}


def test_isolated_factor_does_not_change_the_others() -> None:
    rng = np.random.default_rng(3)
    core = rng.integers(0, 4, (4, 4)).astype(float)
    np.fill_diagonal(core, 0)
    big = np.zeros((5, 5))
    big[:4, :4] = core
    a = classify(core, ["A", "B", "C", "D"])
    b = classify(big, ["A", "B", "C", "D", "X"])
    assert b["direct"]["influence"]["X"] == 0.0
    assert b["indirect"]["dependence"]["X"] == 0.0
    assert b["indirect"]["influence_rank"]["X"] >= 4
    assert b["direct"]["quadrant"]["X"] == "autonomous"
    for code in "ABCD":
        assert b["indirect"]["influence"][code] == pytest.approx(a["indirect"]["influence"][code])
    assert b["indirect"]["power"] == a["indirect"]["power"]


def test_all_zero_matrix() -> None:
    res = classify(np.zeros((3, 3)), ["A", "B", "C"])
    assert res["indirect"]["stop_reason"] == "zero_matrix"
    assert res["indirect"]["power"] == 1
    assert set(res["direct"]["quadrant"].values()) == {"autonomous"}
    assert all(res["direct"]["borderline"].values())
    assert res["direct"]["borderline_axes"]["A"] == ["influence", "dependence"]
    assert res["indirect"]["influence"] == {"A": 0.0, "B": 0.0, "C": 0.0}
    assert select_key_factors(res["direct"])["selected"] == []


def test_two_periodic_matrix_falls_back_to_perron() -> None:
    # A -> B (1), B -> A (2): eigenvalues +-sqrt 2, period 2; the row sums of
    # M^k alternate between "B ahead" and "tied". Right Perron vector (1, sqrt 2),
    # left (sqrt 2, 1), rescaled to the direct total 3.
    res = classify([[0, 1], [2, 0]], ["A", "B"])
    ind = res["indirect"]
    assert ind["stop_reason"] == "periodic"
    assert ind["period"] == 2
    assert ind["method"] == "perron"
    r2 = math.sqrt(2)
    assert ind["influence"]["A"] == pytest.approx(3 / (1 + r2))
    assert ind["influence"]["B"] == pytest.approx(3 * r2 / (1 + r2))
    assert ind["dependence"]["A"] == pytest.approx(3 * r2 / (1 + r2))


@pytest.mark.parametrize("k", [1.0, 1e-3, 7.3, 1e4])
def test_periodic_matrix_without_a_simple_perron_root_averages_one_period(k: float) -> None:
    # Two 2-cycles, F0 <-> F1 and F2 <-> F3, with F2 -> F1; F4 isolated. Both classes have
    # spectral radius 1, so the Perron root is not simple and the Perron vectors are not
    # unique (an eigen-solver returns any vector of the eigenspace, differently for M and
    # 7.3 M). The row sums of M^j: F0 = F1 = 1, F2 and F3 grow by one every other power
    # (F2: 2, 2, 3, 3, ...; F3: 1, 2, 2, 3, ...), so at the powers 31 and 32 that follow
    # max_power = 30 they are (1, 1, 17, 16, 0) and (1, 1, 17, 17, 0), of totals 35 and 36.
    # The values are the mean of these normalised row sums, rescaled to the direct total 5,
    # whatever the scale of the matrix.
    m = np.array(
        [
            [0, 1, 0, 0, 0],
            [1, 0, 0, 0, 0],
            [0, 1, 0, 1, 0],
            [0, 0, 1, 0, 0],
            [0, 0, 0, 0, 0],
        ],
        dtype=float,
    )
    ind = classify((k * m).tolist(), [f"F{i}" for i in range(5)])["indirect"]
    assert ind["stop_reason"] == "periodic"
    assert ind["period"] == 2
    assert ind["method"] == "period_average"
    expected = {
        "F0": 5 * (1 / 35 + 1 / 36) / 2,
        "F1": 5 * (1 / 35 + 1 / 36) / 2,
        "F2": 5 * (17 / 35 + 17 / 36) / 2,
        "F3": 5 * (16 / 35 + 17 / 36) / 2,
        "F4": 0.0,
    }
    for code, value in expected.items():
        assert ind["influence"][code] == pytest.approx(k * value, rel=1e-12, abs=1e-300)
    assert ind["influence_rank"] == {"F0": 3, "F1": 3, "F2": 1, "F3": 2, "F4": 5}


def test_three_periodic_permutation_like_matrix() -> None:
    # A -> B (1), B -> C (1), C -> A (2): M^3 = 2 I, rankings cycle with period 3:
    # powers 1, 2, 3 give influence (1, 1, 2), (1, 2, 2), (2, 2, 2).
    # Perron root l = 2^(1/3): right vector (1, l, l^2), left (l^2, l, 1).
    m = [[0, 1, 0], [0, 0, 1], [2, 0, 0]]
    res = classify(m, ["A", "B", "C"], max_power=12)
    ind = res["indirect"]
    assert ind["stop_reason"] == "periodic"
    assert ind["period"] == 3
    lam = 2 ** (1 / 3)
    norm = 4 / (1 + lam + lam**2)
    assert [ind["influence"][c] for c in "ABC"] == pytest.approx([norm, lam * norm, lam**2 * norm])
    assert [ind["dependence"][c] for c in "ABC"] == pytest.approx([lam**2 * norm, lam * norm, norm])
    assert ind["influence_rank"] == {"A": 3, "B": 2, "C": 1}


def test_plain_three_cycle_is_stable_with_ties() -> None:
    res = classify([[0, 1, 0], [0, 0, 1], [1, 0, 0]], ["A", "B", "C"])
    assert res["indirect"]["stop_reason"] == "stable"
    assert res["indirect"]["influence_rank"] == {"A": 1, "B": 1, "C": 1}
    # the graph has period 3: the run of equal rankings must cover M, M^2, M^3
    assert res["indirect"]["power"] == 3


def test_period_three_pattern_x_x_y_is_not_stable() -> None:
    # Cycle A -> B -> C -> A (weights 3, 1, 3: M^3 is 9 on the cycle), a source S
    # (S -> A, B, C) and a sink T (B -> T, C -> T); graph period 3. Column sums
    # (dependence of A, B, C, S, T), by hand:
    #   M^2: 9, 12, 5, 0, 8     ranks B > A > T > C     (Y)
    #   M^3: 15, 27, 12, 0, 17  ranks B > T > A > C     (X)
    #   M^4: 36, 45, 27, 0, 39  ranks B > T > A > C     (X)
    #   M^5: 81, 108, 45, 0, 72 ranks B > A > T > C     (Y)
    # and 1'M^(k+3) = 9 (1'M^k) from k = 2 on, so Y, X, X repeats for ever; the
    # influence ranking S > C > A > B > T never changes. Two equal successive
    # rankings (M^3, M^4) used to stop the powers as "stable" at 4.
    m = [
        [0, 3, 0, 0, 0],
        [0, 0, 1, 0, 1],
        [3, 0, 0, 0, 1],
        [1, 2, 2, 0, 0],
        [0, 0, 0, 0, 0],
    ]
    assert _graph_periods(np.array(m)[None] > 0).tolist() == [3]
    exact = [[Fraction(v) for v in row] for row in m]
    power = exact
    dependence = []
    for _ in range(5):
        dependence.append(slow.col_sums(power))
        power = slow.matmul(power, exact)
    assert dependence[1:5] == [
        [9, 12, 5, 0, 8],
        [15, 27, 12, 0, 17],
        [36, 45, 27, 0, 39],
        [81, 108, 45, 0, 72],
    ]
    res = classify(m, ["A", "B", "C", "S", "T"])
    ind = res["indirect"]
    assert ind["stop_reason"] == "periodic"
    assert ind["period"] == 3
    assert ind["method"] == "perron"
    assert ind["influence_rank"] == {"A": 3, "B": 4, "C": 2, "S": 1, "T": 5}
    assert slow.classify(exact, ["A", "B", "C", "S", "T"])["indirect"]["stop_reason"] == (
        "periodic_or_max_power"
    )
    # a longer agreement asked by stable_powers is not enough either
    assert classify(m, list("ABCST"), stable_powers=3)["indirect"]["stop_reason"] == "periodic"


@pytest.mark.parametrize(
    ("edges", "n", "period"),
    [
        ([(0, 1), (1, 2), (2, 0)], 3, 3),
        ([(0, 1), (1, 0)], 2, 2),
        ([(0, 1), (1, 0), (1, 2), (2, 0)], 3, 1),  # cycles 2 and 3
        ([(0, 1), (1, 0), (2, 3), (3, 4), (4, 2)], 5, 6),  # separate classes 2 and 3
        ([(0, 1), (1, 2), (0, 2)], 3, 1),  # no cycle
        ([(i, (i + 1) % 6) for i in range(6)] + [(3, 0)], 6, 2),  # cycles 6 and 4
        ([(0, 1), (1, 2), (2, 3), (3, 0), (2, 4), (4, 5), (5, 6), (6, 2)], 7, 4),
    ],
)
def test_graph_period_by_hand(edges: list[tuple[int, int]], n: int, period: int) -> None:
    adjacency = np.zeros((1, n, n), dtype=bool)
    for i, j in edges:
        adjacency[0, i, j] = True
    assert _graph_periods(adjacency).tolist() == [period]
    m = [[Fraction(int(adjacency[0, i, j])) for j in range(n)] for i in range(n)]
    assert slow.graph_period(m) == period


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 7).flatmap(
        lambda n: st.lists(st.lists(st.booleans(), min_size=n, max_size=n), min_size=n, max_size=n)
    )
)
def test_graph_period_matches_slow_reference(adjacency: list[list[bool]]) -> None:
    n = len(adjacency)
    a = np.array(adjacency, dtype=bool) & ~np.eye(n, dtype=bool)
    m = [[Fraction(int(a[i, j])) for j in range(n)] for i in range(n)]
    assert _graph_periods(a[None]).tolist() == [slow.graph_period(m)]


def test_alternating_near_tie_settles_as_a_tie() -> None:
    # Found by hypothesis (the panel of the @example below, mean aggregation, x 2).
    # F2 is a source; {F0, F1, F3, F4} is primitive (cycles of lengths 2 and 3).
    # The left Perron vector is (a, b, 0, a, b) with a = lambda b and
    # lambda^2 = lambda + 3 (lambda = (1 + sqrt 13) / 2): F0 and F3 tie in the limit,
    # while the eigenvalue (1 - sqrt 13) / 2 < 0 makes their column sums swap
    # order at every power. Exact ranks alternate for ever; within the 1e-9
    # rank tolerance the tie is reached and the rankings are stable (at M^26).
    m = [[0, 0, 0, 1, 0], [1, 0, 0, 1, 0], [1, 0, 0, 0, 0], [1, 1, 0, 0, 1], [2, 0, 0, 2, 0]]
    exact = [[Fraction(v) for v in row] for row in m]
    power = exact
    for k in range(1, 9):
        dep = slow.col_sums(power)
        assert (dep[0] > dep[3]) == (k % 2 == 1)
        power = slow.matmul(power, exact)
    res = classify(m, [f"F{i}" for i in range(5)])
    ind = res["indirect"]
    assert ind["stop_reason"] == "stable"
    assert ind["power"] == 26
    assert ind["dependence_rank"] == {"F0": 1, "F1": 3, "F2": 5, "F3": 1, "F4": 3}
    lam = (1 + math.sqrt(13)) / 2
    total = sum(map(sum, m))
    a = total * lam / (2 * lam + 2)
    # M^26 is not the limit yet (the second eigenvalue's share decays as
    # 0.566^k), but within 1e-6 of the Perron values, and F0, F3 within 1e-9
    assert ind["dependence"]["F0"] == pytest.approx(a, rel=1e-6)
    assert ind["dependence"]["F3"] == pytest.approx(ind["dependence"]["F0"], rel=1e-9)
    assert ind["dependence"]["F1"] == pytest.approx(a / lam, rel=1e-6)
    ref = slow.classify(exact, [f"F{i}" for i in range(5)])["indirect"]
    assert (ref["stop_reason"], ref["power"]) == ("stable", 26)


def test_max_power_without_periodicity() -> None:
    # with max_power=2 a matrix whose ranks change between M and M^2 stops at the cap
    m = [[0, 1, 0], [0, 0, 1], [1, 1, 0]]
    res = classify(m, ["A", "B", "C"], max_power=2)
    assert res["indirect"]["stop_reason"] == "max_power"
    assert res["indirect"]["power"] == 2


def test_stable_powers_three_requires_longer_agreement() -> None:
    rng = np.random.default_rng(0)
    m = rng.integers(0, 4, (6, 6)).astype(float)
    a = classify(m, list("ABCDEF"))
    b = classify(m, list("ABCDEF"), stable_powers=3)
    assert b["indirect"]["power"] >= a["indirect"]["power"] + 1
    assert b["parameters"]["stable_powers"] == 3


def test_borderline_tolerance() -> None:
    # influences 3, 2.05, 1, 1.95 -> mean 2; 2.05 and 1.95 are within 5% of it
    m = np.array(
        [[0, 1, 1, 1], [0.05, 0, 1, 1], [0, 0, 0, 1], [0.95, 0, 1, 0]],
        dtype=float,
    )
    res = classify(m, ["A", "B", "C", "D"])
    infl = res["direct"]["influence"]
    assert infl["B"] == pytest.approx(2.05)
    assert "influence" in res["direct"]["borderline_axes"]["B"]
    assert "influence" in res["direct"]["borderline_axes"]["D"]
    assert "influence" not in res["direct"]["borderline_axes"]["A"]
    strict = classify(m, ["A", "B", "C", "D"], borderline_tolerance=0.0)
    assert "influence" not in strict["direct"]["borderline_axes"]["B"]


# --------------------------------------------------------------------------- #
# Selection of the key factors
# --------------------------------------------------------------------------- #


def _plane(infl: dict[str, float], dep: dict[str, float], quad: dict[str, str]) -> dict:
    return {"influence": infl, "dependence": dep, "quadrant": quad}


def test_selection_orders_and_target() -> None:
    pl = _plane(
        {"A": 10.0, "B": 8.0, "C": 9.0, "D": 1.0},
        {"A": 4.0, "B": 1.0, "C": 0.0, "D": 9.0},
        {"A": "driving", "B": "driving", "C": "driving", "D": "dependent"},
    )
    sel = select_key_factors(pl)
    # influence - dependence: C 9, B 7, A 6
    assert sel["candidates"] == ["C", "B", "A"]
    assert sel["selected"] == ["C", "B", "A"]
    assert select_key_factors(pl, target_count=2)["selected"] == ["C", "B"]
    corner = select_key_factors(pl, order="corner_distance")
    # axes scaled by the maxima (influence 10, dependence 9): distances
    # A: hypot(4/9, 0) = .444, B: hypot(1/9, .2) = .229, C: hypot(0, .1) = .1
    assert corner["selected"] == ["C", "B", "A"]
    assert corner["scores"]["A"] == pytest.approx(-4 / 9)
    assert corner["parameters"] == {
        "rule": "driving_quadrant",
        "order": "corner_distance",
        "target_count": None,
    }


def test_selection_ties_by_influence_then_input_order() -> None:
    pl = _plane(
        {"A": 5.0, "B": 6.0, "C": 5.0},
        {"A": 1.0, "B": 2.0, "C": 1.0},
        {"A": "driving", "B": "driving", "C": "driving"},
    )
    assert select_key_factors(pl)["selected"] == ["B", "A", "C"]


def test_finalise_key_factors_with_addition_like_the_seed_report() -> None:
    # The seed report's panel kept nine factors of the upper-left box and
    # added A16 "à la demande des experts".
    sel = {
        "parameters": {"rule": "driving_quadrant", "order": "x", "target_count": None},
        "factors": ["A1", "A6", "A16"],
        "selected": ["A1", "A6"],
    }
    final = finalise_key_factors(sel, [("A16", "ajouté à la demande des experts")])
    assert final["codes"] == ["A1", "A6", "A16"]
    assert final["key_factors"][2] == {
        "code": "A16",
        "origin": "addition",
        "reason": "ajouté à la demande des experts",
    }
    assert final["key_factors"][0]["origin"] == "rule"
    assert final["parameters"]["additions"] == [
        {"code": "A16", "reason": "ajouté à la demande des experts"}
    ]
    with pytest.raises(MethodInputError, match="'A1' is already selected"):
        finalise_key_factors(sel, [("A1", "x")])
    with pytest.raises(MethodInputError, match=r"'A99' .* is not a factor"):
        finalise_key_factors(sel, [("A99", "x")])
    with pytest.raises(MethodInputError, match="needs a reason"):
        finalise_key_factors(sel, [("A16", " ")])
    with pytest.raises(MethodInputError, match="added twice"):
        finalise_key_factors(sel, [("A16", "x"), ("A16", "y")])


def test_full_analysis_result_shape() -> None:
    rng = np.random.default_rng(5)
    scores = rng.integers(0, 4, (4, 5, 5)).astype(float)
    scores[0, 1, 2] = NAN
    potential = np.zeros(scores.shape, dtype=bool)
    potential[2, 3, 4] = True
    scores[2, 3, 4] = 0
    codes = ["F1", "F2", "F3", "F4", "F5"]
    res = structural_analysis(scores, codes, potential=potential, target_count=3)
    json.dumps(res)
    assert res["parameters"] == {
        "aggregation": "mean",
        "potential_weight": 3.0,
        "max_power": 30,
        "stable_powers": 2,
        "borderline_tolerance": 0.05,
        "selection_basis": "direct",
        "selection_order": "influence_minus_dependence",
        "target_count": 3,
    }
    for plane in ("direct", "indirect", "potential_direct", "potential_indirect"):
        p = res[plane]
        assert sum(p["influence"].values()) == pytest.approx(sum(p["dependence"].values()))
        assert set(p["quadrant"]) == set(codes)
    assert res["indirect"]["means"]["influence"] == pytest.approx(
        res["direct"]["means"]["influence"]
    )
    assert res["selection"]["parameters"]["basis"] == "direct"
    assert res["potential_matrix"][3][4] > res["matrix"][3][4]
    assert res["experts"] == ["expert 1", "expert 2", "expert 3", "expert 4"]


# --------------------------------------------------------------------------- #
# Validation
# --------------------------------------------------------------------------- #


def test_error_messages_name_expert_and_factors() -> None:
    scores = np.zeros((2, 3, 3))
    scores[1, 0, 2] = 4
    with pytest.raises(MethodInputError, match=r"expert 'E2' scored 4 .* of 'A' on 'C'"):
        aggregate(scores, ["A", "B", "C"], experts=["E1", "E2"])
    scores[1, 0, 2] = -1
    with pytest.raises(MethodInputError, match=r"expert 'expert 2' scored -1"):
        aggregate(scores, ["A", "B", "C"])
    scores[1, 0, 2] = np.inf
    with pytest.raises(MethodInputError, match="scored inf"):
        aggregate(scores, ["A", "B", "C"])


def test_potential_with_a_score_is_rejected() -> None:
    scores = np.zeros((1, 2, 2))
    scores[0, 0, 1] = 2
    potential = np.zeros((1, 2, 2), dtype=bool)
    potential[0, 0, 1] = True
    with pytest.raises(MethodInputError, match=r"both the score 2 and P .* of 'A' on 'B'"):
        aggregate(scores, ["A", "B"], potential=potential, experts=["Ana"])
    with pytest.raises(MethodInputError, match="expected True or False"):
        aggregate(np.zeros((1, 2, 2)), ["A", "B"], potential=np.full((1, 2, 2), 2))


def test_shape_errors() -> None:
    with pytest.raises(MethodInputError, match=r"expert 'E2' is 2 x 3, expected 3 x 3"):
        aggregate([np.zeros((3, 3)), np.zeros((2, 3))], ["A", "B", "C"], experts=["E1", "E2"])
    with pytest.raises(MethodInputError, match="3 dimensions"):
        aggregate(np.zeros((3, 3)), ["A", "B", "C"])
    with pytest.raises(MethodInputError, match="no expert"):
        aggregate([], ["A", "B"])
    with pytest.raises(MethodInputError, match="cover 1 expert"):
        aggregate(np.zeros((2, 2, 2)), ["A", "B"], potential=np.zeros((1, 2, 2), dtype=bool))


def test_code_and_label_errors() -> None:
    with pytest.raises(MethodInputError, match="'A' appears twice"):
        aggregate(np.zeros((1, 2, 2)), ["A", "A"])
    with pytest.raises(MethodInputError, match="empty code"):
        aggregate(np.zeros((1, 2, 2)), ["A", " "])
    with pytest.raises(MethodInputError, match="at least two factors"):
        aggregate(np.zeros((1, 1, 1)), ["A"])
    with pytest.raises(MethodInputError, match="expert 'E' appears twice"):
        aggregate(np.zeros((2, 2, 2)), ["A", "B"], experts=["E", "E"])
    with pytest.raises(MethodInputError, match="1 expert label"):
        aggregate(np.zeros((2, 2, 2)), ["A", "B"], experts=["E"])


def test_option_errors() -> None:
    s = np.zeros((1, 2, 2))
    with pytest.raises(MethodInputError, match="'mean' or 'median'"):
        structural_analysis(s, ["A", "B"], aggregation="mode")  # type: ignore[arg-type]
    with pytest.raises(MethodInputError, match="max_power"):
        structural_analysis(s, ["A", "B"], max_power=1)
    with pytest.raises(MethodInputError, match="selection basis"):
        structural_analysis(s, ["A", "B"], selection_basis="x")  # type: ignore[arg-type]
    with pytest.raises(MethodInputError, match="potential"):
        structural_analysis(s, ["A", "B"], potential_weight=-1)
    with pytest.raises(MethodInputError, match="target count"):
        structural_analysis(s, ["A", "B"], target_count=0)
    with pytest.raises(MethodInputError, match="'A' on 'B' is -1"):
        classify([[0, -1], [0, 0]], ["A", "B"])


# --------------------------------------------------------------------------- #
# Against the slow, exact reference
# --------------------------------------------------------------------------- #


@st.composite
def panels(draw: st.DrawFn, max_factors: int = 6, max_experts: int = 4) -> tuple:
    n = draw(st.integers(2, max_factors))
    e = draw(st.integers(1, max_experts))
    cell = st.sampled_from([0.0, 0.0, 1.0, 2.0, 3.0, NAN, "P"])
    raw = draw(
        st.lists(
            st.lists(st.lists(cell, min_size=n, max_size=n), min_size=n, max_size=n),
            min_size=e,
            max_size=e,
        )
    )
    scores = [[[NAN if v == "P" else float(v) for v in row] for row in m] for m in raw]
    potential = [[[v == "P" for v in row] for row in m] for m in raw]
    return scores, potential, [f"F{i}" for i in range(n)]


def _close(a: float, b: Fraction) -> bool:
    return math.isclose(a, float(b), rel_tol=1e-9, abs_tol=1e-9)


_ALTERNATING_TIE_PANEL = (
    [
        [[0.0, 0, 0, 0, 0], [1, 0, 0, 0, 0], [1, 0, 0, 0, 0], [0, 0, 0, 0, 1], [1, 0, 0, 1, 0]],
        [[0.0, 0, 0, 1, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 0], [1, 1, 0, 0, 0], [1, 0, 0, 1, 0]],
    ],
    [[[False] * 5 for _ in range(5)] for _ in range(2)],
    ["F0", "F1", "F2", "F3", "F4"],
)


@settings(max_examples=120, deadline=None)
@given(panels(), st.sampled_from(["mean", "median"]))
@example(_ALTERNATING_TIE_PANEL, "mean")
def test_fast_matches_slow_reference(panel: tuple, aggregation: str) -> None:
    scores, potential, codes = panel
    fast = structural_analysis(scores, codes, potential=potential, aggregation=aggregation)
    ref = slow.structural_analysis(scores, codes, potential, aggregation)
    n = len(codes)
    for i in range(n):
        for j in range(n):
            assert _close(fast["matrix"][i][j], ref["matrix"][i][j])
            assert _close(fast["potential_matrix"][i][j], ref["potential_matrix"][i][j])
    for plane in ("direct", "indirect", "potential_direct", "potential_indirect"):
        f, r = fast[plane], ref[plane]
        if plane.endswith("indirect") and r["stop_reason"] == "periodic_or_max_power":
            assert f["stop_reason"] in ("periodic", "max_power")
            continue
        if plane.endswith("indirect"):
            assert f["stop_reason"] == r["stop_reason"]
            assert f["power"] == r["power"]
        for c in codes:
            assert _close(f["influence"][c], r["influence"][c])
            assert _close(f["dependence"][c], r["dependence"][c])
        assert f["influence_rank"] == r["influence_rank"]
        assert f["dependence_rank"] == r["dependence_rank"]
        assert f["quadrant"] == r["quadrant"]
    assert fast["selection"]["selected"] == ref["selected"]


def test_fast_matches_slow_on_a_larger_panel() -> None:
    rng = np.random.default_rng(11)
    scores = rng.integers(0, 4, (5, 10, 10)).astype(float)
    scores[rng.random(scores.shape) < 0.1] = NAN
    codes = [f"A{i + 1}" for i in range(10)]
    fast = structural_analysis(scores, codes, target_count=3)
    ref = slow.structural_analysis(scores.tolist(), codes, None, "mean", target=3)
    assert fast["indirect"]["stop_reason"] == ref["indirect"]["stop_reason"] == "stable"
    assert fast["indirect"]["power"] == ref["indirect"]["power"]
    assert fast["indirect"]["influence_rank"] == ref["indirect"]["influence_rank"]
    assert fast["selection"]["selected"] == ref["selected"]


# --------------------------------------------------------------------------- #
# Properties
# --------------------------------------------------------------------------- #


matrices = st.integers(2, 7).flatmap(
    lambda n: st.lists(
        st.lists(st.sampled_from([0.0, 0.0, 1.0, 2.0, 3.0, 0.5]), min_size=n, max_size=n),
        min_size=n,
        max_size=n,
    )
)


@settings(max_examples=150, deadline=None)
@given(matrices)
def test_total_influence_equals_total_dependence(m: list[list[float]]) -> None:
    codes = [f"F{i}" for i in range(len(m))]
    res = classify(m, codes)
    for plane in ("direct", "indirect"):
        infl = sum(res[plane]["influence"].values())
        dep = sum(res[plane]["dependence"].values())
        assert infl == pytest.approx(dep, rel=1e-12, abs=1e-12)
        assert res[plane]["total"] == pytest.approx(res["direct"]["total"], abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(matrices, st.sampled_from([1e-3, 0.5, 2.0, 7.3, 1e4]))
def test_rankings_unchanged_by_positive_scaling(m: list[list[float]], k: float) -> None:
    codes = [f"F{i}" for i in range(len(m))]
    a = classify(m, codes)
    b = classify((np.array(m) * k).tolist(), codes)
    for plane in ("direct", "indirect"):
        for key in ("influence_rank", "dependence_rank", "quadrant"):
            assert a[plane][key] == b[plane][key]
    assert a["indirect"]["power"] == b["indirect"]["power"]
    assert a["indirect"]["stop_reason"] == b["indirect"]["stop_reason"]
    for c in codes:
        assert b["indirect"]["influence"][c] == pytest.approx(
            k * a["indirect"]["influence"][c], rel=1e-9, abs=1e-9
        )


@settings(max_examples=80, deadline=None)
@given(panels(max_factors=6, max_experts=3), st.randoms(use_true_random=False))
def test_permuting_factors_permutes_results(panel: tuple, rnd) -> None:  # type: ignore[no-untyped-def]
    scores, potential, codes = panel
    n = len(codes)
    perm = list(range(n))
    rnd.shuffle(perm)
    s = np.array(scores)[:, perm][:, :, perm]
    p = np.array(potential)[:, perm][:, :, perm]
    pc = [codes[k] for k in perm]
    a = structural_analysis(scores, codes, potential=potential)
    b = structural_analysis(s, pc, potential=p)
    for plane in ("direct", "indirect", "potential_direct", "potential_indirect"):
        for key in ("influence_rank", "dependence_rank", "quadrant", "borderline"):
            assert a[plane][key] == b[plane][key]
        for c in codes:
            assert a[plane]["influence"][c] == pytest.approx(b[plane]["influence"][c], abs=1e-9)
        if plane.endswith("indirect"):
            assert a[plane]["stop_reason"] == b[plane]["stop_reason"]
    assert set(a["selection"]["selected"]) == set(b["selection"]["selected"])
    for i in range(n):
        for j in range(n):
            assert b["matrix"][i][j] == pytest.approx(a["matrix"][perm[i]][perm[j]])
