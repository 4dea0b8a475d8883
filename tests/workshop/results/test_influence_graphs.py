"""The structural page's potential planes and graphs of influences, and the structural
analysis' charts as SVG images: the core's numbers, the facilitator's choice of graph,
the downloads."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse

from anticipe.method.influence_graph import analysis_graphs
from anticipe.method.structural_analysis import plane_selections
from anticipe.study.analysis import analyse_study
from anticipe.workshop.models import Round, Study
from anticipe.workshop.results import influence_graphs, study_results
from anticipe.workshop.study_format import export_study
from tests.workshop.support import shown_float, shown_values


def _page(client: Any, study: Study, query: str = "") -> str:
    url = reverse("workshop:results_structure", args=[study.pk]) + query
    response = client.get(url)
    assert response.status_code == 200
    return str(response.content.decode())


@pytest.fixture(params=["study", "example"])
def shown_study(request: pytest.FixtureRequest) -> Study:
    """The small study and the example, in turn."""
    found: Study = request.getfixturevalue(request.param)
    return found


def test_the_potential_planes_are_the_cores(shown_study: Study, facilitator_client: Any) -> None:
    sa = analyse_study(export_study(shown_study))["structural_analysis"]
    assert sa is not None
    shown = shown_values(_page(facilitator_client, shown_study))
    selections = plane_selections(sa)
    for code in sa["factors"]:
        for plane in ("potential_direct", "potential_indirect"):
            for axis in ("influence", "dependence"):
                values = sa[plane][axis]  # type: ignore[literal-required]
                assert shown_float(shown, f"{plane}.{code}.{axis}") == values[code]
            selected = code in selections[plane]["selected"]
            assert (f"{plane}.selection.{code}" in shown) is selected
        for axis in ("influence", "dependence"):
            shift = sa["potential_displacement"][code][axis]  # type: ignore[literal-required]
            assert shown_float(shown, f"potential_displacement.{code}.{axis}") == shift


def test_the_example_shows_a10_selected_on_the_potential_direct_plane_only(
    example: Study, facilitator_client: Any
) -> None:
    shown = shown_values(_page(facilitator_client, example))
    assert "potential_direct.selection.A10" in shown
    assert "selection.A10" not in shown  # the direct plane's selection: the nine


@pytest.mark.parametrize(
    ("query", "plane", "share"),
    [
        ("", "direct", 0.10),
        ("?graph=indirect&share=25", "indirect", 0.25),
        ("?graph=potential_direct&share=5", "potential_direct", 0.05),
        ("?graph=nonsense&share=33", "direct", 0.10),  # unknown choices: the default
    ],
)
def test_the_chosen_graph_lists_the_cores_links(
    example: Study, facilitator_client: Any, query: str, plane: str, share: float
) -> None:
    sa = analyse_study(export_study(example))["structural_analysis"]
    assert sa is not None
    graph = analysis_graphs(sa, share=share)[plane]
    page = _page(facilitator_client, example, query)
    shown = shown_values(page)
    links = {key: value for key, value in shown.items() if key.startswith("graph.")}
    assert len(links) == len(graph["links"])
    for link in graph["links"]:
        key = f"graph.{plane}.{link['source']}.{link['target']}"
        assert shown_float(shown, key) == link["weight"]
    image = reverse("workshop:results_graph", args=[example.pk, plane, round(share * 100)])
    assert f'src="{image}"' in page
    assert f'srcset="{image}?size=narrow"' in page
    assert f'<option value="{plane}" selected>' in page


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("results_map", ["potential_indirect"]),
        ("results_displacement", ["potential_indirect"]),
        ("results_graph", ["indirect", 5]),
    ],
)
def test_the_charts_are_svg_images_in_two_sizes(
    example: Study, facilitator_client: Any, name: str, args: list[Any]
) -> None:
    url = reverse(f"workshop:{name}", args=[example.pk, *args])
    wide = facilitator_client.get(url)
    narrow = facilitator_client.get(url + "?size=narrow")
    for response in (wide, narrow):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("image/svg+xml")
        assert response.content.startswith(b"<svg")
    assert b'width="482pt"' in wide.content
    assert b'width="288pt"' in narrow.content
    saved = facilitator_client.get(url + "?download=1")
    assert "attachment" in saved["Content-Disposition"]


def test_the_charts_speak_the_pages_language(example: Study, facilitator_client: Any) -> None:
    """English here (the tests' pages are in English), French once the reader chooses it:
    each language's drawing is cached on its own."""
    url = reverse("workshop:results_map", args=[example.pk, "potential_direct"])
    english = html.unescape(facilitator_client.get(url).content.decode())
    assert "Dependence" in english
    assert "mean" in english
    facilitator_client.cookies.load({"django_language": "fr"})
    french = html.unescape(facilitator_client.get(url).content.decode())
    assert "Dépendance" in french
    assert "moyenne" in french


def test_no_chart_without_a_closed_influence_round(study: Study, facilitator_client: Any) -> None:
    study.rounds.filter(step=Round.Step.INFLUENCE).delete()
    url = reverse("workshop:results_graph", args=[study.pk, "direct", 10])
    assert facilitator_client.get(url).status_code == 404


def test_the_downloads_hold_the_potential_planes_and_the_graphs(example: Study) -> None:
    tables = {t.key: t for t in influence_graphs.structural_tables(study_results(example))}
    assert set(tables) == {
        "potential_planes",
        "graph_direct",
        "graph_indirect",
        "graph_potential_direct",
        "graph_potential_indirect",
    }
    assert len(tables["potential_planes"].rows) == 20
    sa = study_results(example).analysis["structural_analysis"]
    graph = analysis_graphs(sa, share=0.25)["indirect"]
    assert [row[1:3] for row in tables["graph_indirect"].rows] == [
        [link["source"], link["target"]] for link in graph["links"]
    ]
