"""Downloads of the desk: every table of a results page as CSV and XLSX, aggregates only
(never an expert's answers), texts made safe for spreadsheets."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from anticipe.study.analysis import analyse_study
from anticipe.workshop.models import Study
from anticipe.workshop.study_format import export_study

PAGES = ("factor-vote", "structural-analysis", "hypotheses", "actions-and-impacts")


def download(client: Client, study: Study, page: str, fmt: str) -> Any:
    response = client.get(reverse("workshop:results_download", args=[study.pk, page, fmt]))
    assert response.status_code == 200
    return response


def csv_rows(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_of_the_factor_vote_has_the_cores_numbers(
    study: Study, facilitator_client: Client
) -> None:
    response = download(facilitator_client, study, "factor-vote", "csv")
    assert response["Content-Type"].startswith("text/csv")
    assert f"study-{study.pk}-factor-vote.csv" in response["Content-Disposition"]
    rows = csv_rows(response)
    vote = analyse_study(export_study(study))["factor_vote"]
    by_code = {row[2]: row for row in rows if len(row) > 5 and re.fullmatch(r"F\d", row[2])}
    for item in vote["ranking"]:
        row = by_code[item["factor"]]
        assert (int(row[0]), float(row[4]), int(row[5])) == (
            item["rank"],
            item["points"],
            item["support"],
        )
    assert [str(vote["concordance"]["w"])] == [r[0] for r in rows if r and r[0].startswith("0.3")]


def test_xlsx_has_a_sheet_per_table(study: Study, facilitator_client: Client) -> None:
    response = download(facilitator_client, study, "structural-analysis", "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    # the planes, the mean matrix, the disagreement, the parameters; the potential planes
    # and the links of the four graphs of influences
    assert len(workbook.sheetnames) == 9
    assert "Links, potential indirect plane" in workbook.sheetnames
    planes = workbook[workbook.sheetnames[0]]
    sa = analyse_study(export_study(study))["structural_analysis"]
    values = {row[0]: row for row in planes.iter_rows(min_row=2, values_only=True)}
    for code in sa["factors"]:
        # a spreadsheet keeps 15 significant digits
        assert values[code][2] == pytest.approx(sa["direct"]["influence"][code], rel=1e-14)
        assert values[code][7] == pytest.approx(sa["indirect"]["influence"][code], rel=1e-14)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloads_hold_no_individual_answer(
    page: str, fmt: str, study: Study, facilitator_client: Client
) -> None:
    """No expert code, name or sector, no ballot, matrix or vote of one expert."""
    study.experts.filter(code="E1").update(name="Zoe Canary", sector="Canary sector")
    response = download(facilitator_client, study, page, fmt)
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
    else:
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        text = "\n".join(
            ",".join("" if v is None else str(v) for v in row)
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
        )
    assert not re.search(r"\bE[123]\b", text)
    assert "Canary" not in text
    assert "académique" not in text  # the panel's sectors are not in the results


def test_iterations_download(study: Study, facilitator_client: Client) -> None:
    rows = csv_rows(download(facilitator_client, study, "iterations-hypothesis-vote", "csv"))
    assert rows[0][0]
    assert any(len(row) > 1 and row[1] == "F1-A" for row in rows)


def test_texts_cannot_run_as_formulas(study: Study, facilitator_client: Client) -> None:
    study.factors.filter(code="F1").update(title='=HYPERLINK("http://example.com","x")')
    rows = csv_rows(download(facilitator_client, study, "factor-vote", "csv"))
    titles = [row[3] for row in rows if len(row) > 3 and row[2] == "F1"]
    assert titles == ['\'=HYPERLINK("http://example.com","x")']
    response = download(facilitator_client, study, "factor-vote", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert len(cells) == 1
    assert cells[0].data_type == "s"
    assert str(cells[0].value).startswith("'=")
