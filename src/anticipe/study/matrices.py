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
  potential. An empty cell, ``?``, ``NSP`` or ``ne sait pas`` (also ``DK``,
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

References
----------
Godet, M. (2007). *Manuel de prospective stratégique*, tome 2, ch. 3 « L'analyse
structurelle ». Dunod.
"""

from __future__ import annotations

import csv
import io
import math
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from anticipe.study.errors import StudyInputError, StudyInputErrors, column_letter
from anticipe.study.messages import Listing, Localised, Message, Quoted, message

__all__ = [
    "CODE_PATTERN",
    "MAX_LISTED_PROBLEMS",
    "Cell",
    "InfluenceMatrix",
    "InputProblems",
    "Table",
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


CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
"""A factor code or expert id, as the study file's schema allows them."""

MAX_LISTED_PROBLEMS = 20
"""How many problems the text of :class:`InputProblems` lists before "and N more"."""

SCALE_HINT_MESSAGE = message("cell.scale_hint")
"""How to fill an influence cell (in the reader's language)."""

SCALE_HINT = SCALE_HINT_MESSAGE.render("en")

FACTOR_CODE = message("code.factor")
"""The words "factor code", for :func:`invalid_code_message`."""

EXPERT_ID = message("code.expert")
"""The words "expert id", for :func:`invalid_code_message`."""

STUDY_FACTORS = message("factors.source_study")
"""The words "the study's factors" (where the expected factors come from)."""

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
_DONT_KNOW = frozenset({"?", "nsp", "n.s.p.", "ne sait pas", "dk", "don't know", "do not know"})
_AUXILIARY_SHEETS = frozenset(
    {
        "instructions",
        "consignes",
        "mode d'emploi",
        "lisez-moi",
        "readme",
        "read me",
        "facteurs",
        "factors",
        "liste des facteurs",
        "factor list",
    }
)
_GENERIC_SHEET = re.compile(
    r"^(matrice|matrix|vote|votes|sheet|feuil|feuille|tabelle|hoja|foglio|blad|planilha)\s*\d*$"
)


class InputProblems(StudyInputErrors):
    """Several input problems; its text lists the first :data:`MAX_LISTED_PROBLEMS`.

    All problems stay available in :attr:`errors`.
    """

    def __str__(self) -> str:
        if len(self.errors) <= MAX_LISTED_PROBLEMS:
            return super().__str__()
        lines = [f"{len(self.errors)} problems:"]
        lines.extend(f"- {error}" for error in self.errors[:MAX_LISTED_PROBLEMS])
        lines.append(f"- and {len(self.errors) - MAX_LISTED_PROBLEMS} more")
        return "\n".join(lines)


def raise_problems(problems: Sequence[StudyInputError]) -> None:
    """Raise the problems found (nothing when there are none), flattening groups."""
    flat: list[StudyInputError] = []
    for problem in problems:
        if isinstance(problem, StudyInputErrors):
            flat.extend(problem.errors)
        else:
            flat.append(problem)
    if len(flat) == 1:
        raise flat[0]
    if flat:
        raise InputProblems(flat)


# --------------------------------------------------------------------------- tables


@dataclass
class Table:
    """The raw cells of one CSV file or one worksheet.

    ``rows[0]`` is spreadsheet row 1 and ``rows[r][c]`` the cell in row ``r + 1``,
    column ``c + 1``. CSV cells are strings; worksheet cells are what the workbook
    stores (str, int, float, bool, datetime, or None for an empty cell; formulas give
    their last computed value).
    """

    file: str
    sheet: str | None
    rows: list[list[object]]
    is_text: bool = False
    """True for a CSV file: rows then all have the header's length unless truncated."""
    encoding: str | None = None
    delimiter: str | None = None
    stem: str = field(default="")

    def problem(
        self, text: str | Message, *, row: int | None = None, column: int | str | None = None
    ) -> StudyInputError:
        """A :class:`StudyInputError` located in this table."""
        return StudyInputError(text, file=self.file, sheet=self.sheet, row=row, column=column)

    @property
    def place(self) -> str | Message:
        """The file, and the sheet for a workbook (for messages, in any language)."""
        if self.sheet is None:
            return self.file
        return message("location.file_sheet", file=self.file, sheet=self.sheet)

    @property
    def where(self) -> str:
        """The file, and the sheet for a workbook, in English."""
        place = self.place
        return place if isinstance(place, str) else place.render("en")

    def value(self, row: int, column: int) -> object:
        """The cell at a 1-based row and column (None beyond the stored cells)."""
        if row - 1 >= len(self.rows):
            return None
        cells = self.rows[row - 1]
        return cells[column - 1] if column - 1 < len(cells) else None


def is_empty(value: object) -> bool:
    """Whether a cell is empty (None or blank text)."""
    return value is None or (isinstance(value, str) and not value.strip())


def last_filled(cells: Sequence[object]) -> int:
    """1-based index of the last non-empty cell of a row (0 when all are empty)."""
    for index in range(len(cells), 0, -1):
        if not is_empty(cells[index - 1]):
            return index
    return 0


def _check_file(path: Path) -> None:
    if not path.exists():
        raise StudyInputError(message("file.not_found"), file=path)
    if path.is_dir():
        raise StudyInputError(message("file.is_folder"), file=path)


def _read_bytes(path: Path) -> bytes:
    _check_file(path)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StudyInputError(
            message("file.unreadable", reason=exc.strerror or exc), file=path
        ) from None


def _guess_kind(data: bytes) -> Message:
    """A short description of what a file that is not what we expected looks like."""
    head = data.lstrip()[:8]
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return message("kind.xls")
    if data.startswith(b"PK\x03\x04"):
        return message("kind.zip")
    if head.startswith((b"{", b"[")):
        return message("kind.json")
    if head.startswith(b"%PDF"):
        return message("kind.pdf")
    if b"\x00" in data[:4096]:
        return message("kind.binary")
    return message("kind.text")


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _csv_rows(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _sniff_delimiter(text: str) -> str:
    """The delimiter giving the widest header that most rows agree with."""
    best: tuple[int, int] = (-1, -1)
    chosen = ","
    for delimiter in (";", "\t", ","):
        try:
            rows = [row for row in _csv_rows(text, delimiter) if last_filled(row)]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (sum(1 for row in rows if len(row) == width), width)
        if score > best:
            best, chosen = score, delimiter
    return chosen


def read_table_csv(path: str | Path) -> Table:
    """Read a CSV file into a :class:`Table` (delimiter and encoding sniffed).

    Raises
    ------
    StudyInputError
        The file is missing, empty, binary, or not readable as CSV.
    """
    file = Path(path)
    data = _read_bytes(file)
    if not data.strip():
        raise StudyInputError(message("file.empty"), file=path)
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and (b"\x00" in data or data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))):
        raise StudyInputError(message("file.not_csv", kind=_guess_kind(data)), file=path)
    text, encoding = _decode(data)
    if not re.sub(r"[\s,;\t\"]", "", text):
        raise StudyInputError(message("file.empty"), file=path)
    first_line, _, rest = text.partition("\n")
    sep = re.fullmatch(r"\s*sep=(.)\s*", first_line)
    if sep:
        delimiter, text = sep.group(1), rest
    else:
        delimiter = _sniff_delimiter(text)
    try:
        rows: list[list[object]] = [list(row) for row in _csv_rows(text, delimiter)]
    except csv.Error as exc:
        raise StudyInputError(message("file.bad_csv", reason=exc), file=path) from None
    return Table(
        file=str(path),
        sheet=None,
        rows=rows,
        is_text=True,
        encoding=encoding,
        delimiter=delimiter,
        stem=file.stem,
    )


def open_workbook(path: str | Path) -> Workbook:
    """Open an .xlsx workbook for reading (values, not formulas).

    Raises
    ------
    StudyInputError
        The file is missing, empty or not an Excel workbook.
    """
    file = Path(path)
    data = _read_bytes(file)
    if not data:
        raise StudyInputError(message("file.empty"), file=path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds (zipfile, KeyError, XML, ValueError...)
        raise StudyInputError(message("file.not_xlsx", kind=_guess_kind(data)), file=path) from None


def _sheet_table(path: str | Path, worksheet: Worksheet) -> Table:
    rows: list[list[object]] = [list(row) for row in worksheet.iter_rows(values_only=True)]
    while rows and not last_filled(rows[-1]):
        rows.pop()
    return Table(file=str(path), sheet=worksheet.title, rows=rows, stem=Path(path).stem)


def _is_auxiliary(name: str) -> bool:
    folded = name.strip().casefold()
    return folded in _AUXILIARY_SHEETS or folded.startswith("_")


def _sheet_list(workbook: Workbook) -> Listing:
    return Listing.of(Quoted(name) for name in workbook.sheetnames)


def _get_sheet(path: str | Path, workbook: Workbook, sheet: str) -> Worksheet:
    if sheet in workbook.sheetnames:
        worksheet = workbook[sheet]
        if isinstance(worksheet, Worksheet):
            return worksheet
        raise StudyInputError(message("sheet.chart", sheet=sheet), file=path, sheet=sheet)
    raise StudyInputError(
        message("workbook.no_such_sheet", sheet=sheet, sheets=_sheet_list(workbook)), file=path
    )


def data_sheets(workbook: Workbook) -> list[Worksheet]:
    """The workbook's sheets that may hold answers (auxiliary and empty sheets skipped)."""
    return [
        ws
        for ws in workbook.worksheets
        if not _is_auxiliary(ws.title)
        and any(not is_empty(v) for row in ws.iter_rows(values_only=True) for v in row)
    ]


def read_table_xlsx(path: str | Path, *, sheet: str | None = None) -> Table:
    """Read one worksheet of an .xlsx workbook into a :class:`Table`.

    Without ``sheet``, the workbook must have exactly one sheet that is neither
    auxiliary (instructions, factor list) nor empty.
    """
    workbook = open_workbook(path)
    if sheet is not None:
        return _sheet_table(path, _get_sheet(path, workbook, sheet))
    candidates = data_sheets(workbook)
    if len(candidates) == 1:
        return _sheet_table(path, candidates[0])
    if not candidates:
        raise StudyInputError(
            message("workbook.no_answer_sheet", sheets=_sheet_list(workbook)), file=path
        )
    names = Listing.of(Quoted(ws.title) for ws in candidates)
    raise StudyInputError(message("workbook.several_answer_sheets", sheets=names), file=path)


# --------------------------------------------------------------------------- cells


def shown(value: object) -> str:
    """A cell value as the user typed it, for messages (in English)."""
    value_shown = shown_value(value)
    return value_shown if isinstance(value_shown, str) else value_shown.render("en")


def shown_value(value: object) -> str | Quoted:
    """A cell value as the user typed it, for messages: text is quoted (in the reader's
    language), numbers are not."""
    if isinstance(value, str):
        number = parse_number(value)
        if number is not None and math.isfinite(number):
            return value.strip()
        return Quoted(value.strip())
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_number(value: object) -> float | None:
    """A number from a cell: int/float, or text with a decimal point or comma."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            return float(text)
        except ValueError:
            return None
    return None


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


def parse_code(value: object) -> str | None:
    """A factor code or expert id from a cell (numbers typed as codes become text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str) and CODE_PATTERN.match(value.strip()):
        return value.strip()
    return None


def invalid_code_message(value: object, what: str | Message) -> Message:
    """The message for a cell that should hold a code; `what` names the code
    (:data:`FACTOR_CODE`, :data:`EXPERT_ID`)."""
    return message("code.invalid", value=shown_value(value), what=what)


def list_codes(codes: Sequence[str], limit: int = 12) -> str | Message:
    """The codes separated by commas (the first `limit`, and how many in all)."""
    listed = ", ".join(codes[:limit])
    if len(codes) > limit:
        return message("codes.more", codes=listed, count=len(codes))
    return listed


def check_factors(factors: Iterable[str]) -> list[str]:
    """The caller's factor codes as a list, checked (valid, unique, at least one)."""
    codes = list(factors)
    problems: list[StudyInputError] = []
    if not codes:
        problems.append(StudyInputError(message("factors.empty")))
    seen: set[str] = set()
    for code in codes:
        if not isinstance(code, str) or not CODE_PATTERN.match(code):
            problems.append(StudyInputError(invalid_code_message(code, FACTOR_CODE)))
        elif code in seen:
            problems.append(StudyInputError(message("factors.twice", code=code)))
        seen.add(code)
    raise_problems(problems)
    return codes


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


def _has_titles_column(header: Sequence[object]) -> bool:
    value = header[1] if len(header) > 1 else None
    if is_empty(value):
        return True
    return isinstance(value, str) and value.strip().casefold() in _TITLE_HEADERS


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
    try:
        expert_code = expert_id(table, expert)
    except StudyInputError as exc:
        problems.append(exc)
        expert_code = ""
    if not any(last_filled(row) for row in table.rows):
        raise table.problem(message("file.empty" if table.sheet is None else "sheet.empty"))
    header = table.rows[0]
    if not last_filled(header):
        raise table.problem(message("table.header_empty"), row=1)
    if not any(last_filled(row) for row in table.rows[1:]):
        raise table.problem(message("table.no_rows"), row=2)
    first = 3 if _has_titles_column(header) else 2

    # Header: the factor codes of the columns.
    columns: list[tuple[int, str]] = []
    column_of: dict[str, int] = {}
    for col in range(first, last_filled(header) + 1):
        value = header[col - 1]
        if is_empty(value):
            problems.append(table.problem(message("table.header_missing_code"), row=1, column=col))
            continue
        code = parse_code(value)
        if code is None:
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
        raise table.problem(message("table.no_codes", column=column_letter(first)), row=1)
    last_col = max((col for col, _ in columns), default=first - 1)

    # Rows: the factor codes of column A, and the cells.
    row_of: dict[str, int] = {}
    cells: dict[tuple[str, str], Cell] = {}
    for row in range(2, len(table.rows) + 1):
        raw = table.rows[row - 1]
        if not last_filled(raw):
            continue
        value = raw[0] if raw else None
        code = parse_code(value)
        if is_empty(value):
            problems.append(table.problem(message("table.rows_missing_code"), row=row, column=1))
        elif code is None:
            problems.append(
                table.problem(invalid_code_message(value, FACTOR_CODE), row=row, column=1)
            )
        elif code in row_of:
            problems.append(
                table.problem(
                    message("table.rows_twice", code=code, first=row_of[code], second=row),
                    row=row,
                    column=1,
                )
            )
            code = None
        else:
            row_of[code] = row
        if table.is_text and len(raw) < last_col:
            problems.append(
                table.problem(
                    message("table.truncated_row", row=row, cells=len(raw), expected=last_col),
                    row=row,
                )
            )
        for col in range(last_col + 1, last_filled(raw) + 1):
            if not is_empty(raw[col - 1]):
                problems.append(
                    table.problem(
                        message(
                            "cell.beyond_last_column",
                            value=shown_value(raw[col - 1]),
                            column=column_letter(last_col),
                        ),
                        row=row,
                        column=col,
                    )
                )
        for col, column_code in columns:
            if code is not None and code == column_code:
                cells[code, column_code] = 0  # the diagonal is ignored
                continue
            cell, problem = influence_problem(raw[col - 1] if col - 1 < len(raw) else None)
            if problem is not None:
                problems.append(table.problem(problem, row=row, column=col))
            elif code is not None:
                cells[code, column_code] = cell

    # Codes: the header's, the rows' and the expected ones must agree.
    header_codes = [code for _, code in columns]
    if expected is None:
        order = header_codes
        for code, row in row_of.items():
            if code not in column_of:
                problems.append(
                    table.problem(
                        message("matrix.row_without_column", code=code), row=row, column=1
                    )
                )
    else:
        order = expected
        known = set(expected)
        listed = list_codes(expected)
        for col, code in columns:
            if code not in known:
                problems.append(
                    table.problem(
                        message(
                            "table.unknown_factor", code=code, source=factors_source, listed=listed
                        ),
                        row=1,
                        column=col,
                    )
                )
        for code, row in row_of.items():
            if code not in known:
                problems.append(
                    table.problem(
                        message(
                            "table.unknown_factor", code=code, source=factors_source, listed=listed
                        ),
                        row=row,
                        column=1,
                    )
                )
        for code in expected:
            if code not in column_of:
                problems.append(table.problem(message("table.no_column", code=code), row=1))
    if len(row_of) != len(column_of) and row_of and column_of:
        problems.insert(
            0,
            table.problem(message("matrix.not_square", rows=len(row_of), columns=len(column_of))),
        )
    for code in order:
        if code not in row_of and (expected is not None or code in column_of):
            problems.append(table.problem(message("matrix.no_row", code=code), column=1))
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
            message("workbook.no_matrix_sheet", sheets=_sheet_list(workbook)), file=path
        )
    return [_sheet_table(path, ws) for ws in sheets]


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
