"""The placement of the codes on a chart (anticipe.report.chart_layout), on its own."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from anticipe.report.chart_layout import (
    Label,
    enclosing_box,
    label_box,
    leader,
    place_labels,
    segment_hits_box,
    text_size,
)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_a_lone_label_sits_right_of_its_marker() -> None:
    label = Label(50, 50, *text_size("A1", 8))
    (placed,) = place_labels([label], 200, 200)
    assert placed.y == 50
    assert placed.x > 50
    assert not placed.leader


def test_crowded_markers_get_free_places_and_leader_lines() -> None:
    # twelve markers on top of each other: every label finds a place of its own
    labels = [Label(100 + k * 0.5, 100, *text_size(f"A{k}", 8)) for k in range(12)]
    placements = place_labels(labels, 300, 300)
    boxes = [label_box(p, label) for p, label in zip(placements, labels, strict=True)]
    assert not any(_overlap(a, b) for k, a in enumerate(boxes) for b in boxes[k + 1 :])
    assert any(p.leader for p in placements)
    for p, label in zip(placements, labels, strict=True):
        if p.leader:
            x0, y0, _x1, _y1 = leader(p, label)
            assert math.isclose(math.hypot(x0 - label.x, y0 - label.y), label.radius)


def test_labels_never_cross_a_line_nor_cover_a_fixed_box() -> None:
    line = (60.0, 0.0, 60.0, 200.0)  # a side of the selection box, just right of the marker
    labels = [Label(55, 100, *text_size("A20", 8))]
    fixed = [(30.0, 90.0, 50.0, 110.0)]  # a quadrant's name left of it
    (placed,) = place_labels(labels, 200, 200, fixed=fixed, lines=[line])
    box = label_box(placed, labels[0])
    assert not segment_hits_box(line, box)
    assert not _overlap(box, fixed[0])


points = st.lists(
    st.tuples(st.floats(0, 280), st.floats(0, 280)), min_size=1, max_size=40, unique=True
)


@settings(max_examples=40, deadline=None)
@given(points)
def test_up_to_forty_labels_never_overlap_and_stay_inside(where: list[tuple[float, float]]) -> None:
    labels = [Label(x, y, *text_size(f"A{k + 1}", 7.5)) for k, (x, y) in enumerate(where)]
    placements = place_labels(labels, 300, 300)
    boxes = [label_box(p, label) for p, label in zip(placements, labels, strict=True)]
    for box in boxes:
        assert min(box) >= 0
        assert max(box) <= 300
    assert not any(_overlap(a, b) for k, a in enumerate(boxes) for b in boxes[k + 1 :])


def test_the_box_stays_in_the_driving_quadrant_and_leaves_other_markers_out() -> None:
    inside = [(10.0, 59.0), (30.0, 70.0)]
    # the mean of the influence is at y = 52: the box stops there
    assert enclosing_box(inside, [], corner=(100, 52)) == (1.0, 52.0, 39.0, 79.0)
    # a marker outside, 9 points under the lowest one inside: the box's side goes between
    y0 = enclosing_box(inside, [(20.0, 50.0)], corner=(100, 40))[1]
    assert 50 + 4.5 <= y0 <= 59 - 4.5
    # a marker among the markers inside stays in
    assert enclosing_box(inside, [(20.0, 65.0)]) == enclosing_box(inside, [])
