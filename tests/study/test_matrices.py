"""Reading experts' influence matrices from CSV and XLSX files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anticipe.study.errors import StudyInputError, StudyInputErrors
from anticipe.study.matrices import (
    MAX_LISTED_PROBLEMS,
    InputProblems,
    parse_influence,
    read_matrices,
    read_matrix_csv,
    read_matrix_workbook,
    read_matrix_xlsx,
    read_table_csv,
)

CODES = ["A1", "A6", "A7"]
# Influence of row factor on column factor, diagonal 0.
EXPECTED = [[0, 3, None], ["P", 0, 2], [1, None, 0]]


def write_csv(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    first = True
    for name, rows in sheets.items():
        if first:
            ws = workbook.active
            assert ws is not None
            ws.title = name
            first = False
        else:
            ws = workbook.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    workbook.save(path)
    return path


def grid(
    codes: Sequence[str], matrix: Sequence[Sequence[object]], corner: str = "influence de ↓ sur →"
) -> list[list[object]]:
    """A matrix in the documented layout, without titles column."""
    rows: list[list[object]] = [[corner, *codes]]
    for code, row in zip(codes, matrix, strict=True):
        rows.append([code, *row])
    return rows


def problems_of(excinfo: pytest.ExceptionInfo[StudyInputError]) -> list[StudyInputError]:
    error = excinfo.value
    return list(error.errors) if isinstance(error, StudyInputErrors) else [error]


def messages(excinfo: pytest.ExceptionInfo[StudyInputError]) -> str:
    return "\n".join(str(p) for p in problems_of(excinfo))


# --------------------------------------------------------------------------- cells


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (0, 0),
        (3, 3),
        (2.0, 2),
        (" 2 ", 2),
        ("2.0", 2),
        ("2,0", 2),
        ("P", "P"),
        ("p", "P"),
        (" P ", "P"),
        (None, None),
        ("", None),
        ("   ", None),
        ("?", None),
        ("NSP", None),
        ("nsp", None),
        ("ne sait pas", None),
        ("Je ne sais pas", None),
    ],
)
def test_valid_cells(typed: object, expected: object) -> None:
    assert parse_influence(typed) == (expected, None)


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        (4, "4 is out of range"),
        (-1, "-1 is out of range"),
        ("-1", "-1 is out of range"),
        (2.5, "2.5 is not a whole number"),
        ("fort", "'fort' is not an influence"),
        (True, "TRUE is not an influence"),
        ("nan", "is not an influence"),
    ],
)
def test_invalid_cells(typed: object, fragment: str) -> None:
    value, message = parse_influence(typed)
    assert value is None
    assert message is not None
    assert fragment in message


# --------------------------------------------------------------------------- CSV


def test_csv_comma(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "E01.csv", grid(CODES, EXPECTED))
    assert read_matrix_csv(path) == {"expert": "E01", "rows": EXPECTED}


def test_csv_french_excel_semicolon_bom_decimal_comma(tmp_path: Path) -> None:
    text = "\ufeffinfluence de ↓ sur →;A1;A6;A7\r\nA1;;3,0;?\r\nA6;p; 2 ;2\r\nA7;1;NSP;\r\n"
    path = tmp_path / "E02.csv"
    path.write_bytes(text.encode("utf-8"))
    table = read_table_csv(path)
    assert table.delimiter == ";"
    assert table.encoding == "utf-8-sig"
    assert read_matrix_csv(path) == {"expert": "E02", "rows": EXPECTED}


def test_csv_cp1252_from_old_excel(tmp_path: Path) -> None:
    rows = grid(CODES, EXPECTED)
    rows[0][0] = "influence de la ligne sur la colonne (é, è, €)"
    path = write_csv(tmp_path / "E03.csv", rows, delimiter=";", encoding="cp1252")
    assert read_table_csv(path).encoding == "cp1252"
    assert read_matrix_csv(path)["rows"] == EXPECTED


def test_csv_utf16_tab_unicode_text_export(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "E04.csv", grid(CODES, EXPECTED), delimiter="\t", encoding="utf-16")
    table = read_table_csv(path)
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert read_matrix_csv(path)["rows"] == EXPECTED


def test_csv_sep_line(tmp_path: Path) -> None:
    path = tmp_path / "E05.csv"
    body = write_csv(tmp_path / "body.csv", grid(CODES, EXPECTED), delimiter="|").read_text()
    path.write_text("sep=|\n" + body, encoding="utf-8")
    assert read_matrix_csv(path)["rows"] == EXPECTED


def test_semicolon_csv_whose_corner_text_has_commas(tmp_path: Path) -> None:
    rows = grid(CODES, EXPECTED)
    rows[0][0] = "influence, de ↓, sur →"
    path = write_csv(tmp_path / "E06.csv", rows, delimiter=";")
    assert read_matrix_csv(path)["rows"] == EXPECTED


def test_titles_column_is_detected(tmp_path: Path) -> None:
    titles = ["Rapidité, évolution", "Public précarisé", "Fractures"]
    for b1 in ("Intitulé", "", "TITLE"):
        rows: list[list[object]] = [["influence de ↓ sur →", b1, *CODES]]
        for code, title, row in zip(CODES, titles, EXPECTED, strict=True):
            rows.append([code, title, *row])
        path = write_csv(tmp_path / "E07.csv", rows)
        assert read_matrix_csv(path)["rows"] == EXPECTED, b1


def test_diagonal_is_returned_as_zero_whatever_was_typed(tmp_path: Path) -> None:
    matrix: list[list[object]] = [["—", 3, None], ["P", "fort", 2], [1, None, 9]]
    path = write_csv(tmp_path / "E08.csv", grid(CODES, matrix))
    assert read_matrix_csv(path)["rows"] == EXPECTED


def test_rows_and_columns_are_reordered(tmp_path: Path) -> None:
    # Header order A7, A1, A6; rows in yet another order: A6, A7, A1.
    header = ["x", "A7", "A1", "A6"]
    by_code = {r: dict(zip(CODES, EXPECTED[i], strict=True)) for i, r in enumerate(CODES)}
    rows: list[list[object]] = [header]
    for r in ["A6", "A7", "A1"]:
        rows.append([r, *(by_code[r][c] for c in header[1:])])
    path = write_csv(tmp_path / "E09.csv", rows)
    # Without factors: the header's order.
    assert read_matrix_csv(path)["rows"] == [
        [by_code[r][c] for c in ["A7", "A1", "A6"]] for r in ["A7", "A1", "A6"]
    ]
    # With factors: their order.
    assert read_matrix_csv(path, factors=CODES)["rows"] == EXPECTED


def test_expert_given_overrides_file_stem(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "whatever.csv", grid(CODES, EXPECTED))
    assert read_matrix_csv(path, expert="E10")["expert"] == "E10"


def test_empty_rows_are_skipped(tmp_path: Path) -> None:
    rows = grid(CODES, EXPECTED)
    rows.insert(2, ["", "", "", ""])
    rows.append(["", "", "", ""])
    path = write_csv(tmp_path / "E11.csv", rows)
    assert read_matrix_csv(path)["rows"] == EXPECTED


# --------------------------------------------------------------------------- CSV errors


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StudyInputError, match="file not found") as excinfo:
        read_matrix_csv(tmp_path / "absent.csv")
    assert "absent.csv" in str(excinfo.value)


@pytest.mark.parametrize("content", [b"", b"  \r\n\r\n", b"\xef\xbb\xbf"])
def test_empty_csv(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "E01.csv"
    path.write_bytes(content)
    with pytest.raises(StudyInputError, match="empty") as excinfo:
        read_matrix_csv(path)
    assert "E01.csv" in str(excinfo.value)


def test_empty_csv_with_only_separators(tmp_path: Path) -> None:
    path = tmp_path / "E01.csv"
    path.write_text(";;;\n;;;\n", encoding="utf-8")
    with pytest.raises(StudyInputError, match="the file is empty"):
        read_matrix_csv(path)


def test_binary_file_given_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "E01.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(StudyInputError, match="not a CSV text file") as excinfo:
        read_matrix_csv(path)
    assert str(excinfo.value).startswith(str(path))


def test_xlsx_given_as_csv(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "E01.xlsx", {"E01": grid(CODES, EXPECTED)})
    path = tmp_path / "E01.csv"
    path.write_bytes(xlsx.read_bytes())
    with pytest.raises(StudyInputError, match="not a CSV text file"):
        read_matrix_csv(path)


def test_truncated_row(tmp_path: Path) -> None:
    path = tmp_path / "E01.csv"
    path.write_text("x,A1,A6,A7\nA1,,3,\nA6,P,,2\nA7,1\n", encoding="utf-8")
    with pytest.raises(StudyInputError) as excinfo:
        read_matrix_csv(path)
    error = excinfo.value
    assert error.row == 4
    assert "row 4 has 2 cells but the header has 4" in str(error)
    assert f"{path}, row 4" in str(error)


def test_truncated_file_missing_rows(tmp_path: Path) -> None:
    path = tmp_path / "E01.csv"
    path.write_text("x,A1,A6,A7\nA1,,3,\nA6,P,,2\n", encoding="utf-8")
    with pytest.raises(StudyInputError) as excinfo:
        read_matrix_csv(path)
    text = messages(excinfo)
    assert "not square: 2 factor rows and 3 factor columns" in text
    assert "factor 'A7' has no row in column A" in text


def test_header_only(tmp_path: Path) -> None:
    path = tmp_path / "E01.csv"
    path.write_text("x,A1,A6,A7\n", encoding="utf-8")
    with pytest.raises(StudyInputError, match="no factor rows below the header") as excinfo:
        read_matrix_csv(path)
    assert excinfo.value.row == 2


def test_no_codes_in_header(tmp_path: Path) -> None:
    path = tmp_path / "E01.csv"
    path.write_text("just a title\nA1\nA2\n", encoding="utf-8")
    with pytest.raises(StudyInputError, match="no factor codes in the header row"):
        read_matrix_csv(path)


def test_value_out_of_range_names_the_cell(tmp_path: Path) -> None:
    matrix: list[list[object]] = [[0, 4, None], ["P", 0, -1], [1, None, 0]]
    path = write_csv(tmp_path / "E01.csv", grid(CODES, matrix))
    with pytest.raises(InputProblems) as excinfo:
        read_matrix_csv(path)
    first, second = problems_of(excinfo)
    assert (first.row, first.column) == (2, "C")
    assert str(first) == (
        f"{path}, cell C2: 4 is out of range: use 0, 1, 2, 3, P (potential), "
        "or leave the cell empty if you don't know"
    )
    assert f"{path}, cell D3: -1 is out of range" in str(second)
    assert "2 problems:" in str(excinfo.value)


def test_text_in_numeric_cell(tmp_path: Path) -> None:
    rows = grid(CODES, EXPECTED)
    rows[3][2] = "fort"  # row 4, column C
    path = write_csv(tmp_path / "E01.csv", rows)
    with pytest.raises(StudyInputError) as excinfo:
        read_matrix_csv(path)
    assert "cell C4: 'fort' is not an influence" in str(excinfo.value)


def test_duplicate_codes(tmp_path: Path) -> None:
    path = tmp_path / "E01.csv"
    path.write_text("x,A1,A6,A1\nA1,,1,\nA6,1,,1\nA6,1,1,\n", encoding="utf-8")
    with pytest.raises(StudyInputError) as excinfo:
        read_matrix_csv(path)
    text = messages(excinfo)
    assert f"{path}, cell D1: factor 'A1' appears twice in the header row (columns B and D)" in text
    assert f"{path}, cell A4: factor 'A6' appears twice in column A (rows 3 and 4)" in text


def test_header_codes_not_matching_row_codes(tmp_path: Path) -> None:
    path = tmp_path / "E01.csv"
    path.write_text("x,A1,A6\nA1,,1\nA9,1,\n", encoding="utf-8")
    with pytest.raises(StudyInputError) as excinfo:
        read_matrix_csv(path)
    text = messages(excinfo)
    assert f"{path}, cell A3: factor 'A9' has a row but no column in the header row" in text
    assert "factor 'A6' has no row in column A" in text


def test_invalid_code(tmp_path: Path) -> None:
    path = tmp_path / "E01.csv"
    path.write_text("x,A1,A 6\nA1,,1\nA 6,1,\n", encoding="utf-8")
    with pytest.raises(StudyInputError) as excinfo:
        read_matrix_csv(path)
    text = messages(excinfo)
    assert "cell C1: 'A 6' is not a valid factor code" in text
    assert "cell A3: 'A 6' is not a valid factor code" in text


def test_value_beyond_last_factor_column(tmp_path: Path) -> None:
    path = tmp_path / "E01.csv"
    path.write_text("x,A1,A6\nA1,,1,3\nA6,1,,\n", encoding="utf-8")
    with pytest.raises(StudyInputError, match="beyond the last factor column") as excinfo:
        read_matrix_csv(path)
    assert (excinfo.value.row, excinfo.value.column) == (2, "D")


def test_unknown_and_missing_factors(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "E01.csv", grid(["A1", "A6", "A99"], EXPECTED))
    with pytest.raises(StudyInputError) as excinfo:
        read_matrix_csv(path, factors=CODES)
    text = messages(excinfo)
    assert f"{path}, cell D1: unknown factor 'A99' (not among the study's factors: A1, A6, A7)" in (
        text
    )
    assert f"{path}, cell A4: unknown factor 'A99'" in text
    assert f"{path}, row 1: factor 'A7' has no column in the header row" in text
    assert "factor 'A7' has no row in column A" in text


def test_duplicate_factors_given_by_caller(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "E01.csv", grid(CODES, EXPECTED))
    with pytest.raises(StudyInputError, match="'A1' appears twice in the factors"):
        read_matrix_csv(path, factors=["A1", "A6", "A1"])


def test_invalid_expert_id_from_file_name(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "expert 3.csv", grid(CODES, EXPECTED))
    with pytest.raises(StudyInputError, match="'expert 3' is not a valid expert id"):
        read_matrix_csv(path)
    assert read_matrix_csv(path, expert="E03")["expert"] == "E03"


def test_many_problems_are_capped(tmp_path: Path) -> None:
    codes = [f"F{i}" for i in range(8)]
    matrix = [["fort"] * 8 for _ in range(8)]  # 56 off-diagonal problems
    path = write_csv(tmp_path / "E01.csv", grid(codes, matrix))
    with pytest.raises(InputProblems) as excinfo:
        read_matrix_csv(path)
    assert len(excinfo.value.errors) == 56
    lines = str(excinfo.value).splitlines()
    assert lines[0] == "56 problems:"
    assert len(lines) == 1 + MAX_LISTED_PROBLEMS + 1
    assert lines[-1] == f"- and {56 - MAX_LISTED_PROBLEMS} more"


# --------------------------------------------------------------------------- XLSX


def test_xlsx_floats_and_text(tmp_path: Path) -> None:
    matrix: list[list[object]] = [[None, 3.0, "?"], ["p", None, " 2 "], [1, "NSP", None]]
    path = write_xlsx(tmp_path / "study.xlsx", {"E01": grid(CODES, matrix)})
    assert read_matrix_xlsx(path) == {"expert": "E01", "rows": EXPECTED}


def test_xlsx_generic_sheet_name_uses_file_stem(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "E07.xlsx", {"Feuil1": grid(CODES, EXPECTED)})
    assert read_matrix_xlsx(path)["expert"] == "E07"


def test_xlsx_numeric_codes(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "E01.xlsx", {"Sheet": grid([1, 2], [[None, 3], [2, None]])})  # type: ignore[list-item]
    assert read_matrices([path]) == (["1", "2"], [{"expert": "E01", "rows": [[0, 3], [2, 0]]}])


def test_xlsx_cell_errors_name_the_sheet(tmp_path: Path) -> None:
    rows = grid(CODES, EXPECTED)
    rows[3][2] = "fort"
    path = write_xlsx(tmp_path / "all.xlsx", {"E04": rows})
    with pytest.raises(StudyInputError) as excinfo:
        read_matrix_xlsx(path, sheet="E04")
    assert str(excinfo.value).startswith(f"{path}, sheet 'E04', cell C4: 'fort' is not")
    assert excinfo.value.sheet == "E04"


def test_xlsx_missing_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "all.xlsx", {"E01": grid(CODES, EXPECTED), "E02": [[1]]})
    with pytest.raises(StudyInputError) as excinfo:
        read_matrix_xlsx(path, sheet="E03")
    assert "no sheet named 'E03' in the workbook; its sheets are 'E01', 'E02'" in str(excinfo.value)


def test_xlsx_several_sheets_without_sheet(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "all.xlsx", {"E01": grid(CODES, EXPECTED), "E02": grid(CODES, EXPECTED)}
    )
    with pytest.raises(StudyInputError, match="several sheets with answers \\('E01', 'E02'\\)"):
        read_matrix_xlsx(path)


def test_xlsx_empty_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "all.xlsx", {"E01": []})
    with pytest.raises(StudyInputError, match="the sheet is empty") as excinfo:
        read_matrix_xlsx(path, sheet="E01")
    assert "sheet 'E01'" in str(excinfo.value)
    with pytest.raises(StudyInputError, match="no sheet with answers in the workbook"):
        read_matrix_xlsx(path)


def test_xlsx_blank_cells_in_short_rows_are_dont_know(tmp_path: Path) -> None:
    # A worksheet stores no trailing empty cells: not a truncation.
    path = write_xlsx(tmp_path / "E01.xlsx", {"E01": [["x", "A1", "A6"], ["A1"], ["A6", 2]]})
    assert read_matrix_xlsx(path)["rows"] == [[0, None], [2, 0]]


@pytest.mark.parametrize(
    ("content", "hint"),
    [
        (b"", "the file is empty"),
        (json.dumps({"anticipe_study": "1.0"}).encode(), "not an Excel workbook (.xlsx)"),
        (bytes(range(256)) * 8, "not an Excel workbook (.xlsx)"),
        (b"x,A1\nA1,\n", "not an Excel workbook (.xlsx): it looks like a text file"),
        (b"\xd0\xcf\x11\xe0" + bytes(600), "old Excel .xls file"),
        (b"PK\x03\x04broken", "not an Excel workbook (.xlsx)"),
    ],
)
def test_not_an_xlsx(tmp_path: Path, content: bytes, hint: str) -> None:
    path = tmp_path / "E01.xlsx"
    path.write_bytes(content)
    with pytest.raises(StudyInputError) as excinfo:
        read_matrix_xlsx(path)
    assert hint in str(excinfo.value)
    assert str(excinfo.value).startswith(str(path))


def test_xlsx_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StudyInputError, match="file not found"):
        read_matrix_xlsx(tmp_path / "nope.xlsx")


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(StudyInputError, match="folder"):
        read_matrix_csv(tmp_path)


# --------------------------------------------------------------------------- workbooks


def test_workbook_skips_auxiliary_and_empty_sheets(tmp_path: Path) -> None:
    other = [[0, 1, 1], [2, 0, 2], [3, 3, 0]]
    path = write_xlsx(
        tmp_path / "panel.xlsx",
        {
            "Instructions": [["Remplissez la matrice"]],
            "Facteurs": [["Code", "Intitulé"], ["A1", "x"]],
            "E01": grid(CODES, EXPECTED),
            "_lists": [["0", "1"]],
            "Sheet2": [],
            "E02": grid(CODES, other),
        },
    )
    assert read_matrix_workbook(path) == [
        {"expert": "E01", "rows": EXPECTED},
        {"expert": "E02", "rows": other},
    ]


def test_workbook_sheets_must_share_factors(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "panel.xlsx",
        {"E01": grid(CODES, EXPECTED), "E02": grid(["A1", "A6", "A8"], EXPECTED)},
    )
    with pytest.raises(StudyInputError) as excinfo:
        read_matrix_workbook(path)
    text = messages(excinfo)
    assert (
        f"{path}, sheet 'E02', cell D1: unknown factor 'A8' "
        f"(not among the factors of the first matrix ({path}, sheet 'E01')" in text
    )


def test_workbook_without_matrix_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "panel.xlsx", {"Instructions": [["texte"]]})
    with pytest.raises(StudyInputError, match="no matrix sheet in the workbook; its sheets are"):
        read_matrix_workbook(path)


# --------------------------------------------------------------------------- many files


def test_read_matrices_mixes_csv_and_xlsx_first_order_wins(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "E01.csv", grid(CODES, EXPECTED))
    # E02 in another order: A7, A6, A1; the same values as E01 once reordered.
    order = [2, 1, 0]
    reordered = [[EXPECTED[i][j] for j in order] for i in order]
    second = write_xlsx(
        tmp_path / "others.xlsx", {"E02": grid([CODES[k] for k in order], reordered)}
    )
    codes, matrices = read_matrices([first, second])
    assert codes == CODES
    assert matrices == [{"expert": "E01", "rows": EXPECTED}, {"expert": "E02", "rows": EXPECTED}]


def test_read_matrices_reports_all_files(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "E01.csv", grid(CODES, EXPECTED))
    bad = grid(CODES, EXPECTED)
    bad[2][3] = 7
    second = write_csv(tmp_path / "E02.csv", bad)
    third = tmp_path / "E03.json"
    third.write_text("{}", encoding="utf-8")
    missing = tmp_path / "E04.csv"
    with pytest.raises(StudyInputError) as excinfo:
        read_matrices([first, second, third, missing])
    text = messages(excinfo)
    assert f"{second}, cell D3: 7 is out of range" in text
    assert f"{third}: unsupported file type '.json'" in text
    assert f"{missing}: file not found" in text


def test_read_matrices_duplicate_expert(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "E01.csv", grid(CODES, EXPECTED))
    second = write_xlsx(tmp_path / "more.xlsx", {"E01": grid(CODES, EXPECTED)})
    with pytest.raises(StudyInputError, match=f"expert 'E01' appears twice \\(also in {first}\\)"):
        read_matrices([first, second])


def test_read_matrices_with_study_factors(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "E01.csv", grid(CODES, EXPECTED))
    codes, matrices = read_matrices([first], factors=["A7", "A6", "A1"])
    assert codes == ["A7", "A6", "A1"]
    assert matrices[0]["rows"] == [[0, None, 1], [2, 0, "P"], [None, 3, 0]]


def test_read_matrices_needs_files() -> None:
    with pytest.raises(StudyInputError, match="no matrix files given"):
        read_matrices([])


# --------------------------------------------------------------------------- properties

cell_values = st.sampled_from([0, 1, 2, 3, "P", None])


@st.composite
def matrices(draw: st.DrawFn) -> tuple[list[str], list[list[object]]]:
    n = draw(st.integers(min_value=1, max_value=6))
    codes = draw(
        st.lists(
            st.from_regex(r"[A-Z][0-9]{1,2}", fullmatch=True), min_size=n, max_size=n, unique=True
        )
    )
    rows: list[list[object]] = [
        [0 if i == j else draw(cell_values) for j in range(n)] for i in range(n)
    ]
    return codes, rows


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=matrices(),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    dont_know=st.sampled_from(["", "?", "NSP"]),
)
def test_csv_round_trip(
    tmp_path: Path,
    data: tuple[list[str], list[list[object]]],
    delimiter: str,
    encoding: str,
    dont_know: str,
) -> None:
    codes, rows = data
    typed = [[dont_know if v is None else v for v in row] for row in rows]
    path = write_csv(
        tmp_path / "E01.csv",
        grid(codes, typed, corner="influence (ligne é → colonne)".replace("→", "->")),
        delimiter=delimiter,
        encoding=encoding,
    )
    assert read_matrices([path]) == (codes, [{"expert": "E01", "rows": rows}])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=matrices(), seed=st.randoms(use_true_random=False))
def test_xlsx_round_trip_any_order(
    tmp_path: Path, data: tuple[list[str], list[list[object]]], seed: object
) -> None:
    codes, rows = data
    import random

    assert isinstance(seed, random.Random)
    row_order = list(range(len(codes)))
    col_order = list(range(len(codes)))
    seed.shuffle(row_order)
    seed.shuffle(col_order)
    sheet: list[list[object]] = [["", "Intitulé", *(codes[j] for j in col_order)]]
    for i in row_order:
        sheet.append([codes[i], f"title {i}", *(rows[i][j] for j in col_order)])
    path = write_xlsx(tmp_path / "panel.xlsx", {"E01": sheet})
    assert read_matrices([path], factors=codes) == (codes, [{"expert": "E01", "rows": rows}])


def test_truncated_xlsx_download(tmp_path: Path) -> None:
    full = write_xlsx(tmp_path / "full.xlsx", {"E01": grid(CODES, EXPECTED)}).read_bytes()
    path = tmp_path / "E01.xlsx"
    path.write_bytes(full[: len(full) // 2])
    with pytest.raises(StudyInputError) as excinfo:
        read_matrices([path])
    assert str(excinfo.value).startswith(f"{path}: not an Excel workbook (.xlsx)")
