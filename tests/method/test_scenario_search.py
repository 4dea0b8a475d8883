"""Tests of anticipe.method.scenario_search: both engines, islands, the hand-overs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anticipe.method import scenario_search
from anticipe.method.cross_impact import _space, consistent_scenarios
from anticipe.method.scenario_search import compiled_available, search
from tests.method import slow_cross_impact as slow

needs_numba = pytest.mark.skipif(not compiled_available(), reason="numba not installed")


@st.composite
def spaces(draw: st.DrawFn, max_scenarios: int = 400) -> tuple[list[list[float]], list[int]]:
    """Random small spaces, sometimes with islands (zero blocks between groups) and
    sometimes with float or non-zero self blocks."""
    counts: list[int] = []
    for _ in range(draw(st.integers(1, 7))):
        count = draw(st.integers(1, 4))
        if int(np.prod([*counts, count])) > max_scenarios:
            break
        counts.append(count)
    size = sum(counts)
    cells = draw(st.lists(st.integers(-3, 3), min_size=size * size, max_size=size * size))
    matrix: list[list[float]] = [
        [float(c) for c in cells[i * size : (i + 1) * size]] for i in range(size)
    ]
    owner = [d for d, count in enumerate(counts) for _ in range(count)]
    if draw(st.booleans()):  # zero self blocks (the usual case)
        for i in range(size):
            for j in range(size):
                if owner[i] == owner[j]:
                    matrix[i][j] = 0.0
    if draw(st.booleans()):  # islands: descriptors in groups with no impact between them
        group = [draw(st.integers(0, 2)) for _ in counts]
        for i in range(size):
            for j in range(size):
                if group[owner[i]] != group[owner[j]]:
                    matrix[i][j] = 0.0
    if draw(st.booleans()):  # halves: float cells
        matrix = [[value / 2 for value in row] for row in matrix]
    return matrix, counts


def _found(matrix: list[list[float]], counts: list[int], threshold: float, engine: str) -> set:
    space = _space(matrix, counts, True)
    scenarios, nodes, order = search(space, threshold, None, engine)  # type: ignore[arg-type]
    assert sorted(order) == list(range(len(counts)))
    assert nodes >= 0
    as_tuples = [tuple(s) for s in scenarios]
    assert len(as_tuples) == len(set(as_tuples))
    return set(as_tuples)


@needs_numba
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(space=spaces(), threshold=st.sampled_from([0, 0, 0.5, 1, 3]))
def test_engines_give_the_brute_force_set(
    space: tuple[list[list[float]], list[int]], threshold: float
) -> None:
    matrix, counts = space
    expected = {tuple(s) for s in slow.consistent_scenarios(matrix, counts, threshold)}
    assert _found(matrix, counts, threshold, "numpy") == expected
    assert _found(matrix, counts, threshold, "compiled") == expected


@needs_numba
def test_parallel_branches_give_the_serial_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """A search past the serial budget is split in branches shared by the cores."""
    rng = np.random.default_rng(4)
    counts = [3] * 9
    matrix = rng.integers(-3, 4, size=(27, 27)).astype(float).tolist()
    serial = _found(matrix, counts, 1, "compiled")
    monkeypatch.setattr(scenario_search, "_SERIAL_BUDGET", 5)
    monkeypatch.setattr(scenario_search, "_cores", lambda: 2)
    calls: list[tuple[int, int]] = []
    space = _space(matrix, counts, True)
    scenarios, _, _ = search(space, 1, lambda d, t: calls.append((d, t)), "compiled")
    assert {tuple(s) for s in scenarios} == serial
    assert serial
    assert calls[-1][0] == calls[-1][1] > 1


@needs_numba
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(space=spaces(max_scenarios=2000), threshold=st.sampled_from([0, 0, 1]))
def test_branches_split_again_while_running_give_the_brute_force_set(
    space: tuple[list[list[float]], list[int]], threshold: float
) -> None:
    """Parallel search where every branch runs out of its budget after a node or two and
    hands back its subtrees, queued again: the same set as the brute force, each
    scenario once (the pruning of failing nodes before their row is written, and the
    fail-first order of the checks, are on every path)."""
    matrix, counts = space
    expected = {tuple(s) for s in slow.consistent_scenarios(matrix, counts, threshold)}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scenario_search, "_SERIAL_BUDGET", 2)
        patch.setattr(scenario_search, "_TASK_BUDGET", 2)
        patch.setattr(scenario_search, "_cores", lambda: 2)
        assert _found(matrix, counts, threshold, "compiled") == expected


@needs_numba
def test_branches_stopped_by_their_budget_keep_every_scenario_they_reached(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every cell 1 (one island, every variant of a descriptor as good as the others):
    all 3**8 scenarios are consistent, far more than a branch's first output holds, and
    the branches stop at their budget."""
    monkeypatch.setattr(scenario_search, "_SERIAL_BUDGET", 1000)
    monkeypatch.setattr(scenario_search, "_TASK_BUDGET", 3000)
    monkeypatch.setattr(scenario_search, "_cores", lambda: 2)
    found = _found(np.ones((24, 24)).tolist(), [3] * 8, 0, "compiled")
    assert len(found) == 3**8


@st.composite
def joined_spaces(draw: st.DrawFn) -> tuple[list[list[float]], list[int], list[list[int]]]:
    """Two or three dense groups of descriptors joined by a few +-1 cells (weak links),
    and the groups; at most 2,500 scenarios."""
    counts: list[int] = []
    group_of: list[int] = []
    for group in range(draw(st.integers(2, 3))):
        for _ in range(draw(st.integers(1, 3))):
            count = draw(st.integers(2, 3))
            if int(np.prod([*counts, count])) > 2500:
                break
            counts.append(count)
            group_of.append(group)
    owner = [d for d, count in enumerate(counts) for _ in range(count)]
    size = len(owner)
    cells = draw(st.lists(st.integers(-3, 3), min_size=size * size, max_size=size * size))
    links = draw(st.lists(st.integers(-1, 1), min_size=size * size, max_size=size * size))
    matrix = [[0.0] * size for _ in range(size)]
    for i in range(size):
        for j in range(size):
            if owner[i] == owner[j]:
                continue
            same = group_of[owner[i]] == group_of[owner[j]]
            matrix[i][j] = float(
                cells[i * size + j] if same else links[i * size + j] * (j % 3 == 0)
            )
    groups = [[d for d, g in enumerate(group_of) if g == group] for group in sorted(set(group_of))]
    return matrix, counts, groups


@needs_numba
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(space=joined_spaces(), threshold=st.sampled_from([0, 0, 1]))
def test_the_search_group_by_group_gives_the_brute_force_set(
    space: tuple[list[list[float]], list[int], list[list[int]]], threshold: float
) -> None:
    """Weakly linked groups searched apart (each group's candidates with the outside at
    its most favourable) then combined with the exact check: the brute-force set, with
    the groups given and with the groups the search finds itself."""
    from anticipe.method import _compiled_search as kernel

    matrix, counts, groups = space
    expected = {tuple(s) for s in slow.consistent_scenarios(matrix, counts, threshold)}
    grouped = scenario_search._grouped_search(
        kernel, _space(matrix, counts, True), threshold, groups
    )
    assert grouped is not None
    assert {tuple(s) for s in grouped[0]} == expected
    assert len(grouped[0]) == len(expected)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scenario_search, "_SERIAL_BUDGET", 1)
        assert _found(matrix, counts, threshold, "compiled") == expected


def test_weak_groups_split_models_joined_by_weak_links_only() -> None:
    rng = np.random.default_rng(7)
    one = rng.integers(-3, 4, size=(9, 9))
    for d in range(3):
        one[3 * d : 3 * d + 3, 3 * d : 3 * d + 3] = 0
    both = np.zeros((18, 18), dtype=int)
    both[:9, :9] = one
    both[9:, 9:] = one
    assert scenario_search._weak_groups(_space(both, [3] * 6, True)) is None  # islands
    both[0, 12] = 1
    both[14, 4] = -1
    assert scenario_search._weak_groups(_space(both, [3] * 6, True)) == [[0, 1, 2], [3, 4, 5]]
    dense = rng.integers(-3, 4, size=(18, 18))
    assert scenario_search._weak_groups(_space(dense, [3] * 6, True)) is None


def test_numpy_hands_over_past_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """'auto' starts with numpy; past the budget the compiled search (or, without numba,
    numpy again without a budget) finishes with the same set."""
    rng = np.random.default_rng(4)
    counts = [3] * 7
    matrix = rng.integers(-3, 4, size=(21, 21)).tolist()
    expected = {tuple(s) for s in slow.consistent_scenarios(matrix, counts, 0)}
    monkeypatch.setattr(scenario_search, "_NUMPY_BUDGET", 10)
    for available in (False, True):
        monkeypatch.setattr(scenario_search, "compiled_available", lambda a=available: a)
        monkeypatch.delitem(scenario_search.sys.modules, scenario_search._KERNEL, raising=False)
        if available and not compiled_available():
            continue
        result = consistent_scenarios(matrix, counts)
        assert {tuple(s["scenario"]) for s in result["scenarios"]} == expected


def test_islands_are_solved_apart_and_combined() -> None:
    """Two unlinked copies of a space: the scenarios are the pairs of the copies'."""
    rng = np.random.default_rng(5)
    one = rng.integers(-3, 4, size=(9, 9))
    for d in range(3):
        one[3 * d : 3 * d + 3, 3 * d : 3 * d + 3] = 0
    both = np.zeros((18, 18), dtype=int)
    both[:9, :9] = one
    both[9:, 9:] = one
    alone = {tuple(s["scenario"]) for s in consistent_scenarios(one, [3] * 3)["scenarios"]}
    space = _space(both, [3] * 6, True)
    assert scenario_search._islands(space) == [[0, 1, 2], [3, 4, 5]]
    found = consistent_scenarios(both, [3] * 6)
    assert {tuple(s["scenario"]) for s in found["scenarios"]} == {
        a + b for a in alone for b in alone
    }
    assert sorted(found["search_order"]) == list(range(6))


def test_an_island_without_a_scenario_empties_the_set() -> None:
    # descriptor 0 and 1 linked, with no consistent scenario; descriptor 2 apart
    matrix = [
        [0, 0, 1, -1, 0, 0],
        [0, 0, -1, 1, 0, 0],
        [-1, 1, 0, 0, 0, 0],
        [1, -1, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
    ]
    calls: list[tuple[int, int]] = []
    result = consistent_scenarios(matrix, [2, 2, 2], progress=lambda d, t: calls.append((d, t)))
    assert result["count"] == 0
    assert calls[-1][0] == calls[-1][1]


def test_a_kernel_that_cannot_load_leaves_the_work_to_numpy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """numba present but unusable here (no cache directory, broken install): same set."""
    monkeypatch.setattr(scenario_search, "compiled_available", lambda: True)
    monkeypatch.setattr(scenario_search, "_kernel", lambda: None)
    matrix = [[0, 0, 2, -2], [0, 0, -1, 1], [3, -3, 0, 0], [-1, 1, 0, 0]]
    expected = {tuple(s) for s in slow.consistent_scenarios(matrix, [2, 2], 0)}
    assert _found(matrix, [2, 2], 0, "compiled") == expected


@needs_numba
@pytest.mark.parametrize("budget", [1, 2, 7, 50])
def test_the_subtrees_left_at_the_budget_finish_the_search(budget: int) -> None:
    """Stopped after `budget` nodes, the kernel hands back the subtrees it has not
    explored: searching them finds exactly the rest, none twice."""
    from anticipe.method import _compiled_search as kernel

    rng = np.random.default_rng(6)
    counts = [3] * 7
    matrix = rng.integers(-3, 4, size=(21, 21))
    space = _space(matrix, counts, True)
    tables = scenario_search._tables(space, scenario_search._search_order(space))
    free = np.full(7, -1, dtype=np.int64)
    _, everything, _, _ = kernel.run(tables, 1.0, free, 7, 0, 8)
    status, found, _, pending = kernel.run(tables, 1.0, free, 7, budget, 8)
    assert status == 1
    rows = [tuple(row) for row in found]
    for row in pending:
        _, rest, _, _ = kernel.run(tables, 1.0, row, 7, 0, 8)
        rows.extend(tuple(r) for r in rest)
    assert sorted(rows) == sorted(tuple(row) for row in everything)
    assert len(rows) == len(set(rows)) > 0
