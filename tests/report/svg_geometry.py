"""Geometry read back from a chart's SVG, to check its layout as a reader sees it.

Independent of the chart code: every ``<text>`` element's box is rebuilt from the SVG
itself (its position, anchor, size and weight) with the real metrics of DejaVu Sans, the
first font the SVG names (matplotlib's own copy: the same on every machine); the markers
are the ``<use>`` elements of scatter collections; the clipped paths are those drawn in
the plotted area, with every coordinate of their ``d``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Text:
    text: str
    box: Box  # x0, y0, x1, y1 in SVG units, y downwards


def _style(element: ET.Element) -> dict[str, str]:
    pairs = (item.split(":", 1) for item in element.get("style", "").split(";") if ":" in item)
    return {key.strip(): value.strip() for key, value in pairs}


@cache
def _width(text: str, size: float, bold: bool) -> float:
    font = FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal", size=size)
    width, _height, _descent = TextToPath().get_text_width_height_descent(text, font, ismath=False)
    return float(width)


def _position(element: ET.Element) -> tuple[float, float]:
    if element.get("x") is not None:
        return float(element.get("x", 0)), float(element.get("y", 0))
    found = re.search(r"translate\(([-\d.e]+)[ ,]([-\d.e]+)\)", element.get("transform", ""))
    assert found, ET.tostring(element)
    return float(found.group(1)), float(found.group(2))


def texts(svg: str) -> list[Text]:
    """Every text of the SVG with its box (DejaVu Sans' advance widths; from the font's
    ascent, 0.76 em above the baseline, to its descent, 0.24 em below)."""
    root = ET.fromstring(svg)
    out = []
    for element in root.iter(f"{SVG}text"):
        content = "".join(element.itertext())
        if not content.strip():
            continue
        style = _style(element)
        size = float(style.get("font-size", "10px").removesuffix("px"))
        bold = style.get("font-weight") in ("bold", "700", "600")
        x, y = _position(element)
        width = _width(content, size, bold)
        anchor = style.get("text-anchor", "start")
        shift = width / 2 if anchor == "middle" else width if anchor == "end" else 0.0
        if re.search(r"rotate\(-90", element.get("transform", "")):  # the vertical axis title
            y0 = y - width + shift
            out.append(Text(content, (x - 0.76 * size, y0, x + 0.24 * size, y0 + width)))
            continue
        x0 = x - shift
        out.append(Text(content, (x0, y - 0.76 * size, x0 + width, y + 0.24 * size)))
    return out


def overlapping(boxes: list[Text]) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap."""
    found = []
    for k, a in enumerate(boxes):
        for b in boxes[k + 1 :]:
            if (
                a.box[0] < b.box[2]
                and b.box[0] < a.box[2]
                and a.box[1] < b.box[3]
                and b.box[1] < a.box[3]
            ):
                found.append((a.text, b.text))
    return found


def markers(svg: str) -> list[tuple[float, float]]:
    """The centres of the scatter markers (the factors, the displacements' starts)."""
    root = ET.fromstring(svg)
    out = []
    for group in root.iter(f"{SVG}g"):
        if group.get("id", "").startswith("PathCollection"):
            out += [
                (float(use.get("x", 0)), float(use.get("y", 0))) for use in group.iter(f"{SVG}use")
            ]
    return out


def clip_rectangle(svg: str) -> Box:
    """The plotted area (the clip path of the axes)."""
    root = ET.fromstring(svg)
    rect = next(root.iter(f"{SVG}clipPath")).find(f"{SVG}rect")
    assert rect is not None
    x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
    return (x, y, x + float(rect.get("width", 0)), y + float(rect.get("height", 0)))


def clipped_paths(svg: str) -> list[list[tuple[float, float]]]:
    """The coordinates of every path drawn in the plotted area (clipped to it)."""
    root = ET.fromstring(svg)
    out = []
    for path in root.iter(f"{SVG}path"):
        if not path.get("clip-path"):
            continue
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", path.get("d", ""))]
        out.append(list(zip(numbers[0::2], numbers[1::2], strict=False)))
    return out


def dashed_boxes(svg: str, colour: str) -> list[Box]:
    """Rectangles drawn in the plotted area as dashed closed paths of `colour` (the
    selection box)."""
    root = ET.fromstring(svg)
    out = []
    for path in root.iter(f"{SVG}path"):
        style = _style(path)
        if style.get("stroke") != colour or "stroke-dasharray" not in style:
            continue
        if not path.get("clip-path"):  # the legend's sample, outside the plotted area
            continue
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
        xs, ys = numbers[0::2], numbers[1::2]
        if len(xs) >= 4 and path.get("d", "").strip().endswith("z"):
            out.append((min(xs), min(ys), max(xs), max(ys)))
    return out


def crosses_sides(box: Box, text: Box) -> bool:
    """Whether a text's box crosses one of a rectangle's sides (it is neither wholly
    inside nor wholly outside the rectangle)."""
    inside = box[0] <= text[0] and text[2] <= box[2] and box[1] <= text[1] and text[3] <= box[3]
    outside = text[2] <= box[0] or text[0] >= box[2] or text[3] <= box[1] or text[1] >= box[3]
    return not inside and not outside


def inside(frame: Box, box: Box) -> bool:
    """Whether `box` lies wholly inside `frame`."""
    return frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3]
