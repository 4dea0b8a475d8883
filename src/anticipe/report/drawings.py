"""The report's charts drawn for one format, all at once: the work the HTML, PDF and
DOCX reports hand to the other core (:mod:`anticipe.report.background`) while they lay out
the rest. Light to import (numpy and matplotlib are imported in the child).

>>> with start_drawing("pdf") as charts:  # doctest: +SKIP
...     context = build_report_context(...)  # meanwhile the child imports matplotlib
...     charts.send(context)
...     render_pdf(context, charts=charts.get)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, TypeVar

from anticipe.report.background import Background, in_background


def start_drawing(format: str) -> Background[Any]:
    """The charts of a `format` report (``html`` and ``pdf``: SVG, ``docx``: PNG), their
    child started now (importing matplotlib) and waiting for the report's context
    (``.send(context)``), so that a caller can start it before it reads the study and
    runs the analysis."""
    work = {"html": draw_svgs, "pdf": draw_svgs, "docx": draw_pictures}[format]
    return Background(work, prepare=_import_charts)


def _import_charts() -> None:
    """What drawing needs, imported in the child before the context arrives."""
    import anticipe.report.charts  # matplotlib, numpy
    import anticipe.report.structural_appendix  # noqa: F401


def draw_svgs(context: Mapping[str, Any]) -> dict[str, str]:
    """Every chart of the HTML report as inline SVG markup, by its name (``map``: Graph 1,
    empty without one; ``appendix-<n>``: the appendix' charts in their order)."""
    from anticipe.report import structural_appendix
    from anticipe.report.charts import influence_map_svg

    language = context["language"]
    jobs: list[tuple[str, Callable[[], str]]] = [
        ("map", lambda: influence_map_svg(dict(context)) or "")
    ]
    for index, chart in enumerate(structural_appendix.charts(context)):
        jobs.append((f"appendix-{index}", partial(structural_appendix.chart_svg, chart, language)))
    return _draw_on_two_cores(jobs)


def draw_pictures(context: Mapping[str, Any]) -> dict[str, bytes | None]:
    """Every chart of the DOCX report as PNG bytes, by name (``map``: Graph 1, None
    without one; ``appendix-<n>``: the appendix' charts shown, by their index in
    :func:`anticipe.report.structural_appendix.charts`)."""
    from anticipe.report import structural_appendix
    from anticipe.report.charts import influence_map_png

    language = context["language"]
    jobs: list[tuple[str, Callable[[], bytes | None]]] = [
        ("map", lambda: influence_map_png(dict(context), dpi=150))
    ]
    for index, chart in enumerate(structural_appendix.charts(context)):
        if chart["kind"] != "displacement":  # the DOCX appendix leaves it out
            jobs.append(
                (f"appendix-{index}", partial(structural_appendix.chart_png, chart, language))
            )
    return _draw_on_two_cores(jobs)


V = TypeVar("V")


def _draw_on_two_cores(jobs: list[tuple[str, Callable[[], V]]]) -> dict[str, V]:
    """Each job's chart by its name, every other one drawn in a forked child (which has
    matplotlib imported already, as this process has) when forking is safe: once the
    report's own process has laid out the rest and waits for its charts, both cores
    draw them. The order of the names is the jobs'."""
    theirs = jobs[1::2]
    with in_background(lambda: {name: draw() for name, draw in theirs}) as other:
        drawn = {name: draw() for name, draw in jobs[::2]}
        drawn.update(other.get())
    return {name: drawn[name] for name, _draw in jobs}
