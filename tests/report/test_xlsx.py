"""The workbook: a sheet per table, the data, and no formula injection."""

from __future__ import annotations

from typing import Any

from anticipe.presentation import typography
from anticipe.report.xlsx import neutralise
from tests.report.readback import workbook, workbook_values


def test_example_workbook_sheets_and_facts(
    rendered: Any, example_context: dict[str, Any], example_study: dict[str, Any]
) -> None:
    wb = workbook(rendered("example", "xlsx"))
    assert wb.sheetnames == [
        "Rapport", "Les activités clés", "Tableau 1", "Tableau 2", "Graphique 1",
        "Tableau 3", "Tableau 4", "Tableau 5", "Impacts par activité", "Tableau 6", "Tableau 7",
        "Tableau 9", "Tableau 10", "Données",
    ]  # fmt: skip
    values = set(workbook_values(wb))
    assert "Médiateur numérique" in values
    assert "mai 2018" in values
    for f in example_context["factors"]:
        assert typography(f["title"], "fr") in values
    counts = wb["Impacts par activité"]
    found = {row[0]: row[2] for row in counts.iter_rows(min_row=2, values_only=True)}
    assert found["3"] == 7
    sheet3 = wb["Tableau 3"]
    header = [c.value for c in sheet3[1]]
    retained_col = header.index("retenue")
    retained = [row for row in sheet3.iter_rows(min_row=2, values_only=True) if row[retained_col]]
    assert len(retained) == 10
    data = wb["Données"]
    rows = list(data.iter_rows(min_row=2, values_only=True))
    assert ("impacts", "3", "count", 7) in rows
    assert any(r[0] == "disagreement" and r[2] == "selection_probability" for r in rows)


def test_workbook_headers_are_translated_numbers_rounded_and_no_column_empty(
    rendered: Any,
) -> None:
    wb = workbook(rendered("example", "xlsx"))
    header = [c.value for c in wb["Tableau 3"][1]]
    assert "Probabilité\u00a0: médiane" in header
    assert not [h for h in header if "median" in str(h)]
    for ws in wb.worksheets[1:-1]:  # the data sheet keeps the analysis' values
        columns = list(ws.iter_cols(min_row=2, values_only=True))
        for number, column in enumerate(columns, start=1):
            assert any(v not in (None, "") for v in column), (ws.title, number)
        for column in columns:
            for value in column:
                if isinstance(value, float):
                    assert value == round(value, 2), (ws.title, value)


def test_neutralise() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+33 1") == "'+33 1"
    assert neutralise("-x") == "'-x"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\t=1") == "'\t=1"
    assert neutralise("plain = text") == "plain = text"
    assert neutralise(3) == 3
    assert neutralise(None) is None


def test_no_cell_can_run_as_a_formula(rendered: Any) -> None:
    wb = workbook(rendered("unusual", "xlsx"))
    cells = [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    job = [c for c in cells if isinstance(c.value, str) and "Digital mediator" in c.value]
    assert job
    assert all(c.value.startswith("'=HYPERLINK") for c in job)
    hypotheses = [c for c in cells if isinstance(c.value, str) and c.value.startswith("'-")]
    assert hypotheses  # the hypotheses' texts start with "-" in that study
    assert all(c.data_type == "s" for c in hypotheses)
    for c in cells:
        if isinstance(c.value, str):
            assert not c.value.startswith(("=", "+", "-", "@")), c.coordinate
