"""The Word report: real headings, real tables, the chart as a picture."""

from __future__ import annotations

from typing import Any

from tests.report.readback import docx_document, docx_text


def _table_with_header(document: Any, first_header: str, second_header: str) -> Any:
    for table in document.tables:
        cells = table.rows[0].cells
        if len(cells) >= 2 and cells[0].text == first_header and cells[1].text == second_header:
            return table
    raise AssertionError(f"no table headed {first_header!r}, {second_header!r}")


def test_example_docx_structure(rendered: Any, example_context: dict[str, Any]) -> None:
    document = docx_document(rendered("example", "docx"))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", "Partie 1 – Synthèse des résultats") in headings
    assert ("Heading 1", "Partie 2 – La démarche et les résultats pas à pas") in headings
    assert ("Heading 2", "4. Les évolutions probables et souhaitables") in headings
    assert ("Heading 1", "Annexe méthodologique") in headings
    assert any(
        p.style.name == "Title" and p.text == "Médiateur numérique" for p in document.paragraphs
    )
    # Graph 1, and in the appendix the two potential planes and the two graphs of influences
    assert len(document.inline_shapes) == 5
    notice = document.tables[0].rows[0].cells[0].text
    assert "RÉPONSES SIMULÉES" in notice
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer  # page numbers are fields
    assert "NUMPAGES" in footer
    assert len(document.tables) >= 8
    # the header row repeats on each page
    first_row = document.tables[1].rows[0]._tr
    assert first_row.xpath("./w:trPr/w:tblHeader")


def test_example_docx_tables_hold_the_facts(
    rendered: Any, example_context: dict[str, Any], example_study: dict[str, Any]
) -> None:
    document = docx_document(rendered("example", "docx"))
    text = docx_text(document)
    for f in example_context["factors"]:
        assert f["title"] in text
    for r in example_context["scenario"]["retained"]:
        assert r["text"] in text
    for a in example_study["actions"]:
        if a["hypothesis"] in {r["hypothesis"] for r in example_context["scenario"]["retained"]}:
            assert a["text"] in text
    counts = _table_with_header(document, "Activité", "Hypothèses qui l'impactent")
    found = {row.cells[0].text: row.cells[1].text for row in counts.rows[1:]}
    for a in example_context["impacts"]["activities"]:
        assert found[f"{a['code']}. {a['title']}"] == str(a["count"])
    hypotheses = _table_with_header(document, "", "Hypothèse")
    hypothesis_rows = [row for row in hypotheses.rows[1:] if row.cells[0].text != row.cells[1].text]
    assert len(hypothesis_rows) == sum(len(g["hypotheses"]) for g in example_context["hypotheses"])
    retained_rows = [row for row in hypothesis_rows if row.cells[1].paragraphs[0].runs[0].bold]
    assert len(retained_rows) == 10  # retained: bold, and spelled out
    assert all("retenue" in row.cells[1].text for row in retained_rows)


def test_docx_markdown_synthesis_and_unusual_study(rendered: Any) -> None:
    document = docx_document(rendered("unusual", "docx"))
    text = docx_text(document)
    assert "Digital mediator" in text
    assert "No action has been proposed yet." in text
    styles = {p.style.name for p in document.paragraphs}
    assert {"List Bullet", "List Paragraph", "Quote"} <= styles
    numbered = [p.text for p in document.paragraphs if p.style.name == "List Paragraph"]
    assert "1.\u00a0first" in numbered
    assert "2.\u00a0second" in numbered
    strong = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "strong" in strong
    assert "<img src=x onerror=alert(1)>" in text  # shown as text, nothing to interpret
    assert len(document.inline_shapes) == 5  # Graph 1 and the appendix' four charts
