"""The report's charts, drawn once with matplotlib: SVG for HTML and PDF, PNG for DOCX.

Charts are drawn on a bare :class:`matplotlib.figure.Figure` (no pyplot, no global
state), from the report context only.
"""

from __future__ import annotations

import io
from typing import Any, NamedTuple

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from anticipe.i18n import translator
from anticipe.presentation import quadrant_label

INK = "#1f2933"
SELECTED = "#1d4e89"
ADDED = "#b5471b"
OTHER = "#8a949e"
BOX = "#1d4e89"

_RC: Any = {
    "font.family": ["DejaVu Sans", "Liberation Sans", "sans-serif"],
    "font.size": 8.5,
    "svg.fonttype": "none",
    "svg.hashsalt": "anticipe",
    "path.simplify": True,
}


def map_labels(language: str) -> dict[str, str]:
    """The words of Graph 1 in `language`, keyed as :func:`influence_map_figure` reads them."""
    _ = translator(language).gettext
    return {
        "quadrant_driving": quadrant_label("driving", language),
        "quadrant_relay": quadrant_label("relay", language),
        "quadrant_dependent": quadrant_label("dependent", language),
        "quadrant_autonomous": quadrant_label("autonomous", language),
        "influence": _("Influence"),
        "dependence": _("Dependence"),
        "legend_selected": _("key factor (selection)"),
        "legend_added": _("key factor (panel's addition)"),
        "legend_other": _("other factor"),
        "legend_box": _("box of the selected factors"),
        "mean": _("mean"),
    }


class _Frame(NamedTuple):
    """The plotted area in data units, and where the means split it."""

    x0: float
    x1: float
    y0: float
    y1: float
    mx: float
    my: float
    span_x: float
    span_y: float


def influence_map_figure(chart: dict[str, Any], labels: dict[str, str]) -> Figure:
    """The influence/dependence map (Graph 1) as a matplotlib figure.

    Dependence on the horizontal axis, influence on the vertical axis, split at the
    means; the selected key factors in the upper-left box, a manual addition drawn with
    another marker and colour (and named in the legend), the other factors in grey.
    """
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(6.6, 5.0), dpi=100)
        ax = fig.add_subplot(1, 1, 1)
        points = chart["points"]
        frame = _frame(points, chart["mean_dependence"], chart["mean_influence"])
        ax.set_xlim(frame.x0, frame.x1)
        ax.set_ylim(frame.y0, frame.y1)
        ax.axvline(frame.mx, color=INK, linewidth=0.8, linestyle=(0, (4, 3)))
        ax.axhline(frame.my, color=INK, linewidth=0.8, linestyle=(0, (4, 3)))
        _quadrant_names(ax, frame, labels)
        _selection_box(ax, frame, points)
        _factors(fig, ax, frame, points)
        ax.set_xlabel(labels["dependence"])
        ax.set_ylabel(labels["influence"])
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.legend(
            handles=_legend(labels, any(p["added"] for p in points)),
            loc="lower center",
            ncol=3,
            frameon=False,
            fontsize=7.5,
        )
        fig.subplots_adjust(left=_LEFT, right=_RIGHT, top=_TOP, bottom=_BOTTOM)
        return fig


# the axes inside the figure (fractions of its size)
_LEFT, _RIGHT, _BOTTOM, _TOP = 0.09, 0.98, 0.22, 0.97


def _frame(points: list[dict[str, Any]], mx: float, my: float) -> _Frame:
    xs = [p["dependence"] for p in points] or [0.0]
    ys = [p["influence"] for p in points] or [0.0]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return _Frame(
        min(xs) - 0.08 * span_x,
        max(xs) + 0.1 * span_x,
        min(ys) - 0.08 * span_y,
        max(ys) + 0.1 * span_y,
        mx,
        my,
        span_x,
        span_y,
    )


def _quadrant_names(ax: Any, frame: _Frame, labels: dict[str, str]) -> None:
    """Each quadrant's name in its outer corner."""
    corner: dict[str, Any] = {"color": OTHER, "fontsize": 7.5, "fontstyle": "italic"}
    dx, dy = 0.01 * frame.span_x, 0.02 * frame.span_y
    for name, x, y, ha, va in (
        ("quadrant_driving", frame.x0 + dx, frame.y1 - dy, "left", "top"),
        ("quadrant_relay", frame.x1 - dx, frame.y1 - dy, "right", "top"),
        ("quadrant_dependent", frame.x1 - dx, frame.y0 + dy, "right", "bottom"),
        ("quadrant_autonomous", frame.x0 + dx, frame.y0 + dy, "left", "bottom"),
    ):
        ax.text(x, y, labels[name], ha=ha, va=va, **corner)


def _selection_box(ax: Any, frame: _Frame, points: list[dict[str, Any]]) -> None:
    """A dashed box around the selected key factors of the upper-left quadrant."""
    chosen = [
        p
        for p in points
        if p["selected"]
        and not p["added"]
        and p["influence"] > frame.my
        and p["dependence"] <= frame.mx
    ]
    if not chosen:
        return
    bx0 = min(p["dependence"] for p in chosen) - 0.04 * frame.span_x
    bx1 = max(p["dependence"] for p in chosen) + 0.04 * frame.span_x
    by0 = min(p["influence"] for p in chosen) - 0.05 * frame.span_y
    by1 = max(p["influence"] for p in chosen) + 0.05 * frame.span_y
    box = Rectangle(
        (bx0, by0),
        bx1 - bx0,
        by1 - by0,
        fill=False,
        edgecolor=BOX,
        linewidth=1.2,
        linestyle=(0, (6, 2)),
        zorder=1,
    )
    ax.add_patch(box)


def _factors(fig: Figure, ax: Any, frame: _Frame, points: list[dict[str, Any]]) -> None:
    """Each factor's marker and code, the codes placed where they overlap the least."""
    width_pt = fig.get_figwidth() * 72 * (_RIGHT - _LEFT)
    height_pt = fig.get_figheight() * 72 * (_TOP - _BOTTOM)

    def to_pt(x: float, y: float) -> tuple[float, float]:
        return (
            (x - frame.x0) / (frame.x1 - frame.x0) * width_pt,
            (y - frame.y0) / (frame.y1 - frame.y0) * height_pt,
        )

    centres = [to_pt(p["dependence"], p["influence"]) for p in points]
    offsets = _label_offsets([p["code"] for p in points], centres, width_pt, height_pt)
    for p, offset in zip(points, offsets, strict=True):
        style: dict[str, Any]
        if p["added"]:
            style = {"marker": "s", "s": 46, "c": ADDED, "edgecolors": ADDED}
        elif p["selected"]:
            style = {"marker": "o", "s": 40, "c": SELECTED, "edgecolors": SELECTED}
        else:
            style = {"marker": "o", "s": 32, "c": "white", "edgecolors": OTHER}
        ax.scatter([p["dependence"]], [p["influence"]], zorder=3, linewidths=1.1, **style)
        ax.annotate(
            p["code"],
            (p["dependence"], p["influence"]),
            xytext=offset,
            textcoords="offset points",
            fontsize=7.5,
            color=ADDED if p["added"] else (SELECTED if p["selected"] else INK),
            fontweight="bold" if p["selected"] or p["added"] else "normal",
            zorder=4,
            ha="left",
            va="bottom",
        )


def _legend(labels: dict[str, str], with_added: bool) -> list[Any]:
    marker: dict[str, Any] = {"linestyle": ""}
    handles: list[Any] = [
        Line2D([], [], marker="o", color=SELECTED, label=labels["legend_selected"], **marker)
    ]
    if with_added:
        handles.append(
            Line2D([], [], marker="s", color=ADDED, label=labels["legend_added"], **marker)
        )
    return [
        *handles,
        Line2D(
            [],
            [],
            marker="o",
            markerfacecolor="white",
            color=OTHER,
            label=labels["legend_other"],
            **marker,
        ),
        Patch(fill=False, edgecolor=BOX, linestyle="--", label=labels["legend_box"]),
        Line2D([], [], color=INK, linestyle="--", linewidth=0.8, label=labels["mean"]),
    ]


def _label_offsets(
    codes: list[str], centres: list[tuple[float, float]], width: float, height: float
) -> list[tuple[float, float]]:
    """Where to write each code (offset in points from its marker), greedily choosing
    among eight positions the one overlapping the fewest markers and codes already
    placed, and staying inside the axes."""
    size = 7.5
    candidates = [(4, 2), (4, -10), (-4, 2), (-4, -10), (-3, 5), (-3, -14), (7, -4), (-7, -4)]
    placed: list[tuple[float, float, float, float]] = []
    out: list[tuple[float, float]] = []
    marker = 4.0
    for code, (cx, cy) in zip(codes, centres, strict=True):
        w, h = 0.62 * size * len(code), size
        best: tuple[float, tuple[float, float]] | None = None
        for k, (dx, dy) in enumerate(candidates):
            lx = cx + dx if dx > 0 or abs(dx) == 3 else cx + dx - w
            ly = cy + dy
            box = (lx, ly, lx + w, ly + h)
            cost = 0.01 * k
            if box[0] < 0 or box[2] > width or box[1] < 0 or box[3] > height:
                cost += 50
            for ox, oy in centres:
                if (
                    box[0] - marker < ox < box[2] + marker
                    and box[1] - marker < oy < box[3] + marker
                ):
                    cost += 3
            for other in placed:
                ix = min(box[2], other[2]) - max(box[0], other[0])
                iy = min(box[3], other[3]) - max(box[1], other[1])
                if ix > 0 and iy > 0:
                    cost += 10 + ix * iy / (w * h) * 10
            if best is None or cost < best[0]:
                best = (cost, (lx - cx, ly - cy))
        assert best is not None
        fx, fy = best[1]
        placed.append((cx + fx, cy + fy, cx + fx + w, cy + fy + h))
        out.append((fx, fy))
    return out


def figure_svg(fig: Figure) -> str:
    """The figure as a standalone SVG document (text kept as text)."""
    buffer = io.StringIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def figure_png(fig: Figure, dpi: int = 200) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def influence_map_svg(context: dict[str, Any]) -> str | None:
    """Graph 1 as SVG markup, or None when the study has no structural analysis."""
    if not context.get("map") or not context["map"]["points"]:
        return None
    return figure_svg(influence_map_figure(context["map"], map_labels(context["language"])))


def influence_map_png(context: dict[str, Any], dpi: int = 200) -> bytes | None:
    """Graph 1 as PNG bytes, or None when the study has no structural analysis."""
    if not context.get("map") or not context["map"]["points"]:
        return None
    figure = influence_map_figure(context["map"], map_labels(context["language"]))
    return figure_png(figure, dpi=dpi)
