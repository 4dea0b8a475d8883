"""Step 3's results page, continued: the potential planes (the selection rule on each, the
displacement from the direct plane), the graphs of influences (direct, indirect and
potential: the strongest 5, 10 or 25 % of the links, as the facilitator chooses), and the
structural analysis' charts as SVG, drawn by the report's chart code
(:mod:`anticipe.report.charts`, from :mod:`anticipe.report.structural_charts`' data).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from anticipe import presentation
from anticipe.presentation import graph_label, plane_label, selection_text
from anticipe.report import structural_charts as sc
from anticipe.workshop.results.cache import CACHE_SECONDS, StudyResults
from anticipe.workshop.results.labels import quadrant_label
from anticipe.workshop.results.tables import Table

#: The shares of links a graph shows (LIPSOR's thresholds), in percent.
GRAPH_PERCENTS: tuple[int, ...] = tuple(round(100 * share) for share in sc.share_choices())
DEFAULT_PERCENT = round(100 * sc.DEFAULT_SHARE)
#: The charts of the page, by kind: the planes each one is drawn for.
CHARTS: dict[str, tuple[str, ...]] = {
    "map": sc.PLANES,
    "displacement": tuple(sc.DISPLACEMENTS),
    "graph": sc.PLANES,
}
SIZES = ("wide", "narrow")


def graph_choice(query: Mapping[str, str]) -> tuple[str, int]:
    """The graph the facilitator asked for (``?graph=indirect&share=25``): a plane and a
    share in percent; the direct graph's strongest 10 % otherwise."""
    plane = query.get("graph", "direct")
    share = query.get("share", "")
    percent = int(share) if share.isdigit() else DEFAULT_PERCENT
    return (
        plane if plane in sc.PLANES else "direct",
        percent if percent in GRAPH_PERCENTS else DEFAULT_PERCENT,
    )


def _charts(results: StudyResults) -> sc.StructuralCharts:
    """The charts' data of the study's analysis (its key factors marked)."""
    return sc.StructuralCharts(
        results.analysis["structural_analysis"],
        list(results.analysis["key_factors"]),
        results.factor_titles,
    )


def potential_context(results: StudyResults) -> dict[str, Any]:
    """The potential planes' rows (each factor on both planes, its rank shift from the
    direct plane, the rule's selection on each) and each plane's selection."""
    sa = results.analysis["structural_analysis"]
    rows = _charts(results).potential_rows()
    for row in rows:
        for basis in ("potential_direct", "potential_indirect"):
            row[basis]["quadrant_label"] = quadrant_label(row[basis]["quadrant"])
    return {
        "selection_plane": plane_label(sa["selection"]["parameters"]["basis"], get_language()),
        "selection_words": selection_text(sa["selection"]["parameters"], get_language()),
        "potential_rows": rows,
        "potential_selection": {
            basis: [row["code"] for row in rows if row[basis]["selected"]]
            for basis in ("potential_direct", "potential_indirect")
        },
    }


def graph_context(results: StudyResults, plane: str, percent: int) -> dict[str, Any]:
    """The chosen graph: its kept links as table rows, how many links it has, the choices."""
    data = _charts(results)
    chart = data.graph(plane, percent / 100)
    return {
        "graph": {
            "plane": plane,
            "plane_label": plane_label(plane, get_language()),
            "label": graph_label(plane, get_language()),
            "percent": percent,
            "power": chart["power"],
            "links_total": chart["links_total"],
            "threshold": chart["threshold"],
            "rows": data.link_rows(chart),
            "planes": [(basis, graph_label(basis, get_language())) for basis in sc.PLANES],
            "percents": GRAPH_PERCENTS,
        }
    }


def structural_tables(results: StudyResults) -> list[Table]:
    """The tables of this part of the page, for the downloads: the potential planes and,
    for each graph, its strongest 25 % of the links."""
    data = _charts(results)
    rows = data.potential_rows()
    tables = [
        Table(
            "potential_planes",
            _("Potential planes"),
            [
                _("code"),
                _("factor"),
                *(
                    f"{plane_label(basis, get_language())}: {name}"
                    for basis in ("potential_direct", "potential_indirect")
                    for name in (_("influence"), _("dependence"), _("quadrant"), _("selected"))
                ),
                _("influence rank shift (direct to potential indirect)"),
                _("dependence rank shift (direct to potential indirect)"),
            ],
            [
                [
                    r["code"],
                    r["title"],
                    *(
                        value
                        for basis in ("potential_direct", "potential_indirect")
                        for value in (
                            r[basis]["influence"],
                            r[basis]["dependence"],
                            quadrant_label(r[basis]["quadrant"]),
                            r[basis]["selected"],
                        )
                    ),
                    r["shift"]["influence"],
                    r["shift"]["dependence"],
                ]
                for r in rows
            ],
        )
    ]
    widest = max(GRAPH_PERCENTS)
    for basis in sc.PLANES:
        chart = data.graph(basis, widest / 100)
        tables.append(
            Table(
                f"graph_{basis}",
                _("Links, %(plane)s") % {"plane": plane_label(basis, get_language())},
                [
                    _("rank"),
                    _("influencing factor"),
                    _("influenced factor"),
                    _("weight (the strongest %(share)s of the links)")
                    % {"share": presentation.percent(widest / 100, get_language())},
                ],
                [[r["rank"], r["source"], r["target"], r["weight"]] for r in data.link_rows(chart)],
            )
        )
    return tables


def chart_svg(results: StudyResults, kind: str, plane: str, percent: int, size: str) -> str | None:
    """One chart of the page as SVG markup (kept in the cache with the analysis' key),
    or None when the study has no structural analysis yet."""
    sa = results.analysis["structural_analysis"]
    if sa is None:
        return None
    language = get_language()
    name = f"anticipe:chart:{results.key}:{kind}:{plane}:{percent}:{size}:{language}"
    svg: str | None = cache.get(name)
    if svg is None:
        svg = _draw(results, kind, plane, percent, size, language)
        cache.set(name, svg, CACHE_SECONDS)
    return svg


def _draw(
    results: StudyResults, kind: str, plane: str, percent: int, size: str, language: str
) -> str:
    from anticipe.report import charts

    data = _charts(results)
    words = charts.chart_words(language)
    if kind == "map":
        figure = charts.plane_figure(data.plane(plane), words, size, language)
    elif kind == "displacement":
        figure = charts.displacement_figure(data.displacement(plane), words, size, language)
    else:
        figure = charts.graph_figure(data.graph(plane, percent / 100), words, size, language)
    return charts.figure_svg(figure)
