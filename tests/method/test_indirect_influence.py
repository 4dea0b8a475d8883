"""The graph periods of MICMAC's successive powers: the linear-time search against references.

``_graph_periods`` finds the classes of factors with Kosaraju's searches and
remembers each adjacency pattern; it must give exactly the periods of the
former repeated squaring (``slow_graph_periods``) and of the loop-based
reference (``slow_structural_analysis.graph_period``), on reducible graphs
(several classes, sources, sinks) and periodic ones alike.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anticipe.method import indirect_influence
from anticipe.method.indirect_influence import _classes, _graph_periods
from tests.method import slow_structural_analysis as slow
from tests.method.slow_graph_periods import graph_periods_by_squaring


@st.composite
def layered_graphs(draw: st.DrawFn) -> np.ndarray:
    """A graph of blocks, each periodic by construction, joined by one-way edges.

    Inside a block, factors sit on ``layers`` levels and edges only go from a
    level to the next (cyclically), so every cycle's length is a multiple of
    ``layers``; edges between blocks only go from a block to a later one, so the
    graph is reducible; a few extra random edges (or self-loops) may break both.
    """
    blocks = draw(st.lists(st.tuples(st.integers(1, 6), st.integers(1, 4)), min_size=1, max_size=4))
    n = sum(size for size, _ in blocks)
    adjacency = np.zeros((n, n), dtype=bool)
    block_of, layer_of = [], []
    for b, (size, layers) in enumerate(blocks):
        block_of += [b] * size
        layer_of += [(i % layers, layers) for i in range(size)]
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    density = draw(st.sampled_from([0.2, 0.5, 0.9]))
    for i in range(n):
        for j in range(n):
            if block_of[i] == block_of[j]:
                (li, layers), (lj, _) = layer_of[i], layer_of[j]
                allowed = (li + 1) % layers == lj
            else:
                allowed = block_of[i] < block_of[j]
            adjacency[i, j] = allowed and rng.random() < density
    for _ in range(draw(st.integers(0, 2))):
        adjacency[rng.integers(n), rng.integers(n)] = True
    order = rng.permutation(n)
    return adjacency[np.ix_(order, order)]


def random_graphs() -> st.SearchStrategy[np.ndarray]:
    plain = st.integers(1, 9).flatmap(
        lambda n: st.lists(st.booleans(), min_size=n * n, max_size=n * n).map(
            lambda cells: np.array(cells, dtype=bool).reshape(n, n)
        )
    )
    return st.one_of(plain, layered_graphs())


@settings(max_examples=300, deadline=None)
@given(random_graphs())
def test_periods_match_repeated_squaring_and_the_slow_reference(adjacency: np.ndarray) -> None:
    n = adjacency.shape[0]
    indirect_influence._PERIODS.clear()
    expected = graph_periods_by_squaring(adjacency[None]).tolist()
    assert _graph_periods(adjacency[None]).tolist() == expected
    assert _graph_periods(adjacency[None]).tolist() == expected  # remembered
    m = [[Fraction(int(adjacency[i, j])) for j in range(n)] for i in range(n)]
    assert expected == [slow.graph_period(m)]


@settings(max_examples=100, deadline=None)
@given(random_graphs())
def test_classes_are_the_mutually_reachable_factors(adjacency: np.ndarray) -> None:
    n = adjacency.shape[0]
    reach = adjacency | np.eye(n, dtype=bool)
    for via in range(n):
        reach |= reach[:, via : via + 1] & reach[via : via + 1, :]
    label = _classes(adjacency)
    assert np.array_equal(label[:, None] == label[None, :], reach & reach.T)


def test_a_stack_of_patterns_each_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    cycle3 = np.roll(np.eye(3, dtype=bool), 1, axis=1)
    cycle2 = np.zeros((3, 3), dtype=bool)
    cycle2[0, 1] = cycle2[1, 0] = True
    stack = np.stack([cycle3, cycle2, cycle3, cycle3])
    indirect_influence._PERIODS.clear()
    calls: list[int] = []
    original = indirect_influence._graph_period

    def counted(pattern: np.ndarray) -> int:
        calls.append(1)
        return original(pattern)

    monkeypatch.setattr(indirect_influence, "_graph_period", counted)
    assert _graph_periods(stack).tolist() == [3, 2, 3, 3]
    assert len(calls) == 2
    assert _graph_periods(stack[:1]).tolist() == [3]
    assert len(calls) == 2


def test_patterns_of_different_sizes_never_share_a_period() -> None:
    # a 3 x 3 and a 4 x 4 pattern both pack into 2 bytes: the 3-cycle 0 -> 1 -> 2 -> 0
    # (cells 1, 5, 6) and, on 4 factors, the same cells 0 -> 1, 1 -> 1, 1 -> 2 (period 1)
    indirect_influence._PERIODS.clear()
    three = np.roll(np.eye(3, dtype=bool), 1, axis=1)
    four = np.zeros((4, 4), dtype=bool)
    four.flat[[1, 5, 6]] = True
    assert np.packbits(three).tobytes() == np.packbits(four).tobytes()
    assert _graph_periods(three[None]).tolist() == [3]
    assert _graph_periods(four[None]).tolist() == [1]


def test_the_remembered_patterns_are_bounded() -> None:
    indirect_influence._PERIODS.clear()
    rng = np.random.default_rng(3)
    stack = rng.random((indirect_influence._PERIODS_KEPT + 20, 12, 12)) < 0.2
    _graph_periods(stack)
    assert len(indirect_influence._PERIODS) <= indirect_influence._PERIODS_KEPT


def test_400_factors_in_linear_time() -> None:
    # a ring of 400 factors with chords every 4 steps: period 4, one class
    n = 400
    adjacency = np.zeros((n, n), dtype=bool)
    adjacency[np.arange(n), (np.arange(n) + 1) % n] = True
    adjacency[np.arange(0, n, 4), (np.arange(0, n, 4) + 5) % n] = True
    indirect_influence._PERIODS.clear()
    assert (
        _graph_periods(adjacency[None]).tolist()
        == graph_periods_by_squaring(adjacency[None]).tolist()
    )
