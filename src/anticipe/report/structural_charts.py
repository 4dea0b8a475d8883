"""The data of the structural analysis' charts and of the tables beside them, from an
analysis: one home for the site's results pages and the report.

:class:`StructuralCharts` reads the results of :func:`anticipe.study.analysis.analyse_study`
(``structural_analysis``, the study's ``key_factors`` and the factors' titles) and gives
plain values; the figures are drawn by :mod:`anticipe.report.charts`:

- :meth:`~StructuralCharts.plane`: one plane's map, the study's key factors marked, the
  factors the selection rule picks on this very plane in the box;
- :meth:`~StructuralCharts.displacement`: from the direct plane to another;
- :meth:`~StructuralCharts.graph`: a graph of influences with its kept links;
- :meth:`~StructuralCharts.potential_rows` and :meth:`~StructuralCharts.link_rows`: the
  tables of the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

from anticipe.method.influence_graph import LINK_SHARES, InfluenceGraph, influence_graph
from anticipe.method.structural_analysis import (
    KeyFactorSelection,
    StructuralAnalysis,
    plane_selections,
)

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


def share_choices() -> list[float]:
    """The shares of links a facilitator chooses from (LIPSOR's 5 %, 10 %, 25 %)."""
    return list(LINK_SHARES)


def analysis_graph(sa: Mapping[str, Any], basis: str, share: float) -> InfluenceGraph:
    """The graph of influences of one plane of the analysis: its matrix (or the potential
    matrix), at the power of the plane's indirect classification for an indirect one."""
    matrix = sa["potential_matrix" if basis.startswith("potential") else "matrix"]
    power = sa[basis]["power"] if basis.endswith("indirect") else 1
    return influence_graph(matrix, sa["factors"], share=share, power=power)


@dataclass(frozen=True)
class StructuralCharts:
    """The charts' data of one analysis.

    `key_factors` are the study's key factors (``code`` and ``origin``: "selection" or
    "addition": the panel's decision, or else the analysis' proposal, as
    ``analyse_study`` gives them); `titles` the factors' titles by code.
    """

    sa: Mapping[str, Any]
    key_factors: Sequence[Mapping[str, Any]]
    titles: Mapping[str, str]

    @cached_property
    def origins(self) -> dict[str, str]:
        return {str(k["code"]): str(k["origin"]) for k in self.key_factors}

    @cached_property
    def selections(self) -> dict[str, KeyFactorSelection]:
        """The selection rule applied to each plane."""
        return plane_selections(cast(StructuralAnalysis, self.sa))

    def _point(self, code: str, plane: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "code": code,
            "title": self.titles.get(code, code),
            "influence": float(plane["influence"][code]),
            "dependence": float(plane["dependence"][code]),
            "quadrant": plane["quadrant"][code],
            "selected": self.origins.get(code) == "selection",
            "added": self.origins.get(code) == "addition",
        }

    def plane(self, basis: str) -> dict[str, Any]:
        """One plane's map: every factor, the key factors marked, the rule's selection on
        this plane (``boxed``, ``selection``)."""
        plane = self.sa[basis]
        chosen = self.selections[basis]["selected"]
        return {
            "basis": basis,
            "mean_influence": float(plane["means"]["influence"]),
            "mean_dependence": float(plane["means"]["dependence"]),
            "selection": list(chosen),
            "points": [
                {**self._point(code, plane), "boxed": code in chosen} for code in self.sa["factors"]
            ],
        }

    def displacement(self, basis: str) -> dict[str, Any]:
        """Each factor from the direct plane to `basis` (``"indirect"`` or
        ``"potential_indirect"``), with the rank displacement the analysis computed."""
        start, end = self.sa["direct"], self.sa[basis]
        shifts = self.sa[DISPLACEMENTS[basis]]

        def position(plane: Mapping[str, Any], code: str) -> dict[str, float]:
            return {axis: float(plane[axis][code]) for axis in ("influence", "dependence")}

        return {
            "basis": basis,
            "means": {
                "start": {k: float(v) for k, v in start["means"].items()},
                "end": {k: float(v) for k, v in end["means"].items()},
            },
            "points": [
                {
                    **self._point(code, end),
                    "start": position(start, code),
                    "end": position(end, code),
                    "shift": dict(shifts[code]),
                }
                for code in self.sa["factors"]
            ],
        }

    def graph(self, basis: str, share: float = DEFAULT_SHARE) -> dict[str, Any]:
        """A graph of influences: the factors at their position on the plane `basis`, the
        strongest `share` of its links."""
        found = analysis_graph(self.sa, basis, share)
        plane = self.sa[basis]
        return {
            "basis": basis,
            "share": share,
            "mean_influence": float(plane["means"]["influence"]),
            "mean_dependence": float(plane["means"]["dependence"]),
            "power": found["parameters"]["power"],
            "links_total": found["links_total"],
            "threshold": found["threshold"],
            "links": [dict(link) for link in found["links"]],
            "points": [self._point(code, plane) for code in self.sa["factors"]],
        }

    def link_rows(self, chart: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The kept links of a graph chart as table rows, strongest first."""
        return [
            {
                "rank": k,
                "source": link["source"],
                "source_title": self.titles.get(link["source"], link["source"]),
                "target": link["target"],
                "target_title": self.titles.get(link["target"], link["target"]),
                "weight": link["weight"],
            }
            for k, link in enumerate(chart["links"], start=1)
        ]

    def potential_rows(self) -> list[dict[str, Any]]:
        """Each factor on the two potential planes, its rank shift from the direct plane
        to the potential indirect one, and whether the rule selects it on each potential
        plane."""
        rows = []
        for code in self.sa["factors"]:
            row: dict[str, Any] = {"code": code, "title": self.titles.get(code, code)}
            for basis in ("potential_direct", "potential_indirect"):
                plane = self.sa[basis]
                row[basis] = {
                    "influence": float(plane["influence"][code]),
                    "dependence": float(plane["dependence"][code]),
                    "quadrant": plane["quadrant"][code],
                    "borderline": bool(plane["borderline"][code]),
                    "selected": code in self.selections[basis]["selected"],
                }
            row["shift"] = dict(self.sa["potential_displacement"][code])
            row["key_origin"] = self.origins.get(code, "")
            rows.append(row)
        return rows
