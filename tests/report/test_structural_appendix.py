"""The report's appendix on the potential planes and the graphs of influences."""

from __future__ import annotations

from typing import Any

import pytest

from anticipe.method.influence_graph import analysis_graphs
from anticipe.method.structural_analysis import plane_selections
from anticipe.report.structural_appendix import (
    REPORT_SHARE,
    chart_png,
    document_parts,
    structural_appendix,
)
from anticipe.study.analysis import analyse_study
from tests.report.readback import docx_document, docx_text, pdf_text, squash


def test_the_appendix_holds_the_cores_planes_and_graphs(
    example_study: dict[str, Any], example_context: dict[str, Any]
) -> None:
    appendix = example_context["structural_appendix"]
    sa = analyse_study(example_study, resamples=0)["structural_analysis"]
    assert sa is not None
    selections = plane_selections(sa)
    assert [p["basis"] for p in appendix["planes"]] == ["potential_direct", "potential_indirect"]
    for plane in appendix["planes"]:
        assert plane["selection"] == selections[plane["basis"]]["selected"]
        assert plane["title"] in ("plan direct potentiel", "plan indirect potentiel")
    graphs = analysis_graphs(sa, share=REPORT_SHARE)
    for graph in appendix["graphs"]:
        expected = graphs[graph["basis"]]["links"]
        assert [(r["source"], r["target"]) for r in graph["links"]] == [
            (link["source"], link["target"]) for link in expected
        ]
        assert graph["sentence"].startswith(f"Les {len(expected)} liens les plus forts (10\u00a0%")
    rows = {r["code"]: r for r in appendix["potential_rows"]}
    assert rows["A10"]["potential_direct"]["selected"] is True
    assert rows["A16"]["key_origin"] == "addition"


def test_no_appendix_without_influence_matrices() -> None:
    assert structural_appendix({"structural_analysis": None}, {}, [], "fr") is None


def test_the_html_report_draws_the_appendix_charts(rendered: Any) -> None:
    html = rendered("example", "html").decode()
    appendix = html[html.index('id="appendix"') :]
    # the two potential planes, the displacement, the direct and indirect graphs
    assert appendix.count("<svg") == 5
    assert "<style" not in appendix  # inline SVG: no rule reaching the whole page
    assert "Graphes des influences" in appendix
    assert "Facteur influent" in appendix


def test_the_appendix_charts_have_a_png_for_documents(example_context: dict[str, Any]) -> None:
    graph = example_context["structural_appendix"]["graphs"][0]["chart"]
    assert chart_png(graph, "fr", dpi=50).startswith(b"\x89PNG")


@pytest.mark.slow
def test_the_pdf_report_has_the_appendix(rendered: Any) -> None:
    text, _pages = pdf_text(rendered("example", "pdf"))
    flat = squash(text)
    for words in ("Plans potentiels", "Graphes des influences", "Plan direct potentiel"):
        assert squash(words) in flat, words


@pytest.mark.slow
def test_the_docx_report_has_the_appendix_charts_and_links(
    rendered: Any, example_context: dict[str, Any]
) -> None:
    parts = document_parts(example_context)
    kinds = [kind for kind, _part in parts]
    assert kinds.count("picture") == 4  # two potential planes, two graphs
    assert kinds.count("table") == 2
    document = docx_document(rendered("example", "docx"))
    text = docx_text(document)
    assert "Graphes des influences" in text
    assert "Plan direct potentiel." in text
    links = example_context["structural_appendix"]["graphs"][1]["links"]
    assert len(links) + 1 in [len(t.rows) for t in document.tables]
