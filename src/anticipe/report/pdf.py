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

import sys
import threading
from collections.abc import Callable, Mapping
from html import escape
from typing import Any

from anticipe.i18n import translator
from anticipe.presentation import typography
from anticipe.report import structural_appendix

PDF_VARIANT = "pdf/ua-1"
CHART_URL = "anticipe-chart:"
"""The scheme of the report's charts in its HTML (``anticipe-chart:map``, ``…:appendix-0``)."""


#: The libraries WeasyPrint loads, by their names on Linux (their sonames).
_LINUX_LIBRARIES = (
    "libgobject-2.0.so.0",
    "libpango-1.0.so.0",
    "libharfbuzz.so.0",
    "libfontconfig.so.1",
    "libpangoft2-1.0.so.0",
)


def import_weasyprint() -> Any:
    """WeasyPrint, imported without its search for its libraries when they load directly.

    WeasyPrint tries each library under several names (Windows' and macOS' first); each
    name that fails makes cffi ask :func:`ctypes.util.find_library`, which on Linux runs
    ``ldconfig``, ``gcc`` and ``ld`` (22 searches, about 60 processes: 0.3 s on an idle
    machine, a second on a loaded one), before the soname loads. When every soname loads
    (checked here first), the search is switched off while WeasyPrint is imported, so
    the same libraries load at once; elsewhere, or with other threads running (the
    switch is global), WeasyPrint is imported as usual.
    """
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    import ctypes
    import ctypes.util

    try:
        for name in _LINUX_LIBRARIES:
            ctypes.CDLL(name)
    except OSError:  # a library elsewhere: WeasyPrint's own search finds it
        import weasyprint

        return weasyprint
    find_library = ctypes.util.find_library
    if threading.active_count() == 1:
        ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
    finally:
        ctypes.util.find_library = find_library
    return weasyprint


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
