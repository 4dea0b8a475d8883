"""The study report in PDF (A4), printed by WeasyPrint from the standalone HTML.

No external request: the HTML carries its styles and its SVG chart inline, and the
URL fetcher allows ``data:`` URLs only. The PDF is tagged (PDF/UA-1: its structure,
headings, tables and reading order are readable by assistive technologies) and carries
the report's language and title.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from anticipe.report.html import render_html

PDF_VARIANT = "pdf/ua-1"
_CHART = "<!-- graph 1 -->"


def render_pdf(
    context: dict[str, Any],
    *,
    svg: str | None = None,
    chart: Callable[[], str] | None = None,
) -> bytes:
    """The report as PDF bytes (A4, running title, page numbers, tables split cleanly).

    `svg` is Graph 1 as SVG markup; `chart` a function that gives it (drawn elsewhere
    meanwhile: :mod:`anticipe.report.background`); drawn from the context when neither.
    """
    import weasyprint

    if svg is None and chart is None:
        from anticipe.report.charts import influence_map_svg

        svg = influence_map_svg(context) or ""
    html = render_html(context, svg=_CHART if svg is None else svg)
    if chart is not None:
        html = html.replace(_CHART, chart(), 1)
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, media_type="print")
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
