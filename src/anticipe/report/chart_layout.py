"""Where to write the factors' codes on a chart: no two labels overlap, none covers a
marker, crosses a drawn line that must stay readable (the selection box) or leaves the
plotted area; a label moved away from its marker gets a leader line.

Pure geometry in points (1/72 inch) of the plotted area, origin at its lower-left corner,
no matplotlib: :mod:`anticipe.report.charts` converts its data to points, asks here, and
draws. The method is a greedy search: the most crowded markers first, each label tries
eight positions around its marker, then rings of positions farther and farther away,
and takes the first ring holding a free position (the best one of the ring: closest,
its leader crossing the fewest other leaders and labels). With 20-40 factors on a chart
of a phone's width, every label finds a free place.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: How far (points) two labels, or a label and a marker, stay apart.
GAP = 1.5
#: The rings of positions tried around a marker: how far apart (points) and how many.
RING_STEP = 5.0
MAX_RINGS = 40
#: A label whose centre is farther than this from its marker (points) gets a leader line.
LEADER_AFTER = 4.0

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Segment = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True)
class Label:
    """A label to place: its marker's centre and radius, the text box's size (points)."""

    x: float
    y: float
    width: float
    height: float
    radius: float = 3.0


@dataclass(frozen=True)
class Placement:
    """Where a label goes: its centre (points), and whether a leader line joins it to its
    marker (from the marker's edge to the label box's edge: :func:`leader`)."""

    x: float
    y: float
    leader: bool


def text_size(text: str, font_size: float, *, bold: bool = False) -> tuple[float, float]:
    """A generous box (points) for `text` in a sans-serif font: wide enough for DejaVu
    Sans, Liberation Sans or Arial, whichever the reader's viewer falls back on."""
    width = sum(_char_width(c) for c in text) * (1.1 if bold else 1.0) * font_size
    return width + 1.0, font_size * 1.25


def _char_width(char: str) -> float:
    if char.isdigit():
        return 0.66
    if char in "ilj.,:;|' ":
        return 0.36
    if char.isupper() or char in "mw%":
        return 0.8
    return 0.64


def _boxes_overlap(a: Box, b: Box, gap: float = 0.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def _circle_hits_box(cx: float, cy: float, r: float, box: Box) -> bool:
    nx = min(max(cx, box[0]), box[2])
    ny = min(max(cy, box[1]), box[3])
    return (cx - nx) ** 2 + (cy - ny) ** 2 < r * r


def _segments_cross(a: Segment, b: Segment) -> bool:
    """Whether two segments cross (at a point inside both)."""
    # apart along x or y: they cannot cross (most pairs: the test below is the costly one)
    if max(a[0], a[2]) < min(b[0], b[2]) or max(b[0], b[2]) < min(a[0], a[2]):
        return False
    if max(a[1], a[3]) < min(b[1], b[3]) or max(b[1], b[3]) < min(a[1], a[3]):
        return False

    def side(px: float, py: float, qx: float, qy: float, rx: float, ry: float) -> float:
        return (qx - px) * (ry - py) - (qy - py) * (rx - px)

    d1 = side(b[0], b[1], b[2], b[3], a[0], a[1])
    d2 = side(b[0], b[1], b[2], b[3], a[2], a[3])
    d3 = side(a[0], a[1], a[2], a[3], b[0], b[1])
    d4 = side(a[0], a[1], a[2], a[3], b[2], b[3])
    return d1 * d2 < 0 and d3 * d4 < 0


def segment_hits_box(segment: Segment, box: Box) -> bool:
    """Whether a segment enters a box (an end inside it, or crossing one of its sides)."""
    x0, y0, x1, y1 = segment
    # wholly on one side of the box: it cannot enter it (most pairs)
    if max(x0, x1) < box[0] or min(x0, x1) > box[2] or max(y0, y1) < box[1] or min(y0, y1) > box[3]:
        return False
    for px, py in ((x0, y0), (x1, y1)):
        if box[0] < px < box[2] and box[1] < py < box[3]:
            return True
    sides = (
        (box[0], box[1], box[2], box[1]),
        (box[2], box[1], box[2], box[3]),
        (box[2], box[3], box[0], box[3]),
        (box[0], box[3], box[0], box[1]),
    )
    return any(_segments_cross(segment, side) for side in sides)


def label_box(placement: Placement, label: Label) -> Box:
    """The box of a placed label."""
    half_w, half_h = label.width / 2, label.height / 2
    return (placement.x - half_w, placement.y - half_h, placement.x + half_w, placement.y + half_h)


def leader(placement: Placement, label: Label) -> Segment:
    """The leader line: from the marker's edge towards the label's centre, to the label
    box's edge."""
    dx, dy = placement.x - label.x, placement.y - label.y
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    # where the ray from the label's centre back to the marker leaves the box
    half_w, half_h = label.width / 2 + 0.5, label.height / 2 + 0.5
    t_box = min(half_w / abs(ux) if ux else math.inf, half_h / abs(uy) if uy else math.inf)
    return (
        label.x + ux * label.radius,
        label.y + uy * label.radius,
        placement.x - ux * t_box,
        placement.y - uy * t_box,
    )


@dataclass
class _Scene:
    width: float
    height: float
    labels: Sequence[Label]
    fixed: list[Box]  # boxes no label may cover (quadrant names...)
    lines: list[Segment]  # lines no label may cross (the selection box...)
    markers: list[tuple[float, float, float]]  # markers without a label: x, y, radius
    soft: list[Segment]  # lines a label had better not cover (a graph's links...)
    placed: list[Box]
    leaders: list[Segment]

    def inside(self, box: Box) -> bool:
        return box[0] >= 0 and box[1] >= 0 and box[2] <= self.width and box[3] <= self.height

    def free(self, box: Box, own: int) -> bool:
        if not self.inside(box):
            return False
        if any(_boxes_overlap(box, other, GAP) for other in self.placed):
            return False
        if any(_boxes_overlap(box, other, GAP) for other in self.fixed):
            return False
        for k, other in enumerate(self.labels):
            if _circle_hits_box(other.x, other.y, other.radius + (GAP if k != own else 0.5), box):
                return False
        if any(_circle_hits_box(x, y, r + GAP, box) for x, y, r in self.markers):
            return False
        wider = (box[0] - GAP, box[1] - GAP, box[2] + GAP, box[3] + GAP)
        return not any(segment_hits_box(line, wider) for line in self.lines)

    def cost(self, placement: Placement, label: Label, own: int, order: int) -> float:
        """Lower is better: next to the marker in the preferred order (ring 0), else
        close, with a leader crossing few other leaders, labels and markers."""
        box = label_box(placement, label)
        covering = 10 * sum(segment_hits_box(line, box) for line in self.soft)
        if not placement.leader:
            return float(order + covering)
        distance = math.hypot(placement.x - label.x, placement.y - label.y) + covering
        line = leader(placement, label)
        crossings = sum(_segments_cross(line, other) for other in self.leaders)
        covered = sum(segment_hits_box(line, other) for other in self.placed)
        markers = sum(
            1
            for k, other in enumerate(self.labels)
            if k != own and _point_near_segment(other.x, other.y, line, other.radius)
        )
        return distance + 40 * crossings + 30 * covered + 20 * markers


def _point_near_segment(px: float, py: float, s: Segment, radius: float) -> bool:
    x0, y0, x1, y1 = s
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / length2))
    return math.hypot(px - (x0 + t * dx), py - (y0 + t * dy)) < radius


def _candidates(label: Label, ring: int) -> list[tuple[float, float]]:
    """Label centres of one ring: ring 0 touches the marker (eight positions, the right
    side first, as a reader expects a code); the others are circles farther out."""
    w, h, r = label.width / 2, label.height / 2, label.radius + GAP
    if ring == 0:
        offsets = [
            (r + w, 0.0),
            (r * 0.7 + w, r * 0.7 + h),
            (r * 0.7 + w, -(r * 0.7 + h)),
            (-(r + w), 0.0),
            (0.0, r + h),
            (0.0, -(r + h)),
            (-(r * 0.7 + w), r * 0.7 + h),
            (-(r * 0.7 + w), -(r * 0.7 + h)),
        ]
        return [(label.x + dx, label.y + dy) for dx, dy in offsets]
    radius = r + max(w, h) + ring * RING_STEP
    count = 12 + 4 * ring
    return [
        (
            label.x + radius * math.cos(2 * math.pi * k / count),
            label.y + radius * math.sin(2 * math.pi * k / count),
        )
        for k in range(count)
    ]


def enclosing_box(
    inside: Sequence[tuple[float, float]],
    outside: Sequence[tuple[float, float]],
    *,
    corner: tuple[float, float] | None = None,
    pad: float = 9.0,
    tight: float = 5.5,
    keep_out: float = 6.0,
) -> Box:
    """A box around the markers `inside`, `pad` points from them, that leaves the markers
    `outside` out (a side moves in, never closer than `tight` to an inside marker) and
    does not reach past `corner` (``(x, y)``: the box stays left of x and above y, the
    means that bound the driving quadrant, unless a marker inside is closer to them than
    `tight`). A marker outside that only tighter margins can leave out gets them (4.5
    points each side of the box's line); one among the markers inside stays in."""
    xs, ys = [x for x, _ in inside], [y for _, y in inside]
    x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    if corner is not None:
        x1 = max(min(x1, corner[0]), max(xs) + tight)
        y0 = min(max(y0, corner[1]), min(ys) - tight)
    for mx, my in outside:
        # the roomy margins first, else the tightest that still keeps markers apart
        for out, near in ((keep_out, tight), (4.5, 4.5)):
            if not (x0 - out < mx < x1 + out and y0 - out < my < y1 + out):
                break
            moves = [
                (mx + out - x0, "x0", mx + out, mx + out <= min(xs) - near),
                (x1 - (mx - out), "x1", mx - out, mx - out >= max(xs) + near),
                (my + out - y0, "y0", my + out, my + out <= min(ys) - near),
                (y1 - (my - out), "y1", my - out, my - out >= max(ys) + near),
            ]
            feasible = [(move, side, value) for move, side, value, ok in moves if ok]
            if feasible:
                _move, side, value = min(feasible)
                x0, x1, y0, y1 = _moved(x0, x1, y0, y1, side, value)
                break
    return (x0, y0, x1, y1)


def _moved(
    x0: float, x1: float, y0: float, y1: float, side: str, value: float
) -> tuple[float, float, float, float]:
    """The box with one side moved in to `value`."""
    if side == "x0":
        return max(x0, value), x1, y0, y1
    if side == "x1":
        return x0, min(x1, value), y0, y1
    if side == "y0":
        return x0, x1, max(y0, value), y1
    return x0, x1, y0, min(y1, value)


def _crowding(labels: Sequence[Label]) -> list[int]:
    """Indices of the labels, the most crowded markers first (then in the given order)."""

    def neighbours(k: int) -> int:
        a = labels[k]
        reach = 3 * (a.width + a.height)
        return sum(
            1 for j, b in enumerate(labels) if j != k and math.hypot(a.x - b.x, a.y - b.y) < reach
        )

    return sorted(range(len(labels)), key=lambda k: (-neighbours(k), k))


def place_labels(
    labels: Sequence[Label],
    width: float,
    height: float,
    *,
    fixed: Sequence[Box] = (),
    lines: Sequence[Segment] = (),
    markers: Sequence[tuple[float, float, float]] = (),
    soft: Sequence[Segment] = (),
) -> list[Placement]:
    """Place every label inside ``0..width x 0..height`` (points).

    Parameters
    ----------
    labels : sequence of Label
        The markers and their labels' sizes.
    width, height : float
        The plotted area.
    fixed : sequence of boxes
        Boxes already written (the quadrants' names): no label covers them.
    lines : sequence of segments
        Lines no label may cross (the sides of the selection box).
    markers : sequence of (x, y, radius)
        Markers without a label of their own (the start of a displacement): no label
        covers them.
    soft : sequence of segments
        Lines a label had better not cover (a graph's links, a displacement's segments):
        among the free positions of a ring, those covering fewer of them come first.

    Returns
    -------
    list of Placement
        One per label, in the given order. A label that finds no free position within
        :data:`MAX_RINGS` rings goes to the least crowded position tried (never seen
        with 40 factors on a phone-sized chart).
    """
    scene = _Scene(
        width, height, labels, list(fixed), list(lines), list(markers), list(soft), [], []
    )
    out: dict[int, Placement] = {}
    for k in _crowding(labels):
        label = labels[k]
        best = _best_position(scene, label, k)
        out[k] = best
        scene.placed.append(label_box(best, label))
        if best.leader:
            scene.leaders.append(leader(best, label))
    return [out[k] for k in range(len(labels))]


def _best_position(scene: _Scene, label: Label, own: int) -> Placement:
    fallback: tuple[int, Placement] | None = None
    for ring in range(MAX_RINGS + 1):
        options = []
        for order, (cx, cy) in enumerate(_candidates(label, ring)):
            placement = Placement(
                cx, cy, ring > 0 and math.hypot(cx - label.x, cy - label.y) > LEADER_AFTER
            )
            box = label_box(placement, label)
            if scene.free(box, own):
                options.append((scene.cost(placement, label, own, order), placement))
            elif scene.inside(box) and (fallback is None or _overlaps(scene, box) < fallback[0]):
                fallback = (_overlaps(scene, box), placement)
        if options:
            return min(options, key=lambda item: item[0])[1]
    if fallback is None:  # no position inside the area at all: the first one
        x, y = _candidates(label, 0)[0]
        return Placement(x, y, False)
    return fallback[1]


def _overlaps(scene: _Scene, box: Box) -> int:
    return sum(_boxes_overlap(box, other) for other in scene.placed)
