"""The graph periods by repeated matrix squaring: the former implementation, kept as a reference.

``anticipe.method.indirect_influence._graph_periods`` used to find the classes
of factors from the transitive closure, squared until it stopped growing
(n^3 log n per matrix, 39 % of a bootstrap at 400 factors); it now finds them
in linear time and remembers each pattern. This is the former code, unchanged,
for comparing both on random graphs.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def graph_periods_by_squaring(adjacency: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Period of the influence graph of each matrix of a stack (``b x n x n``)."""
    n = adjacency.shape[1]
    a = adjacency.astype(np.float32)  # walk counts stay exact: they are <= n
    reach = adjacency.copy()  # paths of length >= 1
    while True:
        r = reach.astype(np.float32)
        wider = reach | (np.matmul(r, r) > 0)
        if np.array_equal(wider, reach):
            break
        reach = wider
    same = reach & reach.transpose(0, 2, 1)  # same class (diagonal: on a cycle)
    on_cycle = np.diagonal(same, axis1=1, axis2=2)
    inner = a * same  # edges inside a class
    # breadth-first levels from one root per class (its first factor), all
    # classes at once: edges inside a class never leave it
    first = np.argmax(same, axis=2)
    roots = on_cycle & (first == np.arange(n))
    level = np.where(roots, 0, -1).astype(np.int64)
    frontier = roots.astype(np.float32)
    depth = 0
    while frontier.any():
        depth += 1
        reached = (np.einsum("bi,bij->bj", frontier, inner) > 0) & (level < 0)
        level[reached] = depth
        frontier = reached.astype(np.float32)
    # the period of a class is the gcd of level(u) + 1 - level(v) over its edges u -> v
    shift = np.where(inner > 0, level[:, :, None] + 1 - level[:, None, :], 0)
    gcd = np.gcd.reduce(np.abs(shift), axis=2)
    class_period = np.gcd.reduce(np.where(same, gcd[:, None, :], 0), axis=2)
    return np.asarray(np.lcm.reduce(np.maximum(class_period, 1), axis=1), dtype=np.int64)
