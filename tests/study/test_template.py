"""Blank XLSX templates: structure, round trips through the readers, atomic writes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.worksheet import Worksheet

from anticipe.study import template
from anticipe.study.ballots import read_ballots
from anticipe.study.errors import StudyInputError
from anticipe.study.matrices import read_matrices, read_matrix_workbook, read_matrix_xlsx
from anticipe.study.template import (
    write_matrix_template,
    write_vote_template,
    write_workbook_template,
)

# Factors A1, A6, A7 of the seed report (section 3), titles shortened.
FACTORS = [
    ("A1", "Rapidité et diversité de l'évolution technologique"),
    ("A6", "Public de plus en plus précarisé"),
    ("A7", "Évolutivité des fractures"),
]
CODES = [code for code, _ in FACTORS]
NBSP = "\u00a0"  # French typography: a no-break space before a colon


def sheet(path: Path, name: str) -> Worksheet:
    ws = openpyxl.load_workbook(path)[name]
    assert isinstance(ws, Worksheet)
    return ws


def fill(path: Path, name: str, values: dict[str, object]) -> None:
    workbook = openpyxl.load_workbook(path)
    ws = workbook[name]
    assert isinstance(ws, Worksheet)
    for coordinate, value in values.items():
        ws[coordinate] = value
    workbook.save(path)


def test_matrix_template_structure_fr(tmp_path: Path) -> None:
    path = write_matrix_template(
        tmp_path / "E01.xlsx", FACTORS, expert="E01", study_title="Médiateur numérique"
    )
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Instructions", "Facteurs", "E01"]
    instructions = "\n".join(
        str(c.value) for row in workbook["Instructions"].iter_rows() for c in row if c.value
    )
    for words in (
        "Médiateur numérique",
        f"Expert{NBSP}: E01",
        f"0{NBSP}: aucune influence",
        f"1{NBSP}: influence faible",
        f"2{NBSP}: influence moyenne",
        f"3{NBSP}: influence forte",
        f"P{NBSP}: influence potentielle",
        "laissez la case vide",
        "diagonale",
        "renvoyez-le",
    ):
        assert words in instructions, words
    factors = workbook["Facteurs"]
    assert [[c.value for c in row] for row in factors.iter_rows()] == [
        ["Code", "Intitulé"],
        *[[code, title] for code, title in FACTORS],
    ]
    ws = workbook["E01"]
    assert isinstance(ws, Worksheet)
    assert [c.value for c in ws[1]] == ["influence de ↓ sur →", "Intitulé", *CODES]
    assert [ws.cell(row=r, column=1).value for r in (2, 3, 4)] == CODES
    assert [ws.cell(row=r, column=2).value for r in (2, 3, 4)] == [t for _, t in FACTORS]
    assert ws["C1"].comment is not None
    assert FACTORS[0][1] in ws["C1"].comment.text
    # Diagonal: "—", grey, locked; other answer cells empty and unlocked.
    for i in range(3):
        diagonal = ws.cell(row=2 + i, column=3 + i)
        assert diagonal.value == "—"
        assert diagonal.fill.start_color.rgb == "FFD9D9D9"
        assert diagonal.protection.locked
    assert ws["D2"].value is None
    assert not ws["D2"].protection.locked
    assert ws["A2"].protection.locked
    assert ws.protection.sheet
    # Validation: 0, 1, 2, 3, P on every off-diagonal cell, French error message.
    (validation,) = ws.data_validations.dataValidation
    assert validation.formula1 == '"0,1,2,3,P"'
    assert validation.showErrorMessage
    assert validation.error is not None
    assert "Tapez 0, 1, 2, 3 ou P" in validation.error
    covered = {cell for rng in validation.sqref.ranges for cell in rng.cells}
    expected = {(r, c) for r in (2, 3, 4) for c in (3, 4, 5) if c - 3 != r - 2}
    assert covered == expected
    assert ws.freeze_panes == "C2"
    assert ws.page_setup.orientation == "landscape"
    assert ws.column_dimensions["B"].width >= 30
    assert workbook.active is not None
    assert workbook.active.title == "E01"


def test_matrix_template_english(tmp_path: Path) -> None:
    path = write_matrix_template(tmp_path / "blank.xlsx", FACTORS, language="en")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Instructions", "Factors", "Matrix"]
    text = "\n".join(
        str(c.value) for row in workbook["Instructions"].iter_rows() for c in row if c.value
    )
    assert "0: no influence" in text
    assert "P: potential influence" in text
    assert "leave the cell empty" in text
    ws = workbook["Matrix"]
    assert isinstance(ws, Worksheet)
    assert ws["A1"].value == "influence of ↓ on →"
    assert ws["B1"].value == "Title"
    (validation,) = ws.data_validations.dataValidation
    assert validation.error is not None
    assert "Type 0, 1, 2, 3 or P" in validation.error


def test_blank_template_reads_as_dont_know(tmp_path: Path) -> None:
    path = write_matrix_template(tmp_path / "E05.xlsx", FACTORS)
    # Sheet "Matrice" is generic: the expert id is the file's stem.
    assert read_matrix_xlsx(path) == {
        "expert": "E05",
        "rows": [[0, None, None], [None, 0, None], [None, None, 0]],
    }


@pytest.mark.parametrize("language", ["fr", "en"])
def test_filled_template_round_trip(tmp_path: Path, language: str) -> None:
    path = write_matrix_template(tmp_path / "x.xlsx", FACTORS, expert="E02", language=language)
    fill(path, "E02", {"D2": 3, "E2": "P", "C3": 1, "E3": 2.0, "C4": "p", "D4": 0})
    assert read_matrix_xlsx(path, factors=CODES) == {
        "expert": "E02",
        "rows": [[0, 3, "P"], [1, 0, 2], ["P", 0, 0]],
    }


def test_filled_template_error_names_the_cell(tmp_path: Path) -> None:
    path = write_matrix_template(tmp_path / "x.xlsx", FACTORS, expert="E02")
    fill(path, "E02", {"E3": "fort"})
    with pytest.raises(StudyInputError) as excinfo:
        read_matrix_xlsx(path)
    assert str(excinfo.value).startswith(f"{path}, sheet 'E02', cell E3: 'fort' is not")


def test_workbook_template_round_trip(tmp_path: Path) -> None:
    path = write_workbook_template(
        tmp_path / "panel.xlsx", FACTORS, ["E01", "E02", "E03"], study_title="Étude"
    )
    assert openpyxl.load_workbook(path).sheetnames == [
        "Instructions",
        "Facteurs",
        "E01",
        "E02",
        "E03",
    ]
    fill(path, "E02", {"D2": 2})
    fill(path, "E03", {"C4": 3})
    matrices = read_matrix_workbook(path)
    assert [m["expert"] for m in matrices] == ["E01", "E02", "E03"]
    assert matrices[1]["rows"][0][1] == 2
    assert matrices[2]["rows"][2][0] == 3
    assert matrices[0]["rows"] == [[0, None, None], [None, 0, None], [None, None, 0]]


cells = st.sampled_from([0, 1, 2, 3, "P", "p", None, 2.0, " 1 "])


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(cells, min_size=9, max_size=9))
def test_template_property_round_trip(tmp_path: Path, values: list[object]) -> None:
    path = write_workbook_template(tmp_path / "panel.xlsx", FACTORS, ["E01"])
    typed = {f"{'CDE'[k % 3]}{2 + k // 3}": v for k, v in enumerate(values) if k % 4 != 0}
    fill(path, "E01", typed)

    def normal(value: object) -> object:
        if isinstance(value, str):
            return "P" if value.strip().upper() == "P" else int(value)
        return int(value) if isinstance(value, float) else value

    expected = [[0 if i == j else normal(values[3 * i + j]) for j in range(3)] for i in range(3)]
    assert read_matrices([path]) == (CODES, [{"expert": "E01", "rows": expected}])


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(StudyInputError, match="'A 1' is not a valid factor code"):
        write_matrix_template(tmp_path / "x.xlsx", [("A 1", "t")])
    with pytest.raises(StudyInputError, match="factor 'A1' appears twice"):
        write_matrix_template(tmp_path / "x.xlsx", [("A1", "t"), ("A1", "u")])
    with pytest.raises(StudyInputError, match="expert 'E1' appears twice"):
        write_workbook_template(tmp_path / "x.xlsx", FACTORS, ["E1", "E1"])
    with pytest.raises(StudyInputError, match="reserved sheet name"):
        write_workbook_template(tmp_path / "x.xlsx", FACTORS, ["Facteurs"])
    with pytest.raises(ValueError, match="language"):
        write_matrix_template(tmp_path / "x.xlsx", FACTORS, language="de")
    with pytest.raises(StudyInputError, match="the folder does not exist"):
        write_matrix_template(tmp_path / "nope" / "x.xlsx", FACTORS)
    assert list(tmp_path.iterdir()) == []


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "E01.xlsx"
    target.write_bytes(b"previous version")

    def failing_save(self: object, filename: str) -> None:
        Path(filename).write_bytes(b"PK\x03\x04half")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        write_matrix_template(target, FACTORS, expert="E01")
    with pytest.raises(OSError, match="disk full"):
        write_vote_template(tmp_path / "vote.xlsx", FACTORS, ["E01"])
    assert target.read_bytes() == b"previous version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["E01.xlsx"]


def test_write_replaces_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "E01.xlsx"
    target.write_bytes(b"previous version")
    write_matrix_template(target, FACTORS, expert="E01")
    assert read_matrix_xlsx(target)["expert"] == "E01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["E01.xlsx"]


def test_vote_template_round_trip(tmp_path: Path) -> None:
    path = write_vote_template(
        tmp_path / "vote.xlsx", FACTORS, ["E01", "E02"], points_per_expert=10, language="fr"
    )
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Instructions", "Facteurs", "Vote"]
    ws = workbook["Vote"]
    assert isinstance(ws, Worksheet)
    assert [c.value for c in ws[1]] == ["Expert", *CODES, "Total"]
    assert ws["E2"].value == "=SUM(B2:D2)"
    text = "\n".join(
        str(c.value) for row in workbook["Instructions"].iter_rows() for c in row if c.value
    )
    assert "10 points" in text
    fill(path, "Vote", {"B2": 6, "D2": 4, "C3": "2,5", "D3": 7.5})
    codes, ballots = read_ballots(path, factors=CODES)
    assert codes == CODES
    assert ballots == [
        {"expert": "E01", "scores": {"A1": 6, "A6": 0, "A7": 4}},
        {"expert": "E02", "scores": {"A1": 0, "A6": 2.5, "A7": 7.5}},
    ]


def test_vote_template_english_without_points(tmp_path: Path) -> None:
    path = write_vote_template(tmp_path / "vote.xlsx", FACTORS, ["E01"], language="en")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Instructions", "Factors", "Vote"]
    text = "\n".join(
        str(c.value) for row in workbook["Instructions"].iter_rows() for c in row if c.value
    )
    assert "points in all" not in text
    assert "An empty cell counts as 0 points" in text
    assert read_ballots(path) == (CODES, [{"expert": "E01", "scores": dict.fromkeys(CODES, 0)}])


def test_module_exports() -> None:
    assert set(template.__all__) == {
        "write_matrix_template",
        "write_vote_template",
        "write_workbook_template",
    }


def instructions_of(path: Path) -> list[object]:
    return [cell.value for cell in sheet(path, "Instructions")["A"]]


def test_the_french_texts_are_pinned(tmp_path: Path) -> None:
    """The whole French text of both workbooks, as the catalogue translates it (context
    "workbook"): the sheet names and headers are what the readers recognise."""
    factors = [("A1", "Rapidité"), ("A6", "Public")]
    matrix = write_matrix_template(
        tmp_path / "m.xlsx", factors, expert="E01", language="fr", study_title="Job"
    )
    assert openpyxl.load_workbook(matrix).sheetnames == ["Instructions", "Facteurs", "E01"]
    assert instructions_of(matrix) == [
        "Matrice d'influence entre facteurs de changement",
        f"Étude{NBSP}: Job",
        f"Expert{NBSP}: E01",
        None,
        "1. Pour chaque facteur en ligne, indiquez l'influence qu'il exerce sur chaque facteur "
        "en colonne, à l'horizon de l'étude.",
        f"2. Répondez dans la feuille «{NBSP}E01{NBSP}»{NBSP}: les lignes et les colonnes portent "
        f"les codes des facteurs{NBSP}; la colonne B et les commentaires des codes rappellent "
        f"leurs intitulés (liste complète dans la feuille «{NBSP}Facteurs{NBSP}»).",
        "3. Si vous ne savez pas, laissez la case vide.",
        "4. La diagonale (un facteur sur lui-même, cases grises) est ignorée.",
        "5. Ne modifiez ni les codes des facteurs, ni le nom des feuilles.",
        "6. Enregistrez le fichier au format Excel (.xlsx) et renvoyez-le à l'animateur.",
        None,
        "Échelle",
        f"0{NBSP}: aucune influence",
        f"1{NBSP}: influence faible",
        f"2{NBSP}: influence moyenne",
        f"3{NBSP}: influence forte",
        f"P{NBSP}: influence potentielle (pas aujourd'hui, mais possible à l'horizon de l'étude)",
        f"(vide){NBSP}: je ne sais pas",
    ]
    ws = sheet(matrix, "E01")
    assert (ws["A1"].value, ws["B1"].value) == ("influence de ↓ sur →", "Intitulé")
    assert ws["C1"].comment is not None
    assert ws["C1"].comment.text == f"A1{NBSP}: Rapidité"
    (validation,) = ws.data_validations.dataValidation
    assert (validation.errorTitle, validation.error, validation.promptTitle, validation.prompt) == (
        "Valeur non valide",
        "Tapez 0, 1, 2, 3 ou P, ou laissez la case vide si vous ne savez pas.",
        "Influence",
        f"0 aucune, 1 faible, 2 moyenne, 3 forte, P potentielle{NBSP}; vide{NBSP}: je ne sais pas",
    )
    vote = write_vote_template(
        tmp_path / "v.xlsx", factors, ["E01", "E02"], points_per_expert=1, language="fr"
    )
    assert openpyxl.load_workbook(vote).sheetnames == ["Instructions", "Facteurs", "Vote"]
    assert instructions_of(vote)[2:] == [
        "1. Répartissez vos points entre les facteurs de changement qui vous semblent les plus "
        "importants pour l'évolution du métier.",
        "2. Vous disposez de 1 point en tout.",
        f"3. Une ligne par expert{NBSP}: tapez vos points dans votre ligne de la feuille "
        f"«{NBSP}Vote{NBSP}», sous le code de chaque facteur (intitulés dans la feuille "
        f"«{NBSP}Facteurs{NBSP}» et en commentaire des codes). La colonne Total fait la somme.",
        "4. Une case vide compte pour 0 point.",
        "5. Ne modifiez ni les codes des facteurs, ni les identifiants des experts.",
        "6. Enregistrez le fichier au format Excel (.xlsx) et renvoyez-le à l'animateur.",
    ]
    votes = sheet(vote, "Vote")
    assert [c.value for c in votes[1]] == ["Expert", "A1", "A6", "Total"]
    (validation,) = votes.data_validations.dataValidation
    assert (validation.errorTitle, validation.error, validation.promptTitle, validation.prompt) == (
        "Valeur non valide",
        "Tapez un nombre de points positif ou nul, ou laissez la case vide.",
        "Vote",
        "Points attribués à ce facteur (vide = 0)",
    )


def test_the_english_points_line_agrees_with_its_number(tmp_path: Path) -> None:
    one = write_vote_template(
        tmp_path / "1.xlsx", FACTORS, ["E01"], points_per_expert=1, language="en"
    )
    many = write_vote_template(
        tmp_path / "2.xlsx", FACTORS, ["E01"], points_per_expert=20, language="en"
    )
    assert "2. You have 1 point in all." in instructions_of(one)
    assert "2. You have 20 points in all." in instructions_of(many)
    unknown = write_vote_template(tmp_path / "3.xlsx", FACTORS, ["E01"], language="en")
    assert not any("You have" in str(line) for line in instructions_of(unknown))
