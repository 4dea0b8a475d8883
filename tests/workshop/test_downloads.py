"""Downloads of the desk: every table of a results page as CSV and XLSX, aggregates only
(never an expert's answers), texts made safe for spreadsheets (no formula whichever
separator a spreadsheet reads the CSV with, no character that breaks a workbook), the CSV
in the page's language (French: ``;`` and a decimal comma)."""

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
from anticipe.workshop.downloads import csv_text, neutralise_pieces, xlsx_bytes
from anticipe.workshop.models import Study
from anticipe.workshop.results.tables import Table
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


# -- CSV: separators of the page's language, formulas neutralised after any separator ----------

HOSTILE = [
    "Tech;=1+1;",
    "a,=2+2",
    '=HYPERLINK("http://example.com","x")',
    "x\t=3",
    "x\r\n+4",
    'say "=5"',
    "@SUM(A1:A2)",
    "-6",
    " =7",
    "; -8",
    "Tech\x0bnology\x00",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def hostile_tables() -> list[Table]:
    rows = [[index, text, -0.5, 2.25, None, True] for index, text in enumerate(HOSTILE)]
    main = Table("main", "Main; table", ["n", "text", "score", "mean", "empty", "flag"], rows)
    second = Table("other", "=Second", ["parameter", "value"], [["seed", 2018]])
    return [main, second]


def is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def excel_cells(text: str, delimiter: str) -> list[str]:
    """Every cell a spreadsheet may make of the file read with `delimiter`: honouring the
    quotes (as Excel does), or not (splitting each line on the delimiter)."""
    quoted = [c for row in csv.reader(io.StringIO(text), delimiter=delimiter) for c in row]
    naive = [c for line in re.split(r"[\r\n]", text) for c in line.split(delimiter)]
    return quoted + naive + [c.strip('"') for c in naive]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_no_cell_starts_a_formula_whatever_the_separator_read(
    language: str, delimiter: str
) -> None:
    text = csv_text(hostile_tables(), language)
    formulas = [
        c
        for c in excel_cells(text, delimiter)
        if c.lstrip(" \u00a0").startswith(TRIGGERS) and not is_number(c)
    ]
    assert formulas == []


def test_neutralised_texts_keep_their_words() -> None:
    assert neutralise_pieces("Tech;=1+1;") == "Tech;'=1+1;"
    assert neutralise_pieces("\t=1") == "'\t'=1"
    assert neutralise_pieces("Jean-Pierre, 3 + 4 = 7") == "Jean-Pierre, 3 + 4 = 7"
    assert neutralise_pieces("a, -b") == "a,' -b"


def test_a_french_csv_opens_in_columns() -> None:
    data = csv_text(hostile_tables(), "fr")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert rows[0] == ["n", "text", "score", "mean", "empty", "flag"]  # no title above it
    assert all(len(row) == 6 for row in rows[1 : len(HOSTILE) + 1])
    assert rows[1][1] == "Tech;'=1+1;"
    assert rows[1][2:] == ["-0,5", "2,25", "", "yes"]
    assert rows[len(HOSTILE)][1] == "Technology"  # the control characters are left out
    assert rows[len(HOSTILE) + 1 :] == [[], ["'=Second"], ["parameter", "value"], ["seed", "2018"]]
    assert data.splitlines()[0] == '"n";"text";"score";"mean";"empty";"flag"'


def test_an_english_csv_has_commas_and_decimal_points() -> None:
    rows = list(csv.reader(io.StringIO(csv_text(hostile_tables(), "en"))))
    assert rows[0][0] == "n"
    assert rows[1][2:4] == ["-0.5", "2.25"]


def test_the_csv_download_follows_the_pages_language(
    study: Study, facilitator_client: Client
) -> None:
    url = reverse("workshop:results_download", args=[study.pk, "factor-vote", "csv"])
    french = facilitator_client.get(url, headers={"accept-language": "fr"})
    assert french.content.startswith(b'\xef\xbb\xbf"rang";')
    english = facilitator_client.get(url)
    assert english.content.startswith(b'\xef\xbb\xbf"rank",')


def test_xlsx_cells_stay_text_and_control_characters_do_not_break_it() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(hostile_tables())))
    sheet = workbook.worksheets[0]
    texts = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert texts[0] == "Tech;=1+1;"  # not a formula in a workbook: the cell is text
    assert texts[2] == '\'=HYPERLINK("http://example.com","x")'
    assert texts[-1] == "Technology"
    cells = [c for row in sheet.iter_rows() for c in row] + [
        c for row in workbook.worksheets[1].iter_rows() for c in row
    ]
    assert all(c.data_type != "f" for c in cells)
    assert workbook.sheetnames == ["Main; table", "=Second"]


def test_a_control_character_in_a_title_does_not_break_the_downloads(
    study: Study, facilitator_client: Client
) -> None:
    study.factors.filter(code="F1").update(title="Tech\x0bnology\x08")
    for fmt in ("csv", "xlsx"):
        response = download(facilitator_client, study, "factor-vote", fmt)
        if fmt == "xlsx":
            sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
            assert "Technology" in [c for row in sheet.iter_rows(values_only=True) for c in row]
        else:
            assert "Technology" in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("page", PAGES)
def test_a_simulated_studys_downloads_say_so_first(
    page: str, example: Study, study: Study, facilitator_client: Client
) -> None:
    # the example's answers are partly simulated: the file says it on its first lines, as
    # the page says it above its figures; a study of real answers says nothing of the kind
    assert example.simulation
    rows = csv_rows(download(facilitator_client, example, page, "csv"))
    assert rows[0] == ["Simulated data"]
    assert rows[1][0].startswith("Simulated answers. Some answers of this study were generated")
    workbook = openpyxl.load_workbook(
        io.BytesIO(download(facilitator_client, example, page, "xlsx").content)
    )
    assert workbook.sheetnames[0] == "Simulated data"
    assert not study.simulation
    real = csv_rows(download(facilitator_client, study, page, "csv"))
    assert "Simulated data" not in {cell for row in real for cell in row}
