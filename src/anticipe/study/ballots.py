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
    shown,
)

__all__ = ["Ballot", "parse_ballots", "read_ballots"]


Ballot = dict[str, Any]
"""One expert's ballot, as in the study file's ``factor_vote.ballots``:
``{"expert": str, "scores": {code: int | float, ...}}`` (a plain dict)."""


_TOTAL_HEADERS = frozenset({"total", "somme", "sum"})


def _points(value: object) -> tuple[int | float, str | None]:
    if is_empty(value):
        return 0, None
    number = parse_number(value)
    if number is None or not math.isfinite(number):
        return 0, f"{shown(value)} is not a number of points: give a number >= 0, or leave empty"
    if number < 0:
        return 0, f"{shown(value)} is negative: points are >= 0 (leave empty for none)"
    return (int(number) if number.is_integer() else number), None


def parse_ballots(
    table: Table,
    *,
    factors: Sequence[str] | None = None,
    factors_source: str = "the study's factors",
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
    what = "file" if table.sheet is None else "sheet"
    if not any(last_filled(row) for row in table.rows):
        raise table.problem(f"the {what} is empty")
    header = table.rows[0]
    if not last_filled(header):
        raise table.problem(
            "row 1 is empty: it should be the header row, with the factor codes from column B",
            row=1,
        )
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
            problems.append(
                table.problem("missing factor code in the header row", row=1, column=col)
            )
        elif code is None:
            problems.append(
                table.problem(invalid_code_message(value, "factor code"), row=1, column=col)
            )
        elif code in column_of:
            problems.append(
                table.problem(
                    f"factor '{code}' appears twice in the header row "
                    f"(columns {column_letter(column_of[code])} and {column_letter(col)})",
                    row=1,
                    column=col,
                )
            )
        else:
            column_of[code] = col
            columns.append((col, code))
    if not columns and not problems:
        raise table.problem("no factor codes in the header row (expected from column B)", row=1)
    if expected is not None:
        known = set(expected)
        for col, code in columns:
            if code not in known:
                problems.append(
                    table.problem(
                        f"unknown factor '{code}' (not among {factors_source}: "
                        f"{list_codes(expected)})",
                        row=1,
                        column=col,
                    )
                )
        for code in expected:
            if code not in column_of:
                problems.append(
                    table.problem(f"factor '{code}' has no column in the header row", row=1)
                )
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
            problems.append(table.problem("missing expert id in column A", row=row, column=1))
        elif expert is None:
            problems.append(
                table.problem(invalid_code_message(value, "expert id"), row=row, column=1)
            )
        elif expert in row_of:
            problems.append(
                table.problem(
                    f"expert '{expert}' appears twice in column A "
                    f"(rows {row_of[expert]} and {row})",
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
                    f"row {row} has {len(raw)} cells but the header has {last_col}: "
                    "the file looks truncated",
                    row=row,
                )
            )
        for col in range(full_width + 1, last_filled(raw) + 1):
            if not is_empty(raw[col - 1]):
                problems.append(
                    table.problem(
                        f"{shown(raw[col - 1])} is beyond the last factor column "
                        f"({column_letter(full_width)})",
                        row=row,
                        column=col,
                    )
                )
        scores: dict[str, int | float] = {}
        for col, code in columns:
            points, message = _points(raw[col - 1] if col - 1 < len(raw) else None)
            if message is not None:
                problems.append(table.problem(message, row=row, column=col))
            scores[code] = points
        if expert is not None:
            ballots.append({"expert": expert, "scores": scores})
    if not row_of and not problems:
        problems.append(table.problem("no ballots below the header row", row=2))
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
            f"unsupported file type '{suffix or '(none)'}': give a .csv or .xlsx file", file=path
        )
    return parse_ballots(table, factors=factors)
