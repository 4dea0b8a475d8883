"""The study report in PDF (A4), printed by WeasyPrint from the standalone HTML.

No external request: the HTML carries its styles inline, and the URL fetcher allows
``data:`` URLs only, besides the report's own charts. The PDF is tagged (PDF/UA-1: its
structure, headings, tables and reading order are readable by assistive technologies)
and carries the report's language and title.

The charts (Graph 1 and the appendix' five) are SVG images that the HTML refers to as
``anticipe-chart:<name>`` with their alternative text; WeasyPrint asks for them only
once the styles are computed, when it builds the boxes. They are drawn meanwhile on the
other core (:mod:`anticipe.report.background`, :mod:`anticipe.report.drawings`): their
SVG is not part of the HTML that WeasyPrint parses and styles (half of the report's
elements), only of the images.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from typing import Any

from anticipe.i18n import translator
from anticipe.presentation import typography
from anticipe.report import structural_appendix

PDF_VARIANT = "pdf/ua-1"
CHART_URL = "anticipe-chart:"
"""The scheme of the report's charts in its HTML (``anticipe-chart:map``, ``…:appendix-0``)."""


def render_pdf(
    context: dict[str, Any],
    *,
    charts: Callable[[], Mapping[str, str]] | None = None,
) -> bytes:
    """The report as PDF bytes (A4, running title, page numbers, tables split cleanly).

    `charts` gives the charts (:func:`draw_charts`), drawn elsewhere meanwhile: it is
    called once WeasyPrint needs them; they are drawn here when it is None.
    """
    import weasyprint

    from anticipe.report.drawings import draw_charts
    from anticipe.report.html import render_html

    language = context["language"]
    _ = translator(language).gettext
    appendix = structural_appendix.charts(context)

    def image(name: str, alt: str) -> str:
        alt = escape(typography(alt, language))
        return f'<img class="chart" src="{CHART_URL}{name}" alt="{alt}">'

    def figure(chart: Any, alt: str) -> str:
        index = next(i for i, known in enumerate(appendix) if known is chart)
        return image(f"appendix-{index}", alt)

    has_map = bool(context.get("map") and context["map"]["points"])
    graph_1 = image("map", _("Graph 1: Influence / dependence map of the factors"))
    html = render_html(context, svg=graph_1 if has_map else "", figure=figure)
    drawn: dict[str, str] = {}

    def chart(name: str) -> bytes:
        if not drawn:
            drawn.update(charts() if charts is not None else draw_charts(context))
        return drawn[name].encode("utf-8")

    class Fetcher(weasyprint.URLFetcher):  # type: ignore[misc]
        """``data:`` URLs, and the report's charts."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(CHART_URL):
                return weasyprint.urls.URLFetcherResponse(
                    url,
                    chart(url.removeprefix(CHART_URL)),
                    headers={"Content-Type": "image/svg+xml"},
                )
            return super().fetch(url, headers)

    fetcher = Fetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, media_type="print")
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
