"""Step 3 of the method: structural analysis (Godet's MICMAC).

Each expert scores how strongly each change factor (row) influences each other
factor (column): 0 none, 1 weak, 2 medium, 3 strong, ``P`` potential, or
"don't know". This module aggregates the experts' matrices, computes the
direct, indirect and potential classifications (influence = row sums,
dependence = column sums), places every factor in one of the four quadrants of
the influence/dependence map and selects the key factors.

Conventions used throughout:

- ``scores`` is an ``experts x n x n`` array of floats, NaN meaning "don't
  know"; ``potential`` an optional boolean array of the same shape marking the
  ``P`` cells. A ``P`` cell is an answer: it counts as 0 in the direct matrix
  (no influence today) and as ``potential_weight`` in the potential matrix; its
  score must be 0 or NaN. The diagonal is ignored (forced to 0).
- Ranks are competition ranks, rank 1 = highest value, ties share the best rank
  (``1, 2, 2, 4``); sorted values closer than ``1e-9`` times the largest value
  are ties (ties chain), so floating-point noise never reorders factors. This
  also settles a primitive matrix whose limit ties two factors that the
  successive powers approach from alternating sides: their order flips at
  every power while the gap shrinks, until it falls under the tolerance and
  the rankings stop changing (exact arithmetic would never stop).
- The indirect classification stops once the influence and dependence
  rankings are unchanged over ``stable_powers`` successive powers *and* over a
  whole period of the influence graph (the least common multiple of the
  periods of its strongly connected classes, a class's period being the gcd of
  its cycle lengths): a graph of period 3 can rank ``X, X, Y, X, X, Y, ...``
  and must not stop at the second ``X``.
- Indirect values are computed from the row and column sums of the successive
  powers ``M^k`` and rescaled to the total of the direct matrix, so the direct
  and indirect maps share their axes and split lines.

References
----------
.. [1] Godet, M. (1994). *From Anticipation to Action: a Handbook of Strategic
   Prospective*, chapter 4 "Identifying the key variables: structural
   analysis". UNESCO Publishing.
.. [2] Arcade, J., Godet, M., Meunier, F. & Roubelat, F. (1999). Structural
   analysis with the MICMAC method & actors' strategy with MACTOR method.
   *Futures Research Methodology*, AC/UNU Millennium Project.
.. [3] Godet, M. & Durance, P. (2011). *La prospective stratégique*, 2e éd.,
   chapitre 4. Dunod.
.. [4] Horn, R. A. & Johnson, C. R. (2013). *Matrix Analysis*, 2nd ed.,
   chapter 8 (Perron-Frobenius theory: primitive and periodic matrices).
   Cambridge University Press.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NotRequired, TypedDict

import numpy as np
from numpy.typing import ArrayLike, NDArray

from anticipe.method.aggregation import (
    MAX_SCORE,
    AggregatedMatrices,
    Aggregation,
    AggregationParameters,
    Dispersion,
    aggregate,
    aggregate_arrays,
    check_aggregation,
    check_codes,
    check_weight,
    nested,
    unanswered_cells,
    validate,
)
from anticipe.method.errors import MethodInputError
from anticipe.method.indirect_influence import (
    INDIRECT_METHODS,
    RANK_RTOL,
    STOP_REASONS,
    indirect_batch,
    ranks,
)
from anticipe.method.indirect_influence import _graph_periods as _graph_periods

__all__ = [
    "INDIRECT_METHODS",
    "MAX_SCORE",
    "QUADRANTS",
    "STOP_REASONS",
    "AggregatedMatrices",
    "Aggregation",
    "AggregationParameters",
    "AnalysisParameters",
    "Classification",
    "ClassifyParameters",
    "Dispersion",
    "FinalKeyFactors",
    "IndirectPlane",
    "KeyFactor",
    "KeyFactorSelection",
    "Plane",
    "PlaneMeans",
    "RankDisplacement",
    "SelectionBasis",
    "SelectionOrder",
    "SelectionParameters",
    "StructuralAnalysis",
    "aggregate",
    "classify",
    "finalise_key_factors",
    "plane_selections",
    "select_key_factors",
    "structural_analysis",
]

SelectionOrder = Literal["influence_minus_dependence", "corner_distance"]
SelectionBasis = Literal["direct", "indirect", "potential_direct", "potential_indirect"]

#: The four quadrants of the influence/dependence map, in the order used by
#: the integer codes inside the module.
QUADRANTS: tuple[str, ...] = ("driving", "relay", "dependent", "autonomous")

_SELECTION_ORDERS = ("influence_minus_dependence", "corner_distance")
_SELECTION_BASES = ("direct", "indirect", "potential_direct", "potential_indirect")

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


# --------------------------------------------------------------------------- #
# The results
# --------------------------------------------------------------------------- #


class PlaneMeans(TypedDict):
    """The split lines of a plane: mean influence and mean dependence."""

    influence: float
    dependence: float


class Plane(TypedDict):
    """One influence/dependence map (direct, or potential direct), each key code -> value.

    A factor is "driving" when its influence is above the mean influence and its
    dependence is not above the mean dependence; "relay" above both; "dependent" above
    the mean dependence only; "autonomous" otherwise. A value equal to a mean counts as
    not above it (and is flagged borderline).
    """

    influence: dict[str, float]
    dependence: dict[str, float]
    influence_rank: dict[str, int]  #: 1 = highest, competition ranks
    dependence_rank: dict[str, int]
    quadrant: dict[str, str]  #: one of :data:`QUADRANTS`
    borderline: dict[str, bool]  #: within the tolerance of a split line
    borderline_axes: dict[str, list[str]]  #: "influence" and/or "dependence"
    means: PlaneMeans
    total: float


class IndirectPlane(Plane):
    """A plane from the successive powers (indirect, or potential indirect)."""

    power: int  #: the power ``M^k`` used
    stop_reason: str  #: one of :data:`STOP_REASONS`
    period: int | None  #: the rankings' period when ``stop_reason`` is "periodic"
    method: str  #: one of :data:`INDIRECT_METHODS`


class RankDisplacement(TypedDict):
    """How one factor moves between two planes: the first plane's rank minus the other's
    (positive: the factor moves up)."""

    influence: int
    dependence: int


class ClassifyParameters(TypedDict):
    """The options of :func:`classify` (its ``parameters``)."""

    max_power: int
    stable_powers: int
    borderline_tolerance: float


class Classification(TypedDict):
    """The result of :func:`classify`."""

    parameters: ClassifyParameters
    factors: list[str]
    direct: Plane
    indirect: IndirectPlane
    displacement: dict[str, RankDisplacement]  #: code -> direct minus indirect ranks


class SelectionParameters(TypedDict):
    """How the key factors were selected (``parameters`` of :func:`select_key_factors`)."""

    rule: str  #: "driving_quadrant"
    order: str
    target_count: int | None
    basis: NotRequired[str]  #: the plane used, in :func:`structural_analysis`'s selection


class KeyFactorSelection(TypedDict):
    """The result of :func:`select_key_factors`."""

    parameters: SelectionParameters
    factors: list[str]  #: every code
    candidates: list[str]  #: the driving factors, best first
    selected: list[str]  #: best first
    scores: dict[str, float]  #: code -> ordering score, higher is better


class KeyFactor(TypedDict):
    """One final key factor (``key_factors`` of :func:`finalise_key_factors`)."""

    code: str
    origin: str  #: "rule" or "addition"
    reason: str | None  #: None for the rule's selection


class Addition(TypedDict):
    """A factor the panel added, with its reason."""

    code: str
    reason: str


class FinalKeyFactorsParameters(SelectionParameters):
    """The selection's parameters plus the panel's additions."""

    additions: list[Addition]


class FinalKeyFactors(TypedDict):
    """The result of :func:`finalise_key_factors`."""

    parameters: FinalKeyFactorsParameters
    key_factors: list[KeyFactor]  #: the rule's selection in its order, then the additions
    codes: list[str]


class AnalysisParameters(TypedDict):
    """The options of :func:`structural_analysis` (its ``parameters``)."""

    aggregation: Aggregation
    potential_weight: float
    max_power: int
    stable_powers: int
    borderline_tolerance: float
    selection_basis: SelectionBasis
    selection_order: SelectionOrder
    target_count: int | None


class StructuralAnalysis(TypedDict):
    """The result of :func:`structural_analysis`."""

    parameters: AnalysisParameters
    factors: list[str]
    experts: list[str]
    matrix: list[list[float]]  #: as in :class:`AggregatedMatrices`
    potential_matrix: list[list[float]]
    dispersion: Dispersion
    unanswered_cells: list[list[str]]
    direct: Plane
    indirect: IndirectPlane
    potential_direct: Plane
    potential_indirect: IndirectPlane
    displacement: dict[str, RankDisplacement]  #: direct -> indirect
    potential_displacement: dict[str, RankDisplacement]  #: direct -> potential indirect
    selection: KeyFactorSelection  #: its parameters hold the ``basis``


# --------------------------------------------------------------------------- #
# Quadrants and the selection score (batched: the first axis indexes matrices)
# --------------------------------------------------------------------------- #


def _quadrants(infl: FloatArray, dep: FloatArray) -> tuple[IntArray, FloatArray, FloatArray]:
    """Quadrant codes (index in QUADRANTS), split at the means (high = strictly above)."""
    mi = infl.mean(axis=-1, keepdims=True)
    md = dep.mean(axis=-1, keepdims=True)
    high_i = infl > mi + RANK_RTOL * np.abs(mi)
    high_d = dep > md + RANK_RTOL * np.abs(md)
    q = np.where(high_i, np.where(high_d, 1, 0), np.where(high_d, 2, 3)).astype(np.int64)
    return q, mi[..., 0], md[..., 0]


def _selection_scores(infl: FloatArray, dep: FloatArray, order: str) -> FloatArray:
    """Higher is better: influence - dependence, or minus the distance to the corner."""
    if order == "influence_minus_dependence":
        return np.asarray(infl - dep, dtype=np.float64)
    mi = np.max(infl, axis=-1, keepdims=True)
    md = np.max(dep, axis=-1, keepdims=True)
    x = np.divide(dep, md, out=np.zeros(dep.shape), where=md > 0)
    y = np.divide(infl, mi, out=np.zeros(infl.shape), where=mi > 0)
    return np.asarray(-np.sqrt(x**2 + (1.0 - y) ** 2), dtype=np.float64)


def _select_batch(
    infl: FloatArray, dep: FloatArray, quadrant: IntArray, order: str, target: int | None
) -> tuple[BoolArray, IntArray]:
    """Selected mask and the candidates' order (indices, best first, driving ones only)."""
    score = _selection_scores(infl, dep, order)
    n = infl.shape[-1]
    # sort by score desc, then influence desc, then input order
    rs = ranks(score)
    ri = ranks(infl)
    key = (rs * (n + 1) + ri) * (n + 1) + np.arange(n)
    driving = quadrant == 0
    key = np.where(driving, key, np.iinfo(np.int64).max)
    order_idx = np.argsort(key, axis=-1, kind="stable")
    pos = np.empty_like(order_idx)
    np.put_along_axis(pos, order_idx, np.broadcast_to(np.arange(n), order_idx.shape), axis=-1)
    selected = driving.copy()
    if target is not None:
        selected &= pos < target
    return selected, order_idx


# --------------------------------------------------------------------------- #
# Classification of one matrix
# --------------------------------------------------------------------------- #


def _check_int(value: int, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise MethodInputError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_tolerance(value: float) -> float:
    v = float(value)
    if not np.isfinite(v) or v < 0:
        raise MethodInputError(f"the borderline tolerance must be >= 0, got {value!r}")
    return v


def _plane(codes: list[str], infl: FloatArray, dep: FloatArray, tolerance: float) -> Plane:
    q, mi, md = _quadrants(infl[None, :], dep[None, :])
    mean_i, mean_d = float(mi[0]), float(md[0])
    ri, rd = ranks(infl), ranks(dep)
    axes: dict[str, list[str]] = {}
    for k, code in enumerate(codes):
        near = []
        if abs(infl[k] - mean_i) <= tolerance * abs(mean_i) + RANK_RTOL * abs(mean_i):
            near.append("influence")
        if abs(dep[k] - mean_d) <= tolerance * abs(mean_d) + RANK_RTOL * abs(mean_d):
            near.append("dependence")
        axes[code] = near
    return {
        "influence": {c: float(infl[k]) for k, c in enumerate(codes)},
        "dependence": {c: float(dep[k]) for k, c in enumerate(codes)},
        "influence_rank": {c: int(ri[k]) for k, c in enumerate(codes)},
        "dependence_rank": {c: int(rd[k]) for k, c in enumerate(codes)},
        "quadrant": {c: QUADRANTS[int(q[0, k])] for k, c in enumerate(codes)},
        "borderline": {c: bool(axes[c]) for c in codes},
        "borderline_axes": axes,
        "means": {"influence": mean_i, "dependence": mean_d},
        "total": float(infl.sum()),
    }


def _classify_arrays(
    matrix: FloatArray, codes: list[str], max_power: int, stable_powers: int, tolerance: float
) -> tuple[Plane, IndirectPlane]:
    """The direct and the indirect plane of one matrix."""
    m = matrix.copy()
    np.fill_diagonal(m, 0.0)
    r = m.sum(axis=1)
    c = m.sum(axis=0)
    total = float(r.sum())
    vi, vd, power, reason, period, method = indirect_batch(m[None], max_power, stable_powers)
    stop = STOP_REASONS[int(reason[0])]
    indirect: IndirectPlane = {
        **_plane(codes, vi[0] * total, vd[0] * total, tolerance),
        "power": int(power[0]),
        "stop_reason": stop,
        "period": int(period[0]) if stop == "periodic" else None,
        "method": INDIRECT_METHODS[int(method[0])],
    }
    return _plane(codes, r, c, tolerance), indirect


def _displacement(codes: list[str], before: Plane, after: Plane) -> dict[str, RankDisplacement]:
    return {
        c: {
            "influence": before["influence_rank"][c] - after["influence_rank"][c],
            "dependence": before["dependence_rank"][c] - after["dependence_rank"][c],
        }
        for c in codes
    }


def classify(
    matrix: ArrayLike,
    factors: Sequence[str],
    *,
    max_power: int = 30,
    stable_powers: int = 2,
    borderline_tolerance: float = 0.05,
) -> Classification:
    """Direct and indirect MICMAC classification of one influence matrix.

    Parameters
    ----------
    matrix : array_like
        ``n x n`` non-negative influence matrix (row influences column), for
        example an aggregated matrix. The diagonal is ignored.
    factors : sequence of str
        The ``n`` factor codes.
    max_power : int, default 30
        Highest power ``M^k`` examined.
    stable_powers : int, default 2
        Stop at the first power ``k`` such that the influence and the
        dependence rankings are the same for ``stable_powers`` successive
        powers (2: ``M^(k-1)`` and ``M^k`` rank alike), and for at least ``p``
        successive powers when the influence graph has period ``p`` (see
        Notes).
    borderline_tolerance : float, default 0.05
        A factor whose influence (dependence) is within this fraction of the
        mean influence (dependence) of a split line is flagged borderline.

    Returns
    -------
    Classification
        The direct and indirect planes and the displacement of the ranks.

    Notes
    -----
    Row (column) sums of ``M^k`` are ``M^k 1`` (``1' M^k``), computed by
    multiplying a vector by ``M`` ``k`` times and rescaling it to sum 1 after
    every product, so nothing overflows or underflows. Stop reasons:

    - ``"stable"``: rankings unchanged over ``max(stable_powers, p)``
      successive powers, where ``p`` is the period of the influence graph: the
      least common multiple of the periods of its strongly connected classes
      (gcd of the cycle lengths of each class; 1 without cycles). Past the
      transient, the rankings can only cycle with a period dividing ``p``, so a run of
      ``p`` equal rankings covers a whole cycle and a pattern such as ``X, X,
      Y`` (period 3) is not mistaken for stability. Two factors whose values
      converge to a tie count as tied once they are within the rank
      tolerance (``1e-9`` relative), even when the exact values keep
      swapping order;
    - ``"nilpotent"``: ``M^k = 0`` (the influence graph has no cycle); the last
      non-zero power ``k - 1`` is used;
    - ``"zero_matrix"``: ``M = 0``; every value is 0 (power 1);
    - ``"periodic"``: ``max_power`` reached with the last rankings repeating
      with a period ``q >= 2`` (checked over at least a whole period of the
      graph), reported as ``period``: a periodic, i.e. imprimitive, matrix
      whose powers never settle, or a primitive one whose swapping near-ties
      close too slowly to fall under the tolerance by ``max_power``; the
      dominant right eigenvector (influence) and left eigenvector
      (dependence), to which the rankings of a primitive matrix converge
      (Perron-Frobenius), are used instead (``method`` ``"perron"``); when the
      Perron root is not simple (several classes of factors share the spectral
      radius, so the eigenvectors are not unique), the mean of the normalised
      powers over one period is used (``method`` ``"period_average"``), which,
      like everything else here, does not change when the matrix is scaled;
    - ``"max_power"``: ``max_power`` reached without stable nor periodic
      rankings (including rankings constant at the end but over fewer powers
      than the graph's period); the last power is used.

    Like any stopping rule on a finite number of powers, this one reads the
    transient: rankings may agree over the required run and still change
    later for a matrix whose powers have not yet converged (a large
    ``stable_powers`` guards against it, at the cost of more powers).

    Indirect values are rescaled to the total of the direct matrix.

    References
    ----------
    .. [1] Godet, M. (1994). *From Anticipation to Action*, chapter 4. UNESCO.
    .. [2] Horn, R. A. & Johnson, C. R. (2013). *Matrix Analysis*, 2nd ed.,
       sections 8.4-8.5 (the cyclic structure of irreducible matrices, primitive
       matrices). Cambridge University Press.
    """
    codes = check_codes(factors)
    m = _influence_matrix(matrix, codes)
    max_power = _check_int(max_power, "max_power", 2)
    stable_powers = _check_int(stable_powers, "stable_powers", 2)
    tol = _check_tolerance(borderline_tolerance)
    direct, indirect = _classify_arrays(m, codes, max_power, stable_powers, tol)
    return {
        "parameters": {
            "max_power": max_power,
            "stable_powers": stable_powers,
            "borderline_tolerance": tol,
        },
        "factors": codes,
        "direct": direct,
        "indirect": indirect,
        "displacement": _displacement(codes, direct, indirect),
    }


def _influence_matrix(matrix: ArrayLike, codes: list[str]) -> FloatArray:
    """One ``n x n`` influence matrix, finite and non-negative off the diagonal (cleared)."""
    n = len(codes)
    try:
        m = np.asarray(matrix, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise MethodInputError(f"the influence matrix is not a table of numbers ({exc})") from exc
    if m.shape != (n, n):
        shape = " x ".join(str(s) for s in m.shape) or "a single value"
        raise MethodInputError(f"the influence matrix is {shape}, expected {n} x {n}")
    off = ~np.eye(n, dtype=bool)
    bad = off & (~np.isfinite(m) | (m < 0))
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise MethodInputError(
            f"the influence of '{codes[i]}' on '{codes[j]}' is {m[i, j]:g}; "
            "it must be a finite number >= 0"
        )
    return np.asarray(np.where(off, m, 0.0), dtype=np.float64)


# --------------------------------------------------------------------------- #
# Selection of the key factors
# --------------------------------------------------------------------------- #


def select_key_factors(
    plane: Plane,
    *,
    order: SelectionOrder = "influence_minus_dependence",
    target_count: int | None = None,
) -> KeyFactorSelection:
    """Select the key factors: the driving quadrant (upper-left of the map).

    Parameters
    ----------
    plane : Plane
        One plane of :func:`classify` or :func:`structural_analysis` (for
        example ``result["direct"]``).
    order : {"influence_minus_dependence", "corner_distance"}
        How the driving factors are ordered: by influence minus dependence
        (descending) or by the distance to the upper-left corner of the map,
        axes scaled to [0, 1] by their maxima (ascending). Ties: higher
        influence first, then the input order.
    target_count : int, optional
        Keep at most this many driving factors (the best by ``order``). None
        keeps the whole driving quadrant. Fewer driving factors than the
        target are not topped up: add them with :func:`finalise_key_factors`.

    Returns
    -------
    KeyFactorSelection
        The driving factors in order (``candidates``), those ``selected`` and every
        factor's ordering score.

    References
    ----------
    .. [1] Godet, M. (1994). *From Anticipation to Action*, chapter 4: the
       "influent" (driving) variables of the upper-left sector are the key
       variables of the system. UNESCO.
    """
    if order not in _SELECTION_ORDERS:
        raise MethodInputError(
            f"the selection order must be one of {', '.join(_SELECTION_ORDERS)}, got {order!r}"
        )
    if target_count is not None:
        target_count = _check_int(target_count, "the target count", 1)
    codes = list(plane["influence"])
    infl = np.array([plane["influence"][c] for c in codes], dtype=np.float64)
    dep = np.array([plane["dependence"][c] for c in codes], dtype=np.float64)
    quad = np.array([QUADRANTS.index(plane["quadrant"][c]) for c in codes], dtype=np.int64)
    selected, order_idx = _select_batch(infl[None], dep[None], quad[None], order, target_count)
    score = _selection_scores(infl, dep, order)
    candidates = [codes[int(k)] for k in order_idx[0] if quad[int(k)] == 0]
    return {
        "parameters": {
            "rule": "driving_quadrant",
            "order": order,
            "target_count": target_count,
        },
        "factors": codes,
        "candidates": candidates,
        "selected": [c for c in candidates if selected[0, codes.index(c)]],
        "scores": {c: float(score[k]) for k, c in enumerate(codes)},
    }


def plane_selections(analysis: StructuralAnalysis) -> dict[str, KeyFactorSelection]:
    """The selection rule of an analysis (its order and target count) applied to each of
    its four planes, keyed by plane: what the rule would select on the indirect or the
    potential planes, beside ``analysis["selection"]`` on its basis (the same there)."""
    params = analysis["parameters"]
    planes: tuple[Plane, ...] = (
        analysis["direct"],
        analysis["indirect"],
        analysis["potential_direct"],
        analysis["potential_indirect"],
    )
    selections = {}
    for basis, plane in zip(_SELECTION_BASES, planes, strict=True):
        selection = select_key_factors(
            plane, order=params["selection_order"], target_count=params["target_count"]
        )
        selection["parameters"]["basis"] = basis
        selections[basis] = selection
    return selections


def finalise_key_factors(
    selection: KeyFactorSelection, additions: Sequence[tuple[str, str]] = ()
) -> FinalKeyFactors:
    """Final key factors: the rule's selection plus the panel's additions.

    Parameters
    ----------
    selection : KeyFactorSelection
        The result of :func:`select_key_factors` (or
        ``structural_analysis(...)["selection"]``).
    additions : sequence of (code, reason)
        Factors the panel adds on request, each with a non-empty reason (the
        seed report's panel added A16 "à la demande des experts").

    Returns
    -------
    FinalKeyFactors
        The key factors (origin "rule" in the selection's order, then origin
        "addition" in the given order) and the additions in ``parameters``.

    Raises
    ------
    MethodInputError
        If an added code is unknown, already selected, added twice, or has no
        reason.
    """
    factors = list(selection["factors"])
    chosen = list(selection["selected"])
    seen = set(chosen)
    key: list[KeyFactor] = [{"code": c, "origin": "rule", "reason": None} for c in chosen]
    recorded: list[Addition] = []
    for item in additions:
        try:
            code, reason = item
        except (TypeError, ValueError) as exc:
            raise MethodInputError(
                f"each addition must be a pair (factor code, reason), got {item!r}"
            ) from exc
        if code not in factors:
            raise MethodInputError(f"factor '{code}' added as a key factor is not a factor")
        if code in seen:
            if code in chosen:
                raise MethodInputError(f"factor '{code}' is already selected by the rule")
            raise MethodInputError(f"factor '{code}' is added twice")
        if not isinstance(reason, str) or not reason.strip():
            raise MethodInputError(f"the addition of factor '{code}' needs a reason")
        seen.add(code)
        key.append({"code": code, "origin": "addition", "reason": reason})
        recorded.append({"code": code, "reason": reason})
    return {
        "parameters": {**selection["parameters"], "additions": recorded},
        "key_factors": key,
        "codes": [k["code"] for k in key],
    }


# --------------------------------------------------------------------------- #
# The whole analysis
# --------------------------------------------------------------------------- #


def _check_analysis_options(
    aggregation: Aggregation,
    potential_weight: float,
    max_power: int,
    stable_powers: int,
    borderline_tolerance: float,
    selection_basis: SelectionBasis,
    selection_order: SelectionOrder,
    target_count: int | None,
) -> AnalysisParameters:
    check_aggregation(aggregation)
    if selection_basis not in _SELECTION_BASES:
        raise MethodInputError(
            f"the selection basis must be one of {', '.join(_SELECTION_BASES)}, "
            f"got {selection_basis!r}"
        )
    if selection_order not in _SELECTION_ORDERS:
        raise MethodInputError(
            f"the selection order must be one of {', '.join(_SELECTION_ORDERS)}, "
            f"got {selection_order!r}"
        )
    return {
        "aggregation": aggregation,
        "potential_weight": check_weight(potential_weight),
        "max_power": _check_int(max_power, "max_power", 2),
        "stable_powers": _check_int(stable_powers, "stable_powers", 2),
        "borderline_tolerance": _check_tolerance(borderline_tolerance),
        "selection_basis": selection_basis,
        "selection_order": selection_order,
        "target_count": None
        if target_count is None
        else _check_int(target_count, "the target count", 1),
    }


def _analyse_arrays(
    s: FloatArray, p: BoolArray, codes: list[str], labels: list[str], params: AnalysisParameters
) -> StructuralAnalysis:
    matrix, pmatrix, dispersion, n_answers = aggregate_arrays(
        s, p, params["aggregation"], params["potential_weight"]
    )
    args = (params["max_power"], params["stable_powers"], params["borderline_tolerance"])
    direct, indirect = _classify_arrays(matrix, codes, *args)
    potential_direct, potential_indirect = _classify_arrays(pmatrix, codes, *args)
    planes: dict[str, Plane] = {
        "direct": direct,
        "indirect": indirect,
        "potential_direct": potential_direct,
        "potential_indirect": potential_indirect,
    }
    selection = select_key_factors(
        planes[params["selection_basis"]],
        order=params["selection_order"],
        target_count=params["target_count"],
    )
    selection["parameters"]["basis"] = params["selection_basis"]
    return {
        "parameters": params.copy(),
        "factors": codes,
        "experts": labels,
        "matrix": nested(matrix),
        "potential_matrix": nested(pmatrix),
        "dispersion": dispersion,
        "unanswered_cells": unanswered_cells(codes, n_answers),
        "direct": direct,
        "indirect": indirect,
        "potential_direct": potential_direct,
        "potential_indirect": potential_indirect,
        "displacement": _displacement(codes, direct, indirect),
        "potential_displacement": _displacement(codes, direct, potential_indirect),
        "selection": selection,
    }


def structural_analysis(
    scores: ArrayLike | Sequence[ArrayLike],
    factors: Sequence[str],
    *,
    potential: ArrayLike | Sequence[ArrayLike] | None = None,
    experts: Sequence[str] | None = None,
    aggregation: Aggregation = "mean",
    potential_weight: float = 3.0,
    max_power: int = 30,
    stable_powers: int = 2,
    borderline_tolerance: float = 0.05,
    selection_basis: SelectionBasis = "direct",
    selection_order: SelectionOrder = "influence_minus_dependence",
    target_count: int | None = None,
) -> StructuralAnalysis:
    """Structural analysis (MICMAC) of the experts' influence matrices.

    Parameters
    ----------
    scores, factors, potential, experts, aggregation, potential_weight
        As in :func:`aggregate`.
    max_power, stable_powers, borderline_tolerance
        As in :func:`classify`.
    selection_basis : {"direct", "indirect", "potential_direct", "potential_indirect"}
        The plane whose driving quadrant gives the key factors (default
        "direct", the compiled map the seed report's panel read).
    selection_order, target_count
        As ``order`` and ``target_count`` in :func:`select_key_factors`.

    Returns
    -------
    StructuralAnalysis
        The aggregated matrices and their dispersion (as :func:`aggregate`), the four
        planes (direct, indirect, potential direct, potential indirect: see
        :class:`Plane` for the quadrants), the displacements of the ranks from the
        direct plane to the indirect ones and the selection of the key factors.

    References
    ----------
    .. [1] Godet, M. (1994). *From Anticipation to Action*, chapter 4. UNESCO.
    .. [2] Arcade, J., Godet, M., Meunier, F. & Roubelat, F. (1999).
       Structural analysis with the MICMAC method. AC/UNU Millennium Project.
    """
    params = _check_analysis_options(
        aggregation,
        potential_weight,
        max_power,
        stable_powers,
        borderline_tolerance,
        selection_basis,
        selection_order,
        target_count,
    )
    s, p, codes, labels = validate(scores, factors, potential, experts)
    return _analyse_arrays(s, p, codes, labels, params)
