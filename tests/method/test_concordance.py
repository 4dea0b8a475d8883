"""Tests of Kendall's W and of the chi-square survival function."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anticipe.method import MethodInputError
from anticipe.method.concordance import (
    chi2_sf,
    kendall_w,
    midranks,
    rank_rows,
    regularized_upper_gamma,
)
from tests.method.slow_concordance import slow_kendall_w

# The "anxiety" data of the R package irr (Gamer, Lemon, Fellows & Singh): 20
# subjects rated by 3 raters on a 1-6 scale, with many ties. Documented results:
# kendall(anxiety) -> W = 0.502, Chisq(19) = 28.6, p-value = 0.0724;
# kendall(anxiety, correct = TRUE) -> Wt = 0.54, Chisq(19) = 30.8, p-value = 0.0429.
# Checked with R 4.2.2 (Debian r-base-core): Friedman's test with its tie correction is
# the tie-corrected Kendall test (chi2 = m (n - 1) Wt), and
# friedman.test(t(as.matrix(anxiety))) gives chi2 = 30.7604419294, df = 19,
# p = 0.0428834731; without correction, R's arithmetic on the same ranks gives
# W = 0.501921, chi2 = 28.6095, p = 0.072380.
# irr takes subjects x raters; the table here is raters x subjects.
R_FRIEDMAN_CHI2 = 30.7604419294
R_FRIEDMAN_P = 0.0428834731
ANXIETY = np.array(
    [
        [3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3],
        [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4],
        [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2],
    ]
)


def test_anxiety_with_tie_correction_matches_irr() -> None:
    r = kendall_w(ANXIETY, tie_correction=True)
    assert r["m"] == 3
    assert r["n"] == 20
    assert r["dof"] == 19
    assert round(r["w"], 2) == 0.54
    assert round(r["chi2"], 1) == 30.8
    assert round(r["p_value"], 4) == 0.0429
    assert r["tie_correction_applied"] is True
    assert r["raters_with_ties"] == 3
    assert r["chi2"] == pytest.approx(R_FRIEDMAN_CHI2, abs=1e-9)
    assert r["w"] == pytest.approx(R_FRIEDMAN_CHI2 / (3 * 19), abs=1e-9)
    assert r["p_value"] == pytest.approx(R_FRIEDMAN_P, abs=1e-9)


def test_anxiety_without_tie_correction_matches_irr() -> None:
    r = kendall_w(ANXIETY, tie_correction=False)
    assert round(r["w"], 3) == 0.502
    assert round(r["chi2"], 1) == 28.6
    assert round(r["p_value"], 4) == 0.0724
    assert r["w"] == pytest.approx(0.501921, abs=5e-7)
    assert r["chi2"] == pytest.approx(28.6095, abs=5e-5)
    assert r["p_value"] == pytest.approx(0.072380, abs=5e-7)
    assert r["tie_correction_applied"] is False


def test_hand_computed_case_with_ties() -> None:
    # 3 raters, 4 items, ranks (1 = best):
    #   rater 1: 1 2 3 4
    #   rater 2: 1 2.5 2.5 4   (items 2 and 3 tied: t = 2 -> 8 - 2 = 6)
    #   rater 3: 2 1 3 4
    # rank sums 4, 5.5, 8.5, 12; mean 7.5; S = 12.25 + 4 + 1 + 20.25 = 37.5
    # W = 12 * 37.5 / (9 * 60 - 3 * 6) = 450 / 522
    ranks = [[1, 2, 3, 4], [1, 2.5, 2.5, 4], [2, 1, 3, 4]]
    r = kendall_w(ranks, higher_is_better=False)
    assert r["rank_sums"] == [4.0, 5.5, 8.5, 12.0]
    assert r["s"] == pytest.approx(37.5)
    assert r["tie_term"] == 6.0
    assert r["w"] == pytest.approx(450 / 522)
    assert r["chi2"] == pytest.approx(3 * 3 * 450 / 522)
    # uncorrected: 450 / 540
    assert kendall_w(ranks, higher_is_better=False, tie_correction=False)["w"] == pytest.approx(
        450 / 540
    )
    # ranks written as 1, 2, 2, 4 are re-ranked to mid-ranks: same result
    r2 = kendall_w([[1, 2, 3, 4], [1, 2, 2, 4], [2, 1, 3, 4]], higher_is_better=False)
    assert r2["w"] == pytest.approx(r["w"])


def test_scores_and_ranks_give_the_same_w() -> None:
    scores = np.array([[10, 8, 3, 1], [9, 9, 2, 0], [5, 7, 1, 1]])
    a = kendall_w(scores)
    b = kendall_w(-scores, higher_is_better=False)
    assert a["w"] == pytest.approx(b["w"])
    assert a["mean_ranks"] == pytest.approx(b["mean_ranks"])
    assert a["mean_ranks"][0] < a["mean_ranks"][3]  # item 1 best -> smallest mean rank


def test_perfect_agreement_and_perfect_reversal() -> None:
    r = kendall_w([[1, 2, 3, 4, 5]] * 4, higher_is_better=False)
    assert r["w"] == pytest.approx(1.0)
    # two raters in exactly opposite order: rank sums all equal -> W = 0
    r = kendall_w([[1, 2, 3, 4], [4, 3, 2, 1]], higher_is_better=False)
    assert r["w"] == pytest.approx(0.0)
    assert r["p_value"] == pytest.approx(1.0)


def test_degenerate_cases_return_none_with_reason() -> None:
    one_rater = kendall_w([[1, 2, 3]])
    assert one_rater["w"] is None
    assert "two raters" in one_rater["reason"]
    one_item = kendall_w([[1], [2]])
    assert one_item["w"] is None
    assert "two items" in one_item["reason"]
    all_tied = kendall_w([[5, 5, 5], [2, 2, 2]])
    assert all_tied["w"] is None
    assert all_tied["p_value"] is None
    assert "tied every item" in all_tied["reason"]
    # without the correction W is defined (and 0) for the same data
    assert kendall_w([[5, 5, 5], [2, 2, 2]], tie_correction=False)["w"] == 0.0


def test_invalid_input_names_rater_and_item() -> None:
    with pytest.raises(MethodInputError, match=r"rater 'E2' for item 'A3'"):
        kendall_w([[1, 2, 3], [1, 2, float("nan")]], raters=["E1", "E2"], items=["A1", "A2", "A3"])
    with pytest.raises(MethodInputError, match="dimension"):
        kendall_w([1, 2, 3])
    with pytest.raises(MethodInputError, match="appears twice"):
        kendall_w([[1, 2], [2, 1]], raters=["E1", "E1"])


def test_result_is_plain_json() -> None:
    r = kendall_w(ANXIETY)
    assert json.loads(json.dumps(r)) == r
    assert r["parameters"] == {
        "higher_is_better": True,
        "tie_correction": True,
        "ranking": "mid-ranks for ties, rank 1 = best",
        "p_value_method": "chi-square approximation, chi2 = m (n - 1) W, dof = n - 1",
    }


def test_midranks() -> None:
    assert midranks([10, 20, 20, 5]).tolist() == [2.0, 3.5, 3.5, 1.0]
    assert rank_rows([[10, 20, 20, 5]]).tolist() == [[3.0, 1.5, 1.5, 4.0]]


# Chi-square upper-tail table values (e.g. Abramowitz & Stegun table 26.8;
# NIST/SEMATECH e-Handbook of Statistical Methods, section 1.3.6.7.4).
CHI2_TABLE = [
    (3.841, 1, 0.05),
    (6.635, 1, 0.01),
    (5.991, 2, 0.05),
    (9.210, 2, 0.01),
    (7.815, 3, 0.05),
    (11.345, 3, 0.01),
    (9.488, 4, 0.05),
    (13.277, 4, 0.01),
    (11.070, 5, 0.05),
    (15.086, 5, 0.01),
    (18.307, 10, 0.05),
    (23.209, 10, 0.01),
    (31.410, 20, 0.05),
    (37.566, 20, 0.01),
    (43.773, 30, 0.05),
    (50.892, 30, 0.01),
    (124.342, 100, 0.05),
    (2.706, 1, 0.10),
    (15.987, 10, 0.10),
    (0.0158, 1, 0.90),
    (4.865, 10, 0.90),
]


@pytest.mark.parametrize(("x", "dof", "p"), CHI2_TABLE)
def test_chi2_sf_table_values(x: float, dof: int, p: float) -> None:
    assert chi2_sf(x, dof) == pytest.approx(p, rel=2e-3, abs=2e-4)
    # the general incomplete gamma agrees with the closed forms
    assert regularized_upper_gamma(dof / 2, x / 2) == pytest.approx(chi2_sf(x, dof), rel=1e-10)


def test_chi2_sf_exact_forms() -> None:
    # dof = 2: exp(-x/2); dof = 1: P(|Z| >= sqrt(x)) = erfc(sqrt(x/2))
    for x in (0.1, 1.0, 7.3, 40.0):
        assert chi2_sf(x, 2) == pytest.approx(math.exp(-x / 2), rel=1e-13)
        assert chi2_sf(x, 1) == pytest.approx(math.erfc(math.sqrt(x / 2)), rel=1e-13)
    assert chi2_sf(1.0, 1) == pytest.approx(0.3173105078629141, rel=1e-12)
    assert chi2_sf(0.0, 5) == 1.0
    assert chi2_sf(math.inf, 5) == 0.0
    # non-integer dof: Q(1.5, x/2) = erfc(sqrt(y)) + 2 sqrt(y/pi) e^-y with y = x/2
    y = 1.7
    assert chi2_sf(2 * y, 3.0) == pytest.approx(
        math.erfc(math.sqrt(y)) + 2 * math.sqrt(y / math.pi) * math.exp(-y), rel=1e-13
    )
    assert regularized_upper_gamma(1.5, y) == pytest.approx(chi2_sf(2 * y, 3), rel=1e-12)
    # far tail and large dof stay finite and ordered
    assert 0.0 <= chi2_sf(2000.0, 500) < 1e-100
    assert chi2_sf(400.0, 500) > 0.99
    with pytest.raises(MethodInputError):
        chi2_sf(-1.0, 3)
    with pytest.raises(MethodInputError):
        chi2_sf(1.0, 0)


@settings(max_examples=200, deadline=None)
@given(
    x=st.floats(min_value=0.0, max_value=300.0, allow_nan=False),
    dof=st.integers(min_value=1, max_value=120),
)
def test_closed_forms_agree_with_continued_fraction(x: float, dof: int) -> None:
    closed = chi2_sf(x, dof)
    general = regularized_upper_gamma(dof / 2, x / 2)
    assert 0.0 <= closed <= 1.0
    assert general == pytest.approx(closed, rel=1e-9, abs=1e-14)


@settings(max_examples=100, deadline=None)
@given(
    x=st.floats(min_value=0.0, max_value=100.0, allow_nan=False),
    dx=st.floats(min_value=0.01, max_value=10.0),
    dof=st.integers(min_value=1, max_value=40),
)
def test_chi2_sf_decreasing_in_x_increasing_in_dof(x: float, dx: float, dof: int) -> None:
    assert chi2_sf(x + dx, dof) <= chi2_sf(x, dof) + 1e-15
    assert chi2_sf(x, dof + 1) >= chi2_sf(x, dof) - 1e-15


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, abs_tol=1e-12)


def score_tables(
    max_m: int = 6, max_n: int = 7, values: int = 5
) -> st.SearchStrategy[list[list[int]]]:
    return st.integers(min_value=2, max_value=max_n).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(min_value=0, max_value=values), min_size=n, max_size=n),
            min_size=2,
            max_size=max_m,
        )
    )


@settings(max_examples=200, deadline=None)
@given(table=score_tables(), correction=st.booleans())
def test_fast_matches_slow_reference(table: list[list[int]], correction: bool) -> None:
    fast = kendall_w(table, tie_correction=correction)
    slow = slow_kendall_w([[float(v) for v in row] for row in table], True, correction)
    if slow is None:
        assert fast["w"] is None
    else:
        assert fast["w"] == pytest.approx(float(slow), abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(table=score_tables())
def test_w_in_unit_interval_and_p_in_unit_interval(table: list[list[int]]) -> None:
    r = kendall_w(table)
    if r["w"] is not None:
        assert 0.0 <= r["w"] <= 1.0
        assert 0.0 <= r["p_value"] <= 1.0
        assert r["chi2"] == pytest.approx(r["m"] * (r["n"] - 1) * r["w"])


@settings(max_examples=100, deadline=None)
@given(row=st.lists(st.integers(0, 4), min_size=2, max_size=8), m=st.integers(2, 6))
def test_w_is_one_when_all_raters_agree(row: list[int], m: int) -> None:
    r = kendall_w([row] * m)
    if len(set(row)) == 1:
        assert r["w"] is None  # nothing to agree on
    else:
        assert r["w"] == pytest.approx(1.0)


@settings(max_examples=150, deadline=None)
@given(table=score_tables(), data=st.data())
def test_w_invariant_under_rater_permutation_and_monotone_transform(
    table: list[list[int]], data: st.DataObject
) -> None:
    base = kendall_w(table)
    perm = data.draw(st.permutations(range(len(table))))
    permuted = kendall_w([table[i] for i in perm])
    assert _same(permuted["w"], base["w"])
    # a positive monotone transformation of one rater's scores keeps the ranks
    i = data.draw(st.integers(0, len(table) - 1))
    transformed = [list(map(float, row)) for row in table]
    transformed[i] = [math.exp(v) * 3.0 + 7.0 for v in table[i]]
    assert kendall_w(transformed)["w"] == base["w"]
    # permuting the items (columns) leaves W unchanged too
    cols = data.draw(st.permutations(range(len(table[0]))))
    shuffled = kendall_w([[row[j] for j in cols] for row in table])
    assert _same(shuffled["w"], base["w"])
