"""An .xlsx workbook checked before it is unpacked, and its sheets' cells read within limits.

An .xlsx file is a zip archive of XML parts. A small file can unpack to hundreds of
megabytes (a "zip bomb": a sheet padded with a long run of the same character compresses
a thousand times), and openpyxl unpacks and parses every part when it opens the workbook.
So, before openpyxl sees the file, :func:`check_workbook_archive` reads the archive's
directory only (sizes declared per part, nothing unpacked) and refuses a workbook:

- larger than :data:`~anticipe.study.limits.MAX_XLSX_BYTES`;
- of more than :data:`~anticipe.study.limits.MAX_XLSX_ENTRIES` parts;
- whose parts unpack to more than :data:`~anticipe.study.limits.MAX_XLSX_UNPACKED_BYTES`;
- with a part over :data:`~anticipe.study.limits.RATIO_CHECKED_FROM` compressed more than
  :data:`~anticipe.study.limits.MAX_COMPRESSION_RATIO` times.

The declared sizes are a safe bound: Python's zipfile (which openpyxl reads through) never
unpacks more than a part's declared size.

Once open, :func:`sheet_rows` reads a worksheet's stored cells only (openpyxl's
``iter_rows`` would create a cell for every empty position of the sheet's range, so a
sheet with one value in cell XFD1048576 would take hours), and refuses a sheet whose
values span more than :data:`~anticipe.study.limits.MAX_TABLE_ROWS` rows,
:data:`~anticipe.study.limits.MAX_TABLE_COLUMNS` columns or
:data:`~anticipe.study.limits.MAX_TABLE_CELLS` cells, or a text longer than
:data:`~anticipe.study.limits.MAX_CELL_CHARACTERS`.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from anticipe.study.errors import StudyInputError
from anticipe.study.limits import (
    MAX_CELL_CHARACTERS,
    MAX_COMPRESSION_RATIO,
    MAX_TABLE_CELLS,
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    MAX_XLSX_BYTES,
    MAX_XLSX_ENTRIES,
    MAX_XLSX_UNPACKED_BYTES,
    RATIO_CHECKED_FROM,
)
from anticipe.study.messages import Megabytes, message

if TYPE_CHECKING:  # openpyxl is imported when a workbook is opened
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["check_workbook_archive", "is_blank_sheet", "sheet_rows"]


def check_workbook_archive(data: bytes, file: str | Path) -> None:
    """Refuse a workbook whose file or unpacked parts are beyond the limits (module
    docstring), from the zip directory alone. Data that is not a zip archive passes (the
    reader then says what the file looks like)."""
    if len(data) > MAX_XLSX_BYTES:
        raise StudyInputError(
            message("file.too_large", size=Megabytes(len(data)), limit=Megabytes(MAX_XLSX_BYTES)),
            file=file,
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return
    if len(entries) > MAX_XLSX_ENTRIES:
        raise StudyInputError(
            message("xlsx.too_many_parts", count=len(entries), limit=MAX_XLSX_ENTRIES), file=file
        )
    for entry in entries:
        packed = max(entry.compress_size, 1)
        if entry.file_size >= RATIO_CHECKED_FROM and entry.file_size / packed > (
            MAX_COMPRESSION_RATIO
        ):
            problem = message(
                "xlsx.compression_ratio",
                part=entry.filename,
                size=Megabytes(entry.file_size),
                ratio=entry.file_size // packed,
                limit=MAX_COMPRESSION_RATIO,
            )
            raise StudyInputError(problem, file=file)
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        problem = message(
            "xlsx.too_large_unpacked",
            size=Megabytes(unpacked),
            limit=Megabytes(MAX_XLSX_UNPACKED_BYTES),
        )
        raise StudyInputError(problem, file=file)


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def is_blank_sheet(worksheet: Worksheet) -> bool:
    """Whether no stored cell of the sheet holds a value."""
    return not any(_filled(cell.value) for cell in worksheet._cells.values())


def sheet_rows(file: str | Path, worksheet: Worksheet) -> list[list[object]]:
    """The values of a worksheet as rows (``rows[r][c]`` is cell ``(r + 1, c + 1)``), up to
    its last row and column holding a value, from its stored cells only.

    Raises
    ------
    StudyInputError
        The values span too many rows, columns or cells, or a text is too long.
    """
    stored = worksheet._cells
    filled = [(position, cell.value) for position, cell in stored.items() if _filled(cell.value)]
    rows = max((row for (row, _), _ in filled), default=0)
    columns = max((column for (_, column), _ in filled), default=0)
    if rows > MAX_TABLE_ROWS or columns > MAX_TABLE_COLUMNS or rows * columns > MAX_TABLE_CELLS:
        problem = message(
            "table.too_many_cells",
            rows=rows,
            columns=columns,
            max_rows=MAX_TABLE_ROWS,
            max_columns=MAX_TABLE_COLUMNS,
            max_cells=MAX_TABLE_CELLS,
        )
        raise StudyInputError(problem, file=file, sheet=worksheet.title)
    table: list[list[object]] = [[None] * columns for _ in range(rows)]
    for (row, column), value in filled:
        if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
            problem = message("cell.too_long", length=len(value), limit=MAX_CELL_CHARACTERS)
            raise StudyInputError(problem, file=file, sheet=worksheet.title, row=row, column=column)
        table[row - 1][column - 1] = value
    return table
