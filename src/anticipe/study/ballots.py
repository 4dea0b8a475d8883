"""Experts' ballots of the weighted vote on change factors (step 2) from CSV or XLSX.

Layout (CSV file or worksheet)
------------------------------
::

        A         B    C    D    E
    1   Expert    A1   A2   A3   Total     <- optional "Total" column, ignored
    2   E01       5         3    8
    3   E02       2    4    2    8

- Row 1 is the header row: cell A1 is free text; the factor codes follow, one per
  column. A last column headed *Total* (any case; the template adds one with a sum
  formula to help the expert count) is ignored.
- Column A holds the expert ids, one ballot per row from row 2. Completely empty
  rows are skipped; a row with an expert id and no points is a ballot of zeros.
- Cells are points: a number from 0 to :data:`~anticipe.study.limits.MAX_POINTS`
  (``2``, ``2.5``, ``2,5``, ``" 3 "``; not ``NaN`` or ``inf``); an empty cell is 0. Whole
  numbers come back as ``int``.
- CSV files: delimiter, decimal comma and encoding as for the influence matrices
  (:mod:`anticipe.study.matrices`). In a workbook, the sheet read is ``sheet`` or the
  only sheet that is neither auxiliary (*Instructions, Facteurs, Factors*, …) nor
  empty.

Problems (negative points, text, unknown, missing or duplicate factors or experts, a
truncated CSV row) are all reported at once, each naming the file, sheet and cell.

References
----------
Godet, M. (2007). *Manuel de prospective stratégique*, tome 2. Dunod (the weighted
vote as the first filter of the change factors).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from anticipe.study.errors import StudyInputError
from anticipe.study.limits import MAX_POINTS
from anticipe.study.messages import Localised, Message, message
from anticipe.study.tables import (
    EXPERT_ID,
    STUDY_FACTORS,
    RowCodes,
    Table,
    check_factors,
    header_codes,
    header_row,
    is_empty,
    last_filled,
    missing_column_problems,
    parse_number,
    raise_problems,
    read_table_csv,
    read_table_xlsx,
    row_code,
    row_length_problems,
    shown_value,
    unknown_factor_problems,
)

__all__ = ["Ballot", "parse_ballots", "read_ballots"]


Ballot = dict[str, Any]
"""One expert's ballot, as in the study file's ``factor_vote.ballots``:
``{"expert": str, "scores": {code: int | float, ...}}`` (a plain dict)."""


_TOTAL_HEADERS = frozenset({"total", "somme", "sum"})


def _points(value: object) -> tuple[int | float, Message | None]:
    if is_empty(value):
        return 0, None
    number = parse_number(value)
    if number is None or not math.isfinite(number):
        return 0, message("ballots.not_points", value=shown_value(value))
    if number < 0:
        return 0, message("ballots.negative", value=shown_value(value))
    if number > MAX_POINTS:
        return 0, message("ballots.too_many_points", value=shown_value(value), limit=MAX_POINTS)
    return (int(number) if number.is_integer() else number), None


_EXPERT_ROWS = RowCodes(
    missing="ballots.missing_expert", what=EXPERT_ID, twice="ballots.expert_twice", name="expert"
)


def _ballot_columns(table: Table, problems: list[StudyInputError]) -> list[tuple[int, str]]:
    """The factor codes of the header row, from column B (a last *Total* column left out)."""
    header = header_row(table, "table.header_empty_ballots")
    last = last_filled(header)
    value = header[last - 1]
    if last > 2 and isinstance(value, str) and value.strip().casefold() in _TOTAL_HEADERS:
        last -= 1
    columns, _ = header_codes(table, 2, last, problems)
    if not columns and not problems:
        raise table.problem(message("table.no_codes", column="B"), row=1)
    return columns


def _scores(
    table: Table, row: int, columns: list[tuple[int, str]], problems: list[StudyInputError]
) -> dict[str, int | float]:
    """The points of one row's ballot for each column's factor."""
    raw = table.rows[row - 1]
    scores: dict[str, int | float] = {}
    for col, code in columns:
        points, problem = _points(raw[col - 1] if col - 1 < len(raw) else None)
        if problem is not None:
            problems.append(table.problem(problem, row=row, column=col))
        scores[code] = points
    return scores


def _ballot_rows(
    table: Table, columns: list[tuple[int, str]], problems: list[StudyInputError]
) -> tuple[list[Ballot], dict[str, int]]:
    """The ballots of the rows below the header, and the row of each expert."""
    last_col = max((col for col, _ in columns), default=1)
    full_width = last_filled(table.rows[0])
    ballots: list[Ballot] = []
    row_of: dict[str, int] = {}
    for row in range(2, len(table.rows) + 1):
        if not last_filled(table.rows[row - 1]):
            continue
        expert = row_code(table, row, _EXPERT_ROWS, row_of, problems)
        problems.extend(row_length_problems(table, row, last_col, full_width))
        scores = _scores(table, row, columns, problems)
        if expert is not None:
            ballots.append({"expert": expert, "scores": scores})
    return ballots, row_of


def parse_ballots(
    table: Table,
    *,
    factors: Sequence[str] | None = None,
    factors_source: str | Localised = STUDY_FACTORS,
) -> tuple[list[str], list[Ballot]]:
    """Read the ballots of a table (layout in the module docstring).

    Returns
    -------
    codes, ballots
        The factor codes (``factors`` when given, else the header's order) and
        ``[{"expert": id, "scores": {code: points, ...}}, ...]`` in row order; every
        ballot's ``scores`` has every code, in the order of ``codes``.
    """
    expected = check_factors(factors) if factors is not None else None
    problems: list[StudyInputError] = []
    columns = _ballot_columns(table, problems)
    if expected is not None:
        in_header = [(code, 1, col) for col, code in columns]
        problems.extend(unknown_factor_problems(table, in_header, expected, factors_source))
        column_of = {code: col for col, code in columns}
        problems.extend(missing_column_problems(table, expected, column_of))
    order = expected if expected is not None else [code for _, code in columns]
    ballots, row_of = _ballot_rows(table, columns, problems)
    if not row_of and not problems:
        problems.append(table.problem(message("ballots.none"), row=2))
    raise_problems(problems)
    for ballot in ballots:
        ballot["scores"] = {code: ballot["scores"][code] for code in order}
    return list(order), ballots


def read_ballots(
    path: str | Path,
    *,
    factors: Sequence[str] | None = None,
    sheet: str | None = None,
) -> tuple[list[str], list[Ballot]]:
    """Read the weighted vote's ballots from a .csv file or an .xlsx workbook.

    Parameters
    ----------
    path
        A ``.csv`` or ``.xlsx`` file (layout in the module docstring).
    factors
        The study's factor codes: unknown or missing codes are reported and the
        scores follow this order. By default, the header's codes and order.
    sheet
        For a workbook: the sheet to read (see the module docstring for the default).

    Returns
    -------
    codes, ballots
        The factor codes and ``[{"expert": "E01", "scores": {"A1": 3, "A2": 0, ...}},
        ...]``, ready for the study file's ``factor_vote.ballots``.

    Raises
    ------
    StudyInputError
        Naming the file, sheet and cell (:class:`~anticipe.study.matrices.InputProblems`
        for several).
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        table = read_table_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        table = read_table_xlsx(path, sheet=sheet)
    else:
        raise StudyInputError(
            message("file.unsupported_type", suffix=suffix or message("file.no_suffix")),
            file=path,
        )
    return parse_ballots(table, factors=factors)
