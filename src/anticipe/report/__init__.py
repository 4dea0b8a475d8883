"""The study report: one context built from a study, rendered as HTML, PDF, DOCX or XLSX.

>>> from anticipe.report import render_report
>>> render_report(study, "pdf", "report.pdf")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from anticipe.report.background import in_background
from anticipe.report.context import build_report_context

FORMATS: Final = ("html", "pdf", "docx", "xlsx")

__all__ = ["FORMATS", "build_report_context", "render_bytes", "render_report"]


def render_bytes(context: dict[str, Any], format: str) -> bytes:
    """The report built from `context` in `format` ("html", "pdf", "docx" or "xlsx")."""
    if format == "html":
        from anticipe.report.html import render_html

        return render_html(context).encode("utf-8")
    if format == "pdf":
        from anticipe.report.drawings import draw_charts

        with in_background(lambda: draw_charts(context)) as charts:
            from anticipe.report.pdf import render_pdf

            return render_pdf(context, charts=charts.get)
    if format == "docx":
        from anticipe.report.drawings import draw_pictures

        with in_background(lambda: draw_pictures(context)) as pictures:
            from anticipe.report.docx import render_docx

            return render_docx(context, pictures=pictures.get)
    if format == "xlsx":
        from anticipe.report.xlsx import render_xlsx

        return render_xlsx(context)
    raise ValueError(f"unknown report format {format!r}: expected one of {', '.join(FORMATS)}")


def render_report(
    study: Mapping[str, Any],
    format: str,
    path: str | Path,
    *,
    analysis: Mapping[str, Any] | None = None,
    date: str | None = None,
) -> Path:
    """Write the study's report in `format` to `path` (atomically) and return the path.

    The analysis is computed when `analysis` is None.
    """
    from anticipe.study.study_file import write_bytes_atomically

    if format not in FORMATS:
        raise ValueError(f"unknown report format {format!r}: expected one of {', '.join(FORMATS)}")
    context = build_report_context(study, analysis, date=date)
    return Path(write_bytes_atomically(path, render_bytes(context, format)))
