"""Experts' influence matrices (structural analysis, step 3) from CSV and XLSX files.

Between two workshops the facilitator e-mails each expert a blank influence matrix
(see :mod:`anticipe.study.template`); the expert fills it offline and sends it back.
This module reads those files, and any CSV or XLSX an analyst has, into the study
file's structures.

Layout (the same for CSV files and worksheets)
----------------------------------------------
::

        A                      B            C    D    E
    1   influence de ↓ sur →   Intitulé     A1   A6   A7
    2   A1                     Rapidité…    —    3    2
    3   A6                     Public…      1    —    P
    4   A7                     Évolutivité… 0    ?         <- empty: don't know

- Row 1 is the header row: cell A1 is free text (ignored); the factor codes follow,
  one per column.
- Column A holds the factor codes, one per row from row 2.
- Column B is an optional **titles column**, present exactly when its header cell
  B1 is empty or holds one of the words *Titre, Titres, Intitulé, Intitulés,
  Libellé, Facteur, Title, Titles, Label, Factor* (any case). Its content is ignored:
  it only helps the expert read the matrix. Without it, the factor codes of the
  header start in column B. The template always writes a titles column.
- The cell in the row of factor *i* and the column of factor *j* is the influence
  of *i* on *j*: ``0`` none, ``1`` weak, ``2`` medium, ``3`` strong, ``P`` (or ``p``)
  potential. An empty cell, ``?``, ``NSP``, ``ne sait pas`` or ``je ne sais pas`` (also ``DK``,
  ``don't know``) means the expert does not know (``None``). Whole numbers are also
  accepted when stored as decimals (``2.0``, ``2,0``) or as text (``" 2 "``).
- The diagonal (a factor on itself) is ignored: it is returned as ``0`` whatever
  was typed there (the template shows "—"), and nothing typed there is an error.
- Rows and columns may come in any order: they are matched by code, and the
  result follows the header's order, or the ``factors`` order when given.
  Completely empty rows are skipped.

CSV files may use ``,``, ``;`` (French Excel) or a tab as delimiter (sniffed from the
file, or taken from an Excel ``sep=;`` first line), and a decimal comma. They are
decoded as UTF-8 (with or without BOM), UTF-16 when they start with its BOM, and
otherwise as Windows-1252 (old Excel); :attr:`Table.encoding` says which was used.
In a CSV file every row has as many cells as the header (spreadsheets write the
separators of empty cells), so a shorter row means a truncated file and is an error.

Workbooks: :func:`read_matrix_workbook` reads one matrix per sheet and the sheet's
name is the expert's id. **Auxiliary sheets are skipped**: a sheet whose name
(ignoring case) is *Instructions, Consignes, Mode d'emploi, Lisez-moi, Readme,
Facteurs, Factors, Liste des facteurs, Factor list*, or starts with ``_``, and any
completely empty sheet. A sheet with a generic name (*Matrice, Matrix, Vote, Sheet1,
Feuil1*, …) takes the file's stem as expert id.

Errors
------
Everything wrong in a file is reported at once as :class:`InputProblems` (a
:class:`~anticipe.study.errors.StudyInputErrors`) whose items name the file, the sheet,
and the cell as a spreadsheet shows it (``cell C4``), in English or French (the words are
in :mod:`anticipe.study.messages`). Nothing raises a traceback on bad input.

Reading the cells of a CSV file or a worksheet, and the rules for codes that the vote's
ballots share, are in :mod:`anticipe.study.tables`; this module holds the matrix's own
rules (influence cells, titles column, expert id, square matrix, several files).

References
----------
Godet, M. (2007). *Manuel de prospective stratégique*, tome 2, ch. 3 « L'analyse
structurelle ». Dunod.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from anticipe.study.errors import StudyInputError, column_letter
from anticipe.study.messages import Localised, Message, message
from anticipe.study.tables import (
    CODE_PATTERN,
    FACTOR_CODE,
    MAX_LISTED_PROBLEMS,
    STUDY_FACTORS,
    InputProblems,
    RowCodes,
    Table,
    check_factors,
    data_sheets,
    header_codes,
    header_row,
    is_empty,
    last_filled,
    missing_column_problems,
    open_workbook,
    parse_number,
    raise_problems,
    read_table_csv,
    read_table_xlsx,
    row_code,
    row_length_problems,
    sheet_list,
    sheet_table,
    shown_value,
    unknown_factor_problems,
)

__all__ = [
    "CODE_PATTERN",
    "MAX_LISTED_PROBLEMS",
    "Cell",
    "InfluenceMatrix",
    "InputProblems",
    "Table",
    "check_factors",
    "influence_problem",
    "parse_influence",
    "parse_matrix",
    "read_matrices",
    "read_matrix_csv",
    "read_matrix_workbook",
    "read_matrix_xlsx",
    "read_table_csv",
    "read_table_xlsx",
]

Cell = int | str | None
"""One influence: 0, 1, 2, 3, ``"P"`` (potential) or ``None`` (don't know)."""


InfluenceMatrix = dict[str, Any]
"""One expert's influence matrix, as in the study file's ``structural_analysis``:
``{"expert": str, "rows": list[list[Cell]]}`` (a plain dict, so it is JSON as it is)."""


SCALE_HINT_MESSAGE = message("cell.scale_hint")
"""How to fill an influence cell (in the reader's language)."""

SCALE_HINT = SCALE_HINT_MESSAGE.render("en")

_TITLE_HEADERS = frozenset(
    {
        "titre",
        "titres",
        "intitulé",
        "intitulés",
        "intitule",
        "intitules",
        "libellé",
        "libelle",
        "facteur",
        "title",
        "titles",
        "label",
        "factor",
    }
)
_DONT_KNOW = frozenset(
    {"?", "nsp", "n.s.p.", "ne sait pas", "je ne sais pas", "dk", "don't know", "do not know"}
)
_GENERIC_SHEET = re.compile(
    r"^(matrice|matrix|vote|votes|sheet|feuil|feuille|tabelle|hoja|foglio|blad|planilha)\s*\d*$"
)


def parse_influence(value: object) -> tuple[Cell, str | None]:
    """One influence cell: ``(value, None)`` or ``(None, message)`` when invalid (the
    message in English; :func:`influence_problem` gives it in any language)."""
    cell, problem = influence_problem(value)
    return cell, problem.render("en") if problem is not None else None


def influence_problem(value: object) -> tuple[Cell, Message | None]:
    """One influence cell: ``(value, None)`` or ``(None, message)`` when invalid."""
    if is_empty(value):
        return None, None
    if isinstance(value, str):
        text = value.strip()
        if text.casefold() in _DONT_KNOW:
            return None, None
        if text in ("P", "p"):
            return "P", None
    number = parse_number(value)
    if number is None or not math.isfinite(number):
        return None, message(
            "cell.not_influence", value=shown_value(value), hint=SCALE_HINT_MESSAGE
        )
    if not number.is_integer():
        return None, message("cell.not_whole", value=shown_value(value), hint=SCALE_HINT_MESSAGE)
    if not 0 <= number <= 3:
        return None, message("cell.out_of_range", value=int(number), hint=SCALE_HINT_MESSAGE)
    return int(number), None


def expert_id(table: Table, expert: str | None) -> str:
    """The expert id: given, else the sheet's name unless generic, else the file stem."""
    if expert is not None:
        candidate, origin = expert, message("expert.origin_given")
    elif table.sheet is not None and not _GENERIC_SHEET.match(table.sheet.strip().casefold()):
        candidate, origin = table.sheet.strip(), message("expert.origin_sheet")
    else:
        candidate, origin = table.stem, message("expert.origin_file")
    if not CODE_PATTERN.match(candidate):
        raise table.problem(message("expert.invalid_id", candidate=candidate, origin=origin))
    return candidate


# --------------------------------------------------------------------------- matrices

_FACTOR_ROWS = RowCodes(
    missing="table.rows_missing_code", what=FACTOR_CODE, twice="table.rows_twice", name="code"
)


def _has_titles_column(header: Sequence[object]) -> bool:
    value = header[1] if len(header) > 1 else None
    if is_empty(value):
        return True
    return isinstance(value, str) and value.strip().casefold() in _TITLE_HEADERS


def _expert_or_problem(table: Table, expert: str | None, problems: list[StudyInputError]) -> str:
    """The expert id (:func:`expert_id`), or "" with the problem added."""
    try:
        return expert_id(table, expert)
    except StudyInputError as exc:
        problems.append(exc)
        return ""


def _matrix_columns(
    table: Table, problems: list[StudyInputError]
) -> tuple[list[tuple[int, str]], int]:
    """The factor codes of the header row (after the titles column, when there is one), and
    the last factor column."""
    header = header_row(table, "table.header_empty")
    if not any(last_filled(row) for row in table.rows[1:]):
        raise table.problem(message("table.no_rows"), row=2)
    first = 3 if _has_titles_column(header) else 2
    columns, _ = header_codes(table, first, last_filled(header), problems)
    if not columns and not problems:
        raise table.problem(message("table.no_codes", column=column_letter(first)), row=1)
    return columns, max((col for col, _ in columns), default=first - 1)


def _row_cells(
    table: Table,
    row: int,
    code: str | None,
    columns: list[tuple[int, str]],
    cells: dict[tuple[str, str], Cell],
    problems: list[StudyInputError],
) -> None:
    """The influences of one row on each column's factor, into `cells` (the diagonal 0)."""
    raw = table.rows[row - 1]
    for col, column_code in columns:
        if code is not None and code == column_code:
            cells[code, column_code] = 0  # the diagonal is ignored
            continue
        cell, problem = influence_problem(raw[col - 1] if col - 1 < len(raw) else None)
        if problem is not None:
            problems.append(table.problem(problem, row=row, column=col))
        elif code is not None:
            cells[code, column_code] = cell


def _matrix_rows(
    table: Table, columns: list[tuple[int, str]], last_col: int, problems: list[StudyInputError]
) -> tuple[dict[str, int], dict[tuple[str, str], Cell]]:
    """The factor codes of column A (their rows) and the cells of the matrix."""
    row_of: dict[str, int] = {}
    cells: dict[tuple[str, str], Cell] = {}
    for row in range(2, len(table.rows) + 1):
        if not last_filled(table.rows[row - 1]):
            continue
        code = row_code(table, row, _FACTOR_ROWS, row_of, problems)
        problems.extend(row_length_problems(table, row, last_col, last_col))
        _row_cells(table, row, code, columns, cells, problems)
    return row_of, cells


def _factor_order(
    table: Table,
    columns: list[tuple[int, str]],
    row_of: dict[str, int],
    expected: list[str] | None,
    source: str | Localised,
    problems: list[StudyInputError],
) -> list[str]:
    """The factors' order (the expected one, else the header's), with the problems of codes
    on which the header row, column A and the expected factors disagree."""
    column_of = {code: col for col, code in columns}
    if expected is None:
        order = [code for _, code in columns]
        problems.extend(
            table.problem(message("matrix.row_without_column", code=code), row=row, column=1)
            for code, row in row_of.items()
            if code not in column_of
        )
    else:
        order = expected
        in_header = [(code, 1, col) for col, code in columns]
        in_rows = [(code, row, 1) for code, row in row_of.items()]
        problems.extend(unknown_factor_problems(table, in_header, expected, source))
        problems.extend(unknown_factor_problems(table, in_rows, expected, source))
        problems.extend(missing_column_problems(table, expected, column_of))
    if len(row_of) != len(column_of) and row_of and column_of:
        square = message("matrix.not_square", rows=len(row_of), columns=len(column_of))
        problems.insert(0, table.problem(square))
    problems.extend(
        table.problem(message("matrix.no_row", code=code), column=1)
        for code in order
        if code not in row_of and (expected is not None or code in column_of)
    )
    return order


def parse_matrix(
    table: Table,
    *,
    expert: str | None = None,
    factors: Sequence[str] | None = None,
    factors_source: str | Localised = STUDY_FACTORS,
) -> tuple[list[str], InfluenceMatrix]:
    """Read an influence matrix from a table (layout in the module docstring).

    Parameters
    ----------
    table
        The raw cells (:func:`read_table_csv`, :func:`read_table_xlsx`).
    expert
        The expert id; by default the sheet's name or the file's stem.
    factors
        The expected factor codes, in the order of the result. By default, the
        header row's codes and order.
    factors_source
        Where ``factors`` come from, for messages (by default "the study's factors", in
        the reader's language).

    Returns
    -------
    codes, matrix
        The factor codes in the order of ``matrix["rows"]`` and its columns, and
        ``{"expert": id, "rows": [[cell, ...], ...]}``.

    Raises
    ------
    StudyInputError
        One problem; :class:`InputProblems` for several.
    """
    expected = check_factors(factors) if factors is not None else None
    problems: list[StudyInputError] = []
    expert_code = _expert_or_problem(table, expert, problems)
    columns, last_col = _matrix_columns(table, problems)
    row_of, cells = _matrix_rows(table, columns, last_col, problems)
    order = _factor_order(table, columns, row_of, expected, factors_source, problems)
    raise_problems(problems)
    rows = [[cells[r, c] for c in order] for r in order]
    return list(order), {"expert": expert_code, "rows": rows}


def read_matrix_csv(
    path: str | Path,
    *,
    expert: str | None = None,
    factors: Sequence[str] | None = None,
) -> InfluenceMatrix:
    """Read one expert's influence matrix from a CSV file.

    Parameters
    ----------
    path
        The CSV file (layout in the module docstring).
    expert
        The expert id; by default the file's stem (``E03.csv`` -> ``"E03"``).
    factors
        The factor codes in the order wanted; rows and columns are reordered to
        it and unknown or missing codes are reported. By default the header's
        order (use :func:`read_matrices` to get the codes with the matrices).

    Returns
    -------
    InfluenceMatrix
        ``{"expert": id, "rows": [[0|1|2|3|"P"|None, ...], ...]}``, row ``i``
        column ``j`` the influence of factor ``i`` on factor ``j``; diagonal 0.

    Raises
    ------
    StudyInputError
        Naming the file and the cell (:class:`InputProblems` for several).
    """
    _, matrix = parse_matrix(read_table_csv(path), expert=expert, factors=factors)
    return matrix


def read_matrix_xlsx(
    path: str | Path,
    *,
    sheet: str | None = None,
    expert: str | None = None,
    factors: Sequence[str] | None = None,
) -> InfluenceMatrix:
    """Read one expert's influence matrix from a worksheet of an .xlsx workbook.

    Parameters
    ----------
    path
        The workbook.
    sheet
        The sheet to read; by default the only sheet that is neither auxiliary
        (instructions, factor list) nor empty.
    expert
        The expert id; by default the sheet's name, or the file's stem when the
        sheet has a generic name (Matrice, Matrix, Sheet1, Feuil1, …).
    factors
        As in :func:`read_matrix_csv`.

    Returns
    -------
    InfluenceMatrix
        As :func:`read_matrix_csv`.
    """
    table = read_table_xlsx(path, sheet=sheet)
    _, matrix = parse_matrix(table, expert=expert, factors=factors)
    return matrix


def _workbook_tables(path: str | Path) -> list[Table]:
    workbook = open_workbook(path)
    sheets = data_sheets(workbook)
    if not sheets:
        raise StudyInputError(
            message("workbook.no_matrix_sheet", sheets=sheet_list(workbook)), file=path
        )
    return [sheet_table(path, ws) for ws in sheets]


def read_matrix_workbook(
    path: str | Path, *, factors: Sequence[str] | None = None
) -> list[InfluenceMatrix]:
    """Read a workbook with one expert's matrix per sheet (the sheet's name is the id).

    Auxiliary sheets (instructions, factor list, names starting with ``_``) and
    empty sheets are skipped (see the module docstring). Without ``factors``, all
    sheets must have the first sheet's factors; the result follows its order.

    Returns
    -------
    list of InfluenceMatrix
        In the workbook's sheet order.
    """
    _, matrices = _read_tables(_workbook_tables(path), factors)
    return matrices


def _read_tables(
    tables: Iterable[Table],
    factors: Sequence[str] | None,
    problems: list[StudyInputError] | None = None,
    experts: dict[str, str | Message] | None = None,
    reference: tuple[list[str], str | Localised] | None = None,
) -> tuple[list[str], list[InfluenceMatrix]]:
    collect = problems is not None
    problems = [] if problems is None else problems
    experts = {} if experts is None else experts
    codes, source = (
        (check_factors(factors), STUDY_FACTORS)
        if factors is not None
        else reference or ([], STUDY_FACTORS)
    )
    matrices: list[InfluenceMatrix] = []
    for table in tables:
        try:
            found, matrix = parse_matrix(table, factors=codes or None, factors_source=source)
        except StudyInputError as exc:
            problems.append(exc)
            continue
        if not codes:
            codes, source = found, message("factors.source_first_matrix", where=table.place)
        if matrix["expert"] in experts:
            problems.append(
                table.problem(
                    message(
                        "matrix.expert_twice",
                        expert=matrix["expert"],
                        where=experts[matrix["expert"]],
                    )
                )
            )
            continue
        experts[matrix["expert"]] = table.place
        matrices.append(matrix)
    if not collect:
        raise_problems(problems)
    return codes, matrices


def read_matrices(
    paths: Iterable[str | Path], *, factors: Sequence[str] | None = None
) -> tuple[list[str], list[InfluenceMatrix]]:
    """Read the experts' influence matrices from CSV and XLSX files.

    ``.csv`` files hold one matrix (the expert id is the file's stem); ``.xlsx``
    workbooks one per sheet (see :func:`read_matrix_workbook`). All matrices must
    have the same factors: ``factors`` when given, otherwise the first matrix's, whose
    order wins. Problems of all files are reported together.

    Returns
    -------
    codes, matrices
        The factor codes (the order of every matrix's rows and columns) and the
        matrices, ready for the study file's ``structural_analysis``
        (``{"factors": codes, "matrices": matrices}``).

    Raises
    ------
    StudyInputError
        Naming file, sheet and cell (:class:`InputProblems` for several); also for
        an unsupported file type, no file at all, or an expert id found twice.
    """
    problems: list[StudyInputError] = []
    experts: dict[str, str | Message] = {}
    codes: list[str] = check_factors(factors) if factors is not None else []
    source: str | Localised = STUDY_FACTORS
    matrices: list[InfluenceMatrix] = []
    count = 0
    for path in paths:
        count += 1
        suffix = Path(path).suffix.lower()
        try:
            if suffix == ".csv":
                tables = [read_table_csv(path)]
            elif suffix in (".xlsx", ".xlsm"):
                tables = _workbook_tables(path)
            else:
                raise StudyInputError(
                    message("file.unsupported_types", suffix=suffix or message("file.no_suffix")),
                    file=path,
                )
        except StudyInputError as exc:
            problems.append(exc)
            continue
        found, read = _read_tables(
            tables, None, problems, experts, (codes, source) if codes else None
        )
        if not codes and found:
            codes, source = found, message("factors.source_first_matrix", where=tables[0].place)
        matrices.extend(read)
    if count == 0:
        raise StudyInputError(message("matrix.no_files"))
    raise_problems(problems)
    return codes, matrices
