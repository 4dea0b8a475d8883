"""The exact search of the consistent scenarios of a CIB space (cross-impact balance).

:func:`search` assigns descriptors one after another, batch by batch with numpy, and
discards a partial scenario only when it provably has no completion within the
threshold (see :func:`anticipe.method.cross_impact.consistent_scenarios`, which calls it
and documents the method). It works on the validated space of
:mod:`anticipe.method.cross_impact`.

References
----------
.. [1] W. Weimer-Jehle, "Cross-impact balances: A system-theoretical approach to
   cross-impact analysis", Technological Forecasting & Social Change 73 (2006)
   334-361.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # the space is built there, and cross_impact imports this module
    from anticipe.method.cross_impact import _Space

__all__ = ["Engine", "compiled_available", "search"]

Progress = Callable[[int, int], None]
Engine = Literal["auto", "numpy", "compiled"]

# The numpy search runs first while the compiled one is not loaded; past this many
# nodes (the ScenarioWizard cases need at most 6,214) or this much CPU time (its nodes
# cost more as the space widens: 15 us each at 32 descriptors) the compiled search
# takes over.
_NUMPY_BUDGET = 100_000
_NUMPY_SECONDS = 0.1
# The compiled search runs on one core first; past this many nodes (a few hundredths of
# a second) what is left of it is split in branches searched on every core.
_SERIAL_BUDGET = 100_000
# The compiled search's module: once imported, "auto" goes straight to it.
_KERNEL = "anticipe.method._compiled_search"
# Branches per core of the parallel compiled search at the start, and the nodes a branch
# searches before handing back what it has left (about a tenth of a second): uneven
# branches are split again while they run.
_BRANCHES_PER_CORE = 4
_TASK_BUDGET = 1_000_000

# Weakly linked groups (see _weak_groups, _grouped_search): a link is weak at most at
# this share of the median link; a group's candidate set is abandoned past this many
# nodes or members, the combination past this many cells (partial combinations kept x
# pairs of variants: 9 bytes each).
_WEAK_SHARE = 0.25
_GROUP_BUDGET = 2_000_000
_GROUP_SET_MAX = 20_000
_FRONTIER_CELLS = 4_000_000
# Cells (partial combinations x candidates x pairs) checked together (about 25 MB of
# temporaries).
_GROUP_CHUNK = 1_000_000

# Rows of partial scenarios processed together by the numpy search (2,048 keeps its
# temporaries under about 40 MB and is as fast as larger batches).
_CHUNK = 2048
# Aim for at least this many top-level branches (for progress reports).
_TOP_BRANCHES = 16


def _block_weights(space: _Space) -> npt.NDArray[np.float64]:
    """weight[i, j]: total absolute impact of descriptor i on descriptor j (0 on i = i)."""
    starts = list(space.starts)
    absolute = np.abs(space.matrix.astype(np.float64))
    weight: npt.NDArray[np.float64] = np.add.reduceat(
        np.add.reduceat(absolute, starts, axis=0), starts, axis=1
    )
    np.fill_diagonal(weight, 0.0)
    return weight


def _search_order(space: _Space) -> list[int]:
    """Descriptors in an order that lets the bounds prune early.

    Greedy: start with the descriptor that exchanges the most impact with the others,
    then repeatedly add the descriptor exchanging the most impact with those already
    chosen, so each new descriptor tightens the balances of the chosen ones.
    """
    n = space.n_descriptors
    weight = _block_weights(space)
    exchange = weight + weight.T
    order = [int(np.argmax(exchange.sum(axis=1)))]
    link = exchange[:, order[0]].copy()
    taken = np.zeros(n, dtype=bool)
    taken[order[0]] = True
    while len(order) < n:
        candidates = np.where(taken, -1.0, link)
        pick = int(np.argmax(candidates))
        order.append(pick)
        taken[pick] = True
        link += exchange[:, pick]
    return order


def _search_matrix(space: _Space) -> tuple[npt.NDArray[Any], Any]:
    """The matrix in the narrowest exact type, and a value larger than any balance gap."""
    if space.integral and np.abs(space.matrix).sum() < 2**27:
        return space.matrix.astype(np.int32), np.int32(2**29)
    if space.integral:
        return space.matrix, np.int64(2**61)
    return space.matrix, np.inf


def _search_bounds(
    space: _Space, m: npt.NDArray[Any], order: list[int]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp], list[Any]]:
    """The variant pairs, the variant slots and the lower bounds of the exact search.

    Returns ``pk`` and ``pv`` (the pairs (k, v) of variants of the same descriptor,
    `widest` per k), ``slot`` (the variants of each descriptor, `widest` per descriptor,
    padded with a barred slot) and ``bounds[depth]`` (column vectors: lower bound on the
    change still to come to the difference of each pair when the descriptors
    ``order[depth:]`` are unassigned).
    """
    counts, starts = space.counts, space.starts
    n_desc, n_var = space.n_descriptors, space.n_variants
    widest = max(counts)
    position = [0] * n_desc
    for depth, d in enumerate(order):
        position[d] = depth
    owner = np.repeat(np.arange(n_desc), counts)
    # Pairs (k, v) of variants of the same descriptor, `widest` per k (a descriptor
    # with fewer variants repeats the pair (k, k), whose difference is always 0).
    pair_k: list[int] = []
    pair_v: list[int] = []
    for start, count in zip(starts, counts, strict=True):
        for k in range(start, start + count):
            rivals = list(range(start, start + count)) + [k] * (widest - count)
            pair_k.extend([k] * widest)
            pair_v.extend(rivals)
    pk = np.array(pair_k, dtype=np.intp)
    pv = np.array(pair_v, dtype=np.intp)
    # Variants of each descriptor, `widest` per descriptor, padded with a barred slot.
    slots: list[int] = []
    for start, count in zip(starts, counts, strict=True):
        slots.extend(list(range(start, start + count)) + [n_var] * (widest - count))
    slot = np.array(slots, dtype=np.intp)

    # change[j, p]: smallest change descriptor j can make to balance(v) - balance(k).
    change = np.empty((n_desc, pk.size), dtype=m.dtype)
    for j, (start, count) in enumerate(zip(starts, counts, strict=True)):
        rows = m[start : start + count]
        change[j] = (rows[:, pv] - rows[:, pk]).min(axis=0)
    own = m[pk, pv] - m[pk, pk]  # the exact self term once k is chosen
    pair_owner = owner[pk]
    columns = np.arange(pk.size)
    # bound[depth, p]: lower bound on the change still to come to the difference of
    # pair p when the descriptors order[depth:] are unassigned.
    bound = np.zeros((n_desc + 1, pk.size), dtype=m.dtype)
    for depth in range(n_desc - 1, -1, -1):
        bound[depth] = bound[depth + 1] + change[order[depth]]
    for depth in range(n_desc + 1):
        unassigned = np.array([position[d] >= depth for d in range(n_desc)])[pair_owner]
        bound[depth] += np.where(unassigned, own - change[pair_owner, columns], 0)
    bounds = [np.ascontiguousarray(row[:, None]) for row in bound]
    return pk, pv, slot, bounds


class _OverBudgetError(Exception):
    """The numpy search went past its node budget (the compiled search takes over)."""


def _numpy_search(
    space: _Space, threshold: float, progress: Progress | None, budget: int = 0
) -> tuple[list[list[int]], int, list[int]]:
    """Exact batched depth-first search; returns (scenarios, nodes, order).

    Raises :class:`_OverBudgetError` once more than ``budget`` nodes are examined
    (``0``: no limit).

    Partial scenarios are stored variant-major: ``balances`` has shape (V, n) and
    ``chosen`` (D, n), one column per partial scenario, so every numpy operation runs
    along contiguous memory.
    """
    # Kept in one piece on purpose: `feasible` and `expand` are the hot loop, closures
    # over local names; the set-up of the bounds is in `_search_bounds`.
    counts, starts = space.counts, space.starts
    n_desc, n_var = space.n_descriptors, space.n_variants
    widest = max(counts)
    m, big = _search_matrix(space)
    order = _search_order(space)
    pk, pv, slot, bounds = _search_bounds(space, m, order)
    limit = threshold + space.tolerance
    barred_row = np.full((1, 1), big, dtype=m.dtype)

    def feasible(balances: npt.NDArray[Any], barred: npt.NDArray[Any], depth: int) -> Any:
        n = balances.shape[1]
        gap = balances[pv] - balances[pk]
        gap += bounds[depth]
        worst = gap.reshape(n_var, widest, n).max(axis=1)
        worst += barred
        if widest > min(counts):
            worst = np.concatenate([worst, np.broadcast_to(barred_row, (1, n))])
        best = worst[slot].reshape(n_desc, widest, n).min(axis=1)
        return best.max(axis=0) <= limit

    # barred[v, c]: 0 when v is the chosen variant c of its descriptor, big otherwise
    patterns = [
        np.where(np.eye(count, dtype=bool), m.dtype.type(0), big).astype(m.dtype)
        for count in counts
    ]
    index_type = np.int8 if widest < 127 else np.int32
    nodes = 0
    began = time.process_time()

    def expand(
        balances: npt.NDArray[Any],
        barred: npt.NDArray[Any],
        chosen: npt.NDArray[Any],
        depth: int,
    ) -> tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any]]:
        nonlocal nodes
        d = order[depth]
        start, count = starts[d], counts[d]
        n = balances.shape[1]
        new_bal = (balances[:, None, :] + m[start : start + count].T[:, :, None]).reshape(
            n_var, count * n
        )
        new_bar = np.tile(barred, count)
        new_bar[start : start + count] = np.repeat(patterns[d], n, axis=1)
        new_cho = np.tile(chosen, count)
        new_cho[d] = np.repeat(np.arange(count, dtype=index_type), n)
        nodes += count * n
        if budget and (nodes > budget or time.process_time() - began > _NUMPY_SECONDS):
            raise _OverBudgetError
        keep = feasible(new_bal, new_bar, depth + 1)
        return new_bal[:, keep], new_bar[:, keep], new_cho[:, keep]

    # Top-level branches: all combinations of the first `top` descriptors in order.
    top, branches = 0, 1
    while top < n_desc and branches < _TOP_BRANCHES:
        branches *= counts[order[top]]
        top += 1
    level = (
        np.zeros((n_var, 1), dtype=m.dtype),
        np.zeros((n_var, 1), dtype=m.dtype),
        np.zeros((n_desc, 1), dtype=index_type),
    )
    found: list[npt.NDArray[Any]] = []
    if not feasible(level[0], level[1], 0).all():
        if progress is not None:
            progress(branches, branches)
        return [], nodes, order
    for depth in range(top):
        level = expand(*level, depth)
    alive = level[0].shape[1]
    done = branches - alive
    if progress is not None:
        progress(done, branches)
    for branch in range(alive):
        column = slice(branch, branch + 1)
        stack = [(level[0][:, column], level[1][:, column], level[2][:, column], top)]
        while stack:
            balances, barred, chosen, depth = stack.pop()
            if depth == n_desc:
                found.append(chosen)
                continue
            new_bal, new_bar, new_cho = expand(balances, barred, chosen, depth)
            size = new_bal.shape[1]
            for first in range(((size - 1) // _CHUNK) * _CHUNK, -1, -_CHUNK):
                piece = slice(first, first + _CHUNK)
                stack.append((new_bal[:, piece], new_bar[:, piece], new_cho[:, piece], depth + 1))
        done += 1
        if progress is not None:
            progress(done, branches)
    scenarios = [[int(i) for i in row] for block in found for row in block.T]
    return scenarios, nodes, order


# --------------------------------------------------------------------------- dispatch


def compiled_available() -> bool:
    """Whether numba is installed (checked without importing it)."""
    return "numba" in sys.modules or importlib.util.find_spec("numba") is not None


def search(
    space: _Space, threshold: float, progress: Progress | None, engine: Engine = "auto"
) -> tuple[list[list[int]], int, list[int]]:
    """Exact search of the scenarios within ``threshold``; returns (scenarios, nodes, order).

    Independent islands of descriptors (no impact between them, either way) are
    searched apart and their scenarios combined: a scenario is within the threshold
    exactly when its part on every island is.

    ``engine``: ``"numpy"`` (batched numpy search), ``"compiled"`` (numba; the numpy
    search when numba is missing) or ``"auto"``: the compiled search once it is loaded
    in this process, otherwise the numpy search first, handing over to the compiled one
    (when installed) past a budget of nodes, so that small searches never pay numba's
    import.
    """
    islands = _islands(space)
    if len(islands) == 1:
        return _solve(space, threshold, progress, engine)
    parts: list[list[list[int]]] = []
    nodes = 0
    order: list[int] = []
    scale = 1000
    for number, members in enumerate(islands):
        part = _subspace(space, members)
        island_progress = None
        if progress is not None:
            island_progress = _scaled(progress, number, len(islands), scale)
        found, visited, island_order = _solve(part, threshold, island_progress, engine)
        nodes += visited
        order.extend(members[i] for i in island_order)
        if not found:
            if progress is not None:
                progress(len(islands) * scale, len(islands) * scale)
            return [], nodes, order + [d for d in range(space.n_descriptors) if d not in order]
        parts.append(found)
    if progress is not None:
        progress(len(islands) * scale, len(islands) * scale)
    scenarios: list[list[int]] = []
    for combination in itertools.product(*parts):
        scenario = [0] * space.n_descriptors
        for members, chosen in zip(islands, combination, strict=True):
            for descriptor, variant in zip(members, chosen, strict=True):
                scenario[descriptor] = variant
        scenarios.append(scenario)
    return scenarios, nodes, order


def _scaled(progress: Progress, number: int, islands: int, scale: int) -> Progress:
    """Progress of one island as a share of the whole search."""

    def report(done: int, total: int) -> None:
        share = (done * scale) // total if total else scale
        progress(number * scale + share, islands * scale)

    return report


def _islands(space: _Space) -> list[list[int]]:
    """The descriptors in groups with no impact between groups, by first descriptor."""
    weight = _block_weights(space)
    return _components((weight + weight.T) > 0)


def _components(linked: npt.NDArray[np.bool_]) -> list[list[int]]:
    """The connected groups of descriptors of a symmetric link matrix, by first one."""
    island = [-1] * linked.shape[0]
    groups: list[list[int]] = []
    for first in range(linked.shape[0]):
        if island[first] >= 0:
            continue
        island[first] = len(groups)
        members, queue = [first], [first]
        while queue:
            d = queue.pop()
            for e in np.flatnonzero(linked[d]).tolist():
                if island[e] < 0:
                    island[e] = len(groups)
                    members.append(e)
                    queue.append(e)
        groups.append(sorted(members))
    return groups


def _weak_groups(space: _Space) -> list[list[int]] | None:
    """Groups of descriptors with only weak links between groups, or None.

    A link (the total absolute impact between two descriptors, both ways) is weak when
    it is at most a quarter of the median link; the groups are the components of the
    links above the smallest weak level that splits the descriptors (so as few links
    as possible are cut). Only a guess that makes :func:`_grouped_search` fast: its
    result is exact whatever the groups.
    """
    weight = _block_weights(space)
    exchange = weight + weight.T
    links = exchange[exchange > 0]
    if links.size == 0:
        return None
    weak = np.unique(links[links <= _WEAK_SHARE * float(np.median(links))])
    for level in weak.tolist():
        groups = _components(exchange > level)
        if len(groups) > 1:
            return groups
    return None


def _subspace(space: _Space, members: list[int]) -> _Space:
    """The space of some descriptors only (an island)."""
    variants = [space.starts[d] + k for d in members for k in range(space.counts[d])]
    counts = tuple(space.counts[d] for d in members)
    starts = tuple(int(s) for s in np.cumsum([0, *counts[:-1]]))
    matrix = space.matrix[np.ix_(variants, variants)]
    return replace(space, matrix=matrix, counts=counts, starts=starts)


def _solve(
    space: _Space, threshold: float, progress: Progress | None, engine: Engine
) -> tuple[list[list[int]], int, list[int]]:
    """One island, by the engine asked for (see :func:`search`)."""
    compiled = engine != "numpy" and compiled_available()
    if not compiled:
        return _numpy_search(space, threshold, progress)
    if engine == "auto" and _KERNEL not in sys.modules:
        try:
            return _numpy_search(space, threshold, progress, _NUMPY_BUDGET)
        except _OverBudgetError:
            pass
    kernel = _kernel()
    if kernel is None:
        return _numpy_search(space, threshold, progress)
    return _compiled_search(kernel, space, threshold, progress)


def _kernel() -> Any:
    """The compiled search's module, or None when numba cannot load it here (a broken
    install, no writable cache directory): the numpy search does the work then."""
    try:
        from anticipe.method import _compiled_search
    except Exception:  # numba's import or its cache set-up failed
        return None
    return _compiled_search


def _tables(space: _Space, order: list[int]) -> tuple[Any, ...]:
    """The arrays of the compiled search (see ``_compiled_search._search``)."""
    m = space.matrix.astype(np.float64)  # exact: integral cells add up below 2**52
    starts = np.array([*space.starts, space.n_variants], dtype=np.int64)
    counts = np.array(space.counts, dtype=np.int64)
    owner_of = np.repeat(np.arange(space.n_descriptors), counts)  # descriptor of a variant
    k_all, v_all = np.nonzero(owner_of[:, None] == owner_of[None, :])  # k-major order
    rival = k_all != v_all
    pk, pv = k_all[rival].astype(np.int64), v_all[rival].astype(np.int64)
    pair_start = np.zeros(space.n_variants + 1, dtype=np.int64)
    np.cumsum(counts[owner_of] - 1, out=pair_start[1:])
    gaps = m[:, pv] - m[:, pk]  # (V, P): the change each variant makes to each pair
    change = np.zeros((space.n_descriptors, pk.size))  # each descriptor's smallest
    if pk.size:
        change = np.minimum.reduceat(gaps, list(space.starts), axis=0)
    own = m[pk, pv] - m[pk, pk] - change[owner_of[pk], np.arange(pk.size)]
    # delta[x, p]: choosing x changes the pair's difference by gaps[x, p], and its
    # descriptor's smallest change leaves the bound
    delta = gaps - change[owner_of]
    return (
        starts,
        pair_start,
        np.ascontiguousarray(delta),
        own,
        change.sum(axis=0),
        np.array(order, dtype=np.int64),
    )


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _compiled_search(
    kernel: Any, space: _Space, threshold: float, progress: Progress | None
) -> tuple[list[list[int]], int, list[int]]:
    """The compiled depth-first search, on every core when the search is long."""
    order = _search_order(space)
    tables = _tables(space, order)
    limit = threshold + space.tolerance
    n = space.n_descriptors
    free = np.full(n, -1, dtype=np.int64)
    cores = _cores()
    status, found, nodes, pending = kernel.run(tables, limit, free, n, _SERIAL_BUDGET, 1024)
    rows = [[int(i) for i in row] for row in found]
    if status == 0:
        if progress is not None:
            progress(1, 1)
        return rows, nodes, order
    # Long search: models joined with weak links are searched group by group first
    groups = _weak_groups(space)
    if groups is not None:
        grouped = _grouped_search(kernel, space, limit, groups)
        if grouped is not None:
            if progress is not None:
                progress(1, 1)
            return grouped[0], nodes + grouped[1], order
    # Long search: the subtrees left, split until there are enough for every core to
    # take its share, then searched by threads (the kernel releases the GIL).
    branches = list(pending)
    while len(branches) < cores * _BRANCHES_PER_CORE:
        split: list[Any] = []
        for row in branches:
            assigned = int((row >= 0).sum())
            if assigned == n:
                split.append(row)
                continue
            _, children, visited, _ = kernel.run(tables, limit, row, assigned + 1, 0, 64)
            nodes += visited
            split.extend(children)
        if len(split) == len(branches):
            break
        branches = split
    branches.sort(key=lambda row: int((row >= 0).sum()))  # the largest subtrees first

    def work(row: Any) -> tuple[int, Any, int, Any]:
        return kernel.run(tables, limit, row, n, _TASK_BUDGET, 256)  # type: ignore[no-any-return]

    # A branch searched past its budget hands back the subtrees it has not explored,
    # queued again: no core waits at the end behind one large branch.
    with ThreadPoolExecutor(max_workers=cores) as pool:
        running = {pool.submit(work, row) for row in branches}
        done, total = 0, len(running)
        while running:
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                _, found_task, visited_task, left = future.result()
                nodes += visited_task
                rows.extend([int(i) for i in row] for row in found_task)
                running.update(pool.submit(work, row) for row in left)
                done += 1
                total += len(left)
                if progress is not None:
                    progress(done, total)
    return rows, nodes, order


def _grouped_search(
    kernel: Any, space: _Space, limit: float, groups: list[list[int]]
) -> tuple[list[list[int]], int] | None:
    """Exact search through groups of descriptors; (scenarios, nodes) or None when a
    group's candidates or the partial combinations grow past their limits.

    First, each group's candidates: its partial scenarios whose descriptors stay within
    the threshold when every descriptor outside the group makes the change most
    favourable to them (the compiled search on the group, every pair's gap starting
    from the outside's smallest changes). A consistent scenario's part on a group is
    always one of them. Then the candidates are combined group after group, a partial
    combination kept only while its assigned descriptors stay within the threshold with
    each group still to come at the smallest change any of its candidates makes; once
    every group is in, that check is the exact one.
    """
    n = space.n_descriptors
    m = space.matrix.astype(np.float64)
    counts = np.array(space.counts, dtype=np.int64)
    starts = np.array(space.starts, dtype=np.int64)
    owner_of = np.repeat(np.arange(n), counts)
    k_all, v_all = np.nonzero(owner_of[:, None] == owner_of[None, :])
    rival = k_all != v_all
    pk, pv = k_all[rival], v_all[rival]
    gaps = m[:, pv] - m[:, pk]  # (V, P): what each variant adds to each pair's difference
    change = np.minimum.reduceat(gaps, list(space.starts), axis=0)  # (D, P)
    nodes = 0
    parts: list[tuple[list[int], Any, Any, Any]] = []
    for members in groups:
        part = _subspace(space, members)
        tables = list(_tables(part, _search_order(part)))
        inside = np.isin(owner_of[pk], members)  # the group's pairs, in the part's order
        outside = np.setdiff1d(np.arange(n), members)
        tables[4] = tables[4] + change[outside][:, inside].sum(axis=0)
        free = np.full(len(members), -1, dtype=np.int64)
        status, found, visited, _ = kernel.run(
            tuple(tables), limit, free, len(members), _GROUP_BUDGET, 1024
        )
        nodes += visited
        if status != 0 or len(found) > _GROUP_SET_MAX:
            return None
        if len(found) == 0:
            return [], nodes
        chosen = starts[members][None, :] + found  # (candidates, members): variants
        picked = np.zeros((len(found), space.n_variants), dtype=bool)
        np.put_along_axis(picked, chosen, True, axis=1)
        adds = np.zeros((len(found), pk.size))
        for column in chosen.T:  # one member at a time: no (candidates, members, P) array
            adds += gaps[column]
        parts.append((members, found, adds, picked[:, pk]))
    parts.sort(key=lambda item: len(item[1]))
    lows = [adds.min(axis=0) for _, _, adds, _ in parts]
    to_come = [
        np.sum(lows[j + 1 :], axis=0) if j + 1 < len(lows) else 0.0 for j in range(len(lows))
    ]
    sums = np.zeros((1, pk.size))
    held = np.zeros((1, pk.size), dtype=bool)
    picks = np.zeros((1, 0), dtype=np.int64)
    for j, (_, found, adds, active) in enumerate(parts):
        step = max(1, _GROUP_CHUNK // max(1, len(found) * pk.size))
        kept_sums, kept_held, kept_picks = [], [], []
        for first in range(0, sums.shape[0], step):
            rows = slice(first, first + step)
            total = sums[rows, None, :] + adds[None, :, :] + to_come[j]
            hold = held[rows, None, :] | active[None, :, :]
            ok = ~((total > limit) & hold).any(axis=2)
            row, candidate = np.nonzero(ok)
            kept_picks.append(np.column_stack([picks[rows][row], candidate]))
            if j + 1 < len(parts):  # the last group's combinations are only listed
                kept_sums.append(total[row, candidate] - to_come[j])
                kept_held.append(hold[row, candidate])
        picks = np.concatenate(kept_picks)
        nodes += picks.shape[0]
        if picks.shape[0] == 0:
            return [], nodes
        if j + 1 < len(parts):
            sums = np.concatenate(kept_sums)
            held = np.concatenate(kept_held)
            if sums.size > _FRONTIER_CELLS:
                return None
    scenarios = np.zeros((picks.shape[0], n), dtype=np.int64)
    for j, (members, found, _, _) in enumerate(parts):
        scenarios[:, members] = found[picks[:, j]]
    return [[int(i) for i in row] for row in scenarios], nodes
