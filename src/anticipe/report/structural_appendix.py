"""The report's appendix on the structural analysis beyond Graph 1: the potential planes
(the selection rule on each, the displacement from the direct plane) and the graphs of
direct and indirect influences with the table of their links.

:func:`structural_appendix` builds its part of the report's context (plain data, the
charts' data included); :func:`chart_svg` draws one of its charts for the HTML and PDF
report (the templates call it; the PDF draws them all beforehand, :func:`charts`),
:func:`chart_png` for DOCX, whose parts :func:`document_parts` lists (the DOCX report
draws them beforehand too).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from anticipe.i18n import translator
from anticipe.presentation import display_title, graph_label, number, percent, plane_label
from anticipe.report import structural_charts as sc

#: The graphs the report shows, and the share of their links it keeps.
REPORT_GRAPHS: tuple[str, ...] = ("direct", "indirect")
REPORT_SHARE = sc.DEFAULT_SHARE


def structural_appendix(
    analysis: Mapping[str, Any],
    factors_by_code: Mapping[str, Mapping[str, Any]],
    key_factors: Sequence[Mapping[str, Any]],
    lang: str,
) -> dict[str, Any] | None:
    """The appendix' data, or None without a structural analysis.

    `key_factors` are the report's key factors (``code`` and ``origin``: "selection" or
    "addition").
    """
    sa = analysis.get("structural_analysis")
    if not sa or not sa["factors"]:
        return None
    _ = translator(lang).gettext
    titles = {code: display_title(factors_by_code.get(code), code) for code in sa["factors"]}
    data = sc.StructuralCharts(sa, key_factors, titles)
    planes = []
    for basis in ("potential_direct", "potential_indirect"):
        chart = data.plane(basis)
        planes.append(
            {
                "basis": basis,
                "title": plane_label(basis, lang),
                "selection": chart["selection"],
                "chart": {"kind": "map", **chart},
            }
        )
    displacement = data.displacement("potential_indirect")
    graphs = []
    for basis in REPORT_GRAPHS:
        chart = data.graph(basis, REPORT_SHARE)
        graphs.append(
            {
                "basis": basis,
                "title": graph_label(basis, lang),
                "sentence": _(
                    "The {shown} strongest links ({share} of {total}, ties at the threshold kept)."
                ).format(
                    shown=len(chart["links"]),
                    share=percent(REPORT_SHARE, lang),
                    total=chart["links_total"],
                ),
                "power": chart["power"],
                "links": data.link_rows(chart),
                "chart": {"kind": "graph", **chart},
            }
        )
    return {
        "language": lang,
        "planes": planes,
        "displacement": {"kind": "displacement", **displacement},
        "potential_rows": data.potential_rows(),
        "graphs": graphs,
    }


def document_parts(
    context: Mapping[str, Any], picture: Callable[[int], Any] | None = None
) -> list[tuple[str, Any]]:
    """The appendix as a sequence of parts for a word-processing document, each
    ``("heading", text)``, ``("text", text)``, ``("picture", (png, caption))`` or
    ``("table", (headers, rows))``: the DOCX report lays them out with its own styles.

    `picture` gives the PNG of the chart at an index of :func:`charts` (drawn elsewhere
    meanwhile), or what stands for it until it is drawn (the DOCX gives the index back);
    drawn here when None.
    """
    s = context.get("structural_appendix")
    if not s:
        return []
    lang = str(s["language"])
    _ = translator(lang).gettext
    shown = charts(context)

    def png(chart: Mapping[str, Any]) -> Any:
        if picture is None:
            return chart_png(chart, lang)
        return picture(next(i for i, known in enumerate(shown) if known is chart))

    parts: list[tuple[str, Any]] = [("heading", _("Potential planes"))]
    parts.append(
        (
            "text",
            _(
                "The potential planes count the influences the experts marked P (not yet "
                "felt, but expected) as strong ones. A factor that moves up here may become a "
                "driver. The box holds the factors the same selection rule selects on each "
                "plane."
            ),
        )
    )
    for plane in s["planes"]:
        selection = ", ".join(plane["selection"]) or _("none")
        caption = f"{plane['title'].capitalize()}. {_('The selection rule selects:')} {selection}"
        parts.append(("picture", (png(plane["chart"]), caption)))
    parts.append(("heading", _("Graphs of influences")))
    for graph in s["graphs"]:
        caption = f"{graph['title'].capitalize()}. {graph['sentence']}"
        parts.append(("picture", (png(graph["chart"]), caption)))
        headers = [_("Rank"), _("Influencing factor"), _("Influenced factor"), _("Weight")]
        rows = [
            [str(r["rank"]), r["source"], r["target"], number(r["weight"], lang, 2)]
            for r in graph["links"]
        ]
        parts.append(("table", (headers, rows)))
    return parts


def charts(context: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The appendix' charts in the order the report shows them (the potential planes, the
    displacement, the graphs): what the PDF and DOCX reports draw beforehand, on the other
    core (the DOCX shows all but the displacement)."""
    s = context.get("structural_appendix")
    if not s:
        return []
    return [
        *(plane["chart"] for plane in s["planes"]),
        s["displacement"],
        *(graph["chart"] for graph in s["graphs"]),
    ]


def _figure(chart: Mapping[str, Any], language: str) -> Any:
    from anticipe.report import charts

    words = charts.chart_words(language)
    draw = {
        "map": charts.plane_figure,
        "displacement": charts.displacement_figure,
        "graph": charts.graph_figure,
    }[chart["kind"]]
    return draw(dict(chart), words, "wide", language)


def chart_svg(chart: Mapping[str, Any], language: str) -> str:
    """One chart of the appendix as SVG markup to put in the report's HTML."""
    from anticipe.report.charts import figure_svg

    return figure_svg(_figure(chart, language), inline=True)


def chart_png(chart: Mapping[str, Any], language: str, dpi: int = 150) -> bytes:
    """One chart of the appendix as PNG bytes."""
    from anticipe.report.charts import figure_png

    return figure_png(_figure(chart, language), dpi=dpi)
