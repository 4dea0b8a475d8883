"""Scenario coherence by cross-impact balance (CIB).

A CIB analysis describes a system by *descriptors* (here: the key factors), each with
a small set of mutually exclusive *variants* (here: their evolution hypotheses), and a
*cross-impact matrix* over all variants: the cell (row ``u``, column ``v``) is the
judgement "if variant ``u`` happens, it promotes (> 0) or hinders (< 0) variant
``v``", usually an integer from -3 to +3. Rows and columns are ordered descriptor by
descriptor; ``variant_counts`` gives how many variants each descriptor has.

A *scenario* chooses one variant per descriptor (a list of 0-based variant indices, one
per descriptor). The *impact balance* of a variant ``v`` in that scenario is the sum
of the impacts on ``v`` from the chosen variants of every descriptor. A scenario is
*consistent* when, for every descriptor, the chosen variant has the largest balance of
its descriptor (ties allowed).

The blocks on the diagonal (a descriptor on itself) are normally zero. When a matrix
has non-zero self blocks they are counted like any other cell, as ScenarioWizard does;
``self_impacts=False`` ignores them instead.

All functions take the matrix as a square array-like of numbers (integers or floats)
and return plain Python values: ``int`` when every cell is integral, ``float``
otherwise.

References
----------
.. [1] W. Weimer-Jehle, "Cross-impact balances: A system-theoretical approach to
   cross-impact analysis", Technological Forecasting & Social Change 73 (2006)
   334-361.
.. [2] W. Weimer-Jehle, *ScenarioWizard 4.x: constructing consistent scenarios
   using cross-impact balance analysis*, manual, ZIRIUS, University of Stuttgart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NotRequired, TypedDict

import numpy as np
import numpy.typing as npt

from anticipe.method.errors import MethodInputError
from anticipe.method.scenario_search import search

__all__ = [
    "ConsistencyParameters",
    "ConsistentScenario",
    "ConsistentScenarios",
    "DescriptorVariants",
    "ScenarioConsistency",
    "ScenarioSearch",
    "ScoredScenario",
    "SearchParameters",
    "Succession",
    "SuccessionParameters",
    "consistent_scenarios",
    "consistent_scenarios_from_labels",
    "impact_balances",
    "scenario_consistency",
    "succession",
]

Number = int | float
MatrixLike = Sequence[Sequence[float]] | npt.NDArray[Any]
Progress = Callable[[int, int], None]


class ConsistencyParameters(TypedDict):
    """The options of :func:`scenario_consistency` (its ``parameters``)."""

    self_impacts: bool


class ScenarioConsistency(TypedDict):
    """The result of :func:`scenario_consistency`."""

    scenario: list[int]  #: 0-based variant per descriptor
    descriptors: list[str]  #: the names
    balances: list[list[Number]]  #: as :func:`impact_balances`
    consistent: bool
    inconsistency: Number  #: max over descriptors of best balance - chosen balance
    descriptor_inconsistency: list[Number]  #: that difference per descriptor
    #: min over descriptors of chosen balance - best balance among the *other* variants,
    #: as ScenarioWizard reports it; None when every descriptor has a single variant
    consistency_value: Number | None
    total_impact_score: Number  #: sum of the chosen variants' balances
    inconsistent_descriptors: list[str]  #: whose chosen variant is not among the best
    parameters: ConsistencyParameters
    variants: NotRequired[list[str]]  #: chosen variant names, when variant names are given


class SuccessionParameters(TypedDict):
    """The options of :func:`succession` (its ``parameters``)."""

    mode: str
    max_steps: int
    self_impacts: bool


class Succession(TypedDict):
    """The result of :func:`succession`."""

    start: list[int]
    #: the scenarios visited, start included; for a cycle it ends just before the first
    #: repetition
    path: list[list[int]]
    outcome: str  #: "attractor", "cycle" or "max_steps"
    attractor: list[int] | None  #: the consistent scenario reached
    cycle: list[list[int]] | None  #: the scenarios of the cycle, in order
    steps: int  #: successions applied
    parameters: SuccessionParameters


class ScoredScenario(TypedDict):
    """A scenario with its scores."""

    scenario: list[int]  #: 0-based variant per descriptor, in the caller's order
    total_impact_score: Number
    consistency_value: Number | None
    inconsistency: Number


class ConsistentScenario(ScoredScenario):
    """One scenario found by :func:`consistent_scenarios`."""

    #: descriptor name -> chosen variant name (:func:`consistent_scenarios_from_labels`)
    variants: NotRequired[dict[str, str]]


class SearchParameters(TypedDict):
    """The options of :func:`consistent_scenarios` (its ``parameters``)."""

    max_inconsistency: float
    self_impacts: bool
    variant_counts: list[int]


class ScenarioSearch(TypedDict):
    """What the exact search examined (:func:`consistent_scenarios` without its scenarios)."""

    count: int  #: scenarios found
    scenario_count: int  #: size of the space
    nodes_visited: int  #: partial scenarios examined
    search_order: list[int]  #: descriptor indices in the order assigned
    parameters: SearchParameters


class DescriptorVariants(TypedDict):
    """A descriptor's name and its variants' names."""

    name: str
    variants: list[str]


class ConsistentScenarios(ScenarioSearch):
    """The result of :func:`consistent_scenarios` (and of
    :func:`consistent_scenarios_from_labels`, which adds the names)."""

    #: sorted by decreasing total impact score, then by scenario
    scenarios: list[ConsistentScenario]
    descriptors: NotRequired[list[DescriptorVariants]]


@dataclass(frozen=True)
class _Space:
    """A validated CIB space: matrix, descriptor blocks, number kind."""

    matrix: npt.NDArray[Any]  # int64 when every cell is integral, float64 otherwise
    counts: tuple[int, ...]
    starts: tuple[int, ...]  # first row/column of each descriptor
    integral: bool
    tolerance: float  # 0 for integral matrices

    @property
    def n_descriptors(self) -> int:
        return len(self.counts)

    @property
    def n_variants(self) -> int:
        return int(self.matrix.shape[0])

    def out(self, value: Any) -> Number:
        """A plain Python number of the matrix's kind."""
        return int(value) if self.integral else float(value)


def _space(matrix: MatrixLike, variant_counts: Sequence[int], self_impacts: bool) -> _Space:
    counts: list[int] = []
    for position, count in enumerate(variant_counts):
        if isinstance(count, bool) or not isinstance(count, int | np.integer):
            raise MethodInputError(
                f"variant count of descriptor {position + 1} must be an integer, got {count!r}"
            )
        if count < 1:
            raise MethodInputError(
                f"descriptor {position + 1} must have at least one variant, got {int(count)}"
            )
        counts.append(int(count))
    if not counts:
        raise MethodInputError("at least one descriptor is needed")
    total = sum(counts)
    try:
        values = np.array(matrix, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise MethodInputError(f"cross-impact matrix is not a table of numbers: {error}") from None
    if values.ndim != 2 or values.shape[0] != values.shape[1]:
        raise MethodInputError(
            f"cross-impact matrix must be square, got shape {'x'.join(map(str, values.shape))}"
        )
    if values.shape[0] != total:
        raise MethodInputError(
            f"cross-impact matrix is {values.shape[0]} x {values.shape[1]}, expected "
            f"{total} x {total} (the variant counts {counts} add up to {total})"
        )
    bad = np.argwhere(~np.isfinite(values))
    if bad.size:
        row, column = (int(i) + 1 for i in bad[0])
        raise MethodInputError(
            f"cross-impact matrix cell (row {row}, column {column}) is not a finite number"
        )
    starts = tuple(int(s) for s in np.cumsum([0, *counts[:-1]]))
    if not self_impacts:
        for start, count in zip(starts, counts, strict=True):
            values[start : start + count, start : start + count] = 0.0
    integral = bool(np.all(values == np.round(values))) and bool(np.abs(values).sum() < 2.0**52)
    if integral:
        return _Space(values.astype(np.int64), tuple(counts), starts, True, 0.0)
    scale = float(np.abs(values).sum(axis=0).max()) if values.size else 0.0
    return _Space(values, tuple(counts), starts, False, 1e-9 * max(scale, 1.0))


def _scenario(space: _Space, scenario: Sequence[int], what: str = "scenario") -> list[int]:
    chosen = list(scenario)
    if len(chosen) != space.n_descriptors:
        raise MethodInputError(
            f"{what} has {len(chosen)} variants, expected one per descriptor "
            f"({space.n_descriptors})"
        )
    result: list[int] = []
    for position, (index, count) in enumerate(zip(chosen, space.counts, strict=True)):
        if isinstance(index, bool) or not isinstance(index, int | np.integer):
            raise MethodInputError(
                f"{what}: variant of descriptor {position + 1} must be an integer index, "
                f"got {index!r}"
            )
        if not 0 <= index < count:
            raise MethodInputError(
                f"{what}: variant {int(index)} of descriptor {position + 1} is out of range "
                f"(0 to {count - 1})"
            )
        result.append(int(index))
    return result


def _threshold(space: _Space, max_inconsistency: float) -> float:
    if isinstance(max_inconsistency, bool) or not isinstance(
        max_inconsistency, int | float | np.integer | np.floating
    ):
        raise MethodInputError(f"max_inconsistency must be a number, got {max_inconsistency!r}")
    if not np.isfinite(max_inconsistency) or max_inconsistency < 0:
        raise MethodInputError(f"max_inconsistency must be >= 0, got {max_inconsistency}")
    return float(max_inconsistency)


def _balances(space: _Space, chosen: Sequence[int]) -> npt.NDArray[Any]:
    rows = [start + index for start, index in zip(space.starts, chosen, strict=True)]
    result: npt.NDArray[Any] = space.matrix[rows].sum(axis=0)
    return result


@dataclass(frozen=True)
class _Scores:
    descriptor_inconsistency: list[Any]
    inconsistency: Any
    consistency_value: Any  # None when every descriptor has a single variant
    total_impact_score: Any

    def consistency_value_out(self, space: _Space) -> Number | None:
        """The consistency value as a plain number, or None."""
        return None if self.consistency_value is None else space.out(self.consistency_value)


def _scores(space: _Space, chosen: Sequence[int], balances: npt.NDArray[Any]) -> _Scores:
    # plain Python numbers: a few dozen small blocks are quicker than numpy calls
    values = balances.tolist()
    per_descriptor: list[Any] = []
    margins: list[Any] = []
    total: Any = 0 if space.integral else 0.0
    for start, count, index in zip(space.starts, space.counts, chosen, strict=True):
        block = values[start : start + count]
        own = block[index]
        total = total + own
        per_descriptor.append(max(block) - own)
        if count > 1:
            margins.append(own - max(block[:index] + block[index + 1 :]))
    return _Scores(per_descriptor, max(per_descriptor), min(margins) if margins else None, total)


def impact_balances(
    matrix: MatrixLike,
    variant_counts: Sequence[int],
    scenario: Sequence[int],
    *,
    self_impacts: bool = True,
) -> list[list[Number]]:
    """Impact balances of every variant in a scenario.

    Parameters
    ----------
    matrix : array_like, shape (V, V)
        Cross-impact matrix, row = impacting variant, column = impacted variant,
        descriptor by descriptor.
    variant_counts : sequence of int
        Number of variants of each descriptor (adds up to ``V``).
    scenario : sequence of int
        Chosen variant of each descriptor, 0-based.
    self_impacts : bool, default True
        Count the diagonal (self) blocks; ``False`` ignores them.

    Returns
    -------
    list of list of number
        ``balances[d][k]`` = sum of the impacts on variant ``k`` of descriptor ``d``
        from the chosen variants of all descriptors.

    References
    ----------
    .. [1] Weimer-Jehle (2006), section 3 (impact balance).
    """
    space = _space(matrix, variant_counts, self_impacts)
    return _balance_blocks(space, _balances(space, _scenario(space, scenario)))


def _balance_blocks(space: _Space, balances: npt.NDArray[Any]) -> list[list[Number]]:
    """The balances as plain numbers, one list per descriptor."""
    return [
        [space.out(value) for value in balances[start : start + count]]
        for start, count in zip(space.starts, space.counts, strict=True)
    ]


def _names(
    space: _Space,
    descriptors: Sequence[str] | None,
    variants: Sequence[Sequence[str]] | None,
) -> tuple[list[str], list[list[str]] | None]:
    if descriptors is None:
        names = [str(position + 1) for position in range(space.n_descriptors)]
    else:
        names = [str(name) for name in descriptors]
        if len(names) != space.n_descriptors:
            raise MethodInputError(
                f"{len(names)} descriptor names given, expected {space.n_descriptors}"
            )
        if len(set(names)) != len(names):
            duplicate = next(name for name in names if names.count(name) > 1)
            raise MethodInputError(f"descriptor '{duplicate}' appears twice")
    if variants is None:
        return names, None
    labels = [[str(label) for label in group] for group in variants]
    if len(labels) != space.n_descriptors:
        raise MethodInputError(
            f"variant names given for {len(labels)} descriptors, expected {space.n_descriptors}"
        )
    for name, group, count in zip(names, labels, space.counts, strict=True):
        if len(group) != count:
            raise MethodInputError(
                f"descriptor '{name}' has {len(group)} variant names, expected {count}"
            )
        if len(set(group)) != len(group):
            duplicate = next(label for label in group if group.count(label) > 1)
            raise MethodInputError(f"variant '{duplicate}' appears twice in descriptor '{name}'")
    return names, labels


def scenario_consistency(
    matrix: MatrixLike,
    variant_counts: Sequence[int],
    scenario: Sequence[int],
    *,
    descriptors: Sequence[str] | None = None,
    variants: Sequence[Sequence[str]] | None = None,
    self_impacts: bool = True,
) -> ScenarioConsistency:
    """Consistency of one scenario.

    Parameters
    ----------
    matrix : array_like, shape (V, V)
        Cross-impact matrix (row = impacting variant, column = impacted variant).
    variant_counts : sequence of int
        Number of variants of each descriptor.
    scenario : sequence of int
        Chosen variant of each descriptor, 0-based.
    descriptors : sequence of str, optional
        Descriptor names, used to name the descriptors that break consistency
        (default: "1", "2", ... in descriptor order).
    variants : sequence of sequence of str, optional
        Variant names per descriptor; when given the result also names the chosen
        variants.
    self_impacts : bool, default True
        Count the diagonal (self) blocks.

    Returns
    -------
    ScenarioConsistency
        The balances, whether the scenario is consistent, its inconsistency (0 =
        consistent), consistency value and total impact score, and the descriptors
        that break consistency.

    References
    ----------
    .. [1] Weimer-Jehle (2006), section 3 (consistency, inconsistency value).
    .. [2] ScenarioWizard manual: consistency value and total impact score.
    """
    space = _space(matrix, variant_counts, self_impacts)
    chosen = _scenario(space, scenario)
    names, labels = _names(space, descriptors, variants)
    balances = _balances(space, chosen)
    scores = _scores(space, chosen, balances)
    result: ScenarioConsistency = {
        "scenario": chosen,
        "descriptors": names,
        "balances": _balance_blocks(space, balances),
        "consistent": bool(scores.inconsistency <= space.tolerance),
        "inconsistency": space.out(scores.inconsistency),
        "descriptor_inconsistency": [space.out(v) for v in scores.descriptor_inconsistency],
        "consistency_value": scores.consistency_value_out(space),
        "total_impact_score": space.out(scores.total_impact_score),
        "inconsistent_descriptors": [
            name
            for name, gap in zip(names, scores.descriptor_inconsistency, strict=True)
            if gap > space.tolerance
        ],
        "parameters": {"self_impacts": bool(self_impacts)},
    }
    if labels is not None:
        result["variants"] = [group[index] for group, index in zip(labels, chosen, strict=True)]
    return result


def succession(
    matrix: MatrixLike,
    variant_counts: Sequence[int],
    start: Sequence[int],
    *,
    mode: Literal["global", "adiabatic"] = "global",
    max_steps: int = 1000,
    self_impacts: bool = True,
) -> Succession:
    """Succession from a start scenario to an attractor or a cycle.

    In global (synchronous) succession every descriptor whose chosen variant is not
    among the best of its descriptor switches, in the same step, to its best variant
    computed from the current scenario. In adiabatic succession only one descriptor
    changes per step: the one with the largest inconsistency (the first in
    descriptor order on ties). A descriptor whose variant is among the best keeps
    it; otherwise it takes the first best variant (lowest index).

    Parameters
    ----------
    matrix : array_like, shape (V, V)
        Cross-impact matrix (row = impacting variant, column = impacted variant).
    variant_counts : sequence of int
        Number of variants of each descriptor.
    start : sequence of int
        Start scenario, 0-based variant indices.
    mode : {"global", "adiabatic"}, default "global"
        Succession rule.
    max_steps : int, default 1000
        Stop after this many steps without reaching an attractor or a cycle.
    self_impacts : bool, default True
        Count the diagonal (self) blocks.

    Returns
    -------
    Succession
        The path from the start, the outcome ("attractor", "cycle" or
        "max_steps"), the attractor or the cycle reached, and the number of steps.

    References
    ----------
    .. [1] Weimer-Jehle (2006), section 4 (succession, attractors and cycles).
    .. [2] ScenarioWizard manual: global and adiabatic succession.
    """
    if mode not in ("global", "adiabatic"):
        raise MethodInputError(f"succession mode must be 'global' or 'adiabatic', got {mode!r}")
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 0:
        raise MethodInputError(f"max_steps must be an integer >= 0, got {max_steps!r}")
    space = _space(matrix, variant_counts, self_impacts)
    current = _scenario(space, start, "start scenario")
    path = [list(current)]
    seen = {tuple(current): 0}
    outcome = "max_steps"
    attractor: list[int] | None = None
    cycle: list[list[int]] | None = None
    steps = 0
    while True:
        following = _succeed(space, current, mode)
        if following is None:
            outcome, attractor = "attractor", list(current)
            break
        if steps >= max_steps:
            break
        steps += 1
        key = tuple(following)
        if key in seen:
            outcome, cycle = "cycle", [list(s) for s in path[seen[key] :]]
            break
        seen[key] = len(path)
        path.append(list(following))
        current = following
    return {
        "start": path[0],
        "path": path,
        "outcome": outcome,
        "attractor": attractor,
        "cycle": cycle,
        "steps": steps,
        "parameters": {"mode": mode, "max_steps": max_steps, "self_impacts": bool(self_impacts)},
    }


def _succeed(space: _Space, current: list[int], mode: str) -> list[int] | None:
    """The scenario after one succession step, or None when ``current`` is consistent."""
    balances = _balances(space, current)
    gaps: list[Any] = []
    best: list[int] = []
    for start, count, index in zip(space.starts, space.counts, current, strict=True):
        block = balances[start : start + count]
        top = block.max()
        gaps.append(top - block[index])
        best.append(index if block[index] >= top - space.tolerance else int(block.argmax()))
    if max(gaps) <= space.tolerance:
        return None
    if mode == "global":
        return best
    following = list(current)
    worst = int(np.argmax(np.array(gaps)))
    following[worst] = best[worst]
    return following


# --------------------------------------------------------------------------- search


def consistent_scenarios(
    matrix: MatrixLike,
    variant_counts: Sequence[int],
    *,
    max_inconsistency: float = 0,
    self_impacts: bool = True,
    progress: Progress | None = None,
) -> ConsistentScenarios:
    """All consistent scenarios of a CIB space, by an exact pruned search.

    Every scenario whose inconsistency is at most ``max_inconsistency`` is returned
    (0: the consistent scenarios in the strict sense, ties allowed). The search
    assigns descriptors one after another, batch by batch with numpy, and discards a
    partial scenario only when it provably has no completion within the threshold:
    for every pair of variants (``k``, ``v``) of a descriptor, the final
    ``balance(v) - balance(k)`` is at least its current value plus, for each
    descriptor not assigned yet, the smallest change that descriptor can make to that
    difference. An assigned descriptor must keep every such lower bound within the
    threshold for its chosen variant; an unassigned descriptor must still have one
    variant for which it does. The bounds are exact once every descriptor is
    assigned, so nothing is sampled and nothing consistent is missed. Memory is
    bounded by the batch size times the number of descriptors, whatever the size of
    the space.

    Parameters
    ----------
    matrix : array_like, shape (V, V)
        Cross-impact matrix (row = impacting variant, column = impacted variant).
    variant_counts : sequence of int
        Number of variants of each descriptor.
    max_inconsistency : float, default 0
        Largest inconsistency accepted.
    self_impacts : bool, default True
        Count the diagonal (self) blocks (ScenarioWizard does).
    progress : callable, optional
        Called as ``progress(done, total)`` after each top-level branch of the
        search (a combination of the first descriptors in search order).

    Returns
    -------
    ConsistentScenarios
        The scenarios within the threshold, by decreasing total impact score, and
        what the search examined.

    References
    ----------
    .. [1] Weimer-Jehle (2006), sections 3-4.
    .. [2] ScenarioWizard manual: complete scenario search ("solution set").
    """
    space = _space(matrix, variant_counts, self_impacts)
    threshold = _threshold(space, max_inconsistency)
    found, nodes, order = search(space, threshold, progress)
    scenarios = [_found(space, chosen) for chosen in found]
    scenarios.sort(key=lambda s: (-s["total_impact_score"], s["scenario"]))
    return {
        "scenarios": scenarios,
        "count": len(scenarios),
        "scenario_count": int(np.prod(space.counts, dtype=object)),
        "nodes_visited": nodes,
        "search_order": order,
        "parameters": {
            "max_inconsistency": max_inconsistency,
            "self_impacts": bool(self_impacts),
            "variant_counts": list(space.counts),
        },
    }


def _found(space: _Space, chosen: list[int]) -> ConsistentScenario:
    scores = _scores(space, chosen, _balances(space, chosen))
    return {
        "scenario": chosen,
        "total_impact_score": space.out(scores.total_impact_score),
        "consistency_value": scores.consistency_value_out(space),
        "inconsistency": space.out(scores.inconsistency),
    }


def consistent_scenarios_from_labels(
    matrix: MatrixLike,
    descriptors: Sequence[tuple[str, Sequence[str]]],
    *,
    max_inconsistency: float = 0,
    self_impacts: bool = True,
    progress: Progress | None = None,
) -> ConsistentScenarios:
    """All consistent scenarios, with descriptor and variant names.

    Parameters
    ----------
    matrix : array_like, shape (V, V)
        Cross-impact matrix, rows and columns in the order of ``descriptors`` and
        their variants.
    descriptors : sequence of (str, sequence of str)
        ``(descriptor name, variant names)`` for each descriptor, in matrix order.
    max_inconsistency, self_impacts, progress
        As in :func:`consistent_scenarios`.

    Returns
    -------
    ConsistentScenarios
        The result of :func:`consistent_scenarios` with ``descriptors`` and, in
        every scenario, ``variants`` (descriptor name -> chosen variant name).

    References
    ----------
    .. [1] Weimer-Jehle (2006).
    """
    names, labels = _descriptor_names(descriptors)
    counts = [len(group) for group in labels]
    space = _space(matrix, counts, self_impacts)
    _names(space, names, labels)
    result = consistent_scenarios(
        matrix,
        counts,
        max_inconsistency=max_inconsistency,
        self_impacts=self_impacts,
        progress=progress,
    )
    result["descriptors"] = [
        {"name": name, "variants": group} for name, group in zip(names, labels, strict=True)
    ]
    for item in result["scenarios"]:
        item["variants"] = {
            name: group[index]
            for name, group, index in zip(names, labels, item["scenario"], strict=True)
        }
    return result


def _descriptor_names(
    descriptors: Sequence[tuple[str, Sequence[str]]],
) -> tuple[list[str], list[list[str]]]:
    """Descriptor names and their variants' names, each a string."""
    names: list[str] = []
    labels: list[list[str]] = []
    for entry in descriptors:
        try:
            name, group = entry
        except (TypeError, ValueError):
            raise MethodInputError(
                f"each descriptor must be (name, variant names), got {entry!r}"
            ) from None
        if isinstance(group, str):
            raise MethodInputError(f"variants of descriptor '{name}' must be a list of names")
        names.append(str(name))
        labels.append([str(label) for label in group])
    return names, labels
