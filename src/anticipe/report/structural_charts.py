"""The data of the structural analysis' charts and of the tables beside them, from an
analysis: one home for the site's results pages and the report.

Plain functions over the results of :func:`anticipe.study.analysis.analyse_study`
(``structural_analysis`` and ``key_factors``), plain values out; the figures are drawn by
:mod:`anticipe.report.charts`.

- :func:`plane_chart`: one plane's map, the study's key factors marked, the factors the
  selection rule picks on this very plane in the box;
- :func:`displacement_chart`: from the direct plane to another;
- :func:`graph_chart`: a graph of influences with its kept links;
- :func:`potential_rows` and :func:`link_rows`: the tables of the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from anticipe.method.influence_graph import LINK_SHARES, InfluenceGraph, influence_graph
from anticipe.method.structural_analysis import StructuralAnalysis, plane_selections

#: The planes of an analysis, in the order pages and reports show them.
PLANES: tuple[str, ...] = ("direct", "indirect", "potential_direct", "potential_indirect")
#: The planes a displacement from the direct plane goes to, and the analysis' key of its
#: rank displacement.
DISPLACEMENTS: dict[str, str] = {
    "indirect": "displacement",
    "potential_indirect": "potential_displacement",
}
#: The share of the strongest links a graph shows unless the facilitator chooses.
DEFAULT_SHARE = 0.10


def _selections(sa: Mapping[str, Any]) -> dict[str, Any]:
    return dict(plane_selections(cast(StructuralAnalysis, sa)))


def _marks(key_factors: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Code -> origin ("selection" or "addition") of the study's key factors (the panel's
    decision, or else the analysis' proposal, as ``analyse_study`` gives them)."""
    return {str(k["code"]): str(k["origin"]) for k in key_factors}


def _point(
    code: str, plane: Mapping[str, Any], origins: Mapping[str, str], titles: Mapping[str, str]
) -> dict[str, Any]:
    return {
        "code": code,
        "title": titles.get(code, code),
        "influence": float(plane["influence"][code]),
        "dependence": float(plane["dependence"][code]),
        "quadrant": plane["quadrant"][code],
        "selected": origins.get(code) == "selection",
        "added": origins.get(code) == "addition",
    }


def plane_chart(
    sa: Mapping[str, Any],
    basis: str,
    key_factors: Sequence[Mapping[str, Any]],
    titles: Mapping[str, str],
) -> dict[str, Any]:
    """One plane's map: every factor, the key factors marked, the rule's selection on
    this plane (``boxed``, ``selection``)."""
    plane = sa[basis]
    origins = _marks(key_factors)
    chosen = _selections(sa)[basis]["selected"]
    return {
        "basis": basis,
        "mean_influence": float(plane["means"]["influence"]),
        "mean_dependence": float(plane["means"]["dependence"]),
        "selection": list(chosen),
        "points": [
            {**_point(code, plane, origins, titles), "boxed": code in chosen}
            for code in sa["factors"]
        ],
    }


def displacement_chart(
    sa: Mapping[str, Any],
    basis: str,
    key_factors: Sequence[Mapping[str, Any]],
    titles: Mapping[str, str],
) -> dict[str, Any]:
    """Each factor from the direct plane to `basis` (``"indirect"`` or
    ``"potential_indirect"``), with the rank displacement the analysis computed."""
    start, end = sa["direct"], sa[basis]
    origins = _marks(key_factors)
    shifts = sa[DISPLACEMENTS[basis]]
    return {
        "basis": basis,
        "means": {
            "start": {k: float(v) for k, v in start["means"].items()},
            "end": {k: float(v) for k, v in end["means"].items()},
        },
        "points": [
            {
                **_point(code, end, origins, titles),
                "start": {
                    "influence": float(start["influence"][code]),
                    "dependence": float(start["dependence"][code]),
                },
                "end": {
                    "influence": float(end["influence"][code]),
                    "dependence": float(end["dependence"][code]),
                },
                "shift": dict(shifts[code]),
            }
            for code in sa["factors"]
        ],
    }


def graph(sa: Mapping[str, Any], basis: str, share: float = DEFAULT_SHARE) -> InfluenceGraph:
    """The graph of influences of one plane of the analysis: its matrix (or the potential
    matrix), at the power of the plane's indirect classification for an indirect one."""
    matrix = sa["potential_matrix" if basis.startswith("potential") else "matrix"]
    power = sa[basis]["power"] if basis.endswith("indirect") else 1
    return influence_graph(matrix, sa["factors"], share=share, power=power)


def graph_chart(
    sa: Mapping[str, Any],
    basis: str,
    share: float,
    key_factors: Sequence[Mapping[str, Any]],
    titles: Mapping[str, str],
) -> dict[str, Any]:
    """A graph of influences: the factors at their position on the plane `basis`, the
    strongest `share` of its links."""
    found = graph(sa, basis, share)
    plane = sa[basis]
    origins = _marks(key_factors)
    return {
        "basis": basis,
        "share": share,
        "mean_influence": float(plane["means"]["influence"]),
        "mean_dependence": float(plane["means"]["dependence"]),
        "power": found["parameters"]["power"],
        "links_total": found["links_total"],
        "threshold": found["threshold"],
        "links": [dict(link) for link in found["links"]],
        "points": [_point(code, plane, origins, titles) for code in sa["factors"]],
    }


def link_rows(chart: Mapping[str, Any], titles: Mapping[str, str]) -> list[dict[str, Any]]:
    """The kept links of a graph chart as table rows, strongest first."""
    return [
        {
            "rank": k,
            "source": link["source"],
            "source_title": titles.get(link["source"], link["source"]),
            "target": link["target"],
            "target_title": titles.get(link["target"], link["target"]),
            "weight": link["weight"],
        }
        for k, link in enumerate(chart["links"], start=1)
    ]


def potential_rows(
    sa: Mapping[str, Any],
    key_factors: Sequence[Mapping[str, Any]],
    titles: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Each factor on the two potential planes, its rank shift from the direct plane to
    the potential indirect one, and whether the rule selects it on each potential plane."""
    selections = _selections(sa)
    origins = _marks(key_factors)
    rows = []
    for code in sa["factors"]:
        row: dict[str, Any] = {"code": code, "title": titles.get(code, code)}
        for basis in ("potential_direct", "potential_indirect"):
            plane = sa[basis]
            row[basis] = {
                "influence": float(plane["influence"][code]),
                "dependence": float(plane["dependence"][code]),
                "quadrant": plane["quadrant"][code],
                "borderline": bool(plane["borderline"][code]),
                "selected": code in selections[basis]["selected"],
            }
        row["shift"] = dict(sa["potential_displacement"][code])
        row["key_origin"] = origins.get(code, "")
        rows.append(row)
    return rows


def share_choices() -> list[float]:
    """The shares of links a facilitator chooses from (LIPSOR's 5 %, 10 %, 25 %)."""
    return list(LINK_SHARES)
