"""The structural analysis' charts, checked on their SVG as a reader sees it.

For the example (20 factors) and for a generated 40-factor study, every chart (the four
planes, both displacements, the graphs at 5, 10 and 25 %), in both sizes (a desktop or
A4 page, a phone): no two texts overlap (codes, quadrant names, means, ticks, titles,
legend), no code covers a marker or crosses the selection box, and everything drawn in
the plotted area stays inside it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pytest

from anticipe.report import charts
from anticipe.report import structural_charts as sc
from anticipe.study.analysis import analyse_influence_matrices, key_factor_decisions
from tests.report import svg_geometry as geometry

SIZES = ("wide", "narrow")


def _example() -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, str]]:
    from anticipe.examples import load_example
    from anticipe.study.analysis import analyse_study

    study = load_example()
    analysis = analyse_study(study, resamples=0)
    titles = {f["code"]: f["title"] for f in study["factors"]}
    return dict(analysis["structural_analysis"] or {}), list(analysis["key_factors"]), titles


def forty_factor_study(seed: int = 40) -> dict[str, Any]:
    """A study of 40 factors and 12 experts: a shared view of the system (each factor's
    own influence and dependence), every expert's noise, some don't-knows and P cells."""
    rng = np.random.default_rng(seed)
    n, experts = 40, 12
    codes = [f"F{k}" for k in range(1, n + 1)]
    influence, dependence = rng.normal(0, 0.5, n), rng.normal(0, 0.5, n)
    level = 1.3 + influence[:, None] + dependence[None, :]
    matrices = []
    for e in range(experts):
        values = np.clip(np.rint(level + rng.normal(0, 0.8, level.shape)), 0, 3).astype(int)
        draws = rng.random(level.shape)
        rows: list[list[Any]] = [
            [
                0
                if i == j
                else None
                if draws[i, j] < 0.01
                else "P"
                if draws[i, j] < 0.04
                else int(v)
                for j, v in enumerate(row)
            ]
            for i, row in enumerate(values)
        ]
        matrices.append({"expert": f"E{e + 1:02d}", "rows": rows})
    return {
        "factors": [{"code": c, "title": f"Factor {c}"} for c in codes],
        "structural_analysis": {"factors": codes, "matrices": matrices},
    }


@cache
def _cases() -> dict[str, tuple[dict[str, Any], list[dict[str, Any]], dict[str, str]]]:
    study = forty_factor_study()
    section = study["structural_analysis"]
    sa = analyse_influence_matrices(section["factors"], section["matrices"], resamples=0)[
        "structural_analysis"
    ]
    keys = key_factor_decisions({"factors": study["factors"]}, sa)
    titles = {f["code"]: f["title"] for f in study["factors"]}
    return {"example": _example(), "forty": (dict(sa), list(keys), titles)}


def _charts(case: str) -> list[tuple[str, Any]]:
    data = sc.StructuralCharts(*_cases()[case])
    found: list[tuple[str, Any]] = []
    for basis in sc.PLANES:
        found.append((f"plane {basis}", (charts.plane_figure, data.plane(basis))))
    for basis in sc.DISPLACEMENTS:
        chart = data.displacement(basis)
        found.append((f"displacement {basis}", (charts.displacement_figure, chart)))
    for basis in ("direct", "indirect"):
        for share in sc.share_choices():
            chart = data.graph(basis, share)
            found.append((f"graph {basis} {share}", (charts.graph_figure, chart)))
    return found


@cache
def _svg(case: str, name: str, size: str) -> str:
    draw, chart = dict(_charts(case))[name]
    return charts.figure_svg(draw(chart, charts.chart_words("fr"), size, "fr"))


NAMES = [name for name, _ in _charts("example")]


@pytest.mark.slow
@pytest.mark.parametrize("case", ["example", "forty"])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", NAMES)
def test_no_two_texts_overlap(case: str, size: str, name: str) -> None:
    svg = _svg(case, name, size)
    texts = geometry.texts(svg)
    codes = {t.text for t in texts if t.text.startswith(("A", "F")) and t.text[1:].isdigit()}
    assert len(codes) == (20 if case == "example" else 40)  # every factor has its code
    assert geometry.overlapping(texts) == []


@pytest.mark.slow
@pytest.mark.parametrize("case", ["example", "forty"])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", NAMES)
def test_codes_leave_markers_and_the_box_free_and_stay_in_the_frame(
    case: str, size: str, name: str
) -> None:
    svg = _svg(case, name, size)
    frame = geometry.clip_rectangle(svg)
    codes = [t for t in geometry.texts(svg) if t.text[0] in "AF" and t.text[1:].isdigit()]
    for code in codes:
        x0, y0, x1, y1 = code.box
        assert geometry.inside(frame, code.box), code
        for mx, my in geometry.markers(svg):
            nx, ny = min(max(mx, x0), x1), min(max(my, y0), y1)
            assert (mx - nx) ** 2 + (my - ny) ** 2 >= 2.5**2, (code, mx, my)
    for box in geometry.dashed_boxes(svg, charts.BOX):
        assert geometry.inside(frame, box)
        crossing = [c.text for c in codes if geometry.crosses_sides(box, c.box)]
        assert crossing == []
    tolerance = 0.5
    for path in geometry.clipped_paths(svg):
        for x, y in path:
            assert frame[0] - tolerance <= x <= frame[2] + tolerance, (name, x, frame)
            assert frame[1] - tolerance <= y <= frame[3] + tolerance, (name, y, frame)


def test_the_selection_box_holds_the_rules_selection_on_each_plane() -> None:
    data = sc.StructuralCharts(*_cases()["example"])
    direct = data.plane("direct")
    assert sorted(direct["selection"]) == sorted(
        ["A1", "A6", "A7", "A8", "A11", "A13", "A15", "A19", "A20"]
    )
    potential = data.plane("potential_direct")
    # on the potential plane the rule picks A10, which the panel did not
    assert "A10" in potential["selection"]
    boxed = {p["code"] for p in potential["points"] if p["boxed"]}
    assert boxed == set(potential["selection"])
    marked = {p["code"] for p in potential["points"] if p["selected"]}
    assert "A10" not in marked
    assert {p["code"] for p in potential["points"] if p["added"]} == {"A16"}


def test_graph1_words_are_translated() -> None:
    assert charts.chart_words("fr")["influence"] == "Influence"
    assert charts.chart_words("fr")["dependence"] == "Dépendance"
    assert charts.chart_words("en")["mean_value"].format(value="25.2") == "mean 25.2"
