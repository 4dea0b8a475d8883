"""The expert's influence matrix: one factor at a time, the whole grid, and the XLSX filled
offline."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from anticipe.study.template import write_matrix_template
from anticipe.workshop.models import Expert, InfluenceScore, Round, Study
from tests.workshop.support import HTMX, NB, first_round, page_url, text, url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def matrix(study: Study) -> Round:
    return first_round(study, Round.Step.INFLUENCE, {"factors": ["F1", "F2", "F3"]})


def scores(round_: Round, expert: Expert) -> dict[tuple[str, str], str]:
    return {
        (s.source.code, s.target.code): s.value
        for s in InfluenceScore.objects.filter(round=round_, expert=expert).select_related(
            "source", "target"
        )
    }


def save_cell(
    client: Client, round_: Round, source: str, target: str, value: str, **extra: str
) -> Any:
    return client.post(
        url("expert_matrix_cell_save", round_),
        {"source": source, "target": target, "value": value},
        **extra,
    )


# -- one factor at a time -----------------------------------------------------------------------


def test_one_factor_at_a_time_with_radio_groups(matrix: Round, expert_client: Client) -> None:
    page = text(expert_client.get(page_url(matrix)))
    assert "Factor 1 of 3" in page
    assert "How strongly does F1 “Évolution technologique” influence each of these factors?" in page
    assert 'id="cell-F2"' in page
    assert 'id="cell-F3"' in page
    assert 'id="cell-F1"' not in page  # not on itself
    assert 'id="cell-F4"' not in page  # not in this round's matrix
    # Keyboard and screen readers: a fieldset and legend per question, a label per button.
    # On a phone each button shows its value, its word read by screen readers (and shown on
    # a large screen); the legend is read, the line's title shown (issue 12).
    assert page.count('<fieldset class="scale short" aria-labelledby="t-') == 2
    assert '<p class="line-title" id="t-F2"><b>F2</b> Financement</p>' in page
    assert '<fieldset class="scale short" aria-labelledby="t-F2">' in page
    for value, words in [
        ("0", "none"),
        ("3", "strong"),
        ("P", "potential"),
        ("?", "don&#x27;t know"),
    ]:
        assert re.search(
            rf'<input type="radio" name="value" value="{re.escape(value)}" id="(v-F2-\d)">'
            rf'<label for="\1">{re.escape(value)}<span> {words}</span></label>',
            page,
        ), value
    assert 'href="?factor=F2" rel="next"' in page
    assert 'rel="prev"' not in page
    second = text(expert_client.get(page_url(matrix) + "?factor=F2"))
    assert "Factor 2 of 3" in second
    assert 'id="cell-F1"' in second
    assert 'href="?factor=F1" rel="prev"' in second
    assert 'href="?factor=F3" rel="next"' in second


def test_the_page_opens_on_the_first_factor_left_to_answer(
    matrix: Round, expert: Expert, expert_client: Client
) -> None:
    save_cell(expert_client, matrix, "F1", "F2", "1")
    save_cell(expert_client, matrix, "F1", "F3", "2")
    page = text(expert_client.get(page_url(matrix)))
    assert "Factor 2 of 3" in page
    assert "2 of 6 answers given" in page
    assert "✓ 2/2" in page  # F1 done, in the list of all factors


def test_cell_save_with_htmx_returns_the_saved_state_and_progress(
    matrix: Round, expert: Expert, expert_client: Client
) -> None:
    response = save_cell(expert_client, matrix, "F1", "F2", "3", **HTMX)
    assert response.status_code == 200
    partial = text(response)
    assert "<html" not in partial
    assert "✓ Saved" in partial
    assert (
        '<div id="round-progress" class="round-progress" role="status" hx-swap-oob="true">'
        in partial
    )
    assert "1 of 6 answers given" in partial
    assert 'id="factor-done"' in partial
    assert "1 of 2 answered for this factor" in partial
    assert scores(matrix, expert) == {("F1", "F2"): "3"}


def test_cell_revised_until_the_round_closes(
    matrix: Round, expert: Expert, expert_client: Client
) -> None:
    save_cell(expert_client, matrix, "F1", "F2", "3", **HTMX)
    save_cell(expert_client, matrix, "F1", "F2", "p", **HTMX)
    assert scores(matrix, expert) == {("F1", "F2"): "P"}
    assert InfluenceScore.objects.filter(round=matrix, expert=expert).count() == 1
    page = text(expert_client.get(page_url(matrix) + "?factor=F1"))
    assert re.search(r'value="P" id="v-F2-5" checked', page)


def test_cell_save_without_javascript_goes_back_to_the_question(
    matrix: Round, expert_client: Client
) -> None:
    response = save_cell(expert_client, matrix, "F2", "F3", "?")
    assert response.status_code == 302
    assert response["Location"] == page_url(matrix) + "?factor=F2#cell-F3"


@pytest.mark.parametrize(
    ("source", "target", "value", "message"),
    [
        ("F1", "F2", "4", "is not an answer"),
        ("F1", "F2", "", "is not an answer"),
        ("F1", "F2", "strong", "is not an answer"),
        ("F1", "F4", "1", "not in the matrix of this round"),  # F4: not in the round
        ("F1", "F1", "1", "not in the matrix of this round"),
        ("ZZ", "F1", "1", "not in the matrix of this round"),
    ],
)
def test_cell_save_refuses_invalid_answers(
    matrix: Round,
    expert: Expert,
    expert_client: Client,
    source: str,
    target: str,
    value: str,
    message: str,
) -> None:
    response = save_cell(expert_client, matrix, source, target, value, **HTMX)
    assert response.status_code == 400
    assert message in text(response)
    assert 'role="alert"' in text(response)
    assert scores(matrix, expert) == {}


def test_closed_matrix_refuses_with_409_and_keeps_earlier_answers(
    matrix: Round, expert: Expert, expert_client: Client
) -> None:
    save_cell(expert_client, matrix, "F1", "F2", "2", **HTMX)
    matrix.close()
    response = save_cell(expert_client, matrix, "F1", "F2", "3", **HTMX)
    assert response.status_code == 409
    # The message goes beside the answer (the line's status, the form's target) and, out of
    # band, at the top of the page (issue 12).
    assert "HX-Retarget" not in response
    assert text(response).startswith(
        '<span class="error" role="alert">Not saved: this round closed meanwhile.'
    )
    assert '<div id="round-notice" hx-swap-oob="innerHTML">' in text(response)
    assert "This round is closed; your earlier answers are kept." in text(response)
    assert scores(matrix, expert) == {("F1", "F2"): "2"}
    page = text(expert_client.get(page_url(matrix) + "?factor=F1"))
    assert "This round is closed; your earlier answers are kept." in page
    assert '<fieldset class="scale short" aria-labelledby="t-F2" disabled>' in page
    assert "hx-post" not in page
    assert re.search(r'value="2" id="v-F2-3" checked', page)
    assert "Send the file" not in page


def test_matrix_falls_back_on_the_shortlist(study: Study, expert_client: Client) -> None:
    round_ = first_round(study, Round.Step.INFLUENCE)
    page = text(expert_client.get(page_url(round_)))
    assert "Factor 1 of 3" in page  # F1, F2, F3 were shortlisted
    assert 'id="cell-F4"' not in page


# -- the whole grid -------------------------------------------------------------------------------


def test_grid_shows_own_answers_and_saves_many_cells(
    matrix: Round, expert: Expert, expert_client: Client
) -> None:
    save_cell(expert_client, matrix, "F2", "F1", "1")
    page = text(expert_client.get(url("expert_matrix_grid", matrix)))
    assert 'data-codes="F1 F2 F3"' in page
    assert '<input name="c1-0" aria-label="F2 → F1" value="1">' in page
    assert '<input name="c0-1" aria-label="F1 → F2">' in page
    assert 'name="c0-0"' not in page  # the diagonal
    response = expert_client.post(
        url("expert_matrix_save", matrix),
        {"c0-1": "3", "c0-2": " p ", "c1-0": "", "c2-0": "?", "c0-0": "9"},
    )
    assert response.status_code == 302
    assert scores(matrix, expert) == {
        ("F1", "F2"): "3",
        ("F1", "F3"): "P",
        ("F2", "F1"): "1",  # an empty cell leaves the answer as it was
        ("F3", "F1"): "?",
    }


def test_grid_save_with_a_wrong_cell_saves_nothing(
    matrix: Round, expert: Expert, expert_client: Client
) -> None:
    response = expert_client.post(
        url("expert_matrix_save", matrix), {"c0-1": "3", "c2-1": "x", "c9-0": "1"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "F3 → F2: “x” is not an answer" in page
    assert "not in the matrix of this round" in page
    assert 'value="x"' in page  # what was typed is kept on the page to be corrected
    assert scores(matrix, expert) == {}


def test_grid_of_a_closed_round_is_read_only(
    matrix: Round, expert: Expert, expert_client: Client
) -> None:
    save_cell(expert_client, matrix, "F1", "F3", "0")
    matrix.close()
    page = text(expert_client.get(url("expert_matrix_grid", matrix)))
    # every cell is inside a disabled fieldset (read-only), its answer shown
    grid = re.search(r"<fieldset[^>]*\bdisabled\b[^>]*>(.*?)</fieldset>", page, re.S)
    assert grid is not None
    assert len(re.findall(r'<input name="c\d+-\d+"', grid.group(1))) == 6  # 3 factors
    assert re.search(r'<input name="c0-2" aria-label="F1 → F3" value="0"', grid.group(1))
    assert "Save the matrix" not in page
    response = expert_client.post(url("expert_matrix_save", matrix), {"c0-2": "3"})
    assert response.status_code == 302
    assert scores(matrix, expert) == {("F1", "F3"): "0"}


# -- the XLSX template and its upload -------------------------------------------------------------


def test_download_the_blank_template_for_this_expert(matrix: Round, expert_client: Client) -> None:
    response = expert_client.get(url("expert_matrix_template", matrix))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="anticipe-matrix-E1.xlsx"' in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "E1" in workbook.sheetnames
    sheet = workbook["E1"]
    assert [sheet.cell(row=1, column=c).value for c in (3, 4, 5)] == ["F1", "F2", "F3"]
    assert sheet["B3"].value == "Financement"
    assert sheet["C3"].value is None  # blank


def filled_template(folder: Path, cells: dict[str, object]) -> SimpleUploadedFile:
    path = write_matrix_template(
        folder / "mine.xlsx",
        [("F1", "Évolution technologique"), ("F2", "Financement"), ("F3", "Public précarisé")],
        expert="E1",
        language="fr",
    )
    workbook = openpyxl.load_workbook(path)
    for cell, value in cells.items():
        workbook["E1"][cell] = value
    workbook.save(path)
    return SimpleUploadedFile("mine.xlsx", path.read_bytes(), content_type=XLSX)


def test_upload_round_trip(
    matrix: Round, expert: Expert, expert_client: Client, tmp_path: Path
) -> None:
    save_cell(expert_client, matrix, "F3", "F2", "1")  # answered here, empty in the file
    # Rows 2-4: F1, F2, F3; columns C, D, E: F1, F2, F3.
    upload = filled_template(tmp_path, {"D2": 3, "E2": "P", "C3": 0, "E3": 2, "C4": "1"})
    response = expert_client.post(url("expert_matrix_upload", matrix), {"matrix": upload})
    assert response.status_code == 302
    assert scores(matrix, expert) == {
        ("F1", "F2"): "3",
        ("F1", "F3"): "P",
        ("F2", "F1"): "0",
        ("F2", "F3"): "2",
        ("F3", "F1"): "1",
        ("F3", "F2"): "1",  # empty in the file: the answer given here is kept
    }
    page = text(expert_client.get(response["Location"]))
    assert "Your file is read: 5 answers saved." in page
    assert "6 of 6 answers given" in page


def test_upload_empty_cells_mean_dont_know(
    matrix: Round, expert: Expert, expert_client: Client, tmp_path: Path
) -> None:
    upload = filled_template(tmp_path, {"D2": 2})
    expert_client.post(url("expert_matrix_upload", matrix), {"matrix": upload})
    answers = scores(matrix, expert)
    assert answers[("F1", "F2")] == "2"
    assert answers[("F2", "F3")] == "?"
    assert len(answers) == 6


def test_upload_with_a_bad_cell_reports_it_and_saves_nothing(
    matrix: Round, expert: Expert, expert_client: Client, tmp_path: Path
) -> None:
    save_cell(expert_client, matrix, "F1", "F2", "1")
    upload = filled_template(tmp_path, {"D2": 3, "C4": 7, "E3": "beaucoup"})
    response = expert_client.post(url("expert_matrix_upload", matrix), {"matrix": upload})
    assert response.status_code == 400
    page = text(response)
    assert "Nothing was saved" in page
    assert "cell C4</strong>: 7 is out of range" in page
    assert "cell E3</strong>: &#x27;beaucoup&#x27; is not an influence" in page
    assert "sheet &#x27;E1&#x27;" in page
    assert "upload.xlsx" not in page  # no server path
    assert "anticipe-" not in page
    assert scores(matrix, expert) == {("F1", "F2"): "1"}


def test_upload_of_something_else_than_a_workbook(
    matrix: Round, expert: Expert, expert_client: Client
) -> None:
    upload = SimpleUploadedFile("notes.xlsx", b"just some text", content_type=XLSX)
    response = expert_client.post(url("expert_matrix_upload", matrix), {"matrix": upload})
    assert response.status_code == 400
    assert "not an Excel workbook" in text(response)
    response = expert_client.post(url("expert_matrix_upload", matrix), {})
    assert response.status_code == 400
    assert "Choose the file to send first." in text(response)
    assert scores(matrix, expert) == {}


def test_upload_with_a_factor_of_another_matrix(
    matrix: Round, expert: Expert, expert_client: Client, tmp_path: Path
) -> None:
    upload = filled_template(tmp_path, {"E1": "F4"})
    response = expert_client.post(url("expert_matrix_upload", matrix), {"matrix": upload})
    assert response.status_code == 400
    assert "cell E1</strong>: unknown factor &#x27;F4&#x27;" in text(response)
    assert scores(matrix, expert) == {}


def test_upload_after_the_round_closed_is_refused(
    matrix: Round, expert: Expert, expert_client: Client, tmp_path: Path
) -> None:
    matrix.close()
    upload = filled_template(tmp_path, {"D2": 3})
    response = expert_client.post(url("expert_matrix_upload", matrix), {"matrix": upload})
    assert response.status_code == 302
    assert "This round is closed" in text(expert_client.get(response["Location"]))
    assert scores(matrix, expert) == {}


def upload_problems(response: Any) -> list[str]:
    """The problems listed under the upload form, as the expert reads them."""
    errors = text(response).split('id="upload-errors"', 1)[1].split("</div>", 1)[0]
    return [
        html.unescape(re.sub(r"<[^>]+>", "", item))
        for item in re.findall(r"<li>(.*?)</li>", errors, re.S)
    ]


def test_upload_with_bad_cells_is_reported_in_french_on_a_french_page(
    matrix: Round, expert: Expert, expert_client: Client, tmp_path: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    upload = filled_template(tmp_path, {"D2": 3, "C4": 7, "E3": "beaucoup"})
    response = expert_client.post(url("expert_matrix_upload", matrix), {"matrix": upload})
    assert response.status_code == 400
    assert "Rien n'a été enregistré" in text(response)
    hint = "utilisez 0, 1, 2, 3, P (potentielle), ou laissez la case vide si vous ne savez pas"
    assert upload_problems(response) == [
        f"feuille «{NB}E1{NB}», cellule E3{NB}: «{NB}beaucoup{NB}» n'est pas une influence"
        f"{NB}: {hint}",
        f"feuille «{NB}E1{NB}», cellule C4{NB}: 7 est hors de l'échelle{NB}: {hint}",
    ]
    assert scores(matrix, expert) == {}


def test_upload_of_something_else_is_reported_in_french(
    matrix: Round, expert_client: Client, tmp_path: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    upload = SimpleUploadedFile("notes.xlsx", b"just some text", content_type=XLSX)
    response = expert_client.post(url("expert_matrix_upload", matrix), {"matrix": upload})
    assert response.status_code == 400
    assert upload_problems(response) == [
        f"ce n'est pas un classeur Excel (.xlsx){NB}: il ressemble à un fichier texte"
    ]
    upload = filled_template(tmp_path, {"E1": "F4"})
    response = expert_client.post(url("expert_matrix_upload", matrix), {"matrix": upload})
    problems = [problem.replace(NB, " ") for problem in upload_problems(response)]
    assert (
        "feuille « E1 », cellule E1 : facteur « F4 » inconnu (il n'est pas parmi les facteurs "
        "de l'étude : F1, F2, F3)"
    ) in problems
    assert (
        "feuille « E1 », ligne 1 : le facteur « F3 » n'a pas de colonne dans la ligne d'en-tête"
    ) in problems


def test_upload_problems_stay_english_on_an_english_page(
    matrix: Round, expert_client: Client, tmp_path: Path
) -> None:
    upload = filled_template(tmp_path, {"C4": 7})
    response = expert_client.post(url("expert_matrix_upload", matrix), {"matrix": upload})
    assert upload_problems(response) == [
        "sheet 'E1', cell C4: 7 is out of range: use 0, 1, 2, 3, P (potential), or leave the "
        "cell empty if you don't know"
    ]


def test_a_cell_saved_from_the_grid_updates_no_factor_count(
    matrix: Round, expert_client: Client
) -> None:
    """The factor's page has a count of its row's answers (updated out of band); the whole
    grid has none, and htmx reports an out-of-band element without its target."""
    page = text(save_cell(expert_client, matrix, "F1", "F2", "2", **HTMX))
    assert '<p id="factor-done" class="muted" hx-swap-oob="true">' in page
    grid = text(
        save_cell(expert_client, matrix, "F1", "F3", "1", **HTMX, HTTP_HX_TARGET="grid-status")
    )
    assert "Saved" in grid
    assert "factor-done" not in grid
    assert 'id="round-progress"' in grid
