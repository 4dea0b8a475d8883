"""The charts of the structural analysis, drawn once with matplotlib for the site and the
report: SVG for the pages, HTML and PDF, PNG for DOCX.

Three charts, each in two sizes (``"wide"``: a desktop page or an A4 report, 17 cm;
``"narrow"``: a phone, 390 px):

- :func:`plane_figure`: an influence/dependence map (Graph 1 on the direct plane, and
  the indirect and potential planes), split at the means, the selection rule's factors
  in a box;
- :func:`displacement_figure`: each factor from its position on one plane to its
  position on another (direct to indirect, direct to potential);
- :func:`graph_figure`: a graph of influences, the factors placed by their plane
  position, the links drawn as arrows whose stroke grows with their weight.

Dependence runs across and influence up, the axes scaled to the data, the means drawn
and written at the top and right edges. The codes are placed by
:mod:`anticipe.report.chart_layout`: no two overlap, none covers a marker, crosses the
selection box or leaves the frame; a code moved away from its marker gets a leader line.
Charts are drawn on a bare :class:`matplotlib.figure.Figure` (no pyplot, no global
state) from plain chart data (:mod:`anticipe.report.structural_charts` builds it).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import TICKRIGHT, TICKUP
from matplotlib.patches import FancyArrowPatch, Patch, Rectangle
from matplotlib.transforms import blended_transform_factory

from anticipe.i18n import translator
from anticipe.presentation import number, quadrant_label
from anticipe.report.chart_layout import (
    Box,
    Label,
    Placement,
    Segment,
    enclosing_box,
    leader,
    place_labels,
    text_size,
)

INK = "#1f2933"
_TICK_TEXT = 3 + 3.5  # points from the axis to a tick's text: the tick, then matplotlib's pad
SELECTED = "#1d4e89"
ADDED = "#b5471b"
OTHER = "#8a949e"
BOX = "#1d4e89"
LEADER = "#9aa5b1"
LINK = "#1d4e89"

_RC: Any = {
    "font.family": ["DejaVu Sans", "Liberation Sans", "sans-serif"],
    "svg.fonttype": "none",
    "svg.hashsalt": "anticipe",
    "path.simplify": True,
}


@dataclass(frozen=True)
class _Size:
    """A chart's size in points: the figure's width, the plotted area's height, the
    margins around it (the legend's height is added below), and the fonts."""

    width: float
    plot_height: float
    left: float
    right: float
    top: float
    font: float  #: axes and legend
    code: float  #: the factors' codes
    legend_columns: int

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right


def _sized(size: str, words: dict[str, str]) -> _Size:
    """The size `size`, its right margin wide enough for the word "mean" of the language
    (written there, at the horizontal mean line)."""
    s = SIZES[size]
    needed = text_size(words["mean_value"].split()[0], s.font - 0.5)[0] + 8
    return replace(s, right=needed) if needed > s.right else s


SIZES: dict[str, _Size] = {
    "wide": _Size(482.0, 330.0, 44.0, 44.0, 22.0, 8.0, 8.0, 3),
    "narrow": _Size(288.0, 300.0, 34.0, 38.0, 22.0, 7.5, 7.5, 1),
}


def chart_words(language: str) -> dict[str, str]:
    """The words of the charts in `language`, keyed as the figures read them."""
    _ = translator(language).gettext
    return {
        **{f"quadrant_{q}": quadrant_label(q, language) for q in _QUADRANTS},
        "influence": _("Influence"),
        "dependence": _("Dependence"),
        "legend_selected": _("key factor (selection)"),
        "legend_added": _("key factor (panel's addition)"),
        "legend_other": _("other factor"),
        "legend_box": _("box of the selected factors"),
        "mean": _("mean"),
        "mean_value": _("mean {value}"),
        "legend_start": _("position on the first plane"),
        "legend_from_mean": _("mean of the first plane"),
        "legend_link": _("link, weight {value}"),
    }


_QUADRANTS = ("driving", "relay", "dependent", "autonomous")


# --------------------------------------------------------------------------- the frame


@dataclass(frozen=True)
class _Frame:
    """The plotted area in data units and in points, and where the means split it."""

    x0: float
    x1: float
    y0: float
    y1: float
    width: float  # points
    height: float

    def to_points(self, x: float, y: float) -> tuple[float, float]:
        return (
            (x - self.x0) / (self.x1 - self.x0) * self.width,
            (y - self.y0) / (self.y1 - self.y0) * self.height,
        )

    def to_data(self, px: float, py: float) -> tuple[float, float]:
        return (
            self.x0 + px / self.width * (self.x1 - self.x0),
            self.y0 + py / self.height * (self.y1 - self.y0),
        )


#: The empty band (points) kept inside the frame around the outermost markers: room for
#: the selection box and the codes.
_PADDING = 22.0


def _frame(size: _Size, xs: list[float], ys: list[float], band: float = 0.0) -> _Frame:
    """The frame around the data, with room for the box and the codes all around and a
    `band` (points) above and below for the quadrants' names."""
    width, height = size.plot_width, size.plot_height

    def limits(values: list[float], length: float, extra: float) -> tuple[float, float]:
        low, high = min(values), max(values)
        span = (high - low) or max(abs(high), 1.0)
        pad = _PADDING + extra
        margin = pad * span / (length - 2 * pad)
        return low - margin, high + margin

    x0, x1 = limits(xs, width, 0.0)
    y0, y1 = limits(ys, height, band)
    return _Frame(x0, x1, y0, y1, width, height)


def _new_figure(size: _Size, handles: list[Any]) -> tuple[Figure, Any]:
    """A figure tall enough for the plotted area, the axis' title and the legend (below,
    `handles` in ``legend_columns`` columns), and its axes."""
    rows = -(-len(handles) // size.legend_columns)
    bottom = 30.0 + rows * size.font * 1.8
    height = size.top + size.plot_height + bottom
    fig = Figure(figsize=(size.width / 72, height / 72), dpi=100)
    ax = fig.add_axes(
        (
            size.left / size.width,
            bottom / height,
            size.plot_width / size.width,
            size.plot_height / height,
        )
    )
    ax.tick_params(labelsize=size.font, length=3, color=OTHER)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(OTHER)
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=size.legend_columns,
        frameon=False,
        fontsize=size.font,
    )
    return fig, ax


def _axes(ax: Any, frame: _Frame, size: _Size, words: dict[str, str]) -> None:
    ax.set_xlim(frame.x0, frame.x1)
    ax.set_ylim(frame.y0, frame.y1)
    ax.set_xlabel(words["dependence"], fontsize=size.font + 0.5)
    ax.set_ylabel(words["influence"], fontsize=size.font + 0.5)


def _means(
    ax: Any, mx: float, my: float, size: _Size, words: dict[str, str], language: str
) -> None:
    """The mean lines, and their values written at the top and right edges, each beside a
    tick as an axis would write it (drawn as a tick and a text: a secondary axis each cost
    a tenth of the chart's time)."""
    style: dict[str, Any] = {"color": INK, "linewidth": 0.8, "linestyle": (0, (4, 3)), "zorder": 1}
    ax.axvline(mx, **style)
    ax.axhline(my, **style)
    tick: dict[str, Any] = {"color": INK, "markersize": 3, "markeredgewidth": 0.8}
    font: dict[str, Any] = {"fontsize": size.font - 0.5, "color": INK}
    top = blended_transform_factory(ax.transData, ax.transAxes)
    right = blended_transform_factory(ax.transAxes, ax.transData)
    text = words["mean_value"].format(value=number(mx, language, 1))
    ax.plot([mx], [1.0], marker=TICKUP, transform=top, clip_on=False, **tick)
    ax.annotate(
        text,
        (mx, 1.0),
        xycoords=top,
        xytext=(0, _TICK_TEXT),
        textcoords="offset points",
        ha="center",
        va="bottom",
        **font,
    )
    text = words["mean_value"].format(value=number(my, language, 1)).replace(" ", "\n", 1)
    ax.plot([1.0], [my], marker=TICKRIGHT, transform=right, clip_on=False, **tick)
    ax.annotate(
        text,
        (1.0, my),
        xycoords=right,
        xytext=(_TICK_TEXT, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        **font,
    )


# --------------------------------------------------------------------------- the codes


def _marker_style(point: dict[str, Any], size: _Size) -> tuple[dict[str, Any], str, str]:
    """The marker's style, the code's colour and weight for a factor."""
    scale = 1.0 if size.code >= 8 else 0.85
    if point.get("added"):
        return {"marker": "s", "s": 40 * scale, "c": ADDED, "edgecolors": ADDED}, ADDED, "bold"
    if point.get("selected"):
        return (
            {"marker": "o", "s": 36 * scale, "c": SELECTED, "edgecolors": SELECTED},
            SELECTED,
            "bold",
        )
    return {"marker": "o", "s": 28 * scale, "c": "white", "edgecolors": OTHER}, INK, "normal"


def _codes(
    ax: Any,
    frame: _Frame,
    size: _Size,
    points: list[dict[str, Any]],
    *,
    fixed: Sequence[Box] = (),
    lines: Sequence[Segment] = (),
    markers: Sequence[tuple[float, float, float]] = (),
    soft: Sequence[Segment] = (),
) -> list[tuple[Label, Placement]]:
    """Each factor's marker and code (placed without overlaps, leader lines drawn)."""
    labels: list[Label] = []
    for p in points:
        x, y = frame.to_points(p["x"], p["y"])
        bold = bool(p.get("selected") or p.get("added"))
        width, height = text_size(p["code"], size.code, bold=bold)
        labels.append(Label(x, y, width, height, radius=4.0))
    placements = place_labels(
        labels, frame.width, frame.height, fixed=fixed, lines=lines, markers=markers, soft=soft
    )
    # the markers of one style in one collection (a scatter call costs as much for one
    # marker as for twenty)
    styles: dict[tuple[Any, ...], tuple[dict[str, Any], list[float], list[float]]] = {}
    for p in points:
        style = _marker_style(p, size)[0]
        _style, xs, ys = styles.setdefault(tuple(sorted(style.items())), (style, [], []))
        xs.append(p["x"])
        ys.append(p["y"])
    for style, xs, ys in styles.values():
        ax.scatter(xs, ys, zorder=4, linewidths=1.1, **style)
    for p, label, placement in zip(points, labels, placements, strict=True):
        _style, colour, weight = _marker_style(p, size)
        cx, cy = frame.to_data(placement.x, placement.y)
        if placement.leader:
            x0, y0, x1, y1 = leader(placement, label)
            (ax0, ay0), (ax1, ay1) = frame.to_data(x0, y0), frame.to_data(x1, y1)
            ax.plot([ax0, ax1], [ay0, ay1], color=LEADER, linewidth=0.6, zorder=3)
        ax.text(
            cx,
            cy,
            p["code"],
            ha="center",
            va="center_baseline",
            fontsize=size.code,
            color=colour,
            fontweight=weight,
            zorder=5,
            bbox=_HALO,
        )
    return list(zip(labels, placements, strict=True))


#: A light background behind each code, so that a link or a segment under it never
#: hides it (inside the box the layout reserved for the code).
_HALO: dict[str, Any] = {"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.8}


def _quadrant_names(ax: Any, frame: _Frame, size: _Size, words: dict[str, str]) -> list[Box]:
    """Each quadrant's name in its outer corner; their boxes (points), kept free of codes."""
    boxes = []
    pad = 3.0
    for name, right, top in (
        ("quadrant_driving", False, True),
        ("quadrant_relay", True, True),
        ("quadrant_dependent", True, False),
        ("quadrant_autonomous", False, False),
    ):
        text = words[name]
        width, height = text_size(text, size.font)
        px = frame.width - pad - width if right else pad
        py = frame.height - pad - height if top else pad
        boxes.append((px, py, px + width, py + height))
        x, y = frame.to_data(px + width / 2, py + height / 2)
        ax.text(
            x,
            y,
            text,
            ha="center",
            va="center_baseline",
            color=OTHER,
            fontsize=size.font,
            fontstyle="italic",
            zorder=2,
        )
    return boxes


# --------------------------------------------------------------------------- plane map


def plane_figure(
    chart: dict[str, Any], words: dict[str, str], size: str = "wide", language: str = "fr"
) -> Figure:
    """An influence/dependence map (Graph 1 for the direct plane).

    `chart`: ``points`` (``code``, ``influence``, ``dependence``, ``selected``: a key
    factor from the selection, ``added``: the panel's addition, ``boxed``: selected by
    the rule on this plane, drawn in the box), ``mean_influence``, ``mean_dependence``.
    """
    s = _sized(size, words)
    points = [{**p, "x": p["dependence"], "y": p["influence"]} for p in chart["points"]]
    handles = _map_legend(
        words, any(p.get("added") for p in points), any(_boxed(p) for p in points)
    )
    with matplotlib.rc_context(_RC):
        fig, ax = _new_figure(s, handles)
        band = text_size("Ag", s.font)[1]
        frame = _frame(s, [p["x"] for p in points], [p["y"] for p in points], band)
        _axes(ax, frame, s, words)
        _means(ax, chart["mean_dependence"], chart["mean_influence"], s, words, language)
        fixed = _quadrant_names(ax, frame, s, words)
        means = (chart["mean_dependence"], chart["mean_influence"])
        lines = _selection_box(ax, frame, points, means)
        _codes(ax, frame, s, points, fixed=fixed, lines=lines)
        return fig


def _boxed(point: dict[str, Any]) -> bool:
    if "boxed" in point:
        return bool(point["boxed"])
    return bool(point.get("selected")) and not point.get("added")


def _selection_box(
    ax: Any, frame: _Frame, points: list[dict[str, Any]], means: tuple[float, float]
) -> list[Segment]:
    """A dashed box around the factors the rule selects, within the driving quadrant and
    leaving the other factors out; its sides (points), which no code may cross."""
    chosen = [frame.to_points(p["x"], p["y"]) for p in points if _boxed(p)]
    if not chosen:
        return []
    others = [frame.to_points(p["x"], p["y"]) for p in points if not _boxed(p)]
    x0, y0, x1, y1 = enclosing_box(chosen, others, corner=frame.to_points(*means))
    x0, y0 = max(x0, 1.0), max(y0, 1.0)
    x1, y1 = min(x1, frame.width - 1.0), min(y1, frame.height - 1.0)
    (dx0, dy0), (dx1, dy1) = frame.to_data(x0, y0), frame.to_data(x1, y1)
    _add(
        ax,
        Rectangle(
            (dx0, dy0),
            dx1 - dx0,
            dy1 - dy0,
            fill=False,
            edgecolor=BOX,
            linewidth=1.1,
            linestyle=(0, (6, 2)),
            zorder=2,
        ),
    )
    return [(x0, y0, x1, y0), (x1, y0, x1, y1), (x1, y1, x0, y1), (x0, y1, x0, y0)]


def _map_legend(words: dict[str, str], with_added: bool, with_box: bool) -> list[Any]:
    marker: dict[str, Any] = {"linestyle": ""}
    handles: list[Any] = [
        Line2D([], [], marker="o", color=SELECTED, label=words["legend_selected"], **marker)
    ]
    if with_added:
        handles.append(
            Line2D([], [], marker="s", color=ADDED, label=words["legend_added"], **marker)
        )
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            markerfacecolor="white",
            color=OTHER,
            label=words["legend_other"],
            **marker,
        )
    )
    if with_box:
        handles.append(Patch(fill=False, edgecolor=BOX, linestyle="--", label=words["legend_box"]))
    handles.append(Line2D([], [], color=INK, linestyle="--", linewidth=0.8, label=words["mean"]))
    return handles


# --------------------------------------------------------------------------- displacement


def displacement_figure(
    chart: dict[str, Any], words: dict[str, str], size: str = "wide", language: str = "fr"
) -> Figure:
    """Each factor from its position on the first plane (a small hollow dot) to its
    position on the second (its marker and code), with the second plane's means (dashed)
    and the first plane's when they differ (dotted).

    `chart`: ``points`` (``code``, ``selected``, ``added``, ``start``: ``{"influence",
    "dependence"}``, ``end``: the same), ``means`` (``start`` and ``end``, each
    ``{"influence", "dependence"}``).
    """
    s = _sized(size, words)
    points = [
        {**p, "x": p["end"]["dependence"], "y": p["end"]["influence"]} for p in chart["points"]
    ]
    starts = [(p["start"]["dependence"], p["start"]["influence"]) for p in chart["points"]]
    end, start = chart["means"]["end"], chart["means"]["start"]
    moved = abs(end["influence"] - start["influence"]) > 1e-9 * abs(end["influence"])
    handles = [*_map_legend(words, any(p.get("added") for p in points), False)]
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            markersize=4,
            markerfacecolor="white",
            color=OTHER,
            linestyle="",
            label=words["legend_start"],
        )
    )
    if moved:
        handles.append(Line2D([], [], color=OTHER, linestyle=":", label=words["legend_from_mean"]))
    with matplotlib.rc_context(_RC):
        fig, ax = _new_figure(s, handles)
        frame = _frame(
            s,
            [p["x"] for p in points] + [x for x, _ in starts],
            [p["y"] for p in points] + [y for _, y in starts],
        )
        _axes(ax, frame, s, words)
        _means(ax, end["dependence"], end["influence"], s, words, language)
        if moved:
            dotted: dict[str, Any] = {"color": OTHER, "linewidth": 0.8, "linestyle": ":"}
            ax.axvline(start["dependence"], **dotted)
            ax.axhline(start["influence"], **dotted)
        _segments(ax, points, starts)
        segments = [
            (*frame.to_points(x, y), *frame.to_points(p["x"], p["y"]))
            for p, (x, y) in zip(points, starts, strict=True)
        ]
        markers = [(*frame.to_points(x, y), 2.5) for x, y in starts]
        _codes(ax, frame, s, points, markers=markers, soft=segments)
        return fig


def _segments(ax: Any, points: list[dict[str, Any]], starts: list[tuple[float, float]]) -> None:
    """Each factor's segment from its first position (a small hollow dot) to its second."""
    dots: dict[str, tuple[list[float], list[float]]] = {}
    for p, (x, y) in zip(points, starts, strict=True):
        colour = ADDED if p.get("added") else SELECTED if p.get("selected") else OTHER
        xs, ys = dots.setdefault(colour, ([], []))
        xs.append(x)
        ys.append(y)
        _add(
            ax,
            FancyArrowPatch(
                (x, y),
                (p["x"], p["y"]),
                arrowstyle="-",
                color=colour,
                linewidth=0.9,
                shrinkA=0,
                shrinkB=3,
                zorder=3,
            ),
        )
    for colour, (xs, ys) in dots.items():  # one collection per colour
        ax.scatter(xs, ys, s=9, c="white", edgecolors=colour, linewidths=0.8, zorder=3)


# --------------------------------------------------------------------------- graph


def graph_figure(
    chart: dict[str, Any], words: dict[str, str], size: str = "wide", language: str = "fr"
) -> Figure:
    """A graph of influences: the factors at their plane position, each kept link an
    arrow from the influencing factor to the influenced one, its stroke growing with its
    weight (two opposite links curve apart).

    `chart`: ``points`` (as :func:`plane_figure`), ``mean_influence``,
    ``mean_dependence``, ``links`` (``source``, ``target``, ``weight``).
    """
    s = _sized(size, words)
    points = [{**p, "x": p["dependence"], "y": p["influence"]} for p in chart["points"]]
    where = {p["code"]: (p["x"], p["y"]) for p in points}
    weights = [link["weight"] for link in chart["links"]] or [1.0]
    low, high = min(weights), max(weights)
    handles = [
        Line2D(
            [],
            [],
            color=LINK,
            linewidth=0.6 + 2.4 * _stroke(w, low, high),
            label=words["legend_link"].format(value=number(w, language, 2)),
        )
        for w in sorted({low, high})
    ]
    handles += _map_legend(words, any(p.get("added") for p in points), False)
    with matplotlib.rc_context(_RC):
        fig, ax = _new_figure(s, handles)
        frame = _frame(s, [p["x"] for p in points], [p["y"] for p in points])
        _axes(ax, frame, s, words)
        _means(ax, chart["mean_dependence"], chart["mean_influence"], s, words, language)
        for link in reversed(chart["links"]):  # the strongest drawn last, on top
            stroke = _stroke(link["weight"], low, high)
            _add(
                ax,
                FancyArrowPatch(
                    where[link["source"]],
                    where[link["target"]],
                    arrowstyle="-|>",
                    mutation_scale=7 + 3 * stroke,
                    connectionstyle="arc3,rad=0.08",
                    color=LINK,
                    alpha=0.45 + 0.45 * stroke,
                    linewidth=0.6 + 2.4 * stroke,
                    shrinkA=5,
                    shrinkB=6,
                    zorder=2,
                ),
            )
        chords = [
            (*frame.to_points(*where[link["source"]]), *frame.to_points(*where[link["target"]]))
            for link in chart["links"]
        ]
        _codes(ax, frame, s, points, soft=chords)
        return fig


def _add(ax: Any, patch: Any) -> None:
    """Put `patch` on the axes. Not ``add_patch``: the axes' limits are the frame's
    (:func:`_axes`), and ``add_patch`` would compute each arrow's curve in display
    coordinates to grow limits that do not move (a sixth of a graph's drawing time)."""
    ax.add_artist(patch)


def _stroke(weight: float, low: float, high: float) -> float:
    """A link's weight on 0..1 between the weakest and the strongest link kept."""
    return 0.5 if high <= low else (weight - low) / (high - low)


# --------------------------------------------------------------------------- output


_GLOBAL_STYLE = re.compile(
    r"\s*<style[^>]*>\*\{stroke-linejoin: round; stroke-linecap: butt\}</style>"
)


def figure_svg(fig: Figure, *, inline: bool = False) -> str:
    """The figure as SVG markup (text kept as text): a standalone document, or, `inline`,
    markup to put in an HTML page: matplotlib's ``<style>`` (a rule for every element,
    which would reach the whole page) becomes attributes of the ``<svg>``, inherited by
    its drawing only."""
    buffer = io.StringIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    if inline:
        svg = _GLOBAL_STYLE.sub("", svg, count=1)
        svg = svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    return svg


# zlib's level 3 instead of Pillow's default (6): the charts' flat colours compress as
# well (the example's five charts: 672 KB against 671 KB) in about a third of the time
PNG_COMPRESS_LEVEL: Final = 3


def figure_png(fig: Figure, dpi: int = 200) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(
            buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL}
        )
    return buffer.getvalue()


def influence_map_svg(context: dict[str, Any]) -> str | None:
    """Graph 1 as SVG markup, or None when the study has no structural analysis."""
    if not context.get("map") or not context["map"]["points"]:
        return None
    language = context["language"]
    figure = plane_figure(context["map"], chart_words(language), "wide", language)
    return figure_svg(figure, inline=True)


def influence_map_png(context: dict[str, Any], dpi: int = 200) -> bytes | None:
    """Graph 1 as PNG bytes, or None when the study has no structural analysis."""
    if not context.get("map") or not context["map"]["points"]:
        return None
    language = context["language"]
    figure = plane_figure(context["map"], chart_words(language), "wide", language)
    return figure_png(figure, dpi=dpi)
