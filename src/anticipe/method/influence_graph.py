"""Step 3 of the method: the graphs of influences (MICMAC's direct and indirect graphs).

The graph of an influence matrix has the factors as nodes and one link ``source ->
target`` per non-zero cell (row influences column), weighted by the cell. LIPSOR's
MICMAC draws the direct graph (the aggregated matrix ``M``), the indirect graph (the
power ``M^k`` at which the indirect classification stopped) and their potential
counterparts, showing only the strongest links: the strongest 5 %, 10 % or 25 % of them,
for example, so that the chains of influence that drive the system stand out.

Conventions:

- the diagonal (a factor on itself, and the loops of ``M^k``) is never a link;
- a link exists when its weight is above ``RANK_RTOL`` (1e-9) times the largest weight:
  the powers' floating-point dust is no link;
- keeping a ``share`` of the links keeps ``ceil(share x links)`` of them, the strongest
  first, **and every link tied with the weakest kept** (weights closer than ``RANK_RTOL``
  times the largest weight are tied), so the graph never depends on the order of the
  factors; ``threshold`` is the weight of the weakest link kept;
- the indirect weights are those of ``M^k``, computed with a rescaling after every
  product (nothing overflows) and rescaled to the total of ``M``, as the indirect planes
  are, so direct and indirect weights read on the same scale.

References
----------
.. [1] Godet, M. (1994). *From Anticipation to Action: a Handbook of Strategic
   Prospective*, chapter 4 "Identifying the key variables: structural analysis".
   UNESCO Publishing.
.. [2] Arcade, J., Godet, M., Meunier, F. & Roubelat, F. (1999). Structural analysis
   with the MICMAC method & actors' strategy with MACTOR method. *Futures Research
   Methodology*, AC/UNU Millennium Project (the graphs of direct and indirect
   influences, their thresholds).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, TypedDict

import numpy as np
from numpy.typing import ArrayLike, NDArray

from anticipe.method.aggregation import check_codes
from anticipe.method.errors import MethodInputError
from anticipe.method.indirect_influence import RANK_RTOL
from anticipe.method.structural_analysis import StructuralAnalysis, _check_int, _influence_matrix

__all__ = [
    "GRAPH_BASES",
    "LINK_SHARES",
    "GraphBasis",
    "InfluenceGraph",
    "InfluenceGraphParameters",
    "InfluenceLink",
    "analysis_graphs",
    "influence_graph",
    "matrix_power",
]

GraphBasis = Literal["direct", "indirect", "potential_direct", "potential_indirect"]

#: The graphs of an analysis: one per plane.
GRAPH_BASES: tuple[str, ...] = ("direct", "indirect", "potential_direct", "potential_indirect")

#: The shares of the strongest links a facilitator chooses from (LIPSOR's thresholds).
LINK_SHARES: tuple[float, ...] = (0.05, 0.10, 0.25)

FloatArray = NDArray[np.float64]


class InfluenceLink(TypedDict):
    """One link of a graph: ``source`` influences ``target``."""

    source: str
    target: str
    weight: float  #: the cell of ``M`` (or of ``M^k`` rescaled)
    strength: float  #: the weight divided by the strongest link's (0-1], for drawing


class InfluenceGraphParameters(TypedDict):
    """The options of :func:`influence_graph` (its ``parameters``)."""

    share: float  #: the share of the links kept, strongest first
    power: int  #: 1 for the direct graph, ``k`` for ``M^k``


class InfluenceGraph(TypedDict):
    """The result of :func:`influence_graph`."""

    parameters: InfluenceGraphParameters
    factors: list[str]
    links_total: int  #: the links of the whole graph (non-zero cells off the diagonal)
    threshold: float | None  #: the weakest weight kept; None without any link
    links: list[InfluenceLink]  #: strongest first (then by source and target order)


def _check_share(share: float) -> float:
    try:
        value = float(share)
    except (TypeError, ValueError) as exc:
        raise MethodInputError(f"the share of links must be a number, got {share!r}") from exc
    if not (0 < value <= 1):
        raise MethodInputError(f"the share of links must be in (0, 1], got {share!r}")
    return value


def matrix_power(matrix: ArrayLike, factors: Sequence[str], power: int) -> FloatArray:
    """``M^power`` (diagonal of ``M`` cleared first) rescaled to the total of ``M``.

    The product is rescaled to sum 1 after every multiplication, so nothing overflows or
    underflows; a power that vanishes (no path of that length) is the zero matrix.
    """
    codes = check_codes(factors)
    m = _influence_matrix(matrix, codes)
    k = _check_int(power, "the power", 1)
    total = float(m.sum())
    result = m.copy()
    for _ in range(k - 1):
        result = result @ m
        scale = float(result.sum())
        if scale <= 0:
            return np.zeros_like(m)
        result /= scale
    scale = float(result.sum())
    if scale <= 0:
        return np.zeros_like(m)
    return np.asarray(result * (total / scale), dtype=np.float64)


def influence_graph(
    matrix: ArrayLike,
    factors: Sequence[str],
    *,
    share: float = 0.10,
    power: int = 1,
) -> InfluenceGraph:
    """The strongest links of the graph of an influence matrix (or of its power).

    Parameters
    ----------
    matrix : array_like
        ``n x n`` non-negative influence matrix (row influences column), for example
        ``structural_analysis(...)["matrix"]``. The diagonal is ignored.
    factors : sequence of str
        The ``n`` factor codes.
    share : float, default 0.10
        The share of the links kept, the strongest first: ``ceil(share x links)`` of
        them and every link tied with the weakest kept (LIPSOR offers 5 %, 10 %, 25 %:
        :data:`LINK_SHARES`). 1 keeps every link.
    power : int, default 1
        1 for the direct graph; ``k`` for the graph of ``M^k`` (the indirect graph uses
        the power at which the indirect classification stopped), rescaled to the total
        of ``M``.

    Returns
    -------
    InfluenceGraph
        The kept links, strongest first, each with its weight and its strength
        relative to the strongest link; the number of links of the whole graph and the
        threshold (weight of the weakest link kept).

    References
    ----------
    .. [1] Godet, M. (1994). *From Anticipation to Action*, chapter 4. UNESCO.
    """
    codes = check_codes(factors)
    kept_share = _check_share(share)
    k = _check_int(power, "the power", 1)
    weights = matrix_power(matrix, codes, k)
    np.fill_diagonal(weights, 0.0)
    largest = float(weights.max()) if weights.size else 0.0
    present = weights > RANK_RTOL * largest
    count = int(present.sum())
    parameters: InfluenceGraphParameters = {"share": kept_share, "power": k}
    if count == 0:
        return {
            "parameters": parameters,
            "factors": codes,
            "links_total": 0,
            "threshold": None,
            "links": [],
        }
    ordered = np.sort(weights[present])[::-1]
    # round first: in floating point 10 % of 30 links is 3.0000000000000004, not 3
    threshold = float(ordered[max(1, math.ceil(round(kept_share * count, 9))) - 1])
    kept = present & (weights >= threshold - RANK_RTOL * largest)
    rows, columns = np.nonzero(kept)
    order = sorted(
        zip(rows.tolist(), columns.tolist(), strict=True), key=lambda rc: (-weights[rc], rc)
    )
    return {
        "parameters": parameters,
        "factors": codes,
        "links_total": count,
        "threshold": float(weights[kept].min()),
        "links": [
            {
                "source": codes[i],
                "target": codes[j],
                "weight": float(weights[i, j]),
                "strength": float(weights[i, j] / largest),
            }
            for i, j in order
        ],
    }


def analysis_graphs(
    analysis: StructuralAnalysis, *, share: float = 0.10
) -> dict[str, InfluenceGraph]:
    """The four graphs of a structural analysis, keyed by :data:`GRAPH_BASES`.

    The direct graphs use the aggregated matrix (``matrix``) and the potential matrix
    (``potential_matrix``); the indirect ones their power at which the indirect
    classification of the plane of the same name stopped (``power`` of the plane).
    """
    codes = analysis["factors"]
    direct, potential = analysis["matrix"], analysis["potential_matrix"]
    return {
        "direct": influence_graph(direct, codes, share=share),
        "indirect": influence_graph(
            direct, codes, share=share, power=analysis["indirect"]["power"]
        ),
        "potential_direct": influence_graph(potential, codes, share=share),
        "potential_indirect": influence_graph(
            potential, codes, share=share, power=analysis["potential_indirect"]["power"]
        ),
    }
