"""The study report: one context built from a study, rendered as HTML, PDF, DOCX or XLSX.

>>> from anticipe.report import render_report
>>> render_report(study, "pdf", "report.pdf")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from anticipe.report.background import Background

if TYPE_CHECKING:
    from anticipe.report.context import build_report_context

FORMATS: Final = ("html", "pdf", "docx", "xlsx")

__all__ = ["FORMATS", "build_report_context", "render_bytes", "render_report"]


def __getattr__(name: str) -> Any:
    """:func:`build_report_context`, imported when first asked for: the package itself is
    light, so that :mod:`anticipe.report.drawings` can start the charts' child before the
    rest of the report is imported (:func:`anticipe.report.drawings.start_drawing`)."""
    if name == "build_report_context":
        from anticipe.report.context import build_report_context

        return build_report_context
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_bytes(
    context: dict[str, Any], format: str, *, drawing: Background[Any] | None = None
) -> bytes:
    """The report built from `context` in `format` ("html", "pdf", "docx" or "xlsx").

    `drawing` is the format's charts already started (:func:`anticipe.report.drawings.
    start_drawing`, not yet given a context); they are started here when it is None.
    """
    if format in ("html", "pdf", "docx"):
        from anticipe.report.drawings import start_drawing

        with drawing or start_drawing(format) as charts:
            charts.send(context)
            if format == "html":
                from anticipe.report.html import render_html

                return render_html(context, **_drawn(context, charts.get())).encode("utf-8")
            if format == "pdf":
                from anticipe.report.pdf import render_pdf

                return render_pdf(context, charts=charts.get)
            from anticipe.report.docx import render_docx

            return render_docx(context, pictures=charts.get)
    if format == "xlsx":
        from anticipe.report.xlsx import render_xlsx

        return render_xlsx(context)
    raise ValueError(f"unknown report format {format!r}: expected one of {', '.join(FORMATS)}")


def _drawn(context: Mapping[str, Any], svgs: Mapping[str, str]) -> dict[str, Any]:
    """:func:`anticipe.report.html.render_html`'s charts, drawn beforehand (``svgs``, by
    :func:`anticipe.report.drawings.draw_svgs`)."""
    from anticipe.report import structural_appendix

    appendix = structural_appendix.charts(context)

    def figure(chart: Any, alt: str = "") -> str:
        index = next(i for i, known in enumerate(appendix) if known is chart)
        return svgs[f"appendix-{index}"]

    return {"svg": svgs["map"], "figure": figure}


def render_report(
    study: Mapping[str, Any],
    format: str,
    path: str | Path,
    *,
    analysis: Mapping[str, Any] | None = None,
    date: str | None = None,
    drawing: Background[Any] | None = None,
) -> Path:
    """Write the study's report in `format` to `path` (atomically) and return the path.

    The analysis is computed when `analysis` is None; `drawing` is as in :func:`render_bytes`.
    """
    from anticipe.report.context import build_report_context
    from anticipe.study.study_file import write_bytes_atomically

    if format not in FORMATS:
        raise ValueError(f"unknown report format {format!r}: expected one of {', '.join(FORMATS)}")
    context = build_report_context(study, analysis, date=date)
    return Path(write_bytes_atomically(path, render_bytes(context, format, drawing=drawing)))
