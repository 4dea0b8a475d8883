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
- Cells are points: a number >= 0 (``2``, ``2.5``, ``2,5``, ``" 3 "``); an empty cell
  is 0. Whole numbers come back as ``int``.
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

from anticipe.study.errors import StudyInputError, column_letter
from anticipe.study.matrices import (
    EXPERT_ID,
    FACTOR_CODE,
    STUDY_FACTORS,
    Table,
    check_factors,
    invalid_code_message,
    is_empty,
    last_filled,
    list_codes,
    parse_code,
    parse_number,
    raise_problems,
    read_table_csv,
    read_table_xlsx,
    shown_value,
)
from anticipe.study.messages import Localised, Message, message

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
    return (int(number) if number.is_integer() else number), None


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
    if not any(last_filled(row) for row in table.rows):
        raise table.problem(message("file.empty" if table.sheet is None else "sheet.empty"))
    header = table.rows[0]
    if not last_filled(header):
        raise table.problem(message("table.header_empty_ballots"), row=1)
    problems: list[StudyInputError] = []
    last = last_filled(header)
    value = header[last - 1]
    if last > 2 and isinstance(value, str) and value.strip().casefold() in _TOTAL_HEADERS:
        last -= 1
    columns: list[tuple[int, str]] = []
    column_of: dict[str, int] = {}
    for col in range(2, last + 1):
        value = header[col - 1]
        code = parse_code(value)
        if is_empty(value):
            problems.append(table.problem(message("table.header_missing_code"), row=1, column=col))
        elif code is None:
            problems.append(
                table.problem(invalid_code_message(value, FACTOR_CODE), row=1, column=col)
            )
        elif code in column_of:
            problems.append(
                table.problem(
                    message(
                        "table.header_twice",
                        code=code,
                        first=column_letter(column_of[code]),
                        second=column_letter(col),
                    ),
                    row=1,
                    column=col,
                )
            )
        else:
            column_of[code] = col
            columns.append((col, code))
    if not columns and not problems:
        raise table.problem(message("table.no_codes", column="B"), row=1)
    if expected is not None:
        known = set(expected)
        for col, code in columns:
            if code not in known:
                problems.append(
                    table.problem(
                        message(
                            "table.unknown_factor",
                            code=code,
                            source=factors_source,
                            listed=list_codes(expected),
                        ),
                        row=1,
                        column=col,
                    )
                )
        for code in expected:
            if code not in column_of:
                problems.append(table.problem(message("table.no_column", code=code), row=1))
    order = expected if expected is not None else [code for _, code in columns]
    last_col = max((col for col, _ in columns), default=1)
    full_width = last_filled(header)

    ballots: list[Ballot] = []
    row_of: dict[str, int] = {}
    for row in range(2, len(table.rows) + 1):
        raw = table.rows[row - 1]
        if not last_filled(raw):
            continue
        value = raw[0] if raw else None
        expert = parse_code(value)
        if is_empty(value):
            problems.append(table.problem(message("ballots.missing_expert"), row=row, column=1))
        elif expert is None:
            problems.append(
                table.problem(invalid_code_message(value, EXPERT_ID), row=row, column=1)
            )
        elif expert in row_of:
            problems.append(
                table.problem(
                    message(
                        "ballots.expert_twice", expert=expert, first=row_of[expert], second=row
                    ),
                    row=row,
                    column=1,
                )
            )
            expert = None
        else:
            row_of[expert] = row
        if table.is_text and len(raw) < last_col:
            problems.append(
                table.problem(
                    message("table.truncated_row", row=row, cells=len(raw), expected=last_col),
                    row=row,
                )
            )
        for col in range(full_width + 1, last_filled(raw) + 1):
            if not is_empty(raw[col - 1]):
                problems.append(
                    table.problem(
                        message(
                            "cell.beyond_last_column",
                            value=shown_value(raw[col - 1]),
                            column=column_letter(full_width),
                        ),
                        row=row,
                        column=col,
                    )
                )
        scores: dict[str, int | float] = {}
        for col, code in columns:
            points, problem = _points(raw[col - 1] if col - 1 < len(raw) else None)
            if problem is not None:
                problems.append(table.problem(problem, row=row, column=col))
            scores[code] = points
        if expert is not None:
            ballots.append({"expert": expert, "scores": scores})
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
