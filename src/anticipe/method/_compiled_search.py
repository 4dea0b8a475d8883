"""The compiled inner loop of the exact CIB search (numba), allocation-free.

This is the only module of the method layer that uses numba. It is imported only by
:mod:`anticipe.method.scenario_search`, lazily and only for searches worth the import
(numba's import and the load of its cached machine code cost a few tenths of a
second); when numba is missing the numpy search of that module gives the same
scenario sets (the tests compare both with a brute-force reference).

The search is depth-first over one partial scenario held in place: for every pair
``p`` = (k, v) of variants of one descriptor, ``gap[p]`` is ``balance(v) -
balance(k)`` from the descriptors assigned plus the smallest change each descriptor
not yet assigned can still make to it; it is updated when a descriptor is assigned and
restored when it is unassigned (one row added or taken back). A node is kept only if
every assigned descriptor keeps ``gap[p]`` within the threshold for its chosen ``k``
and every unassigned descriptor still has a variant that does (its own self term
counted exactly): the same exact bound as the
numpy search, so nothing consistent is missed and a leaf is exactly consistent. The
next descriptor assigned is the unassigned one with the fewest feasible variants
(dynamic ordering), and only its feasible variants are tried.

Most nodes fail (about 60 % on random spaces), and they fail on an assigned
descriptor: a node first checks the assigned descriptors with the new variant's row
added on the fly, the descriptor that failed last first, and writes that row into
``gap`` only when they all hold; a failing node writes nothing and has nothing to
take back.

A tighter bound was measured and left out: taking, for each unassigned descriptor, the
smallest change over its still-feasible variants only (kept incrementally, restored
on backtracking, to a fixed point) visits about 40 % fewer nodes on random 14 x 4 and
16 x 4 spaces, but costs three times as much per node: slower overall.

Compiled with ``cache=True``: the machine code is written next to this file (or to
numba's user cache directory when that is read-only) on first use and loaded from
there afterwards.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit  # the one numba import of the project

__all__ = ["run"]


@njit(cache=True, nogil=True)
def _search(  # pragma: no cover - compiled; its Python twin is not run by the tests
    starts: Any,  # (D + 1,) int64, first variant of each descriptor, then V
    pair_start: Any,  # (V + 1,) int64, pairs (k, v) of variant k: pair_start[k]:pair_start[k+1]
    delta: Any,  # (V, P) float64, what choosing a variant adds to each pair's gap
    own: Any,  # (P,) float64, self term of the pair's k minus its owner's change
    initial: Any,  # (P,) float64, every pair's gap when no descriptor is assigned
    order: Any,  # (D,) int64, descriptors by priority (ties of the dynamic choice)
    limit: float,  # threshold + tolerance
    start: Any,  # (D,) int64, variants already chosen (-1: free)
    stop: int,  # stop (and record) when this many descriptors are assigned
    budget: int,  # give up after this many nodes (0: no limit)
    out: Any,  # (capacity, D) int64, the assignments reached (scenarios or frontier)
    pending: Any,  # (D * widest, D) int64 out: the subtrees left when the budget ran out
    counters: Any,  # (3,) int64 out: nodes visited, assignments reached, subtrees left
) -> int:
    """Search below ``start``; 0 when done, 1 when ``budget`` ran out.

    When the budget runs out, ``pending`` receives the subtrees not explored yet (the
    untried candidates of every open level, each with the path above it): searching
    each of them finishes the search, nothing done twice.

    ``gap[p]`` is the lower bound of ``balance(v) - balance(k)`` for the pair p = (k, v):
    its value from the descriptors assigned plus, for each descriptor not assigned, the
    smallest change it can make. Choosing variant x adds ``delta[x]`` to it (x's
    impacts minus its descriptor's smallest change) and leaving x takes it back.
    """
    n_desc = starts.size - 1
    n_var = starts[n_desc]
    n_pair = initial.size
    widest = 1
    for d in range(n_desc):
        widest = max(widest, starts[d + 1] - starts[d])
    gap = initial.copy()
    chosen = start.copy()
    assigned = 0
    for j in range(n_desc):
        if chosen[j] >= 0:
            x = starts[j] + chosen[j]
            for p in range(n_pair):
                gap[p] += delta[x, p]
            assigned += 1
    level_desc = np.empty(n_desc + 1, dtype=np.int64)  # descriptor assigned at a level
    level_cand = np.empty((n_desc + 1, widest), dtype=np.int64)  # its candidates
    level_count = np.zeros(n_desc + 1, dtype=np.int64)
    level_next = np.zeros(n_desc + 1, dtype=np.int64)
    # added[depth]: the node at that depth added its variant's row to `gap` (it passed
    # the check of the assigned descriptors); a node that fails there never does
    added = np.zeros(n_desc + 2, dtype=np.bool_)
    feasible = np.empty(widest, dtype=np.int64)
    # dead[k]: depth of the node where variant k was last found infeasible. The bound
    # only tightens going down, so a variant ruled out at an ancestor (dead[k] < depth)
    # is skipped; every node that passes the check of the assigned descriptors rewrites
    # the marks of the variants it checks, so a mark below the current depth always
    # comes from an ancestor on the current path.
    alive = n_desc + 2
    dead = np.full(n_var, alive, dtype=np.int64)
    nodes = 0
    reached = 0
    capacity = out.shape[0]
    depth = 0
    status = 0
    fresh = -1  # the variant just chosen, its row not yet in `gap` (-1: none)
    last = order[0]  # the descriptor that failed last: checked first (fails fast)
    expand = True  # the current node is new: check it
    while True:
        if expand:
            expand = False
            nodes += 1
            # 1. the assigned descriptors, their gaps with the fresh variant's row added
            #    on the fly: most nodes fail here, before any write
            ok = True
            for i in range(-1, n_desc):
                d = last if i < 0 else order[i]
                if chosen[d] < 0 or (i >= 0 and d == last):
                    continue
                k = starts[d] + chosen[d]
                worst = -np.inf  # the largest gap, without a branch per pair
                if fresh >= 0:
                    for p in range(pair_start[k], pair_start[k + 1]):
                        worst = max(worst, gap[p] + delta[fresh, p])
                else:
                    for p in range(pair_start[k], pair_start[k + 1]):
                        worst = max(worst, gap[p])
                if worst > limit:
                    ok = False
                    last = d
                    break
            # 2. the node holds: its row goes into `gap`; every unassigned descriptor
            #    must keep a feasible variant, the one with fewest is assigned next
            best_desc = -1
            best_count = widest + 1
            if ok:
                if fresh >= 0:
                    for p in range(n_pair):
                        gap[p] += delta[fresh, p]
                    added[depth] = True
                for i in range(n_desc):
                    d = order[i]
                    first = starts[d]
                    if chosen[d] >= 0:
                        continue
                    count = 0
                    for k in range(first, starts[d + 1]):
                        if dead[k] < depth:  # ruled out at an ancestor: stays out
                            continue
                        worst = -np.inf
                        for p in range(pair_start[k], pair_start[k + 1]):
                            worst = max(worst, gap[p] + own[p])
                        if worst <= limit:
                            feasible[count] = k - first
                            count += 1
                            dead[k] = alive
                        else:
                            dead[k] = depth
                    if count == 0:
                        ok = False
                        break
                    if count < best_count:
                        best_count = count
                        best_desc = d
                        level_cand[depth, :count] = feasible[:count]
            if ok:
                if assigned == stop or best_desc < 0:
                    if reached < capacity:
                        out[reached] = chosen
                    reached += 1
                else:
                    level_desc[depth] = best_desc
                    level_count[depth] = best_count
                    level_next[depth] = 0
                    assigned += 1
                    depth += 1
            if budget > 0 and nodes >= budget:
                status = 1
                left = 0
                for level in range(depth):
                    for c in range(level_next[level], level_count[level]):
                        pending[left] = start
                        for above in range(level):
                            pending[left, level_desc[above]] = chosen[level_desc[above]]
                        pending[left, level_desc[level]] = level_cand[level, c]
                        left += 1
                counters[2] = left
                break
        # move to the next candidate of the deepest open level, backtracking
        if depth == 0:
            break
        level = depth - 1
        d = level_desc[level]
        if chosen[d] >= 0:  # leave the node below
            if added[depth]:
                x = starts[d] + chosen[d]
                for p in range(n_pair):
                    gap[p] -= delta[x, p]
                added[depth] = False
            chosen[d] = -1
        if level_next[level] < level_count[level]:
            k_local = level_cand[level, level_next[level]]
            level_next[level] += 1
            chosen[d] = k_local
            fresh = starts[d] + k_local
            expand = True
        else:
            assigned -= 1
            depth -= 1
    counters[0] += nodes
    counters[1] += reached
    return status


def run(
    tables: tuple[Any, ...],
    limit: float,
    start: Any,
    stop: int,
    budget: int,
    capacity: int,
) -> tuple[int, Any, int, Any]:
    """One search below ``start``: (status, assignments reached, nodes visited, subtrees
    left when the budget ran out).

    Reruns with a larger output when more assignments were reached than ``capacity``,
    also when the budget ran out (the rerun stops at the same node).
    """
    n_desc = start.size
    widest = int((tables[0][1:] - tables[0][:-1]).max()) if n_desc else 1
    while True:
        out = np.empty((capacity, n_desc), dtype=np.int64)
        pending = np.empty((n_desc * widest + 1, n_desc), dtype=np.int64)
        counters = np.zeros(3, dtype=np.int64)
        status = _search(*tables, limit, start, stop, budget, out, pending, counters)  # type: ignore[call-arg]
        reached = int(counters[1])
        if reached <= capacity:  # else again (the same nodes) with room for all of them
            left = pending[: int(counters[2])].copy()  # copies: the buffers go now
            return int(status), out[:reached].copy(), int(counters[0]), left
        capacity = reached
