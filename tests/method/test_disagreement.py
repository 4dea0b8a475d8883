"""Tests of the panel's disagreement on the structural analysis."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anticipe.method import MethodInputError
from anticipe.method.disagreement import (
    bootstrap_experts,
    expert_concordance,
    leave_one_expert_out,
)
from anticipe.method.structural_analysis import QUADRANTS, structural_analysis

NAN = float("nan")


def _panel(seed: int, experts: int = 6, n: int = 7, nan_share: float = 0.1) -> tuple:
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 4, (experts, n, n)).astype(float)
    scores[rng.random(scores.shape) < nan_share] = NAN
    potential = (rng.random(scores.shape) < 0.05) & (np.nan_to_num(scores) == 0)
    return scores, potential, [f"A{i + 1}" for i in range(n)]


@pytest.mark.parametrize(
    ("aggregation", "basis", "order", "target"),
    [
        ("mean", "direct", "influence_minus_dependence", None),
        ("median", "indirect", "corner_distance", 2),
        ("mean", "potential_indirect", "influence_minus_dependence", 3),
        ("median", "potential_direct", "corner_distance", None),
    ],
)
def test_bootstrap_matches_a_loop_over_resamples(
    aggregation: str, basis: str, order: str, target: int | None
) -> None:
    # The vectorised bootstrap must equal the full analysis run on each
    # resample of experts, drawn with the same generator.
    scores, potential, codes = _panel(1)
    b = 60
    opts = {
        "aggregation": aggregation,
        "selection_basis": basis,
        "selection_order": order,
        "target_count": target,
    }
    res = bootstrap_experts(scores, codes, potential=potential, seed=7, n_resamples=b, **opts)
    draws = np.random.default_rng(7).integers(0, scores.shape[0], size=(b, scores.shape[0]))
    quad = {c: dict.fromkeys(QUADRANTS, 0) for c in codes}
    quad_ind = {c: dict.fromkeys(QUADRANTS, 0) for c in codes}
    sel = dict.fromkeys(codes, 0)
    ranks = {c: [] for c in codes}
    for idx in draws:
        one = structural_analysis(scores[idx], codes, potential=potential[idx], **opts)
        for c in codes:
            quad[c][one["direct"]["quadrant"][c]] += 1
            quad_ind[c][one["indirect"]["quadrant"][c]] += 1
            ranks[c].append(one["indirect"]["influence_rank"][c])
        for c in one["selection"]["selected"]:
            sel[c] += 1
    for c in codes:
        for q in QUADRANTS:
            assert res["quadrant_probability"]["direct"][c][q] == pytest.approx(quad[c][q] / b)
            assert res["quadrant_probability"]["indirect"][c][q] == pytest.approx(
                quad_ind[c][q] / b
            )
        assert res["selection_probability"][c] == pytest.approx(sel[c] / b)
        interval = res["rank_intervals"]["indirect_influence"][c]
        assert interval["low"] == int(np.percentile(ranks[c], 5, method="lower"))
        assert interval["high"] == int(np.percentile(ranks[c], 95, method="higher"))
        assert interval["median"] == pytest.approx(float(np.median(ranks[c])))
    assert sum(res["stop_reasons"].values()) == b


def test_bootstrap_result_shape_and_progress() -> None:
    scores, _, codes = _panel(2)
    calls: list[tuple[int, int]] = []
    res = bootstrap_experts(
        scores, codes, seed=3, n_resamples=25, progress=lambda d, t: calls.append((d, t))
    )
    json.dumps(res)
    assert calls[-1] == (25, 25)
    assert res["parameters"]["seed"] == 3
    assert res["parameters"]["n_resamples"] == 25
    assert res["parameters"]["rank_interval"] == [5.0, 95.0]
    assert set(res["quadrant_probability"]) == {"direct", "indirect"}
    for plane in res["quadrant_probability"].values():
        for probs in plane.values():
            assert sum(probs.values()) == pytest.approx(1.0)
    for intervals in res["rank_intervals"].values():
        for iv in intervals.values():
            assert 1 <= iv["low"] <= iv["median"] <= iv["high"] <= len(codes)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 5), st.sampled_from(["mean", "median"]))
def test_one_repeated_expert_gives_certainty(seed: int, copies: int, aggregation: str) -> None:
    one, _, codes = _panel(seed, experts=1, n=5)
    scores = np.repeat(one, copies, axis=0)
    full = structural_analysis(scores, codes, aggregation=aggregation)
    res = bootstrap_experts(scores, codes, seed=seed, n_resamples=20, aggregation=aggregation)
    for c in codes:
        for plane in ("direct", "indirect"):
            probs = res["quadrant_probability"][plane][c]
            assert probs[full[plane]["quadrant"][c]] == 1.0
            assert sorted(probs.values()) == [0.0, 0.0, 0.0, 1.0]
        expected = 1.0 if c in full["selection"]["selected"] else 0.0
        assert res["selection_probability"][c] == expected
        iv = res["rank_intervals"]["direct_influence"][c]
        assert iv["low"] == iv["high"] == full["direct"]["influence_rank"][c]


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_same_seed_same_result(seed: int) -> None:
    scores, potential, codes = _panel(seed % 17)
    a = bootstrap_experts(scores, codes, potential=potential, seed=seed, n_resamples=30)
    b = bootstrap_experts(scores, codes, potential=potential, seed=seed, n_resamples=30)
    assert a == b


def test_bootstrap_errors() -> None:
    scores, _, codes = _panel(0)
    with pytest.raises(MethodInputError, match="seed"):
        bootstrap_experts(scores, codes, seed=None)  # type: ignore[arg-type]
    with pytest.raises(MethodInputError, match="resamples"):
        bootstrap_experts(scores, codes, seed=1, n_resamples=0)
    with pytest.raises(MethodInputError, match="rank interval"):
        bootstrap_experts(scores, codes, seed=1, rank_interval=(95.0, 5.0))


def test_median_bootstrap_with_many_levels_uses_the_general_path() -> None:
    # more than 16 distinct values: the median is computed by sorting
    rng = np.random.default_rng(4)
    scores = rng.uniform(0, 3, (5, 4, 4))
    scores[0, 1, 2] = NAN
    codes = ["A", "B", "C", "D"]
    res = bootstrap_experts(scores, codes, seed=2, n_resamples=15, aggregation="median")
    draws = np.random.default_rng(2).integers(0, 5, size=(15, 5))
    for c in codes:
        n_driving = sum(
            structural_analysis(scores[idx], codes, aggregation="median")["direct"]["quadrant"][c]
            == "driving"
            for idx in draws
        )
        assert res["quadrant_probability"]["direct"][c]["driving"] == pytest.approx(n_driving / 15)


# --------------------------------------------------------------------------- #
# Leave one expert out
# --------------------------------------------------------------------------- #


def test_leave_one_out_matches_analyses_without_each_expert() -> None:
    scores, potential, codes = _panel(5, experts=4)
    labels = ["Ana", "Bo", "Cy", "Di"]
    res = leave_one_expert_out(scores, codes, potential=potential, experts=labels, target_count=3)
    json.dumps(res)
    full = structural_analysis(scores, codes, potential=potential, target_count=3)
    assert res["full"]["selected"] == full["selection"]["selected"]
    assert [e["expert"] for e in res["by_expert"]] == labels
    for k, entry in enumerate(res["by_expert"]):
        keep = [i for i in range(4) if i != k]
        alone = structural_analysis(scores[keep], codes, potential=potential[keep], target_count=3)
        assert entry["selected"] == alone["selection"]["selected"]
        changes = [
            {"code": c, "from": full["direct"]["quadrant"][c], "to": alone["direct"]["quadrant"][c]}
            for c in codes
            if full["direct"]["quadrant"][c] != alone["direct"]["quadrant"][c]
        ]
        assert entry["quadrant_changes"]["direct"] == changes
        for c in codes:
            assert entry["rank_shifts"][c]["indirect_influence"] == (
                full["indirect"]["influence_rank"][c] - alone["indirect"]["influence_rank"][c]
            )
        moved = bool(entry["selection_dropped"] or entry["selection_added"])
        assert moved == (labels[k] in res["selection_changed_by"])


def test_leave_one_out_of_identical_experts_changes_nothing() -> None:
    one, _, codes = _panel(8, experts=1)
    res = leave_one_expert_out(np.repeat(one, 3, axis=0), codes)
    for entry in res["by_expert"]:
        assert entry["quadrant_changes"] == {"direct": [], "indirect": []}
        assert entry["max_abs_rank_shift"] == 0
        assert entry["selection_dropped"] == entry["selection_added"] == []
    assert res["selection_changed_by"] == []


def test_leave_one_out_flags_the_expert_who_makes_a_factor_driving() -> None:
    # three experts: nobody influences anything but B -> C weakly; the third
    # expert alone says A strongly influences everything. Without them A is
    # not selected; without any other expert A stays selected.
    base = np.zeros((3, 3, 3))
    base[:, 1, 2] = 1
    base[2, 0, 1] = base[2, 0, 2] = 3
    res = leave_one_expert_out(base, ["A", "B", "C"], experts=["E1", "E2", "E3"])
    assert "A" in res["full"]["selected"]
    assert res["selection_changed_by"] == ["E3"]
    assert res["by_expert"][2]["selection_dropped"] == ["A"]


def test_leave_one_out_needs_two_experts() -> None:
    with pytest.raises(MethodInputError, match="at least two experts"):
        leave_one_expert_out(np.zeros((1, 2, 2)), ["A", "B"])


# --------------------------------------------------------------------------- #
# Kendall's W over the experts' direct-influence rankings
# --------------------------------------------------------------------------- #


def test_identical_experts_concordance_is_one() -> None:
    one, _, codes = _panel(9, experts=1, nan_share=0.0)
    res = expert_concordance(np.repeat(one, 4, axis=0), codes)
    assert res["kendall"]["w"] == pytest.approx(1.0)
    assert res["included_experts"] == ["expert 1", "expert 2", "expert 3", "expert 4"]


def test_opposite_experts_concordance_is_zero() -> None:
    # expert 1: A > B > C by influence; expert 2: C > B > A. Hand computation:
    # rank sums 4, 4, 4 -> S = 0 -> W = 0.
    e1 = [[0, 3, 3], [1, 0, 1], [0, 0, 0]]
    e2 = [[0, 0, 0], [1, 0, 1], [3, 3, 0]]
    res = expert_concordance([e1, e2], ["A", "B", "C"], experts=["X", "Y"])
    assert res["influence"]["X"] == {"A": 6.0, "B": 2.0, "C": 0.0}
    assert res["kendall"]["w"] == pytest.approx(0.0)


def test_dont_know_rows_are_rescaled_and_empty_rows_excluded() -> None:
    e1 = [[0, 2, NAN], [1, 0, 1], [0, 0, 0]]  # row A: mean 2 of the answered -> 4
    e2 = [[0, NAN, NAN], [1, 0, 1], [3, 3, 0]]  # row A unanswered -> excluded
    e3 = [[0, 3, 3], [0, 0, 0], [0, 1, 0]]
    res = expert_concordance([e1, e2, e3], ["A", "B", "C"], experts=["X", "Y", "Z"])
    assert res["influence"]["X"]["A"] == 4.0
    assert res["influence"]["Y"]["A"] is None
    assert res["excluded_experts"] == ["Y"]
    # X ranks A, B, C = 1, 2, 3; Z ranks A 1, B 3, C 2 -> rank sums 2, 5, 5
    # S = (2-4)^2 + 1 + 1 = 6, W = 12 S / (m^2 (n^3 - n)) = 72 / 96 = 0.75
    assert res["kendall"]["w"] == pytest.approx(0.75)


@settings(max_examples=60, deadline=None)
@given(
    experts=st.integers(1, 60),
    n=st.integers(2, 6),
    weight=st.sampled_from([3.0, 2.5, 9.0]),
    seed=st.integers(0, 2**32 - 1),
)
def test_packed_means_equal_the_float64_means_to_the_last_bit(
    experts: int, n: int, weight: float, seed: int
) -> None:
    # the one float32 product (sum + scale x answers) against the two float64 products
    from dataclasses import replace
    from unittest.mock import patch

    from anticipe.method.aggregation import validate
    from anticipe.method.disagreement import _Cells, _resampled_matrices

    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 4, (experts, n, n)).astype(float)
    scores[rng.random(scores.shape) < 0.3] = np.nan
    potential = np.isnan(scores) & (rng.random(scores.shape) < 0.3)
    s, p, _, _ = validate(scores, [f"F{i}" for i in range(n)], potential, None)
    cells = _Cells.of(s, p, weight, with_potential=True)
    assert cells.potential is not None
    draws = rng.integers(0, experts, (7, experts))
    for plane in (cells.direct, cells.potential):
        if plane is cells.direct or weight != 2.5:
            assert plane.packed is not None
        plain = replace(plane, packed=None)
        slow = _resampled_matrices(draws, plain, cells, "mean")
        # decoded two matrices at a time, so that the pieces and their sums are exercised,
        # through the table of means and by splitting the codes (a table too large)
        for table in (1 << 24, 0):
            with (
                patch("anticipe.method.disagreement._DECODE_CELLS", 2 * n * n),
                patch("anticipe.method.disagreement._MAX_TABLE", table),
            ):
                fast = _resampled_matrices(draws, plane, cells, "mean")
            assert fast.matrices.tobytes() == slow.matrices.tobytes()
            # the sums taken piece by piece while decoding are those of the whole stack
            assert fast.rows.tobytes() == slow.matrices.sum(axis=2).tobytes()
            assert fast.columns.tobytes() == slow.matrices.sum(axis=1).tobytes()
