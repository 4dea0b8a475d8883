"""The report's charts drawn for one format, all at once: the work the HTML, PDF and
DOCX reports hand to the other core (:mod:`anticipe.report.background`) while they lay out
the rest. Light to import (numpy and matplotlib are imported in the child).

>>> with start_drawing("pdf") as charts:  # doctest: +SKIP
...     context = build_report_context(...)  # meanwhile the child imports matplotlib
...     charts.send(context)
...     render_pdf(context, charts=charts.get)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from anticipe.report.background import Background


def start_drawing(format: str) -> Background[Any]:
    """The charts of a `format` report (``html``: inline SVG, ``pdf``: SVG for WeasyPrint,
    ``docx``: PNG), their child started now (importing matplotlib) and waiting for the
    report's context (``.send(context)``), so that a caller can start it before it reads
    the study and runs the analysis."""
    work = {"html": draw_svgs, "pdf": draw_charts, "docx": draw_pictures}[format]
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
    svgs = {"map": influence_map_svg(dict(context)) or ""}
    for index, chart in enumerate(structural_appendix.charts(context)):
        svgs[f"appendix-{index}"] = structural_appendix.chart_svg(chart, language)
    return svgs


def draw_charts(context: Mapping[str, Any]) -> dict[str, str]:
    """Every chart of the PDF report as SVG markup for WeasyPrint (:func:`lighter_svg`),
    by its name as in :func:`draw_svgs`."""
    return {name: lighter_svg(svg) if svg else svg for name, svg in draw_svgs(context).items()}


def draw_pictures(context: Mapping[str, Any]) -> dict[str, bytes | None]:
    """Every chart of the DOCX report as PNG bytes, by name (``map``: Graph 1, None
    without one; ``appendix-<n>``: the appendix' charts shown, by their index in
    :func:`anticipe.report.structural_appendix.charts`)."""
    from anticipe.report import structural_appendix
    from anticipe.report.charts import influence_map_png

    pictures: dict[str, bytes | None] = {"map": influence_map_png(dict(context), dpi=150)}
    language = context["language"]
    for index, chart in enumerate(structural_appendix.charts(context)):
        if chart["kind"] != "displacement":  # the DOCX appendix leaves it out
            pictures[f"appendix-{index}"] = structural_appendix.chart_png(chart, language)
    return pictures


_SVG = "http://www.w3.org/2000/svg"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def lighter_svg(svg: str) -> str:
    """The chart's SVG (matplotlib's) with less for WeasyPrint to read, drawn the same:
    no metadata, no group that only carries an id (matplotlib wraps every artist in one),
    ``xlink:href`` as SVG 2's ``href``, and each ``style`` attribute as presentation
    attributes (WeasyPrint parses every style attribute as CSS, then stores its
    declarations as attributes, the ``font`` shorthand split into size and family: the
    same here, once, on the other core).

    For WeasyPrint only: in a browser a page's CSS would win over presentation attributes.
    """
    root = ET.fromstring(svg)
    _lighten(root)
    # the tags without their namespace, declared once as the default: no prefix to
    # register in ElementTree's global map (WeasyPrint registers its own there)
    root.set("xmlns", _SVG)
    return ET.tostring(root, encoding="unicode")


def _lighten(element: ET.Element) -> None:
    children: list[ET.Element] = []
    for child in element:
        if child.tag == f"{{{_SVG}}}metadata":
            continue
        _lighten(child)  # its tag now without the namespace
        if child.tag == "g" and set(child.attrib) <= {"id"}:
            children.extend(child)  # the group's content in its place, in order
        else:
            children.append(child)
    element[:] = children
    element.tag = element.tag.removeprefix(f"{{{_SVG}}}")
    if _XLINK_HREF in element.attrib:
        element.set("href", element.attrib.pop(_XLINK_HREF))
    style = element.attrib.pop("style", None)
    for declaration in (style or "").split(";"):
        name, colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not colon or not name:
            continue
        if name == "font":  # "8px 'DejaVu Sans', sans-serif", as WeasyPrint splits it
            size, _space, family = value.partition(" ")
            element.set("font-size", size)
            element.set("font-family", family.strip())
        else:
            element.set(name, value)
