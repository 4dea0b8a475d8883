"""The geometry of the charts drawn as SVG in the results pages (presentation attributes and
classes in the templates, no inline style): the probability x desirability chart of a key
factor's hypotheses. The structural analysis' charts are the report's
(:mod:`anticipe.report.charts`, served by :mod:`.influence_graphs`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CHART_SIZE = 360
CHART_MARGIN = 48


def axis(value: float, low: float, high: float, start: float, length: float) -> float:
    """Where `value` of the range low..high falls on an axis from `start`, `length` long
    (negative: upwards); the middle when the range is a single value."""
    if high == low:
        return start + length / 2
    return start + (value - low) / (high - low) * length


def _frame(size: float, margin: float) -> dict[str, float]:
    return {
        "size": size,
        "left": margin,
        "right": size - margin,
        "top": margin,
        "bottom": size - margin,
    }


def probability_desirability_chart(
    block: Mapping[str, Any], p_scale: tuple[int, int], d_scale: tuple[int, int]
) -> dict[str, Any] | None:
    """Geometry of the probability x desirability chart of one key factor: each voted
    hypothesis at its medians, with its interquartile ranges; hypotheses at the same point
    share one marker and one label."""
    size, margin = CHART_SIZE, CHART_MARGIN
    inner = size - 2 * margin

    def across(value: float) -> float:  # probability
        return axis(value, p_scale[0], p_scale[1], margin, inner)

    def up(value: float) -> float:  # desirability
        return axis(value, d_scale[0], d_scale[1], size - margin, -inner)

    points: dict[tuple[float, float], dict[str, Any]] = {}
    for item in block["hypotheses"]:
        p, d = item["probability"], item["desirability"]
        if not p or not d or p["median"] is None or d["median"] is None:
            continue
        x, y = across(p["median"]), up(d["median"])
        point = points.setdefault(
            (round(x, 2), round(y, 2)),
            {
                "x": x,
                "y": y,
                "labels": [],
                "marks": set(),
                "p_low": across(p["q1"]),
                "p_high": across(p["q3"]),
                "d_low": up(d["q1"]),
                "d_high": up(d["q3"]),
            },
        )
        point["labels"].append(item["label"])
        point["marks"].update(_marks(item))
    if not points:
        return None
    return {
        **_frame(size, margin),
        "middle": size / 2,
        "ticks_x": [{"value": v, "at": across(v)} for v in range(p_scale[0], p_scale[1] + 1)],
        "ticks_y": [{"value": v, "at": up(v)} for v in range(d_scale[0], d_scale[1] + 1)],
        "points": [
            {
                **point,
                "label": " · ".join(point["labels"]),
                "classes": " ".join(sorted(point["marks"])),
            }
            for point in points.values()
        ],
    }


def _marks(item: Mapping[str, Any]) -> set[str]:
    """The classes of a hypothesis' marker: most probable, most desirable, retained."""
    flags = {"probable": "most_probable", "desirable": "most_desirable", "retained": "retained"}
    return {mark for mark, key in flags.items() if item[key]}
