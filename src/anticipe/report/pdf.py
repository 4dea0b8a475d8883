"""The study report in PDF (A4), printed by WeasyPrint from the standalone HTML.

No external request: the HTML carries its styles and its SVG chart inline, and the
URL fetcher allows ``data:`` URLs only. The PDF is tagged (PDF/UA-1: its structure,
headings, tables and reading order are readable by assistive technologies) and carries
the report's language and title.
"""

from __future__ import annotations

from typing import Any

from anticipe.report.html import render_html

PDF_VARIANT = "pdf/ua-1"


def render_pdf(context: dict[str, Any], *, svg: str | None = None) -> bytes:
    """The report as PDF bytes (A4, running title, page numbers, tables split cleanly).

    `svg` is Graph 1 as SVG markup; drawn from the context when None.
    """
    import weasyprint

    html = render_html(context, svg=svg)
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, media_type="print")
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
