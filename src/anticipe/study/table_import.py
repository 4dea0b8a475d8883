"""Reading a list a person uploads (a CSV file, or the one sheet of an XLSX workbook) into rows
of tidy text: the part every list import of Anticipe shares (the panel's experts, a training
catalogue).

The file is read by the table readers (:mod:`anticipe.study.tables`) within their limits
(:mod:`anticipe.study.limits`: size, rows, columns, cells, the zip bomb checks of a
workbook); cells are tidied as pasted from a word processor (a byte-order mark, no-break or
zero-width spaces); the header row is found by names in French or English, folded (no case,
accents, spaces or punctuation). Every problem is a :class:`Problem` with its row and column
as the spreadsheet shows them (row 1, column A), and nothing is imported unless the whole
list is right (:class:`ImportRefused` carries every problem).

No Django here: an upload is anything with ``size``, ``read``, ``seek`` and ``chunks`` (the
site's uploaded files), and messages are translated with the package's catalogue. The
command line reads a list from a path with the same rule (:func:`read_list_file`: a
workbook told by its content, not its name; the same limits), its problems as
:class:`~anticipe.study.errors.StudyInputError` with the file's name.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from anticipe.i18n import translator
from anticipe.study.characters import clean_text, one_line
from anticipe.study.errors import StudyInputError, StudyInputErrors, column_letter
from anticipe.study.limits import MAX_XLSX_BYTES
from anticipe.study.tables import (
    XLSX_SIGNATURE,
    Table,
    is_empty,
    read_table_csv,
    read_table_xlsx,
)

__all__ = [
    "MAX_LISTED",
    "ImportRefused",
    "Problem",
    "Upload",
    "cell_text",
    "column_of",
    "data_rows",
    "find_header",
    "folded",
    "read_list_file",
    "read_upload",
    "tidy_cell",
]

MAX_LISTED = 50
"""Problems shown on a page (the rest counted)."""

SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2000-\u200a\u3000]+")
INVISIBLE = re.compile(r"[\ufeff\u200b-\u200d\u2060\u00ad]")
"""How a workbook (a zip archive) starts: a list is read as one when it does."""


class Upload(Protocol):
    """An uploaded file as the site gives it (Django's ``UploadedFile``)."""

    size: int | None

    def read(self, size: int = ..., /) -> bytes: ...

    def seek(self, offset: int, /) -> object: ...

    def chunks(self) -> Iterable[bytes]: ...


@dataclass(frozen=True)
class Problem:
    """A problem of the list, where it is (row and column as the spreadsheet shows them)."""

    message: str
    row: int | None = None
    column: str = ""


class ImportRefused(Exception):  # noqa: N818 (the outcome, not an error of the site)
    """The list is refused: every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


def tidy_cell(value: object) -> str:
    """A cell or a pasted line as text: no byte-order mark or invisible character, no control
    of the text's direction, one plain space for any run of spaces (no-break ones too), no
    forbidden character."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", one_line(clean_text(str(value))))
    return SPACES.sub(" ", INVISIBLE.sub("", text)).strip()


def folded(header: object) -> str:
    """A header without case, accents, spaces or punctuation (``Durée (h)`` → ``dureeh``)."""
    text = unicodedata.normalize("NFKD", tidy_cell(header).casefold())
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))


def read_upload(upload: Upload, language: str, stem: str = "list") -> Table:
    """The uploaded file's first table (CSV, or the one sheet of a workbook), every problem
    of reading it refused with its place, in `language`."""
    gettext = translator(language).gettext
    if (upload.size or 0) > MAX_XLSX_BYTES:
        raise ImportRefused([Problem(gettext("The file is too large (at most 16 MB)."))])
    with tempfile.TemporaryDirectory(prefix="anticipe-") as folder:
        head = upload.read(4)
        upload.seek(0)
        suffix = ".xlsx" if head.startswith(XLSX_SIGNATURE) else ".csv"
        target = Path(folder) / f"{stem}{suffix}"
        written = 0
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                written += len(chunk)
                if written > MAX_XLSX_BYTES:
                    raise ImportRefused(
                        [Problem(gettext("The file is too large (at most 16 MB)."))]
                    )
                handle.write(chunk)
        try:
            return read_list_file(target)
        except StudyInputError as error:
            listed = error.errors if isinstance(error, StudyInputErrors) else [error]
            raise ImportRefused(
                [
                    Problem(problem.message_in(language), problem.row, str(problem.column or ""))
                    for problem in listed
                ]
            ) from None


def read_list_file(path: str | Path) -> Table:
    """The first table of the list at `path`: the one sheet of a workbook when the file is
    one (a zip archive, whatever its name), a CSV file otherwise; read within the limits of
    :mod:`anticipe.study.limits` (16 MB, rows, columns, cells, a workbook's zip checks).

    Raises
    ------
    StudyInputError
        The file is missing, empty, beyond a limit or unreadable, with its name and place.
    """
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(4)
    except OSError:  # missing, a folder, unreadable: the CSV reader says which
        head = b""
    if head.startswith(XLSX_SIGNATURE):
        return read_table_xlsx(path)
    return read_table_csv(path)


def find_header(
    table: Table, headers: Mapping[str, str], language: str
) -> tuple[int, dict[str, int]]:
    """The header's row number (the first row with a cell) and the 0-based column of each
    column it names: `headers` maps a folded header to the column's name."""
    for number, cells in enumerate(table.rows, start=1):
        if all(is_empty(cell) for cell in cells):
            continue
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            name = headers.get(folded(cell))
            if name is not None and name not in columns:
                columns[name] = index
        return number, columns
    raise ImportRefused([Problem(translator(language).gettext("The file is empty."))])


def data_rows(table: Table, header: int) -> Iterator[tuple[int, list[object]]]:
    """The rows below the header with their number, empty rows left out."""
    for row, cells in enumerate(table.rows[header:], start=header + 1):
        if not all(is_empty(value) for value in cells):
            yield row, list(cells)


def cell_text(cells: list[object], columns: Mapping[str, int], name: str) -> str:
    """The tidy text of the column `name` in a row ("" when the list has no such column)."""
    index = columns.get(name)
    if index is None or index >= len(cells):
        return ""
    return tidy_cell(cells[index])


def column_of(columns: Mapping[str, int], name: str, default: int = 0) -> str:
    """The letter of the column `name` (of column `default` when the list has none)."""
    return column_letter(columns.get(name, default) + 1)
