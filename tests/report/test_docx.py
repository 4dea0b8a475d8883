"""The Word report: real headings, a table of contents, the study's language, real tables,
the chart as a picture, no running header on the cover."""

from __future__ import annotations

from typing import Any

from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from anticipe.presentation import typography
from tests.report.readback import docx_document, docx_text


def table_headed(document: Any, first_header: str) -> Any:
    for table in document.tables:
        if table.rows[0].cells[0].text == first_header:
            return table
    raise AssertionError(f"no table headed {first_header!r}")


def test_example_docx_structure(rendered: Any, example_context: dict[str, Any]) -> None:
    document = docx_document(rendered("example", "docx"))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    for entry in example_context["outline"]:  # numbered as the PDF and its contents
        level = "Heading 1" if entry["level"] == 1 else "Heading 2"
        assert (level, entry["heading"]) in headings
    assert any(
        p.style.name == "Title" and p.text == "Médiateur numérique, un métier d’avenir\u202f?"
        for p in document.paragraphs
    )
    # Graph 1, and in the appendix the two potential planes and the two graphs of influences
    assert len(document.inline_shapes) == 5
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer  # page numbers are fields
    first_row = table_headed(document, "Code")._tbl.tr_lst[0]
    assert first_row.xpath("./w:trPr/w:tblHeader")  # the header row repeats on each page


def test_docx_has_a_contents_field_the_language_and_no_header_on_the_cover(
    rendered: Any,
) -> None:
    document = docx_document(rendered("example", "docx"))
    body = document.element.body.xml
    assert 'TOC \\o "1-2"' in body
    assert document.settings.element.find(qn("w:updateFields")) is not None
    lang = next(document.styles.element.find(qn("w:docDefaults")).iter(qn("w:lang")))
    assert lang.get(qn("w:val")) == "fr-FR"
    assert document.core_properties.language == "fr-FR"
    cover = document.sections[0]
    assert cover.different_first_page_header_footer
    assert not cover.first_page_header.paragraphs[0].text
    assert cover.header.paragraphs[0].text  # the running title on the other pages
    orientations = [s.orientation for s in document.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]


def test_example_docx_tables_hold_the_facts(
    rendered: Any, example_context: dict[str, Any], example_study: dict[str, Any]
) -> None:
    document = docx_document(rendered("example", "docx"))
    text = docx_text(document)
    for r in example_context["scenario"]["retained"]:
        assert typography(r["text"], "fr") in text
    retained = {r["hypothesis"] for r in example_context["scenario"]["retained"]}
    for a in example_study["actions"]:
        if a["hypothesis"] in retained:
            assert typography(a["text"], "fr") in text
    counts = table_headed(document, "Rang")
    found = {row.cells[1].text: row.cells[2].text for row in counts.rows[1:]}
    for a in example_context["key_activities"]:
        assert found[f"{a['code']}. {a['title']}"] == str(a["count"])
    grid = table_headed(document, "Facteur")
    cells = [cell for row in grid.rows[1:] for cell in row.cells[1:]]
    bold = [c for c in cells if any(r.bold for r in c.paragraphs[0].runs[-1:])]
    assert len(bold) == 10  # the retained hypothesis of each factor, in bold
    assert all("[★]" in c.text for c in bold)


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
    lang = next(document.styles.element.find(qn("w:docDefaults")).iter(qn("w:lang")))
    assert lang.get(qn("w:val")) == "en-GB"


def test_docx_footnotes_follow_their_chapter(rendered: Any) -> None:
    document = docx_document(rendered("example", "docx"))
    notes = [p.text for p in document.paragraphs if p.style.name == "Footnote"]
    assert [n.split(".", 1)[0] for n in notes] == [str(k) for k in range(1, 27)]
    assert notes[25].startswith("26.\u00a0Profa")


def test_a_note_called_by_a_note_is_listed_too() -> None:
    import docx as python_docx
    from docx.enum.style import WD_STYLE_TYPE

    from anticipe.report.docx_markdown import WordNotes, add_markdown

    document = python_docx.Document()
    document.styles.add_style("Footnote", WD_STYLE_TYPE.PARAGRAPH)
    text = "Text[^a].\n\n[^a]: A note[^b].\n\n[^b]: Its own note."
    add_markdown(document, text, document.styles.__getitem__, language="en", notes=WordNotes())
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[-2:] == ["1.\u00a0A note2.", "2.\u00a0Its own note."]


def test_a_table_row_is_the_xml_python_docx_writes(example_context: dict[str, Any]) -> None:
    """The report writes its table rows as XML at once (for speed): the same elements as
    python-docx's add_row, cells and add_run, tabs, line breaks, spaces and markup
    characters included, and an empty value without a run."""
    from docx.oxml import OxmlElement

    from anticipe.report.docx import _Word

    values = ["A1", " lead & <trail> ", "", "tab\there\nline\r\nend", "« guillemets » : oui"]
    word = _Word(example_context)
    ours = word.table(["a", "b", "c", "d", "e"], [1.0, 2.0, 3.0, 2.5, 4.0])
    theirs = word.table(["a", "b", "c", "d", "e"], [1.0, 2.0, 3.0, 2.5, 4.0])
    row = word.row(ours, values)
    expected = theirs.add_row()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    expected._tr.get_or_add_trPr().append(cant_split)
    for cell, value in zip(expected.cells, values, strict=True):
        if value:
            cell.paragraphs[0].add_run(word.typeset(value))
    assert row._tr.xml == expected._tr.xml
    assert [cell.text for cell in row.cells] == [cell.text for cell in expected.cells]
    assert row.cells[1].text == word.typeset(values[1])
    assert row.table is ours
