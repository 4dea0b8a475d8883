"""Tables of cells read from CSV files and worksheets, and the rules every such table of
codes follows (an expert's influence matrix, the weighted vote's ballots).

- Reading: a CSV file (delimiter and encoding sniffed, see :mod:`anticipe.study.matrices`
  for what is accepted) or one worksheet of an .xlsx workbook becomes a :class:`Table` of
  raw cells; a file that is missing, empty or of another kind is a
  :class:`~anticipe.study.errors.StudyInputError` saying what it looks like.
- Cells: numbers with a decimal comma, codes typed as numbers, values shown in messages
  as the user typed them.
- Codes: the factor codes of the header row and the codes of column A (factors or
  experts), each problem located at its cell; the problems of a table are collected and
  raised together (:class:`InputProblems`).
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
from typing import TYPE_CHECKING

from anticipe.study.errors import StudyInputError, StudyInputErrors, column_letter
from anticipe.study.limits import (
    MAX_CELL_CHARACTERS,
    MAX_TABLE_BYTES,
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    MAX_XLSX_BYTES,
)
from anticipe.study.messages import Listing, Localised, Megabytes, Message, Quoted, message
from anticipe.study.workbooks import check_workbook_archive, is_blank_sheet, sheet_rows

if TYPE_CHECKING:  # openpyxl is imported when a workbook is read (not by a study file's reader)
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "CODE_PATTERN",
    "EXPERT_ID",
    "FACTOR_CODE",
    "MAX_LISTED_PROBLEMS",
    "STUDY_FACTORS",
    "InputProblems",
    "RowCodes",
    "Table",
    "check_factors",
    "data_sheets",
    "header_codes",
    "header_row",
    "invalid_code_message",
    "is_empty",
    "last_filled",
    "list_codes",
    "missing_column_problems",
    "open_workbook",
    "parse_code",
    "parse_number",
    "raise_problems",
    "read_table_csv",
    "read_table_xlsx",
    "row_code",
    "row_length_problems",
    "sheet_list",
    "sheet_table",
    "shown",
    "shown_value",
    "unknown_factor_problems",
]

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
"""A factor code or expert id, as the study file's schema allows them."""

MAX_LISTED_PROBLEMS = 20
"""How many problems the text of :class:`InputProblems` lists before "and N more"."""

FACTOR_CODE = message("code.factor")
"""The words "factor code", for :func:`invalid_code_message`."""

EXPERT_ID = message("code.expert")
"""The words "expert id", for :func:`invalid_code_message`."""

STUDY_FACTORS = message("factors.source_study")
"""The words "the study's factors" (where the expected factors come from)."""

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


# what an XLSX workbook (a zip archive) starts with; a legacy XLS (OLE2) file
XLSX_SIGNATURE = b"PK\x03\x04"
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0"


def _check_file(path: Path) -> None:
    if not path.exists():
        raise StudyInputError(message("file.not_found"), file=path)
    if path.is_dir():
        raise StudyInputError(message("file.is_folder"), file=path)


def _read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes; refused, before reading, when it is larger than `limit`."""
    _check_file(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise StudyInputError(
                message("file.too_large", size=Megabytes(size), limit=Megabytes(limit)), file=path
            )
        return path.read_bytes()
    except OSError as exc:
        raise StudyInputError(
            message("file.unreadable", reason=exc.strerror or exc), file=path
        ) from None


def _guess_kind(data: bytes) -> Message:
    """A short description of what a file that is not what we expected looks like."""
    head = data.lstrip()[:8]
    if data.startswith(XLS_SIGNATURE):
        return message("kind.xls")
    if data.startswith(XLSX_SIGNATURE):
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


_SNIFFED_CHARACTERS = 65_536
"""How much of a CSV file the delimiter is guessed from (its first lines)."""


def _sniff_delimiter(text: str) -> str:
    """The delimiter giving the widest header that most rows agree with (in the first
    lines of `text`)."""
    best: tuple[int, int] = (-1, -1)
    chosen = ","
    if len(text) > _SNIFFED_CHARACTERS:
        text = text[: text.rfind("\n", 0, _SNIFFED_CHARACTERS) + 1] or text[:_SNIFFED_CHARACTERS]
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
    data = _read_bytes(file, MAX_TABLE_BYTES)
    if not data.strip():
        raise StudyInputError(message("file.empty"), file=path)
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and (b"\x00" in data or data.startswith((XLSX_SIGNATURE, XLS_SIGNATURE))):
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
    _check_csv_size(rows, path)
    return Table(
        file=str(path),
        sheet=None,
        rows=rows,
        is_text=True,
        encoding=encoding,
        delimiter=delimiter,
        stem=file.stem,
    )


def _check_csv_size(rows: list[list[object]], path: str | Path) -> None:
    """Refuse a CSV table beyond the limits of :mod:`anticipe.study.limits`: rows up to the
    last non-empty one, columns of each row, characters of each cell."""
    while rows and not last_filled(rows[-1]):
        rows.pop()
    if len(rows) > MAX_TABLE_ROWS:
        problem = message("table.too_many_rows", rows=len(rows), limit=MAX_TABLE_ROWS)
        raise StudyInputError(problem, file=path)
    for number, row in enumerate(rows, start=1):
        if len(row) > MAX_TABLE_COLUMNS:
            problem = message("table.too_many_columns", columns=len(row), limit=MAX_TABLE_COLUMNS)
            raise StudyInputError(problem, file=path, row=number)
        for column, value in enumerate(row, start=1):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
                problem = message("cell.too_long", length=len(value), limit=MAX_CELL_CHARACTERS)
                raise StudyInputError(problem, file=path, row=number, column=column)


def open_workbook(path: str | Path) -> Workbook:
    """Open an .xlsx workbook for reading (values, not formulas).

    The file is checked before openpyxl unpacks it
    (:func:`anticipe.study.workbooks.check_workbook_archive`).

    Raises
    ------
    StudyInputError
        The file is missing, empty, not an Excel workbook, or beyond the limits.
    """
    file = Path(path)
    data = _read_bytes(file, MAX_XLSX_BYTES)
    if not data:
        raise StudyInputError(message("file.empty"), file=path)
    check_workbook_archive(data, path)
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds (zipfile, KeyError, XML, ValueError...)
        raise StudyInputError(message("file.not_xlsx", kind=_guess_kind(data)), file=path) from None


def sheet_table(path: str | Path, worksheet: Worksheet) -> Table:
    """The values of a worksheet, read within the limits
    (:func:`anticipe.study.workbooks.sheet_rows`)."""
    rows = sheet_rows(path, worksheet)
    return Table(file=str(path), sheet=worksheet.title, rows=rows, stem=Path(path).stem)


def _is_auxiliary(name: str) -> bool:
    folded = name.strip().casefold()
    return folded in _AUXILIARY_SHEETS or folded.startswith("_")


def sheet_list(workbook: Workbook) -> Listing:
    return Listing.of(Quoted(name) for name in workbook.sheetnames)


def _get_sheet(path: str | Path, workbook: Workbook, sheet: str) -> Worksheet:
    from openpyxl.worksheet.worksheet import Worksheet

    if sheet in workbook.sheetnames:
        worksheet = workbook[sheet]
        if isinstance(worksheet, Worksheet):
            return worksheet
        raise StudyInputError(message("sheet.chart", sheet=sheet), file=path, sheet=sheet)
    raise StudyInputError(
        message("workbook.no_such_sheet", sheet=sheet, sheets=sheet_list(workbook)), file=path
    )


def data_sheets(workbook: Workbook) -> list[Worksheet]:
    """The workbook's sheets that may hold answers (auxiliary and empty sheets skipped)."""
    return [
        ws for ws in workbook.worksheets if not _is_auxiliary(ws.title) and not is_blank_sheet(ws)
    ]


def read_table_xlsx(path: str | Path, *, sheet: str | None = None) -> Table:
    """Read one worksheet of an .xlsx workbook into a :class:`Table`.

    Without ``sheet``, the workbook must have exactly one sheet that is neither
    auxiliary (instructions, factor list) nor empty.
    """
    workbook = open_workbook(path)
    if sheet is not None:
        return sheet_table(path, _get_sheet(path, workbook, sheet))
    candidates = data_sheets(workbook)
    if len(candidates) == 1:
        return sheet_table(path, candidates[0])
    if not candidates:
        raise StudyInputError(
            message("workbook.no_answer_sheet", sheets=sheet_list(workbook)), file=path
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


# --------------------------------------------------------------------------- codes


def header_row(table: Table, empty_header: str) -> list[object]:
    """Row 1 of a table that has rows; `empty_header` is the message id when row 1 is
    empty (it says where the codes were expected).

    Raises
    ------
    StudyInputError
        The file or sheet is empty, or its row 1 is.
    """
    if not any(last_filled(row) for row in table.rows):
        raise table.problem(message("file.empty" if table.sheet is None else "sheet.empty"))
    header = table.rows[0]
    if not last_filled(header):
        raise table.problem(message(empty_header), row=1)
    return header


def header_codes(
    table: Table, first: int, last: int, problems: list[StudyInputError]
) -> tuple[list[tuple[int, str]], dict[str, int]]:
    """The factor codes of the header row from column `first` to `last` (1-based):
    ``(column, code)`` pairs in order, and the column of each code. A missing, invalid or
    repeated code is added to `problems` (at its cell) and left out."""
    header = table.rows[0]
    columns: list[tuple[int, str]] = []
    column_of: dict[str, int] = {}
    for col in range(first, last + 1):
        value = header[col - 1]
        code = parse_code(value)
        if is_empty(value):
            problems.append(table.problem(message("table.header_missing_code"), row=1, column=col))
        elif code is None:
            problems.append(
                table.problem(invalid_code_message(value, FACTOR_CODE), row=1, column=col)
            )
        elif code in column_of:
            twice = message(
                "table.header_twice",
                code=code,
                first=column_letter(column_of[code]),
                second=column_letter(col),
            )
            problems.append(table.problem(twice, row=1, column=col))
        else:
            column_of[code] = col
            columns.append((col, code))
    return columns, column_of


@dataclass(frozen=True)
class RowCodes:
    """What the codes of column A are, for the messages about them."""

    missing: str
    """The message id of an empty cell."""
    what: Message
    """The words naming the code (:data:`FACTOR_CODE`, :data:`EXPERT_ID`)."""
    twice: str
    """The message id of a repeated code (placeholders ``first`` and ``second`` rows)."""
    name: str
    """The placeholder of the code in ``twice``."""


def row_code(
    table: Table,
    row: int,
    kind: RowCodes,
    row_of: dict[str, int],
    problems: list[StudyInputError],
) -> str | None:
    """The code in column A of a (non-empty) row, recorded in `row_of`; None, with a problem
    added, when it is missing, invalid or already in an earlier row."""
    raw = table.rows[row - 1]
    value = raw[0] if raw else None
    code = parse_code(value)
    if is_empty(value):
        problems.append(table.problem(message(kind.missing), row=row, column=1))
    elif code is None:
        problems.append(table.problem(invalid_code_message(value, kind.what), row=row, column=1))
    elif code in row_of:
        twice = message(kind.twice, **{kind.name: code}, first=row_of[code], second=row)
        problems.append(table.problem(twice, row=row, column=1))
        return None
    else:
        row_of[code] = row
    return code


def row_length_problems(
    table: Table, row: int, expected: int, last_column: int
) -> list[StudyInputError]:
    """A CSV row shorter than the `expected` cells (a truncated file), and values typed
    beyond `last_column`."""
    raw = table.rows[row - 1]
    problems: list[StudyInputError] = []
    if table.is_text and len(raw) < expected:
        problems.append(
            table.problem(
                message("table.truncated_row", row=row, cells=len(raw), expected=expected),
                row=row,
            )
        )
    for col in range(last_column + 1, last_filled(raw) + 1):
        if not is_empty(raw[col - 1]):
            beyond = message(
                "cell.beyond_last_column",
                value=shown_value(raw[col - 1]),
                column=column_letter(last_column),
            )
            problems.append(table.problem(beyond, row=row, column=col))
    return problems


def unknown_factor_problems(
    table: Table,
    placed: Iterable[tuple[str, int, int]],
    expected: Sequence[str],
    source: str | Localised,
) -> list[StudyInputError]:
    """The codes of `placed` (code, row, column) that are not among the `expected` factors
    (which come from `source`, named in the message)."""
    known = set(expected)
    listed = list_codes(expected)
    return [
        table.problem(
            message("table.unknown_factor", code=code, source=source, listed=listed),
            row=row,
            column=column,
        )
        for code, row, column in placed
        if code not in known
    ]


def missing_column_problems(
    table: Table, expected: Sequence[str], column_of: dict[str, int]
) -> list[StudyInputError]:
    """The expected factors that have no column in the header row."""
    return [
        table.problem(message("table.no_column", code=code), row=1)
        for code in expected
        if code not in column_of
    ]
